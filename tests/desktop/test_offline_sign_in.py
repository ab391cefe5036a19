"""Offline sign-in: the last user of the PC, within the administrator's period, against a tamper-evident verifier."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.services.offline_auth import RECORD_FILENAME, OfflineSignIn, OfflineSignInRefused
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.login_dialog import LoginDialog
from efangtong_desktop.views.main_window import MainWindow
from tests.desktop.live_server import READY_PASSWORD, LiveServer, keyring_home, live_server, wait_until
from tests.desktop.test_login import sign_in
from tests.support.server import free_loopback_port

__all__ = ["keyring_home", "live_server"]
USER = SignedInUser("u1", "clerk", "柜台登记员", "unit-1", "伊金霍洛旗信访局", ("clerk",), False, offline_login_days=7)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def record(tmp_path: Path) -> OfflineSignIn:
    kept = OfflineSignIn(tmp_path, "device-1")
    kept.remember(USER, "Right#pass1", now=NOW)
    return kept


def refusal(record: OfflineSignIn, username: str, password: str, now: datetime) -> str:
    with pytest.raises(OfflineSignInRefused) as refused:
        record.sign_in(username, password, now=now)
    return str(refused.value)


def test_the_last_user_signs_in_offline_until_the_period_ends(record: OfflineSignIn) -> None:
    user, until = record.sign_in("CLERK", "Right#pass1", now=NOW + timedelta(days=6))
    assert user == USER and until == NOW + timedelta(days=7)
    assert "Right#pass1" not in record.path.read_text(encoding="utf-8"), "the password itself is never stored"
    assert refusal(record, "clerk", "Right#pass1", NOW + timedelta(days=7, minutes=1)) == texts.OFFLINE_EXPIRED.format(
        days=7
    )


def test_wrong_password_other_user_and_no_record_are_refused(record: OfflineSignIn, tmp_path: Path) -> None:
    assert refusal(record, "clerk", "Wrong#pass1", NOW) == texts.OFFLINE_WRONG_PASSWORD
    assert refusal(record, "leader", "Right#pass1", NOW) == texts.OFFLINE_OTHER_USER.format(username="clerk")
    assert refusal(OfflineSignIn(tmp_path / "empty", "device-1"), "clerk", "x", NOW) == texts.OFFLINE_NO_RECORD
    assert refusal(OfflineSignIn(tmp_path, "device-2"), "clerk", "Right#pass1", NOW) == texts.OFFLINE_NO_RECORD


def test_an_edited_record_is_refused_and_dropped(record: OfflineSignIn) -> None:
    data = json.loads(record.path.read_text(encoding="utf-8"))
    data["offline_days"] = 365
    record.path.write_text(json.dumps(data), encoding="utf-8")
    assert refusal(record, "clerk", "Right#pass1", NOW + timedelta(days=30)) == texts.OFFLINE_RECORD_TAMPERED
    assert not record.path.exists()


def test_a_clock_turned_back_is_refused(record: OfflineSignIn) -> None:
    record.sign_in("clerk", "Right#pass1", now=NOW + timedelta(days=3))
    assert refusal(record, "clerk", "Right#pass1", NOW + timedelta(days=1)) == texts.OFFLINE_CLOCK_BACK


@pytest.fixture
def context(qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path) -> Iterator[AppContext]:
    context = AppContext.open(load_settings(data_dir=tmp_path / "client", server_url=live_server.url))
    context.connect(live_server.url)
    yield context
    context.close()


def test_sign_in_online_then_offline_when_the_server_is_gone(context: AppContext, live_server: LiveServer) -> None:
    username = live_server.make_user("clerk")
    dialog = LoginDialog(context)
    sign_in(dialog, username, READY_PASSWORD)
    wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert context.online and (context.settings.data_dir / RECORD_FILENAME).is_file()
    assert context.signed_in is not None and context.signed_in.offline_login_days == 7  # the server's parameter

    context.settings = replace(context.settings, server_url=f"http://127.0.0.1:{free_loopback_port()}")  # nobody there
    context.connect(context.settings.server_url)
    wrong = LoginDialog(context)
    sign_in(wrong, username, "Wrong#pass1")
    wait_until(lambda: not wrong.busy)
    assert texts.OFFLINE_WRONG_PASSWORD in wrong.ui.messageLabel.text() and context.offline_until is None
    wrong.close()

    offline = LoginDialog(context)
    sign_in(offline, username, READY_PASSWORD)
    wait_until(lambda: offline.result() == QDialog.DialogCode.Accepted)
    assert not context.online and context.offline_until is not None
    window = MainWindow(context)
    try:
        assert window.status.connection.text() == texts.STATUS_OFFLINE
        assert "离线登录" in window.statusBar().currentMessage()
    finally:
        window.close()
