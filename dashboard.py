"""Partnernetz: the Streamlit entry point.

Run with ``make run`` (or ``streamlit run dashboard.py -- --registry PATH``).
This script sets the page config, loads the registry, draws the shared
sidebar (language, pages and filters) and runs the chosen page. Errors of the
package are caught here, in one place, and shown with st.error.

The view lives in the URL with language-neutral parameters
(:mod:`partnernetz.links`): a link opens the same view in either language.
The widgets are not bound to the URL (a bound widget stores its label, which
changes with the language); instead the shell keeps the view in
``st.session_state`` and

* adopts the URL when it changed outside the app (a link opened, Back or
  Forward): every widget is seeded from it;
* writes the URL once at the end of a run when the view changed. A URL set
  from Python is a new browser-history step, so Back undoes each filter change.

The page files live in ``app_pages/``, not ``pages/``: Streamlit treats a
``pages/`` folder beside the entry point as an old-style multipage app on the
first run after the server starts, and shows "Page not found" for every deep
link on that run (streamlit#9992).
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Partnernetz", layout="wide",
                   page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"))

from app_pages import cached, shared  # noqa: E402 - set_page_config must come first
from app_pages.notices import (  # noqa: E402
    show_access_problem,
    show_load_problem,
    show_no_partners,
    show_notices,
    show_setup_steps,
)
from app_pages.shared import (  # noqa: E402
    CONFIRM_LANG_KEY,
    PageContext,
    PageEnd,
    apply_document_language,
    auth_providers,
    clear_context,
    current_identity,
    current_sign_in,
    plain,
    record_sign_in,
    render_footer,
    set_context,
    sign_in_off_kind,
)
from partnernetz.access import Role, SignIn  # noqa: E402
from partnernetz.access.secret import SECRET_COMMAND  # noqa: E402
from partnernetz.errors import PartnernetzError  # noqa: E402
from partnernetz.filters import FRESHNESS, FilterSpec, Selection  # noqa: E402
from partnernetz.guide.languages import app_text  # noqa: E402
from partnernetz.guide.messages import APP_TEXTS  # noqa: E402
from partnernetz.i18n import LANGUAGES, t  # noqa: E402
from partnernetz.registry.report import redact_paths, redact_report  # noqa: E402
from partnernetz.registry.vocabulary import STAGES, STATUSES, TARGET_GROUPS, language_name  # noqa: E402
from partnernetz.views import lists  # noqa: E402
from partnernetz.views.links import LinkChoices, LinkState, link_params, parse_link  # noqa: E402

STATE_KEY = "url.state"  # the LinkState on screen
WRITTEN_KEY = "url.written"  # the URL parameters this session wrote last
PAGE_KEY = "url.page"  # the page of the last run
NOTICES_KEY = "url.notices"  # what the last adopted link asked for that the app does not know
LANG_WIDGET = "w.lang"
FILTERS = ("ort", "kategorie", "stufe", "zielgruppe", "sprache", "status", "suche", "geprueft",
           "ueberoertlich")
EMPTY = {"suche": "", "geprueft": "", "ueberoertlich": False}


LOG = logging.getLogger("partnernetz.app")


# Pages that only show partners: on a registry with none they show "Noch keine Partner"
# instead (no white spots invented for zero partners, no empty map).
DATA_PAGES = frozenset({"start", "uebersicht", "karte", "verzeichnis", "abdeckung"})


def widget_key(name: str, lang: str) -> str:
    """Filter widgets have one key per language: their labels change with it."""
    return f"w.{name}.{lang}"


def url_params() -> dict[str, list[str]]:
    """The URL's parameters, every value of each."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def spec_values(spec: FilterSpec) -> dict[str, object]:
    """The widget value of each filter."""
    return {
        "ort": list(spec.towns), "kategorie": list(spec.categories), "stufe": list(spec.stages),
        "zielgruppe": list(spec.target_groups), "sprache": list(spec.languages),
        "status": list(spec.statuses), "suche": spec.query, "geprueft": spec.verified,
        "ueberoertlich": spec.include_serving,
    }


