"""PC/SC backend (pyscard): readers and cards are watched with SCardGetStatusChange, cards read with an APDU profile.

One monitoring thread blocks in SCardGetStatusChange on every reader plus the "\\\\?PnP?\\Notification" pseudo-reader,
so reader plug/unplug and card insert/remove arrive as events — no polling loop of our own. A card put on a reader is
read at once on that thread, on the monitor's own context (its pcscd thread has just answered the status change, so
it serves the read without a wake-up); `read()` reads on demand from any worker thread on a context kept between
reads. One read at a time (a lock), on an exclusive connection; any failure raises CardReadError and returns nothing.
A card read by the monitor is reported in two steps: its text record (TextRead, a preview) as soon as it is in, then
the whole card (RecordRead) or the failure (ReadFailed) — the photo's APDUs are on the wire meanwhile.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smartcard import scard

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardRead,
    CardReadError,
    CardRemoved,
    ErrorKind,
    EventSink,
    ReaderAttached,
    ReaderDetached,
    ReadFailed,
    RecordRead,
    TextRead,
    decode_record,
)
from efangtong_desktop.cardreader.pcsc_card import PROTOCOLS, CardConnection, code_of, pcsc_error
from efangtong_desktop.cardreader.profile import ApduProfile, load_profiles, profile_for

__all__ = ["PcscBackend", "list_readers", "pcsc_context", "pcsc_error", "service_socket_present"]

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"
WAIT_MS = 60_000
"""SCardGetStatusChange's timeout: only a guard so that a lost cancel cannot keep the thread forever."""
DEFAULT_SOCKET = "/run/pcscd/pcscd.comm"
"""pcsc-lite's socket when PCSCLITE_CSOCK_NAME does not name another."""
SERVICE_RETRY_S = 2.0
"""While the smart-card service is down, how long to wait before asking for it again."""


def service_socket_present() -> bool:
    """False when pcsc-lite's socket is absent (Linux): the service is not there, and pcsc-lite is not asked.

    pcsc-lite's client reads PCSCLITE_CSOCK_NAME once per process, at its first context: a watcher that keeps asking
    before a service exists must not fix that choice for the process.
    """
    if not sys.platform.startswith("linux"):
        return True
    return Path(os.environ.get("PCSCLITE_CSOCK_NAME") or DEFAULT_SOCKET).exists()


