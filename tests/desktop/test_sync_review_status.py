"""The counter's background sync, reviewed against issue #4 on a real server on loopback: never on the GUI thread, on
a timer, a sync asked for while one runs is not lost, the rejected count opens the list where a refused event is sent
again once the case allows it, and a client the server no longer accepts says so in Chinese and keeps its changes."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from efangtong_core.models import CaseEvent, Petition
from efangtong_core.vocabulary import Role
from efangtong_desktop.context import AppContext
from efangtong_desktop.services import sync_service as sync_service_module
from efangtong_desktop.services.sync_service import SyncService
from efangtong_desktop.views.main_window import MainWindow
from sync.client import RequestsTransport, SyncClient
from sync.outbox import pending_count
from tests.desktop.live_server import wait_until
from tests.sync.case_support import china, event
from tests.sync.live import PASSWORD, Live, live_server, sign_in
from tests.sync.support import Replica, open_replica, register_petition

DAY = date(2026, 3, 2)


@pytest.fixture
def live(sqlite_url: str, tmp_path: Path) -> Iterator[Live]:
    """A server with a bureau clerk-dispatcher and a 乌兰木伦镇 handler."""
    (tmp_path / "server").mkdir()
    with live_server(sqlite_url, tmp_path / "server") as running:
        yield running


def _signed_in(context: AppContext, live: Live, username: str) -> None:
    api = context.connect(live.proxy.base_url)
    context.sign_in_as(api.login(username, PASSWORD, device_id=str(uuid.uuid4()), device_name="柜台"))


def _replica_of(context: AppContext) -> Replica:
    return Replica(engine=context.engine, sessions=context.session_factory, device="desk")


def test_sync_runs_off_the_gui_thread_on_its_timer_and_a_request_meanwhile_is_kept(
    context: AppContext, live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    _signed_in(context, live, live.accounts.clerk)
    on_gui_thread: list[bool] = []
    original = SyncClient.sync
    held, release = threading.Event(), threading.Event()
    release.set()

    def spy(self: SyncClient) -> Any:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        report = original(self)
        held.set()
        assert release.wait(timeout=20)  # the worker, not the GUI thread, is held here
        return report

    monkeypatch.setattr(SyncClient, "sync", spy)
    service = SyncService(context, interval_ms=50)
    service.start()
    wait_until(lambda: len(on_gui_thread) >= 3)  # the first at start, then on the timer alone
    service.stop()
    wait_until(lambda: not service.running)
    assert on_gui_thread and not any(on_gui_thread)

    replica = _replica_of(context)
    held.clear()
    release.clear()
    service.sync_now()
    wait_until(held.is_set)  # this sync has pushed and pulled; it has not finished
    assert service.running
    register_petition(replica, unit_id=live.accounts.bureau, town_id=None, name="同步中登记")
    service.sync_now()  # asked for while the first runs: runs after it, and sends what was written meanwhile
    release.set()
    wait_until(lambda: not service.running and service.status.pending == 0)
    with live.engine.connect() as connection:
        names = connection.execute(select(Petition.id)).scalars().all()
    assert len(names) == 1
    assert not any(on_gui_thread)


def _clerk_registers_a_wulan_case(live: Live, tmp_path: Path) -> tuple[str, str]:
    """The bureau's counter registers a case about 乌兰木伦镇 and syncs it: (its id, the clerk's token)."""
    token = sign_in(live.server.base_url, live.accounts.clerk)
    bureau = open_replica(tmp_path / "bureau.sqlite")
    engine = bureau.client(RequestsTransport(live.server.base_url, lambda: token))
    engine.sync()
    accounts = live.accounts
    when = china(DAY, 9)
    _, petition = register_petition(bureau, unit_id=accounts.bureau, town_id=accounts.wulan, user_id=None, at=when)
    assert engine.sync().accepted == 4
    return petition, token


def test_the_rejected_count_opens_the_list_where_a_refused_event_is_sent_again(
    context: AppContext, live: Live, tmp_path: Path
) -> None:
    petition, clerk_token = _clerk_registers_a_wulan_case(live, tmp_path)
    _signed_in(context, live, live.accounts.handler)
    window = MainWindow(context)
    service = window.sync_service
    service.sync_now()
    wait_until(lambda: not service.running and service.status.last_success is not None)
    with context.engine.connect() as connection:
        assert connection.execute(select(Petition.id).where(Petition.id == petition)).scalar_one() == petition
    with _replica_of(context).session() as session:  # a write first: it waits for the lock if indexing holds it
        signed = CaseEvent(petition_id=petition, type="signed_for", role="handler", at=datetime.now(UTC), seq=2,
                           payload={}, actor_unit_id=live.accounts.wulan)  # fmt: skip
        session.add(signed)
        session.commit()
        signed_id = signed.id
    service.sync_now()
    wait_until(lambda: not service.running and service.status.rejected == 1)
    link = window.sync_status.rejected
    assert link.isVisibleTo(window) and "1 条修改被退回" in link.text()

    link.linkActivated.emit("rejected")  # the user clicks the count
    dialog = window.sync_status.dialog
    assert dialog is not None and dialog.isVisible()
    wait_until(lambda: dialog.table.rowCount() == 1)
    assert "待分办" in dialog.table.item(0, 3).text()
    assert dialog.table.item(0, 2).text() == "签收（承办员）"  # what it was, in words
    assert not dialog.retry_button.isEnabled()  # nothing chosen yet

    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=live.accounts.wulan, co_units=[],
                   deadline="2026-04-30")  # fmt: skip
    answer = httpx.post(
        f"{live.server.base_url}/api/v1/sync/push",
        json={"protocol": 1, "changes": [routed]},
        headers={"Authorization": f"Bearer {clerk_token}"},
        timeout=30,
    )
    assert answer.json()["results"][0]["outcome"] == "accepted"
    dialog.table.selectRow(0)
    assert dialog.retry_button.isEnabled()
    dialog.retry_button.click()  # sent again at once, as a new change
    wait_until(lambda: dialog.table.rowCount() == 0)
    wait_until(lambda: not service.running and service.status.rejected == 0 and service.status.pending == 0)
    assert not link.isVisibleTo(window)
    with live.engine.connect() as connection:
        state = connection.execute(select(Petition.state).where(Petition.id == petition)).scalar_one()
        on_server = connection.execute(select(CaseEvent.id).where(CaseEvent.id == signed_id)).scalar_one_or_none()
    assert (state, on_server) == ("pending_acceptance", signed_id)
    window.close()


def test_a_client_the_server_no_longer_accepts_says_so_and_keeps_its_changes(
    context: AppContext, live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    _signed_in(context, live, live.accounts.clerk)
    window = MainWindow(context)
    service = window.sync_service
    service.sync_now()
    wait_until(lambda: not service.running and service.status.last_success is not None)
    register_petition(_replica_of(context), unit_id=live.accounts.bureau, town_id=None, name="升级前登记")

    def too_old(engine: Any, transport: Any) -> SyncClient:
        return SyncClient(engine, transport, protocol=0)

    monkeypatch.setattr(sync_service_module, "SyncClient", too_old)
    service.start()
    wait_until(lambda: not service.running and service.status.stopped)
    text = window.status.sync.text()
    assert "请升级 e访通" in text and "未发送的修改已保留在本机" in text
    assert service.status.pending == 4
    with context.engine.connect() as connection:
        assert pending_count(connection) == 4
    service.sync_now()  # stopped: nothing more is tried until the client is updated
    assert not service.running
    with live.engine.connect() as connection:
        assert connection.execute(select(Petition.id)).scalars().all() == []
    window.close()


def test_the_status_bar_counts_what_waits_as_soon_as_it_is_written(context: AppContext, live: Live) -> None:
    _signed_in(context, live, live.accounts.clerk)
    window = MainWindow(context)
    window.start_services(sync=False)
    service = window.sync_service
    service.sync_now()  # the reference data; then no sync until the timer, a minute away
    wait_until(lambda: not service.running and service.status.last_success is not None)
    for number in range(2):
        register_petition(_replica_of(context), unit_id=live.accounts.bureau, town_id=None, name=f"待发送{number}")
    wait_until(lambda: service.status.pending == 8)  # no sync asked for: the count follows the writes
    assert "待发送 8 条" in window.status.sync.text() and not service.running
    window.close()
