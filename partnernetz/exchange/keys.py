"""Comparison keys: names, streets, phone numbers, websites in a normal form.

Case, umlauts and ß folded; legal forms (e. V., gGmbH …) dropped;
"Städt."/"Kath."/"Ev."/"Gem."/"St." spelt out; "Str."/"Straße" the same;
phone numbers in E.164 (``phonenumbers``); websites as domain + path.
The word lists say which words carry no identity (generic words), and
which name a kind of organisation (two different kinds never match).
"""

from __future__ import annotations

import re

import phonenumbers

from partnernetz.text import fold_text

# E-mail domains many unrelated organisations share: no evidence by themselves.
SHARED_EMAIL_DOMAINS = frozenset({
    "schule.nrw.de", "gmx.de", "gmx.net", "web.de", "t-online.de", "gmail.com", "googlemail.com",
    "outlook.com", "outlook.de", "hotmail.com", "hotmail.de", "yahoo.de", "yahoo.com",
    "freenet.de", "arcor.de", "icloud.com", "posteo.de", "online.de", "aol.com", "live.de",
    "mail.de", "email.de", "example.org",
})

GENERIC_WORDS = frozenset({
    "stadtisch", "katholisch", "evangelisch", "gemeinschafts", "gemeinschaftsgrundschule",
    "grundschule", "schule", "hauptschule", "realschule", "gymnasium", "gesamtschule",
    "sekundarschule", "forderschule", "berufskolleg", "bekenntnisgrundschule", "kita",
    "kindergarten", "familienzentrum", "verein", "beratung", "beratungsstelle", "der", "die",
    "das", "des", "und", "fur", "im", "in", "am", "an", "zu", "stadt", "gemeinde", "kreis",
    "private", "privat", "primarstufe", "sekundarstufe", "i", "ii", "offene", "ganztagsschule",
    "ogs",
})

# Kinds of organisation: two names with different kinds are different partners.
KIND_WORDS = frozenset({
    "grundschule", "hauptschule", "realschule", "gymnasium", "gesamtschule", "sekundarschule",
    "forderschule", "berufskolleg", "weiterbildungskolleg", "kita", "kindergarten",
    "familienzentrum", "jugendzentrum", "beratungsstelle", "verein",
})

_LEGAL_FORMS = re.compile(
    r"\b(e\s?\.?\s?v\.?|ggmbh|gmbh|mbh|gug|ug|e\.?\s?g\.?|kdor|aor|co\.?\s?kg|kg|ag|ggmbh)(?=\s|$|[,.;)])"
)
_ABBREVIATIONS = (
    (r"\bstadt\.\s*|\bstadtisch(e|er|es|en)?\b", "stadtisch "),
    (r"\bkath\.\s*|\bkatholisch(e|er|es|en)?\b", "katholisch "),
    (r"\bev\.\s*|\bevangelisch(e|er|es|en)?\b", "evangelisch "),
    (r"\bgem\.\s*|\bgemeinschafts", "gemeinschafts"),
    (r"\bst\.\s*", "sankt "),
    (r"\bkita\b|\bkindertagesstatte\b|\bkindertageseinrichtung\b", "kita"),
    (r"\bgs\b", "grundschule"),
)
_STREET = re.compile(r"(str\.?|strasse)\b")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")




# --------------------------------------------------------------------------- normalising


def normalise_name(name: str | None) -> str:
    """Name for fuzzy comparison: folded, legal forms dropped, abbreviations spelt out."""
    text = fold_text(name or "")
    text = _LEGAL_FORMS.sub(" ", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = re.sub(pattern, replacement, text)
    text = _NON_WORD.sub(" ", text.replace("-", " "))
    return " ".join(text.split())


def normalise_street(street: str | None) -> str:
    """Street for comparison: ``Hauptstr. 5`` and ``Hauptstraße 5`` give ``hauptstr 5``."""
    text = fold_text(street or "")
    text = _STREET.sub("str", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = _NON_WORD.sub(" ", text.replace(" str", "str"))
    return " ".join(text.split())


_PHONE_SEPARATORS = re.compile(r"[\s()/\-.]+")
_NATIONAL = re.compile(r"^0[1-9][0-9]{4,13}$")


def normalise_phone(phone: str | None) -> str | None:
    """The number in E.164 (``+4952533894``), or None when it is not a phone number.

    A plain German national number (``05253 3894``) is converted directly,
    exactly as ``phonenumbers`` formats it; everything else (``+49 …``,
    ``0049 …``, extensions, foreign numbers) is parsed by ``phonenumbers``.
    """
    if not phone:
        return None
    compact = _PHONE_SEPARATORS.sub("", phone)
    if _NATIONAL.match(compact):
        return "+49" + compact[1:]
    try:
        parsed = phonenumbers.parse(phone, "DE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalise_website(url: str | None) -> str | None:
    """Domain without ``www.`` plus path, lower case, no trailing slash or query."""
    if not url:
        return None
    text = url.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    text = re.sub(r"^www\d?\.", "", text)
    text = re.sub(r"/(index|start)\.(html?|php)$", "", text)
    return text or None


def email_domain(email: str | None) -> str | None:
    """The domain of an address, lower case."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower()


def distinctive_words(name: str) -> list[str]:
    """The words of a normalised name that are not generic (at least 3 letters)."""
    return [w for w in name.split() if len(w) >= 3 and w not in GENERIC_WORDS]


def is_generic_name(name: str) -> bool:
    """Whether a normalised name has no word beyond kinds, operators and fillers."""
    return all(word in GENERIC_WORDS for word in name.split())
