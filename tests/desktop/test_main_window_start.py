"""Main-window start: only the 登记 page at first, the other pages on first use, services after the first paint."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from efangtong_desktop.app import EXIT_REPLICA_FAILED
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.sync_service import SyncStatus
from efangtong_desktop.settings import REPLICA_FILENAME, load_settings
from efangtong_desktop.startup import QT_FREE_START_MODULES
from efangtong_desktop.views import first_paint
from efangtong_desktop.views.main_window import LAZY_PAGES, MainWindow
from efangtong_desktop.views.register import texts as register_texts
from efangtong_desktop.views.register.page import RegisterPage
from efangtong_desktop.views.search.page import SearchPage

REPO = Path(__file__).resolve().parents[2]
WAIT_MS = 5000
PLACEHOLDER_CARDS = {1: "cardSearch", 2: "cardTodo", 3: "cardPetitioners", 6: "cardAnalytics", 7: "cardSettings"}
START_AND_LIST_MODULES = """
import sys
from efangtong_desktop import app
at_first_paint = []

class Window(app.MainWindow):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.after_first_paint(lambda: at_first_paint.append(" ".join(sorted(sys.modules))))

app.MainWindow = Window
code = app.main(["--data-dir", sys.argv[1], "--quit-after-ready", "--size", "1366x768"])
print(at_first_paint[0])
print(code)
print(" ".join(sorted(sys.modules)))
"""
DATA_LAYER = {"sqlalchemy", "pydantic", "requests", "keyring"}
"""What the window must not wait for: imported after its first paint (with the replica, in a worker)."""


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    """A main window on a fresh replica, not shown yet."""
    main_window = MainWindow(context)
    qtbot.addWidget(main_window)
    yield main_window
    main_window.close()


class PaintCounter(QObject):
    """Counts the paint events of the widget it filters."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Count a paint."""
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def _rejected_label(window: MainWindow) -> QLabel | None:
    return window.findChild(QLabel, "status_rejected")


def test_only_the_register_page_is_built_with_the_window(window: MainWindow) -> None:
    assert isinstance(window.register_page, RegisterPage)
    assert window.is_page_built(0)
    assert window.current_page().objectName() == "pageRegister"
    for index, card in PLACEHOLDER_CARDS.items():
        assert not window.is_page_built(index), window.nav_label(index)
        assert not getattr(window.ui, card).isHidden(), "the placeholder card stays until the page is built"
    assert window.is_page_built(4) and window.is_page_built(5), "预约 and 预警 are placeholders, nothing to build"
    assert _rejected_label(window) is None, "no sync service before the window is painted"


@pytest.mark.parametrize("index", sorted(LAZY_PAGES))
def test_a_page_is_built_when_first_navigated_to_and_only_once(window: MainWindow, index: int) -> None:
    window.show()
    assert QTest.qWaitForWindowExposed(window)
    nav = window.ui.navList
    rect: QRect = nav.visualItemRect(nav.item(index))
    QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ui.pageStack.currentIndex() == index
    assert window.is_page_built(index)
    assert getattr(window.ui, PLACEHOLDER_CARDS[index]).isHidden()
    page = getattr(window, LAZY_PAGES[index])
    assert page.isVisibleTo(window)
    window.navigate(0)
    window.navigate(index)
    assert getattr(window, LAZY_PAGES[index]) is page, "navigating back does not build it again"
    others = [other for other in LAZY_PAGES if other != index]
    assert not any(window.is_page_built(other) for other in others)


def test_asking_for_a_page_builds_it_without_showing_it(window: MainWindow) -> None:
    page = window.search_page
    assert isinstance(page, SearchPage) and window.is_page_built(1)
    assert window.ui.pageStack.currentIndex() == 0


def test_after_first_paint_runs_once_the_window_is_painted(qtbot: QtBot, window: MainWindow) -> None:
    counter = PaintCounter()
    window.installEventFilter(counter)
    paints_seen: list[int] = []
    window.after_first_paint(lambda: paints_seen.append(counter.paints))
    window.show()
    assert paints_seen == [], "never from inside show()"
    qtbot.waitUntil(lambda: bool(paints_seen), timeout=WAIT_MS)
    assert paints_seen[0] >= 1
    window.after_first_paint(lambda: paints_seen.append(-1))
    qtbot.waitUntil(lambda: paints_seen[-1] == -1, timeout=WAIT_MS)
    assert len(paints_seen) == 2, "each callback runs once; later ones run soon after"


def test_ready_is_once_painted_with_the_register_pages_lists_in(qtbot: QtBot, window: MainWindow) -> None:
    message = window.register_page.ui.messageLabel
    shown_when_ready: list[str] = []
    window.when_ready(lambda: shown_when_ready.append(message.text()))
    window.show()
    qtbot.waitUntil(lambda: bool(shown_when_ready), timeout=WAIT_MS)
    assert shown_when_ready[0] and shown_when_ready[0] != register_texts.LOADING
    window.when_ready(lambda: shown_when_ready.append("again"))
    qtbot.waitUntil(lambda: shown_when_ready[-1] == "again", timeout=WAIT_MS)


def test_after_first_paint_falls_back_to_a_timer_for_a_window_never_painted(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_paint, "FIRST_PAINT_FALLBACK_MS", 50)
    ran: list[bool] = []
    window.after_first_paint(lambda: ran.append(True))
    qtbot.waitUntil(lambda: ran == [True], timeout=WAIT_MS)


def test_services_start_after_the_first_paint(qtbot: QtBot, window: MainWindow) -> None:
    assert window.status.sync.text() == "同步：尚未同步"
    window.show()
    window.after_first_paint(window.start_services)
    qtbot.waitUntil(lambda: _rejected_label(window) is not None, timeout=WAIT_MS)
    assert window.sync_status.rejected is _rejected_label(window)
    # Not signed in: the first "sync" only counts the outbox, and the status bar says so.
    qtbot.waitUntil(lambda: window.status.sync.text() != "同步：尚未同步", timeout=WAIT_MS)
    assert "离线" in window.status.sync.text()


