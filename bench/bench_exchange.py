"""Benchmark: import with duplicate detection, and every export, at scale; hostile sources.

Generates a synthetic registry for Kreis Höxter with 20,000 partners and a
5,000-row CSV (a fifth of it near-duplicates of registry partners, some
duplicates within the file), then prints figures; it asserts nothing.
Target: the import plan (read, map, check, duplicates) in ≤ 5 s. The write
(one ``apply_changes`` with every new partner, validated, plus the history
commit) is timed apart; the exports run on the registry before the import.

Then ``python -m partnernetz import --dry-run`` end to end (wall time and the
peak resident memory of the command and its reading child) for the hostile
sources of issue 17: an XLSX declaring ``A1:XFD1048576``, ``/dev/zero``, a
200 MB CSV, and a file of N_DUPLICATE_ROWS near-duplicate rows of 350 partners.

    .venv/bin/python bench/bench_exchange.py [N_PARTNERS] [N_ROWS] [N_DUPLICATE_ROWS]
"""

from __future__ import annotations

import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partnernetz.exchange.sandbox import read_source_isolated

# partnernetz.dataset and the exchange modules are imported in main(), after the hostile
# sources are measured: a child started by a big process inherits its peak memory figure.

TOWNS = {"Bad Driburg": "33014", "Beverungen": "37688", "Borgentreich": "34434",
         "Brakel": "33034", "Höxter": "37671", "Marienmünster": "37696", "Nieheim": "33039",
         "Steinheim": "32839", "Warburg": "34414", "Willebadessen": "34439"}
KINDS = [("kita", "Kita"), ("kita", "Familienzentrum"), ("schule", "Grundschule"),
         ("beratung", "Beratungsstelle"), ("jugendhilfe", "Jugendzentrum"), ("ehrenamt", "Verein"),
         ("einrichtung", "Einrichtung"), ("verwaltung", "Verwaltung")]
SYLLABLES = ["son", "nen", "re", "gen", "bo", "mar", "ien", "lin", "de", "ber", "ga", "tal",
             "wald", "feld", "au", "horn", "stein", "bach", "ro", "sa", "ki", "tu", "el", "mo"]