def reset_filters() -> None:
    """Callback of "Filter zurücksetzen": every filter back to its default."""
    lang = st.session_state.get(LANG_WIDGET) or "de"
    for name in FILTERS:
        st.session_state[widget_key(name, lang)] = EMPTY.get(name, [])


def seed_filters(spec: FilterSpec, lang: str, *, force: bool) -> None:
    """Put the view's filters into the widgets (all with ``force``, else only new widgets)."""
    for name, value in spec_values(spec).items():
        key = widget_key(name, lang)
        if force or key not in st.session_state:
            st.session_state[key] = value


def sidebar_filters(app: cached.AppData, lang: str) -> FilterSpec:
    """The shared filters; their values come from the view (URL) and go back into it."""
    dataset = app.dataset
    towns = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    languages = offered_languages(app, lang)
    side = st.sidebar
    side.subheader(t("filter.header", lang))

    def key(name: str) -> str:
        return widget_key(name, lang)

    def term(vocab: dict) -> object:
        return lambda k: (vocab[k].de if lang == "de" else vocab[k].en) if k in vocab else k

    query = side.text_input(t("filter.query", lang), key=key("suche"), help=t("filter.query_help", lang))
    picked_towns = side.multiselect(t("filter.towns", lang), list(towns), key=key("ort"),
                                    format_func=lambda a: towns.get(a, a),
                                    placeholder=t("filter.all", lang))
    include_serving = False
    if picked_towns:
        include_serving = side.checkbox(t("filter.include_serving", lang), key=key("ueberoertlich"))
    categories = side.multiselect(
        t("filter.categories", lang), list(dataset.categories), key=key("kategorie"),
        format_func=lambda k: dataset.categories[k].label(lang) if k in dataset.categories else k,
        placeholder=t("filter.all", lang),
    )
    stages = side.multiselect(t("filter.stages", lang), list(STAGES), key=key("stufe"),
                              format_func=term(STAGES), placeholder=t("filter.all", lang))
    groups = side.multiselect(t("filter.target_groups", lang), list(TARGET_GROUPS),
                              key=key("zielgruppe"), format_func=term(TARGET_GROUPS),
                              placeholder=t("filter.all", lang))
    langs = side.multiselect(t("filter.languages", lang), languages, key=key("sprache"),
                             format_func=lambda c: language_name(c, lang),
                             placeholder=t("filter.all", lang))
    statuses = side.multiselect(t("filter.statuses", lang), list(STATUSES), key=key("status"),
                                format_func=term(STATUSES), placeholder=t("filter.all", lang))
    verified = side.selectbox(t("filter.verified", lang), ["", *FRESHNESS], key=key("geprueft"),
                              format_func=lambda k: t(f"filter.verified.{k or 'any'}", lang))
    side.button(t("filter.reset", lang), on_click=reset_filters, icon=":material/filter_alt_off:")
    return FilterSpec(
        towns=tuple(picked_towns), categories=tuple(categories), stages=tuple(stages),
        target_groups=tuple(groups), languages=tuple(langs), statuses=tuple(statuses),
        query=query or "", include_serving=bool(include_serving), verified=verified or "",
    )


def owned_entries(sign_in: SignIn) -> int:
    """How many entries the viewer may edit as an owner (0 without a valid sign-in)."""
    identity = sign_in.identity
    if not identity.email:
        return 0
    path = cached.registry_path()
    try:
        return len(cached.editable_entries(str(path), cached.registry_stamp(path), int(identity.role),
                                           identity.email))
    except PartnernetzError:
        return 0


def editing_pages(lang: str) -> list:
    """Bearbeiten, Prüfliste, Historie: only for those who may edit (owners: Bearbeiten only)."""
    identity = current_identity()
    if not identity.signed_in:
        return []
    path = cached.registry_path()
    if identity.role < Role.REDAKTION:
        try:
            owned = cached.editable_entries(str(path), cached.registry_stamp(path), int(identity.role),
                                            identity.email or "")
        except PartnernetzError:
            owned = {}
        if not owned:
            return []
    pages = [st.Page("app_pages/edit.py", title=t("nav.edit", lang), icon=":material/edit:",
                     url_path="bearbeiten")]
    if identity.role >= Role.REDAKTION:
        pages += [
            st.Page("app_pages/checklist.py", title=t("nav.checklist", lang), icon=":material/fact_check:",
                    url_path="pruefliste"),
            st.Page("app_pages/history.py", title=t("nav.history", lang), icon=":material/history:",
                    url_path="historie"),
            st.Page("app_pages/publish_guide.py", title=app_text(APP_TEXTS["nav"], lang),
                    icon=":material/public:", url_path="wegweiser"),
        ]
    return pages


