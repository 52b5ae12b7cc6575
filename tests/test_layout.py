"""The layout's rules, read from the source with a plain AST walk (nothing is imported).

- Arrows run one way: registry → geo → dataset → analysis → views / exchange / operations /
  guide → recheck → cli.
  A module may import its own sub-package, a lower layer, or the top-level helpers
  (errors, files, cache, text, i18n, filters, audit, search). views, exchange and guide do not import
  each other (the cli puts the guide's open data together from exchange).
- The package never imports streamlit (nor streamlit_folium).
- app_pages/ and dashboard.py import only public names of the package.

Imports under ``if TYPE_CHECKING:`` are for annotations only and never run, so
they are not arrows.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "partnernetz"

# Top-level helpers every layer may use; they import only each other.
HELPERS = frozenset({"__init__", "errors", "files", "cache", "text", "i18n", "filters", "audit", "search"})
RANK: dict[str, int] = {
    **dict.fromkeys(HELPERS, 0),
    "registry": 1,
    "geo": 2,
    "access": 2,  # reads its file with registry.parse; dataset redacts by role
    "dataset": 3,
    "analysis": 4,
    "views": 5,
    "exchange": 5,
    "operations": 5,  # init, backup, doctor: registry, geo, access and dataset below it
    "guide": 5,  # the public static site; beside views and exchange
    "recheck": 6,  # the re-check loop: registry writer, e-mails, answers, digest (above views/exchange)
    "cli": 7,
    "__main__": 8,
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) of every import that runs, at any depth.

    ``import a.b`` gives ``("a.b", ())``; ``from a import x, y`` gives ``("a", ("x", "y"))``.
    """
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            module = ("." * node.level) + (node.module or "")
            yield node.lineno, module, tuple(alias.name for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))


def component_of(path: Path) -> str:
    """The layer a package file belongs to: its sub-package or its top-level module name."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else Path(parts[0]).stem


def imported_components(module: str, names: tuple[str, ...]) -> list[str]:
    """The package layers an import reaches (empty when it is not the package)."""
    parts = module.split(".")
    if parts[0] != "partnernetz":
        return []
    if len(parts) > 1:
        return [parts[1]]
    return [name for name in names if not name.startswith("__")]  # from partnernetz import x, y


def arrow_violations(source: str, component: str, *, where: str = "<source>") -> list[str]:
    """Every import in ``source`` (a module of ``component``) that runs against the arrows."""
    problems = []
    own = RANK[component]
    for line, module, names in runtime_imports(ast.parse(source)):
        if module.startswith("."):
            problems.append(f"{where}:{line}: relative import {module!r}")
            continue
        top = module.split(".")[0]
        if top == "streamlit" or top.startswith("streamlit_"):
            problems.append(f"{where}:{line}: imports {module}")
        for target in imported_components(module, names):
            if target == component:
                continue
            if target not in RANK:
                problems.append(f"{where}:{line}: imports partnernetz.{target}, a layer unknown to RANK")
            elif component in HELPERS and target in HELPERS:
                continue
            elif RANK[target] >= own:
                problems.append(f"{where}:{line}: {component} imports {target} (an arrow back up)")
    return problems


def private_names(source: str, *, where: str = "<source>") -> list[str]:
    """Private names of the package that a page script uses."""
    tree = ast.parse(source)
    problems = []
    modules: set[str] = set()  # local names bound to package modules
    for line, module, names in runtime_imports(tree):
        if not module.startswith("partnernetz"):
            continue
        if any(part.startswith("_") and part != "__main__" for part in module.split(".")):
            problems.append(f"{where}:{line}: imports private module {module}")
        for name in names:
            if name.startswith("_"):
                problems.append(f"{where}:{line}: imports private name {name} from {module}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("partnernetz"):
            for alias in node.names:
                if alias.name[:1].islower():
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and node.attr.startswith("_")):
            problems.append(f"{where}:{node.lineno}: uses private {node.value.id}.{node.attr}")
    return problems


PACKAGE_FILES = sorted(PACKAGE.rglob("*.py"))
PAGE_FILES = [*sorted((ROOT / "app_pages").glob("*.py")), ROOT / "dashboard.py"]


def test_layout_walk_finds_the_package_and_its_imports() -> None:
    edges = [
        target
        for path in PACKAGE_FILES
        for _, module, names in runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        for target in imported_components(module, names)
    ]
    layers = {component_of(p) for p in PACKAGE_FILES}
    assert layers >= {"registry", "geo", "analysis", "views", "exchange", "operations", "guide", "cli"}
    assert len(edges) > 50


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_package_module_imports_only_downwards(path: Path) -> None:
    component = component_of(path)
    assert component in RANK, f"{path}: new layer {component!r}, add it to RANK"
    assert arrow_violations(path.read_text(encoding="utf-8"), component, where=str(path)) == []


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_uses_only_public_names(path: Path) -> None:
    assert private_names(path.read_text(encoding="utf-8"), where=str(path)) == []


@pytest.mark.parametrize(
    ("source", "component", "expected"),
    [
        ("from partnernetz.analysis.matrix import GREEN\n", "registry", "registry imports analysis"),
        ("from partnernetz.geo import gazetteer\n", "registry", "registry imports geo"),
        ("from partnernetz import views\n", "analysis", "analysis imports views"),
        ("from partnernetz.exchange.export import to_csv_bytes\n", "views", "views imports exchange"),
        ("from partnernetz.exchange import hsds\n", "guide", "guide imports exchange"),
        ("from partnernetz.views.cards import card_html\n", "guide", "guide imports views"),
        ("def f():\n    from partnernetz.views import maps\n", "dataset", "dataset imports views"),
        ("import streamlit as st\n", "views", "imports streamlit"),
        ("import streamlit_folium\n", "analysis", "imports streamlit_folium"),
        ("from partnernetz.dataset import load_dataset\n", "files", "files imports dataset"),
    ],
)
def test_arrow_check_reports_a_back_arrow(source: str, component: str, expected: str) -> None:
    problems = arrow_violations(source, component)
    assert any(expected in p for p in problems), problems


def test_arrow_check_accepts_downward_and_type_only_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from partnernetz.registry.models import Target\n"
        "from partnernetz.errors import ExportError\n"
        "from partnernetz.analysis.reach import Reach\n"
        "if TYPE_CHECKING:\n"
        "    from partnernetz.views.maps import SelfHostedMap\n"
    )
    assert arrow_violations(source, "analysis") == []


def test_private_name_check_reports_private_imports_and_attributes() -> None:
    source = (
        "from partnernetz.views.tables import _pick, format_date\n"
        "from partnernetz.geo import gazetteer\n"
        "gazetteer._GEO_DIR\n"
        "gazetteer.load_towns\n"
    )
    problems = private_names(source)
    assert len(problems) == 2
    assert "_pick" in problems[0] and "gazetteer._GEO_DIR" in problems[1]