STREETS = ["Haupt", "Bahnhof", "Kirch", "Schul", "Markt", "Garten", "Linden", "Berg", "Mühlen"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_partner(rng: random.Random, i: int) -> dict:
    category, kind = rng.choice(KINDS)
    town = rng.choice(list(TOWNS))
    return {"id": f"p-{i:05d}", "name": f"{kind} {word(rng)} {word(rng)}", "category": category,
            "town": town, "street": f"{rng.choice(STREETS)}straße {rng.randint(1, 120)}",
            "postcode": TOWNS[town], "phone": f"05271 {rng.randint(10000, 99999)}",
            "email": f"info{i}@example.org", "kind": kind}


def write_registry(path: Path, partners: list[dict]) -> None:
    lines = ["region:", "  name: Kreis Höxter", '  kreis: "05762"', "partners:"]
    for p in partners:
        lines += [f"  - id: {p['id']}", f"    name: {p['name']}", f"    category: {p['category']}",
                  f"    town: {p['town']}", "    address:", f"      street: {p['street']}",
                  f'      postcode: "{p["postcode"]}"', f'    phone: "{p["phone"]}"',
                  f"    email: {p['email']}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_source(path: Path, rng: random.Random, partners: list[dict], n: int) -> None:
    rows = ["Einrichtung;Art;Straße;PLZ;Ort;Telefon;E-Mail"]
    for i in range(n):
        if i % 5 == 0:  # a partner of the registry, written differently
            p = dict(rng.choice(partners))
            p["street"] = p["street"].replace("straße", "str.")
            p["email"] = ""
        elif i % 25 == 1 and i > 1:  # a row repeated within the file
            rows.append(rows[-1])
            continue
        else:
            p = make_partner(rng, 100_000 + i)
            p["email"] = f"neu{i}@example.org"
        rows.append(";".join([p["name"], p["kind"], p["street"], p["postcode"], p["town"],
                              p["phone"], p["email"]]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    from partnernetz.dataset import load_dataset
    from partnernetz.exchange import gis, hsds, importer

    args = [a for a in sys.argv[1:] if a != "--tiny"]
    tiny = "--tiny" in sys.argv  # tests/test_benches.py
    n_partners = int(args[0]) if args else 100 if tiny else 20_000
    n_rows = int(args[1]) if len(args) > 1 else 30 if tiny else 5_000
    rng = random.Random(13)
    partners = [make_partner(rng, i) for i in range(n_partners)]
    with tempfile.TemporaryDirectory() as tmp:
        registry, source = Path(tmp) / "partners.yaml", Path(tmp) / "liste.csv"
        write_registry(registry, partners)
        write_source(source, rng, partners, n_rows)
        cache = Path(tmp) / "cache"
        dataset = timed(f"load registry ({n_partners:,} partners, cold)",
                        lambda: load_dataset(registry, cache_dir=cache))
        dataset = timed("load registry (warm cache)", lambda: load_dataset(registry, cache_dir=cache))
        table = timed(f"read CSV ({n_rows:,} rows)",
                      lambda: importer.read_table(source.read_bytes(), name=source.name))
        prepared = timed("import plan: map, check, duplicates (target ≤ 5 s)",
                         lambda: importer.prepare_import(table, registry, dataset=dataset))
        plan = prepared.plan
        print(f"  {plan.summary()}")
        print(f"  duplicate pairs listed: {len(plan.matches):,}; changes: {len(plan.changes):,}")
        timed("write: one apply_changes + history entry",
              lambda: importer.commit_import(prepared, author="bench@example.org"))
        timed("export GeoJSON", lambda: gis.partners_geojson(dataset))
        timed("export GeoPackage (3 layers + style)", lambda: gis.geopackage_bytes(dataset))
        timed("export HSDS JSON", lambda: hsds.hsds_json_bytes(dataset))
        timed("export HSDS tabular datapackage (ZIP)", lambda: hsds.hsds_datapackage_zip(dataset))


# --------------------------------------------------------------------------- hostile sources

ROOT = Path(__file__).resolve().parents[1]
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def dimension_bomb() -> bytes:
    """An XLSX of about 1.6 KB whose sheet declares A1:XFD1048576 (cells in rows 1, 2, 1048576)."""
    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><dimension '
             'ref="A1:XFD1048576"/><sheetData>'
             f'<row r="1">{cell("A1", "Name")}{cell("B1", "Ort")}{cell("C1", "Kategorie")}</row>'
             f'<row r="2">{cell("A2", "Kita A")}{cell("B2", "Brakel")}{cell("C2", "kita")}</row>'
             f'<row r="1048576">{cell("A1048576", "Kita Z")}{cell("B1048576", "Nieheim")}'
             f'{cell("C1048576", "kita")}</row></sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
                        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} '
                            f'xmlns:r="{_REL}"><sheets><sheet name="Liste" sheetId="1" '
                            'r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}"><Relationship '
            f'Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write_near_duplicates(path: Path, rng: random.Random, n_rows: int, n_partners: int = 350) -> None:
    """``n_rows`` rows of ``n_partners`` partners (name, street, town only), written many ways."""
    partners = []
    for i in range(n_partners):
        category, kind = rng.choice(KINDS)
        first, second = word(rng) + word(rng).lower(), word(rng)
        wrong = first[0] + first[2] + first[1] + first[3:]  # the partner's usual misspelling
        partners.append((f"{kind} {first} {second}", f"{kind} {wrong} {second}", category,
                         rng.choice(list(TOWNS)), f"{rng.choice(STREETS)}straße {i % 90 + 1}"))
    rows = ["Einrichtung;Kategorie;Straße;Ort"]
    for i in range(n_rows):
        name, wrong, category, town, street = partners[i] if i < n_partners else rng.choice(partners)
        if i >= n_partners:
            name = rng.choice([name, wrong, name.upper(), f"{name} e. V.", f"  {wrong}"])
            street = rng.choice([street, street.replace("straße", "str.")])
        rows.append(";".join([name, category, street, town]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run_measured(args: list[str], tmp: Path) -> tuple[float, float, int, str]:
    """``python -m partnernetz ARGS``: wall s, peak RSS MB (the command; its reading child is
    started by it and counted in only when larger), exit code, last line of output."""
    env = {**os.environ, "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    with open(tmp / "out.txt", "w+b") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "partnernetz", *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)  # usage includes the reaped reading child
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    return wall, usage.ru_maxrss / 1024, proc.returncode, lines[-1] if lines else ""


def hostile(n_duplicate_rows: int) -> None:
    """The hostile sources of issue 17, each through ``import --dry-run``."""
    print("hostile sources (wall time, peak resident memory)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        registry = tmp / "partners.yaml"
        registry.write_text('region:\n  name: Kreis Höxter\n  kreis: "05762"\npartners:\n'
                            "  - id: kita-a\n    name: Kita A\n    category: kita\n"
                            "    town: Brakel\n", encoding="utf-8")
        bomb = tmp / "bombe.xlsx"
        bomb.write_bytes(dimension_bomb())
        big = tmp / "gross.csv"
        with open(big, "wb") as handle:
            handle.write(b"Einrichtung;Ort\n")
            handle.truncate(200 * 1024 * 1024)
        duplicates = tmp / "duplikate.csv"
        write_near_duplicates(duplicates, random.Random(17), n_duplicate_rows)
        cases = [
            (f"XLSX declaring A1:XFD1048576 ({bomb.stat().st_size:,} bytes)", bomb),
            ("/dev/zero", Path("/dev/zero")),
            ("CSV of 200 MB (sparse file)", big),
            (f"{n_duplicate_rows:,} near-duplicate rows of 350 partners", duplicates),
        ]
        print("  the reading child alone (read_source_isolated; peak RSS so far of any child):")
        for label, source in (cases[0], cases[3]):
            start = time.perf_counter()
            table = read_source_isolated(source.read_bytes(), name=source.name)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"  {label:<56} {time.perf_counter() - start:7.2f} s {peak:7.0f} MB  "
                  f"{len(table.rows):,} rows")
        print("  the whole command (python -m partnernetz import --dry-run):")
        for label, source in cases:
            wall, peak, code, last = run_measured(
                ["import", str(source), "--into", str(registry), "--dry-run"], tmp)
            print(f"  {label:<56} {wall:7.2f} s {peak:7.0f} MB  exit {code}: {last[:100]}")
        from partnernetz.exchange import importer

        start = time.perf_counter()
        table = importer.read_table(duplicates.read_bytes(), name=duplicates.name)
        plan = importer.prepare_import(table, registry).plan
        print(f"  {'the duplicate file: read + plan in process':<56} "
              f"{time.perf_counter() - start:7.2f} s  {plan.summary()[:100]}")


if __name__ == "__main__":
    hostile(int(sys.argv[3]) if len(sys.argv) > 3 else 10_000)
    main()
