"""efangtong-card: list readers, read once as JSON, and --watch events, against pcscd/vpcd and the fake SDK."""

from __future__ import annotations

import ctypes
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from efangtong_desktop.cardreader.cli import main
from efangtong_desktop.cardreader.profile import ApduProfile
from tests.desktop.cardreader.cards import EXPIRED, PHOTO, RESIDENT, text_of
from tests.support.pcscd import FIRST_READER, Pcscd, wait_for_card
from tests.support.vpcd import VirtualIdCard, VpcdCardSession

PutCard = Callable[[VirtualIdCard], VpcdCardSession]
LINE_TIMEOUT = 15.0


def wait_for_reader(name: str) -> None:
    """Until pcscd lists `name` (a freshly started pcscd announces its vpcd readers a moment after its socket)."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    try:
        deadline = time.monotonic() + LINE_TIMEOUT
        notification = ("\\\\?PnP?\\Notification", scard.SCARD_STATE_UNAWARE)
        while True:
            hresult, readers = scard.SCardListReaders(context, [])
            if hresult == scard.SCARD_S_SUCCESS and name in readers:
                return
            assert time.monotonic() < deadline, f"{name} not listed by pcscd in time"
            # Blocks until the reader list changes (or 200 ms pass), from the state last seen.
            hresult, states = scard.SCardGetStatusChange(context, 200, [notification])
            if hresult == scard.SCARD_S_SUCCESS:
                notification = (notification[0], states[0][1] & ~scard.SCARD_STATE_CHANGED)
    finally:
        scard.SCardReleaseContext(context)


def test_list_names_the_readers_and_their_profiles(pcscd: Pcscd, capsys: pytest.CaptureFixture[str]) -> None:
    wait_for_reader(FIRST_READER)
    assert main(["list"]) == 0
    assert f"1. {FIRST_READER}（配置：generic）" in capsys.readouterr().out


def test_list_finds_a_vendor_reader_on_any_usb_or_serial_port(
    fake_sdk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    control = ctypes.CDLL(str(fake_sdk["sdtapi"]))
    library = ["--backend", "sdtapi", "--library", str(fake_sdk["sdtapi"])]
    control.fake_unplug(0)
    assert main([*library, "--port", "1009", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1. sdtapi USB 1001（配置：sdtapi）",
        "2. sdtapi COM 1（配置：sdtapi）",
    ]
    control.fake_unplug(1)
    try:
        assert main([*library, "list"]) == 1
        assert "未找到读卡器" in capsys.readouterr().out
        assert main([*library, "read"]) == 1
        assert "端口打开失败" in capsys.readouterr().err
    finally:
        control.fake_unplug(0)
    assert main([*library, "--port", "2000", "read"]) == 1
    assert "端口号 2000 无效" in capsys.readouterr().err


def test_read_prints_the_card_as_json(
    put_card: PutCard, profiles: list[ApduProfile], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["read"]) == 1
    assert "没有证件" in capsys.readouterr().err
    put_card(VirtualIdCard(profiles[0], text_of(EXPIRED), PHOTO))
    wait_for_card(FIRST_READER, present=True)
    assert main(["read", "--reader", FIRST_READER]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "巴特尔" and data["id_number"] == EXPIRED.id_number and data["reader"] == FIRST_READER
    assert data["card_type"] == {"code": "resident", "label": "居民身份证"} and data["birth_date"] == "1985-03-07"
    assert data["expired"] is True and "已过期" in data["message"]
    assert data["photo_wlt"] and data["photo_image"] is None and "照片解码库" in data["photo_note"]


def test_read_through_sdtapi_with_a_photo_decoder(
    fake_sdk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    control = ctypes.CDLL(str(fake_sdk["sdtapi"]))
    control.fake_unplug(0)
    control.fake_put_card(text_of(RESIDENT), PHOTO)
    try:
        status = main(
            [
                "--backend",
                "sdtapi",
                "--library",
                str(fake_sdk["sdtapi"]),
                "--photo-decoder",
                str(fake_sdk["wlt"]),
                "read",
            ]
        )
    finally:
        control.fake_remove_card()
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reader"] == "sdtapi USB 1001" and data["valid_to"] == "2035-03-10" and data["expired"] is False
    assert data["photo_image"] and data["photo_note"] is None


def test_vendor_backends_need_a_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--backend", "termb", "read"]) == 1
    assert "--library" in capsys.readouterr().err
    assert main([]) == 2


def test_watch_prints_events_until_interrupted(put_card: PutCard, profiles: list[ApduProfile]) -> None:
    command = [sys.executable, "-m", "efangtong_desktop.cardreader.cli", "--watch"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    lines: queue.Queue[str] = queue.Queue()

    def follow() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=follow, daemon=True).start()

    def next_line_with(*words: str) -> str:
        while True:
            line = lines.get(timeout=LINE_TIMEOUT)
            if all(word in line for word in words):
                return line

    try:
        next_line_with("读卡器已连接", FIRST_READER)
        put_card(VirtualIdCard(profiles[0], text_of(RESIDENT)))
        next_line_with("证件已放上", FIRST_READER)
        read = next_line_with("证件信息已读取")
        assert "巴特尔" in read and RESIDENT.id_number in read
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=LINE_TIMEOUT) == 0
