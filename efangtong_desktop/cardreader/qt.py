"""The Qt adapter: reader events from a backend thread become `state_changed` signals on the GUI thread.

The backend calls `_deliver` on its own thread; the card is checked there (`prepare`), then the result is queued and
one posted event wakes the GUI thread for it (cheaper than a queued signal carrying it: measured ~70 µs less from the
post to the slot), where the service's state is updated (`apply`). A card put on the reader is announced
to the GUI thread (正在读卡) only when its read outlasts BUSY_DELAY_MS: a read of a few milliseconds goes straight to
its outcome, so the GUI thread neither wakes nor takes the GIL while the card is on the wire. A photo that the
vendor's library decodes is decoded after the text fields were shown, through the application's TaskManager like
every other blocking job, and so is a read on demand (F2). On a slow reader, a card's text record that comes ahead
of its photo (TextRead) is parsed on the GUI thread while the photo's APDUs are on the wire and offered as
`card_previewed` (see PREVIEW_AFTER_MS).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardReaderBackend,
    CardReadError,
    ErrorKind,
    ReaderEvent,
    ReadFailed,
    RecordRead,
    TextRead,
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
PREVIEW_AFTER_MS = 5.0
"""A card's text record is shown ahead of its photo only when it took at least this long to read: the photo (four
times the bytes) then takes long enough to hide the GUI thread's parse and fill. On a fast reader (the whole card in
about a millisecond) the fill would only compete with the photo's APDUs for the interpreter lock (measured: 0.5 ms
slower): there it follows the read. Also measured: the preview on every reader with the interpreter's switch interval
cut to 0.2 or 0.05 ms during the read (so the reading threads get the lock back promptly): insert -> filled 4.3-4.8 ms
against 2.5 ms without; a smaller interval alone: 2.9 ms against 2.5 — neither kept."""

Arrival = tuple[CardInserted | None, PreparedEvent | None]
"""What the GUI thread is handed: the card put on the reader (when not announced yet) and what became of it."""


_AFTER_PAINT = QEvent.Type(QEvent.registerEventType())
_SOON = QEvent.Type(QEvent.registerEventType())
_ARRIVAL = QEvent.Type(QEvent.registerEventType())
"""The event that tells the bridge an arrival is queued for it."""


class AfterPaintCalls(QObject):
    """Runs calls on the GUI thread, in order, once the widgets changed so far are painted or soon (next in the event
    queue, before the paint); one object kept for many calls (making a QObject per call costs more than the call's
    posting). Calls still waiting when the owner goes are dropped with it.

    Qt asks for a repaint with a low-priority posted event; `post` posts another one after it, so work that can wait
    (lookups starting worker threads, a photo to decode) no longer holds up what the clerk sees.
    """

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._calls: deque[Callable[[], object]] = deque()
        self._soon: deque[Callable[[], object]] = deque()

    def post(self, call: Callable[[], object]) -> None:
        """Run `call` after the paint Qt has asked for so far (dropped if the owner goes first)."""
        self._calls.append(call)
        QCoreApplication.postEvent(self, QEvent(_AFTER_PAINT), Qt.EventPriority.LowEventPriority.value)

    def post_soon(self, call: Callable[[], object]) -> None:
        """Run `call` when the events posted so far ran, before the paint (dropped if the owner goes first)."""
        self._soon.append(call)
        QCoreApplication.postEvent(self, QEvent(_SOON))

    def event(self, event: QEvent) -> bool:
        """Run the oldest call of the event's kind."""
        kind = event.type()
        calls = self._calls if kind == _AFTER_PAINT else self._soon if kind == _SOON else None
        if calls is None:
            return super().event(event)
        if calls:
            calls.popleft()()
        return True


class SlowReadNotice:
    """Holds back a CardInserted until its read's outcome (both go to the GUI together) or, for a read slower than
    BUSY_DELAY_MS, announces it alone; one waiting thread, so that a fast read wakes nothing but the reading thread."""

    def __init__(self, announce: Callable[[CardInserted], None]) -> None:
        self._announce = announce
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._pending: CardInserted | None = None
        self._deadline = 0.0
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the waiting thread."""
        with self._condition:
            self._stopped = False
        self._thread = threading.Thread(target=self._run, name="card-slow-read-notice", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the waiting thread; a card held back is dropped."""
        with self._condition:
            self._stopped = True
            self._pending = None
            self._condition.notify()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(1.0)

    def begin(self, event: CardInserted) -> None:
        """A read starts (on the backend's thread): hold `event` back."""
        with self._lock:
            self._pending = event
            self._deadline = time.monotonic() + BUSY_DELAY_MS / 1000
            self._condition.notify()

    def end(self) -> CardInserted | None:
        """The read ended: the CardInserted still held back (None when it was announced, or there was none)."""
        with self._lock:  # the condition's lock, taken without the condition's Python-level wrapper
            event, self._pending = self._pending, None
            return event

    def _run(self) -> None:
        with self._condition:
            while not self._stopped:
                if self._pending is None:
                    self._condition.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._condition.wait(remaining)
                    continue
                event, self._pending = self._pending, None
                self._announce(event)  # under the lock: queued before the outcome the reading thread posts next


