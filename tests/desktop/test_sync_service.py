"""The counter's background sync against a real server on loopback: status bar (online/offline, pending, last sync),
a refused change shown in the list and given up, offline work sent in order once the server is back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from efangtong_core.models import Attachment, CaseEvent, Petition, SyncOutbox
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.blob_store import blob_store, path_for, put_bytes
from efangtong_desktop.services.sync_service import ApiTransport, SyncService
from efangtong_desktop.settings import load_settings
from efangtong_desktop.views.main_window import MainWindow
from tests.desktop.live_server import wait_until
from tests.sync.live import PASSWORD, Live, live_server
from tests.sync.support import Replica, add_event, register_petition


@pytest.fixture
def live(sqlite_url: str, tmp_path: Path) -> Iterator[Live]:
    """A server with a clerk, behind a proxy that can cut the line."""
    (tmp_path / "server").mkdir()
    with live_server(sqlite_url, tmp_path / "server") as running:
        yield running


def _replica_of(context: AppContext) -> Replica:
    return Replica(engine=context.engine, sessions=context.session_factory, device="desk")


def test_status_bar_rejected_list_and_offline_work(context: AppContext, live: Live) -> None:
    api = context.connect(live.proxy.base_url)
    context.sign_in_as(api.login(live.accounts.clerk, PASSWORD, device_id=str(uuid.uuid4()), device_name="柜台"))
    window = MainWindow(context)
    service = window.sync_service
    assert isinstance(service.context.api, type(api)) and ApiTransport(api).api is api

    service.sync_now()
    wait_until(lambda: not service.running and service.status.last_success is not None)
    assert window.status.connection.text().endswith("在线")
    assert "已同步" in window.status.sync.text()

    replica = _replica_of(context)
    when = datetime.now(UTC) - timedelta(minutes=2)
    _, petition = register_petition(replica, unit_id=live.accounts.bureau, town_id=None, user_id=None, at=when)
    refused = add_event(replica, petition, "closed", "clerk")
    service.sync_now()
    wait_until(lambda: not service.running and service.status.rejected == 1)
    assert window.sync_status.rejected.isVisibleTo(window) and "1 条修改被退回" in window.sync_status.rejected.text()

    dialog = window.sync_status.open_rejected()
    wait_until(lambda: dialog.table.rowCount() == 1)
    assert "不能进行「办结」" in dialog.table.item(0, 3).text()
    dialog.table.selectRow(0)
    dialog.discard_selected(confirm=False)
    wait_until(lambda: service.status.rejected == 0 and dialog.table.rowCount() == 0)
    with context.session_factory() as session:
        assert session.get(CaseEvent, refused) is None  # the server never had it: gone from the replica too

    server_port = live.proxy.target_port
    live.proxy.target_port = 9  # the line to the server is down
    for number in range(2):
        register_petition(replica, unit_id=live.accounts.bureau, town_id=None, user_id=None, name=f"离线{number}")
    service.sync_now()
    wait_until(lambda: not service.running and not service.status.online)
    assert window.status.connection.text().endswith("离线")
    assert "8 条待发送" in window.status.sync.text()

    live.proxy.target_port = server_port
    service.sync_now()
    wait_until(lambda: not service.running and service.status.online and service.status.pending == 0)
    with live.engine.connect() as connection:
        on_server = set(connection.execute(select(Petition.id)).scalars())
    with context.session_factory() as session:
        assert set(session.scalars(select(Petition.id))) == on_server
        positions = list(session.scalars(select(SyncOutbox.server_seq).where(SyncOutbox.state == "sent")))
    accepted = [seq for seq in positions if seq is not None]
    assert accepted == sorted(accepted)  # sent in the order they were written
    window.close()


def test_attachment_bytes_follow_their_rows_to_another_counter(context: AppContext, live: Live, tmp_path: Path) -> None:
    api = context.connect(live.proxy.base_url)
    context.sign_in_as(api.login(live.accounts.clerk, PASSWORD, device_id=str(uuid.uuid4()), device_name="柜台"))
    service = SyncService(context)
    service.sync_now()  # the reference data the petition refers to
    wait_until(lambda: not service.running and service.status.last_success is not None)
    replica = _replica_of(context)
    _, petition = register_petition(replica, unit_id=live.accounts.bureau, town_id=None)
    scan = put_bytes(blob_store(context.settings), "来信扫描件".encode() * 5000, name="来信.pdf", kind="scan")
    with context.session_factory() as session:
        session.add(
            Attachment(petition_id=petition, sha256=scan.sha256, size=scan.size, mime=scan.mime, kind=scan.kind)
        )
        session.commit()
    service.sync_now()
    wait_until(lambda: not service.running and service.status.pending == 0)
    assert service.last_transfer is not None and service.last_transfer.uploaded == [scan.sha256]

    other = AppContext.open(load_settings(data_dir=tmp_path / "second", server_url=live.proxy.base_url))
    try:
        other_api = other.connect(live.proxy.base_url)
        other.sign_in_as(other_api.login(live.accounts.clerk, PASSWORD, device_id=str(uuid.uuid4()), device_name="二"))
        second = SyncService(other)
        second.sync_now()
        wait_until(lambda: not second.running and second.status.last_success is not None)
        assert second.last_transfer is not None and scan.sha256 in second.last_transfer.downloaded
        stored = path_for(blob_store(other.settings), scan.sha256)
        assert stored is not None and stored.read_bytes() == "来信扫描件".encode() * 5000
    finally:
        other.close()
