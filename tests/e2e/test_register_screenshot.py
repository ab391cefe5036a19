"""The 登记 page on a real X server at 1366×768 with real Chinese glyphs: typed in, one field refused, looked at."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.support.xvfb import XvfbServer

REPO = Path(__file__).resolve().parents[2]
REFUSED_BORDER = (0xD9, 0x2D, 0x20)  # QLineEdit/QComboBox[invalid="true"] in ui/register_page.ui


def test_register_page_screenshot_at_1366x768(xvfb: XvfbServer, tmp_path: Path) -> None:
    shot = tmp_path / "register-1366x768.png"
    command = [sys.executable, "-m", "tests.e2e.shoot_register", str(tmp_path / "client"), str(shot), "1366x768"]
    result = subprocess.run(command, cwd=REPO, env=xvfb.env(), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "WenQuanYi" in result.stdout or "Noto" in result.stdout, f"a CJK font draws the form: {result.stdout}"
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(200, 1366, 23) for y in range(100, 740, 11)}
    assert len(colours) > 8, "the form is drawn, not blank"
    red = sum(
        1
        for x in range(200, 1366)
        for y in range(100, 700, 2)
        if (image.pixelColor(x, y).red(), image.pixelColor(x, y).green(), image.pixelColor(x, y).blue())
        == REFUSED_BORDER
    )
    assert red > 20, "the refused field is outlined in red"
    keep = os.environ.get("EFT_SCREENSHOT_DIR")  # EFT_SCREENSHOT_DIR=var/shots make test keeps the PNGs
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
