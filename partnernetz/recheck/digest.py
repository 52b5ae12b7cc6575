"""The digest "Was hat sich geändert" for a period: on screen, as PDF and as e-mail text.

New, retired and changed partners come from the history beside the registry
(one commit per change); the answers received from the re-check state; white
spots opened and closed from the coverage of the registry as it was at the
start of the period (its version in the history) against the end. Only ids,
names, field names and town/category labels appear — never contact data or
notes, so the digest may be forwarded.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from partnernetz.analysis.summary import CoverageAnalysis, analyse_coverage
from partnernetz.dataset import Dataset, load_dataset
from partnernetz.errors import PartnernetzError
from partnernetz.files import write_text_atomically
from partnernetz.i18n import t
from partnernetz.recheck.state import Answer
from partnernetz.registry.history import History, HistoryEntry
from partnernetz.views.pdf import render_pdf

RETIRED = ("inactive", "planned")


@dataclass(frozen=True)
class PartnerLine:
    """One partner in the digest: id, name and what happened (fields, status, answer)."""

    partner_id: str
    name: str
    detail: str = ""


@dataclass(frozen=True)
class Digest:
    """What changed between ``start`` and ``end`` (both inclusive)."""

    region: str
    start: dt.date
    end: dt.date
    new: tuple[PartnerLine, ...] = ()
    retired: tuple[PartnerLine, ...] = ()
    changed: tuple[PartnerLine, ...] = ()
    answers: tuple[PartnerLine, ...] = ()
    spots_opened: tuple[str, ...] = ()
    spots_closed: tuple[str, ...] = ()
    spots_known: bool = True  # False: no version of the registry at the start of the period
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Nothing happened in the period."""
        return not (self.new or self.retired or self.changed or self.answers or self.spots_opened
                    or self.spots_closed)


def white_spot_pairs(analysis: CoverageAnalysis, labels: Mapping[str, str]) -> set[str]:
    """Every white spot as "Town: Category" (category as people know it)."""
    out = set()
    for town, spots in zip(analysis.scores["town"], analysis.scores["white_spots"], strict=True):
        for key in spots or ():
            out.add(f"{town}: {labels.get(key, key)}")
    return out


def coverage_of(dataset: Dataset, *, today: dt.date) -> CoverageAnalysis:
    """The coverage of every partner of ``dataset``."""
    return analyse_coverage(dataset.partners, dataset.towns, today=today, categories=dataset.categories,
                            targets=dataset.targets)


def dataset_at(registry: str | Path, day: dt.date, **load_options: object) -> Dataset | None:
    """The registry as it was at the end of ``day`` (from its history); None without one."""
    history = History(registry)
    try:
        if not history.exists:
            return None
        revision = history.at_date(day)
        if revision is None:
            return None
        text = history.text_at(revision)
    finally:
        history.close()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(registry).name
        write_text_atomically(path, text)
        try:
            return load_dataset(path, today=day, cache_dir="off", **load_options)
        except PartnernetzError:
            return None


def _fields_text(fields: Iterable[str], lang: str) -> str:
    names = []
    for name in dict.fromkeys(f.split(".")[0].split("[")[0] for f in fields):
        label = t(f"recheck.field.{name}", lang)
        names.append(label if not label.startswith("recheck.field.") else name)
    return ", ".join(names)


