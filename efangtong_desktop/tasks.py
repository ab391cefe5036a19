"""The one helper that runs blocking work (network, database) off the GUI thread.

As in Anki's `taskman`: a view hands a callable to `TaskManager.run` with a success and a failure callback; the
callable runs on a worker of a QThreadPool, and exactly one of the callbacks is then called on the GUI thread with
the result or the exception. When the callbacks' owner widget has been destroyed in the meantime, neither is called.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_WORKERS = 4


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        manager: TaskManager,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self._manager = manager
        self._on_success = on_success
        self._on_failure = on_failure
        self._owner = owner
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_success(self, result: object) -> None:
        try:
            if self._owner_alive():
                self._on_success(result)
        finally:
            self._manager._finished(self)

    @Slot(object)
    def _deliver_failure(self, error: object) -> None:
        try:
            if self._owner_alive():
                assert isinstance(error, Exception)
                self._on_failure(error)
        finally:
            self._manager._finished(self)


class _Job(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay

    def run(self) -> None:
        """Run the work on a pool thread and hand the outcome to the relay."""
        try:
            result = self._work()
        except Exception as error:
            if not _is_expected(error):
                log.exception("background task failed")
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


def _is_expected(error: Exception) -> bool:
    """Errors that carry a message for the user (ApiError, ValueError) are not programming errors."""
    from efangtong_desktop.services.api_client import ApiError

    return isinstance(error, ApiError | ValueError)


class TaskManager(QObject):
    """Runs callables on a thread pool; results come back on the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, max_workers: int = MAX_WORKERS) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_workers)
        self._relays: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[Exception], None],
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run `work()` off the GUI thread, then `on_success(result)` or `on_failure(error)` on the GUI thread."""
        relay = _Relay(self, on_success, on_failure, owner)
        self._relays.add(relay)
        self._pool.start(_Job(work, relay))

    @property
    def pending(self) -> int:
        """How many tasks have not delivered their outcome yet."""
        return len(self._relays)

    def _finished(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()

    def wait_for_workers(self, timeout_ms: int = 30000) -> bool:
        """Block until no worker runs (on shutdown); True when they all finished in time."""
        return self._pool.waitForDone(timeout_ms)
