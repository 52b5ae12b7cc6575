"""A writer killed with SIGKILL at any moment leaves the old file or the new one, never a mix."""

from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from partnernetz.dataset import validate_registry
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
from partnernetz.registry.history import History
from tests.conftest import ROOT

ODD = Path(__file__).parent / "data" / "odd_registry.yaml"
PARTNER = "schule-letzte-steinheim"
PHONE = re.compile(r'^    phone: "05233 (\d{6})"\n', re.M)

# The child saves one change after the other, each from the file as it finds it.
CHILD = """
import sys
from partnernetz.geo.towns import GazetteerTowns
from partnernetz.registry import writer
path, partner = sys.argv[1], sys.argv[2]
towns = GazetteerTowns()
towns.load("05762")
print("ready", flush=True)
while True:
    entry = dict(writer.read_entries(path)[partner])
    n = int(entry.get("phone", "05233 000000").split()[1]) + 1
    entry["phone"] = f"05233 {n:06d}"
    writer.apply_changes(path, [writer.UpdatePartner(partner, entry)],
                         base_hash=writer.registry_hash(path), author="crash@example.org",
                         towns_source=towns)
"""


def _without_phone(text: str) -> str:
    return PHONE.sub("", text)


def test_sigkill_during_200_writes_leaves_old_or_new_file(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    shutil.copyfile(ODD, path)
    # The first version with a phone line, so every later version differs in that line only.
    entry = dict(writer.read_entries(path)[PARTNER], phone="05233 000000")
    writer.apply_changes(path, [writer.UpdatePartner(PARTNER, entry)], base_hash=None,
                         author="setup@example.org", towns_source=GazetteerTowns())
    skeleton = _without_phone(path.read_text(encoding="utf-8"))
    rng = random.Random(12)
    env = {"PATH": "/usr/bin:/bin", "PARTNERNETZ_CACHE_DIR": "off", "PYTHONPATH": str(ROOT)}
    written = 0
    kills = 0
    while written < 200:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), PARTNER], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Imports take seconds on a busy machine: kill at a random moment after they are done,
        # while the child saves one change after the other.
        if child.stdout.readline().strip() != b"ready":
            child.wait()
            raise AssertionError(child.stderr.read().decode())
        time.sleep(rng.uniform(0.0, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        stderr = child.stderr.read().decode()
        child.stdout.close()
        child.stderr.close()
        assert "Traceback" not in stderr, stderr
        kills += 1
        text = path.read_text(encoding="utf-8")
        numbers = PHONE.findall(text)
        assert len(numbers) == 1, "the phone line is missing or doubled: a mixed file"
        assert _without_phone(text) == skeleton, "the rest of the file changed"
        report = validate_registry(path)
        assert report.ok, report.format()
        assert int(numbers[0]) >= written, "an older version came back"
        written = int(numbers[0])
    assert kills >= 3
    # The history is consistent afterwards: the next save succeeds and records the file as written.
    entry = dict(writer.read_entries(path)[PARTNER], phone="05233 999999")
    result = writer.apply_changes(path, [writer.UpdatePartner(PARTNER, entry)],
                                  base_hash=writer.registry_hash(path), author="after@example.org",
                                  towns_source=GazetteerTowns())
    history = History(path)
    assert history.recorded_hash() == result.content_hash == writer.registry_hash(path)
    assert history.entries()[0].author_email == "after@example.org"
