"""A virtual ID card on vsmartcard's vpcd socket: connecting puts it on the reader, closing the socket pulls it.

The socket carries frames of a 2-byte big-endian length and a payload. A 1-byte payload is a control frame (0 power
off, 1 power on, 2 reset, 4 "send your ATR"); anything else is a command APDU, answered with a response APDU. The card
answers the conversation an APDU profile describes (select the application, select a file, READ BINARY at an offset)
from a text record and a photo; it can instead answer a status word, or vanish in the middle of a READ BINARY.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

from efangtong_desktop.cardreader.profile import ApduProfile

ATR = bytes.fromhex("3B8880010000000000718100F9")
POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4
OK = b"\x90\x00"
CONNECT_TIMEOUT = 5.0


@dataclass
class VirtualIdCard:
    """The card's files and its misbehaviours; `apdus` records every command APDU it received."""

    profile: ApduProfile
    text: bytes
    photo: bytes = bytes(1024)
    status_for_select: bytes | None = None
    """Answer every SELECT of the application with this status word instead of 9000."""
    pull_at_read: int | None = None
    """Close the socket instead of answering the n-th READ BINARY (1-based)."""
    apdus: list[bytes] = field(default_factory=list)
    _selected: bytes | None = None
    _reads: int = 0

    def answer(self, apdu: bytes) -> bytes | None:
        """The response APDU to `apdu`, or None to vanish (the card is pulled)."""
        self.apdus.append(apdu)
        profile = self.profile
        if apdu in profile.select:
            return self.status_for_select or OK
        if apdu == profile.text.select:
            self._selected = self.text
            return OK
        if profile.photo is not None and apdu == profile.photo.select:
            self._selected = self.photo
            return OK
        if apdu[:2] == profile.read_binary and len(apdu) == 5:
            self._reads += 1
            if self.pull_at_read == self._reads:
                return None
            if self._selected is None:
                return b"\x69\x86"
            offset, length = int.from_bytes(apdu[2:4], "big"), apdu[4] or 256
            if offset >= len(self._selected):
                return b"\x6b\x00"
            return self._selected[offset : offset + length] + OK
        return b"\x6d\x00"


class VpcdCardSession:
    """One insertion of a VirtualIdCard into a vpcd reader (a thread serving the socket)."""

    def __init__(self, card: VirtualIdCard, port: int) -> None:
        self.card = card
        self.port = port
        self.pulled = threading.Event()
        """Set when the card is off the reader (pulled by the test, by itself, or by vpcd closing)."""
        self.powered_on = threading.Event()
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT)
        self._socket.settimeout(None)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name=f"vpcd-card-{port}", daemon=True)
        self._thread.start()

    def _receive(self, size: int) -> bytes | None:
        data = b""
        while len(data) < size:
            try:
                # vpcd writes a frame's length and its payload separately (Nagle): ACK at once, not 40 ms later.
                self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                chunk = self._socket.recv(size - len(data))
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def _send(self, payload: bytes) -> None:
        self._socket.sendall(struct.pack(">H", len(payload)) + payload)

    def _serve(self) -> None:
        try:
            while not self.pulled.is_set():
                header = self._receive(2)
                if header is None:
                    break
                payload = self._receive(struct.unpack(">H", header)[0])
                if payload is None:
                    break
                if len(payload) == 1:
                    if payload[0] == GET_ATR:
                        self._send(ATR)
                    elif payload[0] in (POWER_ON, RESET):
                        self.powered_on.set()
                    continue
                answer = self.card.answer(payload)
                if answer is None:
                    break
                self._send(answer)
        except OSError:
            pass
        finally:
            self.pull()

    def pull(self) -> None:
        """Take the card off the reader: close the socket (vpcd sees it at its next presence poll)."""
        with self._lock:
            self.pulled.set()
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
            self._socket.close()

    def join(self, timeout: float = 5.0) -> None:
        """Wait for the serving thread to end (after pull)."""
        self._thread.join(timeout)


def insert(card: VirtualIdCard, port: int) -> VpcdCardSession:
    """Put `card` on the vpcd reader listening on `port` of 127.0.0.1."""
    return VpcdCardSession(card, port)
