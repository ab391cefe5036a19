"""The Qt bridge: a fast read goes straight to its outcome, a slow one shows 正在读卡; the photo and the work that can
wait come after the fill is painted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardRead,
    CardReadError,
    ErrorKind,
    EventSink,
    ReaderEvent,
    ReadFailed,
    RecordRead,
    TextRead,
)
from efangtong_desktop.cardreader.photo import WltDecoder
from efangtong_desktop.cardreader.qt import (
    BUSY_DELAY_MS,
    PREVIEW_AFTER_MS,
    AfterPaintCalls,
    CardReaderBridge,
)
from efangtong_desktop.cardreader.service import CardFormState, CardReadingService
from efangtong_desktop.tasks import TaskManager
from tests.desktop.cardreader.cards import EXPIRED, PHOTO, RESIDENT, TODAY, text_of

READER = "测试读卡器"


class ThreadedReader:
    """A backend whose events the test sends from another thread, as a monitor thread would."""

    def __init__(self) -> None:
        self.sink: EventSink | None = None

    def readers(self) -> list[str]:
        return [READER]

    def read(self, reader: str | None = None) -> CardRead:
        raise CardReadError(ErrorKind.NO_CARD, "没有证件")

    def start(self, sink: EventSink) -> None:
        self.sink = sink

    def stop(self) -> None:
        self.sink = None

    def send(self, *events: ReaderEvent) -> None:
        """Deliver `events` in order from a backend thread."""
        sink = self.sink
        assert sink is not None
        thread = threading.Thread(target=lambda: [sink(event) for event in events])
        thread.start()
        thread.join()


_STARTED: list[CardReaderBridge] = []
"""The bridges a test started (stopped after it: no waiting thread left behind)."""


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    while _STARTED:
        _STARTED.pop().stop()
    manager.wait_for_workers()


def watched(tasks: TaskManager, decoder: WltDecoder | None = None) -> tuple[ThreadedReader, CardReaderBridge, list]:
    reader = ThreadedReader()
    bridge = CardReaderBridge(reader, CardReadingService(decoder=decoder, today=lambda: TODAY), tasks)
    states: list[CardFormState] = []
    bridge.state_changed.connect(states.append)
    bridge.start()
    _STARTED.append(bridge)
    return reader, bridge, states


def test_a_fast_read_goes_straight_to_the_filled_state(qtbot: QtBot, tasks: TaskManager) -> None:
    reader, bridge, states = watched(tasks)
    with qtbot.waitSignal(bridge.state_changed, timeout=3000):
        reader.send(CardInserted(READER), RecordRead(READER, CardRead(RESIDENT, READER)))
    assert len(states) == 1 and states[0].data is not None and states[0].data.name == "巴特尔"
    assert not states[0].busy
    with qtbot.assertNotEmitted(bridge.state_changed, wait=BUSY_DELAY_MS + 50):
        pass  # the busy timer was stopped: no late 正在读卡 over the card
    assert len(states) == 1 and bridge.state.data is not None


def test_a_slow_read_says_reading_then_fills(qtbot: QtBot, tasks: TaskManager) -> None:
    reader, bridge, states = watched(tasks)
    with qtbot.waitSignal(bridge.state_changed, timeout=3000) as busy:
        reader.send(CardInserted(READER))
    assert busy.args is not None and busy.args[0].busy and busy.args[0].data is None
    with qtbot.waitSignal(bridge.state_changed, timeout=3000):
        reader.send(RecordRead(READER, CardRead(RESIDENT, READER)))
    assert [state.busy for state in states] == [True, False] and states[-1].data is not None


def test_a_fast_failure_still_says_reading_first_then_why(qtbot: QtBot, tasks: TaskManager) -> None:
    reader, bridge, states = watched(tasks)
    error = CardReadError(ErrorKind.CARD_REMOVED, "读卡过程中证件被移开")
    with qtbot.waitSignals([bridge.state_changed, bridge.state_changed], timeout=3000):
        reader.send(CardInserted(READER), ReadFailed(READER, error))
    assert [state.busy for state in states] == [True, False]
    assert states[-1].error == error.message and states[-1].data is None


def test_the_photo_is_decoded_after_the_text_is_shown(
    qtbot: QtBot, tasks: TaskManager, fake_sdk: dict[str, Path]
) -> None:
    reader, _bridge, states = watched(tasks, WltDecoder(fake_sdk["wlt"]))
    reader.send(CardInserted(READER), RecordRead(READER, CardRead(RESIDENT, READER, PHOTO)))
    qtbot.waitUntil(lambda: len(states) == 2, timeout=3000)
    text, photo = states
    assert text.data is not None and text.data.name == "巴特尔" and text.data.photo is None
    assert text.data.photo_note == "正在解码照片…"
    assert photo.data is not None and photo.data.photo is not None and photo.data.photo[:2] == b"BM"
    assert photo.data.record is text.data.record and not photo.busy


def test_a_slow_readers_text_is_previewed_before_the_outcome_a_fast_ones_is_not(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    reader, bridge, states = watched(tasks)
    previews: list[object] = []
    bridge.watch_previews(previews.append)
    slow, fast = PREVIEW_AFTER_MS / 1000, PREVIEW_AFTER_MS / 4000
    with qtbot.waitSignal(bridge.card_previewed, timeout=3000) as previewed:
        reader.send(CardInserted(READER), TextRead(READER, text_of(RESIDENT), slow))
    assert previewed.args is not None and previewed.args[0].record == RESIDENT and previewed.args[0].photo is None
    assert states == [] and bridge.state.data is None, "a preview is not the state: the outcome follows"
    with qtbot.waitSignal(bridge.state_changed, timeout=3000):
        reader.send(RecordRead(READER, CardRead(RESIDENT, READER)))
    assert bridge.state.data is not None and bridge.state.data.record == RESIDENT
    with qtbot.waitSignal(bridge.state_changed, timeout=3000):
        reader.send(
            CardInserted(READER),
            TextRead(READER, text_of(RESIDENT), fast),
            RecordRead(READER, CardRead(RESIDENT, READER)),
        )
    with qtbot.waitSignal(bridge.state_changed, timeout=3000):
        reader.send(
            CardInserted(READER),
            TextRead(READER, text_of(EXPIRED), slow),
            RecordRead(READER, CardRead(EXPIRED, READER)),
        )
    assert len(previews) == 1, "neither a fast reader's text nor an expired card's is previewed"
    assert bridge.state.error is not None and bridge.state.data is None


class PaintLog(QObject):
    """Records the paints of one widget (as 'paint') into a shared log."""

    def __init__(self, widget: QWidget, log: list[str]) -> None:
        super().__init__(widget)
        self.log = log
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.log.append("paint")
        return False


def _painted_label(qtbot: QtBot, log: list[str]) -> QLabel:
    """A shown label, painted once, whose later paints `log` records (cleared)."""
    label = QLabel("旧")
    qtbot.addWidget(label)
    PaintLog(label, log)
    label.show()
    qtbot.waitUntil(lambda: "paint" in log, timeout=3000)
    log.clear()
    return label


def test_work_put_after_the_paint_runs_once_the_change_is_painted(qtbot: QtBot) -> None:
    log: list[str] = []
    label = _painted_label(qtbot, log)
    label.setText("巴特尔")
    AfterPaintCalls(label).post(lambda: log.append("call"))
    qtbot.waitUntil(lambda: "call" in log, timeout=3000)
    assert log[0] == "paint" and log.index("paint") < log.index("call"), log
    gone = QObject()
    calls: list[str] = []
    AfterPaintCalls(gone).post(lambda: calls.append("call"))
    shiboken6.delete(gone)
    with qtbot.assertNotEmitted(label.destroyed, wait=50):
        pass  # the event loop ran: the call of an owner that went away is dropped
    assert calls == []


def test_calls_soon_run_before_the_paint_and_calls_after_it_after_in_order(qtbot: QtBot) -> None:
    log: list[str] = []
    label = _painted_label(qtbot, log)
    calls = AfterPaintCalls(label)
    label.setText("巴特尔")
    calls.post(lambda: log.append("after 1"))
    calls.post_soon(lambda: log.append("soon 1"))
    calls.post_soon(lambda: log.append("soon 2"))
    calls.post(lambda: log.append("after 2"))
    qtbot.waitUntil(lambda: "after 2" in log, timeout=3000)
    assert log == ["soon 1", "soon 2", "paint", "after 1", "after 2"], log


def test_cards_handed_over_from_the_reading_thread_arrive_in_order(qtbot: QtBot, tasks: TaskManager) -> None:
    reader, bridge, states = watched(tasks)
    people = [RESIDENT, replace(RESIDENT, name="其其格"), RESIDENT, replace(RESIDENT, name="乌云")]
    reads = [
        event for person in people for event in (CardInserted(READER), RecordRead(READER, CardRead(person, READER)))
    ]
    reader.send(*reads)
    qtbot.waitUntil(lambda: len(states) == len(people), timeout=3000)
    assert [state.data.name for state in states if state.data is not None] == [person.name for person in people]
    assert not bridge._arrivals  # every arrival taken
