"""The guide's pages as HTML: Jinja2 templates with autoescape, one environment per language.

Every piece of partner text goes through Jinja2's autoescape; the UI texts come
from the gettext catalogs (:mod:`partnernetz.guide.languages`). Links are
relative (``root`` is ``../`` or ``../../``), so the site runs under any path.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.lists import format_list
from jinja2 import BytecodeCache, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from partnernetz.guide import messages
from partnernetz.guide.content import GuideData, GuidePartner, GuideTown, partners_of_town
from partnernetz.guide.languages import GUIDE_LANGUAGES, GuideLanguage, gettext_for
from partnernetz.registry.vocabulary import TARGET_GROUPS

TEMPLATES = Path(__file__).parent / "templates"


def format_day(day: dt.date | None) -> str:
    """A date as the guide writes it in every language: 21.11.2026."""
    return day.strftime("%d.%m.%Y") if day else "–"


def ltr_day(day: dt.date | None) -> Markup:
    """:func:`format_day` kept left to right inside right-to-left text."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(escape(format_day(day)))


@cache
def language_names(locale: str) -> dict[str, str]:
    """ISO 639-1 code → language name in ``locale`` (CLDR via Babel)."""
    names = Locale.parse(locale).languages
    return {code: name for code, name in names.items() if len(code) == 2}


class _SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory: the eight languages compile each template once."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Any) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


BYTECODE = _SharedBytecode()


def _town_partners(data: GuideData, ags: str) -> list[GuidePartner]:
    """:func:`partners_of_town`, computed once per town for all eight languages."""
    cached = _TOWN_CACHE.get(id(data))
    if cached is None or cached[0] is not data:
        cached = (data, {})
        _TOWN_CACHE.clear()
        _TOWN_CACHE[id(data)] = cached
    table = cached[1]
    if ags not in table:
        table[ags] = partners_of_town(data, ags)
    return table[ags]


_TOWN_CACHE: dict[int, tuple[GuideData, dict[str, list[GuidePartner]]]] = {}


@cache
def _language_list(codes: tuple[str, ...], locale: str) -> str:
    names = language_names(locale)
    items = [names.get(code, code) for code in codes]
    return format_list(items, locale=locale) if items else ""


