"""Write the two fictional demo registries of Partnernetz.

    .venv/bin/python scripts/make_demo_registries.py

writes ``data/partners.yaml`` (Kreis Höxter) and
``data/examples/hochsauerlandkreis.yaml`` (Hochsauerlandkreis). Every
organisation, person, address, phone number and e-mail address is invented.
The output is deterministic: a fixed seed per region, no set iteration, no
clock; rerunning gives identical bytes.

The files are written by a small emitter of our own (not ``yaml.dump``) so
they look hand-maintained: header comments, one section comment per category,
a blank line between partners, keys in the model's field order, short code
lists in flow style, nothing empty. Before writing, the script checks that
the text loads back to exactly the generated data, that it validates against
:class:`partnernetz.registry.models.Registry`, that ids are unique, and, for Kreis
Höxter, that the white spots are exactly the four intended ones.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

TODAY = dt.date(2026, 11, 21)
FRESH_SINCE = dt.date(2025, 11, 21)  # verified on or after this day: younger than 12 months
OLDEST = dt.date(2023, 1, 9)
NEWEST = dt.date(2026, 11, 15)
OLD_SHARE = 0.2  # share of check dates older than twelve months

FIELD_ORDER = (
    "id", "name", "category", "subtype", "operator", "description", "town", "address",
    "location", "serves", "stages", "target_groups", "languages", "offers", "phone", "email",
    "website", "contacts", "identifiers", "opening_hours", "accessible", "status", "verified",
    "notes", "owners", "translations",
)
FLOW_LISTS = ("serves", "stages", "target_groups", "languages")
CATEGORY_ORDER = (
    "schule", "kita", "jugendhilfe", "verwaltung", "beratung", "einrichtung", "ehrenamt",
)
SECTION_TITLES = {
    "schule": "Schulen und Bildungseinrichtungen",
    "kita": "Kitas und Familienzentren",
    "jugendhilfe": "Kinder- und Jugendhilfe",
    "verwaltung": "Kommunale Ämter und Dienststellen",
    "beratung": "Beratungsstellen",
    "einrichtung": "Weitere regionale Einrichtungen",
    "ehrenamt": "Ehrenamtliche Initiativen und Vereine",
    "gesundheit": "Gesundheit (eigene Kategorie dieser Datei)",
}
KIM = "KIM Case Management"
MAX_LINE = 100
GEMEINDEN = ("Bestwig", "Eslohe (Sauerland)")  # the only towns here without town rights
JUGEND, VERW, BERATUNG, EINR, EHREN, GESUND = (
    "jugendhilfe", "verwaltung", "beratung", "einrichtung", "ehrenamt", "gesundheit",
)
QUOTED = ("phone", "postcode", "kreis")  # always quoted, even where plain would do


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class PostArea:
    """One postcode of a town with its telephone area code and Ortsteile."""

    postcode: str
    area_code: str
    districts: tuple[str, ...]


@dataclass(frozen=True)
class Town:
    name: str                     # official name, as in the gazetteer
    short: str                    # name as used in organisation names
    population: int
    centre: tuple[float, float]   # (lat, lon) of the official centre point
    areas: tuple[PostArea, ...]   # first one: the town centre

    @property
    def slug(self) -> str:
        return slugify(self.short)


@dataclass(frozen=True)
class RegionSpec:
    key: str
    name: str
    kreis: str
    path: str
    schema: str
    seed: int
    towns: tuple[Town, ...]

    def town(self, name: str) -> Town:
        for town in self.towns:
            if town.name == name or town.short == name:
                return town
        raise KeyError(name)


def _town(name: str, pop: int, lat: float, lon: float, *areas: tuple[str, str, str],
          short: str | None = None) -> Town:
    return Town(
        name, short or name, pop, (lat, lon),
        tuple(PostArea(pc, code, tuple(d.split(", ")) if d else ()) for pc, code, d in areas),
    )


HOEXTER = RegionSpec(
    key="hoexter",
    name="Kreis Höxter",
    kreis="05762",
    path="data/partners.yaml",
    schema="../schema/partners.schema.json",
    seed=5762,
    towns=(
        _town("Bad Driburg", 18572, 51.7361, 9.0170,
              ("33014", "05253", "Alhausen, Dringenberg, Herste, Neuenheerse, Pömbsen, Reelsen")),
        _town("Beverungen", 12664, 51.6628, 9.3727,
              ("37688", "05273", "Amelunxen, Dalhausen, Herstelle, Wehrden, Würgassen, Drenke")),
        _town("Borgentreich", 8727, 51.5715, 9.2404,
              ("34434", "05643", "Borgholz, Bühne, Großeneder, Körbecke, Natingen, Lütgeneder")),
        _town("Brakel", 16196, 51.7168, 9.1844,
              ("33034", "05272", "Bökendorf, Hembsen, Erkeln, Gehrden, Riesel, Istrup")),
        _town("Höxter", 28012, 51.7757, 9.3816,
              ("37671", "05271",
               "Ottbergen, Albaxen, Stahle, Lüchtringen, Godelheim, Bruchhausen")),
        _town("Marienmünster", 4802, 51.8193, 9.2295,
              ("37696", "05276", "Vörden, Bredenborn, Kollerbeck, Altenbergen, Löwendorf")),
        _town("Nieheim", 5977, 51.8041, 9.1100,
              ("33039", "05274", "Entrup, Erwitzen, Holzhausen, Merlsheim, Sommersell")),
        _town("Steinheim", 12106, 51.8668, 9.0966,
              ("32839", "05233", "Bergheim, Ottenhausen, Sandebeck, Vinsebeck, Rolfzen")),
        _town("Warburg", 23211, 51.4889, 9.1460,
              ("34414", "05641", "Scherfede, Rimbeck, Ossendorf, Menne, Daseburg, Welda")),
        _town("Willebadessen", 8180, 51.6247, 9.0287,
              ("34439", "05646", "Peckelsheim, Altenheerse, Borlinghausen, Helmern, Löwen")),
    ),
)

HSK = RegionSpec(
    key="hsk",
    name="Hochsauerlandkreis",
    kreis="05958",
    path="data/examples/hochsauerlandkreis.yaml",
    schema="../../schema/partners.schema.json",
    seed=5958,
    towns=(
        _town("Arnsberg", 74861, 51.3958, 8.0648,
              ("59821", "02931", "Niedereimer, Breitenbruch, Wennigloh"),
              ("59755", "02932", "Neheim"),
              ("59757", "02932", "Voßwinkel, Bachum"),
              ("59759", "02932", "Hüsten, Herdringen, Bruchhausen, Holzen, Müschede"),
              ("59823", "02937", "Oeventrop, Rumbeck, Uentrop")),
        _town("Bestwig", 10238, 51.3611, 8.3982,
              ("59909", "02904", "Velmede, Nuttlar, Ramsbeck, Ostwig, Heringhausen")),
        _town("Brilon", 25279, 51.3955, 8.5681,
              ("59929", "02961", "Alme, Madfeld, Thülen, Scharfenberg, Hoppecke, Gudenhagen")),
        _town("Eslohe (Sauerland)", 8782, 51.2573, 8.1748,
              ("59889", "02973", "Wenholthausen, Cobbenrode, Reiste, Bremke"), short="Eslohe"),
        _town("Hallenberg", 4375, 51.1120, 8.6212,
              ("59969", "02984", "Hesborn, Liesen, Braunshausen")),
        _town("Marsberg", 19471, 51.4596, 8.8550,
              ("34431", "02992", "Niedermarsberg, Obermarsberg, Bredelar, Giershagen, Westheim")),
        _town("Medebach", 7965, 51.1981, 8.7049,
              ("59964", "02982", "Oberschledorn, Düdinghausen, Dreislar, Medelon")),
        _town("Meschede", 29632, 51.3469, 8.2852,
              ("59872", "0291", "Freienohl, Eversberg, Wennemen, Calle, Grevenstein")),
        _town("Olsberg", 14740, 51.3557, 8.4727,
              ("59939", "02962", "Bigge, Antfeld, Assinghausen, Elleringhausen")),
        _town("Schmallenberg", 24518, 51.1538, 8.2855,
              ("57392", "02972", "Bad Fredeburg, Bödefeld, Oberkirchen, Gleidorf, Dorlar")),
        _town("Sundern (Sauerland)", 27677, 51.3301, 8.0056,
              ("59846", "02933", "Hachen, Langscheid, Stockum, Allendorf, Endorf"),
              short="Sundern"),
        _town("Winterberg", 12974, 51.1943, 8.5341,
              ("59955", "02981", "Siedlinghausen, Niedersfeld, Züschen, Silbach")),
    ),
)


# --------------------------------------------------------------------------- vocabulary pools

STREETS = (
    "Hauptstraße", "Kirchstraße", "Schulstraße", "Bahnhofstraße", "Marktstraße", "Lindenweg",
    "Gartenstraße", "Mühlenweg", "Bergstraße", "Ringstraße", "Lange Straße", "Am Markt",
    "Am Rathaus", "Poststraße", "Kastanienallee", "Wiesenweg", "Birkenweg", "Am Sportplatz",
    "Friedhofstraße", "Breite Straße", "Brunnenstraße", "Am Kirchplatz", "Ahornweg",
    "Im Winkel", "Feldstraße", "Sonnenweg", "Am Mühlenteich", "Eichenweg", "Burgstraße",
    "Talstraße", "Zum Sportplatz", "Schützenstraße", "Am Park", "Nordstraße", "Südring",
)
FIRST_NAMES = (
    "Mara", "Jonas", "Lea", "Ahmad", "Olena", "Ayşe", "Tomasz", "Fatima", "Lukas", "Sofia",
    "Emre", "Nadia", "Paul", "Hanna", "Yusuf", "Mila", "Ben", "Leyla", "Dmytro", "Zeynep",
    "Elias", "Amira", "Jan", "Ilka", "Karim", "Greta", "Samir", "Ida", "Oksana", "Milan",
    "Rania", "Henrik", "Selin", "Anton", "Maryam", "Tobias",
)
LAST_NAMES = (
    "Beispiel", "Muster", "Mustermann", "Musterfrau", "Probe", "Exempel", "Platzhalter",
    "Vorlage", "Beispielmann", "Testfeld", "Musterhaus", "Probst-Beispiel",
)
# Weighted: languages that are more common in the region come up more often.
LANGUAGES = (
    ("ar", 9), ("tr", 8), ("uk", 8), ("ru", 7), ("pl", 5), ("en", 6), ("fa", 4), ("ku", 4),
    ("ro", 3), ("bg", 3), ("ti", 2), ("so", 1), ("fr", 3), ("sq", 2), ("ps", 2), ("it", 1),
)
GS_NAMES = (
    "Am Lindenhof", "Regenbogen", "Kleeblatt", "Am Wiesenrain", "Sonnenberg", "Am Mühlbach",
    "Schwalbennest", "Am Kastanienplatz", "Drei Eichen", "Am Burgwall", "Löwenzahn",
    "Am Weidenbach", "Himmelsleiter", "Am Fuchsbau", "Sternschnuppe", "Am Apfelgarten",
    "Bunte Feder", "Am Quellenweg", "Vogelsang", "Am Hasenberg", "Kompass", "Am Rosengarten",
    "Wolkenschiff", "Am Steinbruch", "Brückenschlag", "Am Hirschsprung", "Pusteblume",
    "Am Bienenstock", "Mosaik", "Am Talblick", "Leuchtturm", "Am Wacholderhang",
)
KITA_NAMES = (
    "Regenbogenland", "Pusteblume", "Zwergenburg", "Wichtelhaus", "Spatzennest", "Kunterbunt",
    "Löwenherz", "Sternenzelt", "Marienkäfer", "Wirbelwind", "Purzelbaum", "Schatzkiste",
    "Abenteuerland", "Igelhöhle", "Waldwichtel", "Bärenhöhle", "Funkelstein", "Himmelblau",
    "Traumfänger", "Sausewind", "Glückskäfer", "Kleine Strolche", "Hummelhaus", "Wolkenburg",
    "Fliegenpilz", "Seifenblase", "Entdeckerland", "Mäuseburg", "Sonnenblume", "Schneckenhaus",
    "Tausendfüßler", "Drachenflug", "Farbklecks", "Zaubergarten", "Eulennest", "Apfelbäumchen",
    "Froschkönig", "Rasselbande", "Lummerland", "Weltentdecker", "Baumhaus", "Am Bachlauf",
    "Sonnenstrahl", "Libelle", "Windrad", "Kuschelnest",
)
OFFERS = {
    "grundschule": (
        "Sprachförderung", "Deutsch als Zweitsprache", "Herkunftssprachlicher Unterricht",
        "Offener Ganztag", "Elterncafé", "Rucksack Schule", "Hausaufgabenhilfe",
        "Seiteneinstieg", "Lesepatenschaften", "Elternbegleitung",
    ),
    "sek": (
        "Seiteneinstieg", "Deutschförderklasse", "Deutsch als Zweitsprache",
        "Herkunftssprachlicher Unterricht", "Berufsorientierung", "Kein Abschluss ohne Anschluss",
        "Schulsozialarbeit", "Hausaufgabenhilfe", "Elterncafé", "Sprachförderung",
    ),
    "bk": (
        "Internationale Förderklasse", "Ausbildungsvorbereitung", "Deutsch als Zweitsprache",
        "Berufsorientierung", "Sprachförderung", "Bildungsberatung", "Seiteneinstieg",
    ),
    "foerderschule": (
        "Sprachförderung", "Offener Ganztag", "Elternberatung", "Unterstützte Kommunikation",
    ),
    "kita": (
        "Sprachförderung", "Alltagsintegrierte Sprachbildung", "Rucksack KiTa", "Griffbereit",
        "Elterncafé", "Elternbegleitung", "Mehrsprachige Bilderbücher", "U3-Betreuung",
    ),
    "fz": (
        "Familienberatung vor Ort", "Elternkurse", "Rucksack KiTa", "Griffbereit", "Elterncafé",
        "Sprachförderung", "Mehrsprachige Bilderbücher", "Offene Sprechstunde",
    ),
}
HOURS = {
    "schule": (
        "Sekretariat Mo–Fr 7:30–12:30", "Sekretariat Mo–Do 7:30–14:00, Fr 7:30–12:00",
        "Mo–Fr 7:45–13:00", "Sekretariat Mo, Mi, Fr 8:00–12:00",
    ),
    "kita": (
        "Mo–Fr 7:00–16:30", "Mo–Do 7:15–16:00, Fr 7:15–14:00", "Mo–Fr 7:30–16:00",
        "Mo–Fr 7:00–17:00",
    ),
    "amt": (
        "Mo–Fr 8:30–12:00, Do 14:00–17:30", "Mo–Mi 8:00–12:00, Do 8:00–17:00",
        "Mo, Di, Do 8:30–12:00 und nach Vereinbarung", "Mo–Fr 8:00–12:30",
    ),
    "beratung": (
        "Offene Sprechstunde Di 9:00–12:00, sonst nach Vereinbarung",
        "Mo–Do 9:00–15:00, Termine nach Vereinbarung", "Mi 14:00–17:00 und nach Vereinbarung",
        "Mo und Do 9:00–12:00", "nach Vereinbarung",
    ),
    "jugend": (
        "Di–Fr 14:00–20:00", "Mo, Mi, Fr 15:00–19:00", "Di–Do 15:00–21:00, Sa 14:00–18:00",
        "Mo–Fr 14:30–19:30",
    ),
    "einrichtung": (
        "Mo–Fr 9:00–12:00, Di und Do 14:00–18:00", "Di–Fr 10:00–18:00, Sa 10:00–13:00",
        "Mo–Do 8:30–16:00, Fr 8:30–13:00",
    ),
    "ehrenamt": (
        "Mi 16:00–18:00", "jeden 1. und 3. Samstag 10:00–12:00", "Do 15:00–17:30",
        "Di 17:00–19:00", "Fr 15:00–17:00",
    ),
}
ROLES = {
    "schule": ("Schulleitung", "Stellv. Schulleitung", "Koordination DaZ", "Schulsozialarbeit"),
    "kita": ("Leitung", "Stellv. Leitung", "Sprachfachkraft", "Koordination Familienzentrum"),
    "jugendhilfe": ("Leitung", "Sozialarbeit", "Koordination", "Fachdienst"),
    "verwaltung": ("Sachbearbeitung", "Koordination", "Teamleitung", "Fallmanagement"),
    "beratung": ("Beratung", "Leitung", "Sozialarbeit", "Koordination"),
    "einrichtung": ("Fachbereichsleitung", "Kursberatung", "Koordination", "Leitung"),
    "ehrenamt": ("Vorsitz", "Ansprechperson", "Koordination", "Kassenwart"),
    "gesundheit": ("Koordination", "Sachbearbeitung", "Leitung"),
}
SCHOOL_DESCRIPTIONS = (
    "Mit Förderangeboten für neu zugewanderte Kinder und Elterncafé.",
    "Offener Ganztag mit Hausaufgabenhilfe und Herkunftssprachlichem Unterricht.",
    "Nimmt Seiteneinsteiger auf; enge Zusammenarbeit mit dem KI.",
    "Kleine Schule mit jahrgangsübergreifenden Klassen.",
)
KITA_DESCRIPTIONS = (
    "Mehrsprachiges Team; Sprachförderung im Alltag.",
    "Eltern-Kind-Gruppe am Vormittag, offen für Familien aus dem Ort.",
    "Viergruppige Einrichtung mit U3-Plätzen.",
    "Kooperiert mit der Grundschule im Ort beim Übergang Kita–Schule.",
    "Familienzentrum im Verbund mit Beratungsangeboten vor Ort.",
)

# Translations of the descriptions above for the public guide (partnernetz.guide), written by
# the developers: for review by native speakers. Partners get them for some languages only
# (see add_translations), so the demo shows translated texts and the German fallback.
TRANSLATED_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Mit Förderangeboten für neu zugewanderte Kinder und Elterncafé.": {
        "en": "Extra support for newly arrived children, and a parents' café.",
        "ar": "دعم إضافي للأطفال القادمين حديثًا، ومقهى للآباء والأمهات.",
        "tr": "Yeni gelen çocuklar için destek kursları ve veli kafesi.",
        "uk": "Додаткова підтримка для новоприбулих дітей і кафе для батьків.",
        "ru": "Дополнительная поддержка для недавно приехавших детей и кафе для родителей.",
        "fa": "حمایت ویژه برای کودکان تازه‌وارد و کافه برای والدین.",
    },
    "Offener Ganztag mit Hausaufgabenhilfe und Herkunftssprachlichem Unterricht.": {
        "en": "All-day school with homework help and lessons in the home language.",
        "ar": "مدرسة طوال اليوم مع مساعدة في الواجبات ودروس باللغة الأم.",
        "tr": "Ödev yardımı ve anadili dersleri olan tam gün okul.",
        "uk": "Школа повного дня з допомогою з домашніми завданнями та уроками рідної мови.",
        "ru": "Школа полного дня: помощь с домашними заданиями и уроки родного языка.",
        "fa": "مدرسه تمام‌وقت با کمک در تکالیف و آموزش زبان مادری.",
    },
    "Nimmt Seiteneinsteiger auf; enge Zusammenarbeit mit dem KI.": {
        "en": "Takes in pupils who arrive during the school year; works closely with the KI.",
        "ar": "تستقبل التلاميذ القادمين خلال العام الدراسي؛ تعاون وثيق مع مركز الاندماج.",
        "tr": "Yıl içinde gelen öğrencileri kabul eder; KI ile yakın iş birliği.",
        "uk": "Приймає учнів протягом навчального року; тісна співпраця з KI.",
        "ru": "Принимает учеников в течение учебного года; тесно работает с KI.",
        "fa": "دانش‌آموزانی را که در طول سال می‌آیند می‌پذیرد؛ همکاری نزدیک با KI.",
    },
    "Kleine Schule mit jahrgangsübergreifenden Klassen.": {
        "en": "Small school with mixed-age classes.",
        "ar": "مدرسة صغيرة بصفوف تجمع أعمارًا مختلفة.",
        "tr": "Karma yaş gruplu sınıfları olan küçük bir okul.",
        "uk": "Невелика школа з різновіковими класами.",
        "ru": "Небольшая школа с разновозрастными классами.",
        "fa": "مدرسه‌ای کوچک با کلاس‌های چندپایه.",
    },
    "Mehrsprachiges Team; Sprachförderung im Alltag.": {
        "en": "Multilingual team; language support in everyday life.",
        "ar": "فريق متعدد اللغات؛ دعم لغوي في الحياة اليومية.",
        "tr": "Çok dilli ekip; günlük yaşamda dil desteği.",
        "uk": "Багатомовна команда; мовна підтримка в повсякденні.",
        "ru": "Многоязычная команда; языковая поддержка в повседневной жизни.",
        "fa": "تیم چندزبانه؛ تقویت زبان در زندگی روزمره.",
    },
    "Eltern-Kind-Gruppe am Vormittag, offen für Familien aus dem Ort.": {
        "en": "Parent and child group in the morning, open to local families.",
        "ar": "مجموعة للآباء والأطفال صباحًا، مفتوحة لعائلات البلدة.",
        "tr": "Sabahları anne-baba ve çocuk grubu, yöredeki ailelere açık.",
        "uk": "Група для батьків і дітей зранку, відкрита для місцевих родин.",
        "ru": "Группа для родителей с детьми по утрам, открыта для местных семей.",
        "fa": "گروه والدین و کودک در صبح، برای خانواده‌های محل باز است.",
    },
    "Viergruppige Einrichtung mit U3-Plätzen.": {
        "en": "Four groups, with places for children under three.",
        "ar": "أربع مجموعات، مع أماكن للأطفال دون الثالثة.",
        "tr": "Dört grup; üç yaş altı çocuklar için yerler.",
        "uk": "Чотири групи, є місця для дітей до трьох років.",
        "ru": "Четыре группы, есть места для детей до трёх лет.",
        "fa": "چهار گروه، با جا برای کودکان زیر سه سال.",
    },
    "Kooperiert mit der Grundschule im Ort beim Übergang Kita–Schule.": {
        "en": "Works with the local primary school on the move from Kita to school.",
        "ar": "تتعاون مع المدرسة الابتدائية في البلدة عند الانتقال من الروضة إلى المدرسة.",
        "tr": "Kreşten okula geçişte yöredeki ilkokulla iş birliği yapar.",
        "uk": "Співпрацює з місцевою початковою школою під час переходу з садка до школи.",
        "ru": "Сотрудничает с местной начальной школой при переходе из сада в школу.",
        "fa": "در انتقال از مهدکودک به مدرسه با دبستان محل همکاری می‌کند.",
    },
    "Familienzentrum im Verbund mit Beratungsangeboten vor Ort.": {
        "en": "Family centre with counselling services on site.",
        "ar": "مركز للعائلة مع خدمات استشارية في المكان.",
        "tr": "Yerinde danışmanlık hizmetleri sunan aile merkezi.",
        "uk": "Сімейний центр із консультаціями на місці.",
        "ru": "Семейный центр с консультациями на месте.",
        "fa": "مرکز خانواده با خدمات مشاوره در محل.",
    },
}
TRANSLATION_ORDER = ("en", "ar", "tr", "uk", "ru", "fa")


def add_translations(partners: list[dict]) -> None:
    """Give every other partner with a known description translations into some languages.

    The k-th such partner gets the languages whose position differs from k modulo 3 (two
    thirds of them); every second one gets none, so the demo shows the fallback too.
    """
    known = [p for p in partners if p.get("description") in TRANSLATED_DESCRIPTIONS]
    for k, p in enumerate(known):
        if k % 2:
            continue
        texts = TRANSLATED_DESCRIPTIONS[p["description"]]
        langs = [lang for i, lang in enumerate(TRANSLATION_ORDER) if (i - k // 2) % 3]
        p["translations"] = {lang: {"description": texts[lang]} for lang in langs}


# --------------------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    """ASCII slug: umlauts spelled out, everything else joined by hyphens."""
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"),
                     ("Ä", "ae"), ("Ö", "oe"), ("Ü", "ue")):
        text = text.replace(src, dst)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out, dash = [], False
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def municipality(town: Town) -> str:
    """``Stadt X`` or ``Gemeinde X``, as the municipality is called."""
    return f"{'Gemeinde' if town.name in GEMEINDEN else 'Stadt'} {town.short}"


def weighted_sample(rng: random.Random, items: tuple[tuple[str, int], ...], k: int) -> list[str]:
    """``k`` distinct items, drawn by weight, in the order of ``items``."""
    pool = list(items)
    chosen: list[str] = []
    while pool and len(chosen) < k:
        total = sum(w for _, w in pool)
        pick = rng.uniform(0, total)
        for i, (item, weight) in enumerate(pool):
            pick -= weight
            if pick <= 0:
                chosen.append(item)
                del pool[i]
                break
    order = [code for code, _ in items]
    return sorted(chosen, key=order.index)


class Builder:
    """Collects the partners of one region and fills in the routine fields."""

    def __init__(self, region: RegionSpec) -> None:
        self.region = region
        self.rng = random.Random(region.seed)
        self.partners: list[dict[str, Any]] = []
        self.ids: dict[str, int] = {}
        self.lines: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.dated = 0
        self.old = 0

    # -- routine values

    def phone(self, area: PostArea, block: str = "9999") -> str:
        n = self.lines.get(area.area_code + block, 100) + 1
        self.lines[area.area_code + block] = n
        return f"{area.area_code} {block}-{n}"

    def person(self) -> tuple[str, str]:
        rng = self.rng
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in self.people:
                self.people[name] = 1
                return name, slugify(name).replace("-", ".") + "@example.org"

    def verified(self) -> dt.date | None:
        """A check date; about 20 % older than twelve months, a few missing.

        The chance of an old date follows how far the share so far is below
        20 %, so the files land near 20 % whatever else the seed does.
        """
        if self.rng.random() < 0.025:
            return None
        self.dated += 1
        if self.rng.random() < min(1.0, max(0.0, OLD_SHARE * self.dated - self.old)):
            self.old += 1
            return OLDEST + dt.timedelta(days=self.rng.randrange((FRESH_SINCE - OLDEST).days))
        return FRESH_SINCE + dt.timedelta(days=self.rng.randrange((NEWEST - FRESH_SINCE).days + 1))

    def point(self, town: Town) -> dict[str, float]:
        """A point 60–350 m from the town's official centre."""
        lat, lon = town.centre
        bearing = self.rng.uniform(0, 2 * math.pi)
        metres = self.rng.uniform(60, 350)
        dlat = metres * math.cos(bearing) / 111_320
        dlon = metres * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
        return {"lat": round(lat + dlat, 5), "lon": round(lon + dlon, 5)}

    def street(self) -> str:
        return f"{self.rng.choice(STREETS)} {self.rng.randint(1, 64)}"

    def area_of(self, town: Town, district: str | None) -> PostArea:
        for area in town.areas:
            if district in area.districts:
                return area
        return town.areas[0]

    # -- one partner

    def add(
        self,
        name: str,
        category: str,
        town: str,
        *,
        subtype: str | None = None,
        operator: str | None = None,
        description: str | None = None,
        label: str | None = None,
        serves: list[str] | str | None = None,
        stages: list[str] | None = None,
        target_groups: list[str] | None = None,
        languages: list[str] | int | None = None,
        offers: list[str] | None = None,
        hours: str | None = None,
        place: str = "auto",
        district: str | None = None,
        contacts: float = 0.4,
        roles: str | None = None,
        website: bool | None = None,
        status: str | None = None,
        verified: dt.date | str | None = "auto",
        notes: str | None = None,
        accessible: str | None = "auto",
    ) -> dict[str, Any]:
        rng = self.rng
        official = resolve(self.region, town)
        if official != town:
            label = label or town
        t = self.region.town(official)
        base = slugify(name)
        pid = base if t.slug in base else f"{base}-{t.slug}"
        if pid in self.ids:
            message = f"duplicate id {pid}"
            raise ValueError(message)
        self.ids[pid] = len(self.partners)

        p: dict[str, Any] = {"id": pid, "name": name, "category": category}
        if subtype:
            p["subtype"] = subtype
        if operator:
            p["operator"] = operator
        if description:
            p["description"] = description
        p["town"] = label or t.name

        # Where: explicit point (with a central address), address, or only the town.
        if place == "auto":
            r = rng.random()
            place = "point" if r < 0.2 else "town" if r < 0.26 else "address"
        if place == "address" and district is None and rng.random() < 0.45:
            district = rng.choice(rng.choice(t.areas).districts)
        area = self.area_of(t, district)
        if place in ("address", "point"):
            address = {"street": self.street(), "postcode": area.postcode}
            if place == "address" and district:
                address["district"] = district
            p["address"] = address
        if place == "point":
            p["location"] = self.point(t)

        if serves:
            p["serves"] = serves
        if stages:
            p["stages"] = stages
        if target_groups:
            p["target_groups"] = target_groups
        if isinstance(languages, int):
            languages = ["de", *weighted_sample(rng, LANGUAGES, languages)]
        if languages:
            p["languages"] = languages
        if offers:
            p["offers"] = offers

        p["phone"] = self.phone(area)
        p["email"] = (
            f"{pid}@example.org" if rng.random() < 0.75 or len(pid) > 55
            else f"info.{pid}@example.org"
        )
        if website if website is not None else rng.random() < 0.65:
            p["website"] = f"https://example.org/{self.region.key}/{pid}"

        people = []
        if rng.random() < contacts:
            for _ in range(1 if rng.random() < 0.7 else 2):
                person, email = self.person()
                contact: dict[str, Any] = {
                    "name": person,
                    "role": rng.choice(ROLES[roles or category]),
                }
                if rng.random() < 0.7:
                    contact["phone"] = self.phone(area, "9998")
                contact["email"] = email
                vis = rng.random()
                if vis < 0.45:
                    contact["visibility"] = "public"
                elif vis < 0.75:
                    contact["visibility"] = "internal"
                people.append(contact)
        if people:
            p["contacts"] = people
        if hours:
            p["opening_hours"] = hours
        if accessible == "auto":
            r = rng.random()
            accessible = (
                "yes" if r < 0.5 else "no" if r < 0.62 else "unknown" if r < 0.8 else None
            )
        if accessible:
            p["accessible"] = accessible
        if status and status != "active":
            p["status"] = status
        when = self.verified() if verified == "auto" else verified
        if when:
            p["verified"] = when
        if notes:
            p["notes"] = notes
        self.partners.append(p)
        return p

    def pick(self, pool: tuple[str, ...], k: int) -> list[str]:
        return sorted(self.rng.sample(pool, min(k, len(pool))), key=pool.index)

    def hours(self, kind: str) -> str:
        return self.rng.choice(HOURS[kind])