def import_pages(lang: str) -> list:
    """Import: only for those who may use it (redaktion, admin); nobody else sees a locked page."""
    viewer = shared.current_identity()  # looked up at call time (tests stand in a viewer)
    if not (viewer.signed_in and viewer.role >= Role.REDAKTION and viewer.email):
        return []
    return [st.Page("app_pages/imports.py", title=t("nav.import", lang), icon=":material/upload_file:",
                    url_path="import")]


def offered_languages(app: cached.AppData, lang: str) -> list[str]:
    """The languages some partner offers, sorted by their name in ``lang``."""
    codes = {code for codes in app.dataset.partners["languages"] for code in codes}
    return sorted(codes, key=lambda code: language_name(code, lang))


def link_choices(app: cached.AppData) -> LinkChoices:
    """What a link may name in this dataset (page parameters: see the pages)."""
    from app_pages.shared import PAGE_CHOICES

    dataset = app.dataset
    return LinkChoices(
        towns=dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True)),
        categories=list(dataset.categories), stages=list(STAGES),
        target_groups=list(TARGET_GROUPS), languages=offered_languages(app, "de"),
        statuses=list(STATUSES), pages=PAGE_CHOICES,
    )


def use_suggestion(suggestion: str, lang: str) -> None:
    """Callback of "Nach … suchen": the corrected query into the search box."""
    st.session_state[widget_key("suche", lang)] = suggestion


def show_suggestion(selection: Selection, lang: str) -> None:
    """"Meinten Sie …?" when the search found no exact hits but close ones (every page)."""
    result = selection.search
    if not selection.close_only or result is None or not result.suggestion:
        return
    count = len(selection.partners)
    with st.container(key="pn-did-you-mean"):
        st.info(f"**{plain(t('search.did_you_mean', lang, suggestion=result.suggestion))}** "
                + plain(t("search.close.one" if count == 1 else "search.close.many", lang,
                          query=result.query, n=count)),
                icon=":material/spellcheck:")
        st.button(t("search.use_suggestion", lang, suggestion=result.suggestion),
                  key="use_suggestion", on_click=use_suggestion, args=(result.suggestion, lang),
                  icon=":material/search:")


def sidebar_navigation(slot, pages: list, link: dict[str, list[str]]) -> None:
    """The page links; each carries the current view, so a page change keeps the filters."""
    for page in pages:
        slot.page_link(page, query_params=link)
    slot.divider()


def sidebar_account(sign_in: SignIn, lang: str) -> None:
    """Sign-in in the sidebar: "Anmelden" (one button per provider), or name, role and
    "Abmelden". Nothing at all without ``[auth]`` in the secrets."""
    providers = auth_providers()
    if not providers:
        off = sign_in_off_kind()
        if off is not None:  # [auth] is set up, but its cookie secret could be forged
            st.sidebar.warning(t("auth.sign_in_off", lang, reason=t(f"auth.weak_secret.{off}", lang),
                                 command=SECRET_COMMAND), icon=":material/key_off:")
        return
    side = st.sidebar
    identity = sign_in.claimed  # shown as claimed; the rights are in sign_in.identity
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
    role = sign_in.identity.role
    side.caption(plain(t("auth.role", lang, role=t(f"auth.role.{role.key}", lang))))
    if sign_in.status == "no_role":
        contact = state.policy.contact if state.policy else None
        owned = owned_entries(sign_in)
        if not identity.email:
            side.warning(t("auth.no_email", lang))
        elif owned:  # no role, but their own entries (owners)
            side.caption(t("auth.owner", lang, n=owned))
        elif contact:
            side.warning(plain(t("auth.no_role", lang, email=identity.email, contact=contact)))
        else:
            side.warning(plain(t("auth.no_role_nocontact", lang, email=identity.email)))
    elif sign_in.status == "unverified":
        side.warning(plain(t("auth.unverified", lang, email=identity.email or "")))
    elif sign_in.status == "invalid_access":
        side.warning(t("auth.invalid_access", lang))
    if role >= Role.MITGLIED:
        side.caption(t("auth.internal_view", lang))
    if side.button(t("auth.sign_out", lang), key="sign_out", icon=":material/logout:"):
        st.logout()


