"""Cyclic garbage is collected on the GUI thread, never in a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from efangtong_desktop.gui_collector import GuiThreadCollector, collect_on_gui_thread


class _Cycle:
    """An object in a reference cycle that notes the thread its destructor ran on."""

    def __init__(self, threads: list[str]) -> None:
        self.me = self
        self.threads = threads

    def __del__(self) -> None:
        self.threads.append(threading.current_thread().name)


def test_the_application_has_one_collector_and_automatic_collection_is_off(qapp: QApplication) -> None:
    collector = collect_on_gui_thread(qapp)
    assert isinstance(collector, GuiThreadCollector)
    assert collect_on_gui_thread(qapp) is collector and len(qapp.findChildren(GuiThreadCollector)) == 1
    assert not gc.isenabled()


def test_garbage_made_while_a_worker_allocates_is_freed_on_the_gui_thread(qapp: QApplication, qtbot: QtBot) -> None:
    collect_on_gui_thread(qapp)
    gc.collect()
    threads: list[str] = []
    _Cycle(threads)  # unreachable at once; only a collection frees it

    kept: list[list[int]] = []

    def allocate() -> None:  # with automatic collection on, these allocations would collect here, in the worker
        kept.extend([number] for number in range(50_000))

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert threads == [], "nothing was collected in the worker"
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)  # the collector's timer, within a second or two
    assert threads == [threading.main_thread().name]
    assert len(kept) == 50_000
