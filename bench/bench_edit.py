"""Benchmark: saving one edit (validate + write + history), and 20 concurrent edit processes.

Server side, as the app saves a form: ``apply_changes`` on a registry of N
synthetic partners whose history exists already. Printed, never asserted.
Targets of issue #12: <= 300 ms at 2,000 partners, <= 1 s at 20,000.

    .venv/bin/python bench/bench_edit.py [--sizes 2000,20000] [--processes 20] [--tiny]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import make_registry  # noqa: E402

from partnernetz.geo.towns import GazetteerTowns  # noqa: E402
from partnernetz.registry import writer  # noqa: E402
from partnernetz.registry.history import History  # noqa: E402


def bench_size(n: int, *, repeat: int) -> None:
    towns = GazetteerTowns()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "partners.yaml"
        path.write_text(make_registry(n), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        start = time.perf_counter()
        writer.apply_changes(path, [writer.RetirePartner("partner-00001", "inactive")], base_hash=None,
                             author="bench@example.org", towns_source=towns)
        first = time.perf_counter() - start
        times = []
        entries = writer.read_entries(path)
        for i in range(repeat):
            pid = f"partner-{(i * 7919) % n + 10:05d}"
            entry = dict(entries[pid], phone=f"05271 {500000 + i}")
            base = writer.registry_hash(path)
            start = time.perf_counter()
            writer.apply_changes(path, [writer.UpdatePartner(pid, entry)], base_hash=base,
                                 author=f"bench{i}@example.org", towns_source=towns)
            times.append(time.perf_counter() - start)
        # A save over a file that changed since the form was opened (merge path).
        base = writer.registry_hash(path)
        entry_a = dict(entries["partner-00002"], phone="05271 1")
        entry_b = dict(entries["partner-00003"], phone="05271 2")
        writer.apply_changes(path, [writer.UpdatePartner("partner-00002", entry_a)], base_hash=base,
                             author="a@example.org", towns_source=towns)
        start = time.perf_counter()
        writer.apply_changes(path, [writer.UpdatePartner("partner-00003", entry_b)], base_hash=base,
                             author="b@example.org", towns_source=towns)
        merged = time.perf_counter() - start
        history_mb = sum(f.stat().st_size for f in History(path).path.rglob("*") if f.is_file()) / 1e6
        median = statistics.median(times) * 1000
        print(f"{n:>6} partners ({size_mb:.1f} MB): one edit saved median {median:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, n={repeat}); "
              f"merged save {merged * 1000:.0f} ms; first save incl. full check and history start "
              f"{first * 1000:.0f} ms; history {history_mb:.1f} MB after {repeat + 3} commits")


def bench_processes(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "partners.yaml"
        path.write_text(make_registry(2000), encoding="utf-8")
        base = writer.registry_hash(path)
        env = {"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "partnernetz", "edit", str(path), f"partner-{i:05d}",
                 "--set", f"phone=05271 9{i:05d}", "--by", f"p{i}@example.org", "--base", base],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            for i in range(count)
        ]
        codes = [p.wait() for p in procs]
        wall = time.perf_counter() - start
        for p in procs:
            p.stderr.close()
        entries = writer.read_entries(path)
        kept = sum(entries[f"partner-{i:05d}"].get("phone") == f"05271 9{i:05d}" for i in range(count))
        commits = sum(e.kind == "change" for e in History(path).entries())
        print(f"{count} concurrent edit processes on 2,000 partners: wall {wall:.1f} s, "
              f"exit 0: {codes.count(0)}/{count}, changes kept: {kept}/{count}, history commits: {commits}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--processes", type=int, default=20)
    parser.add_argument("--tiny", action="store_true", help="50 partners, one run, 2 processes")
    args = parser.parse_args()
    if args.tiny:
        args.sizes, args.repeat, args.processes = "50", 1, 2
    for n in (int(s) for s in args.sizes.split(",") if s):
        bench_size(n, repeat=args.repeat)
    if args.processes:
        bench_processes(args.processes)


if __name__ == "__main__":
    main()
