"""The big screen under a real two-screen X server (Xvfb, xcb): it opens full screen on the second screen, on demo data.

Xvfb's `-screen 0 … -screen 1 …` are two X screens; Qt's xcb platform shows them as two QScreens (each a virtual
desktop of its own at 0,0), and the dashboard is placed on the second with QWidget.setScreen. The proof grabs that
X screen's root window, so the PNG is what the second monitor shows, not a rendering of the widget.
Run as a module (`python -m tests.e2e.test_bigscreen_screenshot DATA_DIR OUT.png`) it is the program the test starts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from efangtong_core.db import open_database
from efangtong_core.demo.seed import seed_demo
from efangtong_desktop.settings import load_settings
from tests.support.xvfb import XvfbServer

BACKGROUND = QColor("#061226")  # resources/bigscreen/dark.qss, QWidget#BigScreen
DEMO_TODAY = date(2026, 11, 20)


def shoot(data_dir: Path, out: Path) -> dict[str, object]:
    """Open the big screen as the client does, wait for the first refresh, grab the screen it is on."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from efangtong_desktop.app import create_application
    from efangtong_desktop.bigscreen.data import replica_loader
    from efangtong_desktop.bigscreen.window import BigScreenWindow
    from efangtong_desktop.context import AppContext

    app = create_application()
    context = AppContext.open(load_settings(data_dir=data_dir, server_url="http://127.0.0.1:9"))
    loader = replica_loader(context.session_factory, offline=lambda: True, today=lambda: DEMO_TODAY)
    window = BigScreenWindow(context.tasks, loader)
    screen = window.show_on_big_screen()
    QTest.qWaitForWindowExposed(window)
    window.start(rotate_ms=3_600_000, refresh_ms=3_600_000)
    deadline = time.monotonic() + 60
    while window.refresh_count == 0 and window.last_error is None and time.monotonic() < deadline:
        QTest.qWait(20)
    window.next_page()
    QTest.qWait(100)
    second = window.grab()
    window.next_page()
    QTest.qWait(100)
    assert screen is not None
    screen.grabWindow(0).save(str(out), "PNG")
    second.save(str(out.with_name(out.stem + "-page2.png")), "PNG")
    screens = QGuiApplication.screens()
    report = {
        "screens": len(screens),
        "screen_index": screens.index(screen),
        "window_screen_index": screens.index(window.screen()),
        "full_screen": window.isFullScreen(),
        "refreshed": window.refresh_count,
        "error": None if window.last_error is None else repr(window.last_error),
        "elapsed_ms": None if window.data is None else window.data.elapsed_ms,
        "as_of": window.ui.asOfLabel.text(),
        "batches": window.tile_value("batches").text(),
    }
    window.close()
    context.close()
    app.processEvents()
    return report


def test_big_screen_opens_on_the_second_screen_with_demo_data(xvfb: XvfbServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "client"
    data_dir.mkdir()
    engine = open_database(load_settings(data_dir=data_dir).replica_url)
    seed_demo(engine, petitions=3000, seed=11, today=DEMO_TODAY)
    engine.dispose()
    shot = tmp_path / "bigscreen-1920x1080.png"
    command = [sys.executable, "-m", "tests.e2e.test_bigscreen_screenshot", str(data_dir), str(shot)]
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(command, env=xvfb.env(), cwd=repo, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print("big screen:", report)
    assert report["screens"] == 2
    assert report["screen_index"] == report["window_screen_index"] == 1, "the dashboard is on the second screen"
    assert report["full_screen"]
    assert report["as_of"].startswith("数据截至")

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1920, 1080)
    colours = {image.pixel(x, y) for x in range(0, 1920, 31) for y in range(0, 1080, 17)}
    assert len(colours) > 40, "the second screen shows a drawn dashboard, not a blank root window"
    assert image.pixelColor(4, 1076) == BACKGROUND, "the dark theme fills the screen"

    keep = os.environ.get("EFT_SCREENSHOT_DIR")  # to look at it: EFT_SCREENSHOT_DIR=var/shots make test
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for png in tmp_path.glob("bigscreen-*.png"):
            shutil.copy(png, Path(keep) / png.name)


if __name__ == "__main__":
    print(json.dumps(shoot(Path(sys.argv[1]), Path(sys.argv[2])), ensure_ascii=False))
