"""Extract the guide's UI texts into locale/guide.pot and update every language's guide.po.

Usage: .venv/bin/python scripts/build_guide_catalog.py

Messages come from the templates (``_("…")``) and from partnernetz/guide/messages.py
(``N_("…")``). New messages get an empty translation in every catalog (the test
``tests/guide/test_catalogs.py`` then fails until a translator fills them in);
messages no longer used are dropped. Translations and headers are kept.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnernetz.files import write_bytes_atomically  # noqa: E402
from partnernetz.guide.languages import GUIDE_LANGUAGES, LOCALE_DIR, catalog_path  # noqa: E402

GUIDE = ROOT / "partnernetz" / "guide"
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("messages.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "N_": None}


def extract() -> Catalog:
    """The template catalog of every message the guide uses."""
    pot = Catalog(project="Partnernetz Wegweiser", domain="guide", fuzzy=False,
                  msgid_bugs_address="integration@example.org", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            GUIDE, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS):
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context,
                flags=("python-format",) if "%(" in message else ())
    return pot


def serialise(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=False,
             omit_header=False)
    return buffer.getvalue()


def main() -> int:
    pot = extract()
    write_bytes_atomically(LOCALE_DIR / "guide.pot", serialise(pot))
    for lang in GUIDE_LANGUAGES:
        if lang.code == "de":
            continue
        path = catalog_path(lang.code)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, domain="guide")
        else:
            catalog = Catalog(locale=lang.locale, domain="guide", project="Partnernetz Wegweiser",
                              fuzzy=False)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(path, serialise(catalog))
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{path.relative_to(ROOT)}: {len(catalog) - 1} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
