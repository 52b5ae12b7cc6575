"""What the shell says instead of a page: the registry's validation report, a registry that
cannot be read, the setup steps, "Noch keine Partner", unknown link parameters and an invalid
access file (split from dashboard.py)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import cached
from app_pages.shared import is_access_admin, plain
from partnernetz.access import SignIn
from partnernetz.errors import PartnernetzError, RegistryValidationError
from partnernetz.i18n import t
from partnernetz.registry.report import ValidationReport, redact_paths, redact_report


def show_report(report: ValidationReport, lang: str, *, full: bool) -> None:
    """The validation report as a readable list (German messages).

    ``full`` (Redaktion, admins): values and the server path; everyone else
    sees the findings on public fields and the file's name only.
    """
    report = redact_report(report, full=full)
    st.error(t("shell.invalid_registry", lang, file=report.file))
    st.markdown(f"**{report.summary()}**")
    rows = [
        {"Zeile": issue.line, "Feld": issue.field,
         "Art": "Fehler" if issue.severity == "error" else "Warnung", "Meldung": issue.message}
        for issue in report.issues
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.code(report.format(), language=None)


def show_load_problem(error: PartnernetzError, path: Path, lang: str, *, full: bool) -> None:
    """Why the registry cannot be shown: the report (``full``: Redaktion, admins; everyone
    else learns only that the data is being repaired, and whom to ask), or the file problem
    (paths only for ``full``)."""
    if isinstance(error, RegistryValidationError):
        if not full:  # the report quotes the file: only for those who repair it
            state = cached.access_state()
            contact = state.policy.contact if state.policy is not None else None
            st.info(t("shell.repairing", lang) + " " + (
                t("shell.repairing_contact", lang, contact=plain(contact)) if contact
                else t("shell.repairing_no_contact", lang)), icon=":material/build:")
            return
        show_report(error.report, lang, full=full)
        return
    message = str(error) if full else redact_paths(str(error), [path, path.resolve()])
    st.error(f"{t('shell.unusable_registry', lang)}: {message}")


def show_setup_steps(path: Path, lang: str) -> None:
    """No registry at ``path`` yet: the steps of ``init`` instead of an error."""
    st.title(t("setup.title", lang), anchor=False)
    st.info(t("setup.body", lang, path=plain(str(path))), icon=":material/rocket_launch:")
    folder = path.parent if str(path.parent) not in ("", ".") else Path(".")
    st.markdown(f"1. {t('setup.step_init', lang)}")
    st.code(f"python -m partnernetz init {path} --region \"Kreis Paderborn\" --admin "
            "leitung@kreis.example.org", language="bash")
    st.markdown(f"2. {t('setup.step_import', lang)}")
    st.code(f"python -m partnernetz import liste.xlsx --into {path}", language="bash")
    st.markdown(f"3. {t('setup.step_run', lang)}")
    st.code(f"PARTNERNETZ_REGISTRY={path} PARTNERNETZ_ACCESS={folder / 'access.yaml'} make run",
            language="bash")
    st.markdown(f"4. {t('setup.step_sign_in', lang)}")


def show_no_partners(region: str, lang: str, *, import_page: object | None) -> None:
    """A registry with no partners: say so; editors get the way to the import."""
    st.info(f"**{t('empty.title', lang)}** – {t('empty.body', lang, region=plain(region))}",
            icon=":material/inventory_2:")
    if import_page is not None:
        st.markdown(t("empty.ask", lang))
        st.page_link(import_page, label=t("empty.import", lang), icon=":material/upload_file:")


def show_notices(notices: tuple[tuple[str, str], ...], lang: str) -> None:
    """A short notice for each link parameter or value the app did not understand."""
    if not notices:
        return
    parts = [t("link.unknown_param", lang, param=p) if not v
             else t("link.unknown_value", lang, param=p, value=v) for p, v in notices]
    st.info(t("link.ignored", lang) + " " + "; ".join(parts), icon=":material/link_off:")


def show_access_problem(sign_in: SignIn, lang: str) -> None:
    """An invalid or missing access file, explained to those who administer it."""
    state = cached.access_state()
    if state.policy is not None or not sign_in.claimed.signed_in or not is_access_admin(sign_in):
        return
    if state.report is not None:
        st.error(t("auth.invalid_access_admin", lang, file=state.path))
        st.code(state.report.format(), language=None)
    else:
        st.error(t("auth.missing_access_admin", lang, problem=state.problem or state.path))
