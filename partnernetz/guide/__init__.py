"""The public guide ("Wegweiser"): a static website of the network's public partners.

``publish_site`` writes start page, town pages, partner pages, the Leichte Sprache
and accessibility pages in eight language variants, the search index, the map data
and a service worker into one folder that runs from any web server under any path.
Only public data reaches it: the dataset is reduced with ``dataset_for_role(PUBLIC)``
and only active partners are kept (see :mod:`partnernetz.guide.content`).
"""

from partnernetz.guide.languages import GUIDE_LANGUAGES, GuideLanguage
from partnernetz.guide.site import PublishStamp, publish_site, read_stamp

__all__ = ["GUIDE_LANGUAGES", "GuideLanguage", "PublishStamp", "publish_site", "read_stamp"]