class PageRenderer:
    """Renders the pages of one language variant."""

    def __init__(self, lang: GuideLanguage, data: GuideData, *, licence: str,
                 canonical_base: str | None = None) -> None:
        self.lang = lang
        self.data = data
        self.licence = licence
        self.canonical_base = canonical_base
        gettext = gettext_for(lang.code)
        self.gettext = gettext
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                          extensions=["jinja2.ext.i18n"], bytecode_cache=BYTECODE)
        env.install_gettext_callables(gettext, lambda s, p, n: gettext(s if n == 1 else p),
                                      newstyle=True)
        env.globals.update(
            lang=lang, languages=GUIDE_LANGUAGES, region=data.region,
            date_text=ltr_day(data.data_date), category_label=self.category_label,
            group_label=self.group_label, language_list=self.language_list,
        )
        self.env = env
        self._items: dict[str, Markup] = {}

    # ------------------------------------------------------------------ labels

    def category_label(self, key: str) -> str:
        """The category's label in this language (the registry's German label for own ones)."""
        if key in messages.CATEGORIES:
            return self.gettext(messages.CATEGORIES[key])
        info = self.data.categories.get(key)
        return info.label_de if info else key

    def group_label(self, key: str) -> str:
        """A target group's label in this language."""
        if key in messages.TARGET_GROUPS:
            return self.gettext(messages.TARGET_GROUPS[key])
        term = TARGET_GROUPS.get(key)
        return term.de if term else key

    def language_list(self, codes: Iterable[str]) -> str:
        """Language names in this language, joined as the language joins lists."""
        return _language_list(tuple(codes), self.lang.locale)

    # ------------------------------------------------------------------ pages

    def common(self, page_path: str, kind: str) -> dict[str, Any]:
        depth = page_path.count("/") + 1
        canonical = (f"{self.canonical_base}{self.lang.code}/{page_path}"
                     if self.canonical_base else None)
        return {"root": "../" * depth, "page_path": page_path, "page_kind": kind,
                "canonical": canonical}

    def start(self, *, basemaps: list[tuple[str, str, str | None, str | None]]) -> str:
        """The start page: search, filters, towns, map, open data."""
        data = self.data
        counts = {t.ags: 0 for t in data.towns}
        for p in data.partners:
            for ags in (counts if p.serves_all else {p.town_ags, *p.serves}):
                if ags in counts:
                    counts[ags] += 1
        used_categories = [k for k in data.categories if any(p.category == k for p in data.partners)]
        spoken = sorted({code for p in data.partners for code in p.languages},
                        key=lambda c: language_names(self.lang.locale).get(c, c))
        names = language_names(self.lang.locale)
        config = {
            "lang": self.lang.code,
            "categories": {k: self.category_label(k) for k in data.categories},
            "colours": {k: c.colour for k, c in data.categories.items()},
            "towns": [[t.ags, t.name, t.slug] for t in data.towns],
            "languages": {code: names.get(code, code) for code in spoken},
            "groups": {k: self.group_label(k) for k in messages.TARGET_GROUPS},
            "texts": {k: self.gettext(v) for k, v in messages.SCRIPT_TEXTS.items()},
        }
        return self.env.get_template("start.html").render(
            **self.common("index.html", "start"),
            inline_css=inline_css(),  # the entry page paints without waiting for a second request
            title=self.gettext("Startseite"),
            towns=data.towns,
            town_counts=[(t, counts[t.ags]) for t in data.towns],
            category_options=[(k, self.category_label(k)) for k in used_categories],
            language_options=[(c, names.get(c, c)) for c in spoken],
            group_options=[(k, self.group_label(k)) for k in messages.FILTER_GROUPS],
            basemaps=[(k, self.gettext(label) if k == "none" else label, url, attribution)
                      for k, label, url, attribution in basemaps],
            licence=self.licence,
            config_json=json_for_script(config),
        )

    def item(self, p: GuidePartner) -> Markup:
        """A partner's entry in a town's list (escaped HTML, cached per partner)."""
        html = self._items.get(p.id)
        if html is None:
            html = self._items[p.id] = Markup(  # noqa: S704 - every value escaped here
                f'<li class="card"><a href="../../{self.lang.code}/partner/{escape(p.id)}.html">'
                f'<span lang="de" dir="ltr">{escape(p.name)}</span></a>\n<span class="meta">'
                f'{escape(self.category_label(p.category))} · <span lang="de" dir="ltr">'
                f"{escape(p.town)}</span></span></li>")
        return html

    def town(self, town: GuideTown) -> str:
        """``Angebote in <town>``: the partners in or serving it, by category."""
        partners = _town_partners(self.data, town.ags)
        groups = []
        for key in self.data.categories:
            items = [self.item(p) for p in partners if p.category == key]
            if items:
                groups.append((key, self.category_label(key), items))
        return self.env.get_template("town.html").render(
            **self.common(f"orte/{town.slug}.html", "town"),
            title=self.gettext("Angebote in %(town)s") % {"town": town.name},
            town=town, groups=groups, count=len(partners),
        )

    def simple(self, name: str, template: str, title: str) -> str:
        """The Leichte Sprache or the accessibility page."""
        data = self.data
        return self.env.get_template(template).render(
            **self.common(name, name.removesuffix(".html")), title=self.gettext(title),
            feedback_name=data.feedback_name, feedback_email=data.feedback_email,
            feedback_phone=data.feedback_phone,
        )


@cache
def inline_css() -> Markup:
    """The style sheet for a ``<style>`` element (it holds no ``</``)."""
    css = (Path(__file__).parent / "assets" / "guide.css").read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError("guide.css must not contain '</'")
    return Markup(css)  # noqa: S704 - our own file, checked above


def render_root(data: GuideData) -> str:
    """The language choice at the site's root."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("root.html").render(region=data.region, languages=GUIDE_LANGUAGES)


def json_for_script(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">`` (no ``</``, no ``<!--``).

    The result is marked safe for Jinja2: every ``<``, ``>`` and ``&`` is escaped
    as a JSON unicode escape instead.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped for the script context above


RenderFn = Callable[[PageRenderer], str]
