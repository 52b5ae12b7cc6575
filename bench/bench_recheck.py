"""Benchmark: preparing the "Noch aktuell?" e-mails (tokens, messages, ZIP, CSV) and recording them.

As the Prüfliste does on "Nachfragen": read the registry's entries, build one
personal e-mail with its own signed link per partner, pack them as a ZIP of
``.eml`` files and as the mail-merge CSV, and record the requests in the
state file. Printed, never asserted. Issue #20 asks for the time to prepare
500 e-mails.

    .venv/bin/python bench/bench_recheck.py [--sizes 500,2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import make_registry  # noqa: E402

from partnernetz.recheck.mails import eml_zip, mail_merge_csv, prepare_requests  # noqa: E402
from partnernetz.recheck.state import update_state, with_requests  # noqa: E402
from partnernetz.recheck.tokens import link_key  # noqa: E402
from partnernetz.registry import writer  # noqa: E402

KEY = link_key("bench-secret-0123456789-abcdefghijklmnop")


def bench_size(n: int, *, repeat: int) -> dict[str, float]:
    """Median seconds of each step for ``n`` e-mails."""
    steps: dict[str, list[float]] = {"read": [], "prepare": [], "zip": [], "csv": [], "record": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "partners.yaml"
        path.write_text(make_registry(n), encoding="utf-8")
        for _ in range(repeat):
            start = time.perf_counter()
            entries = writer.read_entries(path)
            steps["read"].append(time.perf_counter() - start)
            start = time.perf_counter()
            mails, skipped = prepare_requests(
                entries, list(entries), key=KEY, base_url="https://partnernetz.example.org",
                region="Kreis Höxter",
                sender="integration@example.org", sender_name="KI Kreis Höxter", by="bench@example.org",
                channel="eml", now=dt.datetime.now(dt.UTC))
            steps["prepare"].append(time.perf_counter() - start)
            assert len(mails) == n and not skipped
            start = time.perf_counter()
            data = eml_zip(mails)
            steps["zip"].append(time.perf_counter() - start)
            start = time.perf_counter()
            mail_merge_csv(mails)
            steps["csv"].append(time.perf_counter() - start)
            start = time.perf_counter()
            update_state(path, lambda s, mails=mails: with_requests(s, [m.request for m in mails]))
            steps["record"].append(time.perf_counter() - start)
    medians = {k: statistics.median(v) for k, v in steps.items()}
    total = sum(medians.values())
    ms = {k: v * 1000 for k, v in medians.items()}
    print(f"{n:>6} e-mails: read {ms['read']:7.1f} ms · prepare {ms['prepare']:7.1f} ms"
          f" · ZIP {ms['zip']:7.1f} ms ({len(data) / 1e6:.2f} MB) · CSV {ms['csv']:6.1f} ms"
          f" · record {ms['record']:6.1f} ms · total {total * 1000:7.1f} ms")
    return medians


def main(argv: list[str] | None = None) -> None:
    """Print the figures for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="5 e-mails, one run (tests/test_benches.py)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.sizes, args.repeat = "5", 1
    print("Re-check e-mails (median of", args.repeat, "runs)")
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size, repeat=args.repeat)


if __name__ == "__main__":
    main()
