"""Bearbeiten: the form per partner (redaktion, admin, and owners of an entry).

Widgets → the registry's own checks (German, at the field) → the writer.
Nothing is written while a field has an error.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages import cached
from app_pages.edit_actions import save, show_conflict, show_flash, towns_source, verify_today
from app_pages.shared import current_identity, end_page, get_context
from partnernetz.access import Role
from partnernetz.i18n import t
from partnernetz.registry import writer
from partnernetz.registry.vocabulary import (
    STAGES,
    STATUSES,
    TARGET_GROUPS,
    TRANSLATION_LANGUAGES,
    language_names,
)
from partnernetz.views.editing import (
    ALL_TOWNS,
    CONTACT_COLUMNS,
    TRANSLATED_FIELDS,
    build_location_map,
    entry_from_form,
    field_label,
    form_field,
    form_values,
    may_add,
    may_delete,
    may_edit,
)

NEW = "__neu__"
# After a rerun with errors: focus the input of the first field whose error message
# follows it in the form (Streamlit draws the message below the widget).
FOCUS_FIRST_ERROR_JS = """<span class="pn-shell" hidden></span><script>(function () {
  var tries = 0;
  function run() {
    var alert = document.querySelector('[data-testid="stForm"] [data-testid="stAlertContentError"]');
    if (!alert) { if (tries++ < 40) { setTimeout(run, 100); } return; }
    var box = alert.closest('[data-testid="stElementContainer"]') || alert;
    for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
      var input = el.querySelector('input:not([type=hidden]), textarea, [role=combobox]');
      if (input) { input.focus(); input.scrollIntoView({block: "center"}); return; }
    }
    box.scrollIntoView({block: "center"});
  }
  run();
})();</script>"""
ACCESSIBLE = ("unknown", "yes", "no")

ctx = get_context()
lang, dataset = ctx.lang, ctx.dataset
identity = current_identity()
path = cached.registry_path()
entries = cached.editable_entries(str(path), cached.registry_stamp(path), int(identity.role),
                                  identity.email or "")

st.header(t("edit.title", lang))
if not identity.signed_in or not (entries or may_add(identity.role)):
    st.info(t("edit.no_rights", lang), icon=":material/lock:")
    end_page()
FORM_FLASH = "edit.flash_at_form"  # the last save came from the form: its message goes beside the button
if not st.session_state.get(FORM_FLASH):
    show_flash()
if show_conflict(lang):
    end_page()

towns = list(dataset.towns["name"])
names = {pid: f"{e.get('name', pid)} ({e.get('town', '')})" for pid, e in entries.items()}
options = ([NEW] if may_add(identity.role) else []) + sorted(entries, key=lambda p: names[p].casefold())
# A link (directory, Prüfliste, a shared URL) or a partner just added: that partner, even if
# another was open. Otherwise the selection stays the viewer's.
wanted = st.session_state.pop("edit.select_next", None) or (
    ctx.link_page.get("partner") if ctx.seed else None)
if wanted in options:
    st.session_state["edit_choice"] = wanted
if st.session_state.get("edit_choice") not in options:  # first visit, or the partner is gone
    st.session_state["edit_choice"] = options[1] if len(options) > 1 and options[0] == NEW else options[0]
choice = st.selectbox(t("edit.partner", lang), options, key="edit_choice",
                      format_func=lambda p: t("edit.new", lang) if p == NEW else names[p])
partner_id = None if choice == NEW else choice
ctx.keep("partner", partner_id)  # the URL names the partner being edited
entry = entries.get(partner_id, {}) if partner_id else {}
if partner_id and not may_edit(identity.role, identity.email, entry):
    st.error(t("edit.not_allowed", lang))
    end_page()
editor = identity.role >= Role.REDAKTION
prefix = f"edit.form.{choice}."
base_key = f"edit.base.{choice}"
if base_key not in st.session_state:
    st.session_state[base_key] = writer.registry_hash(path)
errors: dict[str, list[str]] = st.session_state.get(prefix + "errors", {})


def key(name: str) -> str:
    """The widget key of field ``name`` of this partner's form."""
    return prefix + name


def field_errors(name: str) -> None:
    """The check's messages for ``name``, right below its widget."""
    for message in errors.get(name, []):
        st.error(message, icon=":material/error:")


values = form_values(entry)
if not values["town"] and towns:
    values["town"] = towns[0]

