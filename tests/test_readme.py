"""The README tells the truth about the app (issue 18 §9): every page of dashboard.py's navigation,
every role, and how `make demo-login` is reached."""

from __future__ import annotations

import re
from pathlib import Path

from partnernetz.access.roles import Role
from partnernetz.guide.languages import app_text
from partnernetz.guide.messages import APP_TEXTS
from partnernetz.i18n import t

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DASHBOARD = (ROOT / "dashboard.py").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of the README's ``## title`` section (to the next ``## ``)."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def test_readme_names_every_page_of_the_navigation():
    keys = re.findall(r'st\.Page\("app_pages/\w+\.py", title=t\("([\w.]+)", lang\)', DASHBOARD)
    assert {"nav.edit", "nav.import", "access.nav", "nav.history"} <= set(keys)  # the parse works
    titles = [t(key, "de") for key in keys if key != "confirm.title"]
    assert 'title=app_text(APP_TEXTS["nav"], lang)' in DASHBOARD
    titles.append(app_text(APP_TEXTS["nav"], "de"))  # the guide's page has its own catalog
    using = section("Using the app")
    missing = [title for title in titles if title not in using]
    assert not missing, f"README 'Using the app' does not name {missing}"
    paths = set(re.findall(r'url_path="([\w-]+)"', DASHBOARD))
    assert "bestaetigen" in paths and "/bestaetigen" in using  # the page in no menu


def test_role_table_lists_every_role_and_its_pages():
    table = section("Sign-in and roles")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `?(\w+)`?[^\n]*", table, re.M)}
    for role in Role:
        if role is Role.PUBLIC:
            assert "public (not signed in)" in table
            continue
        assert role.key in rows, f"role {role.key} missing from the README's table"
    assert "next issue" not in table
    for page in ("Bearbeiten", "Prüfliste", "Historie", "Import", "Wegweiser"):
        assert page in rows["redaktion"], f"redaktion's row does not name {page}"
    assert "Zugang" in rows["admin"] and "whole registry" in rows["admin"]


def test_demo_login_says_its_port_and_how_to_change_it():
    script = (ROOT / "scripts" / "demo_login.py").read_text(encoding="utf-8")
    port = re.search(r'"PARTNERNETZ_DEMO_APP_PORT", "(\d+)"', script).group(1)
    demo = README[README.index("make demo-login`"):]
    assert f"http://127.0.0.1:{port}" in demo[:600]
    assert "PARTNERNETZ_DEMO_APP_PORT=" in demo[:1500]
