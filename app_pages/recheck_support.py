"""The re-check loop's settings for the pages: link key, base URL, SMTP relay (from the secrets)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app_pages import cached
from partnernetz.errors import PartnernetzError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.recheck.mails import SmtpSettings, smtp_settings
from partnernetz.recheck.settings import RecheckSettings, read_settings, settings_key


def secrets_section(name: str) -> Mapping[str, Any] | None:
    """One section of ``.streamlit/secrets.toml`` (None when absent)."""
    try:
        section = st.secrets.get(name)
    except StreamlitSecretNotFoundError:
        return None
    return section if isinstance(section, Mapping) and section else None


def recheck_settings() -> RecheckSettings:
    """``[recheck]`` (defaults without it; RecheckError when a value is wrong)."""
    return read_settings(secrets_section("recheck"))


def link_settings() -> tuple[RecheckSettings, bytes]:
    """``[recheck]`` and the link key; RecheckError when no usable secret is set."""
    settings = recheck_settings()
    return settings, settings_key(settings, secrets_section("auth"))


def smtp() -> SmtpSettings | None:
    """The SMTP relay of ``[smtp]``, None without one (RecheckError when it is wrong)."""
    return smtp_settings(secrets_section("smtp"))


def base_url(settings: RecheckSettings) -> str:
    """Where links point: ``[recheck] base_url``, else the address this page was opened at."""
    if settings.base_url:
        return settings.base_url.rstrip("/")
    try:
        url = st.context.url or ""
    except (AttributeError, RuntimeError):
        url = ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return "http://localhost:8501"


def app_base_url() -> str:
    """The app's own address for links handed on (``[recheck] base_url`` when it is set and valid)."""
    try:
        settings = recheck_settings()
    except PartnernetzError:
        settings = RecheckSettings()
    return base_url(settings)


def registry_path() -> Path:
    """The registry the app shows."""
    return cached.registry_path()


def towns_source() -> GazetteerTowns:
    """The gazetteer for the writer's town checks."""
    gaz, pop = cached.geo_paths()
    return GazetteerTowns(gaz, pop)


def region_name() -> str:
    """The region's name (from the public dataset); empty when it cannot be loaded."""
    try:
        return cached.load_app_data(registry_path()).dataset.region.name
    except PartnernetzError:
        return ""
