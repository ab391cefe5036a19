"""End to end through the real PC/SC stack: pyscard → pcscd → vpcd driver → a virtual card on vpcd's socket."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from smartcard import scard

from efangtong_core.idcard import IdCardRecord
from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardReadError,
    CardRemoved,
    ErrorKind,
    ReaderAttached,
    ReaderDetached,
    ReadFailed,
    RecordRead,
)
from efangtong_desktop.cardreader.pcsc import PcscBackend, pcsc_error
from efangtong_desktop.cardreader.profile import ApduProfile
from tests.desktop.cardreader.cards import ALL_TYPES, PHOTO, RESIDENT, malformed_text, text_of
from tests.desktop.cardreader.conftest import EventRecorder
from tests.support.pcscd import FIRST_READER, Pcscd, wait_for_card
from tests.support.vpcd import VirtualIdCard, VpcdCardSession

PutCard = Callable[[VirtualIdCard], VpcdCardSession]


def started(backend: PcscBackend, recorder: EventRecorder) -> None:
    backend.start(recorder)
    recorder.wait_for(lambda event: event == ReaderAttached(FIRST_READER))


def failure(recorder: EventRecorder, after: int) -> CardReadError:
    event = recorder.wait_for(lambda event: isinstance(event, ReadFailed), after=after)
    assert isinstance(event, ReadFailed)
    return event.error


def test_lists_the_vpcd_readers(backend: PcscBackend) -> None:
    assert backend.readers()[:2] == [FIRST_READER, "Virtual PCD 00 01"]


@pytest.mark.parametrize("record", ALL_TYPES, ids=lambda record: record.card_type.value)
def test_a_card_put_on_the_reader_is_read_and_reported(
    backend: PcscBackend, recorder: EventRecorder, put_card: PutCard, profiles: list[ApduProfile], record: IdCardRecord
) -> None:
    started(backend, recorder)
    mark = recorder.mark()
    card = put_card(VirtualIdCard(profiles[0], text_of(record), PHOTO))
    read = recorder.wait_for(lambda event: isinstance(event, RecordRead), after=mark)
    assert isinstance(read, RecordRead)
    assert read.card.record == record
    assert read.card.photo_wlt == PHOTO
    assert read.reader == FIRST_READER
    assert recorder.events[mark] == CardInserted(FIRST_READER)
    commands = card.card.apdus
    assert commands[0] == profiles[0].select[0] and len(commands) == 3 + 2 + 8  # selects, 2 + 8 READ BINARY
    card.pull()
    recorder.wait_for(lambda event: event == CardRemoved(FIRST_READER), after=mark)


def test_read_on_demand_and_without_a_card(
    backend: PcscBackend, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    with pytest.raises(CardReadError) as no_card:
        backend.read()
    assert no_card.value.kind is ErrorKind.NO_CARD and "没有证件" in no_card.value.message
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT)))
    wait_for_card(FIRST_READER, present=True)
    assert backend.read().record == RESIDENT
    assert backend.read(FIRST_READER).record == RESIDENT
    with pytest.raises(CardReadError) as unknown:
        backend.read("Virtual PCD 09 09")
    assert unknown.value.kind is ErrorKind.READER_UNPLUGGED


def test_a_card_pulled_mid_read_gives_no_data_and_a_clear_message(
    backend: PcscBackend, recorder: EventRecorder, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    started(backend, recorder)
    mark = recorder.mark()
    card = put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), PHOTO, pull_at_read=4))
    error = failure(recorder, mark)
    assert error.kind is ErrorKind.CARD_REMOVED and "被移开" in error.message
    assert card.pulled.is_set()
    recorder.wait_for(lambda event: event == CardRemoved(FIRST_READER), after=mark)
    assert not any(isinstance(event, RecordRead) for event in recorder.events[mark:])


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [(b"\x6a\x82", ErrorKind.NO_CARD, "没有证件"), (b"\x69\x82", ErrorKind.UNREADABLE, "6982")],
)
def test_status_words_from_the_profile(
    backend: PcscBackend,
    recorder: EventRecorder,
    put_card: PutCard,
    profiles: list[ApduProfile],
    status: bytes,
    kind: ErrorKind,
    words: str,
) -> None:
    started(backend, recorder)
    mark = recorder.mark()
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT), status_for_select=status))
    error = failure(recorder, mark)
    assert error.kind is kind and words in error.message


def test_a_malformed_record_is_refused_with_the_reason(
    backend: PcscBackend, recorder: EventRecorder, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    started(backend, recorder)
    mark = recorder.mark()
    put_card(VirtualIdCard(profiles[0], malformed_text()))
    error = failure(recorder, mark)
    assert error.kind is ErrorKind.MALFORMED and "性别代码" in error.message


def test_readers_go_away_with_the_service_and_come_back(
    backend: PcscBackend, recorder: EventRecorder, pcscd: Pcscd, put_card: PutCard, profiles: list[ApduProfile]
) -> None:
    started(backend, recorder)
    first = put_card(VirtualIdCard(profiles[0], text_of(RESIDENT)))
    recorder.wait_for(lambda event: isinstance(event, RecordRead))
    first.pull()
    recorder.wait_for(lambda event: event == CardRemoved(FIRST_READER))
    mark = recorder.mark()
    pcscd.stop()
    try:
        recorder.wait_for(lambda event: event == ReaderDetached(FIRST_READER), after=mark)
        failed = recorder.wait_for(lambda event: isinstance(event, ReadFailed), after=mark)
        assert isinstance(failed, ReadFailed) and failed.error.kind is ErrorKind.SERVICE
    finally:
        pcscd.start()
    mark = recorder.mark()
    recorder.wait_for(lambda event: event == ReaderAttached(FIRST_READER), after=mark)
    put_card(VirtualIdCard(profiles[0], text_of(RESIDENT)))
    read = recorder.wait_for(lambda event: isinstance(event, RecordRead | ReadFailed), after=mark)
    assert isinstance(read, RecordRead), read  # the reading context from before the restart was replaced


def test_reading_while_the_service_is_down(backend: PcscBackend, pcscd: Pcscd) -> None:
    assert backend.readers()
    pcscd.stop()
    try:
        for _ in range(2):
            with pytest.raises(CardReadError) as stopped:
                backend.read()
            assert stopped.value.kind is ErrorKind.SERVICE and "pcscd" in stopped.value.message
        with pytest.raises(CardReadError):
            backend.readers()
    finally:
        pcscd.start()


def test_pcsc_codes_map_to_messages() -> None:
    mute = pcsc_error(scard.SCARD_W_UNRESPONSIVE_CARD, FIRST_READER, reading=False)
    assert mute.kind is ErrorKind.UNREADABLE and "没有应答" in mute.message
    assert pcsc_error(scard.SCARD_W_REMOVED_CARD, FIRST_READER, reading=True).kind is ErrorKind.CARD_REMOVED
    assert pcsc_error(scard.SCARD_E_NO_SMARTCARD, FIRST_READER, reading=False).kind is ErrorKind.NO_CARD
    unplugged = pcsc_error(scard.SCARD_E_READER_UNAVAILABLE, FIRST_READER, reading=True)
    assert unplugged.kind is ErrorKind.READER_UNPLUGGED and FIRST_READER in unplugged.message
    assert pcsc_error(scard.SCARD_E_NO_READERS_AVAILABLE, None, reading=False).kind is ErrorKind.NO_READER
    busy = pcsc_error(scard.SCARD_E_SHARING_VIOLATION, FIRST_READER, reading=False)
    assert "占用" in busy.message and "0x8010000B" in busy.message
