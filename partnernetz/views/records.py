"""Records: a partner row cleaned into the plain record a card is rendered from.

Missing values (None, NaN, empty) become None or an empty tuple; the
column-wise cleaners do the same for a whole frame at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

# The fields of a card record, in display order. ``lat``/``lon`` are not shown.
RECORD_KEYS: tuple[str, ...] = (
    "id", "name", "category", "subtype", "status", "operator",
    "street", "postcode", "town", "district", "served", "relation", "precision",
    "phone", "email", "website", "schulnummer", "languages", "offers", "opening_hours",
    "accessible", "verified", "contacts", "notes",
)


# Precisions worth a note on the card: the marker is not at the address.
APPROXIMATE_PRECISIONS: tuple[str, ...] = ("postcode", "town")


def is_missing(value: Any) -> bool:
    """Whether ``value`` is an empty cell (None, NaN, pandas NA or NaT)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA and pandas.NaT without importing pandas here
    return type(value).__name__ in ("NAType", "NaTType")


def clean_text(value: Any) -> str | None:
    """Text of a cell, stripped; ``None`` for empty cells and empty text."""
    if is_missing(value):
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    return text or None


def clean_list(value: Any) -> tuple[str, ...]:
    """A list-like cell (tuple, list, array) as a tuple of non-empty texts."""
    if type(value) is tuple:
        try:  # fast path: a tuple of strings
            return tuple(filter(None, map(str.strip, value)))
        except TypeError:
            pass
    if is_missing(value) or isinstance(value, str | bytes):
        return (clean_text(value),) if clean_text(value) else ()
    try:
        items = list(value)
    except TypeError:
        return ()
    return tuple(text for text in (clean_text(item) for item in items) if text)


def clean_date(value: Any) -> str | None:
    """A date cell as ISO text ``YYYY-MM-DD``, or ``None``."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date().isoformat()
    text = clean_text(value)
    if text and re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return None


def contact_tuples(value: Any) -> list[tuple[str, str | None, str | None, str | None, bool]]:
    """Contacts as ``(name, role, phone, email, internal)`` tuples; entries without a name dropped.

    ``internal`` is True for ``visibility: internal``. Which contacts reach
    this point is decided before (``dataset_for_role``): for the public only
    public ones.
    """
    if value is None or isinstance(value, str) or is_missing(value):
        return []
    out = []
    for item in value:
        if type(item) is not dict and not isinstance(item, Mapping):
            continue
        name = _text_fast(item.get("name"))
        if name:
            out.append((
                name, _text_fast(item.get("role")), _text_fast(item.get("phone")),
                _text_fast(item.get("email")), item.get("visibility") == "internal",
            ))
    return out


def clean_contacts(value: Any) -> tuple[dict[str, Any], ...]:
    """Contacts as dicts ``{name, role, phone, email, internal}``; entries without a name dropped."""
    return tuple(dict(zip(_CONTACT_KEYS, c, strict=True)) for c in contact_tuples(value))


_CONTACT_KEYS = ("name", "role", "phone", "email", "internal")


def _text_fast(value: Any) -> str | None:
    if type(value) is str:
        return value.strip() or None
    return None if value is None else clean_text(value)


_LIST_KEYS = ("languages", "offers")


def card_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """The card record of one partner row (a partners-frame row or a plain mapping).

    Parameters
    ----------
    row
        One row of the partners GeoDataFrame (``pandas.Series``) or a dict with
        the same keys; missing keys count as empty.

    Returns
    -------
    dict
        Keys ``RECORD_KEYS``: texts or ``None``, ``languages``/``offers`` as
        tuples, ``verified`` as ISO date text, ``contacts`` as tuple of dicts.
    """
    get = row.get if hasattr(row, "get") else (lambda key, default=None: default)
    record: dict[str, Any] = {}
    for key in RECORD_KEYS:
        value = get(key, None)
        if key in _LIST_KEYS:
            record[key] = clean_list(value)
        elif key == "verified":
            record[key] = clean_date(value)
        elif key == "contacts":
            record[key] = clean_contacts(value)
        else:
            record[key] = clean_text(value)
    return record


def clean_text_column(values: Iterable[Any]) -> list[str | None]:
    """:func:`clean_text` over a column (fast path for plain strings)."""
    return [
        (value.strip() or None) if type(value) is str
        else None if value is None
        else clean_text(value)
        for value in values
    ]


def clean_list_column(values: Iterable[Any]) -> list[tuple[str, ...]]:
    """:func:`clean_list` over a column."""
    return [clean_list(value) for value in values]


def clean_date_column(values: Iterable[Any]) -> list[str | None]:
    """:func:`clean_date` over a column (fast path for ``datetime.date``)."""
    return [value.isoformat() if type(value) is dt.date else clean_date(value) for value in values]


def clean_contacts_column(values: Iterable[Any]) -> list[tuple[dict[str, Any], ...]]:
    """:func:`clean_contacts` over a column."""
    return [clean_contacts(value) for value in values]


COLUMN_CLEANERS: dict[str, Callable[[Iterable[Any]], list[Any]]] = {
    key: (
        clean_list_column if key in _LIST_KEYS
        else clean_date_column if key == "verified"
        else clean_contacts_column if key == "contacts"
        else clean_text_column
    )
    for key in RECORD_KEYS
}
"""Record key to the column cleaner that gives the same values as :func:`card_record`."""


def records_from_columns(columns: Mapping[str, Sequence[Any]], n: int) -> list[dict[str, Any]]:
    """Card records of ``n`` rows given as column lists (fast path for large frames).

    Produces the same records as :func:`card_record` row by row.
    """
    empty: list[Any] = [None] * n
    cleaned = {key: COLUMN_CLEANERS[key](columns.get(key, empty)) for key in RECORD_KEYS}
    return [{key: cleaned[key][i] for key in RECORD_KEYS} for i in range(n)]
