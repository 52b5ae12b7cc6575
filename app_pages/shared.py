"""What dashboard.py hands to every page: the loaded data, language, filters, the link, the viewer."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app_pages import cached
from app_pages.cached import AppData
from app_pages.shell import apply_document_language, render_footer  # noqa: F401 - re-exported
from partnernetz.access import (
    PUBLIC,
    Identity,
    Role,
    SignIn,
    SignInEvent,
    ensure_log_handler,
    resolve_sign_in,
)
from partnernetz.access.secret import SECRET_COMMAND, weak_secret_kind, weak_secret_reason
from partnernetz.analysis.matrix import RED
from partnernetz.analysis.phrases import describe_no_white_spots
from partnernetz.audit import log_audit
from partnernetz.dataset import Dataset
from partnernetz.filters import FilterSpec
from partnernetz.i18n import t
from partnernetz.views.downloads import name_download
from partnernetz.views.map_widget import BASEMAPS
from partnernetz.views.maps import STATIC_URL
from partnernetz.views.tables import MEASURES

CONTEXT_KEY = "partnernetz.context"
LOG = logging.getLogger("partnernetz.access")
CONFIRM_LANG_KEY = "confirm.lang"  # the language the answer page (/bestaetigen) chose
# The page parameters of the URL and the values they may take (partnernetz.views.links).
# "ansicht": the directory's grid or table; "kartenwert": the coverage map's figure (checked there).
DIRECTORY_VIEWS = ("raster", "tabelle")
PAGE_CHOICES: dict[str, Sequence[str]] = {"kennzahl": MEASURES, "hintergrund": tuple(BASEMAPS),
                                          "ansicht": DIRECTORY_VIEWS}


@dataclass(frozen=True)
class PageContext:
    """The state of one script run, built by dashboard.py before the page runs."""

    app: AppData
    lang: str
    spec: FilterSpec
    partners: gpd.GeoDataFrame  # the dataset's partners after the sidebar filters
    identity: Identity = PUBLIC  # the viewer; ``app`` is already redacted for its role
    link_page: dict[str, str] = field(default_factory=dict)  # page parameters of the view
    page_params: dict[str, str] = field(default_factory=dict)  # filled by the page: kept in the URL
    seed: bool = False  # the view came from the URL: widgets take its values

    @property
    def dataset(self) -> Dataset:
        """The whole dataset (unfiltered)."""
        return self.app.dataset

    def page_choice(self, param: str, options: Sequence[str], *, default: str,
                    per_language: bool = False) -> str:
        """Prepare the widget of a page parameter; returns its widget key.

        The widget (keyed ``w.<param>``) starts from the link's value; the page
        passes the widget's value to :meth:`keep` afterwards. ``per_language``:
        one key per language (``w.<param>.<lang>``), for a selectbox, which keeps
        its label and would go on showing the other language's after a switch.
        """
        key = f"w.{param}.{self.lang}" if per_language else f"w.{param}"
        if self.seed or key not in st.session_state:
            value = self.link_page.get(param, default)
            st.session_state[key] = value if value in options else default
        return key

    def download_stem(self, what: str | None = None, *, scope: str | None = None) -> str:
        """The file-name stem of a download of this view: region, filters, Stand."""
        spec = self.spec
        names = dict(zip(self.dataset.towns["ags"], self.dataset.towns["name"], strict=True))
        other = bool(spec.stages or spec.target_groups or spec.languages or spec.statuses
                     or spec.query.strip() or spec.verified)
        return name_download(self.dataset.region.name, what=what,
                             towns=[names.get(a, a) for a in spec.towns],
                             categories=spec.categories, filtered=other, scope=scope,
                             stand=self.app.stand, lang=self.lang)

    def keep(self, param: str, value: str | None, *, default: str | None = None) -> None:
        """Keep a page parameter in the URL (left out when it is the default)."""
        if value and value != default:
            self.page_params[param] = value


def set_context(context: PageContext) -> None:
    """Store the run's context for the page (dashboard.py only)."""
    st.session_state[CONTEXT_KEY] = context


def clear_context() -> None:
    """Drop the run's context at the end of the run (dashboard.py only).

    The context refers to the shared data and the filtered partners; keeping
    it in the session would hold them per session between runs.
    """
    st.session_state.pop(CONTEXT_KEY, None)


class PageEnd(Exception):  # noqa: N818 - a signal, not an error
    """Raised by :func:`end_page`; dashboard.py catches it after the page."""


