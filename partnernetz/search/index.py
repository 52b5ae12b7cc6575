"""The search index of one dataset and the search as people type.

A query is split into units: words, phone numbers / postcodes ("05272 1234",
"+49 5272 1234" → ``052721234``) and terms of the search vocabulary
(:mod:`partnernetz.search.synonyms`, "JMD", "immigration office"). Every unit
must match (AND):

* a word matches when it is part of a word of the entry (name, operator,
  subtype, offers, description, town, district, street, towns served and the
  labels of category, stages, target groups and languages in both UI
  languages); a vocabulary term also when one of its alternatives does;
* a number matches the start of a phone number of the entry (its contacts'
  too) or of its postcode; a number without a leading 0 of at least 4 digits
  also inside a phone number (a local number without the area code).

When no entry matches every unit exactly, each word may also be *close* to a
word of the entry (rapidfuzz's optimal string alignment distance: 1 for words
of 4 to 7 letters, 2 from 8 letters): those entries are the result, with
``mode == "close"`` and a corrected query for "Meinten Sie …?".

Relevance: per unit the best field weight of the match (name 5, places 3,
labels and offers 2, description 1; numbers 3), alternatives of the vocabulary
at 0.9 and close matches at half; summed over the units.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from partnernetz.search.synonyms import SynonymTable, synonym_table
from partnernetz.text import fold_text

__all__ = ["FIELD_WEIGHTS", "QueryUnit", "SearchIndex", "SearchResult", "parse_query"]

# column → weight of a match in it (the name ranks before the description)
FIELD_WEIGHTS: dict[str, float] = {
    "name": 5.0,
    "town": 3.0, "district": 3.0, "street": 3.0,
    "operator": 2.0, "subtype": 2.0, "offers": 2.0,
    "description": 1.0,
}
SERVED_WEIGHT = 3.0  # the names of the towns served
LABEL_WEIGHT = 2.0  # category, stage, target-group and language labels
NUMBER_WEIGHT = 3.0
ALTERNATIVE_FACTOR = 0.9
CLOSE_FACTOR = 0.5
MIN_CLOSE = 4  # shorter words are never corrected
MAX_CORRECTIONS = 5  # close words searched per typed word
_NUMBER_PIECE = re.compile(r"^(?:\+|00)?[\d/().-]*\d[\d/().-]*$")
_WORD = re.compile(r"\w+")

Mode = Literal["all", "exact", "close", "none"]


@dataclass(frozen=True)
class QueryUnit:
    """One part of a query that must match: a word, a number or a vocabulary term."""

    text: str  # as typed
    kind: Literal["word", "number", "term"]
    words: tuple[str, ...]  # folded words; a number: its digits


def normalise_phone(text: str) -> str:
    """The digits of a phone number, ``+49``/``0049`` as the leading ``0``."""
    raw = text.strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+49") or raw.startswith("0049"):
        return "0" + digits[2:] if raw.startswith("+") else "0" + digits[4:]
    if raw.startswith("+"):
        return "00" + digits
    return digits


def parse_query(query: str, synonyms: SynonymTable) -> list[QueryUnit]:
    """The units of a query (see the module docstring)."""
    pieces = (query or "").split()
    units: list[QueryUnit] = []
    words: list[str] = []  # plain text pieces waiting to be tokenised

    def flush() -> None:
        tokens = [(w, fold_text(w)) for piece in words for w in _WORD.findall(piece)]
        words.clear()
        i = 0
        while i < len(tokens):
            for size in range(min(synonyms.longest_key, len(tokens) - i), 0, -1):
                key = " ".join(folded for _, folded in tokens[i:i + size])
                if synonyms.alternatives(key):
                    text = " ".join(raw for raw, _ in tokens[i:i + size])
                    units.append(QueryUnit(text, "term", tuple(key.split())))
                    i += size
                    break
            else:
                raw, folded = tokens[i]
                units.append(QueryUnit(raw, "word", (folded,)))
                i += 1

    number: list[str] = []

    def close_number() -> None:
        if number:
            text = " ".join(number)
            digits = normalise_phone(text)
            if len(digits) >= 4 or text.startswith(("0", "+")):
                units.append(QueryUnit(text, "number", (digits,)))
            else:  # a house number: an ordinary word
                words.append(text)
                flush()
            number.clear()

    for piece in pieces:
        if _NUMBER_PIECE.match(piece):
            if number and piece.startswith(("0", "+")) and not number[-1].startswith("+"):
                close_number()
            flush()
            number.append(piece)
        else:
            close_number()
            words.append(piece)
    close_number()
    flush()
    return units


@dataclass(frozen=True)
class SearchResult:
    """What a query found among the index's rows.

    ``mode``: ``"all"`` (no query), ``"exact"``, ``"close"`` (no exact hits,
    these are close ones: "Meinten Sie …?"), ``"none"``. ``mask`` and
    ``scores`` are per row of the index (scores 0 where not found);
    ``suggestion`` is the corrected query in ``"close"`` mode.
    """

    query: str
    mode: Mode
    mask: np.ndarray
    scores: np.ndarray
    suggestion: str | None = None

    @property
    def count(self) -> int:
        """How many rows were found."""
        return int(self.mask.sum())


class SearchIndex:
    """Folded words of every partner with their field weights, built once per dataset.

    Build with :meth:`build`; search with :meth:`search`. The index belongs to
    one partners frame (:meth:`fits`).
    """

    def __init__(self, *, labels: pd.Index, vocab: list[str], post_token: np.ndarray,
                 post_row: np.ndarray, post_weight: np.ndarray, phones: list[tuple[str, ...]],
                 postcodes: list[str], raw: list[str], synonyms: SynonymTable) -> None:
        self.labels = labels
        self.vocab = vocab
        self.token_ids = {token: i for i, token in enumerate(vocab)}
        self.post_token = post_token
        self.post_row = post_row
        self.post_weight = post_weight
        self.frequency = np.bincount(post_token, minlength=len(vocab))
        self.phones = phones
        self.postcodes = postcodes
        self.raw = raw
        self.synonyms = synonyms
        self._joined = "\n".join(vocab)
        self._starts = np.cumsum([0] + [len(t) + 1 for t in vocab[:-1]]) if vocab else np.zeros(0)
        self._keys = [k for k in synonyms.entries if " " not in k and len(k) >= MIN_CLOSE + 1]

    @property
    def size(self) -> int:
        """The number of partners indexed."""
        return len(self.labels)

    def fits(self, partners: pd.DataFrame) -> bool:
        """True when the index was built from ``partners`` (same rows, same order)."""
        return len(partners) == self.size and partners.index.equals(self.labels)

    # ------------------------------------------------------------------ build

    @classmethod
    def build(
        cls,
        partners: pd.DataFrame,
        *,
        town_names: Mapping[str, str] | None = None,
        labels: Mapping[str, Mapping[str, str]] | None = None,
        synonyms: SynonymTable | Mapping[str, Sequence[str]] | None = None,
    ) -> SearchIndex:
        """The index of ``partners``.

        Parameters
        ----------
        partners
            The partners frame of a dataset (redacted for the viewer's role:
            the index holds the phone numbers of the contacts it is given).
        town_names
            AGS → official name, for the towns a partner serves.
        labels
            Per column (``category``, ``stages``, ``target_groups``, ``languages``)
            key → label text in both languages
            (:func:`partnernetz.registry.vocabulary.search_labels`).
        synonyms
            The vocabulary (:func:`~partnernetz.search.synonyms.synonym_table`), or a
            registry's ``search_synonyms`` to add to the package's; default the package's.
        """
        table = synonyms if isinstance(synonyms, SynonymTable) else synonym_table(synonyms)
        n = len(partners)
        columns: list[tuple[list[str], float]] = []
        for column, weight in FIELD_WEIGHTS.items():
            columns.append((_texts(partners, column), weight))
        if town_names and "serves" in partners:
            columns.append(([" ".join(town_names.get(a, "") for a in served or ())
                             for served in partners["serves"]], SERVED_WEIGHT))
        for column, texts in (labels or {}).items():
            if column in partners:
                columns.append(([" ".join(texts.get(k, "") for k in _keys(value))
                                 for value in partners[column]], LABEL_WEIGHT))
        token_ids: dict[str, int] = {}
        words: dict[str, list[int]] = {}  # folded text → its token ids (texts repeat a lot)
        tids: list[int] = []
        rows: list[int] = []
        weights: list[float] = []
        for texts, weight in columns:
            for row, text in enumerate(texts):
                if not text:
                    continue
                ids = words.get(text)
                if ids is None:
                    found = dict.fromkeys(_WORD.findall(fold_text(text)))
                    ids = words[text] = [token_ids.setdefault(t, len(token_ids)) for t in found]
                tids.extend(ids)
                rows.extend([row] * len(ids))
                weights.extend([weight] * len(ids))
        post_token, post_row, post_weight = _best_postings(
            np.array(tids, dtype=np.int64), np.array(rows, dtype=np.int64),
            np.array(weights, dtype=np.float32))
        raw = [" ".join(texts[row] for texts, _ in columns if texts[row]) for row in range(n)]
        return cls(
            labels=partners.index, vocab=list(token_ids),
            post_token=post_token, post_row=post_row, post_weight=post_weight,
            phones=_phones(partners), postcodes=_texts(partners, "postcode"), raw=raw,
            synonyms=table,
        )

    # ------------------------------------------------------------------ search

    def search(self, query: str, *, within: np.ndarray | None = None) -> SearchResult:
        """The rows matching ``query`` (among ``within``, a boolean mask over the rows)."""
        allowed = np.ones(self.size, dtype=bool) if within is None else np.asarray(within, dtype=bool)
        units = parse_query(query, self.synonyms)
        if not units:
            return SearchResult(query, "all", allowed.copy(), np.zeros(self.size, np.float32))
        exact = [self._exact(unit) for unit in units]
        found = allowed.copy()
        for scores in exact:
            found &= scores > 0
        if found.any():
            return SearchResult(query, "exact", found, _total(exact, found))
        close, fixes = [], []
        for unit, scores in zip(units, exact, strict=True):
            extra, fix = self._close(unit) if not (scores[allowed] > 0).any() else (None, None)
            close.append(scores if extra is None else np.maximum(scores, extra))
            fixes.append(fix or unit.text)
        found = allowed.copy()
        for scores in close:
            found &= scores > 0
        if found.any():
            return SearchResult(query, "close", found, _total(close, found),
                                suggestion=" ".join(fixes))
        return SearchResult(query, "none", found, np.zeros(self.size, np.float32))

    def _exact(self, unit: QueryUnit) -> np.ndarray:
        if unit.kind == "number":
            return self._number(unit.words[0])
        key = " ".join(unit.words)
        whole = self.synonyms.is_short_key(key)
        scores = self._phrase(unit.words, whole=whole)
        for alternative in self.synonyms.alternatives(key):
            np.maximum(scores, self._phrase(alternative) * ALTERNATIVE_FACTOR, out=scores)
        return scores

    def _phrase(self, words: Sequence[str], *, whole: bool = False) -> np.ndarray:
        scores: np.ndarray | None = None
        for word in words:
            ids = self._whole(word) if whole else self._containing(word)
            part = self._scores(ids)
            scores = part if scores is None else np.minimum(scores, part)
        return scores if scores is not None else np.zeros(self.size, np.float32)

    def _whole(self, word: str) -> np.ndarray:
        """The word itself or its plural in -s ("Kita", "Kitas"), never a longer word."""
        ids = [self.token_ids.get(w) for w in (word, word + "s")]
        return np.array([i for i in ids if i is not None], dtype=np.int64)

    def _containing(self, word: str) -> np.ndarray:
        if not word or not self.vocab:
            return np.zeros(0, dtype=np.int64)
        offsets = [m.start() for m in re.finditer(re.escape(word), self._joined)]
        return np.unique(np.searchsorted(self._starts, offsets, side="right") - 1)

    def _scores(self, ids: np.ndarray) -> np.ndarray:
        scores = np.zeros(self.size, dtype=np.float32)
        if len(ids):
            wanted = np.zeros(len(self.vocab), dtype=bool)
            wanted[ids] = True
            hit = wanted[self.post_token]
            np.maximum.at(scores, self.post_row[hit], self.post_weight[hit])
        return scores

    def _number(self, digits: str) -> np.ndarray:
        inside = len(digits) >= 4 and not digits.startswith("0")
        found = np.fromiter(
            (any(p.startswith(digits) or (inside and digits in p) for p in phones)
             or (postcode or "").startswith(digits)
             for phones, postcode in zip(self.phones, self.postcodes, strict=True)),
            dtype=bool, count=self.size)
        return found.astype(np.float32) * NUMBER_WEIGHT

    def _close(self, unit: QueryUnit) -> tuple[np.ndarray | None, str | None]:
        """Scores of the words close to a one-word unit, and the best of them as typed."""
        if unit.kind != "word" or len(unit.words[0]) < MIN_CLOSE or unit.words[0].isdigit():
            return None, None
        word = unit.words[0]
        limit = 1 if len(word) < 8 else 2
        # Levenshtein (fast) finds the candidates; OSA also counts a swap of two letters as one
        candidates = process.extract(word, self.vocab, scorer=Levenshtein.distance,
                                     score_cutoff=limit + 1, limit=None)
        matches = sorted(
            ((OSA.distance(word, token), -int(self.frequency[index]), index)
             for token, _, index in candidates), key=lambda m: m[:2])
        matches = [m for m in matches if m[0] <= limit][:MAX_CORRECTIONS]
        scores = np.zeros(self.size, dtype=np.float32)
        fix = None
        if matches:
            # a corrected word finds what it would find typed right (parts of words too)
            for _, _, index in matches:
                part = self._scores(self._containing(self.vocab[index])) * CLOSE_FACTOR
                np.maximum(scores, part, out=scores)
            fix = self._as_written(matches[0][2])
        for key, distance, _ in process.extract(word, self._keys, scorer=OSA.distance,
                                                score_cutoff=limit, limit=None):
            term = QueryUnit(key, "term", (key,))
            np.maximum(scores, self._exact(term) * CLOSE_FACTOR, out=scores)
            if fix is None or distance < OSA.distance(word, fold_text(fix)):
                fix = key
        return (scores if scores.any() else None), fix

    def _as_written(self, tid: int) -> str:
        """A word of an entry as written whose folded form is token ``tid``."""
        token = self.vocab[tid]
        rows = self.post_row[self.post_token == tid]
        for row in rows[:5]:
            for word in _WORD.findall(self.raw[int(row)]):
                if fold_text(word) == token:
                    return word
        return token


def _best_postings(
    tids: np.ndarray, rows: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One posting per (token, row): the highest weight of that word in that row."""
    if not len(tids):
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, np.zeros(0, dtype=np.float32)
    order = np.lexsort((-weights, rows, tids))
    tids, rows, weights = tids[order], rows[order], weights[order]
    first = np.ones(len(tids), dtype=bool)
    first[1:] = (tids[1:] != tids[:-1]) | (rows[1:] != rows[:-1])
    return tids[first].astype(np.int32), rows[first].astype(np.int32), weights[first]


def _total(parts: list[np.ndarray], found: np.ndarray) -> np.ndarray:
    total = np.sum(parts, axis=0, dtype=np.float32)
    return np.where(found, total, 0).astype(np.float32)


def _texts(partners: pd.DataFrame, column: str) -> list[str]:
    if column not in partners:
        return [""] * len(partners)
    return [_join(value) for value in partners[column]]


def _join(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple | np.ndarray):
        return " ".join(str(v) for v in value if v is not None)
    return str(value)


def _keys(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    return tuple(value)


def _phones(partners: pd.DataFrame) -> list[tuple[str, ...]]:
    """Per partner the normalised digits of its phone and its contacts' phones."""
    own = _texts(partners, "phone")
    contacts = partners["contacts"] if "contacts" in partners else [()] * len(partners)
    out = []
    for phone, people in zip(own, contacts, strict=True):
        numbers = [phone] + [c.get("phone") or "" for c in (people if _is_seq(people) else ())
                             if isinstance(c, Mapping)]
        out.append(tuple(d for d in (normalise_phone(n) for n in numbers if n) if d))
    return out


def _is_seq(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)
