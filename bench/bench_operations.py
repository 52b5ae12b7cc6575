"""Benchmark: a new KI's start and the backup of a large registry. Printed, never asserted.

- ``init`` (Kreis Paderborn) + the first import of an Excel list of N rows (issue 19: 2,000);
- ``backup`` and ``backup --restore`` of a registry with M partners and V history versions
  (issue 19: 20,000 partners, 100 versions), with the archive's size.

    .venv/bin/python bench/bench_operations.py [--rows 2000] [--partners 20000] [--versions 100]
    .venv/bin/python bench/bench_operations.py --tiny      # what the test runs
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import make_registry  # noqa: E402

from partnernetz.exchange import importer  # noqa: E402
from partnernetz.geo.towns import GazetteerTowns  # noqa: E402
from partnernetz.operations.backup import create_backup, restore_backup  # noqa: E402
from partnernetz.operations.setup import init_registry  # noqa: E402
from partnernetz.registry import writer  # noqa: E402
from partnernetz.registry.history import History  # noqa: E402

TOWNS = {"Paderborn": "33098", "Bad Lippspringe": "33175", "Büren": "33142", "Delbrück": "33129",
         "Hövelhof": "33161", "Lichtenau": "33165", "Salzkotten": "33154",
         "Bad Wünnenberg": "33181", "Altenbeken": "33184", "Borchen": "33178"}
CATEGORIES = ("kita", "schule", "beratung", "jugendhilfe", "ehrenamt")


def write_list(path: Path, rows: int) -> None:
    """An Excel list of ``rows`` fictional partners in Kreis Paderborn."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Partner")
    sheet.append(["Name", "Kategorie", "Ort", "Straße", "PLZ", "Telefon", "E-Mail"])
    towns = list(TOWNS)
    for i in range(rows):
        town = towns[i % len(towns)]
        sheet.append([f"Einrichtung {i + 1:05d} {town}", CATEGORIES[i % len(CATEGORIES)], town,
                      f"Musterweg {i + 1}", TOWNS[town], f"05251 {100000 + i}",
                      f"partner{i + 1:05d}@example.org"])
    book.save(path)


def bench_start(rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "liste.xlsx"
        write_list(source, rows)
        registry = folder / "ki" / "partners.yaml"
        start = time.perf_counter()
        init_registry(registry, region="Kreis Paderborn", admin="leitung@example.org")
        t_init = time.perf_counter() - start
        start = time.perf_counter()
        table = importer.read_table(source.read_bytes(), name=source.name)
        prepared = importer.prepare_import(table, registry)
        result = importer.commit_import(prepared, author="bench@example.org")
        t_import = time.perf_counter() - start
        added = len(result.partner_ids) if result is not None else 0
        assert added == rows, f"{rows - added} rows not imported"  # a bench of skipped rows measures nothing
        print(f"init + first import of {rows} rows: init {t_init * 1000:.0f} ms, import "
              f"{t_import:.2f} s ({added} partners written, {registry.stat().st_size / 1e6:.1f} MB), "
              f"total {t_init + t_import:.2f} s")


def build_history(path: Path, partners: int, versions: int) -> float:
    path.write_text(make_registry(partners), encoding="utf-8")
    towns = GazetteerTowns()
    entries = writer.read_entries(path)
    start = time.perf_counter()
    for i in range(versions):
        pid = f"partner-{(i * 7919) % partners:05d}"
        entry = dict(entries[pid], phone=f"05271 {500000 + i}")
        writer.apply_changes(path, [writer.UpdatePartner(pid, entry)], base_hash=writer.registry_hash(path),
                             author=f"bench{i}@example.org", towns_source=towns)
    return time.perf_counter() - start


def bench_backup(partners: int, versions: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "live"
        folder.mkdir()
        path = folder / "partners.yaml"
        built = build_history(path, partners, versions)
        (folder / "access.yaml").write_text("roles:\n  admin: [a@example.org]\n", encoding="utf-8")
        history_entries = len(History(path).entries())
        original = path.read_bytes()
        archive = Path(tmp) / "sicherung.tar.gz"
        start = time.perf_counter()
        result = create_backup(path, archive, access=folder / "access.yaml")
        t_backup = time.perf_counter() - start
        shutil.rmtree(folder)
        start = time.perf_counter()
        restore_backup(archive, folder)
        t_restore = time.perf_counter() - start
        assert path.read_bytes() == original  # a bench that restores garbage measures nothing
        print(f"backup of {partners} partners, {history_entries} history entries "
              f"({len(result.files)} files, {result.total_bytes / 1e6:.1f} MB; archive "
              f"{archive.stat().st_size / 1e6:.1f} MB): backup {t_backup:.2f} s, restore "
              f"{t_restore:.2f} s (building the history took {built:.0f} s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--tiny", action="store_true", help="20 rows, 200 partners, 3 versions")
    # --rows 0 or --partners 0 skips that part
    args = parser.parse_args(argv)
    if args.tiny:
        args.rows, args.partners, args.versions = 20, 200, 3
    if args.rows:  # 0 skips a part
        bench_start(args.rows)
    if args.partners:
        bench_backup(args.partners, args.versions)


if __name__ == "__main__":
    main()
