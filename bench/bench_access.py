"""Benchmark of what sign-in adds to a rerun (prints figures, asserts nothing).

- ``dataset_for_role``: the redacted copy of 20,000 synthetic partners per role
  (built once per registry change and role, then cached);
- resolving the viewer: the access file's stamp (one ``stat``) plus matching an
  identity against an access file of 2,000 entries (every rerun);
- checking that access file (on every change of it).

Run: ``.venv/bin/python bench/bench_access.py [--tiny]``
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnernetz.access import Role, check_access_text, resolve_sign_in  # noqa: E402
from partnernetz.dataset import redact_partners  # noqa: E402
from tests.synthetic_map_data import make_partners  # noqa: E402

TINY = "--tiny" in sys.argv  # a few partners, one run: tests/test_benches.py
N_PARTNERS = 50 if TINY else 20_000
N_ENTRIES = 20 if TINY else 2_000
RUNS = 1 if TINY else 7


def timed(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    partners = make_partners(N_PARTNERS, xss=False)
    internal = sum(c.get("visibility") == "internal" for cs in partners["contacts"] for c in cs)
    print(f"{N_PARTNERS} partners, {internal} internal contacts, "
          f"{int(partners['notes'].map(lambda v: isinstance(v, str)).sum())} notes")
    for role in Role:
        seconds = timed(lambda role=role: redact_partners(partners, role))
        print(f"dataset_for_role({role.key:9s}): {seconds * 1000:7.1f} ms (median of {RUNS})")

    lines = ["contact: integration@kreis.example", "roles:", "  admin: [leitung@kreis.example]",
             "  redaktion:"]
    lines += [f"    - person{i}@kreis.example" for i in range(N_ENTRIES // 2)]
    lines += ["  mitglied:"]
    lines += [f"    - \"domain:partner{i}.example\"" for i in range(N_ENTRIES // 2 - 1)]
    lines += ['    - "group:partnernetz-netzwerk"']
    text = "\n".join(lines) + "\n"
    seconds = timed(lambda: check_access_text(text, file="access.yaml"))
    print(f"check access file ({N_ENTRIES} entries): {seconds * 1000:7.1f} ms (on each change)")
    policy, _ = check_access_text(text, file="access.yaml")
    claims = {"is_logged_in": True, "email": "someone@partner999.example", "iat": time.time(),
              "groups": ["partnernetz-netzwerk", "x", "y"]}
    now = dt.datetime.now(dt.UTC)
    seconds = timed(lambda: [resolve_sign_in(claims, policy, now=now) for _ in range(100)])
    print(f"resolve the viewer ({N_ENTRIES} entries): {seconds * 10_000:7.1f} µs per rerun")
    with tempfile.NamedTemporaryFile(suffix=".yaml") as handle:
        path = Path(handle.name)
        seconds = timed(lambda: [path.stat() for _ in range(1000)])
    print(f"stamp of the access file: {seconds * 1000:7.2f} µs per rerun")


if __name__ == "__main__":
    main()
