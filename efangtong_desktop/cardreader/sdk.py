"""What the vendor-SDK backends (sdtapi, termb) share: loading the library, ports, and watching for cards.

Vendor SDKs offer no insertion events, only "is there a card now?" calls, so their watch thread asks that every
`FIND_INTERVAL_S` (as the vendors' own demo programs do) and turns the answers into the same events as PC/SC. SDK
libraries are not re-entrant: every call goes through one lock.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

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
)

USB_PORTS = range(1001, 1017)
SERIAL_PORTS = range(1, 17)
FIND_INTERVAL_S = 0.3


def check_port(port: int) -> int:
    """`port` if it is a USB (1001–1016) or serial (1–16) port number, else CardReadError."""
    if port in USB_PORTS or port in SERIAL_PORTS:
        return port
    raise CardReadError(ErrorKind.CONFIG, texts.SDK_BAD_PORT.format(port=port))


def port_name(api: str, port: int) -> str:
    """The reader's display name, e.g. "sdtapi USB 1001"."""
    kind = "USB" if port in USB_PORTS else "COM"
    return f"{api} {kind} {port}"


def vendor_library(path: Path) -> ctypes.CDLL:
    """Load a vendor library (OSError when it cannot be): the vendors' Windows DLLs export __stdcall functions, so
    WinDLL there (the same as CDLL in a 64-bit process, required in a 32-bit one); CDLL elsewhere."""
    if sys.platform == "win32":
        return ctypes.WinDLL(str(path))
    return ctypes.CDLL(str(path))


def load_library(path: Path) -> ctypes.CDLL:
    """Load a vendor library; a missing or unloadable file raises CardReadError."""
    try:
        return vendor_library(path)
    except OSError as error:
        raise CardReadError(ErrorKind.SDK, texts.SDK_MISSING.format(library=path, reason=error)) from None


def bind(library: ctypes.CDLL, path: Path, name: str, argtypes: list[Any], restype: Any = ctypes.c_int) -> Any:
    """One function of a vendor library with its C signature; a missing symbol raises CardReadError."""
    try:
        function = getattr(library, name)
    except AttributeError:
        raise CardReadError(ErrorKind.SDK, texts.SDK_SYMBOL_MISSING.format(library=path, symbol=name)) from None
    function.argtypes = argtypes
    function.restype = restype
    return function


class PollingSdkBackend(ABC):
    """A vendor-SDK backend: subclasses say whether a card is there and read it; this class watches."""

    def __init__(self, port: int) -> None:
        self.port = check_port(port)
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._held = False
        """True while the watch thread holds the port open (under `lock`): reads use it as it is, and nothing else
        opens or closes it (closing it under the watch would look like an unplugged reader)."""

    @property
    @abstractmethod
    def reader_name(self) -> str:
        """The display name of the reader on this port."""

    @abstractmethod
    def open(self) -> None:
        """Open the port; CardReadError when there is no reader."""

    @abstractmethod
    def close(self) -> None:
        """Close the port (never raises)."""

    @abstractmethod
    def card_present(self) -> bool:
        """Whether a card is on the reader now (port open); CardReadError when the reader is gone."""

    @abstractmethod
    def read_open(self) -> CardRead:
        """Read the card completely on the open port; CardReadError on any failure."""

    def readers(self) -> list[str]:
        """The reader on the configured port, if it answers."""
        with self.lock:
            if self._held:
                return [self.reader_name]
            try:
                self.open()
            except CardReadError:
                return []
            self.close()
            return [self.reader_name]

    def scan(self) -> list[str]:
        """The readers on every port that opens, USB 1001–1016 first, then serial 1–16 (as the vendors' demos look
        for a reader); the configured port is kept."""
        found = []
        with self.lock:
            if self._held:  # termb has one connection per process: trying other ports would drop the watched one
                return [self.reader_name]
            configured = self.port
            try:
                for port in (*USB_PORTS, *SERIAL_PORTS):
                    self.port = port
                    try:
                        self.open()
                    except CardReadError:
                        continue
                    self.close()
                    found.append(self.reader_name)
            finally:
                self.port = configured
        return found

    def read(self, reader: str | None = None) -> CardRead:
        """Open the port, read the card, close the port (a port the watch holds open is used as it is)."""
        with self.lock:
            if self._held:
                return self.read_open()
            self.open()
            try:
                return self.read_open()
            finally:
                self.close()

    def start(self, sink: EventSink) -> None:
        """Start the watch thread."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._watch, args=(sink,), name="sdk-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the watch thread and close the port."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(5)

    def _watch(self, sink: EventSink) -> None:
        attached = present = False
        while not self._stop.is_set():
            with self.lock:
                try:
                    if not attached:
                        self.open()
                        attached = self._held = True
                        sink(ReaderAttached(self.reader_name))
                    now = self.card_present()
                    if now and not present:
                        sink(CardInserted(self.reader_name))
                        sink(self._read_event())
                    elif present and not now:
                        sink(CardRemoved(self.reader_name))
                    present = now
                except CardReadError as error:
                    if attached:
                        self._lost(sink, error, present)
                    attached = present = False
            self._stop.wait(FIND_INTERVAL_S)
        if attached:
            with self.lock:
                self.close()
                self._held = False

    def _lost(self, sink: EventSink, error: CardReadError, present: bool) -> None:
        """The port stopped answering while watched: close it and report it as PC/SC does (the card, if one was on
        it, is gone; the reader is detached). An error other than "no reader" is reported first, as trouble of the
        watch (ReadFailed without a reader: a card already shown stays), so the technician sees the vendor's code."""
        self.close()
        self._held = False
        if error.kind is not ErrorKind.NO_READER:
            sink(ReadFailed(None, error))
        if present:
            sink(CardRemoved(self.reader_name))
        sink(ReaderDetached(self.reader_name))

    def _read_event(self) -> RecordRead | ReadFailed:
        try:
            return RecordRead(self.reader_name, self.read_open())
        except CardReadError as error:
            return ReadFailed(self.reader_name, error)
