"""The UI-free card-reading service: events in, complete form data or an error out — never a part of a card."""

from __future__ import annotations

from pathlib import Path

import pytest

from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardRead,
    CardReadError,
    CardRemoved,
    ErrorKind,
    ReaderAttached,
    ReaderDetached,
    ReadFailed,
    RecordRead,
)
from efangtong_desktop.cardreader.manual import ManualEntry, manual_card
from efangtong_desktop.cardreader.photo import WltDecoder
from efangtong_desktop.cardreader.service import CardReadingService, FormReady, PhotoDecoded
from tests.desktop.cardreader.cards import EXPIRED, FOREIGN_2023, HK_MO_TW, PHOTO, RESIDENT, TODAY

READER = "Virtual PCD 00 00"


def service(decoder: WltDecoder | None = None) -> CardReadingService:
    return CardReadingService(decoder=decoder, today=lambda: TODAY)


def test_a_read_card_becomes_form_data() -> None:
    cards = service()
    cards.handle(ReaderAttached(READER))
    assert cards.handle(CardInserted(READER)).busy
    state = cards.handle(RecordRead(READER, CardRead(HK_MO_TW, READER, photo_wlt=PHOTO)))
    assert state.data is not None and state.error is None and not state.busy
    fields = state.data.display_fields()
    assert fields["card_type"] == "港澳台居民居住证" and fields["pass_number"] == "H60123456"
    assert fields["validity"] == "2020.01.01-2030.01.01" and fields["source"] == READER
    assert state.data.photo is None and state.data.photo_note is not None and "照片解码库" in state.data.photo_note
    assert cards.handle(CardRemoved(READER)).data == state.data  # lifting the card keeps what was read


def test_foreign_card_fields() -> None:
    state = service().handle(RecordRead(READER, CardRead(FOREIGN_2023, READER)))
    assert state.data is not None
    assert (state.data.english_name, state.data.nationality, state.data.nation) == ("PETROVA, ANNA", "RUS", "")


def test_the_photo_is_decoded_by_the_configured_library(fake_sdk: dict[str, Path]) -> None:
    state = service(WltDecoder(fake_sdk["wlt"])).handle(RecordRead(READER, CardRead(RESIDENT, READER, PHOTO)))
    assert state.data is not None and state.data.photo is not None and state.data.photo[:2] == b"BM"


def test_a_photo_to_decode_comes_after_the_complete_text(fake_sdk: dict[str, Path]) -> None:
    cards = service(WltDecoder(fake_sdk["wlt"]))
    ready = cards.prepare(RecordRead(READER, CardRead(RESIDENT, READER, PHOTO)))
    assert isinstance(ready, FormReady) and ready.data.photo_pending
    assert ready.data.photo is None and ready.data.photo_note == "正在解码照片…"
    assert ready.data.display_fields()["name"] == "巴特尔" and ready.data.record == RESIDENT
    shown = cards.apply(ready)
    assert shown.data is ready.data and not shown.busy
    decoded = cards.decode_photo(ready.data)
    assert not decoded.data.photo_pending and decoded.data.photo is not None and decoded.data.photo[:2] == b"BM"
    assert decoded.data.record is ready.data.record and decoded.data.photo_note is None
    state = cards.apply(decoded)
    assert state.data == decoded.data and state.data.display_fields() == ready.data.display_fields()


def test_a_photo_decoded_for_a_card_no_longer_shown_is_dropped(fake_sdk: dict[str, Path]) -> None:
    cards = service(WltDecoder(fake_sdk["wlt"]))
    ready = cards.prepare(RecordRead(READER, CardRead(RESIDENT, READER, PHOTO)))
    assert isinstance(ready, FormReady)
    cards.apply(ready)
    late = cards.decode_photo(ready.data)
    cards.apply(CardInserted(READER))  # the next card is on the reader before the photo was decoded
    assert cards.apply(late).data is None
    second = cards.prepare(RecordRead(READER, CardRead(HK_MO_TW, READER, PHOTO)))
    assert isinstance(second, FormReady)
    cards.apply(second)
    assert cards.apply(late).data == second.data, "the first card's photo never lands on the second card"


