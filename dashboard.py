"""Partnernetz: the Streamlit entry point.

Run with ``make run`` (or ``streamlit run dashboard.py -- --registry PATH``).
This script sets the page config, loads the registry, draws the shared
sidebar (language and filters, all kept in the URL) and runs the chosen page.
Errors of the package are caught here, in one place, and shown with st.error.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Partnernetz", layout="wide",
                   page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"))

from pages import cached  # noqa: E402 - set_page_config must come first
from pages.shared import (  # noqa: E402
    PageContext,
    apply_document_language,
    auth_providers,
    current_sign_in,
    is_access_admin,
    plain,
    record_sign_in,
    render_footer,
    set_context,
)
from partnernetz.access import Role, SignIn  # noqa: E402
from partnernetz.errors import PartnernetzError, RegistryValidationError  # noqa: E402
from partnernetz.filters import FilterSpec, apply_filters  # noqa: E402
from partnernetz.i18n import LANGUAGES, t  # noqa: E402
from partnernetz.registry.report import ValidationReport  # noqa: E402
from partnernetz.registry.vocabulary import STAGES, STATUSES, TARGET_GROUPS, language_name  # noqa: E402
from partnernetz.views import lists  # noqa: E402

FILTER_KEYS = ("ort", "kategorie", "stufe", "zielgruppe", "sprache", "status", "suche",
               "ueberoertlich")


def show_report(report: ValidationReport, lang: str) -> None:
    """The validation report as a readable list (German messages)."""
    st.error(t("shell.invalid_registry", lang, file=report.file))
    st.markdown(f"**{report.summary()}**")
    rows = [
        {"Zeile": issue.line, "Feld": issue.field,
         "Art": "Fehler" if issue.severity == "error" else "Warnung", "Meldung": issue.message}
        for issue in report.issues
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.code(report.format(), language=None)


def reset_filters() -> None:
    """Callback of "Filter zurücksetzen": every filter back to its default."""
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = "" if key == "suche" else (False if key == "ueberoertlich" else [])


def sidebar_filters(app: cached.AppData, lang: str) -> FilterSpec:
    """The shared filters; each widget is bound to a query parameter of the URL."""
    dataset = app.dataset
    towns = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    languages = sorted(
        {code for codes in dataset.partners["languages"] for code in codes},
        key=lambda code: language_name(code, lang),
    )
    side = st.sidebar
    side.subheader(t("filter.header", lang))
    query = side.text_input(t("filter.query", lang), key="suche", bind="query-params",
                            help=t("filter.query_help", lang))
    picked_towns = side.multiselect(t("filter.towns", lang), list(towns), key="ort",
                                    bind="query-params", format_func=towns.__getitem__,
                                    placeholder=t("filter.all", lang))
    include_serving = False
    if picked_towns:
        include_serving = side.checkbox(t("filter.include_serving", lang), key="ueberoertlich",
                                        bind="query-params")
    categories = side.multiselect(
        t("filter.categories", lang), list(dataset.categories), key="kategorie",
        bind="query-params", format_func=lambda k: dataset.categories[k].label(lang),
        placeholder=t("filter.all", lang),
    )
    stages = side.multiselect(t("filter.stages", lang), list(STAGES), key="stufe",
                              bind="query-params", format_func=lambda k: STAGES[k].de if lang == "de"
                              else STAGES[k].en, placeholder=t("filter.all", lang))
    groups = side.multiselect(t("filter.target_groups", lang), list(TARGET_GROUPS), key="zielgruppe",
                              bind="query-params", format_func=lambda k: TARGET_GROUPS[k].de
                              if lang == "de" else TARGET_GROUPS[k].en,
                              placeholder=t("filter.all", lang))
    langs = side.multiselect(t("filter.languages", lang), languages, key="sprache",
                             bind="query-params", format_func=lambda c: language_name(c, lang),
                             placeholder=t("filter.all", lang))
    statuses = side.multiselect(t("filter.statuses", lang), list(STATUSES), key="status",
                                bind="query-params", format_func=lambda k: STATUSES[k].de
                                if lang == "de" else STATUSES[k].en,
                                placeholder=t("filter.all", lang))
    side.button(t("filter.reset", lang), on_click=reset_filters, icon=":material/filter_alt_off:")
    return FilterSpec(
        towns=tuple(picked_towns), categories=tuple(categories), stages=tuple(stages),
        target_groups=tuple(groups), languages=tuple(langs), statuses=tuple(statuses),
        query=query or "", include_serving=bool(include_serving),
    )


def sidebar_account(sign_in: SignIn, lang: str) -> None:
    """Sign-in in the sidebar: "Anmelden" (one button per provider), or name, role and
    "Abmelden". Nothing at all without ``[auth]`` in the secrets."""
    providers = auth_providers()
    if not providers:
        return
    side = st.sidebar
    identity = sign_in.identity
    state = cached.access_state()
    if sign_in.status == "expired":
        hours = state.policy.session_hours if state.policy else 12
        side.info(t("auth.expired", lang, hours=f"{hours:g}"), icon=":material/schedule:")
    if sign_in.status in ("public", "expired"):
        for provider in providers:
            label = (t("auth.sign_in_with", lang, provider=provider.label) if provider.label
                     else t("auth.sign_in", lang))
            if side.button(label, key=f"sign_in_{provider.name or 'default'}",
                           icon=":material/login:"):
                st.login(provider.name)
        return
    side.caption(plain(t("auth.signed_in", lang, name=identity.name or identity.email or "?")))
    side.caption(plain(t("auth.role", lang, role=t(f"auth.role.{identity.role.key}", lang))))
    if sign_in.status == "no_role":
        contact = state.policy.contact if state.policy else None
        if not identity.email:
            side.warning(t("auth.no_email", lang))
        elif contact:
            side.warning(plain(t("auth.no_role", lang, email=identity.email, contact=contact)))
        else:
            side.warning(plain(t("auth.no_role_nocontact", lang, email=identity.email)))
    elif sign_in.status == "invalid_access":
        side.warning(t("auth.invalid_access", lang))
    if identity.role >= Role.MITGLIED:
        side.caption(t("auth.internal_view", lang))
    if side.button(t("auth.sign_out", lang), key="sign_out", icon=":material/logout:"):
        st.logout()


def show_access_problem(sign_in: SignIn, lang: str) -> None:
    """An invalid or missing access file, explained to those who administer it."""
    state = cached.access_state()
    if state.policy is not None or not sign_in.identity.signed_in or not is_access_admin(sign_in):
        return
    if state.report is not None:
        st.error(t("auth.invalid_access_admin", lang, file=state.path))
        st.code(state.report.format(), language=None)
    else:
        st.error(t("auth.missing_access_admin", lang, problem=state.problem or state.path))


def main() -> None:
    """Build the shell and run the selected page."""
    lang = st.sidebar.segmented_control(
        t("app.language"), list(LANGUAGES), key="lang", bind="query-params", default="de",
        format_func=str.upper, required=True,
    ) or "de"
    apply_document_language(lang)
    statement = st.Page("pages/statement.py", title=t("nav.statement", lang),
                        icon=":material/accessibility:", url_path="barrierefreiheit")
    easy = st.Page("pages/easy_language.py", title=t("nav.easy", lang),
                   icon=":material/menu_book:", url_path="leichte-sprache")
    pages = [
        st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:",
                url_path="uebersicht", default=True),
        st.Page("pages/map.py", title=t("nav.map", lang), icon=":material/map:", url_path="karte"),
        st.Page("pages/directory.py", title=t("nav.directory", lang), icon=":material/contacts:",
                url_path="verzeichnis"),
        st.Page("pages/coverage.py", title=t("nav.coverage", lang), icon=":material/grid_on:",
                url_path="abdeckung"),
        statement,
        easy,
    ]
    sign_in = current_sign_in()
    identity = sign_in.identity
    record_sign_in(sign_in)
    if identity.role >= Role.ADMIN:
        pages.append(st.Page("pages/access.py", title=t("access.nav", lang), icon=":material/key:",
                             url_path="zugang"))
    navigation = st.navigation(pages)
    sidebar_account(sign_in, lang)
    path = cached.registry_path()
    try:
        app = cached.load_app_data(path, identity.role)
    except RegistryValidationError as exc:
        show_report(exc.report, lang)
        st.stop()
    except PartnernetzError as exc:
        st.error(f"{t('shell.unusable_registry', lang)}: {exc}")
        st.stop()

    dataset = app.dataset
    spec = sidebar_filters(app, lang)
    partners = apply_filters(dataset.partners, spec, search_text=app.search_text)
    shown = t("shell.partners_shown", lang, shown=len(partners), total=len(dataset.partners))
    st.sidebar.caption(shown)
    # the same count for screen readers, announced when a filter changes it
    st.sidebar.html(lists.status_html(shown, css_class="pn-sr-only"))
    st.sidebar.caption(f"{t('shell.region', lang)}: **{dataset.region.name}** · "
                       f"{t('shell.registry', lang)}: `{dataset.report.file}`")
    st.sidebar.caption(f"{t('shell.attribution', lang)}: {dataset.attribution}")

    if navigation.url_path == "karte":  # the first stop in the main area: past the map
        st.html(f"<style>{lists.LIST_CSS}</style>" + lists.skip_link_html(t("map.skip", lang)))
    st.title(f"{t('app.title', lang)} · {dataset.region.name}", anchor=False)
    show_access_problem(sign_in, lang)
    warnings = dataset.report.warnings
    if warnings:
        with st.expander(t("shell.warnings", lang, n=len(warnings)), icon=":material/warning:"):
            st.code("\n".join(issue.format() for issue in warnings), language=None)

    set_context(PageContext(app=app, lang=lang, spec=spec, partners=partners, identity=identity))
    try:
        navigation.run()
    except PartnernetzError as exc:
        st.error(str(exc))
    render_footer(lang, statement=statement, easy=easy)


main()
