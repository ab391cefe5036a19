"""The big screen on a seeded replica: 数据截至 is the replica's data time (also offline), refresh time is logged."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session, sessionmaker

from efangtong_desktop.bigscreen import texts
from efangtong_desktop.bigscreen.data import recent_period, replica_data_time, replica_loader, screen_figures
from efangtong_desktop.bigscreen.figures import ScreenData, format_moment
from efangtong_desktop.bigscreen.window import BigScreenWindow, hot_words_html
from efangtong_desktop.tasks import TaskManager
from tests.desktop.bigscreen.conftest import DEMO_TODAY
from tests.desktop.live_server import wait_until


def test_data_time_is_the_newest_registration_or_event(demo_sessions: sessionmaker[Session]) -> None:
    with demo_sessions() as session:
        moment = replica_data_time(session)
    assert moment is not None and moment.tzinfo is None
    assert DEMO_TODAY - timedelta(days=3) <= moment.date() <= DEMO_TODAY


def test_recent_period_is_thirty_days_up_to_today() -> None:
    period = recent_period(date(2026, 3, 1))
    assert (period.start, period.end, period.days) == (date(2026, 1, 31), date(2026, 3, 1), 30)


def test_offline_refresh_shows_the_replica_time_off_the_gui_thread(
    qapp: QApplication, demo_sessions: sessionmaker[Session]
) -> None:
    loader = replica_loader(demo_sessions, offline=lambda: True, today=lambda: DEMO_TODAY)
    try:
        data = loader()
    except NotImplementedError:
        pytest.skip("efangtong_core.analytics.compute_dashboard is not implemented yet")
    assert isinstance(data, ScreenData) and data.batches > 0
    tasks = TaskManager()
    window = BigScreenWindow(tasks, loader)
    window.refresh()
    wait_until(lambda: window.refresh_count == 1 or window.last_error is not None, 60_000)
    tasks.wait_for_workers()
    assert window.last_error is None
    assert window.data is not None and window.data.worker_thread != threading.main_thread().name
    with demo_sessions() as session:
        assert window.ui.asOfLabel.text() == format_moment(replica_data_time(session))
    assert window.ui.sourceLabel.text() == texts.SOURCE_OFFLINE
    # The hot words follow the figures in a task of their own, and equal those computed in one go.
    wait_until(lambda: window.hot_words_count == 1, 60_000)
    tasks.wait_for_workers()
    assert data.hot_words is None and window.data.hot_words
    with demo_sessions() as session:
        whole = screen_figures(session, DEMO_TODAY, offline=True)
    assert window.data.hot_words == whole.hot_words
    assert window.ui.hotWordsLabel.text() == hot_words_html(whole.hot_words or ())
    print(f"big screen refresh on {data.batches} petitions in the period: {window.data.elapsed_ms:.0f} ms")
    window.close()
