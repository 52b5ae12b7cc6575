"""What the guide may show: the public, active partners as plain records.

The dataset is first reduced with :func:`partnernetz.dataset.dataset_for_role` for
the role ``public`` (internal contacts and notes are REMOVED, not hidden); then
only ``active`` partners are kept. The records below have no field for notes,
owners or internal contacts at all, so a template cannot show them by mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from partnernetz.access.roles import Role
from partnernetz.analysis.selection import data_stand
from partnernetz.dataset import Dataset, dataset_for_role
from partnernetz.registry.vocabulary import CategoryInfo
from partnernetz.text import fold_text

PUBLIC_STATUSES = ("active",)


@dataclass(frozen=True)
class LocalText:
    """A text as a page shows it: in the page's language, or German marked as such."""

    text: str
    german: bool  # True: the German original, shown because no translation exists


@dataclass(frozen=True)
class PublicContact:
    """A contact person the registry marks ``visibility: public``."""

    name: str
    role: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class GuideTown:
    """A town of the region with its page's file name."""

    ags: str
    name: str
    slug: str


@dataclass(frozen=True)
class GuidePartner:
    """One public partner: only what the public may read."""

    id: str
    name: str
    category: str
    subtype: str | None
    operator: str | None
    description: str | None
    town: str
    town_ags: str
    street: str | None
    postcode: str | None
    district: str | None
    serves: tuple[str, ...]
    serves_all: bool
    target_groups: tuple[str, ...]
    languages: tuple[str, ...]
    offers: tuple[str, ...]
    phone: str | None
    email: str | None
    website: str | None
    opening_hours: str | None
    accessible: str
    verified: dt.date | None
    lat: float
    lon: float
    contacts: tuple[PublicContact, ...] = ()
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def text(self, name: str, translation: str | None) -> LocalText | None:
        """``description`` or ``opening_hours`` in the language ``translation``."""
        german = getattr(self, name)
        if not german:
            return None
        if translation is None:
            return LocalText(german, german=False)
        translated = (self.translations.get(translation) or {}).get(name)
        return LocalText(translated, german=False) if translated else LocalText(german, german=True)

    def offer_texts(self, translation: str | None) -> list[LocalText]:
        """The offers in the language ``translation`` (German where not translated)."""
        translated = tuple((self.translations.get(translation) or {}).get("offers") or ()) \
            if translation else ()
        if translation is None:
            return [LocalText(o, german=False) for o in self.offers]
        if len(translated) == len(self.offers):
            return [LocalText(t, german=False) for t in translated]
        return [LocalText(o, german=True) for o in self.offers]


@dataclass(frozen=True)
class GuideData:
    """Everything the guide is built from."""

    region: str
    kreis: str
    feedback_name: str | None
    feedback_email: str | None
    feedback_phone: str | None
    categories: Mapping[str, CategoryInfo]
    towns: tuple[GuideTown, ...]
    partners: tuple[GuidePartner, ...]
    data_date: dt.date | None
    attribution: str

    def town_name(self, ags: str) -> str:
        """The official name of a town of the region (the key where unknown)."""
        return self._names.get(ags, ags)

    @property
    def _names(self) -> dict[str, str]:
        return {t.ags: t.name for t in self.towns}


def town_slug(name: str) -> str:
    """A file name for a town: folded, ASCII letters and digits joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold_text(name).replace("ß", "ss")).strip("-")
    return slug or "ort"


def town_list(towns: Sequence[tuple[str, str]]) -> tuple[GuideTown, ...]:
    """Towns (ags, name) with unique slugs, sorted by name."""
    out, used = [], set()
    for ags, name in sorted(towns, key=lambda t: fold_text(t[1])):
        slug = town_slug(name)
        if slug in used:
            slug = f"{slug}-{ags}"
        used.add(slug)
        out.append(GuideTown(ags, name, slug))
    return tuple(out)


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def public_guide_data(dataset: Dataset) -> GuideData:
    """The guide's data: the dataset as the public may see it, active partners only."""
    public = dataset_for_role(dataset, Role.PUBLIC)
    frame = public.partners
    frame = frame[frame["status"].isin(PUBLIC_STATUSES)]
    partners = []
    for row in frame.drop(columns="geometry").to_dict("records"):
        contacts = tuple(
            PublicContact(c["name"], c.get("role"), c.get("phone"), c.get("email"))
            for c in row.get("contacts") or () if c.get("visibility") == "public"
        )
        partners.append(GuidePartner(
            id=row["id"], name=row["name"], category=row["category"],
            subtype=_value(row["subtype"]), operator=_value(row["operator"]),
            description=_value(row["description"]), town=row["town"], town_ags=row["town_ags"],
            street=_value(row["street"]), postcode=_value(row["postcode"]),
            district=_value(row["district"]), serves=tuple(row["serves"] or ()),
            serves_all=bool(row["serves_all"]), target_groups=tuple(row["target_groups"] or ()),
            languages=tuple(row["languages"] or ()), offers=tuple(row["offers"] or ()),
            phone=_value(row["phone"]), email=_value(row["email"]),
            website=_safe_url(_value(row["website"])),
            opening_hours=_value(row["opening_hours"]), accessible=row["accessible"],
            verified=_value(row["verified"]), lat=float(row["lat"]), lon=float(row["lon"]),
            contacts=contacts, translations=dict(row.get("translations") or {}),
        ))
    partners.sort(key=lambda p: (fold_text(p.name), p.id))
    contact = dataset.region.accessibility
    towns = town_list(list(zip(dataset.towns["ags"], dataset.towns["name"], strict=True)))
    return GuideData(
        region=dataset.region.name, kreis=dataset.region.kreis,
        feedback_name=contact.name if contact else None,
        feedback_email=contact.email if contact else None,
        feedback_phone=contact.phone if contact else None,
        categories=dataset.categories, towns=towns, partners=tuple(partners),
        data_date=data_stand(frame, source=dataset.source), attribution=dataset.attribution,
    )


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links reach a page (the registry checks this too)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def partners_of_town(data: GuideData, ags: str) -> list[GuidePartner]:
    """The partners located in the town ``ags`` or serving it."""
    return [p for p in data.partners if p.serves_all or p.town_ags == ags or ags in p.serves]
