"""The vendor-SDK backends (sdtapi, termb) through ctypes, against stand-in libraries compiled by the test."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import pytest

from efangtong_desktop.cardreader import texts
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
    control.fake_text_length(256)
    yield control
    control.fake_remove_card()
    control.fake_unplug(0)
    control.fake_text_length(256)


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
        (
            lambda control: (put(control, text_of(RESIDENT)), control.fake_text_length(200)),
            ErrorKind.UNREADABLE,
            "只返回了200字节",
        ),
    ],
    ids=["no card", "unplugged", "pulled mid-read", "malformed", "short record"],
)
def test_sdtapi_failures_give_no_data(
    sdt: ctypes.CDLL, fake_sdk: dict[str, Path], setup: object, kind: ErrorKind, words: str
) -> None:
    assert callable(setup)
    setup(sdt)
    with pytest.raises(CardReadError) as failure:
        SdtapiBackend(fake_sdk["sdtapi"]).read()
    assert failure.value.kind is kind and words in failure.value.message


SDT_DOCUMENTED_CODES = (
    *(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x09, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x34),
    *(0x37, 0x3F, 0x40, 0x41, 0x47, 0x50, 0x60, 0x61, 0x66, 0x80, 0x81, 0x91),
)
"""The failure codes the vendors' sdtapi interface documents list (0x90 success and 0x9F card found aside)."""


@pytest.mark.parametrize("code", SDT_DOCUMENTED_CODES, ids=lambda code: f"0x{code:02X}")
def test_every_documented_sdtapi_code_has_its_own_chinese_message(code: int) -> None:
    error = sdt_error(code, "SDT_ReadBaseMsg")
    assert "未知" not in error.message.replace("无法识别的错误", "")
    assert f"SDT_ReadBaseMsg 返回 0x{code:02X}" in error.message
    assert any("\u4e00" <= char <= "\u9fff" for char in error.message.split("（")[0])


def test_sdtapi_codes_say_what_kind_of_failure_they_are() -> None:
    assert sdt_error(0x01, "SDT_OpenPort").kind is ErrorKind.NO_READER
    assert "超时" in sdt_error(0x02, "SDT_StartFindIDCard").message
    assert sdt_error(0x80, "SDT_StartFindIDCard").kind is ErrorKind.NO_CARD
    assert sdt_error(0x41, "SDT_ReadBaseMsg").kind is ErrorKind.CARD_REMOVED
    assert sdt_error(0x40, "SDT_ReadBaseMsg").kind is ErrorKind.UNREADABLE
    assert "安全模块" in sdt_error(0x60, "SDT_OpenPort").message
    assert "未知的错误码 0x77" in sdt_error(0x77, "SDT_ReadBaseMsg").message


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (0x41, ErrorKind.CARD_REMOVED),
        (0x33, ErrorKind.UNREADABLE),
        (0x40, ErrorKind.UNREADABLE),
        (0x24, ErrorKind.SDK),
        (0x77, ErrorKind.SDK),
    ],
    ids=lambda value: f"0x{value:02X}" if isinstance(value, int) else str(value),
)
def test_a_failing_read_gives_the_codes_message_and_no_data(
    sdt: ctypes.CDLL, fake_sdk: dict[str, Path], code: int, kind: ErrorKind
) -> None:
    put(sdt, text_of(RESIDENT))
    sdt.fake_fail_read(code)  # half a record lands in the buffers, then the call fails
    with pytest.raises(CardReadError) as failure:
        SdtapiBackend(fake_sdk["sdtapi"]).read()
    assert failure.value.kind is kind and f"0x{code:02X}" in failure.value.message


@pytest.mark.parametrize("port", [1001, 1016, 1, 16])
def test_usb_and_serial_port_numbers_are_accepted(fake_sdk: dict[str, Path], port: int) -> None:
    assert SdtapiBackend(fake_sdk["sdtapi"], port=port).port == port
    assert TermbBackend(fake_sdk["termb"], port=port).port == port


