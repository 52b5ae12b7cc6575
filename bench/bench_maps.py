"""Benchmark: building and rendering the partner map (prints, asserts nothing).

For 2,000 and 20,000 synthetic partners (``tests/synthetic_map_data.py``, nine
towns, realistic field lengths) this prints, as the median of 5 runs:

* ``build``: ``maps.build_partner_map`` (payload, town GeoJSON, folium objects),
* ``render``: ``fmap.get_root().render()`` (the HTML ``map.save`` writes),
* ``st_folium``: the work streamlit-folium 0.27.4 does on top before sending
  the map to the browser (its own render, header/script extraction, the
  regex passes and the hash of the script); Streamlit itself then JSON-encodes
  the arguments once more,
* wall and CPU time (the CPU figure is what matters on a busy machine),
* the size of the HTML and of the script streamlit-folium sends.

Run: ``.venv/bin/python bench/bench_maps.py [--tiny]``. Targets: build + render
<= ~100 ms at 2,000 partners, well under 1 s at 20,000; HTML < 1 MB at 2,000.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit_folium  # noqa: E402

from partnernetz.registry.vocabulary import DEFAULT_CATEGORIES  # noqa: E402
from partnernetz.views.map_widget import st_folium_kwargs  # noqa: E402
from partnernetz.views.maps import build_partner_map  # noqa: E402
from tests.synthetic_map_data import make_partners, make_towns  # noqa: E402

TINY = "--tiny" in sys.argv  # a few partners, one run: tests/test_benches.py
RUNS = 1 if TINY else 5
SIZES = (50,) if TINY else (2_000, 20_000)


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def st_folium_side(fmap) -> int:
    """Run st_folium up to the component call; return the script size it sends."""
    captured = {}

    def fake(**kwargs):
        captured.update(kwargs)
        return kwargs["default"]

    with mock.patch.object(streamlit_folium, "_component_func", fake):
        streamlit_folium.st_folium(fmap, **st_folium_kwargs(key="bench"))
    return len(captured["script"].encode("utf-8"))


def main() -> None:
    towns = make_towns()
    build_partner_map(make_partners(10), towns, DEFAULT_CATEGORIES).get_root().render()
    print(f"{'partners':>9} {'build ms':>14} {'render ms':>14} {'st_folium ms':>14} "
          f"{'HTML MB':>8} {'script MB':>9}   (wall / cpu, median of {RUNS})")
    for n in SIZES:
        partners = make_partners(n)
        rows = []
        for _ in range(RUNS):
            fmap, b_wall, b_cpu = timed(
                lambda p=partners: build_partner_map(p, towns, DEFAULT_CATEGORIES)
            )
            html, r_wall, r_cpu = timed(fmap.get_root().render)
            fresh = build_partner_map(partners, towns, DEFAULT_CATEGORIES)
            script, s_wall, s_cpu = timed(lambda f=fresh: st_folium_side(f))
            rows.append((b_wall, b_cpu, r_wall, r_cpu, s_wall, s_cpu))
        med = [statistics.median(col) * 1000 for col in zip(*rows, strict=True)]
        print(f"{n:>9} {med[0]:>7.0f} /{med[1]:>5.0f} {med[2]:>7.0f} /{med[3]:>5.0f} "
              f"{med[4]:>7.0f} /{med[5]:>5.0f} {len(html.encode()) / 1e6:>8.2f} "
              f"{script / 1e6:>9.2f}")


if __name__ == "__main__":
    main()