# --------------------------------------------------------------------------- schools and kitas


def add_schools_and_kitas(
    b: Builder,
    plan: dict[str, tuple[int, int, int]],
    secondary: list[tuple[str, str, str, list[str] | None]],
    operators: tuple[str, ...],
    reserved: dict[str, str],
) -> None:
    """Grundschulen, secondary schools and Kitas for every town.

    ``plan`` maps a town to (Grundschulen, Kitas, of which Familienzentren);
    ``secondary`` lists (town, subtype, name, serves); ``reserved`` fixes
    the first Kita name of some towns.
    """
    rng = b.rng
    gs_names = list(GS_NAMES)
    kita_names = [n for n in KITA_NAMES if n not in reserved.values()]
    rng.shuffle(gs_names)
    rng.shuffle(kita_names)
    for town, (n_gs, n_kita, n_fz) in plan.items():
        t = b.region.town(town)
        for i in range(n_gs):
            village = i > 0 and rng.random() < 0.6
            district = rng.choice(rng.choice(t.areas).districts) if village else None
            b.add(
                f"Grundschule {gs_names.pop()} {t.short}", "schule", town,
                subtype="Grundschule", operator=municipality(t),
                description=rng.choice(SCHOOL_DESCRIPTIONS) if rng.random() < 0.3 else None,
                place="address" if village else "auto", district=district,
                stages=["schule"],
                target_groups=["kinder", "eltern"]
                + (["neuzugewanderte"] if rng.random() < 0.5 else []),
                languages=rng.choice((0, 1, 1, 2, 3)),
                offers=b.pick(OFFERS["grundschule"], rng.randint(2, 5)),
                hours=b.hours("schule") if rng.random() < 0.7 else None,
                contacts=0.5,
            )
        for i in range(n_kita):
            fz = i >= n_kita - n_fz
            base = reserved.get(town) if i == 0 and town in reserved else kita_names.pop()
            early = fz or rng.random() < 0.3
            stages = ["fruehe_foerderung", "elementar"] if early else ["elementar"]
            b.add(
                f"{'Familienzentrum' if fz else 'Kita'} {base}", "kita", town,
                subtype="Familienzentrum" if fz else "Kindertageseinrichtung",
                operator=rng.choice(operators).format(town=t.short, municipality=municipality(t)),
                description=rng.choice(KITA_DESCRIPTIONS) if rng.random() < 0.35 else None,
                stages=stages,
                target_groups=["kinder", "eltern"]
                + (["neuzugewanderte"] if rng.random() < 0.25 else []),
                languages=rng.choice((0, 1, 1, 2, 2, 3)),
                offers=b.pick(OFFERS["fz" if fz else "kita"], rng.randint(2, 4)),
                hours=b.hours("kita") if rng.random() < 0.75 else None,
                contacts=0.4,
            )
    for town, subtype, name, serves in secondary:
        kind = {"Berufskolleg": "bk", "Förderschule": "foerderschule"}.get(subtype, "sek")
        groups = ["jugendliche", "neuzugewanderte"] if kind == "bk" else (
            ["kinder", "jugendliche", "eltern"] if kind == "foerderschule"
            else ["jugendliche", "eltern", "neuzugewanderte"]
        )
        b.add(
            name, "schule", town,
            subtype=subtype,
            operator=b.region.name if kind in ("bk", "foerderschule")
            else municipality(b.region.town(town)),
            serves=serves,
            stages=["schule"] if kind == "foerderschule" else ["schule", "uebergang"],
            target_groups=groups,
            languages=rng.choice((1, 2, 3, 4)),
            offers=b.pick(OFFERS[kind], rng.randint(3, 5)),
            hours=b.hours("schule"),
            place="point" if rng.random() < 0.3 else "address",
            contacts=0.6,
        )


