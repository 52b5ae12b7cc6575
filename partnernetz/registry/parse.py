"""Parse: reading the registry YAML with the line number of every node.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

import ryaml
import yaml

from partnernetz.errors import RegistryFileError
from partnernetz.files import read_regular_file
from partnernetz.registry.limits import ENVIRONMENT, ParseLimitError, ParseLimits, scan_yaml
from partnernetz.registry.report import Issue

__all__ = ["ParseLimits", "YamlLocator", "decode_registry_bytes", "parse_yaml", "read_registry_text"]

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------- reading


def read_registry_text(path: str | Path, *, limits: ParseLimits | None = None) -> str:
    """Read the registry file as UTF-8 text, within ``limits``.

    Only regular files are read (never a device such as ``/dev/zero``, a
    named pipe or a folder), and at most ``limits.max_bytes``.

    Raises
    ------
    RegistryFileError
        When the file is missing, not a regular file, too large, unreadable,
        binary, UTF-16 or otherwise not UTF-8.
    """
    limits = limits or ParseLimits.from_environment()
    path = Path(path)
    if str(path).strip() == "":
        raise RegistryFileError("Kein Dateiname angegeben")
    raw = read_regular_file(path, max_bytes=limits.max_bytes, error=RegistryFileError, what="Datei",
                            kind="Registry-Datei", too_large=lambda size: _too_large(path, size, limits))
    return decode_registry_bytes(raw, path=path)


def _too_large(path: Path, size: int, limits: ParseLimits) -> str:
    return (f"{path}: Datei ist zu groß ({size / 1e6:.1f} MB; höchstens "
            f"{limits.max_bytes / 1e6:.0f} MB, Einstellung {ENVIRONMENT['max_bytes']})")


def decode_registry_bytes(raw: bytes, *, path: str | Path) -> str:
    """The bytes of a registry file as text: UTF-8 (with or without BOM).

    Raises
    ------
    RegistryFileError
        UTF-16 or UTF-32 (say so and how to fix it), binary, or not UTF-8.
    """
    head = raw[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        raise RegistryFileError(
            f"{path}: Datei ist UTF-16-kodiert; bitte als UTF-8 speichern "
            "(z. B. im Editor: Speichern unter … Kodierung UTF-8)"
        )
    if b"\x00" in head:
        raise RegistryFileError(f"{path}: ist keine Textdatei (YAML erwartet)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"{path}:{line}: Datei ist nicht UTF-8-kodiert (bitte als UTF-8 speichern)"
        raise RegistryFileError(message) from None


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without BOM: every other byte of ASCII text is zero."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > 0.9 * len(odd) or even.count(0) > 0.9 * len(even)


# Tags (reported as errors) and merge keys (applied) are left to libyaml.
_NEEDS_LIBYAML = re.compile(r"(?:^|[\s\[{,])!|<<", re.MULTILINE)
_LEADING_ZERO = re.compile(r"^0[0-9]+$")
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader, made fast for large registries.

    libyaml composes the node tree in C. Two things of the stock loader are
    slow in Python and replaced here: tag resolution of plain scalars (most
    can only be strings, judged by their first character) and the
    generator-based construction. Duplicate keys are reported on the way.
    """

    _IMPLICIT_FIRST = frozenset(yaml.CSafeLoader.yaml_implicit_resolvers)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, int, str]] = []
        self._built: dict[int, Any] = {}
        self._building: set[int] = set()
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            if (value and value[0] not in self._IMPLICIT_FIRST) or _LEADING_ZERO.match(value):
                return _STR_TAG  # keys like 05762 stay text, never YAML 1.1 octal numbers
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def build(self, node: yaml.Node) -> Any:
        """Plain Python data for ``node``; shared (anchored) nodes are built once."""
        key = id(node)
        if key in self._built:
            return self._built[key]
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR_TAG else self.construct_object(node)
        if node.tag not in (_MAP_TAG, _SEQ_TAG) or key in self._building:
            return self.construct_object(node, deep=True)  # custom tags, recursion: stock path
        self._building.add(key)
        if isinstance(node, yaml.SequenceNode):
            value: Any = [self.build(child) for child in node.value]
        else:
            value = self._build_mapping(node)
        self._building.discard(key)
        self._built[key] = value
        return value

    def _build_mapping(self, node: yaml.MappingNode) -> Any:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                return self.construct_object(node, deep=True)
            key = self.build(key_node)
            try:
                duplicate = key in out
            except TypeError:  # a list or a section as a key
                raise yaml.constructor.ConstructorError(
                    None, None, "found unhashable key", key_node.start_mark
                ) from None
            if duplicate:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, str(key)))
            out[key] = self.build(value_node)
        return out