def end_page() -> NoReturn:
    """End the page here, like ``st.stop()``, but let the shell finish its run.

    ``st.stop()`` also stops the shell's ``finally``: the view would not reach
    the URL (a zero-result search kept the old ``?suche=``) and the footer
    would be missing. The shell catches :class:`PageEnd` and carries on.
    """
    raise PageEnd


def get_context() -> PageContext:
    """The run's context. Pages run inside dashboard.py, which sets it first."""
    context = st.session_state.get(CONTEXT_KEY)
    if context is None:
        st.error("Bitte die App über dashboard.py starten: streamlit run dashboard.py")
        st.stop()
    return context


# --------------------------------------------------------------------------- sign-in


@dataclass(frozen=True)
class Provider:
    """One sign-in button: ``name`` for ``st.login`` (None: the default provider)."""

    name: str | None
    label: str | None


def auth_section() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of the secrets; None when sign-in is not set up."""
    try:
        section = st.secrets.get("auth")
    except StreamlitSecretNotFoundError:
        return None
    return section if isinstance(section, Mapping) and section else None


def configured_providers(section: Mapping[str, Any] | None = None) -> list[Provider]:
    """The providers of ``[auth]``: the default one (keys directly under ``[auth]``)
    first, then each ``[auth.NAME]``; an optional ``label`` names its button."""
    section = auth_section() if section is None else section
    if not section:
        return []
    provider_keys = {"client_id", "server_metadata_url"}
    found = []
    if provider_keys & set(section):
        found.append(Provider(None, section.get("label")))
    for name, sub in section.items():
        if isinstance(sub, Mapping) and provider_keys & set(sub):
            found.append(Provider(str(name), sub.get("label") or str(name)))
    return found


def sign_in_off_kind(section: Mapping[str, Any] | None = None) -> str | None:
    """Why sign-in is off although ``[auth]`` names a provider: the kind of weak
    ``cookie_secret`` (``partnernetz.access.secret.weak_secret_kind``), else None.

    Whoever knows the secret forges any identity cookie, admins included. The
    reason goes to the server log once per process and reason.
    """
    section = auth_section() if section is None else section
    if not section or not configured_providers(section):
        return None
    kind = weak_secret_kind(section.get("cookie_secret"))
    if kind is not None:
        cached.log_once(LOG, "Anmeldung ausgeschaltet: "
                        + (weak_secret_reason(section.get("cookie_secret")) or kind)
                        + " Ein neues cookie_secret erzeugen mit: " + SECRET_COMMAND)
    return kind


def auth_providers(section: Mapping[str, Any] | None = None) -> list[Provider]:
    """The sign-in buttons: the providers of ``[auth]``, none while its
    ``cookie_secret`` is weak (sign-in stays off, ``st.user`` is ignored)."""
    section = auth_section() if section is None else section
    if sign_in_off_kind(section) is not None:
        return []
    return configured_providers(section)


def user_claims() -> dict[str, Any]:
    """``st.user`` as a plain dict (empty when nobody is signed in)."""
    try:
        return dict(st.user.to_dict())
    except (AttributeError, KeyError):
        return {}


def current_sign_in() -> SignIn:
    """The viewer of this run, with the reason for their role.

    Without ``[auth]`` in the secrets, or with a weak ``cookie_secret``,
    everybody is public (``st.user`` is not even read). The access file is
    read again when it changes, so a removed role ends on the next interaction.
    An expired sign-in, an unverified e-mail address or an invalid access file
    gives no rights at all, neither a role nor the entries one owns
    (``SignIn.identity`` is public then; see ``partnernetz.access.session``).
    """
    if not auth_providers():
        return SignIn(PUBLIC, "public")
    state = cached.access_state()
    return resolve_sign_in(user_claims(), state.policy, now=dt.datetime.now(dt.UTC))


def current_identity() -> Identity:
    """Who is looking, with their rights: e-mail, name, role and groups (PUBLIC when
    not signed in, and when the sign-in is expired, unverified or the access file invalid)."""
    return current_sign_in().identity


SIGN_IN_LOGGED_KEY = "partnernetz.sign_in_logged"
_MARKDOWN_SPECIALS = "\\`*_[]<>#|~$"


def show_what_is_counted(ctx: PageContext, *, active: int) -> None:
    """Above coverage figures: the selected towns, the filters the figures follow, and
    a stop with "Kein Partner passt zu den Filtern" when ``active`` partners are 0."""
    lang = ctx.lang
    if ctx.spec.towns:
        st.info(t("coverage.towns_selected", lang, n=len(ctx.spec.towns),
                  total=len(ctx.dataset.towns)), icon=":material/filter_alt:")
    note = cached.filter_note(ctx.app, ctx.spec.without_towns(), lang)
    if note:
        st.caption(t("coverage.filtered_by", lang, note=note))
    if active == 0:
        st.info(t("coverage.no_match", lang), icon=":material/search_off:")
        end_page()  # no white spot is listed for a selection nobody matches


def no_white_spots_text(ctx: PageContext, matrix: pd.DataFrame) -> str:
    """"No white spots", said for the selected towns and naming every filter that shaped it.

    ``matrix`` is the coverage matrix of all towns (the analysis ignores the town
    filter): white spots outside the selected towns are named, so that "none
    here" is never read as "none in the region".
    """
    spec, lang = ctx.spec, ctx.lang
    names = dict(zip(ctx.dataset.towns["ags"], ctx.dataset.towns["name"], strict=True))
    red = matrix[(matrix["status"] == RED) & ~matrix["ags"].isin(spec.towns)] if spec.towns else None
    return describe_no_white_spots(
        towns=[names.get(a, a) for a in spec.towns],
        note=cached.filter_note(ctx.app, spec.without_towns(), lang),
        elsewhere=[] if red is None else list(red["town"]), lang=lang)


def white_spots_scope(ctx: PageContext) -> str | None:
    """"Gezählt nur: …" under a list of white spots found with filters; None without."""
    note = cached.filter_note(ctx.app, ctx.spec.without_towns(), ctx.lang)
    return t("coverage.scope_counted", ctx.lang, note=note) if note else None


def plain(text: str) -> str:
    """``text`` escaped so that Streamlit's Markdown shows it literally."""
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIALS else ch for ch in text)


