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
from partnernetz.registry.report import Issue

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------- reading


def read_registry_text(path: str | Path) -> str:
    """Read the registry file as UTF-8 text.

    Raises
    ------
    RegistryFileError
        When the file is missing, unreadable, binary or not UTF-8.
    """
    path = Path(path)
    if not path.exists():
        message = f"{path}: Datei nicht gefunden"
        raise RegistryFileError(message)
    if path.is_dir():
        message = f"{path}: ist ein Ordner, keine Registry-Datei"
        raise RegistryFileError(message)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = f"{path}: Datei kann nicht gelesen werden ({exc.strerror})"
        raise RegistryFileError(message) from None
    if b"\x00" in raw[:4096]:
        message = f"{path}: ist keine Textdatei (YAML erwartet)"
        raise RegistryFileError(message)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"{path}:{line}: Datei ist nicht UTF-8-kodiert (bitte als UTF-8 speichern)"
        raise RegistryFileError(message) from None


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
            if key in out:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, str(key)))
            try:
                out[key] = self.build(value_node)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found unhashable key", key_node.start_mark
                ) from None
        return out


def parse_yaml(text: str, *, file: str) -> tuple[Any, list[Issue]]:
    """Parse YAML safely; syntax errors and duplicate keys become issues.

    The registry is read as YAML 1.2, as editors with yaml-language-server
    read it (``yes`` is text; ``05762`` keeps its leading zero), by the Rust
    parser ``ryaml`` (serde_yaml), several times faster than libyaml's Python
    binding. Files with tags or merge keys, and files it rejects, are read by
    libyaml instead, which reports each problem with its line and column.
    Only plain data is built: a tag such as ``!!python/object`` is an error,
    never executed.

    Returns
    -------
    data, issues
        ``data`` is None when the text could not be parsed.
    """
    if not _NEEDS_LIBYAML.search(text):
        try:
            return ryaml.loads(text), []
        except ryaml.InvalidYamlError:
            pass  # report it precisely below
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.build(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error_issue(exc, file=file)]
    except yaml.YAMLError as exc:
        return None, [Issue(None, "", f"YAML-Fehler: {exc}", file=file)]
    except RecursionError:
        return None, [Issue(None, "", "YAML ist zu tief verschachtelt", file=file)]
    finally:
        loader.dispose()
    issues = [
        Issue(line, key, f"Schlüssel '{key}' kommt doppelt vor; der letzte Wert gilt",
              column=col, file=file)
        for line, col, key in loader.duplicates
    ]
    return data, issues


def _yaml_error_issue(exc: yaml.MarkedYAMLError, *, file: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or ""
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = problem.rsplit("tag", 1)[-1].strip(" '")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML-Tag '{tag}' ist nicht erlaubt; die Datei darf nur einfache Daten enthalten"
    else:
        detail = f"{problem} ({exc.context})" if exc.context else problem
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
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if key_node.value == part:
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
