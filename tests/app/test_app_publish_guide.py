"""AppTest of "Wegweiser veröffentlichen": roles, confirmation, stamp, registry version."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernetz.guide import read_stamp
from tests.access.markers import write_marker_files
from tests.app.helpers import make_app as app
from tests.app.helpers import open_page as page
from tests.app.helpers import signed_in

SCRIPT = "app_pages/publish_guide.py"


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    registry, access = write_marker_files(tmp_path)
    out = tmp_path / "wegweiser"
    monkeypatch.setenv("PARTNERNETZ_REGISTRY", str(registry))
    monkeypatch.setenv("PARTNERNETZ_ACCESS", str(access))
    monkeypatch.setenv("PARTNERNETZ_GUIDE_DIR", str(out))
    return registry, out


def test_redaktion_publishes_after_confirming_and_sees_the_stamp(setup) -> None:
    registry, out = setup
    at = page(app(signed_in("redaktion@example.org")), SCRIPT)
    assert at.header[0].value == "Wegweiser veröffentlichen"
    assert any("noch kein Wegweiser" in c.value for c in at.caption)
    button = next(b for b in at.button if b.label == "Jetzt veröffentlichen")
    assert button.disabled
    assert not out.exists()
    at.checkbox(key="guide.confirm.0").check().run()
    next(b for b in at.button if b.label == "Jetzt veröffentlichen").click().run()
    assert not at.exception, at.exception
    assert any("Veröffentlicht:" in s.value and "3 Partnern" in s.value for s in at.success)
    stamp = read_stamp(out)
    assert stamp is not None and stamp.partners == 3
    at.run()
    assert not at.checkbox(key="guide.confirm.1").value  # confirm again for the next time
    assert any("Zuletzt veröffentlicht:" in m.value and stamp.registry_sha256[:12] in m.value
               for m in at.markdown)
    assert any("unverändert" in c.value for c in at.caption)
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    at.run()
    assert any("geändert" in w.value for w in at.warning)


def test_mitglied_and_public_do_not_get_the_page(setup) -> None:
    _, out = setup
    for user in (signed_in("mitglied@example.org"), None):
        at = app(user)
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(SCRIPT).run()
    assert not out.exists()


def test_missing_folder_setting_says_which_variable(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARTNERNETZ_GUIDE_DIR")
    at = page(app(signed_in("admin@example.org")), SCRIPT)
    assert any("PARTNERNETZ\\_GUIDE\\_DIR" in i.value or "PARTNERNETZ_GUIDE_DIR" in i.value
               for i in at.info)
    assert not [b for b in at.button if b.label == "Jetzt veröffentlichen"]