# --- quick actions on an existing entry
if partner_id:
    st.caption(t("edit.intro_existing", lang, id=partner_id))
    columns = st.columns(4)
    verify = columns[0].button(t("edit.verified_today", lang), icon=":material/task_alt:", key="edit_verify")
    if verify and verify_today(partner_id, identity=identity, lang=lang):
        st.session_state.pop(base_key, None)
        st.rerun()
    if columns[1].button(t("edit.show_on_map", lang), icon=":material/pin_drop:", key="edit_map"):
        st.switch_page("app_pages/map.py", query_params={"partner": partner_id})
    with columns[2].popover(t("edit.retire", lang), icon=":material/pause_circle:"):
        status = st.radio(t("edit.retire_status", lang), ["planned", "inactive"], key="edit_retire_status",
                          format_func=lambda s: STATUSES[s].de if lang == "de" else STATUSES[s].en)
        if st.button(t("edit.retire_confirm", lang), key="edit_retire_go"):
            done = save([writer.RetirePartner(partner_id, status)], identity=identity, lang=lang,
                        base_hash=st.session_state[base_key])
            if done:
                st.session_state.pop(base_key, None)
                st.rerun()
    if may_delete(identity.role):
        with columns[3].popover(t("edit.delete", lang), icon=":material/delete:"):
            reason = st.text_input(t("edit.delete_reason", lang), key="edit_delete_reason")
            if st.button(t("edit.delete_confirm", lang), key="edit_delete_go", type="primary",
                         disabled=not reason.strip()):
                done = save([writer.RemovePartner(partner_id, reason)], identity=identity, lang=lang,
                            base_hash=st.session_state[base_key])
                if done:
                    st.session_state.pop(base_key, None)
                    st.rerun()
else:
    st.caption(t("edit.intro_new", lang))

# --- location: click on the map or type the coordinates
town_row = dataset.towns[dataset.towns["name"] == (st.session_state.get(key("town")) or values["town"])]
lat0 = values["lat"] if values["lat"] is not None else (float(town_row["lat"].iloc[0]) if len(town_row)
                                                         else float(dataset.towns["lat"].mean()))
lon0 = values["lon"] if values["lon"] is not None else (float(town_row["lon"].iloc[0]) if len(town_row)
                                                         else float(dataset.towns["lon"].mean()))
for name, value in (("lat", values["lat"]), ("lon", values["lon"])):
    st.session_state.setdefault(key(name), "" if value is None else f"{value}")


def coordinate(name: str) -> float | None:
    """The coordinate typed (or clicked) so far; None when empty or not a number."""
    try:
        return float(str(st.session_state.get(key(name)) or "").replace(",", "."))
    except ValueError:
        return None


# A toggle, not an expander: a map created inside a collapsed expander keeps height 0.
if st.toggle(t("edit.location_map", lang), value=values["lat"] is not None, key=prefix + "show_map"):
    current = (coordinate("lat"), coordinate("lon"))
    fmap = build_location_map(lat=current[0] or lat0, lon=current[1] or lon0,
                              marked=current[0] is not None and current[1] is not None)
    clicked = st_folium(fmap, key=f"edit_map_{choice}", height=320, use_container_width=True,
                        returned_objects=["last_clicked"])
    point = (clicked or {}).get("last_clicked")
    if point and st.session_state.get(prefix + "last_click") != point:
        st.session_state[prefix + "last_click"] = point
        st.session_state[key("lat")] = f"{float(point['lat']):.6f}"
        st.session_state[key("lon")] = f"{float(point['lng']):.6f}"
        st.rerun()
    st.caption(t("edit.location_hint", lang))

# --- the form
category_keys = list(dataset.categories)
language_options = language_names(lang)
lang_keys = list(dict.fromkeys([*values["languages"], *sorted(language_options,
                                                                key=lambda c: language_options[c])]))
