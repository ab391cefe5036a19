"""The big-screen window draws a snapshot, rotates its pages, refreshes off the GUI thread and says 数据截至."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from efangtong_desktop.bigscreen import texts
from efangtong_desktop.bigscreen.figures import ScreenData
from efangtong_desktop.bigscreen.window import BigScreenWindow, target_screen
from efangtong_desktop.tasks import TaskManager
from tests.desktop.bigscreen.sample import TOWN_COUNTS, sample_data
from tests.desktop.live_server import wait_until


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskManager]:
    """A task manager of its own, drained after the test."""
    manager = TaskManager()
    yield manager
    manager.wait_for_workers()


def _window(tasks: TaskManager, loader: object = sample_data) -> BigScreenWindow:
    window = BigScreenWindow(tasks, loader)  # type: ignore[arg-type]
    window.resize(1920, 1080)
    return window


def test_snapshot_fills_tiles_charts_and_map(tasks: TaskManager) -> None:
    window = _window(tasks)
    data = sample_data()
    window.show_data(data)
    tiles = {key: window.tile_value(key).text() for key in ("batches", "persons", "timely", "on_time", "overdue")}
    assert tiles == {"batches": "1,435", "persons": "2,210", "timely": "96.1%", "on_time": "87.4%", "overdue": "12"}
    assert window.tile_value("satisfaction").text() == "90.0%"
    assert window.tile_value("warnings").text() == "—"
    assert window.tile_value("overdue").property("alert") == "true"
    assert window.ui.asOfLabel.text() == "数据截至 2026年11月25日 17:42"
    assert window.ui.sourceLabel.text() == texts.SOURCE_OFFLINE
    assert window.ui.trendChart.series() == data.trend
    assert window.ui.trendChart.drawn_values() == [float(count) for _, count in data.trend]
    assert window.ui.categoryChart.bars()[0] == ("征地拆迁", 310)
    ranked = [town for town, _ in sorted(TOWN_COUNTS, key=lambda item: -item[1])]
    assert [town for town, _ in window.ui.townChart.bars()] == ranked
    assert window.ui.townMap.shading_order() == ranked
    assert "征地补偿" in window.ui.hotWordsLabel.text()
    window.close()


def test_map_shades_missing_towns_as_none_and_bars_answer_by_position(tasks: TaskManager) -> None:
    window = _window(tasks)
    window.show_data(sample_data())
    window.ui.townMap.set_counts({"红庆河镇": 5})
    assert window.ui.townMap.shading_order()[0] == "红庆河镇"
    assert window.ui.townMap.fill_of("札萨克镇") == window.ui.townMap.fill_of("苏布尔嘎镇")
    chart = window.ui.townChart
    assert chart.label_at(len(chart.bars()) - 1) == "阿勒腾席热镇"
    assert chart.label_at(-5) is None
    window.close()


def test_pages_rotate_on_the_timer(tasks: TaskManager) -> None:
    window = _window(tasks)
    window.show()
    window.start(rotate_ms=20, refresh_ms=60_000)
    assert window.page() == 0
    wait_until(lambda: window.page() == 1, 3000)
    wait_until(lambda: window.page() == 0, 3000)
    assert "总体态势" in window.ui.pageLabel.text()
    window.close()
    assert not window.rotate_timer.isActive() and not window.refresh_timer.isActive()


def test_refresh_runs_on_a_worker_thread_and_repeats_on_the_timer(tasks: TaskManager) -> None:
    threads: list[threading.Thread] = []

    def loader() -> ScreenData:
        threads.append(threading.current_thread())
        return sample_data(batches=len(threads))

    window = _window(tasks, loader)
    window.start(rotate_ms=60_000, refresh_ms=30)
    wait_until(lambda: window.refresh_count >= 3, 5000)
    assert threads and all(thread is not threading.main_thread() for thread in threads)
    assert window.tile_value("batches").text() == str(window.data.batches if window.data else "")
    window.close()


def test_a_failed_refresh_keeps_the_last_figures(tasks: TaskManager) -> None:
    calls: list[int] = []

    def loader() -> ScreenData:
        calls.append(1)
        if len(calls) > 1:
            raise ValueError("副本暂时不可用")
        return sample_data()

    window = _window(tasks, loader)
    window.refresh()
    wait_until(lambda: window.refresh_count == 1)
    window.refresh()
    wait_until(lambda: window.last_error is not None)
    assert "副本暂时不可用" in window.ui.statusLabel.text()
    assert window.tile_value("batches").text() == "1,435"
    window.close()


def test_goes_full_screen_on_the_target_screen(tasks: TaskManager) -> None:
    window = _window(tasks)
    screen = window.show_on_big_screen()
    assert screen is target_screen() is not None
    assert window.isFullScreen()
    assert window.screen() is screen
    assert len(QGuiApplication.screens()) == 1 and screen is QGuiApplication.primaryScreen()
    window.close()


class _TwoStepLoader:
    """Figures first (hot words None), then the hot words, held back until the test lets them through."""

    def __init__(self, fail: bool = False) -> None:
        self.release = threading.Event()
        self.fail = fail
        self.word_calls = 0

    def __call__(self) -> ScreenData:
        return dataclasses.replace(sample_data(), hot_words=None)

    def hot_words(self) -> tuple[tuple[str, float], ...]:
        self.word_calls += 1
        if not self.release.wait(10):
            raise TimeoutError
        if self.fail:
            raise ValueError("分词词典不可用")
        return (("煤矿塌陷", 1.0), ("草场纠纷", 0.5))


def test_figures_show_before_the_hot_words_which_follow(tasks: TaskManager) -> None:
    loader = _TwoStepLoader()
    window = _window(tasks, loader)
    window.refresh()
    wait_until(lambda: window.refresh_count == 1)
    assert window.tile_value("batches").text() == "1,435"
    assert window.ui.hotWordsLabel.text() == texts.HOT_WORDS_PENDING
    window.refresh()  # the next refresh keeps the words in progress and starts no second computation
    wait_until(lambda: window.refresh_count == 2)
    assert loader.word_calls == 1 and window.ui.hotWordsLabel.text() == texts.HOT_WORDS_PENDING
    loader.release.set()
    wait_until(lambda: window.hot_words_count == 1)
    assert "煤矿塌陷" in window.ui.hotWordsLabel.text()
    assert window.data is not None and window.data.hot_words == (("煤矿塌陷", 1.0), ("草场纠纷", 0.5))
    window.refresh()  # later refreshes show the last words until the new ones arrive
    wait_until(lambda: window.refresh_count == 3)
    assert "煤矿塌陷" in window.ui.hotWordsLabel.text()
    wait_until(lambda: window.hot_words_count == 2)
    window.close()


def test_failed_hot_words_say_so_and_keep_the_figures(tasks: TaskManager) -> None:
    loader = _TwoStepLoader(fail=True)
    loader.release.set()
    window = _window(tasks, loader)
    window.refresh()
    wait_until(lambda: window.ui.hotWordsLabel.text() == texts.HOT_WORDS_FAILED)
    assert window.tile_value("batches").text() == "1,435" and not window.hot_words_loading
    window.close()