def test_a_corrupt_photo_gives_the_placeholder_with_the_reason_and_keeps_the_text(fake_sdk: dict[str, Path]) -> None:
    cards = service(WltDecoder(fake_sdk["wlt"]))
    state = cards.handle(RecordRead(READER, CardRead(RESIDENT, READER, b"\xff" + PHOTO[1:])))
    assert state.data is not None and state.data.photo is None and not state.data.photo_pending
    assert state.data.photo_note is not None and "-2" in state.data.photo_note and state.data.name == "巴特尔"
    missing = PhotoDecoded(state.data)
    assert service().apply(missing).data is None, "nothing shown: nothing to put a photo on"


def test_an_expired_card_gives_an_error_and_no_data() -> None:
    cards = service()
    prepared = cards.prepare(RecordRead(READER, CardRead(EXPIRED, READER)))
    assert isinstance(prepared, ReadFailed) and prepared.error.kind is ErrorKind.EXPIRED
    state = cards.apply(prepared)
    assert state.data is None and state.error is not None and "已过期" in state.error


def test_a_new_card_clears_the_previous_one_and_a_failure_leaves_nothing() -> None:
    cards = service()
    assert isinstance(cards.prepare(RecordRead(READER, CardRead(RESIDENT, READER))), FormReady)
    cards.handle(RecordRead(READER, CardRead(RESIDENT, READER)))
    assert cards.handle(CardInserted(READER)).data is None
    error = CardReadError(ErrorKind.CARD_REMOVED, "读卡过程中证件被移开")
    state = cards.handle(ReadFailed(READER, error))
    assert state.data is None and state.error == error.message


def test_reader_unplugged_during_a_read_and_service_trouble_while_idle() -> None:
    cards = service()
    cards.handle(ReaderAttached(READER))
    cards.handle(CardInserted(READER))
    state = cards.handle(ReaderDetached(READER))
    assert state.data is None and state.error is not None and "断开" in state.error and state.readers == ()
    cards.handle(RecordRead(READER, CardRead(RESIDENT, READER)))
    idle = cards.handle(ReadFailed(None, CardReadError(ErrorKind.SERVICE, "智能卡服务未运行")))
    assert idle.data is not None and idle.status == "智能卡服务未运行"


def test_f2_begins_a_read_by_dropping_what_was_shown() -> None:
    cards = service()
    cards.handle(RecordRead(READER, CardRead(RESIDENT, READER)))
    state = cards.begin_read()
    assert state.busy and state.data is None


ENTRY = ManualEntry(
    name="巴特尔",
    id_number="150627198503071233",
    nation="蒙古",
    valid_from="2015-03-10",
    valid_to="20350310",
    address=RESIDENT.address or "",
    issuing_authority="伊金霍洛旗公安局",
)


def test_manual_entry_is_checked_like_a_card() -> None:
    card = manual_card(ENTRY, today=TODAY)
    assert card.record == RESIDENT and card.reader == "手工录入"
    state = service().enter_manually(ENTRY)
    assert state.data is not None and state.data.source == "手工录入"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": " "}, "请填写姓名"),
        ({"id_number": "150627198503071234"}, "公民身份号码有误"),
        ({"sex": "女"}, "性别与公民身份号码不一致"),
        ({"birth_date": "1985-03-08"}, "出生日期与公民身份号码不一致"),
        ({"nation": "火星"}, "火星"),
        ({"valid_from": "2015/03/10"}, "有效期限起始日期格式不正确"),
        ({"valid_to": "2010-01-01"}, "早于起始日期"),
        ({"name": "巴" * 16}, "姓名太长"),
        ({"valid_to": "2020-01-01", "valid_from": "2000-01-01"}, "已过期"),
    ],
)
def test_manual_entry_refusals(change: dict[str, str], words: str) -> None:
    fields = {**ENTRY.__dict__, **change}
    state = service().enter_manually(ManualEntry(**fields))
    assert state.data is None and state.error is not None and words in state.error, state.error