def record_sign_in(sign_in: SignIn) -> None:
    """Log a sign-in or a denial once per session (again when the outcome changes).

    Goes to the server log, the audit log (``sign_in`` / ``sign_in_denied``)
    and the in-memory journal of the "Zugang" page: time, e-mail, role and
    outcome only.
    """
    if sign_in.status == "public":
        return
    claimed = sign_in.claimed
    role = sign_in.identity.role
    seen = (claimed.email, sign_in.status, int(role))
    if st.session_state.get(SIGN_IN_LOGGED_KEY) == seen:
        return
    st.session_state[SIGN_IN_LOGGED_KEY] = seen
    ensure_log_handler()
    cached.sign_in_journal().record(SignInEvent(
        time=dt.datetime.now(dt.UTC), email=claimed.email or "", role=role,
        status=sign_in.status,
    ))
    if sign_in.status == "granted":
        log_audit("sign_in", user=claimed.email, role=role.key)
    else:
        log_audit("sign_in_denied", user=claimed.email, role=role.key, outcome=sign_in.status)


def audited_download(build: Callable[[], bytes], *, viewer: Identity,
                     file_name: str) -> Callable[[], bytes]:
    """``build`` as the (deferred) data of a download button.

    For a viewer whose role sees internal contacts each download is written to
    the audit log when it is made (``export_internal``: e-mail, role, file
    name). Streamlit runs the callable on the click, outside the script run.
    """
    if not viewer.role.sees_internal_contacts:
        return build
    return functools.partial(_build_audited, build, user=viewer.email, role=viewer.role.key,
                             target=file_name)


def _build_audited(build: Callable[[], bytes], *, user: str | None, role: str, target: str) -> bytes:
    data = build()
    log_audit("export_internal", user=user, role=role, target=target)
    return data


def audit_identity(event: str, viewer: Identity, *, target: str | None,
                   outcome: str = "ok") -> None:
    """An audit event of ``viewer`` (their e-mail and role; ids or file names as target)."""
    log_audit(event, user=viewer.email, role=viewer.role.key, target=target, outcome=outcome)


def is_access_admin(sign_in: SignIn) -> bool:
    """True for an admin, and for an address listed as admin in a broken access file
    (it gives no rights, it only shows that person why the file is invalid)."""
    if sign_in.identity.role >= Role.ADMIN:
        return True
    email = sign_in.claimed.email
    if sign_in.status != "invalid_access" or not email:
        return False
    return email.strip().lower() in cached.access_state().admins


def asset_base() -> str:
    """Where the browser finds ``static/vendor`` (honours ``server.baseUrlPath``, e.g. behind
    nginx under ``/partnernetz/``): every map page passes it to its map."""
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{prefix}{STATIC_URL}" if prefix else STATIC_URL
