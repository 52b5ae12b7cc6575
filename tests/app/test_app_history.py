"""AppTest of the Historie page: no restore without a preview of what it discards (issue 18 §5)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.access.markers import AUTH_SECRETS, write_marker_files
from tests.conftest import ROOT

KITA = "kita-marker-brakel"
OTHER = "beratung-marker-hoexter"
TOWNS = GazetteerTowns()


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0].title(),
            "iat": time.time() - 60, "exp": time.time() + 3600}


def set_phone(path: Path, partner: str, phone: str, author: str) -> None:
    entry = dict(writer.read_entries(path)[partner], phone=phone)
    writer.apply_changes(path, [writer.UpdatePartner(partner, entry)], base_hash=None, author=author,
                         towns_source=TOWNS)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry with three changes: the Kita (a@), another partner (b@), the Kita again (c@)."""
    path, access = write_marker_files(tmp_path)
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(path))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    set_phone(path, KITA, "05272 1111", "a@example.org")
    set_phone(path, OTHER, "05271 2222", "b@example.org")
    set_phone(path, KITA, "05272 3333", "c@example.org")
    return path


def history_page(email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets = dict(AUTH_SECRETS)
    at.user = signed_in(email)
    at.run()
    assert not at.exception, at.exception
    at.switch_page("app_pages/history.py").run()
    assert not at.exception, at.exception
    return at


def revisions(path: Path) -> list[str]:
    """Newest first: restore?, change 3 (c@), change 2 (b@), change 1 (a@), initial."""
    return [e.revision for e in History(path).entries()]


def preview_table(at: AppTest) -> list[dict]:
    return at.dataframe[0].value.to_dict("records")


def do_button(at: AppTest) -> Any:
    return at.button(key="history_do_restore")


def test_admin_whole_restore_shows_what_it_discards_and_needs_confirmation(registry: Path) -> None:
    change3, change2, change1, _initial = revisions(registry)
    before = registry.read_bytes()
    at = history_page("admin@example.org")
    at.button(key=f"restore_all_{change1}").click().run()
    assert not at.exception, at.exception
    assert registry.read_bytes() == before  # the click alone changes nothing
    assert any("Vorschau: ganze Registry" in h.value for h in at.subheader)
    assert any("Diese 2 späteren Änderungen werden verworfen" in w.value for w in at.warning)
    rows = preview_table(at)
    assert [r["Wer"] for r in rows] == ["c@example.org", "b@example.org"]
    assert all(r["Partner"].endswith(f"({pid})") for r, pid in zip(rows, (KITA, OTHER), strict=True))
    assert all(r["Was"].startswith("Geändert") and "Telefon" in r["Was"] for r in rows)
    assert all(len(r["Wann"]) == 16 for r in rows)  # dd.mm.yyyy HH:MM
    assert do_button(at).disabled  # a browser user cannot click it before confirming
    assert registry.read_bytes() == before

    at.checkbox(key="history_confirm").check().run()
    assert not do_button(at).disabled
    do_button(at).click().run()
    assert not at.exception, at.exception
    entries = writer.read_entries(registry)
    assert entries[KITA]["phone"] == "05272 1111"
    assert entries[OTHER].get("phone") is None  # b@'s later change is discarded too
    newest = History(registry).entries()[0]
    assert newest.kind == "restore" and newest.restore_of == change1
    assert newest.author_email == "admin@example.org"
    assert any("Gespeichert" in s.value for s in at.success)
    assert not any(b.key == "history_do_restore" for b in at.button)  # preview closed

    # the restore is itself a history entry: undo it the same way
    at.button(key=f"restore_all_{change3}").click().run()
    rows = preview_table(at)
    assert len(rows) == 2 and all(r["Was"].startswith("Wiederhergestellt") for r in rows)
    at.checkbox(key="history_confirm").check().run()
    do_button(at).click().run()
    assert not at.exception, at.exception
    assert registry.read_bytes() == before
    assert change2 in revisions(registry)


def test_cancel_closes_the_preview_and_changes_nothing(registry: Path) -> None:
    change1 = revisions(registry)[2]
    before = registry.read_bytes()
    at = history_page("admin@example.org")
    at.button(key=f"restore_all_{change1}").click().run()
    at.checkbox(key="history_confirm").check().run()
    at.button(key="history_cancel_restore").click().run()
    assert not at.exception, at.exception
    assert not any(b.key == "history_do_restore" for b in at.button)
    assert registry.read_bytes() == before
    assert len(History(registry).entries()) == 4


def test_restore_refused_when_a_change_arrives_after_the_preview(registry: Path) -> None:
    change1 = revisions(registry)[2]
    at = history_page("admin@example.org")
    at.button(key=f"restore_all_{change1}").click().run()
    at.checkbox(key="history_confirm").check().run()
    set_phone(registry, OTHER, "05271 4444", "late@example.org")  # not in the preview shown
    after_late = registry.read_bytes()
    do_button(at).click().run()
    assert not at.exception, at.exception
    assert any("eit der Vorschau kam eine weitere Änderung" in e.value for e in at.error)
    assert registry.read_bytes() == after_late
    # the list now shows the late change, and it must be confirmed again
    assert preview_table(at)[0]["Wer"] == "late@example.org"
    assert do_button(at).disabled


def test_redaktion_restores_one_partner_with_preview_others_keep_their_changes(registry: Path) -> None:
    change3, change2, _change1, _initial = revisions(registry)
    before = registry.read_bytes()
    at = history_page("redaktion@example.org")
    assert not any(str(b.key).startswith("restore_all_") for b in at.button)  # whole registry: admins
    at.button(key=f"restore_{change3}_{KITA}").click().run()
    assert not at.exception, at.exception
    assert registry.read_bytes() == before
    assert any(f"Vorschau: {KITA}" in h.value for h in at.subheader)
    assert any("anderen Partnern bleiben" in c.value for c in at.caption)
    rows = preview_table(at)
    assert [r["Wer"] for r in rows] == ["c@example.org"]  # b@'s change to another partner is not listed
    assert rows[0]["Partner"].endswith(f"({KITA})")
    fields = at.dataframe[1].value.to_dict("records")
    assert fields == [{"Feld": "phone", "jetzt": "05272 3333", "nach dem Zurücksetzen": "05272 1111"}]
    assert do_button(at).disabled
    at.checkbox(key="history_confirm").check().run()
    do_button(at).click().run()
    assert not at.exception, at.exception
    entries = writer.read_entries(registry)
    assert entries[KITA]["phone"] == "05272 1111"
    assert entries[OTHER]["phone"] == "05271 2222"  # made after the chosen version: kept
    newest = History(registry).entries()[0]
    assert newest.kind == "restore" and newest.partner_ids() == (KITA,)
    assert change2 in revisions(registry)


def test_redaktion_cannot_confirm_a_whole_registry_restore(registry: Path) -> None:
    change1 = revisions(registry)[2]
    before = registry.read_bytes()
    at = history_page("redaktion@example.org")
    at.session_state["history.pending_restore"] = (change1, None)  # forged: whole registry
    at.run()
    assert not at.exception, at.exception
    assert not any(b.key == "history_do_restore" for b in at.button)
    assert registry.read_bytes() == before


def test_preview_in_english(registry: Path) -> None:
    change3 = revisions(registry)[0]
    at = history_page("redaktion@example.org")
    at.sidebar.segmented_control(key="w.lang").set_value("en").run()
    assert not at.exception, at.exception
    at.button(key=f"restore_{change3}_{KITA}").click().run()
    assert not at.exception, at.exception
    assert any(f"Preview: restore {KITA}" in h.value for h in at.subheader)
    assert any("These 1 later changes will be discarded" in w.value for w in at.warning)
    assert do_button(at).label == "Restore now"


@pytest.mark.parametrize(("lang", "label"), [("de", "Telefon"), ("en", "Phone")])
def test_history_titles_name_fields_by_label_in_both_languages(registry: Path, lang: str, label: str) -> None:
    at = history_page("admin@example.org")
    if lang == "en":
        at.query_params["lang"] = "en"
        at.switch_page("app_pages/history.py").run()
    titles = [e.label for e in at.expander]
    changed = [title for title in titles if label in title]
    assert len(changed) >= 3, titles  # the three phone changes of the fixture
    assert not any("(phone" in title for title in titles), titles
