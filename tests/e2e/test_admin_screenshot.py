"""系统设置 on a real X server at 1366×768: signed in as administrator against a live server, each tab drawn."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.desktop.live_server import ADMIN, ADMIN_PASSWORD, READY_PASSWORD, LiveServer, live_server
from tests.support.xvfb import XvfbServer

__all__ = ["live_server"]
REPO = Path(__file__).resolve().parents[2]
SHOTS = {0: "units", 1: "users", 8: "audit"}


def keyring_env(home: Path) -> dict[str, str]:
    """Environment entries giving the client a file keyring in `home` (test-only backend)."""
    config = home / "xdg-config" / "python_keyring"
    config.mkdir(parents=True, exist_ok=True)
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=keyrings.alt.file.PlaintextKeyring\n")
    return {"XDG_CONFIG_HOME": str(home / "xdg-config"), "XDG_DATA_HOME": str(home / "xdg-data")}


def shoot(xvfb: XvfbServer, server: LiveServer, tmp_path: Path, user: str, password: str, tab: int) -> Path:
    shot = tmp_path / f"settings-{user}-{SHOTS.get(tab, tab)}-1366x768.png"
    env = {**xvfb.env(), **keyring_env(tmp_path), "EFT_SHOT_USER": user, "EFT_AUTOLOGIN_PASSWORD": password}
    command = [sys.executable, "-m", "tests.e2e.shoot_admin", server.url, str(tmp_path / "client"), str(shot), str(tab)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    keep = os.environ.get("EFT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    return shot


@pytest.mark.parametrize("tab", sorted(SHOTS), ids=[SHOTS[t] for t in sorted(SHOTS)])
def test_settings_page_of_the_administrator(
    xvfb: XvfbServer, live_server: LiveServer, tmp_path: Path, tab: int
) -> None:
    image = QImage(str(shoot(xvfb, live_server, tmp_path, ADMIN, ADMIN_PASSWORD, tab)))
    colours = {image.pixel(x, y) for x in range(200, 1366, 29) for y in range(100, 740, 13)}
    assert len(colours) > 6, "the tab is drawn, not blank"


def test_settings_page_of_a_clerk(xvfb: XvfbServer, live_server: LiveServer, tmp_path: Path) -> None:
    clerk = live_server.make_user("clerk")
    shoot(xvfb, live_server, tmp_path, clerk, READY_PASSWORD, 0)