def main() -> None:
    """Build the shell and run the selected page; no exception ever reaches the browser."""
    try:
        run_shell()
    except Exception:  # the page boundary: log it, show a short German note, never a traceback
        LOG.exception("Unerwarteter Fehler beim Seitenaufbau")
        st.error(t("shell.unexpected_page", st.session_state.get(LANG_WIDGET) or "de"))


def run_shell() -> None:
    """Build the shell and run the selected page."""
    params = url_params()
    state: LinkState | None = st.session_state.get(STATE_KEY)
    external = state is None or params != st.session_state.get(WRITTEN_KEY)

    lang_hint = (params.get("lang") or ["de"])[-1].strip().casefold()
    if external:  # a link, Back or Forward: the URL says the language too
        st.session_state[LANG_WIDGET] = lang_hint if lang_hint in LANGUAGES else "de"
    elif LANG_WIDGET not in st.session_state:
        st.session_state[LANG_WIDGET] = state.lang if state else "de"
    lang = st.sidebar.segmented_control(
        t("app.language"), list(LANGUAGES), key=LANG_WIDGET, format_func=str.upper, required=True,
    ) or "de"
    apply_document_language(lang)
    statement = st.Page("app_pages/statement.py", title=t("nav.statement", lang),
                        icon=":material/accessibility:", url_path="barrierefreiheit")
    easy = st.Page("app_pages/easy_language.py", title=t("nav.easy", lang),
                   icon=":material/menu_book:", url_path="leichte-sprache")

    imports = import_pages(lang)
    import_page = imports[0] if imports else None
    overview = st.Page("app_pages/overview.py", title=t("nav.overview", lang),
                       icon=":material/dashboard:", url_path="uebersicht")
    pages = [
        overview,
        st.Page("app_pages/map.py", title=t("nav.map", lang), icon=":material/map:", url_path="karte"),
        st.Page("app_pages/directory.py", title=t("nav.directory", lang), icon=":material/contacts:",
                url_path="verzeichnis"),
        st.Page("app_pages/coverage.py", title=t("nav.coverage", lang), icon=":material/grid_on:",
                url_path="abdeckung"),
        *editing_pages(lang),
        *imports,
        statement,
        easy,
    ]
    sign_in = current_sign_in()
    identity = sign_in.identity
    record_sign_in(sign_in)
    if identity.role >= Role.ADMIN:
        pages.append(st.Page("app_pages/access.py", title=t("access.nav", lang),
                             icon=":material/key:", url_path="zugang"))
    # The app's root shows the Übersicht too. A default page is served at "/" only,
    # so /uebersicht needs a page of its own (it said "Page not found" before).
    home = st.Page("app_pages/overview.py", title=t("nav.overview", lang),
                   icon=":material/dashboard:", url_path="start", default=True)
    # The page of a partner's confirmation link: reachable without sign-in, never in the
    # sidebar, run on its own (no filters, no directory data, the URL left as it is).
    confirm = st.Page("app_pages/confirm.py", title=t("confirm.title", lang),
                      icon=":material/task_alt:", url_path="bestaetigen")
    navigation = st.navigation([home, *pages, confirm], position="hidden")
    if navigation.url_path == "bestaetigen":
        navigation.run()  # chooses its own language (the entry's, or the page's switch)
        render_footer(st.session_state.get(CONFIRM_LANG_KEY, lang), statement=statement, easy=easy)
        return
    page_changed = st.session_state.get(PAGE_KEY) not in (None, navigation.url_path)
    st.session_state[PAGE_KEY] = navigation.url_path
    if external and state is not None and page_changed and not params:
        external = False  # a page change that did not carry the parameters: keep the view
    sidebar_account(sign_in, lang)
    path = cached.registry_path()
    if not path.exists() and not path.is_symlink():  # a new installation: how to start, not an error
        show_setup_steps(path, lang)
        st.stop()
    full = identity.role >= Role.REDAKTION  # values and server paths in error reports
    app, problem = cached.load_app_data_or_last(path, identity.role)
    if problem is not None:
        show_load_problem(problem, path, lang, full=full)
        if app is None:
            st.stop()
        st.warning(t("shell.outdated", lang), icon=":material/history:")

    dataset = app.dataset
    report = redact_report(dataset.report, full=full)
    if external:
        state = parse_link(params, choices=link_choices(app))
        st.session_state[NOTICES_KEY] = state.notices
    seed_filters(state.spec, lang, force=external)

    link_slot = st.sidebar.container(key="pn-nav")
    spec = sidebar_filters(app, lang)
    selection = cached.partner_selection(app, spec)
    partners = selection.partners
    # the entries after the filters, and of them the active ones the headline figures count
    status = partners["status"].fillna("active") if "status" in partners else None
    active = len(partners) if status is None else int((status == "active").sum())
    shown = t("shell.partners_shown", lang, shown=len(partners), total=len(dataset.partners),
              active=active)
    st.sidebar.caption(shown)
    # the same count for screen readers, announced when a filter changes it
    st.sidebar.html(lists.status_html(shown, css_class="pn-sr-only"))
    st.sidebar.caption(f"{t('shell.region', lang)}: **{plain(dataset.region.name)}** · "
                       f"{t('shell.registry', lang)}: {plain(report.file)}")
    st.sidebar.caption(f"{t('shell.attribution', lang)}: {plain(dataset.attribution)}")

    if navigation.url_path == "karte":  # the first stop in the main area: past the map
        st.html(f"<style>{lists.LIST_CSS}</style>" + lists.skip_link_html(t("map.skip", lang)))
    st.title(f"{t('app.title', lang)} · {plain(dataset.region.name)}", anchor=False)
    show_access_problem(sign_in, lang)
    show_notices(st.session_state.get(NOTICES_KEY, ()), lang)
    show_suggestion(selection, lang)
    warnings = report.warnings
    if warnings:
        with st.expander(t("shell.warnings", lang, n=len(warnings)), icon=":material/warning:"):
            st.code("\n".join(issue.format() for issue in warnings), language=None)

    no_partners = dataset.partners.empty
    if no_partners:
        editor = identity.role >= Role.REDAKTION and navigation.url_path != "import"
        show_no_partners(dataset.region.name, lang, import_page=import_page if editor else None)

    page_state: dict[str, str] = {}
    context = PageContext(app=app, lang=lang, spec=spec, partners=partners, identity=identity,
                          link_page=dict(state.page), page_params=page_state, seed=external)
    set_context(context)
    sidebar_navigation(link_slot, pages, link_params(spec, lang=lang))
    try:
        if not (no_partners and navigation.url_path in DATA_PAGES):
            navigation.run()
    except PageEnd:
        pass  # the page said all it has for this view; the URL and footer follow
    except PartnernetzError as exc:
        st.error(str(exc) if full else redact_paths(str(exc), [path, path.resolve()]))
    finally:
        clear_context()  # nothing of the data stays in the session between runs
        remember_view(LinkState(spec=spec, lang=lang, page=page_state), params)
        render_footer(lang, statement=statement, easy=easy)


def remember_view(view: LinkState, params: dict[str, list[str]]) -> None:
    """Write the view into the URL when it changed: one browser-history step per change."""
    wanted = link_params(view.spec, lang=view.lang, page=view.page)
    previous: LinkState | None = st.session_state.get(STATE_KEY)
    st.session_state[STATE_KEY] = view
    if wanted != params:
        if previous is not None and (previous.spec, previous.lang) != (view.spec, view.lang):
            st.session_state[NOTICES_KEY] = ()  # the user moved on from the link
        if wanted:
            st.query_params.from_dict(wanted)
        else:
            st.query_params.clear()
    st.session_state[WRITTEN_KEY] = wanted


main()
