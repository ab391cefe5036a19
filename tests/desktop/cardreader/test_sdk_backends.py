"""The vendor-SDK backends (sdtapi, termb) through ctypes, against stand-in libraries compiled by the test."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import pytest

from efangtong_desktop.cardreader.base import (
    CardInserted,
    CardReadError,
    CardRemoved,
    ErrorKind,
    ReaderAttached,
    ReadFailed,
    RecordRead,
)
from efangtong_desktop.cardreader.photo import BMP_SIZE, WltDecoder
from efangtong_desktop.cardreader.sdtapi import SdtapiBackend, sdt_error
from efangtong_desktop.cardreader.termb import TermbBackend, cvr_error
from tests.desktop.cardreader.cards import PHOTO, RESIDENT, malformed_text, text_of
from tests.desktop.cardreader.conftest import EventRecorder


@pytest.fixture
def sdt(fake_sdk: dict[str, Path]) -> Iterator[ctypes.CDLL]:
    """The fake sdtapi library's control functions, reset (no card, reader plugged) around each test."""
    control = ctypes.CDLL(str(fake_sdk["sdtapi"]))
    control.fake_remove_card()
    control.fake_unplug(0)
    control.fake_fail_read(0)
    yield control
    control.fake_remove_card()
    control.fake_unplug(0)


def put(control: ctypes.CDLL, text: bytes, photo: bytes = PHOTO) -> None:
    control.fake_put_card(text, photo)