def build_digest(
    entries: Iterable[HistoryEntry],
    *,
    region: str,
    start: dt.date,
    end: dt.date,
    answers: Iterable[Answer] = (),
    names: Mapping[str, str] | None = None,
    spots_then: set[str] | None = None,
    spots_now: set[str] | None = None,
    lang: str = "de",
) -> Digest:
    """The digest of the history ``entries`` (any order) and the answers within [start, end]."""
    names = dict(names or {})
    new: dict[str, PartnerLine] = {}
    retired: dict[str, PartnerLine] = {}
    changed: dict[str, dict[str, None]] = {}  # partner -> changed fields, in the order they changed
    for entry in sorted(entries, key=lambda e: e.time):
        if not start <= entry.time.date() <= end or entry.kind == "initial":
            continue
        for change in entry.changes:
            pid = change.partner_id
            name = change.name or names.get(pid, pid)
            names.setdefault(pid, name)
            status = next((f.new for f in change.fields if f.field == "status"), None)
            if change.op == "add":
                new[pid] = PartnerLine(pid, name)
            elif change.op == "remove":
                retired[pid] = PartnerLine(pid, name, t("digest.removed", lang))
                new.pop(pid, None)
            elif change.op == "retire" or status in RETIRED:
                retired[pid] = PartnerLine(pid, name, t(f"digest.status.{status or 'inactive'}", lang))
            elif pid not in new:
                changed.setdefault(pid, {}).update(dict.fromkeys(f.field for f in change.fields))
    answered = [
        PartnerLine(a.partner_id, names.get(a.partner_id, a.partner_id),
                    t(f"digest.answer.{a.kind}", lang, date=a.time.strftime("%d.%m.%Y")))
        for a in sorted(answers, key=lambda a: a.time) if start <= a.time.date() <= end
    ]
    known = spots_then is not None and spots_now is not None
    return Digest(
        region=region, start=start, end=end,
        new=tuple(sorted(new.values(), key=lambda p: p.name)),
        retired=tuple(sorted(retired.values(), key=lambda p: p.name)),
        changed=tuple(sorted((PartnerLine(pid, names.get(pid, pid), _fields_text(fields, lang))
                              for pid, fields in changed.items() if pid not in retired),
                             key=lambda p: p.name)),
        answers=tuple(answered),
        spots_opened=tuple(sorted(spots_now - spots_then)) if known else (),
        spots_closed=tuple(sorted(spots_then - spots_now)) if known else (),
        spots_known=known,
    )


def _sections(digest: Digest, lang: str) -> list[tuple[str, list[str]]]:
    def lines(items: Iterable[PartnerLine]) -> list[str]:
        return [f"{p.name} ({p.detail})" if p.detail else p.name for p in items]

    sections = [
        (t("digest.new", lang, n=len(digest.new)), lines(digest.new)),
        (t("digest.retired", lang, n=len(digest.retired)), lines(digest.retired)),
        (t("digest.changed", lang, n=len(digest.changed)), lines(digest.changed)),
        (t("digest.answers", lang, n=len(digest.answers)), lines(digest.answers)),
    ]
    if digest.spots_known:
        sections += [(t("digest.spots_opened", lang, n=len(digest.spots_opened)), list(digest.spots_opened)),
                     (t("digest.spots_closed", lang, n=len(digest.spots_closed)), list(digest.spots_closed))]
    else:
        sections.append((t("digest.spots_unknown", lang), []))
    return sections


def _period(digest: Digest, lang: str) -> str:
    fmt = "%d.%m.%Y" if lang == "de" else "%Y-%m-%d"
    return t("digest.period", lang, start=digest.start.strftime(fmt), end=digest.end.strftime(fmt))


def digest_text(digest: Digest, *, lang: str = "de") -> str:
    """The digest as plain e-mail text."""
    out = [t("digest.title", lang) + f" – {digest.region}", _period(digest, lang), ""]
    for title, items in _sections(digest, lang):
        out.append(title)
        out += [f"  - {item}" for item in items] or ["  –"]
        out.append("")
    if digest.empty:
        out.append(t("digest.nothing", lang))
    return "\n".join(out).rstrip() + "\n"


def digest_html(digest: Digest, *, lang: str = "de", document: bool = False) -> str:
    """The digest as escaped HTML (a fragment, or a whole page with ``document``)."""
    parts = [f"<h2>{html.escape(t('digest.title', lang))} – {html.escape(digest.region)}</h2>",
             f"<p>{html.escape(_period(digest, lang))}</p>"]
    for title, items in _sections(digest, lang):
        parts.append(f"<h3>{html.escape(title)}</h3>")
        if items:
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    if digest.empty:
        parts.append(f"<p>{html.escape(t('digest.nothing', lang))}</p>")
    body = "".join(parts)
    if not document:
        return f'<div class="pn-digest">{body}</div>'
    style = ("@page { size: A4; margin: 18mm; } body { font-family: 'DejaVu Sans', sans-serif; "
             "font-size: 10.5pt; } h2 { font-size: 15pt; } h3 { font-size: 11.5pt; margin-bottom: 1mm; }")
    return (f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "de"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(t('digest.title', lang))}</title><style>{style}</style></head>"
            f"<body>{body}</body></html>")


def digest_pdf(digest: Digest, *, lang: str = "de") -> bytes:
    """The digest as PDF (WeasyPrint, as the report)."""
    return render_pdf(digest_html(digest, lang=lang, document=True), what="PDF der Änderungen")