@pytest.mark.parametrize("search_first", [True, False], ids=["search page first", "sync service first"])
def test_the_search_page_indexes_after_a_sync_whichever_was_made_first(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, search_first: bool
) -> None:
    seen: list[object] = []
    monkeypatch.setattr(SearchPage, "index_after_sync", lambda _page, status: seen.append(status))
    if search_first:
        assert window.search_page is not None
        service = window.sync_service
    else:
        service = window.sync_service
        assert window.search_page is not None
    status = SyncStatus(online=True)
    service.status_changed.emit(status)
    assert seen == [status]


def test_the_offline_indicator_gets_its_colour_when_first_shown(window: MainWindow) -> None:
    window.show()
    assert QTest.qWaitForWindowExposed(window)
    colour = window.status.connection.palette().color(QPalette.ColorRole.WindowText).name()
    assert colour == "#9a6b00", "theme.qss: QLabel[role=statusOffline]"
    window.status.show_connection(True, "http://server")
    assert window.status.connection.palette().color(QPalette.ColorRole.WindowText).name() == "#23874b"


def test_the_modules_imported_before_pyside_are_qt_free_and_needed_anyway() -> None:
    names = ", ".join(repr(name) for name in QT_FREE_START_MODULES)
    code = (
        "import sys\nimport efangtong_desktop.startup\nassert 'PySide6' not in sys.modules\n"
        "import efangtong_desktop.context, efangtong_desktop.views.main_window\n"
        f"print([name for name in ({names},) if name not in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", "every module imported first is one the main window imports anyway"


def test_a_start_paints_before_the_data_layer_and_imports_neither_other_pages_nor_alembic_later(tmp_path: Path) -> None:
    environment = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg-data"))
    arguments = [sys.executable, "-c", START_AND_LIST_MODULES, str(tmp_path / "client")]

    def start() -> set[str]:
        done = subprocess.run(arguments, cwd=REPO, env=environment, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        painted, code, modules = done.stdout.strip().splitlines()[-3:]
        assert code == "0"
        assert DATA_LAYER & set(painted.split()) == set(), "the window is painted before the data layer is imported"
        assert "efangtong_desktop.views.register.page" in painted.split()
        return set(modules.split())

    first = start()
    assert "alembic" in first, "the first start creates the replica"
    assert first >= DATA_LAYER, "then the data layer is loaded (the 登记 page's lists are in when ready)"
    second = start()
    assert "efangtong_desktop.views.register.page" in second
    not_at_start = {
        "alembic",
        "pyqtgraph",
        "efangtong_desktop.views.search.page",
        "efangtong_desktop.views.inbox.page",
        "efangtong_desktop.views.petitioners.page",
        "efangtong_desktop.views.analysis.page",
        "efangtong_desktop.views.admin.page",
        "efangtong_desktop.views.sign_in",
        "efangtong_desktop.services.sync_service",
    }
    assert not_at_start & second == set()


def test_a_page_asked_for_before_the_data_layer_is_in_waits_for_the_replica(qtbot: QtBot, data_dir: Path) -> None:
    context = AppContext.prepare(load_settings(data_dir=data_dir, server_url="http://127.0.0.1:9"))
    try:
        main_window = MainWindow(context)
        qtbot.addWidget(main_window)
        ready: list[bool] = []
        main_window.when_ready(lambda: ready.append(True))
        main_window.show()
        assert not context.replica_open
        main_window.navigate(1)  # Ctrl+2 at once: the replica is opened first (or its opening waited for)
        assert context.replica_open and isinstance(main_window.search_page, SearchPage)
        qtbot.waitUntil(lambda: ready == [True], timeout=WAIT_MS)
        assert main_window.register_page.data_ready
        main_window.close()
    finally:
        context.close()


def test_a_replica_that_cannot_be_opened_is_reported_after_the_window_and_the_program_stops(tmp_path: Path) -> None:
    data_dir = tmp_path / "client"
    data_dir.mkdir()
    (data_dir / REPLICA_FILENAME).write_bytes(b"this is no SQLite database" * 100)
    environment = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg-data"))
    code = "import sys\nfrom efangtong_desktop.app import main\nsys.exit(main(sys.argv[1:]))"
    arguments = [sys.executable, "-c", code, "--data-dir", str(data_dir), "--quit-after-ready"]
    done = subprocess.run(arguments, cwd=REPO, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_REPLICA_FAILED, done.stderr
    assert "无法打开本地数据副本" in done.stderr and "file is not a database" in done.stderr


def test_hidden_pages_get_their_texts_back_after_the_first_paint(qtbot: QtBot, window: MainWindow) -> None:
    hidden_labels = window.ui.pageWarnings.findChildren(QLabel)
    assert hidden_labels and not any(label.text() for label in hidden_labels), "laid out after the first paint"
    assert window.ui.titleRegister.text(), "the page shown first keeps its texts"
    painted: list[bool] = []
    window.after_first_paint(lambda: painted.append(True))
    window.show()
    qtbot.waitUntil(lambda: bool(painted), timeout=WAIT_MS)
    assert all(label.text() for label in hidden_labels)
    assert "本模块将在后续版本中提供" in [label.text() for label in hidden_labels]


def test_a_hidden_page_navigated_to_before_the_first_paint_shows_its_texts(window: MainWindow) -> None:
    window.navigate(5)
    texts = [label.text() for label in window.current_page().findChildren(QLabel)]
    assert "本模块将在后续版本中提供" in texts and all(texts)
