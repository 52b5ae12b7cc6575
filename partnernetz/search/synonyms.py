"""The search vocabulary: abbreviations and everyday words → what the entries say.

The maintained list is ``synonyms.yaml`` beside this module; a registry adds
its own terms with ``search_synonyms:`` (checked by
:class:`partnernetz.registry.models.Registry`). Keys and alternatives are
compared folded (:func:`partnernetz.text.fold_text`): case and umlauts do not
count. A key may be several words ("immigration office"); an alternative of
several words matches when all its words occur in the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import StringConstraints, TypeAdapter, ValidationError

from partnernetz.errors import PartnernetzError
from partnernetz.text import fold_text

__all__ = ["SYNONYMS_PATH", "SynonymTable", "load_synonyms", "synonym_table", "tokens_of"]

SYNONYMS_PATH = Path(__file__).with_name("synonyms.yaml")
# Keys of at most this many letters match themselves only as a whole word ("DaZ" not "dazu").
SHORT_KEY = 4

_Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_ENTRIES = TypeAdapter(dict[_Term, list[_Term]])
_WORD = re.compile(r"\w+")


def tokens_of(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` ("KIM-Fallmanagement" → ``("kim", "fallmanagement")``)."""
    return tuple(_WORD.findall(fold_text(text)))


@dataclass(frozen=True)
class SynonymTable:
    """Folded key (words joined by one space) → alternatives (each a tuple of folded words)."""

    entries: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @property
    def longest_key(self) -> int:
        """The most words of one key."""
        return max((len(key.split()) for key in self.entries), default=1)

    def alternatives(self, key: str) -> tuple[tuple[str, ...], ...]:
        """The alternatives of a folded key (empty when it is no key)."""
        return self.entries.get(key, ())

    def is_short_key(self, key: str) -> bool:
        """A key of at most :data:`SHORT_KEY` letters: it matches itself as a whole word only."""
        return key in self.entries and len(key) <= SHORT_KEY


@lru_cache(maxsize=1)
def load_synonyms(path: Path = SYNONYMS_PATH) -> dict[str, tuple[str, ...]]:
    """The maintained vocabulary file, checked: term → alternatives as written.

    Raises
    ------
    PartnernetzError
        The file is missing or not a mapping of terms to lists of words (German).
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        entries = _ENTRIES.validate_python(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PartnernetzError(
            f"{path}: Suchbegriffe nicht lesbar (erwartet: Begriff: [Wort, …]): {exc}"
        ) from exc
    return {key: tuple(values) for key, values in entries.items()}


def synonym_table(extra: Mapping[str, Sequence[str]] | None = None, *,
                  base: Mapping[str, Sequence[str]] | None = None) -> SynonymTable:
    """The package's vocabulary with a registry's ``search_synonyms`` added.

    Parameters
    ----------
    extra
        The registry's terms; their alternatives are added to those of the same key.
    base
        The vocabulary to start from; default :func:`load_synonyms`.
    """
    merged: dict[str, dict[tuple[str, ...], None]] = {}
    for source in (load_synonyms() if base is None else base, extra or {}):
        for key, values in source.items():
            folded = " ".join(tokens_of(key))
            if not folded:
                continue
            slot = merged.setdefault(folded, {})
            for value in values:
                words = tokens_of(value)
                if words:
                    slot[words] = None
    return SynonymTable({key: tuple(values) for key, values in merged.items()})
