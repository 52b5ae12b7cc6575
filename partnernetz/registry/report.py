"""Validation findings a coordinator can act on.

Each :class:`Issue` names the file, the line and the field, and says in German
what is wrong, e.g.::

    data/partners.yaml:57: partners[12].email: 'info@' ist keine gültige E-Mail-Adresse
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Issue:
    """One finding in a registry file."""

    line: int | None
    field: str
    message: str
    severity: Severity = "error"
    column: int | None = None
    file: str = ""

    def format(self) -> str:
        """``FILE:LINE: FIELD: MESSAGE``, with ``Warnung:`` before warnings."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = "Warnung: " if self.severity == "warning" else ""
        subject = f"{self.field}: " if self.field else ""
        return f"{where}: {prefix}{subject}{self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """All findings of one registry file, errors and warnings apart."""

    file: str
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The findings that make the registry invalid."""
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The findings worth a look that do not stop the app."""
        return tuple(i for i in self.issues if i.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings are allowed)."""
        return not self.errors

    def with_issues(self, issues: Iterable[Issue]) -> ValidationReport:
        """A new report with ``issues`` added, sorted by line."""
        merged = sorted((*self.issues, *issues), key=_sort_key)
        return ValidationReport(self.file, tuple(merged))

    def summary(self) -> str:
        """One German line: how many errors and warnings."""
        return f"{len(self.errors)} Fehler, {len(self.warnings)} Warnungen"

    def format(self) -> str:
        """Every finding on its own line, then the summary."""
        lines = [issue.format() for issue in self.issues]
        lines.append(f"{self.file}: {self.summary()}")
        return "\n".join(lines)


def _sort_key(issue: Issue) -> tuple[int, int, str]:
    return (issue.line if issue.line is not None else 0, issue.column or 0, issue.field)


def format_field_path(loc: Iterable[str | int]) -> str:
    """Turn a pydantic location into a field path: ``partners[12].email``.

    Parameters
    ----------
    loc
        Path elements; integers are list indices.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# German texts for pydantic's own error types. {input} is the value given,
# {expected} the allowed values.
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": "Pflichtfeld fehlt",
    "extra_forbidden": "unbekanntes Feld '{field}'",
    "string_type": "muss ein Text sein, nicht {input_repr}",
    "literal_error": "'{input}' ist nicht erlaubt (erlaubt: {expected})",
    "list_type": "muss eine Liste sein, nicht {input_repr}",
    "dict_type": "muss ein Abschnitt mit Feldern sein, nicht {input_repr}",
    "model_type": "muss ein Abschnitt mit Feldern sein, nicht {input_repr}",
    "model_attributes_type": "muss ein Abschnitt mit Feldern sein, nicht {input_repr}",
    "float_type": "muss eine Zahl sein, nicht {input_repr}",
    "float_parsing": "'{input}' ist keine Zahl",
    "int_type": "muss eine ganze Zahl sein, nicht {input_repr}",
    "int_parsing": "'{input}' ist keine ganze Zahl",
    "int_from_float": "muss eine ganze Zahl sein, nicht {input}",
    "greater_than_equal": "{input} ist zu klein (mindestens {ge})",
    "greater_than": "{input} ist zu klein (muss größer als {gt} sein)",
    "less_than_equal": "{input} ist zu groß (höchstens {le})",
    "date_type": "'{input}' ist kein Datum (Form JJJJ-MM-TT)",
    "date_parsing": "'{input}' ist kein Datum (Form JJJJ-MM-TT)",
    "date_from_datetime_parsing": "'{input}' ist kein Datum (Form JJJJ-MM-TT)",
    "date_from_datetime_inexact": "'{input}' ist kein Datum (Form JJJJ-MM-TT, ohne Uhrzeit)",
    "bool_type": "muss ja/nein sein",
    "string_too_short": "darf nicht leer sein",
    "string_too_long": "ist zu lang: {length} Zeichen, höchstens {max_length} erlaubt",
    "too_long": "hat zu viele Einträge: {actual_length}, höchstens {max_length} erlaubt",
    "invalid_key": "Feldname {input} ist kein Text (Feldnamen müssen Text sein)",
        "none_required": "muss leer sein",
}


def describe_pydantic_error(error: dict) -> str:
    """A German message for one entry of ``ValidationError.errors()``.

    Our own validators already speak German (``PydanticCustomError``); the
    built-in error types are translated here.
    """
    kind = error.get("type", "")
    if kind == "too_long" and isinstance(error.get("input"), str):
        kind = "string_too_long"
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", "ungültiger Wert"))
    ctx = dict(error.get("ctx") or {})
    value = error.get("input")
    loc = error.get("loc") or ("",)
    ctx.setdefault("field", loc[-1])
    ctx["input"] = _shorten(value) if isinstance(value, str) else value
    ctx["input_repr"] = _describe_value(value)
    ctx["length"] = len(value) if isinstance(value, str | list) else 0
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", ", ")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return str(error.get("msg", "ungültiger Wert"))


def _describe_value(value: object) -> str:
    if value is None:
        return "leer"
    if isinstance(value, bool):
        return "ja/nein"
    if isinstance(value, int | float):
        return f"die Zahl {value}"
    if isinstance(value, str):
        return f"'{_shorten(value)}'"
    if isinstance(value, list):
        return "eine Liste"
    if isinstance(value, dict):
        return "ein Abschnitt"
    return type(value).__name__


def _shorten(text: str, limit: int = 60) -> str:
    """``text`` for a message: at most ``limit`` characters (long values are cut with …)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Fields whose values may be internal: every contact (internal unless marked public) and notes.
_INTERNAL_FIELD = re.compile(r"(?:^|\.)(?:contacts|notes)(?:\[|\.|$)")
INTERNAL_VALUE_MESSAGE = ("Meldung nicht angezeigt: betrifft Ansprechpersonen oder Notizen "
                          "(für die Redaktion sichtbar, oder mit python -m partnernetz validate)")


def redact_report(report: ValidationReport, *, full: bool) -> ValidationReport:
    """The report as a viewer may see it.

    ``full`` (the Redaktion and admins) keeps everything. Otherwise the file is
    named without its folder, and findings on internal fields (``contacts``,
    ``notes``) lose their values; findings on public fields stay as they are.
    The auth layer passes ``full=role >= Role.REDAKTION``.
    """
    if full:
        return report
    file = PurePath(report.file).name if report.file else report.file
    issues = tuple(
        replace(issue, file=file,
                message=INTERNAL_VALUE_MESSAGE if _INTERNAL_FIELD.search(issue.field) else issue.message)
        for issue in report.issues
    )
    return ValidationReport(file, issues)


def redact_paths(message: str, paths: Iterable[str | PurePath]) -> str:
    """``message`` with every given path replaced by its file name (for the public)."""
    for path in sorted({str(p) for p in paths}, key=len, reverse=True):
        if path:
            message = message.replace(path, PurePath(path).name)
    return message
