"""The real `efangtong` program on a real X server (Xvfb, xcb platform): it starts, draws its window, saves a PNG."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.support.xvfb import XvfbServer

NAV_PANEL_COLOUR = QColor("#1d3a60")  # resources/theme.qss, QFrame#navPanel


def client_command() -> list[str]:
    """The installed `efangtong` console script next to this interpreter, or the module when it is not installed."""
    script = Path(sys.executable).with_name("efangtong")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "efangtong_desktop.app"]


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_client_screenshot_under_xvfb(xvfb: XvfbServer, tmp_path: Path, size: tuple[int, int]) -> None:
    width, height = size
    shot = tmp_path / f"main-{width}x{height}.png"
    command = [*client_command(), "--data-dir", str(tmp_path / "client"), "--user", "测试员"]
    command += ["--server", "http://127.0.0.1:9", "--size", f"{width}x{height}", "--screenshot", str(shot)]
    result = subprocess.run(command, env=xvfb.env(), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    image = QImage(str(shot))
    assert not image.isNull(), "the PNG can be read"
    assert (image.width(), image.height()) == (width, height)
    colours = {image.pixel(x, y) for x in range(0, width, 31) for y in range(0, height, 17)}
    assert len(colours) > 8, "the window is drawn, not blank"
    assert image.pixelColor(10, height - 80) == NAV_PANEL_COLOUR, "the theme is applied"
    assert (tmp_path / "client" / "replica.sqlite3").is_file()

    keep = os.environ.get("EFT_SCREENSHOT_DIR")  # to look at the UI: EFT_SCREENSHOT_DIR=var/shots make test
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
