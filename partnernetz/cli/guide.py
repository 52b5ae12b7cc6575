"""The ``publish`` sub-command: the public guide (Wegweiser) as a static website.

``publish_guide`` is the one way to publish, for the command line, a cron job or
systemd timer, and the app's page "Wegweiser veröffentlichen": it loads the
registry, writes the open data with :mod:`partnernetz.exchange` (public role,
active partners) and the site with :mod:`partnernetz.guide`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from partnernetz import cli
from partnernetz.guide import PublishStamp

GUIDE_DIR_VARIABLE = "PARTNERNETZ_GUIDE_DIR"


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``publish`` to the CLI's sub-parsers."""
    from partnernetz.guide.site import DEFAULT_LICENCE

    p = sub.add_parser("publish", help="öffentlichen Wegweiser als statische Website schreiben")
    p.add_argument("path", type=cli.input_path, help="Registry-Datei (YAML)")
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="Ordner der Website (leer, neu oder ein früher veröffentlichter Wegweiser)")
    p.add_argument("--base-url", default=None,
                   help="Adresse der Website (nur für kanonische Links), z. B. /wegweiser/")
    p.add_argument("--licence", default=DEFAULT_LICENCE,
                   help="Lizenz der offenen Daten (Standard: %(default)s)")
    p.set_defaults(run=cmd_publish)


def open_data_files(dataset: object) -> dict[str, bytes]:
    """The open data beside the pages: public, active partners as HSDS 3.0 JSON, GeoJSON, CSV."""
    from partnernetz.exchange import export, gis, hsds
    from partnernetz.exchange.selection import select_partners
    from partnernetz.filters import FilterSpec

    spec = FilterSpec(statuses=("active",))
    selection = select_partners(dataset, spec=spec, role="public")  # type: ignore[arg-type]
    return {
        "daten/partner-hsds.json": hsds.hsds_json_bytes(dataset, spec=spec, role="public"),  # type: ignore[arg-type]
        "daten/partner.geojson": gis.partners_geojson(dataset, spec=spec, role="public"),  # type: ignore[arg-type]
        "daten/partner.csv": export.directory_csv(selection.partners,
                                                  selection.dataset.categories, lang="de"),
    }


def publish_guide(registry: str | Path, output: str | Path, *, base_url: str | None = None,
                  licence: str | None = None) -> PublishStamp:
    """Load ``registry`` and publish its guide into ``output``; returns the stamp."""
    from partnernetz.dataset import load_dataset
    from partnernetz.guide import publish_site
    from partnernetz.guide.site import DEFAULT_LICENCE
    from partnernetz.registry.history import History

    dataset = load_dataset(registry)
    history = History(registry)
    try:
        head = history.head() if history.exists else None
    finally:
        history.close()
    return publish_site(dataset, output, extra_files=open_data_files(dataset), base_url=base_url,
                        licence=licence or DEFAULT_LICENCE,
                        history_version=head.decode() if head else None)


def cmd_publish(args: argparse.Namespace) -> int:
    """``publish REGISTRY -o DIR``: write the guide; print what was written."""
    stamp = publish_guide(args.path, args.output, base_url=args.base_url, licence=args.licence)
    print(f"Wegweiser veröffentlicht: {args.output} ({stamp.partners} Partner, {stamp.pages} Seiten "
          f"in {len(stamp.languages)} Sprachen; Registry-Stand {stamp.registry_sha256[:12]})",
          file=sys.stderr)
    return cli.EXIT_OK


if add_commands not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(add_commands)
