"""Wegweiser veröffentlichen (redaktion and admin): build the public guide into the folder
named by ``PARTNERNETZ_GUIDE_DIR``; show when and from which registry version it was last
published.

dashboard.py registers this page from ``redaktion`` up; the check below holds when the
page is reached some other way. Replacing the public site asks for a confirmation that
names the folder and the number of partners it will hold.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st

from app_pages import cached
from app_pages.shared import get_context, plain
from partnernetz.access import Role
from partnernetz.audit import log_audit
from partnernetz.cli.guide import GUIDE_DIR_VARIABLE, publish_guide
from partnernetz.errors import PartnernetzError
from partnernetz.guide import read_stamp
from partnernetz.guide.languages import app_text
from partnernetz.guide.messages import APP_TEXTS

ctx = get_context()
lang = ctx.lang
identity = ctx.identity
if identity.role < Role.REDAKTION:
    st.stop()


def text(key: str, **values: object) -> str:
    return app_text(APP_TEXTS[key], lang, **values)


def registry_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


st.header(text("nav"))
st.caption(text("intro"))
folder = os.environ.get(GUIDE_DIR_VARIABLE, "").strip()
if not folder:
    st.info(plain(text("no_folder", variable=GUIDE_DIR_VARIABLE)))
    st.stop()
st.caption(plain(text("folder", folder=folder)))
registry = cached.registry_path()
stamp = read_stamp(folder)
if stamp is None:
    st.caption(text("never"))
else:
    version = stamp.registry_sha256[:12] + (f" / {stamp.history_version[:8]}"
                                            if stamp.history_version else "")
    st.markdown(plain(text("last", time=stamp.published.replace("T", " ").removesuffix("Z"),
                           version=version, partners=stamp.partners, pages=stamp.pages)))
    if registry_sha256(registry) == stamp.registry_sha256:
        st.caption(text("unchanged"))
    else:
        st.warning(text("changed"), icon=":material/update:")

partners = ctx.app.dataset.partners
active = int((partners["status"] == "active").sum())
round_ = st.session_state.setdefault("guide.round", 0)  # a new checkbox after each publication
confirmed = st.checkbox(plain(text("confirm", folder=folder, partners=active)),
                        key=f"guide.confirm.{round_}")
if st.button(text("button"), type="primary", disabled=not confirmed, icon=":material/publish:"):
    try:
        with st.spinner(text("running")):
            stamp = publish_guide(registry, folder)
    except PartnernetzError as exc:
        log_audit("publish", user=identity.email, role=identity.role.key, target=Path(folder).name,
                  outcome="failed")
        st.error(str(exc))
    else:
        log_audit("publish", user=identity.email, role=identity.role.key, target=Path(folder).name)
        st.session_state["guide.round"] = round_ + 1
        st.success(text("done", pages=stamp.pages, partners=stamp.partners))