class CardReaderBridge(QObject):
    """Connects one backend and one CardReadingService to the widgets; signals arrive on the GUI thread."""

    state_changed = Signal(object)
    """The new CardFormState after every event."""
    card_previewed = Signal(object)
    """CardFormData of a card whose text record is in while its photo is read (`watch_previews`); not the state: the
    read's outcome (state_changed) follows, the card's FormReady or the failure."""

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
        self._previews = False
        self.preview_after_ms = PREVIEW_AFTER_MS
        self._slow_read = SlowReadNotice(lambda event: self._post((event, None)))
        self._arrivals: deque[Arrival] = deque()
        """What the backend's threads handed over, oldest first (deque: appends and pops are thread-safe)."""
        self._spare_events: deque[QEvent] = deque([QEvent(_ARRIVAL)])
        """An arrival's event made ahead, on the GUI thread after the last arrival (a first PySide call after idle
        costs a reading thread ~40 µs; posting gives the event to Qt)."""
        self._after_paint: AfterPaintCalls | None = None

    @property
    def state(self) -> CardFormState:
        """The state last emitted."""
        return self.service.state

    def start(self) -> None:
        """Start watching readers (events flow until `stop`)."""
        if not self._running:
            self._running = True
            self._slow_read.start()
            self.backend.start(self._deliver)

    def stop(self) -> None:
        """Stop watching readers; late events are dropped."""
        if self._running:
            self._running = False
            self.backend.stop()
            self._slow_read.stop()

    def watch_previews(self, slot: Callable[[CardFormData], object]) -> None:
        """Call `slot` with the preview of every card whose text record comes ahead of its photo (card_previewed)."""
        self.card_previewed.connect(slot)
        self._previews = True

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
        if isinstance(event, CardInserted):
            self._slow_read.begin(event)
            return
        if isinstance(event, TextRead):
            if self._previews and event.elapsed * 1000 >= self.preview_after_ms:
                self._post((None, event))  # parsed and shown on the GUI thread while the photo is read
            return
        prepared = self.service.prepare(event)
        self._post((self._slow_read.end(), prepared))

    def _post(self, arrival: Arrival) -> None:
        """Hand `arrival` to the GUI thread (from any thread): queued, and one event posted to take it."""
        if shiboken6.isValid(self):
            self._arrivals.append(arrival)
            try:
                event = self._spare_events.pop()
            except IndexError:
                event = QEvent(_ARRIVAL)
            QCoreApplication.postEvent(self, event)

    def event(self, event: QEvent) -> bool:
        """Take the oldest queued arrival on its event (on the GUI thread)."""
        if event.type() != _ARRIVAL:
            return super().event(event)
        if self._arrivals:
            self._arrive(self._arrivals.popleft())
        if not self._spare_events:
            self._spare_events.append(QEvent(_ARRIVAL))
        return True

    def _arrive(self, arrival: Arrival) -> None:
        inserted, event = arrival
        if isinstance(event, TextRead):
            data = self.service.preview(event)
            if data is not None:
                self.card_previewed.emit(data)
            return
        if inserted is not None and not isinstance(event, FormReady):  # a slow read, or a failure: first the
            self.state_changed.emit(self.service.apply(inserted))  # read, then why (a card read replaces it all)
        if event is not None:
            self._apply(event)

    @Slot(object)
    def _apply(self, event: PreparedEvent) -> None:
        state = self.service.apply(event)
        self.state_changed.emit(state)
        if isinstance(event, FormReady) and state.data is event.data and event.data.photo_pending:
            data = event.data
            if self._after_paint is None:
                self._after_paint = AfterPaintCalls(self)
            self._after_paint.post(lambda: self._decode_photo(data))

    def _decode_photo(self, data: CardFormData) -> None:
        """Decode the photo of the card just shown, off the GUI thread; PhotoDecoded follows."""
        service = self.service

        def failed(error: Exception) -> None:
            note = texts.PHOTO_DECODE_FAILED.format(code=type(error).__name__)
            self._apply(PhotoDecoded(replace(data, photo=None, photo_note=note, photo_wlt=None)))

        self.tasks.run(lambda: service.decode_photo(data), self._apply, failed, owner=self)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, CardReadError):
            error = CardReadError(ErrorKind.UNEXPECTED, texts.UNEXPECTED.format(reason=type(error).__name__))
        self._apply(ReadFailed("", error))
