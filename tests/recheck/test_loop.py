"""The loop on a registry: link check, confirm, proposal, decisions, reminders, the state file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from partnernetz.errors import LinkError, RecheckError
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.recheck.loop import (
    check_link,
    confirm_entry,
    decide_proposal,
    pending_partners,
    submit_proposal,
)
from partnernetz.recheck.state import (
    Request,
    read_state,
    state_path,
    update_state,
    with_requests,
    with_revoked,
)
from partnernetz.recheck.tokens import make_token
from partnernetz.registry import writer
from partnernetz.registry.history import History

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
KITA = "kita-marker-brakel"


def ask(registry: Path, key: bytes, partner_id: str = KITA, token_id: str = "tokenkita0001",
        sent: dt.datetime = NOW) -> str:
    request = Request(partner_id=partner_id, token_id=token_id, sent=sent, channel="eml", by="r@example.org")
    update_state(registry, lambda s: with_requests(s, [request]))
    return make_token(partner_id, key=key, issued=sent, token_id=token_id)


def test_confirm_sets_verified_and_the_history_says_bestaetigungslink(recheck_registry: Path,
                                                                     key: bytes) -> None:
    token = ask(recheck_registry, key)
    claim, entry = check_link(recheck_registry, token, key=key, now=NOW)
    assert entry["name"] == "Kita Markerhaus Brakel"
    confirm_entry(recheck_registry, claim, towns_source=GazetteerTowns(), now=NOW)
    assert str(writer.read_entries(recheck_registry)[KITA]["verified"]) == "2026-12-07"
    last = History(recheck_registry).entries()[0]
    assert last.comment == "bestätigt über Bestätigungslink"
    assert "Kita Markerhaus Brakel" in last.author_name and last.author_email == "kita-markerhaus@example.org"
    assert [a.kind for a in read_state(recheck_registry).answers] == ["confirmed"]


def test_confirm_twice_the_same_day_writes_once(recheck_registry: Path, key: bytes) -> None:
    claim, _ = check_link(recheck_registry, ask(recheck_registry, key), key=key, now=NOW)
    assert confirm_entry(recheck_registry, claim, towns_source=GazetteerTowns(), now=NOW) is not None
    revisions = len(History(recheck_registry).entries())
    assert confirm_entry(recheck_registry, claim, towns_source=GazetteerTowns(), now=NOW) is None
    assert len(History(recheck_registry).entries()) == revisions
    assert len(read_state(recheck_registry).answers) == 2


def test_second_proposal_through_the_same_link_replaces_the_open_one(recheck_registry: Path,
                                                                      key: bytes) -> None:
    claim, _ = check_link(recheck_registry, ask(recheck_registry, key), key=key, now=NOW)
    submit_proposal(recheck_registry, claim, {"phone": "05272 3000"}, sender=None, now=NOW)
    submit_proposal(recheck_registry, claim, {"phone": "05272 4000"}, sender=None, now=NOW)
    proposals = read_state(recheck_registry).open_proposals()
    assert [p.fields[0].new for p in proposals] == ["05272 4000"]


def test_new_request_revokes_the_older_link(recheck_registry: Path, key: bytes) -> None:
    first = ask(recheck_registry, key, token_id="tokenkita0001")
    ask(recheck_registry, key, token_id="tokenkita0002", sent=NOW + dt.timedelta(days=1))
    with pytest.raises(LinkError) as err:
        check_link(recheck_registry, first, key=key, now=NOW + dt.timedelta(days=2))
    assert err.value.reason == "revoked"


def test_revoked_link_is_refused(recheck_registry: Path, key: bytes) -> None:
    token = ask(recheck_registry, key)
    update_state(recheck_registry, lambda s: with_revoked(s, ["tokenkita0001"]))
    with pytest.raises(LinkError, match="gilt nicht mehr"):
        check_link(recheck_registry, token, key=key, now=NOW)


def test_link_of_a_partner_no_longer_in_the_registry_is_refused(recheck_registry: Path, key: bytes) -> None:
    token = make_token("gibt-es-nicht", key=key, issued=NOW, token_id="tokenghost001")
    with pytest.raises(LinkError) as err:
        check_link(recheck_registry, token, key=key, now=NOW)
    assert err.value.reason == "unknown"


def test_proposal_waits_and_accepting_writes_only_accepted_fields(recheck_registry: Path, key: bytes) -> None:
    token = ask(recheck_registry, key)
    claim, entry = check_link(recheck_registry, token, key=key, now=NOW)
    before = recheck_registry.read_bytes()
    values = {"phone": "05272 2000", "website": "https://kita.example.org", "name": entry["name"],
              "contacts": [{"name": "Paula Publikmarker", "role": "Leitung"}, {"name": "Neu Person"}]}
    assert submit_proposal(recheck_registry, claim, values, sender="Paula", now=NOW) == 3
    assert recheck_registry.read_bytes() == before  # nothing live yet
    proposal = read_state(recheck_registry).open_proposals()[0]
    assert {f.field for f in proposal.fields} == {"phone", "website", "contacts"}
    result = decide_proposal(recheck_registry, proposal.id,
                             {"phone": "accepted", "contacts": "accepted", "website": "rejected"},
                             editor="Erika Redaktion <redaktion@example.org>",
                             towns_source=GazetteerTowns(), now=NOW)
    assert result is not None
    new = writer.read_entries(recheck_registry)[KITA]
    assert new["phone"] == "05272 2000" and "website" not in new
    names = [c["name"] for c in new["contacts"]]
    assert names == ["Ilse Internmarker", "Paula Publikmarker", "Neu Person"]  # internal contact kept
    assert new["notes"].startswith("NOTIZMARKER")
    last = History(recheck_registry).entries()[0]
    assert last.author_email == "redaktion@example.org"
    assert "Kita Markerhaus Brakel (Paula)" in last.comment
    assert "angenommen: Telefon, Ansprechpersonen" in last.comment
    assert "abgelehnt: Website" in last.comment
    assert read_state(recheck_registry).open_proposals() == ()


def test_rejecting_everything_writes_nothing(recheck_registry: Path, key: bytes) -> None:
    claim, _ = check_link(recheck_registry, ask(recheck_registry, key), key=key, now=NOW)
    submit_proposal(recheck_registry, claim, {"phone": "05272 3000"}, sender=None, now=NOW)
    before = recheck_registry.read_bytes()
    proposal = read_state(recheck_registry).open_proposals()[0]
    assert decide_proposal(recheck_registry, proposal.id, {"phone": "rejected"}, editor="r@example.org",
                           towns_source=GazetteerTowns(), now=NOW) is None
    assert recheck_registry.read_bytes() == before
    assert read_state(recheck_registry).proposals[0].fields[0].decision == "rejected"


def test_reminders_after_three_weeks_then_a_phone_call(recheck_registry: Path, key: bytes) -> None:
    ask(recheck_registry, key, token_id="tokenkita0001", sent=NOW)
    state = read_state(recheck_registry)
    assert pending_partners(state, now=NOW + dt.timedelta(days=20))[0].due == "wait"
    first = pending_partners(state, now=NOW + dt.timedelta(days=21))[0]
    assert (first.due, first.mails) == ("reminder", 1)
    ask(recheck_registry, key, token_id="tokenkita0002", sent=NOW + dt.timedelta(days=21))
    ask(recheck_registry, key, token_id="tokenkita0003", sent=NOW + dt.timedelta(days=42))
    state = read_state(recheck_registry)
    assert pending_partners(state, now=NOW + dt.timedelta(days=50))[0].due == "wait"
    assert pending_partners(state, now=NOW + dt.timedelta(days=63))[0].due == "phone"
    verified = {KITA: (NOW + dt.timedelta(days=60)).date()}
    assert pending_partners(state, now=NOW + dt.timedelta(days=63), verified=verified) == []


def test_answer_ends_the_round(recheck_registry: Path, key: bytes) -> None:
    claim, _ = check_link(recheck_registry, ask(recheck_registry, key), key=key, now=NOW)
    confirm_entry(recheck_registry, claim, towns_source=GazetteerTowns(), now=NOW + dt.timedelta(days=1))
    assert pending_partners(read_state(recheck_registry), now=NOW + dt.timedelta(days=40)) == []


def test_state_file_is_json_beside_the_registry_and_a_broken_one_says_so(recheck_registry: Path,
                                                                         key: bytes) -> None:
    ask(recheck_registry, key)
    path = state_path(recheck_registry)
    assert path.name == ".partners.yaml.recheck.json" and path.parent == recheck_registry.parent
    assert json.loads(path.read_text(encoding="utf-8"))["requests"][0]["partner_id"] == KITA
    path.write_text("{kaputt", encoding="utf-8")
    with pytest.raises(RecheckError, match="beschädigt"):
        read_state(recheck_registry)