def add_kim_offices(b: Builder, towns: list[str], *, kreis_operator: str) -> None:
    """One KIM case-management office in the town hall of each town."""
    rng = b.rng
    for town in towns:
        t = b.region.town(town)
        b.add(
            f"KIM-Fallmanagement im Rathaus {t.short}", "verwaltung", town,
            subtype="Kommunales Integrationsmanagement",
            operator=f"{municipality(t)} mit dem {kreis_operator}",
            description="Case Management für Zugewanderte – Beratung, Begleitung, Vermittlung.",
            stages=["erwachsene"] if rng.random() < 0.5 else None,
            target_groups=["neuzugewanderte", "erwachsene", "eltern"],
            languages=rng.choice((1, 2, 2, 3)),
            offers=[KIM, *b.pick(("Clearing", "Begleitung zu Behörden", "Aufenthaltsrechtliche "
                                  "Erstorientierung", "Vermittlung in Sprachkurse"), 2)],
            hours=b.hours("amt"),
            place="point" if rng.random() < 0.4 else "address",
            contacts=0.85, roles="verwaltung", website=rng.random() < 0.5,
        )


# --------------------------------------------------------------------------- Kreis Höxter


def build_hoexter() -> Builder:
    b = Builder(HOEXTER)
    rng = b.rng
    plan = {
        "Höxter": (5, 8, 3), "Warburg": (4, 7, 2), "Bad Driburg": (3, 5, 2), "Brakel": (3, 5, 2),
        "Beverungen": (2, 4, 1), "Steinheim": (2, 4, 1), "Borgentreich": (2, 3, 1),
        "Willebadessen": (2, 3, 1), "Nieheim": (1, 2, 1), "Marienmünster": (1, 2, 1),
    }
    secondary = [
        ("Höxter", "Gymnasium", "Gymnasium Weserblick Höxter", None),
        ("Höxter", "Gesamtschule", "Gesamtschule Am Ziegenberg Höxter", ["Höxter", "Beverungen"]),
        ("Warburg", "Gymnasium", "Gymnasium Diemelhöhe Warburg", ["Warburg", "Borgentreich"]),
        ("Warburg", "Sekundarschule", "Sekundarschule Am Desenberg Warburg", None),
        ("Bad Driburg", "Gesamtschule", "Gesamtschule Eggeblick Bad Driburg", None),
        ("Brakel", "Gymnasium", "Gymnasium Nethetal Brakel", ["Brakel", "Nieheim"]),
        ("Brakel", "Realschule", "Realschule Am Kapellenberg Brakel", None),
        ("Beverungen", "Sekundarschule", "Sekundarschule Weserbrücke Beverungen", None),
        ("Steinheim", "Sekundarschule", "Sekundarschule Emmertal Steinheim",
         ["Steinheim", "Nieheim", "Marienmünster"]),
        ("Borgentreich", "Sekundarschule", "Sekundarschule Bördeland Borgentreich",
         ["Borgentreich", "Willebadessen"]),
        ("Höxter", "Berufskolleg", "Berufskolleg Weserland Höxter",
         ["Höxter", "Beverungen", "Marienmünster"]),
        ("Warburg", "Berufskolleg", "Berufskolleg Diemel Warburg",
         ["Warburg", "Borgentreich", "Willebadessen"]),
        ("Brakel", "Berufskolleg", "Berufskolleg Nethe Brakel",
         ["Brakel", "Bad Driburg", "Nieheim", "Steinheim"]),
        ("Höxter", "Förderschule", "Brückenschule Höxter (Förderschule)",
         ["Höxter", "Beverungen", "Brakel", "Marienmünster", "Nieheim"]),
        ("Warburg", "Förderschule", "Förderschule Am Hüffert Warburg",
         ["Warburg", "Borgentreich", "Willebadessen"]),
    ]
    operators = (
        "Kath. Kita-Verbund Weserbergland gGmbH", "Ev. Kindergartenwerk Mustertal",
        "Kinderwelt Beispielkreis gGmbH", "{municipality}", "Wohlfahrtsverband Weserland e. V.",
        "Elterninitiative Kinderhaus {town} e. V.", "Inklusive Kitas Beispielkreis gGmbH",
    )
    add_schools_and_kitas(b, plan, secondary, operators, {"Brakel": "Sonnenschein"})
    b.add(
        "Grundschule Teilstandort Bühne", "schule", "Borgentreich",
        subtype="Grundschule", operator="Stadt Borgentreich", district="Bühne",
        place="address", stages=["schule"], target_groups=["kinder"], status="inactive",
        verified=dt.date(2025, 8, 4), accessible=None, contacts=0,
        notes="Teilstandort zum Schuljahr 2025/26 geschlossen; Kinder gehen in den Hauptstandort.",
    )

    # Kinder- und Jugendhilfe
    b.add("Kreisjugendamt Höxter", JUGEND, "Höxter", subtype="Jugendamt", operator="Kreis Höxter",
          description="Allgemeiner Sozialer Dienst, Hilfen zur Erziehung, Vormundschaften.",
          serves="all", stages=["fruehe_foerderung", "elementar", "schule", "ausserschulisch"],
          target_groups=["kinder", "jugendliche", "eltern", "fachkraefte"], languages=["de"],
          offers=["Hilfen zur Erziehung", "Vormundschaft für unbegleitete Minderjährige",
                  "Kindertagespflege"], hours=b.hours("amt"), place="address", contacts=0.7,
          roles="verwaltung")
    b.add("Frühe Hilfen und Familienhebammen Kreis Höxter", JUGEND, "Höxter", label="05762020",
          subtype="Frühe Hilfen", operator="Kreis Höxter", serves="all",
          stages=["fruehe_foerderung"], target_groups=["eltern", "kinder", "neuzugewanderte"],
          languages=["de", "ar", "uk", "ru"], offers=["Familienhebammen", "Willkommensbesuche",
                                                     "Babylotsen"],
          hours=b.hours("beratung"), place="address", contacts=0.6)
    youth = [
        ("Jugendhaus Weserbogen Höxter", "Höxter", None),
        ("Jugendtreff Ottbergen", "Höxter", "Ottbergen"),
        ("Jugendhaus Diemel Warburg", "Warburg", None),
        ("Jugendtreff Scherfede", "Warburg", "Scherfede"),
        ("Jugendtreff Alte Schmiede Bad Driburg", "Bad Driburg", None),
        ("Jugendzentrum Kaktus Brakel", "Brakel", None),
        ("Jugendtreff Hafen Beverungen", "Beverungen", None),
        ("Jugendtreff Emmerhaus Steinheim", "Steinheim", None),
        ("Jugendtreff Bördeland Borgentreich", "Borgentreich", None),
        ("Jugendtreff Peckelsheim", "Willebadessen", "Peckelsheim"),
        ("Jugendtreff Holsterturm Nieheim", "Nieheim", None),
    ]
    for name, town, district in youth:
        b.add(name, JUGEND, town, subtype="Offene Kinder- und Jugendarbeit",
              operator=rng.choice(("Jugendwerk Weserbergland e. V.", f"Stadt {town}",
                                   "Kath. Jugendverband Beispielkreis")),
              stages=["ausserschulisch"], target_groups=["jugendliche", "kinder"],
              languages=rng.choice((0, 1, 2)),
              offers=b.pick(("Offener Treff", "Hausaufgabenhilfe", "Ferienprogramm",
                             "Mädchentreff", "Bewerbungstraining", "Medienwerkstatt",
                             "Sport und Bewegung"), rng.randint(2, 4)),
              hours=b.hours("jugend"), district=district,
              place="address" if district else "auto")
    b.add("Jugendbus Marienmünster", JUGEND, "Marienmünster", subtype="Mobile Jugendarbeit",
          operator="Jugendwerk Weserbergland e. V.",
          description="Mobiler Treff, hält wöchentlich in Vörden, Bredenborn und Kollerbeck.",
          stages=["ausserschulisch"], target_groups=["jugendliche"],
          offers=["Mobiler Treff", "Ferienprogramm"], hours="Do 16:00–19:00 (wechselnde Orte)",
          place="town", accessible="no")
    b.add("Schulsozialarbeit Höxter", JUGEND, "Höxter", subtype="Schulsozialarbeit",
          operator="Stadt Höxter", stages=["schule", "uebergang"],
          target_groups=["kinder", "jugendliche", "eltern"], languages=2,
          offers=["Schulsozialarbeit", "Bildung und Teilhabe", "Elternberatung"],
          hours=b.hours("beratung"), contacts=0.6)
    b.add("Schulsozialarbeit Brakel", JUGEND, "05762016", subtype="Schulsozialarbeit",
          operator="Stadt Brakel", stages=["schule"], target_groups=["kinder", "jugendliche"],
          languages=1, offers=["Schulsozialarbeit", "Bildung und Teilhabe"], contacts=0.6)
    b.add("Mobile Jugendarbeit Warburger Land", JUGEND, "Warburg", subtype="Mobile Jugendarbeit",
          operator="Jugendwerk Weserbergland e. V.", serves=["Warburg", "Borgentreich",
                                                           "Willebadessen"],
          stages=["ausserschulisch", "uebergang"], target_groups=["jugendliche"], languages=2,
          offers=["Streetwork", "Bewerbungstraining", "Übergangsbegleitung"])
    b.add("Ambulante Erziehungshilfen Weserbergland", JUGEND, "Höxter",
          subtype="Hilfen zur Erziehung", operator="Wohlfahrtsverband Weserland e. V.",
          serves=["Höxter", "Beverungen", "Brakel", "Marienmünster", "Nieheim"],
          stages=["fruehe_foerderung", "schule"], target_groups=["eltern", "kinder", "jugendliche"],
          languages=3, offers=["Sozialpädagogische Familienhilfe", "Erziehungsbeistandschaft"],
          hours=b.hours("beratung"), contacts=0.6)
    b.add("Jugendwohngruppe Brückenhaus", JUGEND, "Warburg",
          subtype="Stationäre Jugendhilfe", operator="Jugendwerk Weserbergland e. V.",
          description="Wohngruppe für unbegleitete minderjährige Geflüchtete.",
          stages=["schule", "uebergang"], target_groups=["jugendliche", "neuzugewanderte"],
          languages=["de", "ar", "fa", "ps", "ti"], offers=["Clearing", "Verselbstständigung"],
          place="town", website=False, contacts=0.9,
          notes="Adresse bewusst nicht eingetragen (Schutz der Jugendlichen).")

    # Kommunale Ämter und Dienststellen
    b.add("Kommunales Integrationszentrum Kreis Höxter", VERW, "Höxter",
          subtype="Kommunales Integrationszentrum", operator="Kreis Höxter",
          description="Koordiniert das Partnernetz, berät Schulen und Kitas, steuert das KIM.",
          serves="all", stages=["fruehe_foerderung", "elementar", "schule", "uebergang",
                                "erwachsene"],
          target_groups=["neuzugewanderte", "eltern", "fachkraefte"],
          languages=["de", "ar", "tr", "uk", "ru"],
          offers=["Seiteneinstieg", "Rucksack KiTa", "Griffbereit", "KIM-Steuerung",
                  "Sprachmittlerpool", "Fortbildungen für Fachkräfte"],
          hours=b.hours("amt"), place="point", contacts=1.0, website=True,
          verified=dt.date(2026, 11, 2), accessible="yes",
          notes="Redaktion des Partnerregisters; Änderungen bitte an das KI melden.")
    b.add("Ausländerbehörde Kreis Höxter", VERW, "Höxter", subtype="Ausländerbehörde",
          operator="Kreis Höxter", serves="all", stages=["erwachsene"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "en"],
          offers=["Aufenthaltstitel", "Einbürgerung", "Terminvergabe online"],
          hours="Mo, Di, Do 8:00–12:00, Do 14:00–17:00 (nur mit Termin)", place="address",
          contacts=0.6, website=True, accessible="yes")
    b.add("Schulamt für den Kreis Höxter", VERW, "Höxter", subtype="Schulaufsicht",
          operator="Kreis Höxter", serves="all", stages=["schule"],
          target_groups=["fachkraefte", "eltern"], languages=["de"],
          offers=["Schulplatzvergabe für Seiteneinsteiger", "Herkunftssprachlicher Unterricht"],
          hours=b.hours("amt"), contacts=0.5)
    for town, serves in (
        ("Höxter", ["Höxter", "Beverungen", "Marienmünster"]),
        ("Brakel", ["Brakel", "Bad Driburg", "Nieheim", "Steinheim"]),
        ("Warburg", ["Warburg", "Borgentreich", "Willebadessen"]),
    ):
        b.add(f"Jobcenter Kreis Höxter – Geschäftsstelle {town}", VERW, town, subtype="Jobcenter",
              operator="Jobcenter Kreis Höxter", serves=serves, stages=["uebergang", "erwachsene"],
              target_groups=["erwachsene", "jugendliche", "neuzugewanderte"],
              languages=rng.choice((1, 2)),
              offers=["Arbeitsvermittlung", "Sprachkursvermittlung", "Bildung und Teilhabe"],
              hours=b.hours("amt"), contacts=0.4)
    add_kim_offices(b, [t.name for t in HOEXTER.towns], kreis_operator="Kreis Höxter")

    # Beratungsstellen – Marienmünster bleibt bewusst ohne aktives Angebot.
    advice = [
        ("Migrationsberatung für Erwachsene Höxter", "Höxter", "Migrationsberatung (MBE)",
         "Wohlfahrtsverband Weserland e. V.", ["Höxter", "Beverungen", "Nieheim"],
         ["Migrationsberatung", "Sozialberatung", "Hilfe bei Anträgen"]),
        ("Migrationsberatung für Erwachsene Warburg", "Warburg", "Migrationsberatung (MBE)",
         "Ev. Sozialwerk Diemeltal e. V.", ["Warburg", "Borgentreich", "Willebadessen"],
         ["Migrationsberatung", "Familiennachzug", "Hilfe bei Anträgen"]),
        ("Migrationsberatung für Erwachsene Brakel", "Brakel", "Migrationsberatung (MBE)",
         "Wohlfahrtsverband Weserland e. V.", ["Brakel", "Bad Driburg", "Steinheim"],
         ["Migrationsberatung", "Sozialberatung"]),
        ("Jugendmigrationsdienst Höxter", "Höxter", "Jugendmigrationsdienst",
         "Jugendwerk Weserbergland e. V.", ["Höxter", "Beverungen", "Brakel", "Nieheim",
                                           "Steinheim"],
         ["Jugendmigrationsdienst", "Übergangsbegleitung", "Bewerbungstraining"]),
        ("Jugendmigrationsdienst Warburg", "Warburg", "Jugendmigrationsdienst",
         "Ev. Sozialwerk Diemeltal e. V.", ["Warburg", "Borgentreich", "Willebadessen",
                                           "Bad Driburg"],
         ["Jugendmigrationsdienst", "Übergangsbegleitung", "Gruppenangebote"]),
        ("Erziehungs- und Familienberatung Höxter", "Höxter", "Erziehungsberatung",
         "Kreis Höxter", ["Höxter", "Beverungen", "Brakel", "Nieheim", "Steinheim",
                          "Bad Driburg"],
         ["Erziehungsberatung", "Trennungs- und Scheidungsberatung", "Elternkurse"]),
        ("Erziehungsberatung Warburg", "Warburg", "Erziehungsberatung",
         "Ev. Sozialwerk Diemeltal e. V.", ["Warburg", "Borgentreich", "Willebadessen"],
         ["Erziehungsberatung", "Elternkurse"]),
        ("Schuldner- und Insolvenzberatung Höxter", "Höxter", "Schuldnerberatung",
         "Wohlfahrtsverband Weserland e. V.", ["Höxter", "Beverungen"],
         ["Schuldnerberatung", "Insolvenzberatung", "P-Konto-Bescheinigung"]),
        ("Schuldnerberatung Brakel", "Brakel", "Schuldnerberatung",
         "Sozialdienst Nethegau e. V.", ["Brakel", "Bad Driburg", "Nieheim", "Steinheim"],
         ["Schuldnerberatung", "Budgetberatung"]),
        ("Flüchtlingsberatung Bad Driburg", "Bad Driburg", "Flüchtlingsberatung",
         "Sozialdienst Nethegau e. V.", None,
         ["Asylverfahrensberatung", "Hilfe bei Anträgen"]),
        ("Sozialberatung für Zugewanderte Steinheim", "Steinheim", "Sozialberatung",
         "Sozialdienst Nethegau e. V.", None, ["Sozialberatung", "Dolmetscherpool"]),
        ("Beratungsbüro Weserbrücke Beverungen", "Beverungen", "Sozialberatung",
         "Wohlfahrtsverband Weserland e. V.", None, ["Sozialberatung", "Migrationsberatung"]),
        ("Beratungsstelle bei häuslicher Gewalt Höxter", "Höxter", "Gewaltschutz",
         "Frauen helfen Frauen Beispielkreis e. V.", ["Höxter", "Brakel", "Beverungen",
                                                     "Warburg"],
         ["Gewaltschutzberatung", "Begleitung zu Behörden"]),
        ("Psychosoziale Beratung für Geflüchtete Warburg", "Warburg", "Psychosoziale Beratung",
         "Ev. Sozialwerk Diemeltal e. V.", ["Warburg", "Höxter", "Brakel"],
         ["Psychosoziale Beratung", "Traumasensible Gruppenangebote"]),
        ("Anerkennungsberatung Berufsabschlüsse Höxter", "Höxter", "Anerkennungsberatung",
         "Bildungsnetz Weserbergland e. V.", ["Höxter", "Brakel", "Warburg", "Beverungen"],
         ["Anerkennung ausländischer Abschlüsse", "Qualifizierungsberatung"]),
        ("Schwangerschaftsberatung Brakel", "Brakel", "Schwangerschaftsberatung",
         "Sozialdienst Nethegau e. V.", ["Brakel", "Steinheim", "Nieheim"],
         ["Schwangerschaftsberatung", "Frühe Hilfen"]),
    ]
    for name, town, subtype, operator, serves, offers in advice:
        b.add(name, BERATUNG, town, subtype=subtype, operator=operator, serves=serves,
              stages=["uebergang"] if "Jugend" in subtype else ["erwachsene"]
              if rng.random() < 0.6 else None,
              target_groups=(["jugendliche", "neuzugewanderte"] if "Jugend" in subtype
                             else ["erwachsene", "eltern", "neuzugewanderte"][: rng.randint(1, 3)]),
              languages=rng.choice((2, 3, 4, 5)), offers=offers,
              hours=b.hours("beratung"), contacts=0.7)
    b.add("Sozialberatung Marienmünster", BERATUNG, "Marienmünster", subtype="Sozialberatung",
          operator="Sozialdienst Nethegau e. V.",
          description="Sprechstunde im Rathaus Vörden, Start geplant für 2027.",
          district="Vörden", place="address", target_groups=["erwachsene", "neuzugewanderte"],
          languages=["de", "uk"], offers=["Sozialberatung", "Migrationsberatung"],
          status="planned", verified=dt.date(2026, 10, 12), contacts=0, accessible="yes",
          notes="Finanzierung über Kreismittel zugesagt, Räume noch offen.")
    b.add("Mobile Migrationsberatung Nethegau", BERATUNG, "Nieheim",
          subtype="Migrationsberatung (MBE)",
          operator="Sozialdienst Nethegau e. V.", serves=["Nieheim", "Marienmünster"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "ar", "ru"],
          offers=["Migrationsberatung"], status="inactive", verified=dt.date(2025, 3, 18),
          contacts=0, notes="Projektförderung Ende 2024 ausgelaufen.")

    # Weitere regionale Einrichtungen – Nieheim und Borgentreich bleiben ohne.
    b.add("Volkshochschule Corveyer Land", EINR, "Höxter", subtype="Volkshochschule",
          operator="Zweckverband VHS Corveyer Land", serves=["Höxter", "Marienmünster",
                                                            "Beverungen"],
          stages=["erwachsene"], target_groups=["erwachsene", "neuzugewanderte"],
          languages=["de", "en", "ar", "uk"],
          offers=["Integrationskurs", "Alphabetisierungskurs", "Einbürgerungstest",
                  "Deutsch für den Beruf"], hours=b.hours("einrichtung"), place="point",
          contacts=0.8, website=True)
    b.add("Volkshochschule Diemeltal", EINR, "Warburg", subtype="Volkshochschule",
          operator="Zweckverband VHS Diemeltal", serves=["Warburg", "Willebadessen"],
          stages=["erwachsene"], target_groups=["erwachsene", "neuzugewanderte"],
          languages=["de", "ar", "tr"], offers=["Integrationskurs", "Elternintegrationskurs",
                                                "Einbürgerungstest"],
          hours=b.hours("einrichtung"), contacts=0.8, website=True)
    b.add("Volkshochschule Nethegau", EINR, "Brakel", subtype="Volkshochschule",
          operator="Zweckverband VHS Nethegau", serves=["Brakel", "Bad Driburg", "Steinheim"],
          stages=["erwachsene"], target_groups=["erwachsene", "neuzugewanderte"],
          languages=["de", "ru", "uk"], offers=["Integrationskurs", "Frauenintegrationskurs",
                                                "Deutsch für den Beruf"],
          hours=b.hours("einrichtung"), contacts=0.8, website=True)
    b.add("Sprachinstitut Weserblick", EINR, "Höxter", subtype="Sprachkursträger",
          operator="Sprachinstitut Weserblick GmbH", stages=["erwachsene", "uebergang"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "en", "fa", "ar"],
          offers=["Integrationskurs", "Berufssprachkurs", "Jugendintegrationskurs"],
          hours=b.hours("einrichtung"))
    b.add("Bildungswerk Lernbrücke Warburg", EINR, "Warburg", subtype="Sprachkursträger",
          operator="Lernbrücke gGmbH", stages=["erwachsene"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "ar", "ku", "ti"],
          offers=["Integrationskurs mit Alphabetisierung", "Zweitschriftlernerkurs"],
          hours=b.hours("einrichtung"))
    b.add("Ausbildungswerkstatt Übergang Höxter", EINR, "Höxter", subtype="Bildungsträger",
          operator="Bildungsnetz Weserbergland e. V.", serves=["Höxter", "Brakel", "Beverungen"],
          stages=["uebergang"], target_groups=["jugendliche", "neuzugewanderte"], languages=2,
          offers=["Berufsvorbereitung", "Ausbildungsbegleitung", "Praktikumsvermittlung"],
          hours=b.hours("einrichtung"))
    for name, town, subtype, offers in (
        ("Stadtbücherei Höxter", "Höxter", "Bibliothek",
         ["Mehrsprachige Medien", "Vorlesestunde", "Lerncafé"]),
        ("Stadtbibliothek Warburg", "Warburg", "Bibliothek",
         ["Mehrsprachige Medien", "Bilderbuchkino", "Onleihe-Sprechstunde"]),
        ("Bücherei im Bürgerhaus Steinheim", "Steinheim", "Bibliothek",
         ["Mehrsprachige Medien", "Vorlesepaten"]),
        ("Familienbildungsstätte Brakel", "Brakel", "Familienbildung",
         ["Griffbereit", "Elternkurse", "Eltern-Kind-Gruppen"]),
        ("Musikschule Weserklang Beverungen", "Beverungen", "Musikschule",
         ["Musikalische Früherziehung", "Instrumentalunterricht", "Interkultureller Chor"]),
        ("Mehrgenerationenhaus Willebadessen", "Willebadessen", "Mehrgenerationenhaus",
         ["Offener Treff", "Sprachkurs für Frauen", "Computerkurs"]),
        ("Begegnungszentrum Alte Post Bad Driburg", "Bad Driburg", "Begegnungszentrum",
         ["Offener Treff", "Raumvermietung für Vereine", "Kursangebote"]),
        ("Dorfbücherei Vörden", "Marienmünster", "Bibliothek",
         ["Mehrsprachige Medien", "Vorlesestunde"]),
    ):
        b.add(name, EINR, town, subtype=subtype,
              operator=municipality(b.region.town(town))
              if subtype in ("Bibliothek", "Musikschule") else rng.choice(
                  ("Wohlfahrtsverband Weserland e. V.",
                   "Familienbildungswerk Beispielkreis e. V.")),
              stages=rng.choice((["erwachsene"], ["fruehe_foerderung", "elementar"],
                                 ["ausserschulisch"], None)),
              target_groups=rng.choice((["kinder", "eltern"], ["erwachsene", "eltern"],
                                        ["kinder", "jugendliche", "erwachsene"])),
              languages=rng.choice((1, 2, 3)), offers=offers, hours=b.hours("einrichtung"),
              district="Vörden" if town == "Marienmünster" else None)
    b.add("Lernwerkstatt Nieheim", EINR, "Nieheim", subtype="Bildungsträger",
          operator="Bildungsnetz Weserbergland e. V.", stages=["erwachsene"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "ar"],
          offers=["Alphabetisierungskurs"], status="inactive", verified=dt.date(2024, 11, 7),
          contacts=0, notes="Kursort 2024 aufgegeben, Teilnehmende fahren nach Brakel.")

    # Ehrenamt – Willebadessen bleibt ohne aktive Initiative.
    volunteers = [
        ("Netzwerk Ankommen Höxter", "Höxter", "Willkommensinitiative", None,
         ["Patenschaften", "Begleitung zu Behörden", "Fahrdienst"]),
        ("Sprachcafé Weltenbummler Höxter", "Höxter", "Sprachcafé", None,
         ["Sprachcafé", "Konversation Deutsch"]),
        ("SV Blau-Weiß Weserbogen", "Höxter", "Sportverein", None,
         ["Integration durch Sport", "Frauenschwimmen", "Fußball für alle"]),
        ("Kulturbrücke Weserbergland e. V.", "Höxter", "Migrantenselbstorganisation", None,
         ["Kulturabende", "Hausaufgabenhilfe", "Elterncafé"]),
        ("Ehrenamtlicher Dolmetscherpool Höxter", "Höxter", "Sprachmittlung",
         ["Höxter", "Brakel", "Beverungen", "Marienmünster", "Nieheim"],
         ["Dolmetscherpool", "Begleitung zu Arztterminen"]),
        ("Ankommen an der Diemel", "Warburg", "Willkommensinitiative", None,
         ["Patenschaften", "Wohnungssuche", "Kleiderkammer"]),
        ("Sprachcafé Warburg", "Warburg", "Sprachcafé", None, ["Sprachcafé", "Spieleabend"]),
        ("Fahrradwerkstatt Rimbeck", "Warburg", "Reparaturinitiative", None,
         ["Fahrradwerkstatt", "Radfahrkurs für Frauen"]),
        ("FC Diemeltal Beispiel 1921", "Warburg", "Sportverein", None,
         ["Integration durch Sport", "Fußball für alle"]),
        ("Flüchtlingshilfe Nethe", "Brakel", "Willkommensinitiative", None,
         ["Patenschaften", "Begleitung zu Behörden"]),
        ("Lernpaten Brakel", "Brakel", "Lernpatenschaften", None,
         ["Hausaufgabenhilfe", "Lesepatenschaften"]),
        ("Lebensmittelhilfe Nethegau", "Brakel", "Lebensmittelausgabe", ["Brakel", "Nieheim"],
         ["Lebensmittelausgabe", "Kleiderkammer"]),
        ("Ukrainischer Treffpunkt Bad Driburg", "Bad Driburg", "Migrantenselbstorganisation", None,
         ["Elterncafé", "Sprachcafé", "Kinderbetreuung"]),
        ("Kleiderstube Eggeblick", "Bad Driburg", "Kleiderkammer", None, ["Kleiderkammer"]),
        ("Patenschaftsnetz Beverungen", "Beverungen", "Willkommensinitiative", None,
         ["Patenschaften", "Fahrdienst"]),
        ("SC Weserwiesen", "Beverungen", "Sportverein", None,
         ["Integration durch Sport", "Schwimmkurs für Kinder"]),
        ("Sprachcafé Steinheim", "Steinheim", "Sprachcafé", None,
         ["Sprachcafé", "Hausaufgabenhilfe"]),
        ("Nähwerkstatt International Steinheim", "Steinheim", "Begegnungsprojekt", None,
         ["Nähwerkstatt", "Frauentreff"]),
        ("Willkommenskreis Börde", "Borgentreich", "Willkommensinitiative", None,
         ["Patenschaften", "Sprachcafé"]),
        ("TSV Bördeland", "Borgentreich", "Sportverein", None, ["Integration durch Sport"]),
        ("Sprachcafé Nieheim", "Nieheim", "Sprachcafé", None, ["Sprachcafé"]),
        ("Willkommenskreis Marienmünster", "Marienmünster", "Willkommensinitiative", None,
         ["Patenschaften", "Fahrdienst", "Sprachcafé"]),
    ]
    for name, town, subtype, serves, offers in volunteers:
        groups = rng.choice((["neuzugewanderte"], ["neuzugewanderte", "erwachsene"],
                             ["kinder", "jugendliche", "neuzugewanderte"],
                             ["eltern", "neuzugewanderte"]))
        young = "kinder" in groups or subtype in ("Sportverein", "Lernpatenschaften")
        b.add(name, EHREN, town, subtype=subtype,
              operator=None if " e. V." in name or subtype == "Sportverein"
              else f"{name} e. V." if rng.random() < 0.5 else None,
              serves=serves,
              stages=["ausserschulisch"] if young else rng.choice((None, ["erwachsene"])),
              target_groups=groups,
              languages=rng.choice((1, 2, 3, 4)), offers=offers, hours=b.hours("ehrenamt"),
              contacts=0.6, website=rng.random() < 0.35)
    b.add("Sprachcafé Willebadessen", EHREN, "Willebadessen", subtype="Sprachcafé",
          district="Peckelsheim", place="address", target_groups=["neuzugewanderte"],
          languages=["de", "uk"], offers=["Sprachcafé"], status="inactive",
          verified=dt.date(2025, 6, 30), contacts=0,
          notes="Ruht seit Sommer 2025, neue Leitung wird gesucht.")

    # A few entries write the town differently, to exercise town resolution.
    respell = {
        "gymnasium-nethetal-brakel": "05762016",
        "schwangerschaftsberatung-brakel": "05762016",
        "sprachcafe-weltenbummler-hoexter": "05762020",
    }
    for p in b.partners:
        if p["id"] in respell:
            p["town"] = respell[p["id"]]
    return b


