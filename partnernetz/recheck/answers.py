"""The partner's answer: what the answer page may show, and the corrections it sends.

The page shows only the public fields of the one partner the link names and
its public contact persons — never ``notes``, ``owners``, internal contacts
or anything of another partner (:func:`public_view`). Corrections become a
:class:`~partnernetz.recheck.state.Proposal`, one
:class:`~partnernetz.recheck.state.FieldProposal` per changed field; they
go live only when redaktion accepts them (:func:`apply_fields`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from partnernetz.i18n import t
from partnernetz.recheck.state import FieldProposal, Proposal
from partnernetz.registry.models import Partner
from partnernetz.registry.report import describe_pydantic_error

TEXT_FIELDS = ("name", "operator", "description", "phone", "email", "website", "opening_hours")
ADDRESS_FIELDS = ("street", "postcode", "district")
FIELDS = (*TEXT_FIELDS[:3], *ADDRESS_FIELDS, *TEXT_FIELDS[3:], "offers", "accessible", "contacts")
CONTACT_KEYS = ("name", "role", "phone", "email")
ACCESSIBLE = ("yes", "no", "unknown")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split()) if not isinstance(value, str) or "\n" not in value else value.strip()
    return text or None


def public_contacts(entry: Mapping[str, Any]) -> list[dict[str, str | None]]:
    """The entry's public contact persons (name, role, phone, e-mail)."""
    return [
        {k: _text(c.get(k)) for k in CONTACT_KEYS}
        for c in entry.get("contacts") or []
        if isinstance(c, Mapping) and c.get("visibility", "internal") == "public"
    ]


def public_view(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a partner sees and may correct on the answer page (and nothing else)."""
    address = entry.get("address") or {}
    view: dict[str, Any] = {key: _text(entry.get(key)) for key in TEXT_FIELDS}
    view.update({key: _text(address.get(key)) for key in ADDRESS_FIELDS})
    view["town"] = _text(entry.get("town"))
    view["offers"] = [str(o) for o in entry.get("offers") or []]
    accessible = entry.get("accessible")
    view["accessible"] = accessible if accessible in ACCESSIBLE else (
        "yes" if accessible is True else "no" if accessible is False else "unknown")
    view["contacts"] = public_contacts(entry)
    return view


def _normalise(field: str, value: Any) -> Any:
    if field == "offers":
        items = value.splitlines() if isinstance(value, str) else list(value or [])
        return [s for s in (_text(i) for i in items) if s]
    if field == "contacts":
        rows = []
        for row in value or []:
            contact = {k: _text(row.get(k)) for k in CONTACT_KEYS}
            if any(contact.values()):
                rows.append(contact)
        return rows
    if field == "accessible":
        return value if value in ACCESSIBLE else "unknown"
    return _text(value)


def changed_fields(entry: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[FieldProposal, ...]:
    """One :class:`FieldProposal` per field whose value in ``values`` differs from the entry."""
    view = public_view(entry)
    out = []
    for field in FIELDS:
        if field not in values:
            continue
        old = _normalise(field, view.get(field))
        new = _normalise(field, values[field])
        if old != new:
            out.append(FieldProposal(field=field, old=old, new=new))
    return tuple(out)


def apply_fields(entry: Mapping[str, Any], fields: Iterable[FieldProposal]) -> dict[str, Any]:
    """The entry with the ``fields`` set to their proposed values (internal contacts kept)."""
    new = dict(entry)
    for proposal in fields:
        field, value = proposal.field, proposal.new
        if field in ADDRESS_FIELDS:
            address = dict(new.get("address") or {})
            if value:
                address[field] = value
            else:
                address.pop(field, None)
            if address:
                new["address"] = address
            else:
                new.pop("address", None)
        elif field == "contacts":
            kept = [c for c in new.get("contacts") or []
                    if isinstance(c, Mapping) and c.get("visibility", "internal") != "public"]
            public = [{**{k: v for k, v in row.items() if v}, "visibility": "public"} for row in value or []]
            contacts = kept + public
            if contacts:
                new["contacts"] = contacts
            else:
                new.pop("contacts", None)
        elif field == "accessible":
            if value in ("yes", "no"):
                new["accessible"] = value
            else:
                new.pop("accessible", None)
        elif value in (None, [], ""):
            new.pop(field, None)
        else:
            new[field] = value
    return new


def field_label(field: str, lang: str) -> str:
    """The field as people know it ("Telefon", never "phone")."""
    return t(f"recheck.field.{field}", lang)


def proposal_problems(entry: Mapping[str, Any], fields: Sequence[FieldProposal], *, lang: str) -> list[str]:
    """What is wrong with the corrected entry (field label: message, German), empty when valid."""
    try:
        Partner.model_validate(apply_fields(entry, fields))
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [p for p in error.get("loc", ()) if isinstance(p, str)]
            field = next((p for p in loc if p in FIELDS), loc[0] if loc else "")
            if loc and loc[0] == "contacts":
                field = "contacts"
            problems.append(f"{field_label(field, lang)}: {describe_pydantic_error(error)}")
        return problems
    return []


def new_proposal(
    partner_id: str, token_id: str, fields: Sequence[FieldProposal], *, sender: str | None, now: dt.datetime,
) -> Proposal:
    """A proposal with a fresh id."""
    return Proposal(id=secrets.token_hex(6), partner_id=partner_id, token_id=token_id, time=now,
                    sender=_text(sender), fields=tuple(fields))


def show_value(field: str, value: Any, lang: str) -> str:
    """A field's value as one line of text for the Vorschläge list."""
    if value in (None, "", []):
        return "–"
    if field == "offers":
        return ", ".join(value)
    if field == "contacts":
        return "; ".join(", ".join(v for v in (c.get(k) for k in CONTACT_KEYS) if v) for c in value)
    if field == "accessible":
        return t(f"recheck.accessible.{value}", lang)
    return str(value)
