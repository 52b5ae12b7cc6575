"""Duplicate detection holds at scale (issue 17 §6): exact duplicates are found however
many there are, near duplicates by the same rule at any size."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from partnernetz.exchange.duplicates import DUPLICATE_SCORE, match_record, score_pair
from partnernetz.exchange.imports import Candidate, RegistrySnapshot, plan_import

TOWNS = ["Bad Driburg", "Beverungen", "Borgentreich", "Brakel", "Höxter", "Marienmünster",
         "Nieheim", "Steinheim", "Warburg", "Willebadessen"]
KINDS = [("kita", "Kita"), ("kita", "Familienzentrum"), ("schule", "Grundschule"),
         ("beratung", "Beratungsstelle"), ("jugendhilfe", "Jugendzentrum"), ("ehrenamt", "Verein")]
SYLLABLES = ["son", "nen", "re", "gen", "bo", "mar", "ien", "lin", "de", "ber", "ga", "tal",
             "wald", "feld", "au", "horn", "stein", "bach", "ro", "sa", "ki", "tu", "el", "mo"]
STREETS = ["Haupt", "Bahnhof", "Kirch", "Schul", "Markt", "Garten", "Linden", "Berg", "Mühlen"]


def snapshot(entries: dict[str, dict]) -> RegistrySnapshot:
    records = tuple(match_record(pid, entry) for pid, entry in entries.items())
    return RegistrySnapshot(Path("partners.yaml"), "0" * 64, "05762", entries, records)


def make_partner(rng: random.Random, i: int, *, contacts: bool = True) -> dict:
    category, kind = rng.choice(KINDS)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() for _ in range(2)]
    partner = {"name": f"{kind} {words[0]} {words[1]}", "category": category,
               "town": rng.choice(TOWNS),
               "address": {"street": f"{rng.choice(STREETS)}straße {rng.randint(1, 120)}"}}
    if contacts:
        partner |= {"phone": f"05271 {rng.randint(10000, 99999)}", "email": f"info{i}@example.org"}
    return partner | {"misspelt": misspell(partner, rng)}


def misspell(partner: dict, rng: random.Random) -> str:
    """The partner's usual misspelling (two letters swapped), one the rule still finds."""
    kind, word, *rest = partner["name"].split()
    while True:
        i = rng.randrange(1, len(word) - 1)
        name = " ".join([kind, word[:i] + word[i + 1] + word[i] + word[i + 2:], *rest])
        score, _ = score_pair(match_record(0, {**partner, "name": name}), match_record(1, partner))
        if score >= DUPLICATE_SCORE:
            return name


def variant(partner: dict, rng: random.Random) -> dict:
    """The same partner, written as people write it: its misspelling, case, abbreviations,
    formats, a legal form, a missing e-mail."""
    out = {**partner, "address": dict(partner["address"])}
    for change in sorted(rng.sample(range(7), rng.randint(1, 3))):
        if change == 0:
            out["name"] = partner["misspelt"]
        elif change == 1:
            out["name"] = out["name"].upper()
        elif change == 2:
            out["address"]["street"] = out["address"]["street"].replace("straße", "str.")
        elif change == 3:
            out["name"] += " e. V."
        elif change == 4 and "phone" in out:
            out["phone"] = "+49 " + out["phone"][1:]
        elif change == 5:
            out.pop("email", None)
        else:
            out["name"] = "  " + out["name"].replace(" ", "  ")
    out.pop("misspelt")
    return out


def outcome_counts(plan) -> dict[str, int]:
    return {status: plan.count(status) for status in ("imported", "duplicate", "rejected")}


@pytest.mark.parametrize("n", [2, 400])
def test_identical_rows_are_all_duplicates_of_the_first(n):
    row = {"name": "Kita Sonnenschein", "category": "kita", "town": "Brakel",
           "address": {"street": "Marktstraße 1"}, "phone": "05272 1234"}
    plan = plan_import([Candidate(i + 2, dict(row)) for i in range(n)], snapshot({}))
    assert outcome_counts(plan) == {"imported": 1, "duplicate": n - 1, "rejected": 0}
    assert len(plan.changes) == 1


def test_identical_rows_without_any_detail_beyond_the_name_are_all_duplicates():
    row = {"name": "Verein Miteinander", "category": "ehrenamt", "town": "Höxter"}
    plan = plan_import([Candidate(i + 2, dict(row)) for i in range(400)], snapshot({}))
    assert outcome_counts(plan) == {"imported": 1, "duplicate": 399, "rejected": 0}


def test_400_identical_rows_of_a_registry_partner_are_all_duplicates():
    existing = {"kita-sonnenschein": {"id": "kita-sonnenschein", "name": "Kita Sonnenschein",
                                      "category": "kita", "town": "Brakel",
                                      "address": {"street": "Marktstraße 1"}}}
    row = {"name": "Kita Sonnenschein", "category": "kita", "town": "Brakel",
           "address": {"street": "Marktstr. 1"}}
    plan = plan_import([Candidate(i + 2, dict(row)) for i in range(400)], snapshot(existing))
    assert outcome_counts(plan) == {"imported": 0, "duplicate": 400, "rejected": 0}
    assert {o.partner_id for o in plan.outcomes} == {"kita-sonnenschein"}
    assert plan.changes == ()


@pytest.mark.parametrize("contacts", [True, False], ids=["with-contacts", "name-and-address-only"])
def test_10000_near_duplicate_rows_of_350_partners_import_350(contacts):
    rng = random.Random(17)
    partners = [make_partner(rng, i, contacts=contacts) for i in range(350)]
    originals = partners + [rng.choice(partners) for _ in range(10_000 - 350)]
    rows = [variant(p, rng) for p in originals]
    for row, partner in zip(rows[:350], partners, strict=True):  # each partner once as it is
        row.update({k: v for k, v in partner.items() if k != "misspelt"})
    order = list(range(len(rows)))
    rng.shuffle(order)
    # the rule itself: each written variant is a duplicate of its partner, pair by pair
    for row, original in zip(rows, originals, strict=True):
        score, _ = score_pair(match_record(0, row), match_record(1, original))
        assert score >= DUPLICATE_SCORE, (row, original)
    assert len({(r["name"], r["address"]["street"]) for r in rows}) > 3000  # written many ways
    plan = plan_import([Candidate(n + 2, rows[i]) for n, i in enumerate(order)], snapshot({}))
    assert outcome_counts(plan) == {"imported": 350, "duplicate": 9650, "rejected": 0}
    imported = {o.name for o in plan.outcomes if o.status == "imported"}
    assert len(imported) == 350


@pytest.mark.parametrize("contacts", [True, False], ids=["with-contacts", "name-and-address-only"])
def test_near_duplicates_of_registry_partners_at_scale_are_all_found(contacts):
    rng = random.Random(5)
    partners = [make_partner(rng, i, contacts=contacts) for i in range(350)]
    existing = {f"p-{i}": {"id": f"p-{i}", **{k: v for k, v in p.items() if k != "misspelt"}}
                for i, p in enumerate(partners)}
    rows = [variant(rng.choice(partners), rng) for _ in range(3000)]
    plan = plan_import([Candidate(i + 2, row) for i, row in enumerate(rows)], snapshot(existing))
    assert outcome_counts(plan) == {"imported": 0, "duplicate": 3000, "rejected": 0}