# --------------------------------------------------------------------------- Hochsauerlandkreis


def build_hsk() -> Builder:
    b = Builder(HSK)
    rng = b.rng
    plan = {
        "Arnsberg": (4, 6, 2), "Meschede": (2, 3, 1), "Sundern (Sauerland)": (2, 3, 1),
        "Brilon": (2, 3, 1), "Schmallenberg": (2, 2, 1), "Marsberg": (1, 2, 1),
        "Olsberg": (1, 2, 1), "Winterberg": (1, 1, 1), "Bestwig": (1, 1, 0),
        "Eslohe (Sauerland)": (1, 1, 1), "Medebach": (1, 1, 0), "Hallenberg": (1, 1, 1),
    }
    secondary = [
        ("Arnsberg", "Gymnasium", "Gymnasium Ruhrbogen Arnsberg", None),
        ("Arnsberg", "Gesamtschule", "Gesamtschule Neheimer Höhe Arnsberg", None),
        ("Meschede", "Gymnasium", "Gymnasium Am Hennesee Meschede",
         ["Meschede", "Bestwig", "Eslohe (Sauerland)"]),
        ("Sundern (Sauerland)", "Realschule", "Realschule Sorpetal Sundern", None),
        ("Brilon", "Gymnasium", "Gymnasium Hochplateau Brilon", ["Brilon", "Olsberg"]),
        ("Schmallenberg", "Sekundarschule", "Sekundarschule Lennetal Schmallenberg", None),
        ("Marsberg", "Sekundarschule", "Sekundarschule Diemelsee-Blick Marsberg", None),
        ("Winterberg", "Gymnasium", "Gymnasium Kahler Asten Winterberg",
         ["Winterberg", "Medebach", "Hallenberg"]),
        ("Arnsberg", "Berufskolleg", "Berufskolleg Ruhrtal Arnsberg",
         ["Arnsberg", "Sundern (Sauerland)"]),
        ("Meschede", "Berufskolleg", "Berufskolleg Hochsauerland Meschede",
         ["Meschede", "Bestwig", "Eslohe (Sauerland)", "Schmallenberg"]),
        ("Brilon", "Berufskolleg", "Berufskolleg Briloner Land",
         ["Brilon", "Olsberg", "Marsberg", "Winterberg", "Medebach", "Hallenberg"]),
        ("Olsberg", "Förderschule", "Förderschule Ruhrquelle Olsberg",
         ["Olsberg", "Brilon", "Bestwig", "Winterberg"]),
    ]
    operators = (
        "Kath. Kita-Verbund Sauerland-Beispiel gGmbH", "Ev. Kindergartenwerk Ruhrtal",
        "Kinderwelt Sauerland gGmbH", "{municipality}", "Wohlfahrtsverband Hochsauerland e. V.",
        "Elterninitiative Kinderhaus {town} e. V.",
    )
    add_schools_and_kitas(b, plan, secondary, operators, {})

    b.add("Kreisjugendamt Hochsauerlandkreis", JUGEND, "Meschede", subtype="Jugendamt",
          operator="Hochsauerlandkreis",
          description="Zuständig für die Orte ohne eigenes Jugendamt.",
          serves=["Bestwig", "Eslohe (Sauerland)", "Hallenberg", "Marsberg", "Medebach",
                  "Olsberg", "Winterberg"],
          stages=["fruehe_foerderung", "elementar", "schule", "ausserschulisch"],
          target_groups=["kinder", "jugendliche", "eltern", "fachkraefte"], languages=["de"],
          offers=["Hilfen zur Erziehung", "Vormundschaft für unbegleitete Minderjährige"],
          hours=b.hours("amt"), place="address", contacts=0.7, roles="verwaltung")
    for town in ("Arnsberg", "Sundern (Sauerland)", "Brilon", "Schmallenberg"):
        t = b.region.town(town)
        b.add(f"Jugendamt Stadt {t.short}", JUGEND, town, subtype="Jugendamt",
              operator=f"Stadt {t.short}", stages=["fruehe_foerderung", "elementar", "schule"],
              target_groups=["kinder", "jugendliche", "eltern"], languages=["de"],
              offers=["Hilfen zur Erziehung", "Kindertagespflege", "Frühe Hilfen"],
              hours=b.hours("amt"), place="address", contacts=0.5, roles="verwaltung",
              label="Sundern" if town == "Sundern (Sauerland)" else None)
    for name, town, district in (
        ("Jugendzentrum Neheim", "Arnsberg", "Neheim"),
        ("Jugendtreff Hüsten", "Arnsberg", "Hüsten"),
        ("Jugendhaus Ruhrufer Meschede", "Meschede", None),
        ("Jugendzentrum Briloner Höhe", "Brilon", None),
        ("Jugendtreff Glashaus Marsberg", "Marsberg", "Niedermarsberg"),
        ("Jugendtreff Schneeflocke Winterberg", "Winterberg", None),
        ("Jugendtreff Lennebogen Schmallenberg", "Schmallenberg", None),
    ):
        b.add(name, JUGEND, town, subtype="Offene Kinder- und Jugendarbeit",
              operator=rng.choice(("Jugendwerk Sauerland e. V.", "Kath. Jugendverband Ruhrtal")),
              stages=["ausserschulisch"], target_groups=["jugendliche", "kinder"],
              languages=rng.choice((0, 1, 2)),
              offers=b.pick(("Offener Treff", "Hausaufgabenhilfe", "Ferienprogramm",
                             "Mädchentreff", "Bewerbungstraining", "Sport und Bewegung"),
                            rng.randint(2, 3)),
              hours=b.hours("jugend"), district=district,
              place="address" if district else "auto")
    b.add("Schulsozialarbeit Sundern", JUGEND, "Sundern", subtype="Schulsozialarbeit",
          operator="Stadt Sundern", stages=["schule"], target_groups=["kinder", "jugendliche"],
          languages=1, offers=["Schulsozialarbeit", "Bildung und Teilhabe"])
    b.add("Streetwork Arnsberg", JUGEND, "Arnsberg", subtype="Mobile Jugendarbeit",
          operator="Jugendwerk Sauerland e. V.", stages=["ausserschulisch", "uebergang"],
          target_groups=["jugendliche"], languages=2, offers=["Streetwork", "Übergangsbegleitung"],
          place="town")

    b.add("Kommunales Integrationszentrum Hochsauerlandkreis", VERW, "Meschede",
          subtype="Kommunales Integrationszentrum", operator="Hochsauerlandkreis",
          description="Koordiniert das Partnernetz im Kreis und steuert das KIM.",
          serves="all", stages=["elementar", "schule", "uebergang", "erwachsene"],
          target_groups=["neuzugewanderte", "eltern", "fachkraefte"],
          languages=["de", "ar", "tr", "uk"],
          offers=["Seiteneinstieg", "Rucksack KiTa", "Griffbereit", "KIM-Steuerung",
                  "Sprachmittlerpool"], hours=b.hours("amt"), place="point", contacts=1.0,
          website=True, verified=dt.date(2026, 10, 28), accessible="yes")
    b.add("Ausländerbehörde Hochsauerlandkreis", VERW, "Meschede", subtype="Ausländerbehörde",
          operator="Hochsauerlandkreis", serves="all", stages=["erwachsene"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "en"],
          offers=["Aufenthaltstitel", "Einbürgerung", "Terminvergabe online"],
          hours="Mo–Fr 8:00–12:00, Do 14:00–17:00 (nur mit Termin)", place="address",
          contacts=0.5, website=True, accessible="yes")
    b.add("Jobcenter Hochsauerlandkreis", VERW, "Meschede", subtype="Jobcenter",
          operator="Hochsauerlandkreis", serves="all", stages=["uebergang", "erwachsene"],
          target_groups=["erwachsene", "jugendliche", "neuzugewanderte"], languages=2,
          offers=["Arbeitsvermittlung", "Sprachkursvermittlung"], hours=b.hours("amt"))
    add_kim_offices(b, ["Arnsberg", "Meschede", "Brilon", "Sundern (Sauerland)", "Schmallenberg",
                        "Marsberg", "Winterberg"], kreis_operator="Hochsauerlandkreis")
    b.add("KIM-Fallmanagement im Rathaus Olsberg", VERW, "Olsberg",
          subtype="Kommunales Integrationsmanagement",
          operator="Stadt Olsberg mit dem Hochsauerlandkreis",
          target_groups=["neuzugewanderte", "erwachsene"], offers=[KIM], status="planned",
          place="address", contacts=0, verified=dt.date(2026, 9, 15),
          notes="Stelle ausgeschrieben, Start voraussichtlich Frühjahr 2027.")

    for name, town, subtype, operator, serves, offers in (
        ("Migrationsberatung für Erwachsene Arnsberg", "Arnsberg", "Migrationsberatung (MBE)",
         "Wohlfahrtsverband Hochsauerland e. V.", ["Arnsberg", "Sundern (Sauerland)"],
         ["Migrationsberatung", "Familiennachzug"]),
        ("Migrationsberatung für Erwachsene Meschede", "Meschede", "Migrationsberatung (MBE)",
         "Ev. Sozialwerk Ruhrtal e. V.", ["Meschede", "Bestwig", "Eslohe", "Schmallenberg"],
         ["Migrationsberatung", "Hilfe bei Anträgen"]),
        ("Migrationsberatung für Erwachsene Brilon", "Brilon", "Migrationsberatung (MBE)",
         "Wohlfahrtsverband Hochsauerland e. V.", ["Brilon", "Olsberg", "Marsberg", "Winterberg"],
         ["Migrationsberatung", "Sozialberatung"]),
        ("Jugendmigrationsdienst Arnsberg", "Arnsberg", "Jugendmigrationsdienst",
         "Jugendwerk Sauerland e. V.", ["Arnsberg", "Sundern (Sauerland)", "Meschede"],
         ["Jugendmigrationsdienst", "Übergangsbegleitung"]),
        ("Jugendmigrationsdienst Brilon", "Brilon", "Jugendmigrationsdienst",
         "Jugendwerk Sauerland e. V.", ["Brilon", "Olsberg", "Marsberg"],
         ["Jugendmigrationsdienst", "Bewerbungstraining"]),
        ("Erziehungsberatung Arnsberg", "Arnsberg", "Erziehungsberatung",
         "Stadt Arnsberg", ["Arnsberg", "Sundern (Sauerland)"],
         ["Erziehungsberatung", "Elternkurse"]),
        ("Erziehungs- und Familienberatung Hochsauerland", "Meschede", "Erziehungsberatung",
         "Hochsauerlandkreis", ["Meschede", "Bestwig", "Eslohe (Sauerland)", "Schmallenberg",
                                "Olsberg", "Winterberg", "Medebach", "Hallenberg", "Brilon",
                                "Marsberg"],
         ["Erziehungsberatung", "Trennungs- und Scheidungsberatung"]),
        ("Schuldnerberatung Meschede", "Meschede", "Schuldnerberatung",
         "Ev. Sozialwerk Ruhrtal e. V.", ["Meschede", "Bestwig", "Eslohe (Sauerland)"],
         ["Schuldnerberatung", "P-Konto-Bescheinigung"]),
        ("Flüchtlingsberatung Schmallenberg", "Schmallenberg", "Flüchtlingsberatung",
         "Wohlfahrtsverband Hochsauerland e. V.", None,
         ["Asylverfahrensberatung", "Hilfe bei Anträgen"]),
        ("Psychosoziale Beratung für Geflüchtete Arnsberg", "Arnsberg", "Psychosoziale Beratung",
         "Ev. Sozialwerk Ruhrtal e. V.", ["Arnsberg", "Sundern (Sauerland)", "Meschede"],
         ["Psychosoziale Beratung"]),
        ("Frauenberatung Hochsauerland-Ost", "Brilon", "Gewaltschutz",
         "Frauen helfen Frauen Sauerland-Beispiel e. V.",
         ["Brilon", "Olsberg", "Winterberg", "Medebach", "Hallenberg"],
         ["Gewaltschutzberatung", "Begleitung zu Behörden"]),
    ):
        b.add(name, BERATUNG, town, subtype=subtype, operator=operator, serves=serves,
              stages=["uebergang"] if "Jugend" in subtype else None,
              target_groups=(["jugendliche", "neuzugewanderte"] if "Jugend" in subtype
                             else ["erwachsene", "neuzugewanderte"]),
              languages=rng.choice((2, 3, 4, 5)), offers=offers, hours=b.hours("beratung"),
              contacts=0.7)

    for name, town, subtype, operator, serves, offers in (
        ("Volkshochschule Arnsberg-Sundern", "Arnsberg", "Volkshochschule",
         "Zweckverband VHS Arnsberg-Sundern", ["Arnsberg", "Sundern (Sauerland)"],
         ["Integrationskurs", "Alphabetisierungskurs", "Einbürgerungstest"]),
        ("Volkshochschule Hochsauerland-Mitte", "Meschede", "Volkshochschule",
         "Zweckverband VHS Hochsauerland-Mitte",
         ["Meschede", "Eslohe (Sauerland)", "Schmallenberg", "Bestwig"],
         ["Integrationskurs", "Deutsch für den Beruf"]),
        ("Volkshochschule Briloner Land", "Brilon", "Volkshochschule",
         "Zweckverband VHS Briloner Land", ["Brilon", "Marsberg", "Olsberg"],
         ["Integrationskurs", "Elternintegrationskurs"]),
        ("Sprachschule Neheim", "Arnsberg", "Sprachkursträger", "Sprachschule Neheim GmbH", None,
         ["Integrationskurs", "Berufssprachkurs"]),
        ("Bildungszentrum Sauerland", "Meschede", "Sprachkursträger",
         "Bildungszentrum Sauerland gGmbH", None,
         ["Integrationskurs mit Alphabetisierung", "Jugendintegrationskurs"]),
        ("Stadtbücherei Arnsberg", "Arnsberg", "Bibliothek", "Stadt Arnsberg", None,
         ["Mehrsprachige Medien", "Vorlesestunde"]),
        ("Stadtbibliothek Meschede", "Meschede", "Bibliothek", "Stadt Meschede", None,
         ["Mehrsprachige Medien", "Lerncafé"]),
        ("Familienbildungsstätte Arnsberg", "Arnsberg", "Familienbildung",
         "Familienbildungswerk Sauerland e. V.", None, ["Griffbereit", "Elternkurse"]),
        ("Kulturzentrum Alte Schule Winterberg", "Winterberg", "Begegnungszentrum",
         "Kulturverein Winterberg-Beispiel e. V.", ["Winterberg", "Medebach"],
         ["Offener Treff", "Interkulturelle Feste"]),
    ):
        b.add(name, EINR, town, subtype=subtype, operator=operator, serves=serves,
              stages=["erwachsene"] if subtype != "Familienbildung" else ["fruehe_foerderung"],
              target_groups=["erwachsene", "neuzugewanderte"] if subtype != "Familienbildung"
              else ["eltern", "kinder"],
              languages=rng.choice((1, 2, 3)), offers=offers, hours=b.hours("einrichtung"),
              contacts=0.6, website=subtype in ("Volkshochschule", "Bibliothek") or None)

    for name, town, subtype, offers in (
        ("Flüchtlingshilfe Neheim", "Arnsberg", "Willkommensinitiative",
         ["Patenschaften", "Begleitung zu Behörden"]),
        ("Sprachcafé Hüsten", "Arnsberg", "Sprachcafé", ["Sprachcafé"]),
        ("SV Ruhrwiesen Arnsberg", "Arnsberg", "Sportverein", ["Integration durch Sport"]),
        ("Begegnungscafé Meschede", "Meschede", "Begegnungsprojekt",
         ["Sprachcafé", "Elterncafé"]),
        ("Lernpaten Meschede", "Meschede", "Lernpatenschaften", ["Hausaufgabenhilfe"]),
        ("Willkommen am Sorpesee", "Sundern (Sauerland)", "Willkommensinitiative",
         ["Patenschaften", "Fahrdienst"]),
        ("Netzwerk Ankommen Brilon", "Brilon", "Willkommensinitiative",
         ["Patenschaften", "Kleiderkammer"]),
        ("Lennetaler Sprachbrücke", "Schmallenberg", "Sprachcafé", ["Sprachcafé"]),
        ("Fahrradwerkstatt Marsberg", "Marsberg", "Reparaturinitiative", ["Fahrradwerkstatt"]),
        ("TuS Ruhrquelle Olsberg", "Olsberg", "Sportverein", ["Integration durch Sport"]),
        ("Willkommenskreis Winterberg", "Winterberg", "Willkommensinitiative",
         ["Patenschaften", "Sprachcafé"]),
        ("Willkommenskreis Eslohe", "Eslohe (Sauerland)", "Willkommensinitiative",
         ["Patenschaften"]),
        ("Nähcafé International Bestwig", "Bestwig", "Begegnungsprojekt",
         ["Nähwerkstatt", "Frauentreff"]),
    ):
        b.add(name, EHREN, town, subtype=subtype, stages=rng.choice((None, ["ausserschulisch"])),
              target_groups=["neuzugewanderte"], languages=rng.choice((1, 2, 3)), offers=offers,
              hours=b.hours("ehrenamt"), contacts=0.5, website=rng.random() < 0.3,
              label="Eslohe" if town == "Eslohe (Sauerland)" else None)
    b.add("Sprachcafé Medebach", EHREN, "Medebach", subtype="Sprachcafé",
          target_groups=["neuzugewanderte"], languages=["de", "uk"], offers=["Sprachcafé"],
          status="inactive", verified=dt.date(2025, 2, 11), contacts=0,
          notes="Pausiert, bis wieder Räume zur Verfügung stehen.")

    b.add("Gesundheitsamt Hochsauerlandkreis", GESUND, "Meschede", subtype="Gesundheitsamt",
          operator="Hochsauerlandkreis", serves="all",
          stages=["fruehe_foerderung", "elementar", "schule"],
          target_groups=["kinder", "eltern", "neuzugewanderte"], languages=["de", "en"],
          offers=["Schuleingangsuntersuchung", "Impfberatung",
                  "Kinder- und Jugendgesundheitsdienst"],
          hours=b.hours("amt"), place="address", contacts=0.5, roles="gesundheit")
    b.add("Gesundheitslotsen Arnsberg", GESUND, "Arnsberg", subtype="Gesundheitsprojekt",
          operator="Ev. Sozialwerk Ruhrtal e. V.", serves=["Arnsberg", "Sundern (Sauerland)"],
          target_groups=["erwachsene", "neuzugewanderte"], languages=["de", "ar", "tr", "ru", "uk"],
          offers=["Gesundheitslotsen", "Infoveranstaltungen in Herkunftssprachen"],
          hours=b.hours("beratung"), contacts=0.7, roles="gesundheit")
    b.add("Sprachmittlung Gesundheit Briloner Land", GESUND, "Brilon", subtype="Sprachmittlung",
          operator="Wohlfahrtsverband Hochsauerland e. V.",
          serves=["Brilon", "Olsberg", "Marsberg", "Winterberg"], target_groups=["erwachsene"],
          languages=["de", "ar", "fa", "ti", "uk"], offers=["Dolmetscherpool",
                                                            "Begleitung zu Arztterminen"],
          contacts=0.6, roles="gesundheit")

    for p in b.partners:
        if p["town"] == "Sundern (Sauerland)" and rng.random() < 0.4:
            p["town"] = "Sundern"
        if p["town"] == "Eslohe (Sauerland)" and rng.random() < 0.5:
            p["town"] = "Eslohe"
    return b