@contextmanager
def pcsc_context() -> Iterator[Any]:
    """An established PC/SC context, released afterwards; raises CardReadError when the service is not there."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise pcsc_error(hresult, None, reading=False)
    try:
        yield context
    finally:
        scard.SCardReleaseContext(context)


def list_readers(context: Any) -> list[str]:
    """The readers of `context` (empty when there are none)."""
    hresult, readers = scard.SCardListReaders(context, [])
    if code_of(hresult) == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult != scard.SCARD_S_SUCCESS:
        raise pcsc_error(hresult, None, reading=False)
    return list(readers)


class PcscBackend:
    """Card readers through the platform's PC/SC service (pcscd, WinSCard), driven by APDU profiles."""

    def __init__(self, profiles: list[ApduProfile] | None = None) -> None:
        self.profiles = profiles if profiles is not None else load_profiles()
        self._read_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._monitor_context: Any = None
        self._read_context: Any = None
        self._context_lock = threading.Lock()
        self._profiles_by_reader: dict[str, ApduProfile] = {}

    def readers(self) -> list[str]:
        """The names of the PC/SC readers present now."""
        with pcsc_context() as context:
            return list_readers(context)

    def read(self, reader: str | None = None) -> CardRead:
        """Read the card on `reader` (default: the first reader holding a card) completely."""
        with self._read_lock:
            for attempt in (1, 2):
                context = self._context_for_reads()
                try:
                    name = reader if reader is not None else self._reader_with_card(context)
                    return self._read(context, name)
                except CardReadError as error:
                    if error.kind is not ErrorKind.SERVICE:
                        raise
                    self._drop_read_context()  # pcscd restarted since: one retry on a fresh context
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    def _read_and_report(self, context: Any, reader: str, sink: EventSink) -> None:
        """Read a card just put on `reader` on `context` (the monitor's own: its pcscd thread is awake, ~0.1 ms) and
        report it: TextRead as soon as the text record is in (the form is prepared while the photo's APDUs are on
        the wire), then RecordRead — before the card is disconnected, which is only cleanup — or ReadFailed."""
        with self._read_lock:
            started = time.perf_counter()
            try:
                card = self._connect(context, reader)
            except CardReadError as error:
                sink(ReadFailed(reader, error))
                return
            outcome: RecordRead | ReadFailed
            try:
                try:
                    text = card.read_text()
                    sink(TextRead(reader, text, time.perf_counter() - started))
                    outcome = RecordRead(reader, decode_record(text, reader, photo_wlt=card.read_photo()))
                except CardReadError as error:
                    outcome = ReadFailed(reader, error)
                sink(outcome)
            finally:
                card.disconnect()  # whatever happened: the card is never left connected

    def _context_for_reads(self) -> Any:
        """The context reads use, kept between reads (establishing one costs as much as a few APDUs)."""
        if self._read_context is None:
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult != scard.SCARD_S_SUCCESS:
                raise pcsc_error(hresult, None, reading=False)
            self._read_context = context
        return self._read_context

    def _drop_read_context(self) -> None:
        context, self._read_context = self._read_context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def close(self) -> None:
        """Stop monitoring and release the reading context."""
        self.stop()
        with self._read_lock:
            self._drop_read_context()

    def _reader_with_card(self, context: Any) -> str:
        readers = list_readers(context)
        if not readers:
            raise CardReadError(ErrorKind.NO_READER, texts.NO_READER)
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(name, scard.SCARD_STATE_UNAWARE) for name in readers]
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise pcsc_error(hresult, None, reading=False)
        for name, state, _atr in states:
            if state & scard.SCARD_STATE_PRESENT:
                return str(name)
        raise CardReadError(ErrorKind.NO_CARD, texts.NO_CARD)

    def _read(self, context: Any, reader: str) -> CardRead:
        card = self._connect(context, reader)
        try:
            text = card.read_text()
            photo = card.read_photo()
        finally:
            card.disconnect()
        return decode_record(text, reader, photo_wlt=photo)

    def _connect(self, context: Any, reader: str) -> CardConnection:
        """Connect to the card on `reader` and select the ID-card application."""
        profile = self._profile_for(reader)
        # Exclusive for the few milliseconds of a read: no other program's APDU can slip between SELECT and READ.
        hresult, card, protocol = scard.SCardConnect(
            context, reader, scard.SCARD_SHARE_EXCLUSIVE, PROTOCOLS[profile.protocol]
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise pcsc_error(hresult, reader, reading=False)
        connection = CardConnection(card, protocol, profile, reader)
        try:
            connection.transfer(profile.wire.opening)
        except CardReadError:
            connection.disconnect()
            raise
        return connection

    def _profile_for(self, reader: str) -> ApduProfile:
        profile = self._profiles_by_reader.get(reader)
        if profile is None:
            profile = self._profiles_by_reader[reader] = profile_for(reader, self.profiles)
        return profile

    def start(self, sink: EventSink) -> None:
        """Start the monitoring thread; events (and the reads it triggers) are delivered to `sink` on it."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._monitor, args=(sink,), name="pcsc-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the monitoring thread: cancel its wait and join it."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        for _ in range(20):
            with self._context_lock:
                if self._monitor_context is not None:
                    scard.SCardCancel(self._monitor_context)
            thread.join(0.25)
            if not thread.is_alive():
                return
        log.warning("PC/SC monitor thread did not stop")

    def _monitor(self, sink: EventSink) -> None:
        while not self._stop.is_set():
            if not service_socket_present():
                sink(ReadFailed(None, CardReadError(ErrorKind.SERVICE, texts.SERVICE_UNAVAILABLE)))
                self._stop.wait(SERVICE_RETRY_S)
                continue
            hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hresult != scard.SCARD_S_SUCCESS:
                sink(ReadFailed(None, pcsc_error(hresult, None, reading=False)))
                self._stop.wait(SERVICE_RETRY_S)
                continue
            with self._context_lock:
                self._monitor_context = context
            try:
                known = _Watch(self, context, sink).run()
            finally:
                with self._context_lock:
                    self._monitor_context = None
                scard.SCardReleaseContext(context)
            if self._stop.is_set():
                break
            for reader in known:
                sink(ReaderDetached(reader))
            self._stop.wait(SERVICE_RETRY_S)


class _Watch:
    """The monitoring loop on one context; returns the readers it knew when the service went away."""

    def __init__(self, backend: PcscBackend, context: Any, sink: EventSink) -> None:
        self.backend = backend
        self.context = context
        self.sink = sink
        self.states: dict[str, int] = {}
        self.present: set[str] = set()
        self.insertions: dict[str, int] = {}
        """pcsc-lite's per-reader event counter (high 16 bits of the state) when last seen."""
        self.pnp_state = scard.SCARD_STATE_UNAWARE

    def run(self) -> list[str]:
        """Wait for and dispatch state changes until stopped or the service goes away."""
        self._sync_readers()
        while not self.backend._stop.is_set():
            watched = [(PNP_READER, self.pnp_state), *list(self.states.items())]
            hresult, changes = scard.SCardGetStatusChange(self.context, WAIT_MS, watched)
            code = code_of(hresult)
            if self.backend._stop.is_set():
                break
            if code in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
                continue
            if code == scard.SCARD_E_UNKNOWN_READER:
                self._sync_readers()
                continue
            if code != scard.SCARD_S_SUCCESS:
                error = pcsc_error(hresult, None, reading=False)
                if code == scard.SCARD_W_SECURITY_VIOLATION:  # pcsc-lite 1.9's answer to a wait cut off by pcscd
                    error = CardReadError(ErrorKind.SERVICE, texts.SERVICE_UNAVAILABLE)  # stopping (seen in tests)
                self.sink(ReadFailed(None, error))
                return list(self.states)
            self._dispatch(changes)
        return list(self.states)

    def _dispatch(self, changes: list[tuple[str, int, list[int]]]) -> None:
        readers_changed = False
        for name, event, _atr in changes:
            if name == PNP_READER:
                readers_changed = readers_changed or bool(event & scard.SCARD_STATE_CHANGED)
                self.pnp_state = event & ~scard.SCARD_STATE_CHANGED
                continue
            if name not in self.states:
                continue
            self.states[name] = event & ~scard.SCARD_STATE_CHANGED
            if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE):
                readers_changed = True
                continue
            present = bool(event & scard.SCARD_STATE_PRESENT)
            if present and name in self.present and self.insertions.get(name) != event >> 16:
                self._card_state(name, False)  # another card came before we saw the first one go
            self.insertions[name] = event >> 16
            self._card_state(name, present)
        if readers_changed:
            self._sync_readers()

    def _card_state(self, reader: str, present: bool) -> None:
        if present and reader not in self.present:
            self.present.add(reader)
            self.sink(CardInserted(reader))
            self.backend._read_and_report(self.context, reader, self.sink)
        elif not present and reader in self.present:
            self.present.discard(reader)
            self.sink(CardRemoved(reader))

    def _sync_readers(self) -> None:
        try:
            current = list_readers(self.context)
        except CardReadError:
            current = []
        for name in [name for name in self.states if name not in current]:
            del self.states[name]
            if name in self.present:
                self.present.discard(name)
                self.sink(CardRemoved(name))
            self.sink(ReaderDetached(name))
        for name in current:
            if name not in self.states:
                self.states[name] = scard.SCARD_STATE_UNAWARE
                self.sink(ReaderAttached(name))