@pytest.mark.parametrize("port", [0, 17, 1000, 1017, 2000, -1])
def test_other_port_numbers_are_refused_in_chinese(fake_sdk: dict[str, Path], port: int) -> None:
    for backend in (SdtapiBackend, TermbBackend):
        with pytest.raises(CardReadError, match="USB 口为 1001–1016，串口为 1–16") as refused:
            backend(fake_sdk[backend.__name__.removesuffix("Backend").lower()], port=port)
        assert refused.value.kind is ErrorKind.CONFIG


def test_scanning_finds_the_reader_on_every_port_that_answers(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    backend = SdtapiBackend(fake_sdk["sdtapi"], port=1005)
    assert backend.readers() == [], "nothing on the configured port"
    assert backend.scan() == ["sdtapi USB 1001", "sdtapi COM 1"]
    assert backend.port == 1005, "the configured port is kept"
    assert TermbBackend(fake_sdk["termb"]).scan() == ["termb USB 1001", "termb COM 1"]
    sdt.fake_unplug(1)
    assert backend.scan() == []


def test_sdtapi_libraries_that_cannot_be_used(fake_sdk: dict[str, Path]) -> None:
    with pytest.raises(CardReadError, match="未找到读卡器厂商动态库"):
        SdtapiBackend(fake_sdk["sdtapi"].with_name("missing.so"))
    with pytest.raises(CardReadError, match="缺少函数 SDT_OpenPort"):
        SdtapiBackend(fake_sdk["wlt"])


READER = "sdtapi USB 1001"


def test_sdtapi_watch_reports_insert_read_and_removal(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    backend, recorder = SdtapiBackend(fake_sdk["sdtapi"]), EventRecorder()
    backend.start(recorder)
    try:
        recorder.wait_for(lambda event: event == ReaderAttached(READER))
        put(sdt, text_of(RESIDENT))
        read = recorder.wait_for(lambda event: isinstance(event, RecordRead))
        assert isinstance(read, RecordRead) and read.card.record == RESIDENT
        assert CardInserted(READER) in recorder.events
        sdt.fake_remove_card()
        recorder.wait_for(lambda event: event == CardRemoved(READER))
        mark = recorder.mark()
        put(sdt, text_of(RESIDENT), b"\x01" * 1024)  # the same card again: read again
        again = recorder.wait_for(lambda event: isinstance(event, RecordRead), after=mark)
        assert isinstance(again, RecordRead) and again.card.photo_wlt == b"\x01" * 1024
    finally:
        backend.stop()


def test_sdtapi_watch_unplugged_and_plugged_in_again(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    """Unplugged with a card on it: the card is gone and the reader detached, as PC/SC says it (no read error that
    would wipe a card already shown); plugged in again: attached, and the card on it is read."""
    backend, recorder = SdtapiBackend(fake_sdk["sdtapi"]), EventRecorder()
    put(sdt, text_of(RESIDENT))
    backend.start(recorder)
    try:
        recorder.wait_for(lambda event: isinstance(event, RecordRead))
        mark = recorder.mark()
        sdt.fake_unplug(1)
        recorder.wait_for(lambda event: event == ReaderDetached(READER), after=mark)
        assert recorder.events[mark:] == [CardRemoved(READER), ReaderDetached(READER)]
        mark = recorder.mark()
        sdt.fake_unplug(0)
        recorder.wait_for(lambda event: isinstance(event, RecordRead), after=mark)
        assert recorder.events[mark : mark + 2] == [ReaderAttached(READER), CardInserted(READER)]
    finally:
        backend.stop()


def test_a_read_on_demand_uses_the_port_the_watch_holds(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    """F2 (and listing) while the page watches the reader: the watched port is used, not closed under the watch
    (which would then report the reader unplugged and attached again, and read the card a second time)."""
    backend, recorder = SdtapiBackend(fake_sdk["sdtapi"]), EventRecorder()
    put(sdt, text_of(RESIDENT))
    backend.start(recorder)
    try:
        recorder.wait_for(lambda event: isinstance(event, RecordRead))
        mark = recorder.mark()
        assert backend.read().record == RESIDENT
        assert backend.readers() == [READER] and backend.scan() == [READER]
        sdt.fake_remove_card()
        recorder.wait_for(lambda event: event == CardRemoved(READER), after=mark)
        put(sdt, text_of(RESIDENT))
        recorder.wait_for(lambda event: isinstance(event, RecordRead), after=mark)
        kinds = [type(event) for event in recorder.events[mark:]]
        assert kinds == [CardRemoved, CardInserted, RecordRead], recorder.events[mark:]
    finally:
        backend.stop()
    assert backend.readers() == [READER], "after the watch the port opens and closes again"


def test_sdtapi_read_pulled_mid_read_in_the_watch(sdt: ctypes.CDLL, fake_sdk: dict[str, Path]) -> None:
    backend, recorder = SdtapiBackend(fake_sdk["sdtapi"]), EventRecorder()
    backend.start(recorder)
    try:
        recorder.wait_for(lambda event: event == ReaderAttached(READER))
        sdt.fake_fail_read(0x41)
        put(sdt, text_of(RESIDENT))  # SDT_ReadBaseMsg fails half-way and the card is gone
        failed = recorder.wait_for(lambda event: isinstance(event, ReadFailed))
        assert isinstance(failed, ReadFailed) and failed.reader == READER
        assert failed.error.kind is ErrorKind.CARD_REMOVED and "被移开" in failed.error.message
        recorder.wait_for(lambda event: event == CardRemoved(READER))
        assert not any(isinstance(event, RecordRead) for event in recorder.events)
        assert ReaderDetached(READER) not in recorder.events
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
    control.fake_force_authenticate(0)
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


@pytest.mark.parametrize(
    ("function", "code", "kind", "words"),
    [
        ("CVR_InitComm", 2, ErrorKind.NO_READER, "端口打开失败"),
        ("CVR_InitComm", 0, ErrorKind.NO_READER, "端口打开失败"),
        ("CVR_InitComm", -2, ErrorKind.SDK, "动态库"),
        ("CVR_Authenticate", 2, ErrorKind.NO_CARD, "没有证件"),
        ("CVR_Authenticate", 3, ErrorKind.CARD_REMOVED, "选取证件失败"),
        ("CVR_Authenticate", 4, ErrorKind.NO_READER, "读卡器未连接"),
        ("CVR_Read_Content", 0, ErrorKind.CARD_REMOVED, "读取证件信息失败"),
        ("CVR_Read_Content", 3, ErrorKind.CARD_REMOVED, "被移开"),
        ("CVR_Read_Content", 99, ErrorKind.SDK, "异常"),
        ("CVR_Read_Content", -5, ErrorKind.SDK, "未授权"),
        ("GetPeopleName", 0, ErrorKind.UNREADABLE, "尚未读取"),
        ("CVR_Authenticate", 77, ErrorKind.SDK, "未知的错误码 77"),
    ],
)
def test_termb_codes_mean_what_the_function_that_returned_them_says(
    function: str, code: int, kind: ErrorKind, words: str
) -> None:
    error = cvr_error(code, function)
    assert error.kind is kind and words in error.message and function in error.message


def test_every_termb_code_has_a_chinese_message() -> None:
    for function, codes in texts.CVR_CODES.items():
        for code, message in codes.items():
            assert any("\u4e00" <= char <= "\u9fff" for char in message), (function, code)
            assert "未知的错误码" not in cvr_error(code, function if function != "Get" else "GetPeopleSex").message


def test_termb_select_failures_while_watching_are_no_card_and_a_lost_reader_raises(
    termb: ctypes.CDLL, fake_sdk: dict[str, Path]
) -> None:
    backend = TermbBackend(fake_sdk["termb"])
    backend.open()
    try:
        for code, present in ((1, True), (2, False), (3, False)):
            termb.fake_force_authenticate(code)
            assert backend.card_present() is present
        termb.fake_force_authenticate(4)
        with pytest.raises(CardReadError) as lost:
            backend.card_present()
        assert lost.value.kind is ErrorKind.NO_READER
    finally:
        termb.fake_force_authenticate(0)
        backend.close()


def test_termb_missing_reader(fake_sdk: dict[str, Path]) -> None:
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