# --------------------------------------------------------------------------- checks


def resolve(region: RegionSpec, label: str) -> str:
    """The official town name of ``label`` (only the spellings used here)."""
    extra = {"05762016": "Brakel", "05762020": "Höxter", "hoexter": "Höxter"}
    key = extra.get(label.lower(), label)
    for town in region.towns:
        if key.lower() in (town.name.lower(), town.short.lower()):
            return town.name
    message = f"unresolved town {label!r}"
    raise KeyError(message)


def coverage(region: RegionSpec, data: dict) -> dict[tuple[str, str], int]:
    """Active partners reachable per (town, category): located there or serving it."""
    cats = list(CATEGORY_ORDER) + [c for c in data.get("categories", {}) if c not in CATEGORY_ORDER]
    counts = {(t.name, c): 0 for t in region.towns for c in cats}
    for p in data["partners"]:
        if p.get("status", "active") != "active":
            continue
        home = resolve(region, p["town"])
        serves = p.get("serves")
        if serves == "all":
            reached = [t.name for t in region.towns]
        else:
            reached = [home, *(resolve(region, s) for s in serves or ())]
        for town in dict.fromkeys(reached):
            counts[(town, p["category"])] += 1
    return counts


def white_spots(region: RegionSpec, data: dict) -> list[tuple[str, str]]:
    return [key for key, n in coverage(region, data).items() if n == 0]


