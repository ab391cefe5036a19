"""The big-screen window: full screen on the second monitor, pages rotating, data refreshed off the GUI thread."""

from __future__ import annotations

import dataclasses
import html
import logging
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QLabel, QWidget

from efangtong_desktop.bigscreen import texts
from efangtong_desktop.bigscreen.figures import ScreenData, format_moment
from efangtong_desktop.forms.ui_bigscreen_window import Ui_BigScreen
from efangtong_desktop.resources import resource_path
from efangtong_desktop.tasks import TaskManager
from efangtong_desktop.views.feedback import describe

log = logging.getLogger(__name__)

ROTATE_MS = 20_000
REFRESH_MS = 60_000
CLOCK_MS = 1_000
TILE_KEYS = {
    "batches": "Batches",
    "persons": "Persons",
    "timely": "Timely",
    "on_time": "OnTime",
    "satisfaction": "Satisfaction",
    "overdue": "Overdue",
    "warnings": "Warnings",
}

Loader = Callable[[], ScreenData]
"""The screen's data; when it gives the hot words as None (still to come), the loader's `hot_words()` brings them."""
HotWords = tuple[tuple[str, float], ...]


def target_screen() -> QScreen | None:
    """The second monitor when there is one, else the primary screen."""
    primary = QGuiApplication.primaryScreen()
    others = [screen for screen in QGuiApplication.screens() if screen is not primary]
    return others[0] if others else primary