def parse_yaml(
    text: str, *, file: str, limits: ParseLimits | None = None
) -> tuple[Any, list[Issue]]:
    """Parse YAML safely; limits, syntax errors and duplicate keys become issues.

    First :func:`~partnernetz.registry.limits.scan_yaml` checks nesting depth
    and aliases against ``limits``, before any recursive parser sees the
    text. Then the registry is read as YAML 1.2, as editors with
    yaml-language-server read it (``yes`` is text; ``05762`` keeps its leading
    zero), by the Rust parser ``ryaml`` (serde_yaml), several times faster
    than libyaml's Python binding. Files with tags or merge keys, and files it
    rejects, are read by libyaml instead, which reports each problem with its
    line and column. Only plain data is built: a tag such as
    ``!!python/object`` is an error, never executed.

    Returns
    -------
    data, issues
        ``data`` is None when the text could not be parsed.
    """
    limits = limits or ParseLimits.from_environment()
    try:
        scan_yaml(text, limits)
    except ParseLimitError as exc:
        return None, [Issue(exc.line, "", exc.message, column=exc.column, file=file)]
    if not _NEEDS_LIBYAML.search(text):
        try:
            return ryaml.loads(text), []
        except (ryaml.InvalidYamlError, ValueError, TypeError):
            pass  # report it precisely below (a list as a key is a ValueError)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.build(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        return None, [_reader_error_issue(exc, text, file=file)]
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error_issue(exc, file=file)]
    except yaml.YAMLError as exc:
        return None, [Issue(None, "", f"YAML-Fehler: {exc}", file=file)]
    except RecursionError:
        message = f"YAML ist zu tief verschachtelt (mehr als {limits.max_depth} Ebenen)"
        return None, [Issue(None, "", message, file=file)]
    finally:
        loader.dispose()
    issues = [
        Issue(line, key, f"Schlüssel '{key}' kommt doppelt vor; der letzte Wert gilt",
              column=col, file=file)
        for line, col, key in loader.duplicates
    ]
    return data, issues


def _reader_error_issue(exc: yaml.reader.ReaderError, text: str, *, file: str) -> Issue:
    """libyaml's "unacceptable character … position N" with line, column and the character."""
    position = max(0, min(int(exc.position), len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    message = (f"unzulässiges Zeichen U+{char:04X} (Steuerzeichen); YAML erlaubt nur druckbare "
               "Zeichen, Tabulator und Zeilenumbruch")
    return Issue(line, "", message, column=column, file=file)


# libyaml's problems and contexts in German; anything else is shown as it is.
_PROBLEMS_DE = {
    "mapping values are not allowed here":
        "Doppelpunkt an unerwarteter Stelle (einen Wert mit ': ' bitte in Anführungszeichen setzen)",
    "could not find expected ':'": "erwarteter Doppelpunkt ':' fehlt",
    "did not find expected key": "erwarteter Schlüssel fehlt (Einrückung prüfen)",
    "did not find expected '-' indicator": "erwarteter Listenstrich '-' fehlt (Einrückung prüfen)",
    "did not find expected node content": "erwarteter Wert fehlt",
    "did not find expected ',' or ']'": "erwartetes ',' oder ']' fehlt",
    "did not find expected ',' or '}'": "erwartetes ',' oder '}' fehlt",
    "found character that cannot start any token":
        "Zeichen, mit dem kein YAML-Wert beginnen darf (Tabulator, @ oder `? bitte in "
        "Anführungszeichen setzen)",
    "found unexpected end of stream":
        "Datei endet unerwartet (Anführungszeichen oder Klammer nicht geschlossen?)",
    "found unhashable key": "eine Liste oder ein Abschnitt kann kein Schlüssel sein",
    "found unknown escape character": "unbekannte Escape-Sequenz (\\) in Text mit \"…\"",
    "found a tab character that violates indentation":
        "Tabulator in der Einrückung (bitte Leerzeichen verwenden)",
    "found a tab character where an indentation space is expected":
        "Tabulator in der Einrückung (bitte Leerzeichen verwenden)",
    "found unexpected ':'": "unerwarteter Doppelpunkt ':'",
    "expected the node content, but found '<block end>'": "erwarteter Wert fehlt",
}
_CONTEXTS_DE = {
    "while scanning a simple key": "in einem Schlüssel",
    "while parsing a block mapping": "in einem Abschnitt",
    "while parsing a block collection": "in einer Liste",
    "while parsing a flow sequence": "in einer Liste [ … ]",
    "while parsing a flow mapping": "in einem Abschnitt { … }",
    "while scanning a quoted scalar": "in einem Text in Anführungszeichen",
    "while scanning a double-quoted scalar": "in einem Text in Anführungszeichen",
    "while scanning a plain scalar": "in einem Text",
    "while parsing a block node": "in einem Wert",
    "while parsing a flow node": "in einem Wert",
    "while scanning an alias": "in einem Alias (*name)",
    "while scanning an anchor": "in einem Anker (&name)",
    "while composing a mapping": "in einem Abschnitt",
    "while constructing a mapping": "in einem Abschnitt",
    "found undefined alias": "unbekannter Alias (*name ohne &name davor)",
}


def _yaml_error_issue(exc: yaml.MarkedYAMLError, *, file: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        quoted = re.search(r"'([^']*)'", problem)
        tag = quoted.group(1) if quoted else problem.rsplit(" ", 1)[-1]
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML-Tag '{tag}' ist nicht erlaubt; die Datei darf nur einfache Daten enthalten"
    elif problem.startswith("found undefined alias"):
        name = problem.removeprefix("found undefined alias").strip(" '")
        message = f"YAML-Syntaxfehler: unbekannter Alias *{name} (kein &{name} davor)"
    else:
        detail = _PROBLEMS_DE.get(problem.strip(), problem)
        if exc.context:
            detail += f" ({_CONTEXTS_DE.get(exc.context.strip(), exc.context)})"
        message = f"YAML-Syntaxfehler: {detail}"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Issue(line, "", message, column=column, file=file)


class YamlLocator:
    """Finds the line of a field path in YAML text; composes the text lazily."""

    def __init__(self, text: str) -> None:
        self._text = text

    @cached_property
    def _root(self) -> yaml.Node | None:
        try:
            return yaml.compose(self._text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return None

    def line(self, loc: Loc) -> int | None:
        """1-based line of the deepest node on ``loc`` that exists."""
        node = self._root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(part):
                        child, line = value_node, key_node.start_mark.line + 1
                        break
            elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
                  and 0 <= part < len(node.value)):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                return line
            node = child
        return line
