"""The Qt adapter: reader events from a backend thread become `state_changed` signals on the GUI thread.

The backend calls `_deliver` on its own thread; the photo is decoded and the card checked there (`prepare`), then a
queued signal carries the result to the GUI thread, where the service's state is updated (`apply`). A read on demand
(F2) runs through the application's TaskManager, like every other blocking job.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import (
    CardReaderBackend,
    CardReadError,
    ErrorKind,
    ReaderEvent,
    ReadFailed,
    RecordRead,
)
from efangtong_desktop.cardreader.service import CardFormState, CardReadingService, PreparedEvent
from efangtong_desktop.tasks import TaskManager


class CardReaderBridge(QObject):
    """Connects one backend and one CardReadingService to the widgets; signals arrive on the GUI thread."""

    state_changed = Signal(object)
    """The new CardFormState after every event."""
    _arrived = Signal(object)

    def __init__(
        self,
        backend: CardReaderBackend,
        service: CardReadingService,
        tasks: TaskManager,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.service = service
        self.tasks = tasks
        self._running = False
        self._arrived.connect(self._apply)

    @property
    def state(self) -> CardFormState:
        """The state last emitted."""
        return self.service.state

    def start(self) -> None:
        """Start watching readers (events flow until `stop`)."""
        if not self._running:
            self._running = True
            self.backend.start(self._deliver)

    def stop(self) -> None:
        """Stop watching readers; late events are dropped."""
        if self._running:
            self._running = False
            self.backend.stop()

    def read_now(self, reader: str | None = None) -> None:
        """Read the card on the reader now (F2), off the GUI thread; the outcome arrives as state_changed."""
        if self.service.state.busy:
            return
        self.state_changed.emit(self.service.begin_read())
        backend, service = self.backend, self.service

        def work() -> PreparedEvent:
            card = backend.read(reader)
            return service.prepare(RecordRead(card.reader, card))

        self.tasks.run(work, self._apply, self._failed, owner=self)

    def _deliver(self, event: ReaderEvent) -> None:
        """Called on the backend's thread."""
        prepared = self.service.prepare(event)
        if shiboken6.isValid(self):
            self._arrived.emit(prepared)

    @Slot(object)
    def _apply(self, event: PreparedEvent) -> None:
        self.state_changed.emit(self.service.apply(event))

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, CardReadError):
            error = CardReadError(ErrorKind.UNEXPECTED, texts.UNEXPECTED.format(reason=type(error).__name__))
        self._apply(ReadFailed("", error))
