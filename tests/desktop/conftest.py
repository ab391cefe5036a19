"""Fixtures for widget tests: Qt's offscreen platform with a 1920×1080 screen, one QApplication, a fresh context."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from efangtong_desktop.app import create_application
from efangtong_desktop.context import AppContext
from efangtong_desktop.settings import load_settings

SCREEN_SIZE = (1920, 1080)


def offscreen_platform(config_dir: Path) -> str:
    """A QT_QPA_PLATFORM value for the offscreen plugin with one screen of SCREEN_SIZE (its default is 800×800)."""
    width, height = SCREEN_SIZE
    screen = {"name": "offscreen-1", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "dpr": 1}
    config = config_dir / "offscreen.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


@pytest.fixture(scope="session", autouse=True)
def qt_offscreen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every desktop test renders offscreen, whatever display the developer has."""
    with pytest.MonkeyPatch.context() as patch:
        platform = offscreen_platform(tmp_path_factory.mktemp("qpa"))
        patch.setenv("QT_QPA_PLATFORM", platform)
        yield platform


@pytest.fixture(scope="session")
def qapp(qt_offscreen: str) -> QApplication:
    """The one QApplication of the test session, themed like the real client."""
    assert os.environ["QT_QPA_PLATFORM"] == qt_offscreen
    return create_application()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty client data directory (replica and UI state) for one test."""
    return tmp_path / "client"


@pytest.fixture
def context(qapp: QApplication, data_dir: Path) -> Iterator[AppContext]:
    """An AppContext on a fresh replica in `data_dir`, signed in as a test clerk."""
    settings = load_settings(data_dir=data_dir, server_url="http://127.0.0.1:9", user="测试员")
    app_context = AppContext.open(settings)
    yield app_context
    app_context.close()


@pytest.fixture(autouse=True)
def reader_watched_only_by_card_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages outside tests/desktop/cardreader do not watch this machine's PC/SC reader.

    Every 登记 page watches the configured reader once its data is in; in the card tests a private pcscd serves it and
    each test stops what it started. Elsewhere a hundred pages would each leave a monitor thread on that pcscd.
    """
    if "tests/desktop/cardreader/" in str(request.node.path).replace(os.sep, "/"):
        return
    from efangtong_desktop.views.register.card_fill import CardFiller

    monkeypatch.setattr(CardFiller, "start_watching", lambda self: None)
