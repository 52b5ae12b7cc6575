"""The text of a CSV file as it was meant: UTF-8, Windows-1252, or both line by line.

Excel on German Windows saves "CSV" as Windows-1252; other tools save UTF-8;
a list edited by both has lines of each. Every line is decoded on its own,
and text that was garbled before it reached us ("GrÃ¼ÃŸe") is refused with
its line rather than imported: Partnernetz never writes mojibake.
"""

from __future__ import annotations

import re

from partnernetz.errors import ImportFileError

__all__ = ["decode_text"]


def decode_text(raw: bytes, *, name: str = "") -> tuple[str, str]:
    """Decode CSV bytes; returns ``(text, name of the encoding assumed)``.

    UTF-16 by its byte-order mark; otherwise line by line: each line is read
    as UTF-8 when it is valid UTF-8, else as Windows-1252 (Excel's "CSV" on
    German Windows). A file that mixes both is read correctly line by line and
    the encoding names the Windows-1252 lines. A line that is neither is
    refused with its number: nothing is ever decoded into mojibake.

    Raises
    ------
    ImportFileError
        A line is neither UTF-8 nor Windows-1252.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    label = "UTF-8"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, label = raw[3:], "UTF-8 mit BOM"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_mojibake(text, name=name)
        return text, label
    lines: list[str] = []
    utf8_lines = 0
    windows: list[int] = []
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8_lines += not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        try:
            lines.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{name}: Zeile {number}: Zeichenkodierung nicht erkannt (weder UTF-8 noch "
                "Windows-1252); bitte die Datei als UTF-8 speichern") from None
        windows.append(number)
    text = "".join(lines)
    _refuse_mojibake(text, name=name)
    if not utf8_lines:
        return text, "Windows-1252"
    shown = ", ".join(str(n) for n in windows[:10]) + (" …" if len(windows) > 10 else "")
    return text, f"gemischt: {label}, Zeile {shown} Windows-1252"


# UTF-8 read as Windows-1252 and saved again: "Ã¼" for "ü", "ÃŸ" for "ß", "â€“" for "–".
_MOJIBAKE = re.compile("(?:[ÂÃ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                       "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026"
                       "\u2030\u2039\u203a\u20ac\u2122]|â€)+")


def _refuse_mojibake(text: str, *, name: str) -> None:
    """Refuse text that was garbled before it reached us (UTF-8 decoded as Windows-1252
    and saved again), naming the line and what it should say."""
    match = _MOJIBAKE.search(text)
    if match is None:
        return
    try:
        meant = match.group().encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return  # not a garbled character after all
    line = text.count("\n", 0, match.start()) + 1
    raise ImportFileError(
        f"{name}: Zeile {line}: Text ist doppelt kodiert ('{match.group()}' statt '{meant}'); "
        "bitte die Datei im Original (UTF-8 oder Windows-1252) hochladen")
