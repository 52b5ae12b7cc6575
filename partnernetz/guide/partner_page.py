"""The partner pages, rendered in plain Python: eight per partner, so they must be fast.

The page's frame (head, language links, header, footer) is rendered once per
language with Jinja2 from ``base.html`` and filled per partner; the main part is
built here. Every piece of partner text goes through :func:`html.escape`;
the language-neutral pieces (address, phone, links, contacts) are built once per
partner and shared by the eight languages.
"""

from __future__ import annotations

from html import escape

from partnernetz.guide import messages
from partnernetz.guide.content import GuidePartner, LocalText
from partnernetz.guide.pages import PageRenderer, format_day

ID, TITLE, MAIN = "\x00ID\x00", "\x00TITLE\x00", "\x00MAIN\x00"
SHELL = '{% extends "base.html" %}{% block main %}' + MAIN + "{% endblock %}"
GERMAN = ' lang="de" dir="ltr"'


def _ltr(text: str) -> str:
    return f'<bdi dir="ltr">{escape(text)}</bdi>'


def _tel(phone: str) -> str:
    return f'<a href="tel:{escape(phone.replace(" ", ""))}">{_ltr(phone)}</a>'


def _mail(email: str) -> str:
    return f'<a href="mailto:{escape(email)}">{_ltr(email)}</a>'


def _neutral(p: GuidePartner, served: str) -> dict[str, str]:
    """The language-neutral pieces of a partner page (escaped HTML)."""
    address = []
    if p.street:
        address.append(escape(p.street) + "<br>")
    if p.postcode:
        address.append(escape(p.postcode) + " ")
    address.append(escape(p.town))
    if p.district:
        address.append(f" ({escape(p.district)})")
    contacts = []
    for c in p.contacts:
        bits = [f"<span{GERMAN}>{escape(c.name)}" + (f" ({escape(c.role)})" if c.role else "")
                + "</span>"]
        if c.phone:
            bits.append(_tel(c.phone))
        if c.email:
            bits.append(_mail(c.email))
        contacts.append("<li>" + " · ".join(bits) + "</li>")
    return {
        "name": escape(p.name),
        "subtype": f" · <span{GERMAN}>{escape(p.subtype)}</span>" if p.subtype else "",
        "operator": f"<span{GERMAN}>{escape(p.operator)}</span>" if p.operator else "",
        "address": "".join(address),
        "phone": _tel(p.phone) if p.phone else "",
        "email": _mail(p.email) if p.email else "",
        "website": (f'<a href="{escape(p.website)}">{_ltr(p.website)}</a>' if p.website else ""),
        "route": ("https://www.openstreetmap.org/directions?to="
                  f"{p.lat:.5f}%2C{p.lon:.5f}"),
        "contacts": "".join(contacts),
        "served": f"<span{GERMAN}>{escape(served)}</span>",
    }


class PartnerPages:
    """Writes the partner pages of one language."""

    def __init__(self, renderer: PageRenderer, shared: dict[str, dict[str, str]]) -> None:
        self.r = renderer
        self.shared = shared  # language-neutral pieces by partner id, shared by the languages
        lang = renderer.lang
        self.t = {key: escape(renderer.gettext(msg)) for key, msg in messages.PARTNER_TEXTS.items()}
        self.mark = (f' <span class="de-mark" lang="{lang.tag}" dir="{lang.direction}">'
                     f'{self.t["german"]}</span>')
        self.frame = renderer.env.from_string(SHELL).render(
            **renderer.common(f"partner/{ID}.html", "partner"), title=TITLE)
        self.home = f'{"../../"}{lang.code}/index.html'
        self.groups = {k: escape(renderer.group_label(k)) for k in messages.TARGET_GROUPS}
        self.categories = {k: escape(renderer.category_label(k)) for k in renderer.data.categories}
        self.accessible = {k: escape(renderer.gettext(v)) for k, v in messages.ACCESSIBLE.items()}
        self.towns = {t.ags: t for t in renderer.data.towns}
        self.region = renderer.data.region

    def _local(self, value: LocalText | None, tag: str = "p") -> str:
        if value is None:
            return ""
        if value.german:  # the block keeps the page's direction; the German text is isolated
            return f"<{tag}><span{GERMAN}>{escape(value.text)}</span>{self.mark}</{tag}>"
        return f"<{tag}>{escape(value.text)}</{tag}>"

    def render(self, p: GuidePartner) -> str:
        """The whole page of ``p``."""
        t, lang = self.t, self.r.lang
        translation = lang.translation
        n = self.shared.get(p.id)
        if n is None:
            served = ", ".join(self.r.data.town_name(a) for a in p.serves)
            n = self.shared[p.id] = _neutral(p, served)
        town = self.towns.get(p.town_ags)
        town_name = town.name if town else p.town
        town_link = (f' › <a href="../../{lang.code}/orte/{town.slug}.html">'
                     f'{escape(self.r.gettext(messages.PARTNER_TEXTS["town"]) % {"town": town_name})}</a>'
                     if town else "")
        out = [
            f'<nav aria-label="{t["here"]}" class="crumbs"><a href="{self.home}">{t["home"]}</a>'
            f"{town_link}</nav>",
            f"<h1><span{GERMAN}>{n['name']}</span></h1>",
            f'<p class="kind">{self.categories.get(p.category, escape(p.category))}{n["subtype"]}</p>',
        ]
        if n["operator"]:
            out.append(f"<p>{t['operator']}: {n['operator']}</p>")
        out.append(self._local(p.text("description", translation)))
        offers = p.offer_texts(translation)
        if offers:
            out.append(f"<h2>{t['offers']}</h2><ul>"
                       + "".join(self._local(o, "li") for o in offers) + "</ul>")
        if p.target_groups:
            out.append(f"<h2>{t['groups']}</h2><ul>" + "".join(
                f"<li>{self.groups.get(g, escape(g))}</li>" for g in p.target_groups) + "</ul>")
        if p.languages:
            out.append(f"<h2>{t['languages']}</h2><p>{escape(self.r.language_list(p.languages))}</p>")
        out.append(f"<h2>{t['address']}</h2><p><span{GERMAN}>{n['address']}</span></p>")
        opening = p.text("opening_hours", translation)
        if opening:
            out.append(f"<h2>{t['hours']}</h2>{self._local(opening)}")
        out.append(f"<h2>{t['accessibility']}</h2><p>"
                   f"{self.accessible.get(p.accessible, self.accessible['unknown'])}</p>")
        reach = []
        for key in ("phone", "email", "website"):
            if n[key]:
                reach.append(f"<li>{t[key]}: {n[key]}</li>")
        reach.append(f'<li><a href="{n["route"]}">{t["route"]}</a></li>')
        out.append(f"<h2>{t['reach']}</h2><ul class=\"reach\">" + "".join(reach) + "</ul>")
        if n["contacts"]:
            out.append(f"<h2>{t['contacts']}</h2><ul>{n['contacts']}</ul>")
        whole = escape(self.r.gettext(messages.PARTNER_TEXTS["serves_all"]) % {"region": self.region})
        out.append(f"<h2>{t['serves']}</h2><p>{whole if p.serves_all else n['served']}</p>")
        if p.verified:
            date = escape(self.r.gettext(messages.PARTNER_TEXTS["verified"])) % {
                "date": _ltr(format_day(p.verified))}
            out.append(f'<p class="hint">{date}</p>')
        return (self.frame.replace(ID, p.id).replace(TITLE, n["name"])
                .replace(MAIN, "\n".join(x for x in out if x)))
