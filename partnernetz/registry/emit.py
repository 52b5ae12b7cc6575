"""Writing partner entries as YAML text, the way the registry is written by hand.

Every string is double-quoted, so that no reader takes ``on``, ``no``,
``12:30`` or ``05762`` for a boolean or a number (YAML 1.1 and 1.2 readers
alike). Keys are the model's own field names and stay plain. Short lists of
scalars are written in flow style (``languages: ["de", "ar"]``), everything
else in block style, indented by two spaces per level.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

FLOW_WIDTH = 100

# YAML's printable set (1.2, §5.1), minus the characters YAML 1.1 readers take as line breaks
# (U+0085, U+2028, U+2029) and the byte order mark: everything else is written as an escape.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _printable(ch: str) -> bool:
    code = ord(ch)
    return (
        0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    )


def quote_string(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (one line, escapes where needed)."""
    out = ['"']
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def scalar(value: Any) -> str:
    """One scalar value as YAML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            message = f"Zahl {value} kann nicht gespeichert werden"
            raise ValueError(message)
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return quote_string(value.isoformat())
    if value is None:
        return "null"
    return quote_string(str(value))


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def key_text(key: str) -> str:
    """A mapping key: plain when it is a simple name, else double-quoted."""
    if _PLAIN_KEY.match(key) and key.lower() not in _SPECIAL_WORDS:
        return key
    return quote_string(key)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def emit_field(key: str, value: Any, *, indent: int, newline: str = "\n") -> str:
    """``key: value`` at ``indent`` spaces, with every line ending in ``newline``."""
    lines = _field_lines(key, value, indent)
    return "".join(line + newline for line in lines)


def emit_entry(entry: Mapping[str, Any], *, item_indent: int, newline: str = "\n") -> str:
    """A whole partner entry as a block-sequence item ``- key: …``."""
    key_indent = item_indent + 2
    lines: list[str] = []
    for key, value in entry.items():
        lines.extend(_field_lines(key, value, key_indent))
    if not lines:
        return " " * item_indent + "- {}" + newline
    lines[0] = " " * item_indent + "- " + lines[0][key_indent:]
    return "".join(line + newline for line in lines)


def _field_lines(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    key = key_text(key)
    if _is_scalar(value):
        return [f"{pad}{key}: {scalar(value)}"]
    if isinstance(value, Mapping):
        if not value:
            return [f"{pad}{key}: {{}}"]
        if key == "location" and all(_is_scalar(v) for v in value.values()):
            inner = ", ".join(f"{key_text(str(k))}: {scalar(v)}" for k, v in value.items())
            return [f"{pad}{key}: {{{inner}}}"]
        lines = [f"{pad}{key}:"]
        for sub_key, sub_value in value.items():
            lines.extend(_field_lines(str(sub_key), sub_value, indent + 2))
        return lines
    items = list(value)
    if not items:
        return [f"{pad}{key}: []"]
    if all(_is_scalar(v) for v in items):
        flow = f"{pad}{key}: [{', '.join(scalar(v) for v in items)}]"
        if len(flow) <= FLOW_WIDTH:
            return [flow]
        return [f"{pad}{key}:", *(f"{pad}  - {scalar(v)}" for v in items)]
    lines = [f"{pad}{key}:"]
    for item in items:
        lines.extend(_item_lines(item, indent + 2))
    return lines


def _item_lines(item: Any, indent: int) -> list[str]:
    pad = " " * indent
    if _is_scalar(item):
        return [f"{pad}- {scalar(item)}"]
    if isinstance(item, Mapping):
        lines: list[str] = []
        for key, value in item.items():
            lines.extend(_field_lines(str(key), value, indent + 2))
        if not lines:
            return [f"{pad}- {{}}"]
        lines[0] = f"{pad}- " + lines[0][indent + 2:]
        return lines
    inner = _item_lines_seq(item, indent + 2)
    return [f"{pad}-", *inner]


def _item_lines_seq(items: Sequence[Any], indent: int) -> list[str]:
    out: list[str] = []
    for item in items:
        out.extend(_item_lines(item, indent))
    return out
