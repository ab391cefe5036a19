"""The Qt adapter: reader events from a backend thread become `state_changed` signals on the GUI thread.

The backend calls `_deliver` on its own thread; the card is checked there (`prepare`), then a queued signal carries
the result to the GUI thread, where the service's state is updated (`apply`). The "reading" state of a card just put
on the reader is shown only when the read takes longer than BUSY_DELAY_MS: a read of a few milliseconds goes straight
to its outcome, so the GUI thread does no work (and takes no GIL) while the card is being read. A photo that the
vendor's library decodes is decoded after the text fields were shown, through the application's TaskManager like
every other blocking job, and so is a read on demand (F2).
"""

from __future__ import annotations

from dataclasses import replace

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardReaderBackend,
    CardReadError,
    ErrorKind,
    ReaderEvent,
    ReadFailed,
    RecordRead,
)
from efangtong_desktop.cardreader.service import (
    CardFormData,
    CardFormState,
    CardReadingService,
    FormReady,
    PhotoDecoded,
    PreparedEvent,
)
from efangtong_desktop.tasks import TaskManager

BUSY_DELAY_MS = 150
"""How long a card put on the reader may take to read before the form says 正在读卡."""


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
        self._unshown_busy: CardFormState | None = None
        """The "reading" state of a card just put on the reader, until shown (slow read) or passed (fast read)."""
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
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
        state = self.service.apply(event)
        if isinstance(event, CardInserted):
            self._unshown_busy = state
            self._busy_timer.start()
            return
        if isinstance(event, PhotoDecoded):
            self.state_changed.emit(state)
            return
        if not isinstance(event, FormReady):
            self._show_busy()  # a failure after a read the form did not announce yet: first the read, then why
        self._busy_timer.stop()
        self._unshown_busy = None
        self.state_changed.emit(state)
        if isinstance(event, FormReady) and state.data is event.data and event.data.photo_pending:
            self._decode_photo(event.data)

    def _decode_photo(self, data: CardFormData) -> None:
        """Decode the photo of the card just shown, off the GUI thread; PhotoDecoded follows."""
        service = self.service

        def failed(error: Exception) -> None:
            note = texts.PHOTO_DECODE_FAILED.format(code=type(error).__name__)
            self._apply(PhotoDecoded(replace(data, photo=None, photo_note=note, photo_wlt=None)))

        self.tasks.run(lambda: service.decode_photo(data), self._apply, failed, owner=self)

    def _show_busy(self) -> None:
        busy, self._unshown_busy = self._unshown_busy, None
        if busy is not None:
            self.state_changed.emit(busy)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, CardReadError):
            error = CardReadError(ErrorKind.UNEXPECTED, texts.UNEXPECTED.format(reason=type(error).__name__))
        self._apply(ReadFailed("", error))
