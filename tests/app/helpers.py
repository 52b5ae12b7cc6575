"""What the AppTests share: a signed-in ``st.user``, the app on test files, the run's texts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.markers import AUTH_SECRETS
from tests.conftest import ROOT


def signed_in(email: str, **claims: object) -> dict:
    """``st.user`` of a fresh sign-in with ``email`` (issued a minute ago); ``claims`` override.

    The name is "Test " and the address's local part (never a role's label), unless
    ``name`` is given.
    """
    return {"is_logged_in": True, "email": email, "name": f"Test {email.split('@')[0]}",
            "iat": time.time() - 60, "exp": time.time() + 3600, **claims}


def use_files(monkeypatch: pytest.MonkeyPatch, registry: Path, access: Path) -> tuple[Path, Path]:
    """Point the app at ``registry`` and ``access`` (``PARTNERNETZ_REGISTRY``/``_ACCESS``)."""
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    return registry, access


def as_redaktion(at: AppTest, monkeypatch: pytest.MonkeyPatch, folder: Path) -> AppTest:
    """Sign ``at`` in as r@example.org, the one Redaktion member of an access file in ``folder``."""
    access = folder / "access-redaktion.yaml"
    access.write_text("roles:\n  redaktion: [r@example.org]\n", encoding="utf-8")
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    at.secrets = dict(AUTH_SECRETS)
    at.user = signed_in("r@example.org", name="R")
    return at


def make_app(user: dict | None = None, *, secrets: dict | None = None) -> AppTest:
    """``dashboard.py`` for ``user`` (None: not signed in) with the test's own secrets.

    ``secrets`` defaults to the test provider's ``[auth]`` (never a developer's
    ``.streamlit/secrets.toml``).
    """
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = dict(AUTH_SECRETS if secrets is None else secrets)
    at.user = user if user is not None else {"is_logged_in": False}
    return at


def open_page(at: AppTest, script: str) -> AppTest:
    """Run the app, then switch to ``script``; neither run may raise."""
    at.run()
    assert not at.exception, at.exception
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


def everything(at: AppTest) -> str:
    """Every element of the run as text: protos (incl. dataframe bytes) and table values."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts.extend(df.value.to_csv() for df in at.dataframe)
    return "\n".join(parts)


def sidebar_texts(at: AppTest) -> str:
    """The sidebar's captions, warnings, infos and button labels, Markdown escapes removed."""
    texts = [*(c.value for c in at.sidebar.caption), *(w.value for w in at.sidebar.warning),
             *(i.value for i in at.sidebar.info), *(b.label for b in at.sidebar.button)]
    return "\n".join(texts).replace("\\", "")
