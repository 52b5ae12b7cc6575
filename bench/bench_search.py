"""Benchmark: search time over many partners for a 3-word query with typos (prints, asserts nothing).

Synthetic partners (seeded): the Höxter demo's partners repeated with made-up
names, streets, districts and descriptions, so that the vocabulary grows as
it would in a large registry (tens of thousands of distinct words). Printed:
the time to build the search index (once per dataset, cached by the app) and
the median / max time of queries: three words with typos (no exact hits, the
"Meinten Sie …?" path), the same words spelled right, an abbreviation plus a
town, and an area code.

Run: ``.venv/bin/python bench/bench_search.py [N_PARTNERS]`` (default 20,000;
``--tiny`` for 200). Target: a 3-word query with typos under 100 ms at 20,000.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnernetz.dataset import load_dataset  # noqa: E402
from partnernetz.registry.vocabulary import search_labels  # noqa: E402
from partnernetz.search import SearchIndex  # noqa: E402

SYLLABLES = ("ber", "gen", "hau", "sen", "wald", "feld", "dorf", "bach", "berg", "hof", "kirch",
             "lin", "mar", "ste", "rode", "hau", "sen", "born", "heim", "bruck", "tal", "au")
QUERIES = {
    "3 words, typos": "Jugendmigratonsdienst Beverungn Beratng",
    "3 words, right": "Jugendmigrationsdienst Beverungen Beratung",
    "abbreviation + town": "JMD Brakel",
    "area code": "05271",
}
REPEATS = 15


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def synthetic_partners(n: int, *, seed: int = 20) -> tuple[pd.DataFrame, object]:
    """``n`` partners built from the Höxter demo with made-up words (and the demo dataset)."""
    dataset = load_dataset(ROOT / "data" / "partners.yaml", cache_dir="off")
    rng = random.Random(seed)
    base = dataset.partners.drop(columns="geometry")
    rows = base.sample(n, replace=True, random_state=seed).reset_index(drop=True)
    rows["id"] = [f"p{i}" for i in range(n)]
    rows["name"] = [f"{name} {made_up_word(rng)}" for name in rows["name"]]
    rows["street"] = [f"{made_up_word(rng)}straße {rng.randint(1, 90)}" for _ in range(n)]
    rows["district"] = [made_up_word(rng) for _ in range(n)]
    rows["description"] = [" ".join(made_up_word(rng).lower() for _ in range(6)) for _ in range(n)]
    return rows, dataset


def main(n: int) -> None:
    partners, dataset = synthetic_partners(n)
    names = dict(zip(dataset.towns["ags"], dataset.towns["name"], strict=True))
    start = time.perf_counter()
    index = SearchIndex.build(partners, town_names=names, labels=search_labels(dataset.categories))
    build = time.perf_counter() - start
    print(f"partners: {n:,}  distinct words: {len(index.vocab):,}  index build: {build * 1000:.0f} ms")
    for label, query in QUERIES.items():
        times, result = [], None
        for _ in range(REPEATS):
            start = time.perf_counter()
            result = index.search(query)
            times.append(time.perf_counter() - start)
        print(f"{label:22s} {query!r:45s} median {statistics.median(times) * 1000:6.1f} ms  "
              f"max {max(times) * 1000:6.1f} ms  mode {result.mode:5s} hits {result.count:,}"
              + (f"  Meinten Sie „{result.suggestion}“?" if result.suggestion else ""))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(200 if "--tiny" in args else int(args[0]) if args else 20_000)
