"""Import: partner lists (CSV/Excel) and Schuldaten NRW into the registry, with a preview.

Widgets → read the upload (bounded) → mapping dropdowns → the plan (the same
as ``python -m partnernetz import``) → duplicates side by side with a choice
each → one write through the registry's writer, one history entry.
Only editors (role ``redaktion`` and up) see this page's controls.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from app_pages import cached, shared
from app_pages.shared import end_page, get_context, plain
from partnernetz.access import Identity, Role
from partnernetz.errors import PartnernetzError
from partnernetz.exchange.fixes import apply_fixes, fixable_rows
from partnernetz.exchange.importer import commit_import, prepare_import
from partnernetz.exchange.imports import Decision
from partnernetz.exchange.mapping import FIELDS, IGNORE, ColumnMapping, guess_mapping, load_mapping
from partnernetz.exchange.preview import describe_changes, flatten_entry, report_csv
from partnernetz.exchange.preview import report_frame as build_report
from partnernetz.exchange.sources import DEFAULT_LIMITS
from partnernetz.i18n import t

ACTIONS = ("skip", "merge", "new")
UPLOAD_MB = DEFAULT_LIMITS.max_bytes // (1024 * 1024)
MERGE_FIELDS = list(dict.fromkeys(
    f.split(".")[0] for f in FIELDS if f not in (IGNORE, "phone_prefix", "town_ags", "id")))


def _editor() -> Identity | None:
    """The signed-in editor (role ``redaktion`` or ``admin``), or None."""
    viewer = shared.current_identity()
    return viewer if viewer.role >= Role.REDAKTION and viewer.email else None


ctx = get_context()
lang = ctx.lang
st.header(t("import.title", lang))
editor = _editor()
if editor is None:
    st.info(t("import.locked", lang), icon=":material/lock:")
    end_page()

st.caption(t("import.intro", lang))
kind = st.radio(t("import.kind", lang), ("table", "msb"), horizontal=True, key="import_kind",
                format_func=lambda k: t(f"import.kind_{k}", lang))
upload = st.file_uploader(t("import.file", lang), type=["csv", "txt", "xlsx"],
                          max_upload_size=UPLOAD_MB, key="import_file",
                          help=t("import.limit", lang, limit=DEFAULT_LIMITS.describe()))
st.caption(t("import.limit", lang, limit=DEFAULT_LIMITS.describe()))
if upload is None:
    end_page()

data = upload.getvalue()
sheet = None
if upload.name.lower().endswith(".xlsx"):
    sheet = st.text_input(t("import.sheet", lang), key="import_sheet") or None
try:
    table = cached.import_table(data, name=upload.name, sheet=sheet)  # once per upload
except PartnernetzError as exc:
    st.error(str(exc))
    end_page()
for note in table.notes:
    st.caption(note)

mapping = None
if kind == "table":
    saved = st.file_uploader(t("import.mapping_file", lang), type=["yaml", "yml"],
                             key="import_mapping_file", max_upload_size=1)
    base = None
    if saved is not None:
        try:
            base = load_mapping(saved.getvalue(), file=saved.name)
        except PartnernetzError as exc:
            st.error(str(exc))
            end_page()
    guessed = guess_mapping(table.headers, base)
    st.subheader(t("import.columns", lang))
    options = list(FIELDS)
    chosen: dict[str, str] = {}
    columns = st.columns(3)
    for i, header in enumerate(table.headers):
        current = guessed.columns.get(header, IGNORE)
        chosen[header] = columns[i % 3].selectbox(
            header, options, index=options.index(current), key=f"import_col_{i}",
            format_func=lambda f: f"{FIELDS[f]} ({f})" if f != IGNORE else FIELDS[f])
    default_category = None
    if "category" not in chosen.values() and "category" not in guessed.defaults:
        default_category = st.selectbox(t("import.default_category", lang),
                                        list(ctx.dataset.categories), key="import_default_category",
                                        format_func=lambda k: ctx.dataset.categories[k].label(lang))
    defaults = dict(guessed.defaults)
    if default_category:
        defaults["category"] = default_category
    mapping = ColumnMapping(chosen, guessed.values, defaults)
    st.download_button(t("import.save_mapping", lang), data=mapping.to_yaml().encode("utf-8"),
                       file_name="zuordnung.yaml", mime="application/x-yaml", on_click="ignore",
                       icon=":material/download:", key="import_save_mapping")

policy = st.radio(t("import.policy", lang), ACTIONS, horizontal=True, key="import_policy",
                  format_func=lambda k: t(f"import.action_{k}", lang))
fingerprint = (upload.name, hashlib.sha256(data).hexdigest(), kind)
if st.session_state.get("import_fingerprint") != fingerprint:  # another file: no old choices
    st.session_state["import_fingerprint"] = fingerprint
    st.session_state.pop("import_decisions", None)
    st.session_state.pop("import_fixes", None)
decisions = dict(st.session_state.get("import_decisions", {}))
fixes: dict[tuple[int, str], str] = dict(st.session_state.get("import_fixes", {}))
table = apply_fixes(table, fixes)  # corrections made below, for this import only
try:
    # the loaded dataset (fresh: keyed on the registry's file stamps) gives towns and points
    prepared = prepare_import(table, ctx.dataset.source, source_format=kind, mapping=mapping,
                              policy=policy, decisions=decisions, dataset=ctx.dataset)
except PartnernetzError as exc:
    st.error(str(exc))
    end_page()
plan = prepared.plan

fixable = fixable_rows(plan, table, prepared.mapping)
if fixes:
    st.caption(t("import.fixed", lang, n=len(fixes)))
if fixable:
    st.subheader(t("import.fixable", lang, n=len({f.row for f in fixable})))
    for fix in fixable:
        with st.container(border=True):
            st.markdown(plain(f"{t('import.row', lang)} {fix.row} · {fix.label}: {fix.reason}"))
            value, accept = st.columns([3, 2])
            new = value.text_input(t("import.fix_value", lang, field=fix.label), value=fix.value,
                                   key=f"import_fix_{fix.row}_{fix.field}")
            if fix.suggestion and accept.button(t("import.fix_suggestion", lang, value=fix.suggestion),
                                                key=f"import_fix_accept_{fix.row}_{fix.field}",
                                                icon=":material/check:"):
                new = fix.suggestion
            if new.strip() != fix.value.strip():
                fixes[(fix.row, fix.header)] = new
    if fixes != st.session_state.get("import_fixes", {}):
        st.session_state["import_fixes"] = fixes
        st.rerun()

if plan.matches:
    st.subheader(t("import.duplicates", lang, n=len(plan.matches)))
    entries = prepared.snapshot.entries
    for row, match in plan.matches:
        outcome = next(o for o in plan.outcomes if o.row == row)
        with st.expander(plain(f"{t('import.row', lang)} {row}: {outcome.name} ↔ {match.other} · "
                               f"{match.describe()}")):
            left, right = st.columns(2)
            other = entries.get(str(match.other))
            left.caption(t("import.incoming", lang))
            index = table.row_numbers.index(row)
            left.dataframe(
                {"": list(table.headers), t("import.value", lang): list(table.rows[index])},
                hide_index=True, width="stretch")
            right.caption(t("import.existing", lang))
            if other is not None:
                flat = flatten_entry(other)
                right.dataframe({"": list(flat), t("import.value", lang): list(flat.values())},
                                hide_index=True, width="stretch")
            else:
                right.write(str(match.other))
            action = st.radio(t("import.choice", lang), ACTIONS, horizontal=True,
                              key=f"import_action_{row}",
                              index=ACTIONS.index(decisions.get(row, Decision(policy)).action),
                              format_func=lambda k, other=match.other: (
                                  t("import.action_duplicate_of", lang, other=other) if k == "skip"
                                  else t(f"import.action_{k}", lang)))
            take: list[str] = []
            if action == "merge" and other is not None:
                take = st.multiselect(t("import.take", lang), MERGE_FIELDS,
                                      key=f"import_take_{row}",
                                      placeholder=t("import.take_placeholder", lang))
            decisions[row] = Decision(action, tuple(take))
    if decisions != st.session_state.get("import_decisions"):
        st.session_state["import_decisions"] = decisions
        st.rerun()

st.subheader(t("import.preview", lang))
st.markdown(plain(plan.summary()))
report = build_report(plan)
st.dataframe(report, hide_index=True, width="stretch", height=320,
             column_config={c: st.column_config.TextColumn(c) for c in report.columns})
changes = describe_changes(plan, prepared.snapshot)
if changes:
    with st.expander(t("import.changes", lang, n=len(plan.changes))):
        st.code("\n".join(changes), language=None)
for pid, reason in plan.retire:
    st.warning(plain(t("import.retire", lang, id=pid, reason=reason)))
st.download_button(t("import.report", lang), data=report_csv(plan), file_name="importbericht.csv",
                   mime="text/csv", on_click="ignore", icon=":material/download:",
                   key="import_report")

strict = st.checkbox(t("import.strict", lang), key="import_strict")
if st.button(t("import.run", lang, n=len(plan.changes)), type="primary",
             disabled=not plan.changes, key="import_run", icon=":material/upload:"):
    try:
        result = commit_import(prepared, author=editor.email, strict=strict)
    except PartnernetzError as exc:
        shared.audit_identity("import", editor, target=upload.name, outcome="refused")
        st.error(str(exc))
    else:
        shared.audit_identity("import", editor, target=upload.name,
                              outcome="ok" if result is not None else "nothing")
        st.session_state.pop("import_decisions", None)
        st.success(t("import.done", lang, n=len(plan.changes)))
        st.caption(getattr(result, "summary", ""))