def check(region: RegionSpec, data: dict, text: str) -> None:
    sys.path.insert(0, str(ROOT))
    from partnernetz.registry.models import Partner, Registry

    assert tuple(Partner.model_fields) == FIELD_ORDER, "model field order changed"
    assert yaml.safe_load(text) == data, f"{region.path}: text does not load back to the data"
    Registry.model_validate(yaml.safe_load(text))
    assert max(len(line) for line in text.splitlines()) <= MAX_LINE, "line too long"
    old = sum(p.get("verified", TODAY) < FRESH_SINCE for p in data["partners"])
    assert 0.15 <= old / len(data["partners"]) <= 0.25, f"{old} old check dates"
    ids = [p["id"] for p in data["partners"]]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for p in data["partners"]:
        assert p.get("verified", TODAY) <= TODAY
        assert p["category"] in CATEGORY_ORDER or p["category"] in data.get("categories", {})
        if p["category"] in ("beratung", "einrichtung", "ehrenamt") and region is HOEXTER:
            assert not (p.get("serves") == "all" and p.get("status", "active") == "active")
    if region is HOEXTER:
        expected = [("Borgentreich", "einrichtung"), ("Marienmünster", "beratung"),
                    ("Nieheim", "einrichtung"), ("Willebadessen", "ehrenamt")]
        assert sorted(white_spots(region, data)) == expected, white_spots(region, data)
        for town in region.towns:
            assert any(
                KIM in p.get("offers", ()) and resolve(region, p["town"]) == town.name
                and p.get("status", "active") == "active" for p in data["partners"]
            ), f"no KIM office in {town.name}"


