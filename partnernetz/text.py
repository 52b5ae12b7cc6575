"""Text normalisation shared by town-name resolution and the free-text search."""

from __future__ import annotations

import unicodedata

__all__ = ["fold_text"]

# Applied after casefolding and accent stripping, so "ä" is already "a" here.
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold_text(s: str) -> str:
    """Fold text for comparisons that ignore case, umlauts and accents.

    Parameters
    ----------
    s : str
        Any text.

    Returns
    -------
    str
        The text casefolded, with ``ß`` → ``ss``, accents removed (``ä`` → ``a``,
        ``é`` → ``e``), the umlaut transliterations ``ae``/``oe``/``ue`` → ``a``/``o``/``u``,
        and runs of whitespace collapsed to one space (no leading or trailing space).
        "Höxter", "hoexter", "Hoxter" and "HÖXTER" all give ``"hoxter"``. The same
        folding applied to text and query keeps substring search working.
    """
    if not s:
        return ""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", s).casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    for digraph, letter in _DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return " ".join(folded.split())