with st.form(key=f"edit_form_{choice}"):
    if partner_id:
        st.text_input("id", value=values["id"], disabled=True, key=key("id_shown"))
    else:
        st.text_input(t("edit.field.id", lang), value="", key=key("id"), help=t("edit.field.id_help", lang))
        field_errors("id")
    st.text_input(t("edit.field.name", lang), value=values["name"], key=key("name"))
    field_errors("name")
    left, right = st.columns(2)
    with left:
        st.selectbox(t("edit.field.category", lang), category_keys,
                     index=category_keys.index(values["category"]) if values["category"] in category_keys
                     else 0, key=key("category"), format_func=lambda k: dataset.categories[k].label(lang))
        field_errors("category")
        st.text_input(t("edit.field.subtype", lang), value=values["subtype"], key=key("subtype"))
        st.text_input(t("edit.field.operator", lang), value=values["operator"], key=key("operator"))
    with right:
        st.selectbox(t("edit.field.town", lang), towns,
                     index=towns.index(values["town"]) if values["town"] in towns else 0, key=key("town"))
        field_errors("town")
        st.text_input(t("edit.field.street", lang), value=values["street"], key=key("street"))
        field_errors("street")
        a, b = st.columns(2)
        a.text_input(t("edit.field.postcode", lang), value=values["postcode"], key=key("postcode"))
        b.text_input(t("edit.field.district", lang), value=values["district"], key=key("district"))
        field_errors("postcode")
    st.text_area(t("edit.field.description", lang), value=values["description"], key=key("description"),
                 height=80)
    a, b = st.columns(2)
    a.text_input(t("edit.field.lat", lang), key=key("lat"), placeholder="51.7170")
    b.text_input(t("edit.field.lon", lang), key=key("lon"), placeholder="9.1850")
    field_errors("location")
    st.checkbox(t("edit.field.serves_all", lang), value=values["serves_all"], key=key("serves_all"))
    st.multiselect(t("edit.field.serves", lang), towns, default=[s for s in values["serves"] if s in towns],
                   key=key("serves"), help=t("edit.field.serves_help", lang),
                   placeholder=t("filter.choose", lang))
    field_errors("serves")
    a, b, c = st.columns(3)
    a.multiselect(t("edit.field.stages", lang), list(STAGES), default=values["stages"], key=key("stages"),
                  format_func=lambda k: STAGES[k].de if lang == "de" else STAGES[k].en,
                  placeholder=t("filter.choose", lang))
    b.multiselect(t("edit.field.target_groups", lang), list(TARGET_GROUPS), default=values["target_groups"],
                  key=key("target_groups"),
                  format_func=lambda k: TARGET_GROUPS[k].de if lang == "de" else TARGET_GROUPS[k].en,
                  placeholder=t("filter.choose", lang))
    c.multiselect(t("edit.field.languages", lang), lang_keys, default=values["languages"],
                  key=key("languages"), format_func=lambda c: language_options.get(c, c),
                  placeholder=t("filter.choose", lang))
    field_errors("languages")
    st.text_area(t("edit.field.offers", lang), value=values["offers"], key=key("offers"), height=90,
                 help=t("edit.field.lines_help", lang))
    a, b, c = st.columns(3)
    a.text_input(t("edit.field.phone", lang), value=values["phone"], key=key("phone"))
    with a:
        field_errors("phone")
    b.text_input(t("edit.field.email", lang), value=values["email"], key=key("email"))
    with b:
        field_errors("email")
    c.text_input(t("edit.field.website", lang), value=values["website"], key=key("website"))
    with c:
        field_errors("website")
    st.text_input(t("edit.field.opening_hours", lang), value=values["opening_hours"],
                  key=key("opening_hours"))
    # translations for the public guide: one small expander per language
    for code in TRANSLATION_LANGUAGES:
        texts = values["translations"][code]
        with st.expander(f"{language_names(lang).get(code, code)} ({code})", icon=":material/translate:",
                         expanded=any(texts.values())):
            st.text_area(t("edit.field.description", lang), value=texts["description"],
                         key=key(f"tr_{code}_description"), height=70)
            st.text_area(t("edit.field.offers", lang), value=texts["offers"],
                         key=key(f"tr_{code}_offers"), height=70)
            st.text_input(t("edit.field.opening_hours", lang), value=texts["opening_hours"],
                          key=key(f"tr_{code}_opening_hours"))
    field_errors("translations")
    st.caption(t("edit.field.contacts", lang))
    st.data_editor(
        pd.DataFrame(values["contacts"], columns=list(CONTACT_COLUMNS)),
        key=key("contacts"), num_rows="dynamic", width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("edit.contact.name", lang)),
            "role": st.column_config.TextColumn(t("edit.contact.role", lang)),
            "phone": st.column_config.TextColumn(t("edit.contact.phone", lang)),
            "email": st.column_config.TextColumn(t("edit.contact.email", lang)),
            "visibility": st.column_config.SelectboxColumn(
                t("edit.contact.visibility", lang), options=["internal", "public"], default="internal"),
        },
    )
    field_errors("contacts")
    a, b, c = st.columns(3)
    a.selectbox(t("edit.field.accessible", lang), ACCESSIBLE, index=ACCESSIBLE.index(values["accessible"]),
                key=key("accessible"), format_func=lambda v: t(f"edit.accessible.{v}", lang))
    b.selectbox(t("edit.field.status", lang), list(STATUSES), index=list(STATUSES).index(values["status"]),
                key=key("status"), format_func=lambda s: STATUSES[s].de if lang == "de" else STATUSES[s].en)
    c.date_input(t("edit.field.verified", lang), value=values["verified"], key=key("verified"),
                 max_value=dt.date.today(), format="DD.MM.YYYY")
    with c:
        field_errors("verified")
    if editor:
        st.text_area(t("edit.field.notes", lang), value=values["notes"], key=key("notes"), height=70)
        st.text_area(t("edit.field.owners", lang), value=values["owners"], key=key("owners"), height=70,
                     help=t("edit.field.owners_help", lang))
        field_errors("owners")
    comment = st.text_input(t("edit.comment", lang), key=key("comment"))
    if errors:  # beside the button too: which fields to correct (each error is at its field)
        st.error(t("edit.errors_at_fields", lang,
                   fields=", ".join(field_label(name, lang=lang) for name in errors)),
                 icon=":material/error:")
    submitted = st.form_submit_button(t("edit.save", lang), type="primary", icon=":material/save:")
    if st.session_state.pop(FORM_FLASH, None):
        show_flash()  # next to the button the user just pressed, and announced
