"""Finding duplicates: within an import file, and against the registry.

Strong identifiers first (Schulnummer, e-mail, website domain + path, the
phone number normalised with ``phonenumbers``, a location within 50 m), then
name and address, normalised (case, umlauts, ß, "Str."/"Straße", legal
forms, "Städt."/"Kath.") and compared with ``rapidfuzz``. Two different
Schulnummern are never the same school.

Scores run from 0 to 100; a pair is a duplicate from :data:`DUPLICATE_SCORE`.
Candidates are found through indexes (strong keys, 50 m grid cells, names
within the same town), so thousands of rows are checked against tens of
thousands of partners in a second or two.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from pyproj import Transformer
from rapidfuzz import fuzz, process

from partnernetz.exchange.keys import (
    KIND_WORDS,
    SHARED_EMAIL_DOMAINS,
    distinctive_words,
    email_domain,
    normalise_name,
    normalise_phone,
    normalise_street,
    normalise_website,
)
from partnernetz.text import fold_text

DUPLICATE_SCORE = 85.0
NEAR_M = 50.0
NAME_CANDIDATE_SCORE = 70.0
COMMON_WORD = 40  # a word or street shared by more records of a town finds no candidates
NAME_CANDIDATES = 8  # per row and town, the most similar names are scored in full
NAME_BLOCK_ROWS = 1000  # rows compared with a town's names at once (bounds the matrix)


@cache
def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class MatchRecord:
    """What duplicate detection looks at, for one row or one partner."""

    key: str | int
    name: str
    town: str
    street: str = ""
    schulnummer: str | None = None
    email: str | None = None
    website: str | None = None
    phone: str | None = None
    x: float = float("nan")
    y: float = float("nan")


def match_record(key: str | int, entry: Mapping[str, Any], *, town: str | None = None,
                 lat: float | None = None, lon: float | None = None) -> MatchRecord:
    """The :class:`MatchRecord` of a registry entry (dict of the YAML form).

    ``lat``/``lon`` are used only when they are the real place (exact or
    geocoded), never a town centre.
    """
    address = entry.get("address") or {}
    location = entry.get("location") or {}
    lat = location.get("lat", lat) if location else lat
    lon = location.get("lon", lon) if location else lon
    x = y = float("nan")
    if lat is not None and lon is not None and np.isfinite(lat) and np.isfinite(lon):
        x, y = _to_metric().transform(lon, lat)
    identifiers = entry.get("identifiers") or {}
    email = entry.get("email")
    return MatchRecord(
        key=key,
        name=normalise_name(entry.get("name")),
        town=fold_text(town or str(entry.get("town") or "")),
        street=normalise_street(address.get("street")),
        schulnummer=str(identifiers["schulnummer"]) if identifiers.get("schulnummer") else None,
        email=email.strip().lower() if isinstance(email, str) and email.strip() else None,
        website=normalise_website(entry.get("website")),
        phone=normalise_phone(entry.get("phone")),
        x=float(x), y=float(y),
    )


@dataclass(frozen=True)
class Match:
    """A candidate pair: the row, what it matches, the score and why."""

    row: int
    other: str | int
    score: float
    reasons: tuple[str, ...]

    @property
    def is_duplicate(self) -> bool:
        """Whether the score reaches :data:`DUPLICATE_SCORE`."""
        return self.score >= DUPLICATE_SCORE

    def describe(self) -> str:
        """Score and reasons in one German line."""
        return f"Ähnlichkeit {self.score:.0f}: " + ", ".join(self.reasons)


# --------------------------------------------------------------------------- scoring


def score_pair(a: MatchRecord, b: MatchRecord) -> tuple[float, tuple[str, ...]]:
    """Score two records (0–100) and name the evidence in German."""
    if a.schulnummer and b.schulnummer:
        if a.schulnummer == b.schulnummer:
            return 100.0, (f"gleiche Schulnummer {a.schulnummer}",)
        return 0.0, ("verschiedene Schulnummern",)
    name = name_similarity(a.name, b.name)
    reasons: list[str] = []
    scores = [0.0]
    similar = name >= 70
    if a.email and a.email == b.email:
        scores.append(95.0 if name >= 50 else 75.0)
        reasons.append(f"gleiche E-Mail {a.email}")
    else:
        domain = email_domain(a.email)
        if domain and domain == email_domain(b.email) and domain not in SHARED_EMAIL_DOMAINS:
            scores.append(0.3 * name + 30.0)
            reasons.append(f"gleiche E-Mail-Domain {domain}")
    if a.website and a.website == b.website:
        scores.append(90.0 if similar else 70.0)
        reasons.append(f"gleiche Website {a.website}")
    if a.phone and a.phone == b.phone:
        scores.append(90.0 if similar else 70.0)
        reasons.append(f"gleiche Telefonnummer {a.phone}")
    same_address = bool(a.town and a.town == b.town and a.street and a.street == b.street)
    if same_address and len(reasons) > 0 and "Domain" not in reasons[0]:
        scores.append(92.0)  # a shared contact at the same address
    distance = float(np.hypot(a.x - b.x, a.y - b.y))
    if np.isfinite(distance) and distance <= NEAR_M:
        scores.append(50.0 + 0.5 * name)
        reasons.append(f"{distance:.0f} m entfernt")
    if a.town and a.town == b.town:
        if a.street and a.street == b.street:
            scores.append(40.0 + 0.6 * name)
            reasons.append("gleiche Anschrift")
        elif a.street and b.street:
            scores.append(0.5 * name + 0.5 * street_similarity(a.street, b.street))
        else:
            scores.append(0.9 * name)
    reasons.insert(0, f"Name {name:.0f} %")
    return round(min(max(scores), 100.0), 1), tuple(reasons)


def name_similarity(a: str, b: str) -> float:
    """Mean of token-set and token-sort similarity of two normalised names.

    A name made only of generic words ("Städt. Gemeinschaftsgrundschule")
    says little: its similarity is capped at 60.
    """
    if not a or not b:
        return 0.0
    score = _similarity(a, b)
    words_a, words_b = distinctive_words(a), distinctive_words(b)
    if not words_a or not words_b:
        return min(score, 60.0)
    # the distinctive words weigh most ("Kita Sonnenschein" ≈ "Kindertagesstätte Sonnenschein")
    score = 0.6 * _similarity(" ".join(words_a), " ".join(words_b)) + 0.4 * score
    kinds_a, kinds_b = set(a.split()) & KIND_WORDS, set(b.split()) & KIND_WORDS
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        score = min(score, 45.0)  # a Grundschule is never the Gymnasium of the same town
    return score


def _similarity(a: str, b: str) -> float:
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def street_similarity(a: str, b: str) -> float:
    """Similarity of two normalised streets; a different house number halves it."""
    name_a, number_a = _split_number(a)
    name_b, number_b = _split_number(b)
    score = fuzz.ratio(name_a, name_b)
    if number_a and number_b and number_a != number_b:
        score *= 0.5
    return score


def _split_number(street: str) -> tuple[str, str]:
    match = re.match(r"^(.*?)\s*(\d+\s*[a-z]?(?:-\d+[a-z]?)?)$", street)
    return (match.group(1), match.group(2).replace(" ", "")) if match else (street, "")



# --------------------------------------------------------------------------- search


class MatchIndex:
    """Indexes of many records for fast candidate lookup."""

    def __init__(self, records: Sequence[MatchRecord]) -> None:
        self.records = list(records)
        self._by: dict[str, dict[str, list[int]]] = {
            k: defaultdict(list) for k in ("schulnummer", "email", "website", "phone")
        }
        self._cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._towns: dict[str, list[int]] = defaultdict(list)
        self._words: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, record in enumerate(self.records):
            for word in distinctive_words(record.name):
                self._words[(record.town, word)].append(i)
            if record.street:
                self._words[(record.town, "@" + record.street)].append(i)
            for attr, index in self._by.items():
                value = getattr(record, attr)
                if value:
                    index[value].append(i)
            if np.isfinite(record.x):
                self._cells[_cell(record.x, record.y)].append(i)
            self._towns[record.town].append(i)

    def candidates(self, record: MatchRecord) -> set[int]:
        """Positions of records sharing a strong key, a rare word of the name or the
        street in the same town, or a 50 m neighbourhood."""
        found: set[int] = set()
        for attr, index in self._by.items():
            value = getattr(record, attr)
            if value:
                found.update(index.get(value, ()))
        keys = [(record.town, w) for w in distinctive_words(record.name)]
        if record.street:
            keys.append((record.town, "@" + record.street))
        for key in keys:
            hits = self._words.get(key, ())
            if len(hits) <= COMMON_WORD:
                found.update(hits)
        if np.isfinite(record.x):
            cx, cy = _cell(record.x, record.y)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    found.update(self._cells.get((cx + dx, cy + dy), ()))
        return found

    def town_members(self, town: str) -> list[int]:
        """Positions of the records in one town."""
        return self._towns.get(town, [])


def _cell(x: float, y: float) -> tuple[int, int]:
    return int(x // NEAR_M), int(y // NEAR_M)


def identity(record: MatchRecord) -> tuple[str | None, ...]:
    """What makes two records exact duplicates: every normalised detail except the key
    (and the point, which a town centre may give)."""
    return (record.town, record.name, record.street, record.schulnummer, record.email,
            record.website, record.phone)


def find_matches(
    rows: Sequence[MatchRecord],
    existing: Sequence[MatchRecord],
    *,
    within: bool = False,
    threshold: float = DUPLICATE_SCORE,
) -> list[Match]:
    """The best match of each row among ``existing`` with a score ≥ ``threshold``.

    Exact duplicates (the same :func:`identity`) are found however many there
    are: rows are grouped by identity first, and only one row of each group
    is compared; the others share its result (against the registry) or are
    duplicates of its first row (within the file). Near duplicates are found
    by :func:`score_pair` among the candidates of :class:`MatchIndex` and the
    most similar names of the same town (blocking by town).

    Parameters
    ----------
    rows
        Records of the import rows (``key`` = row position).
    existing
        Records to compare with: the registry's partners, or ``rows`` itself.
    within
        ``existing`` is ``rows``: compare each row only with earlier rows.
    threshold
        Lowest score reported.
    """
    groups: dict[tuple[str | None, ...], list[int]] = defaultdict(list)
    for i, record in enumerate(rows):
        groups[identity(record)].append(i)
    firsts = [members[0] for members in groups.values()]  # in file order
    distinct = [rows[i] for i in firsts]
    out: list[Match] = []
    if within:
        found = {firsts[m.row]: m for m in _best_matches(distinct, distinct, earlier_only=True,
                                                         threshold=threshold)}
        for members in groups.values():
            first = members[0]
            if first in found:
                out.append(Match(first, found[first].other, found[first].score,
                                 found[first].reasons))
            out.extend(Match(i, rows[first].key, 100.0, ("Name 100 %", "gleiche Angaben"))
                       for i in members[1:])
        return sorted(out, key=lambda m: m.row)
    exact = {}
    for record in existing:
        exact.setdefault(identity(record), record)
    best = {firsts[m.row]: m for m in _best_matches(distinct, existing, earlier_only=False,
                                                    threshold=threshold)}
    for key, members in groups.items():
        first = members[0]
        same = exact.get(key)
        if same is not None and rows[first].name:
            _, reasons = score_pair(rows[first], same)
            match = Match(first, same.key, 100.0, (*reasons, "gleiche Angaben"))
        elif first in best:
            match = best[first]
        else:
            continue
        out.extend(Match(i, match.other, match.score, match.reasons) for i in members)
    return sorted(out, key=lambda m: m.row)


def _best_matches(rows: Sequence[MatchRecord], existing: Sequence[MatchRecord], *,
                  earlier_only: bool, threshold: float) -> list[Match]:
    """:func:`find_matches` without the grouping; ``earlier_only``: ``existing`` is ``rows``."""
    index = MatchIndex(existing)
    by_town: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(rows):
        by_town[record.town].append(i)
    name_hits: dict[int, set[int]] = defaultdict(set)
    for town, members in by_town.items():
        others = index.town_members(town)
        if not town or not others:
            continue
        names_b = [existing[j].name for j in others]
        positions_b = np.asarray(others)
        for start in range(0, len(members), NAME_BLOCK_ROWS):
            block = members[start:start + NAME_BLOCK_ROWS]
            # token_sort_ratio finds misspellings fast; shared rare words and the same
            # street (MatchIndex.candidates) find names that contain one another
            matrix = process.cdist([rows[i].name for i in block], names_b,
                                   scorer=fuzz.token_sort_ratio,
                                   score_cutoff=NAME_CANDIDATE_SCORE, dtype=np.uint8)
            if earlier_only:  # only earlier rows count: mask the others before choosing
                matrix[positions_b[None, :] >= np.asarray(block)[:, None]] = 0
            for a, row in enumerate(matrix):
                hits = np.flatnonzero(row)
                if len(hits) > NAME_CANDIDATES:  # a common name: only the closest few
                    hits = hits[np.argsort(row[hits], kind="stable")[-NAME_CANDIDATES:]]
                name_hits[block[a]].update(others[b] for b in hits)
    out: list[Match] = []
    for i, record in enumerate(rows):
        candidates = index.candidates(record) | name_hits.get(i, set())
        best: Match | None = None
        for j in sorted(candidates):
            if earlier_only and j >= i:
                continue
            other = existing[j]
            score, reasons = score_pair(record, other)
            if score >= threshold and (best is None or score > best.score):
                best = Match(i, other.key, score, reasons)
        if best is not None:
            out.append(best)
    return out