class BigScreenWindow(QWidget):
    """The dashboard: header with 数据截至 and clock, KPI tiles, two rotating pages of charts and the town map."""

    def __init__(self, tasks: TaskManager, loader: Loader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.loader = loader
        self.ui = Ui_BigScreen()
        self.ui.setupUi(self)
        self.setStyleSheet(resource_path("bigscreen/dark.qss").read_text(encoding="utf-8"))
        self.data: ScreenData | None = None
        self.refreshing = False
        self.refresh_count = 0
        self.last_error: Exception | None = None
        self.hot_words_loading = False
        self.hot_words_count = 0
        self.ui.hotWordsLabel.setWordWrap(True)
        self.ui.warningsLabel.setWordWrap(True)
        self.rotate_timer = self._timer(ROTATE_MS, self.next_page)
        self.refresh_timer = self._timer(REFRESH_MS, self.refresh)
        self.clock_timer = self._timer(CLOCK_MS, self._tick)
        self._tick()
        self._show_page(0)

    def _timer(self, interval_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    # -- showing ----------------------------------------------------------------------------------------------------

    def start(self, *, rotate_ms: int = ROTATE_MS, refresh_ms: int = REFRESH_MS) -> None:
        """Start rotating, refreshing and the clock; the first refresh starts now."""
        self.rotate_timer.setInterval(rotate_ms)
        self.refresh_timer.setInterval(refresh_ms)
        for timer in (self.rotate_timer, self.refresh_timer, self.clock_timer):
            timer.start()
        self.refresh()

    def stop(self) -> None:
        """Stop all timers (the window stays as it is)."""
        for timer in (self.rotate_timer, self.refresh_timer, self.clock_timer):
            timer.stop()

    def show_on_big_screen(self) -> QScreen | None:
        """Show full screen on the second monitor (or the primary one) and return that screen."""
        screen = target_screen()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        return screen

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the big screen; space turns the page."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        elif event.key() == Qt.Key.Key_Space:
            self.next_page()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the timers when the window goes."""
        self.stop()
        super().closeEvent(event)

    # -- pages ------------------------------------------------------------------------------------------------------

    def page(self) -> int:
        """The index of the page shown."""
        return self.ui.pageStack.currentIndex()

    def next_page(self) -> None:
        """Turn to the next page (after the last, the first)."""
        self._show_page((self.page() + 1) % self.ui.pageStack.count())

    def _show_page(self, index: int) -> None:
        self.ui.pageStack.setCurrentIndex(index)
        total = self.ui.pageStack.count()
        name = texts.PAGE_NAMES[index]
        self.ui.pageLabel.setText(texts.PAGE_INDICATOR.format(number=index + 1, total=total, name=name))

    def _tick(self) -> None:
        now = QDateTime.currentDateTime()
        self.ui.clockLabel.setText(QLocale(QLocale.Language.Chinese).toString(now, texts.CLOCK_FORMAT))

    # -- data -------------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the figures off the GUI thread (a refresh still running is not started twice)."""
        if self.refreshing:
            return
        self.refreshing = True
        self.ui.statusLabel.setText(texts.REFRESHING)
        self.tasks.run(self.loader, self._refreshed, self._refresh_failed, owner=self)

    def _refreshed(self, data: ScreenData) -> None:
        self.refreshing = False
        self.refresh_count += 1
        self.last_error = None
        words_to_come = data.hot_words is None
        if words_to_come and self.data is not None and self.data.hot_words is not None:
            data = dataclasses.replace(data, hot_words=self.data.hot_words)  # the last words until the new ones
        self.show_data(data)
        self.ui.statusLabel.setText(texts.REFRESHED.format(ms=data.elapsed_ms))
        if words_to_come:
            self._load_hot_words()

    def _load_hot_words(self) -> None:
        """Compute the hot words off the GUI thread after the figures (one computation at a time)."""
        source = getattr(self.loader, "hot_words", None)
        if not callable(source) or self.hot_words_loading:
            return
        self.hot_words_loading = True
        self.tasks.run(source, self._hot_words_loaded, self._hot_words_failed, owner=self)

    def _hot_words_loaded(self, words: HotWords) -> None:
        self.hot_words_loading = False
        self.hot_words_count += 1
        if self.data is not None:
            self.data = dataclasses.replace(self.data, hot_words=words)
        self.ui.hotWordsLabel.setText(hot_words_html(words))

    def _hot_words_failed(self, error: Exception) -> None:
        self.hot_words_loading = False
        log.warning("big screen hot words failed: %s", error)
        if self.data is None or self.data.hot_words is None:
            self.ui.hotWordsLabel.setText(texts.HOT_WORDS_FAILED)

    def _refresh_failed(self, error: Exception) -> None:
        self.refreshing = False
        self.last_error = error
        log.warning("big screen refresh failed: %s", error)
        self.ui.statusLabel.setText(texts.REFRESH_FAILED.format(reason=describe(error)))

    def show_data(self, data: ScreenData) -> None:
        """Draw one snapshot into the tiles, charts, map and lists."""
        self.data = data
        for kpi in data.kpis():
            value = self.tile_value(kpi.key)
            value.setText(kpi.text)
            alert = "true" if kpi.key == "overdue" and data.overdue > 0 else "false"
            if value.property("alert") != alert:
                value.setProperty("alert", alert)
                value.style().unpolish(value)
                value.style().polish(value)
        self.ui.asOfLabel.setText(format_moment(data.as_of))
        self.ui.sourceLabel.setText(texts.SOURCE_OFFLINE if data.offline else texts.SOURCE_ONLINE)
        self.ui.sourceLabel.setProperty("offline", "true" if data.offline else "false")
        self.ui.sourceLabel.style().polish(self.ui.sourceLabel)
        self.ui.trendTitle.setText(
            f"{texts.CHART_TREND}　{texts.PERIOD.format(start=data.period_start, end=data.period_end)}"
        )
        self.ui.trendChart.set_series(data.trend)
        self.ui.categoryChart.set_bars(data.categories)
        self.ui.townChart.set_bars(data.towns)
        self.ui.townMap.set_counts(dict(data.towns))
        pending = data.hot_words is None
        self.ui.hotWordsLabel.setText(texts.HOT_WORDS_PENDING if pending else hot_words_html(data.hot_words or ()))
        warnings = texts.WARNINGS_PENDING if data.warnings is None else f"{data.warnings:,}"
        self.ui.warningsLabel.setText(warnings)

    def tile_value(self, key: str) -> QLabel:
        """The value label of KPI tile `key`."""
        label = getattr(self.ui, f"tile{TILE_KEYS[key]}Value")
        assert isinstance(label, QLabel)
        return label


def hot_words_html(words: HotWords) -> str:
    """Hot words as rich text, larger for heavier words."""
    if not words:
        return texts.NO_HOT_WORDS
    top = max(weight for _, weight in words) or 1.0
    colours = ("#ffb13b", "#2fd4ff", "#7ee0a1", "#c9a7ff")
    spans = []
    for index, (word, weight) in enumerate(words[:24]):
        size = 20 + int(22 * weight / top)
        colour = colours[index % len(colours)]
        spans.append(f'<span style="font-size:{size}px; color:{colour}">{html.escape(word)}</span>')
    return "　".join(spans)