def test_sdtapi_reads_a_card(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    backend = SdtapiBackend(fake_sdk["sdtapi"], port=1001)
    assert backend.readers() == ["sdtapi USB 1001"]
    put(sdt, text_of(RESIDENT))
    card = backend.read()
    assert card.record == RESIDENT and card.photo_wlt == PHOTO and card.reader == "sdtapi USB 1001"
    assert SdtapiBackend(fake_sdk["sdtapi"], port=1).read().reader == "sdtapi COM 1"


@pytest.mark.parametrize(
    ("setup", "kind", "words"),
    [
        (lambda control: None, ErrorKind.NO_CARD, "0x80"),
        (lambda control: control.fake_unplug(1), ErrorKind.NO_READER, "端口打开失败"),
        (
            lambda control: (put(control, text_of(RESIDENT)), control.fake_fail_read(0x41)),
            ErrorKind.CARD_REMOVED,
            "0x41",
        ),
        (lambda control: put(control, malformed_text()), ErrorKind.MALFORMED, "性别代码"),
    ],
    ids=["no card", "unplugged", "pulled mid-read", "malformed"],
)
def test_sdtapi_failures_give_no_data(
    sdt: ctypes.CDLL, fake_sdk: dict[str, Path], setup: object, kind: ErrorKind, words: str
) -> None:
    assert callable(setup)
    setup(sdt)
    with pytest.raises(CardReadError) as failure:
        SdtapiBackend(fake_sdk["sdtapi"]).read()
    assert failure.value.kind is kind and words in failure.value.message


def test_sdtapi_codes_and_ports_have_chinese_messages(fake_sdk: dict[str, Path]) -> None:
    assert "安全模块" in sdt_error(0x60, "SDT_OpenPort").message
    assert "未知的错误码 0x77" in sdt_error(0x77, "SDT_ReadBaseMsg").message
    with pytest.raises(CardReadError, match="1001–1016"):
        SdtapiBackend(fake_sdk["sdtapi"], port=2000)
    with pytest.raises(CardReadError, match="未找到读卡器厂商动态库"):
        SdtapiBackend(fake_sdk["sdtapi"].with_name("missing.so"))
    with pytest.raises(CardReadError, match="缺少函数 SDT_OpenPort"):
        SdtapiBackend(fake_sdk["wlt"])


def test_sdtapi_watch_reports_insert_read_and_removal(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    backend, recorder = SdtapiBackend(fake_sdk["sdtapi"]), EventRecorder()
    backend.start(recorder)
    try:
        recorder.wait_for(lambda event: event == ReaderAttached("sdtapi USB 1001"))
        put(sdt, text_of(RESIDENT))
        read = recorder.wait_for(lambda event: isinstance(event, RecordRead))
        assert isinstance(read, RecordRead) and read.card.record == RESIDENT
        assert CardInserted("sdtapi USB 1001") in recorder.events
        sdt.fake_remove_card()
        recorder.wait_for(lambda event: event == CardRemoved("sdtapi USB 1001"))
        mark = recorder.mark()
        sdt.fake_unplug(1)
        failed = recorder.wait_for(lambda event: isinstance(event, ReadFailed), after=mark)
        assert isinstance(failed, ReadFailed) and failed.error.kind is ErrorKind.NO_READER
    finally:
        backend.stop()


def gbk_fields(control: ctypes.CDLL, **values: str) -> None:
    for key, value in values.items():
        data = value.encode("gbk")
        assert control.fake_set_field(key.encode(), data, len(data)) == 1


@pytest.fixture
def termb(fake_sdk: dict[str, Path]) -> Iterator[ctypes.CDLL]:
    """The fake termb library's controls, with a resident card's fields set and no card on the reader."""
    control = ctypes.CDLL(str(fake_sdk["termb"]))
    gbk_fields(
        control,
        name="巴特尔",
        sex="男",
        nation="蒙古",
        nation_code="02",
        birth="19850307",
        address=RESIDENT.address or "",
        number=RESIDENT.id_number,
        department="伊金霍洛旗公安局",
        start="20150310",
        end="20350310",
        cert_type="",
    )
    control.fake_put_card(0)
    control.fake_fail_read(0)
    yield control
    control.fake_put_card(0)


def test_termb_reads_a_resident_card_with_its_decoded_photo(termb: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    bmp = b"BM" + bytes(100)
    assert termb.fake_set_field(b"bmp", bmp, len(bmp)) == 1
    termb.fake_put_card(1)
    card = TermbBackend(fake_sdk["termb"]).read()
    assert card.record == RESIDENT and card.photo_image == bmp and card.reader == "termb USB 1001"


@pytest.mark.parametrize(
    ("setup", "kind", "words"),
    [
        (lambda control: None, ErrorKind.NO_CARD, "没有证件"),
        (lambda control: (control.fake_put_card(1), control.fake_fail_read(3)), ErrorKind.CARD_REMOVED, "返回 3"),
        (lambda control: (control.fake_put_card(1), gbk_fields(control, sex="X")), ErrorKind.MALFORMED, "性别"),
        (lambda control: (control.fake_put_card(1), gbk_fields(control, cert_type="J")), ErrorKind.UNREADABLE, "J"),
    ],
    ids=["no card", "pulled mid-read", "malformed", "other card type"],
)
def test_termb_failures_give_no_data(
    termb: ctypes.CDLL, fake_sdk: dict[str, Path], setup: object, kind: ErrorKind, words: str
) -> None:
    assert callable(setup)
    setup(termb)
    with pytest.raises(CardReadError) as failure:
        TermbBackend(fake_sdk["termb"]).read()
    assert failure.value.kind is kind and words in failure.value.message


def test_termb_codes_and_missing_reader(fake_sdk: dict[str, Path]) -> None:
    assert "未授权" in cvr_error(-5, "CVR_InitComm").message
    assert TermbBackend(fake_sdk["termb"], port=1002).readers() == []
    with pytest.raises(CardReadError) as failure:
        TermbBackend(fake_sdk["termb"], port=1002).read()
    assert failure.value.kind is ErrorKind.NO_READER


def test_wlt_decoder_library(fake_sdk: dict[str, Path]) -> None:
    decoder = WltDecoder(fake_sdk["wlt"])
    photo = decoder.decode(PHOTO)
    assert photo.image is not None and len(photo.image) == BMP_SIZE and photo.image[:2] == b"BM"
    corrupt = decoder.decode(b"\xff" + PHOTO[1:])
    assert corrupt.image is None and corrupt.note is not None and "-2" in corrupt.note
    missing = WltDecoder(fake_sdk["wlt"], function="no_such_function").decode(PHOTO)
    assert missing.image is None and missing.note is not None and "no_such_function" in missing.note