# --------------------------------------------------------------------------- YAML text


def scalar(value: Any, *, flow: bool = False) -> str:
    """One scalar as YAML: plain where that reads back unchanged, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    probe = f"k: [{text}]" if flow else f"k: {text}"
    try:
        plain_ok = yaml.safe_load(probe) == {"k": [text] if flow else text}
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and text == text.strip() and "#" not in text and not text.startswith(("'", '"')):
        return text
    return json.dumps(text, ensure_ascii=False)


def mapping_lines(data: dict, indent: str) -> list[str]:
    """A block mapping; nested dicts of scalars as blocks, flow for short code lists."""
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            if key == "location":
                inner = ", ".join(f"{k}: {scalar(v)}" for k, v in value.items())
                lines.append(f"{indent}{key}: {{{inner}}}")
            else:
                lines.append(f"{indent}{key}:")
                lines.extend(mapping_lines(value, indent + "  "))
        elif isinstance(value, list):
            flow = f"{indent}{key}: [{', '.join(scalar(v, flow=True) for v in value)}]"
            if key in FLOW_LISTS and len(flow) <= MAX_LINE:
                lines.append(flow)
            elif value and isinstance(value[0], dict):
                lines.append(f"{indent}{key}:")
                for item in value:
                    sub = mapping_lines(item, indent + "    ")
                    sub[0] = f"{indent}  - {sub[0].lstrip()}"
                    lines.extend(sub)
            else:
                lines.append(f"{indent}{key}:")
                lines.extend(f"{indent}  - {scalar(v)}" for v in value)
        elif key in QUOTED:
            lines.append(f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{indent}{key}: {scalar(value)}")
    return lines


def render(region: RegionSpec, data: dict, header: list[str]) -> str:
    lines = [f"# yaml-language-server: $schema={region.schema}", *header, ""]
    lines += mapping_lines({"region": data["region"]}, "")
    for section in ("categories", "targets"):
        if data.get(section):
            lines.append("")
            lines += mapping_lines({section: data[section]}, "")
    lines += ["", "partners:"]
    current = None
    for partner in data["partners"]:
        if partner["category"] != current:
            current = partner["category"]
            count = sum(p["category"] == current for p in data["partners"])
            title = f"  # --- {SECTION_TITLES[current]} ({count}) "
            lines += ["", title + "-" * max(3, 78 - len(title))]
        body = mapping_lines(partner, "    ")
        body[0] = "  - " + body[0].lstrip()
        lines += ["", *body]
    return "\n".join(lines) + "\n"


def sort_partners(region: RegionSpec, partners: list[dict], cats: list[str]) -> list[dict]:
    def key(p: dict) -> tuple:
        return (cats.index(p["category"]), resolve(region, p["town"]), p["name"])

    return [
        {k: p[k] for k in FIELD_ORDER if k in p} for p in sorted(partners, key=key)
    ]


def header_lines(region: RegionSpec, data: dict, spots: list[tuple[str, str]],
                 intended: bool) -> list[str]:
    labels = {**SECTION_TITLES, **{k: v["label"] for k, v in data.get("categories", {}).items()}}
    n = len(data["partners"])
    active = sum(p.get("status", "active") == "active" for p in data["partners"])
    lines = [
        "#",
        f"# Partnernetz – Partnerregister {region.name} (DEMODATEN)",
        "#",
        "# ACHTUNG: Alle Einträge sind frei erfunden. Einrichtungen, Träger, Personen,",
        "# Adressen, Telefonnummern und E-Mail-Adressen sind fiktiv; Ähnlichkeiten mit",
        "# realen Einrichtungen oder Personen wären zufällig. Die Telefonnummern haben",
        "# echte Vorwahlen, aber erkennbar erfundene Rufnummern (9999-…/9998-…), E-Mail-",
        "# und Web-Adressen liegen ausschließlich unter example.org.",
        "# Fictional demo data: no real organisation, person or contact detail.",
        "#",
        "# Lizenz: CC0 1.0 (gemeinfrei) – frei verwendbar für Tests, Schulungen und Demos.",
        "#",
        f"# Stand: {TODAY.isoformat()} · {n} Einträge, davon {active} aktiv.",
        "# Format der Datei: docs/registry.md",
        f"# Prüfen: python -m partnernetz validate {region.path}",
        "# Erzeugt mit scripts/make_demo_registries.py – Änderungen bitte dort vornehmen.",
        "#",
        "# Weiße Flecken (Ort × Kategorie ohne aktiven Partner im Ort oder für den Ort):",
    ]
    lines += [f"#   - {town}: {labels[cat]}" for town, cat in spots] or ["#   keine"]
    if intended:
        lines += [
            "# Diese vier Lücken sind für die Demo bewusst angelegt. Geplante (planned) und",
            "# inaktive (inactive) Einträge zählen nicht: in Marienmünster ist eine",
            "# Beratung geplant, in Nieheim und Willebadessen ruhen ehemalige Angebote.",
        ]
    else:
        lines += ["# Sie ergeben sich aus den Demodaten und sind nicht beabsichtigt."]
    lines.append("#")
    return lines


TARGETS = {
    "schule": {"min_reachable": 1},
    "kita": {"min_reachable": 1, "per_10k": 3.0},
    "jugendhilfe": {"min_reachable": 1},
    "verwaltung": {"min_reachable": 1},
    "beratung": {"min_reachable": 1, "per_10k": 1.0},
    "einrichtung": {"min_reachable": 1},
    "ehrenamt": {"min_reachable": 1, "per_10k": 0.5},
}
HSK_CATEGORIES = {
    "gesundheit": {
        "label": "Gesundheit und Sprachmittlung",
        "label_en": "Health and interpreting",
        "colour": "#882255",
        "icon": "health",
    },
}


def build(region: RegionSpec) -> tuple[dict, str]:
    builder = build_hoexter() if region is HOEXTER else build_hsk()
    slug = "kreis-hoexter" if region.kreis == "05762" else "hochsauerlandkreis"
    data: dict[str, Any] = {"region": {
        "name": region.name, "kreis": region.kreis,
        # the feedback contact of the accessibility statement (fictional)
        "accessibility": {
            "name": f"Kommunales Integrationszentrum {region.name}",
            "email": f"barrierefreiheit@ki-{slug}.example.org",
            "phone": "05271 9999-000" if region.kreis == "05762" else "0291 9999-000",
        },
        # logo and sender line of the reports (fictional address)
        "logo": f"logos/ki-{slug}.svg",
        "sender": (f"Kommunales Integrationszentrum {region.name} · Musterstraße 1 · "
                   + ("37671 Höxter" if region.kreis == "05762" else "59872 Meschede")),
    }}
    cats = list(CATEGORY_ORDER)
    if region is HSK:
        data["categories"] = HSK_CATEGORIES
        cats.append("gesundheit")
        # Fewer Kitas and counselling services per head in this demo: lower targets.
        data["targets"] = {
            **TARGETS,
            "kita": {"min_reachable": 1, "per_10k": 1.0},
            "beratung": {"min_reachable": 1, "per_10k": 0.5},
            "ehrenamt": {"min_reachable": 1},
            "gesundheit": {"min_reachable": 1},
        }
    else:
        data["targets"] = TARGETS
    data["partners"] = sort_partners(region, builder.partners, cats)
    add_translations(data["partners"])
    spots = white_spots(region, data)
    text = render(region, data, header_lines(region, data, spots, region is HOEXTER))
    check(region, data, text)
    return data, text


def summary(region: RegionSpec, data: dict) -> str:
    cats = list(CATEGORY_ORDER) + list(data.get("categories", {}))
    short = {c: c[:6] for c in cats}
    rows = [f"{'town':22}" + "".join(f"{short[c]:>7}" for c in cats) + "  total"]
    for town in region.towns:
        located = [p for p in data["partners"] if resolve(region, p["town"]) == town.name]
        counts = [sum(p["category"] == c for p in located) for c in cats]
        rows.append(f"{town.name:22}" + "".join(f"{n:7}" for n in counts) + f"{len(located):7}")
    totals = [sum(p["category"] == c for p in data["partners"]) for c in cats]
    rows.append(f"{'total':22}" + "".join(f"{n:7}" for n in totals) + f"{len(data['partners']):7}")
    dated = [p["verified"] for p in data["partners"] if "verified" in p]
    old = sum(d < FRESH_SINCE for d in dated)
    n = len(data["partners"])
    rows.append(
        f"verified: {len(dated)}/{n}, older than 12 months: {old} ({old / n:.0%}); "
        f"explicit location: {sum('location' in p for p in data['partners'])}; "
        f"address: {sum('address' in p for p in data['partners'])}; "
        f"status: {sum(p.get('status') == 'planned' for p in data['partners'])} planned, "
        f"{sum(p.get('status') == 'inactive' for p in data['partners'])} inactive"
    )
    rows.append(f"white spots: {white_spots(region, data)}")
    return "\n".join(rows)


def main() -> int:
    for region in (HOEXTER, HSK):
        data, text = build(region)
        path = ROOT / region.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{region.path}: {len(data['partners'])} partners")
        print(summary(region, data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
