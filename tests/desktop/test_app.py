"""The `efangtong` entry point: Chinese help and errors, no-display message, replica upgrade, screenshot mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine

from efangtong_core.db import current_revision, head_revision
from efangtong_desktop.app import EXIT_NO_DISPLAY, has_display, main, parse_size
from efangtong_desktop.settings import REPLICA_FILENAME, load_settings

REPO = Path(__file__).resolve().parents[2]
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def run_client(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m efangtong_desktop.app` with no display of any kind in its environment."""
    env = {key: value for key, value in os.environ.items() if key not in DISPLAY_VARIABLES}
    env["HOME"] = str(tmp_path)  # keep platformdirs' default data dir away from the developer's home
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    return subprocess.run(
        [sys.executable, "-m", "efangtong_desktop.app", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_help_is_chinese_and_works_without_a_display(tmp_path: Path) -> None:
    result = run_client("--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：efangtong")
    for expected in ("选项", "--server URL", "--data-dir DIR", "--user NAME", "--bigscreen", "--screenshot PATH"):
        assert expected in result.stdout
    assert "本地数据副本" in result.stdout
    assert "show this help" not in result.stdout
    assert not (tmp_path / "xdg-data").exists(), "--help must not create any directory"


def test_without_a_display_it_says_so_in_chinese_and_fails(tmp_path: Path) -> None:
    result = run_client("--data-dir", str(tmp_path / "client"), tmp_path=tmp_path)
    assert result.returncode == EXIT_NO_DISPLAY
    assert "未检测到图形显示环境" in result.stderr
    assert "Traceback" not in result.stderr
    assert "qt.qpa" not in result.stderr, "must stop before Qt tries (and aborts) to open a display"


def test_bad_arguments_get_a_chinese_error(tmp_path: Path) -> None:
    result = run_client("--size", "big", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "错误" in result.stderr
    assert "宽x高" in result.stderr


def test_has_display() -> None:
    assert not has_display({}, platform="linux")
    assert has_display({"DISPLAY": ":0"}, platform="linux")
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux")
    assert has_display({"QT_QPA_PLATFORM": "offscreen"}, platform="linux")
    assert has_display({}, platform="win32")
    assert has_display({}, platform="darwin")


def test_parse_size() -> None:
    assert parse_size("1366x768") == (1366, 768)
    assert parse_size("1920×1080") == (1920, 1080)
    for bad in ("1366", "axb", "100x100", "1366x768x2"):
        with pytest.raises(Exception, match="宽x高"):
            parse_size(bad)


def test_start_creates_and_upgrades_the_replica_and_remembers_the_server(qapp: QApplication, tmp_path: Path) -> None:
    data_dir = tmp_path / "client"
    code = main(["--data-dir", str(data_dir), "--server", "http://10.0.0.5:8000", "--quit-after-ready"])
    assert code == 0
    replica = data_dir / REPLICA_FILENAME
    assert replica.is_file()
    engine = create_engine(f"sqlite:///{replica}")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert load_settings(data_dir=data_dir).server_url == "http://10.0.0.5:8000"
    # A second start opens the existing replica (already at head) and the saved geometry.
    assert main(["--data-dir", str(data_dir), "--quit-after-ready"]) == 0


def test_screenshot_mode_saves_a_png_of_the_requested_size(qapp: QApplication, tmp_path: Path) -> None:
    shot = tmp_path / "shots" / "main.png"
    code = main(
        ["--data-dir", str(tmp_path / "client"), "--user", "测试员", "--size", "1366x768", "--screenshot", str(shot)]
    )
    assert code == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 37) for y in range(0, 768, 23)}
    assert len(colours) > 4, "the screenshot is not blank"


def test_bigscreen_option_opens_the_dashboard_and_quits_cleanly(qapp: QApplication, tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path / "client"), "--bigscreen", "--quit-after-ready"]) == 0
