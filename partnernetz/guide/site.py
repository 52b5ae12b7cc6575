"""``publish_site``: the whole guide into one folder, replaced in one step.

Layout of the folder (every link relative, so it runs under any path)::

    index.html                 language choice
    <lang>/index.html          start page: search, filters, towns, map, open data
    <lang>/orte/<town>.html    "Angebote in <town>"
    <lang>/partner/<id>.html   one page per partner
    <lang>/leichte-sprache.html, <lang>/barrierefreiheit.html
    assets/                    style, script, self-hosted Leaflet
    data/search.json           search index (loaded when the visitor searches)
    data/map.json              map data (loaded when the visitor opens the map)
    daten/                     open data (HSDS 3.0 JSON, GeoJSON, CSV, LIZENZ.txt)
    sw.js, manifest.webmanifest
    publish.json               when, from which registry version (the stamp)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import queue
import re
import shutil
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import shapely

from partnernetz.dataset import Dataset
from partnernetz.errors import ExportError
from partnernetz.files import replace_folder, staging_folder
from partnernetz.guide.content import GuideData, public_guide_data
from partnernetz.guide.languages import GUIDE_LANGUAGES
from partnernetz.guide.pages import PageRenderer, format_day, render_root
from partnernetz.guide.partner_page import PartnerPages
from partnernetz.text import fold_text

STAMP_NAME = "publish.json"
ASSETS = Path(__file__).parent / "assets"
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "leaflet"
DEFAULT_LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
BASEMAPS: list[tuple[str, str, str | None, str | None]] = [
    ("none", "ohne Hintergrundkarte", None, None),
    ("osm", "OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     "© OpenStreetMap-Mitwirkende"),
    ("basemapde", "basemap.de (BKG)",
     "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/"
     "default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png", "© basemap.de / BKG"),
]
SIMPLIFY_DEGREES = 0.0005  # about 40 m: town outlines of the map


@dataclass(frozen=True)
class PublishStamp:
    """What ``publish.json`` says about a published site."""

    published: str            # ISO time (UTC)
    registry: str             # file name of the registry
    registry_sha256: str      # hash of the registry file's bytes: the registry version
    history_version: str | None  # the registry history's head commit, where there is one
    region: str
    partners: int
    pages: int
    languages: tuple[str, ...]
    data_date: str | None
    generator: str = "partnernetz guide"


def read_stamp(folder: str | Path) -> PublishStamp | None:
    """The stamp of a published site, or None when the folder holds none (or a broken one)."""
    path = Path(folder) / STAMP_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["languages"] = tuple(raw["languages"])
        return PublishStamp(**raw)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def publish_site(
    dataset: Dataset,
    out_dir: str | Path,
    *,
    extra_files: Mapping[str, bytes] | None = None,
    base_url: str | None = None,
    licence: str = DEFAULT_LICENCE,
    history_version: str | None = None,
    now: dt.datetime | None = None,
) -> PublishStamp:
    """Write the guide of ``dataset`` into ``out_dir`` (replacing an earlier one).

    Parameters
    ----------
    dataset
        The loaded dataset; it is reduced to what the public may see here.
    out_dir
        The site's folder: absent, empty, or an earlier guide (it has ``publish.json``).
    extra_files
        More files by relative path (the open data under ``daten/``).
    base_url
        Where the site will be reachable (``https://…/`` or ``/wegweiser/``): only for the
        canonical links; every link in the site stays relative.
    licence
        The licence of the open data, as the start page and ``daten/LIZENZ.txt`` name it.
    history_version
        The registry history's head commit, for the stamp.
    """
    data = public_guide_data(dataset)
    now = now or dt.datetime.now(dt.UTC)
    if not VENDOR.joinpath("leaflet.js").is_file():
        raise ExportError(f"Leaflet fehlt in {VENDOR} (scripts/fetch_static_assets.sh)")
    canonical = _canonical_base(base_url)
    out_dir = Path(out_dir)
    staging = staging_folder(out_dir)
    try:
        pages = _write_site(staging, data, dataset, extra_files or {}, licence=licence,
                            canonical=canonical, now=now, history_version=history_version)
        stamp = PublishStamp(
            published=now.strftime("%Y-%m-%dT%H:%M:%SZ"), registry=dataset.source.name,
            registry_sha256=_file_hash(dataset.source), history_version=history_version,
            region=data.region, partners=len(data.partners), pages=pages,
            languages=tuple(lang.code for lang in GUIDE_LANGUAGES),
            data_date=data.data_date.isoformat() if data.data_date else None,
        )
        _write(staging / STAMP_NAME, json.dumps(asdict(stamp), ensure_ascii=False, indent=1))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, out_dir, marker=STAMP_NAME)
    return stamp


# --------------------------------------------------------------------------- the files


def _write(path: Path | str, text: str | bytes) -> None:
    """A file in the staging folder (not yet visible; the folder is swapped in whole).

    Plain ``os.open``/``os.write``: a site has eight files per partner.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        raise ExportError(f"{path} kann nicht geschrieben werden: {exc.strerror}") from None


class _BackgroundWriter:
    """Writes files with :func:`_write` in a thread (system calls release the GIL)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=256)
        self.error: ExportError | None = None
        self.thread = threading.Thread(target=self._run, name="guide-writer", daemon=True)

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    _write(*item)
                except ExportError as exc:
                    self.error = exc

    def put(self, path: str, text: str) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((path, text))

    def __enter__(self) -> _BackgroundWriter:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and exc_info[0] is None:
            raise self.error


def _write_site(root: Path, data: GuideData, dataset: Dataset, extra: Mapping[str, bytes], *,
                licence: str, canonical: str | None, now: dt.datetime,
                history_version: str | None) -> int:
    (root / "assets" / "vendor" / "leaflet" / "images").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "daten").mkdir()
    for name in ("guide.css", "guide.js"):
        shutil.copyfile(ASSETS / name, root / "assets" / name)
    for name in ("leaflet.js", "leaflet.css", "LICENSE"):
        shutil.copyfile(VENDOR / name, root / "assets" / "vendor" / "leaflet" / name)
    for image in (VENDOR / "images").glob("*.png"):
        shutil.copyfile(image, root / "assets" / "vendor" / "leaflet" / "images" / image.name)
    _write(root / "data" / "search.json", _json(search_index(data)))
    _write(root / "data" / "map.json", _json(map_data(data, dataset)))

    pages = 0
    shared: dict[str, dict[str, str]] = {}
    precache = ["index.html", "manifest.webmanifest", "assets/guide.css", "assets/guide.js"]
    for lang in GUIDE_LANGUAGES:
        renderer = PageRenderer(lang, data, licence=licence, canonical_base=canonical)
        partner_pages = PartnerPages(renderer, shared)
        folder = root / lang.code
        (folder / "orte").mkdir(parents=True)
        (folder / "partner").mkdir()
        _write(folder / "index.html", renderer.start(basemaps=BASEMAPS))
        _write(folder / "leichte-sprache.html",
               renderer.simple("leichte-sprache.html", "easy.html", "Leichte Sprache"))
        _write(folder / "barrierefreiheit.html",
               renderer.simple("barrierefreiheit.html", "accessibility.html",
                               "Erklärung zur Barrierefreiheit"))
        precache += [f"{lang.code}/index.html", f"{lang.code}/leichte-sprache.html",
                     f"{lang.code}/barrierefreiheit.html"]
        for town in data.towns:
            _write(folder / "orte" / f"{town.slug}.html", renderer.town(town))
        partner_dir = os.path.join(folder, "partner", "")
        with _BackgroundWriter() as writer:  # the disk works while the next page is rendered
            for partner in data.partners:
                writer.put(f"{partner_dir}{partner.id}.html", partner_pages.render(partner))
        pages += 3 + len(data.towns) + len(data.partners)
    _write(root / "index.html", render_root(data))
    pages += 1

    for rel, content in extra.items():
        target = (root / rel).resolve()
        if root.resolve() not in target.parents:
            raise ExportError(f"Datei {rel} läge außerhalb des Wegweisers")
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, content)
    _write(root / "daten" / "LIZENZ.txt", licence_text(data, licence, now=now))
    _write(root / "manifest.webmanifest", _json({
        "name": f"Wegweiser {data.region}", "short_name": "Wegweiser", "start_url": "index.html",
        "display": "browser", "lang": "de", "background_color": "#ffffff",
        "theme_color": "#0b5394"}))
    version = hashlib.sha256(
        f"{now.isoformat()}{history_version}{len(data.partners)}".encode()).hexdigest()[:16]
    worker = (ASSETS / "sw.js").read_text(encoding="utf-8")
    worker = worker.replace("__VERSION__", version).replace("__PRECACHE__", json.dumps(precache))
    _write(root / "sw.js", worker)
    return pages


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _canonical_base(base_url: str | None) -> str | None:
    if not base_url:
        return None
    base = base_url.strip()
    if not (base.startswith(("https://", "http://", "/")) and " " not in base):
        raise ExportError(f"--base-url '{base_url}' ist keine Adresse (https://… oder /pfad/)")
    return base if base.endswith("/") else base + "/"


# --------------------------------------------------------------------------- index and map


def search_index(data: GuideData) -> dict[str, Any]:
    """The search index: per partner id, name, town, category, groups, languages, served
    towns (``*``: all) and the folded words of its texts (all languages)."""
    names = {t.ags: t.name for t in data.towns}
    rows = []
    for p in data.partners:
        parts = [p.name, p.operator, p.subtype, *p.offers, p.description, p.town, p.district,
                 p.street]
        for translation in p.translations.values():
            parts += [translation.get("description"), *(translation.get("offers") or ())]
        if not p.serves_all:
            parts += [names.get(a, "") for a in p.serves]
        words = fold_text(" ".join(x for x in parts if x))
        tokens = dict.fromkeys(w for w in _split_words(words) if w)
        served = "*" if p.serves_all else sorted({p.town_ags, *p.serves})
        rows.append([p.id, p.name, p.town_ags, p.category, list(p.target_groups),
                     list(p.languages), served, " ".join(tokens)])
    return {"version": 1, "partners": rows}


_WORD = re.compile(r"[^\W_]+")  # runs of characters for which str.isalnum() is true


def _split_words(text: str) -> list[str]:
    """The runs of letters and digits in ``text`` (any script)."""
    return _WORD.findall(text)


def map_data(data: GuideData, dataset: Dataset) -> dict[str, Any]:
    """Town outlines (simplified, 4 decimals) and one point per partner for the map."""
    towns = dataset.towns
    geometry = shapely.simplify(towns.geometry.to_numpy(), SIMPLIFY_DEGREES)
    geometry = shapely.set_precision(geometry, 1e-4)
    features = [{"type": "Feature", "properties": {"name": name},
                 "geometry": shapely.geometry.mapping(geom)}
                for name, geom in zip(towns["name"], geometry, strict=True)]
    points = [[round(p.lat, 5), round(p.lon, 5), p.category, p.name, p.id] for p in data.partners]
    return {"towns": {"type": "FeatureCollection", "features": features}, "points": points}


def licence_text(data: GuideData, licence: str, *, now: dt.datetime) -> str:
    """``daten/LIZENZ.txt``: licence, data date, content and sources of the open data."""
    return "\n".join([
        f"Offene Daten des Wegweisers {data.region}",
        "",
        f"Lizenz: {licence}",
        f"Stand der Daten: {format_day(data.data_date)}",
        f"Veröffentlicht: {now.strftime('%d.%m.%Y %H:%M')} UTC",
        f"Inhalt: {len(data.partners)} aktive Partner, nur öffentliche Angaben "
        "(keine internen Kontakte, keine Notizen).",
        "",
        "Dateien (feste Namen):",
        "  partner-hsds.json  Human Services Data Specification 3.0 (JSON)",
        "  partner.geojson    GeoJSON (RFC 7946, EPSG:4326)",
        "  partner.csv        Tabelle (UTF-8, Semikolon)",
        "",
        f"Quellen und Namensnennung: {data.attribution}",
        "",
    ])
