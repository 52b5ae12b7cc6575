"""Where each partner entry sits in the registry text.

The writer replaces only the text of the entry it changes. This module finds
those spans without composing the whole YAML document (which takes seconds at
20,000 partners): a line scan of the ``partners:`` block sequence. The scan is
checked where it matters — the writer parses the entry's own text and
compares it with what it expects — so a file written in an unusual way is
refused with a clear message rather than damaged.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from partnernetz.errors import RegistryWriteError

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*|\"[^\"\n]*\"|'[^'\n]*')[ \t]*:(?=[ \t\r]|$)", re.M)
_CONTENT_LINE = re.compile(r"^(?P<indent> *)(?P<first>[^ \r\n#])", re.M)
_KEY_AT = r"(?P<key>[A-Za-z_][\w-]*|\"[^\"\n]*\"|'[^'\n]*')[ \t]*:(?=[ \t\r]|$)"


@dataclass(frozen=True)
class Span:
    """A stretch ``start``–``end`` of the registry text (whole lines)."""

    start: int
    end: int


@dataclass(frozen=True)
class FieldSpan(Span):
    """One top-level key of an entry, its text from the key's line to its value's last line."""

    key: str


@dataclass(frozen=True)
class EntrySpan(Span):
    """One item of the ``partners:`` sequence, its position ``index`` and id.

    The span covers its lines from the ``-`` line to its last content line
    (blank and comment lines after it belong to the gap, not the entry).
    """

    index: int
    partner_id: str | None


@dataclass(frozen=True)
class RegistryLayout:
    """The ``partners:`` section of a registry text and its entries."""

    text: str
    newline: str
    section_start: int  # offset of the line after ``partners:``
    section_end: int  # offset where the section ends (next top-level key or end of text)
    item_indent: int
    entries: tuple[EntrySpan, ...]
    partners_key_line: tuple[int, int]  # start and end offset of the ``partners:`` line
    # What the ``partners:`` line becomes when the first entry is added to a registry without
    # partners: ``partners: []`` turns into block form, a missing key is appended. None: as is.
    key_rewrite: str | None = None

    def line_of(self, offset: int) -> int:
        """1-based line number of ``offset``."""
        return self.text.count("\n", 0, offset) + 1

    def by_id(self) -> dict[str, EntrySpan]:
        """Entries by partner id (the first one when an id is used twice)."""
        out: dict[str, EntrySpan] = {}
        for entry in self.entries:
            if entry.partner_id is not None:
                out.setdefault(entry.partner_id, entry)
        return out

    def fields(self, entry: EntrySpan) -> tuple[int, tuple[FieldSpan, ...]]:
        """Key indent and top-level keys of ``entry``.

        The keys are empty when the entry is not a plain block mapping (e.g. a
        flow mapping ``- {id: …}``); such an entry is replaced as a whole.
        """
        return _fields(self.text, entry.start, entry.end, self.item_indent)

    def entry_text(self, span: Span) -> str:
        """The text of an entry or a field (its lines, with the final line break)."""
        return self.text[span.start:span.end]


def _line_end(text: str, offset: int) -> int:
    """Offset just after the line break of the line containing ``offset``."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _unquote_key(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw


def _plain_value(raw: str) -> str | None:
    """A simple scalar as written after ``id:`` (plain or quoted, no escapes)."""
    raw = raw.strip()
    if raw.startswith("#") or not raw:
        return None
    if raw[0] in "\"'":
        quote = raw[0]
        close = raw.find(quote, 1)
        if close < 0:
            return None
        value = raw[1:close]
        return None if "\\" in value and quote == '"' else value
    value = raw.split(" #", 1)[0].strip()
    return value or None


@dataclass(frozen=True)
class _Section:
    newline: str
    key_start: int
    key_end: int
    start: int
    end: int
    item_indent: int
    empty: bool = False
    key_rewrite: str | None = None


_EMPTY_FLOW = re.compile(r"(?:\[[ \t]*\]|~|null|Null|NULL)(?P<comment>[ \t]*#.*)?")


