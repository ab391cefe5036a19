"""The 查询 page on a real X server at 1366×768 with demo petitions found by a two-character word."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.support.xvfb import XvfbServer

REPO = Path(__file__).resolve().parents[2]


def test_search_page_with_results(xvfb: XvfbServer, tmp_path: Path) -> None:
    shot = tmp_path / "search-1366x768.png"
    command = [sys.executable, "-m", "tests.e2e.shoot_search", str(tmp_path / "client"), str(shot)]
    result = subprocess.run(command, cwd=REPO, env=xvfb.env(), capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) > 0, "拆迁 finds demo petitions"
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(200, 1366, 29) for y in range(150, 740, 13)}
    assert len(colours) > 6, "the results are drawn, not blank"
    keep = os.environ.get("EFT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
