"""The one card-reader interface: events, the read result, the error with its Chinese message, and the backend protocol.

Backends (PC/SC, the vendor SDKs, manual entry) all deliver a `CardRead` — the decoded and checked text record plus the
raw photo — or raise `CardReadError`; nothing half-read ever leaves a backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from efangtong_core.idcard import IdCardRecord, InvalidCardRecord, parse_base_message
from efangtong_desktop.cardreader import texts


class ErrorKind(StrEnum):
    """Why a read gave no data."""

    NO_READER = "no_reader"
    READER_UNPLUGGED = "reader_unplugged"
    NO_CARD = "no_card"
    CARD_REMOVED = "card_removed"
    SERVICE = "service"
    UNREADABLE = "unreadable"
    MALFORMED = "malformed"
    EXPIRED = "expired"
    SDK = "sdk"
    CONFIG = "config"
    UNEXPECTED = "unexpected"


class CardReadError(ValueError):
    """A read that produced no data; `message` is the Chinese sentence the clerk sees."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class CardRead:
    """One complete read: the checked record, the raw photo (WLT) or an already decoded image, and the reader."""

    record: IdCardRecord
    reader: str
    photo_wlt: bytes | None = None
    photo_image: bytes | None = None
    """An image the SDK decoded itself (BMP), when it does so."""


@dataclass(frozen=True)
class ReaderAttached:
    """A reader appeared."""

    reader: str


@dataclass(frozen=True)
class ReaderDetached:
    """A reader went away (unplugged, or the smart-card service stopped)."""

    reader: str


@dataclass(frozen=True)
class CardInserted:
    """A card was put on a reader; a read follows."""

    reader: str


@dataclass(frozen=True)
class TextRead:
    """The text record of a card being read, before its photo: a preview to prepare the form with, not data.

    A RecordRead or a ReadFailed for the same card always follows (the PC/SC monitor sends it; others need not).
    """

    reader: str
    text: bytes
    elapsed: float
    """Seconds from connecting to the card to its text record being in (how slow this reader is)."""


@dataclass(frozen=True)
class RecordRead:
    """A card was read completely."""

    reader: str
    card: CardRead


@dataclass(frozen=True)
class CardRemoved:
    """The card was taken off the reader."""

    reader: str


@dataclass(frozen=True)
class ReadFailed:
    """A read (or the monitoring) failed; no data was produced."""

    reader: str | None
    error: CardReadError


ReaderEvent = ReaderAttached | ReaderDetached | CardInserted | TextRead | RecordRead | CardRemoved | ReadFailed
EventSink = Callable[[ReaderEvent], None]


class CardReaderBackend(Protocol):
    """What every reader backend offers; `start` delivers events on a backend thread, never the GUI thread."""

    def readers(self) -> list[str]:
        """The names of the readers present now."""
        ...

    def read(self, reader: str | None = None) -> CardRead:
        """Read the card on `reader` (or the first reader with a card) completely; raises CardReadError."""
        ...

    def start(self, sink: EventSink) -> None:
        """Begin monitoring readers and cards; every card put on a reader is read and reported."""
        ...

    def stop(self) -> None:
        """Stop monitoring and release the readers."""
        ...


_last_parsed: tuple[bytes, IdCardRecord] | None = None
"""The text record parsed last and its record (a card's text is parsed for its preview while its photo is read)."""


def parse_text(text: bytes) -> IdCardRecord:
    """Parse a raw 256-byte text record (the same bytes as the last call give the same record, not parsed again)."""
    global _last_parsed
    last = _last_parsed  # one read of the shared pair: safe between the reading and the GUI thread
    if last is not None and last[0] == text:
        return last[1]
    try:
        record = parse_base_message(text)
    except InvalidCardRecord as error:
        raise CardReadError(ErrorKind.MALFORMED, texts.MALFORMED.format(reason=error)) from None
    _last_parsed = (bytes(text), record)
    return record


def decode_record(text: bytes, reader: str, *, photo_wlt: bytes | None = None) -> CardRead:
    """Parse a raw 256-byte text record into a CardRead; a malformed record raises CardReadError."""
    return CardRead(record=parse_text(text), reader=reader, photo_wlt=photo_wlt)


def event_label(event: ReaderEvent) -> str:
    """The Chinese name of an event's kind (for logs and the CLI)."""
    labels: dict[type, str] = {
        ReaderAttached: texts.EVENT_READER_ATTACHED,
        ReaderDetached: texts.EVENT_READER_DETACHED,
        CardInserted: texts.EVENT_CARD_INSERTED,
        TextRead: texts.EVENT_TEXT_READ,
        RecordRead: texts.EVENT_CARD_READ,
        CardRemoved: texts.EVENT_CARD_REMOVED,
        ReadFailed: texts.EVENT_ERROR,
    }
    return labels[type(event)]