def _section(text: str, *, file: str = "") -> _Section:
    """Where the ``partners:`` section is and how its items are indented."""
    newline = "\r\n" if "\r\n" in text[:10000] else "\n"
    where = f"{file}: " if file else ""
    partners_match = None
    for match in _TOP_KEY.finditer(text):
        if _unquote_key(match.group("key")) == "partners":
            partners_match = match
            break
    if partners_match is None:  # no partners yet: the first one comes with the key, at the end
        end = len(text)
        gap = "" if not text or text.endswith("\n") else newline
        return _Section(newline, end, end, end, end, 2, empty=True,
                        key_rewrite=f"{gap}partners:{newline}")
    key_start = partners_match.start()
    line_end = _line_end(text, key_start)
    rest_of_line = text[partners_match.end():line_end].strip()
    flow = _EMPTY_FLOW.fullmatch(rest_of_line)
    if flow is not None:  # ``partners: []``: written in block form once the first entry comes
        comment = f"  {flow.group('comment').strip()}" if flow.group("comment") else ""
        return _Section(newline, key_start, line_end, line_end, line_end, 2, empty=True,
                        key_rewrite=f"partners:{comment}{newline}")
    if rest_of_line and not rest_of_line.startswith("#"):
        message = (
            f"{where}partners: steht in Kurzschreibweise ([ … ]); bitte als Liste mit '- ' je "
            "Eintrag schreiben, damit Partnernetz einzelne Einträge ändern kann"
        )
        raise RegistryWriteError(message)
    section_start = line_end
    first = _CONTENT_LINE.search(text, section_start)
    if first is None or first.group("first") != "-" or not re.match(
        r"-(?:[ \t]|\r?$)", text[first.start("first"):first.start("first") + 2].rstrip("\n")
    ):
        if first is None or len(first.group("indent")) == 0:
            return _Section(newline, key_start, line_end, section_start,
                            first.start() if first else len(text), 2, empty=True)
        message = f"{where}partners: enthält keine Liste von Einträgen (Zeile {_line(text, first.start())})"
        raise RegistryWriteError(message)
    item_indent = len(first.group("indent"))
    # The section ends at the first content line indented less than the items (or, for items
    # at column 0, at the first column-0 line that is not an item).
    if item_indent:
        end_pattern = re.compile(rf"^ {{0,{item_indent - 1}}}[^ \r\n#]", re.M)
    else:
        end_pattern = re.compile(r"^[^ \r\n#-]|^-[^ \t\r\n]", re.M)
    end_match = end_pattern.search(text, first.end())
    section_end = end_match.start() if end_match else len(text)
    return _Section(newline, key_start, line_end, section_start, section_end, item_indent)


def header_text(text: str, *, file: str = "") -> str:
    """The text outside the ``partners:`` section (region, categories, targets …)."""
    section = _section(text, file=file)
    return text[:section.key_start] + text[section.end:]


def find_entry_text(text: str, partner_id: str, *, file: str = "") -> str | None:
    """The text of the entry with ``partner_id`` found by its ``id:`` line alone; None when that
    quick look does not find it (the caller then scans the whole layout)."""
    section = _section(text, file=file)
    if section.empty:
        return None
    ii = section.item_indent
    id_line = re.compile(
        rf"^(?: {{{ii}}}-[ \t]+| {{{ii + 1},}})id[ \t]*:[ \t]*(?P<q>[\"']?){re.escape(partner_id)}(?P=q)"
        r"[ \t]*(?:#[^\n]*)?\r?$", re.M)
    match = id_line.search(text, section.start, section.end)
    if match is None:
        return None
    item = re.compile(rf"^ {{{ii}}}-(?=[ \t\r\n]|$)", re.M)
    starts = [m.start() for m in item.finditer(text, max(section.start, match.start() - 200_000),
                                                match.start() + ii + 2)]
    if not starts:
        return None
    start = starts[-1]
    following = item.search(text, match.end(), section.end)
    stop = following.start() if following else section.end
    return text[start:_trim_gap(text, start, stop)]


