"""Limits: what a registry file may cost before and while it is parsed.

:class:`ParseLimits` holds the settings (defaults below, each overridable by
an environment variable). :func:`scan_yaml` checks nesting depth, the number
of aliases and how much the aliases would expand, from libyaml's event
stream, *before* a recursive parser (ryaml, libyaml's composer) sees the
text. libyaml's event parser keeps its stack on the heap and the scan stops
at the first event over a limit, so a hostile file costs milliseconds.

Imports only the standard library, PyYAML and the errors: the child process of
:mod:`partnernetz.registry.sandbox` loads it without the rest of the package.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

import yaml

from partnernetz.errors import PartnernetzError


# Environment variable of each setting.
def read_positive_settings(
    cls: type, names: Mapping[str, str], environ: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """The fields of the dataclass ``cls`` set in the environment, as positive integers.

    ``names`` maps each field to its environment variable; anything that is not a
    positive whole number is ignored (the default stays).
    """
    environ = os.environ if environ is None else environ
    values = {}
    for item in fields(cls):
        raw = environ.get(names[item.name], "").strip()
        if raw.isdigit() and int(raw) > 0:
            values[item.name] = int(raw)
    return values


ENVIRONMENT = {
    "max_bytes": "PARTNERNETZ_MAX_FILE_BYTES",
    "max_depth": "PARTNERNETZ_MAX_YAML_DEPTH",
    "max_aliases": "PARTNERNETZ_MAX_YAML_ALIASES",
    "max_alias_nodes": "PARTNERNETZ_MAX_YAML_ALIAS_NODES",
    "child_memory_bytes": "PARTNERNETZ_PARSE_MEMORY_BYTES",
    "child_seconds": "PARTNERNETZ_PARSE_SECONDS",
}


@dataclass(frozen=True)
class ParseLimits:
    """Bounds on one registry (or uploaded) YAML file.

    Attributes
    ----------
    max_bytes
        Largest file read at all (100 MB; a 20,000-partner registry is 10 MB).
    max_depth
        Deepest nesting of lists and sections (the registry needs 5).
    max_aliases
        Most ``*name`` aliases in one file.
    max_alias_nodes
        Most values the aliases may add when expanded (alias bombs).
    child_memory_bytes, child_seconds
        Address-space and CPU-time limit of the child process that parses
        untrusted files (see :mod:`partnernetz.registry.sandbox`).
    """

    max_bytes: int = 100_000_000
    max_depth: int = 64
    max_aliases: int = 10_000
    max_alias_nodes: int = 100_000
    child_memory_bytes: int = 1_500_000_000
    child_seconds: int = 30

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ParseLimits:
        """The defaults, with every setting given in the environment (positive integers)."""
        return cls(**read_positive_settings(cls, ENVIRONMENT, environ))


class ParseLimitError(PartnernetzError):
    """A file goes over one of the :class:`ParseLimits`; ``message`` is German."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def scan_yaml(text: str, limits: ParseLimits) -> None:
    """Check nesting depth and aliases of ``text`` against ``limits``.

    Syntax errors are left to the parser, which reports them with their line.

    Raises
    ------
    ParseLimitError
        At the first value over a limit, with its line and column.
    """
    depth = aliases = added = 0
    sizes: dict[str, int] = {}
    stack: list[list] = []  # per open list or section: [anchor, values in it so far]
    seq_start, map_start = yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            kind = type(event)
            if kind is scalar:
                if stack:
                    stack[-1][1] += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif kind is seq_start or kind is map_start:
                depth += 1
                if depth > limits.max_depth:
                    raise _exceeded(event, f"YAML ist zu tief verschachtelt: mehr als "
                                           f"{limits.max_depth} Ebenen von Listen und Abschnitten")
                stack.append([event.anchor, 1])
            elif kind is seq_end or kind is map_end:
                depth -= 1
                anchor, size = stack.pop()
                if stack:
                    stack[-1][1] += size
                if anchor is not None:
                    sizes[anchor] = size
            elif kind is alias:
                aliases += 1
                if aliases > limits.max_aliases:
                    raise _exceeded(event, f"zu viele Aliase (*name): mehr als {limits.max_aliases}")
                size = sizes.get(event.anchor, 1)
                added += size
                if added > limits.max_alias_nodes:
                    raise _exceeded(event, f"die Aliase (*name) fügen beim Auflösen mehr als "
                                           f"{limits.max_alias_nodes:,} Werte ein (Alias-Bombe?)"
                                    .replace(",", "."))
                if stack:
                    stack[-1][1] += size
    except yaml.YAMLError:
        return


def _exceeded(event: yaml.Event, message: str) -> ParseLimitError:
    mark = event.start_mark
    return ParseLimitError(message, line=mark.line + 1, column=mark.column + 1)
