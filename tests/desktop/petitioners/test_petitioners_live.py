"""End to end on a real server on loopback: a profile opened on the 信访人 page while the line is down is audited on
the server once the counter's background sync gets through."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from efangtong_core.models import AuditLog
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.sync_service import SyncService
from efangtong_desktop.views.petitioners.page import PetitionersPage
from tests.desktop.live_server import wait_until
from tests.sync.live import PASSWORD, Live, live_server
from tests.sync.support import Replica, register_petition

WAIT_MS = 20_000


@pytest.fixture
def live(sqlite_url: str, tmp_path: Path) -> Iterator[Live]:
    """A server with a clerk, behind a proxy that can cut the line."""
    (tmp_path / "server").mkdir()
    with live_server(sqlite_url, tmp_path / "server") as running:
        yield running


def test_a_profile_viewed_offline_is_audited_after_the_next_sync(qtbot: QtBot, context: AppContext, live: Live) -> None:
    api = context.connect(live.proxy.base_url)
    context.sign_in_as(api.login(live.accounts.clerk, PASSWORD, device_id=str(uuid.uuid4()), device_name="柜台"))
    service = SyncService(context)
    service.sync_now()
    wait_until(lambda: not service.running and service.status.last_success is not None)
    replica = Replica(engine=context.engine, sessions=context.session_factory, device="desk")
    person, _ = register_petition(replica, unit_id=live.accounts.bureau, town_id=None, name="乌日娜")
    service.sync_now()
    wait_until(lambda: not service.running and service.status.pending == 0)

    server_port = live.proxy.target_port
    live.proxy.target_port = 9  # the line to the server is down
    context.online = False
    page = PetitionersPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.searched, timeout=WAIT_MS):
        page.ui.queryEdit.setText("乌日娜")
        page.search()
    with qtbot.waitSignal(page.profile_shown, timeout=WAIT_MS):
        page.open_row(0)
    service.sync_now()
    wait_until(lambda: not service.running and not service.status.online)
    with live.engine.connect() as connection:
        reads = select(AuditLog).where(AuditLog.entity_id == person, AuditLog.action == "read")
        assert connection.execute(reads).all() == []  # nothing reached the server yet

    live.proxy.target_port = server_port
    service.sync_now()
    wait_until(lambda: not service.running and service.status.online and service.status.pending == 0)
    with live.engine.connect() as connection:
        (row,) = connection.execute(reads).all()
    assert row.username == live.accounts.clerk and row.user_id == live.accounts.clerk_id
    assert row.details["online"] is False