def scan_layout(text: str, *, file: str = "") -> RegistryLayout:
    """Find the ``partners:`` block sequence and the span of each entry.

    Raises
    ------
    RegistryWriteError
        The partners are not written as a block sequence the writer can edit
        (e.g. ``partners: [ … ]`` in flow style).
    """
    section = _section(text, file=file)
    newline, key_start, line_end = section.newline, section.key_start, section.key_end
    section_start, section_end, item_indent = section.start, section.end, section.item_indent
    if section.empty:
        return RegistryLayout(text, newline, section_start, section_end, 2, (), (key_start, line_end),
                              key_rewrite=section.key_rewrite)
    item_pattern = re.compile(rf"^ {{{item_indent}}}-(?=[ \t\r\n]|$)", re.M)
    starts = [m.start() for m in item_pattern.finditer(text, section_start, section_end)]
    ids = _id_lines(text, section_start, section_end, item_indent)
    id_offsets = [offset for offset, _ in ids]
    entries = []
    for index, start in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else section_end
        end = _trim_gap(text, start, stop)
        lo = bisect.bisect_left(id_offsets, start)
        found = lo < len(ids) and ids[lo][0] < end
        partner_id = ids[lo][1] if found else _parsed_id(text[start:end])
        entries.append(EntrySpan(start, end, index=index, partner_id=partner_id))
    return RegistryLayout(text, newline, section_start, section_end, item_indent, tuple(entries),
                          (key_start, line_end))


def _parsed_id(entry_text: str) -> str | None:
    """The id of an entry written in an unusual way (flow mapping, id not on its own line)."""
    from partnernetz.registry.parse import parse_yaml

    data, issues = parse_yaml(entry_text, file="")
    if issues or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        return None
    value = data[0].get("id")
    return value.strip() if isinstance(value, str) else None


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _trim_gap(text: str, start: int, stop: int) -> int:
    """End of the last content line in ``start``–``stop`` (blank/comment lines trimmed)."""
    end = stop
    while end > start:
        newline = text.rfind("\n", start, end - 1)
        prev = start if newline < 0 else newline + 1  # start of the last line before ``end``
        line = text[prev:end].strip()
        if line and not line.startswith("#"):
            break
        end = prev
        if prev <= start:
            break
    return end


def _id_lines(text: str, start: int, end: int, item_indent: int) -> list[tuple[int, str]]:
    """(offset, id) of every ``id:`` line at an entry's first key level."""
    pattern = re.compile(
        rf"^(?: {{{item_indent}}}-[ \t]+| {{{item_indent + 1},}})id[ \t]*:[ \t]*(?P<value>[^\n]*)", re.M
    )
    out = []
    for match in pattern.finditer(text, start, end):
        value = _plain_value(match.group("value"))
        if value is not None:
            out.append((match.start(), value))
    return out


def _fields(text: str, start: int, end: int, item_indent: int) -> tuple[int, tuple[FieldSpan, ...]]:
    """The top-level keys of the entry in ``start``–``end``; () when it is not a block mapping."""
    first_line_end = _line_end(text, start)
    dash_line = text[start:first_line_end]
    after_dash = dash_line[item_indent + 1:]
    stripped = after_dash.lstrip(" \t")
    key_indent = item_indent + 1 + (len(after_dash) - len(stripped))
    keys: list[tuple[str, int]] = []
    if stripped.strip() and not stripped.startswith("#"):
        match = re.match(_KEY_AT, stripped)
        if match is None:
            return key_indent, ()  # flow mapping or something else on the dash line
        keys.append((_unquote_key(match.group("key")), start))
        offset = first_line_end
    else:
        offset = first_line_end
        key_indent = -1
    for match in _CONTENT_LINE.finditer(text, offset, end):
        indent = len(match.group("indent"))
        if key_indent < 0:
            key_indent = indent
        if indent < key_indent:
            return key_indent, ()
        if indent > key_indent:
            continue
        line_start = match.start()
        key_match = re.match(_KEY_AT, text[match.start("first"):_line_end(text, line_start)])
        if key_match is None:
            return key_indent, ()
        keys.append((_unquote_key(key_match.group("key")), line_start))
    fields = []
    for i, (key, key_start) in enumerate(keys):
        stop = keys[i + 1][1] if i + 1 < len(keys) else end
        fields.append(FieldSpan(key_start, _trim_gap(text, key_start, stop), key=key))
    return key_indent, tuple(fields)