if errors:
    # focus the first field with an error (the form is long; the messages sit at the fields)
    st.html(FOCUS_FIRST_ERROR_JS, unsafe_allow_javascript=True)

if submitted:
    form = {name: st.session_state.get(key(name)) for name in (
        "id", "name", "category", "subtype", "operator", "description", "town", "street", "postcode",
        "district", "lat", "lon", "serves_all", "serves", "stages", "target_groups", "languages", "offers",
        "phone", "email", "website", "opening_hours", "accessible", "status", "verified", "notes", "owners")}
    if partner_id:
        form["id"] = partner_id
    form["translations"] = {code: {name: st.session_state.get(key(f"tr_{code}_{name}"))
                                   for name in TRANSLATED_FIELDS} for code in TRANSLATION_LANGUAGES}
    editor_state = st.session_state.get(key("contacts")) or {}
    rows = [dict(r) for r in values["contacts"]]
    for index, change in (editor_state.get("edited_rows") or {}).items():
        rows[int(index)].update(change)
    rows += [dict(r) for r in editor_state.get("added_rows") or []]
    deleted = {int(i) for i in editor_state.get("deleted_rows") or []}
    form["contacts"] = [r for i, r in enumerate(rows) if i not in deleted]
    for name in ("lat", "lon"):
        form[name] = coordinate(name)
    typed = [str(st.session_state.get(key(n)) or "").strip() for n in ("lat", "lon")]
    coordinate_error = any(typed) and (form["lat"] is None or form["lon"] is None)
    current = writer.read_entries(path).get(partner_id, {}) if partner_id else {}
    keep = {"mail_language": current.get("mail_language")}  # not in the form: stays as in the file
    if not editor:  # an owner: notes and owners stay as they are in the file
        keep |= {"notes": current.get("notes"), "owners": current.get("owners")}
    new_entry = entry_from_form(form, keep=keep)
    issues = writer.validate_entry(path, new_entry, towns_source=towns_source(), partner_id=partner_id)
    found: dict[str, list[str]] = {}
    for issue in issues:
        found.setdefault(form_field(issue.field), []).append(issue.message)
    if coordinate_error:
        found.setdefault("location", []).append(t("edit.coordinates_invalid", lang))
    st.session_state[prefix + "errors"] = found
    if found:
        st.rerun()
    change = writer.UpdatePartner(partner_id, new_entry) if partner_id else writer.AddPartner(new_entry)
    done = save([change], identity=identity, lang=lang, base_hash=st.session_state[base_key],
                comment=comment)
    if done:
        st.session_state[base_key] = done.content_hash
        st.session_state.pop(prefix + "errors", None)
        st.session_state.pop(key("comment"), None)  # the comment belonged to this save
        st.session_state[FORM_FLASH] = True
        if not partner_id:
            st.session_state["edit.select_next"] = new_entry["id"]
        st.rerun()

st.caption(t("edit.serves_note", lang, all=ALL_TOWNS))
