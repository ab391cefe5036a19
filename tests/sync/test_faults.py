"""Fault tests on a real server subprocess on loopback (SQLite and PostgreSQL): lost answers, duplicate delivery,
kill -9 of the client mid-push and mid-pull, server killed mid-batch, a wrong counter clock. After each fault a
resync converges: nothing lost, nothing applied twice."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from efangtong_core.models import Petition, PetitionerPhone, RecordHistory, SyncReceipt, replicated_tables
from efangtong_core.models.sync import SyncState
from sync.client import CURSOR, RequestsTransport, ServerUnreachable, SyncClient
from sync.outbox import pending_count, rejected_changes
from tests.sync.live import Live, assert_converged, live_server, sign_in
from tests.sync.support import Replica, add_event, open_replica, register_petition, rows, set_phone

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live(db_url: str, tmp_path: Path) -> Iterator[Live]:
    """A server on `db_url` (both databases) behind a lossy proxy."""
    with live_server(db_url, tmp_path) as running:
        yield running


def _engine(live: Live, replica: Replica, token: str, **options: object) -> SyncClient:
    return replica.client(RequestsTransport(live.proxy.base_url, lambda: token), **options)


def _counter_with_cases(live: Live, tmp_path: Path, token: str, cases: int, name: str = "a") -> Replica:
    replica = open_replica(tmp_path / f"{name}.sqlite")
    _engine(live, replica, token).sync()
    for number in range(cases):
        accounts = live.accounts
        register_petition(
            replica, unit_id=accounts.bureau, town_id=accounts.wulan, user_id=accounts.clerk_id, name=f"信访人{number}"
        )
    return replica


def _receipt_count(live: Live) -> int:
    with live.engine.connect() as connection:
        return len(connection.execute(select(SyncReceipt.change_id)).all())


def test_lost_answers_and_duplicate_delivery_converge(live: Live, tmp_path: Path) -> None:
    token = sign_in(live.server.base_url, live.accounts.clerk)
    replica = _counter_with_cases(live, tmp_path, token, cases=3)
    engine = _engine(live, replica, token, batch_size=5)
    live.proxy.arm("/sync/push", "lose_answer")
    with pytest.raises(ServerUnreachable):
        engine.sync()  # the server committed the first batch; its answer never arrived
    with replica.engine.connect() as connection:
        assert pending_count(connection) == 12  # nothing marked sent without an answer
    live.proxy.arm("/sync/push", "duplicate")
    live.proxy.arm("/sync/pull", "lose_answer")
    with pytest.raises(ServerUnreachable):
        engine.sync()
    engine.sync()
    assert len(live.proxy.log.faults) == 3
    assert _receipt_count(live) == 12
    assert_converged(live.engine, replica)


def _run_child(replica: Path, live: Live, token: str, stop: str, *sizes: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tests.sync.client_process", str(replica), live.proxy.base_url, token, stop]
    return subprocess.Popen([*command, *map(str, sizes)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def _kill_when_blocked(child: subprocess.Popen[bytes], timeout: float = 60.0) -> list[str]:
    """Read the child's lines until it reports `blocked`, then SIGKILL it; returns the lines."""
    assert child.stdout is not None
    output = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while b"blocked\n" not in output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"child never blocked: {output!r}"
            if selector.select(remaining):
                chunk = os.read(child.stdout.fileno(), 4096)
                assert chunk, f"child exited: {output!r}"
                output += chunk
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    return output.decode().split()


def test_client_killed_mid_push_resends_and_converges(live: Live, tmp_path: Path) -> None:
    token = sign_in(live.server.base_url, live.accounts.clerk)
    replica = _counter_with_cases(live, tmp_path, token, cases=4)
    child = _run_child(tmp_path / "a.sqlite", live, token, "after-push-answer:2", 5)
    assert _kill_when_blocked(child)[-3:] == ["answered", "2", "blocked"]
    assert _receipt_count(live) == 10  # two batches committed on the server…
    with replica.engine.connect() as connection:
        assert pending_count(connection) == 11  # …but only the first answer was recorded before the kill
    _engine(live, replica, token, batch_size=5).sync()
    assert _receipt_count(live) == 16
    assert_converged(live.engine, replica)


def test_client_killed_mid_pull_keeps_cursor_and_rows_together(live: Live, tmp_path: Path) -> None:
    token = sign_in(live.server.base_url, live.accounts.clerk)
    writer = _counter_with_cases(live, tmp_path, token, cases=5, name="writer")
    _engine(live, writer, token).sync()
    reader = open_replica(tmp_path / "reader.sqlite")
    child = _run_child(tmp_path / "reader.sqlite", live, token, "mid-pull-apply:3", 200, 4)
    assert _kill_when_blocked(child)[-3:] == ["page", "3", "blocked"]
    with reader.engine.connect() as connection:
        cursor = int(connection.execute(select(SyncState.value).where(SyncState.key == CURSOR)).scalar_one())
        applied = [
            seq for table in replicated_tables() for seq in connection.execute(select(table.c.server_seq)).scalars()
        ]
    assert len(applied) == 8 and max(applied) == cursor  # two pages of four; the killed third left nothing behind
    _engine(live, reader, token, page_size=4).sync()
    assert_converged(live.engine, writer, reader)


def test_server_killed_mid_batch_restarts_and_converges(live: Live, tmp_path: Path) -> None:
    token = sign_in(live.server.base_url, live.accounts.clerk)
    replica = _counter_with_cases(live, tmp_path, token, cases=6)
    process = live.server.process
    live.proxy.arm("/sync/push", "on_forward", hook=process.kill)
    with pytest.raises(ServerUnreachable):
        _engine(live, replica, token, batch_size=24).sync()
    assert process.wait(timeout=30) == -signal.SIGKILL
    live.restart()
    _engine(live, replica, token, batch_size=24).sync()
    assert_converged(live.engine, replica)


def test_a_wrong_counter_clock_changes_nothing_about_order(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_in(live.server.base_url, live.accounts.clerk)
    fast = _counter_with_cases(live, tmp_path, token, cases=1, name="fast")
    sync_fast = _engine(live, fast, token)
    sync_fast.sync()
    slow = open_replica(tmp_path / "slow.sqlite")
    sync_slow = _engine(live, slow, token)
    sync_slow.sync()
    [person] = [p.petitioner_id for p in rows(fast.engine, PetitionerPhone).values()]
    [petition] = list(rows(fast.engine, Petition))
    # The fast counter's clock is two days ahead: its edit claims to be newest but reaches the server first.
    monkeypatch.setattr("sync.outbox.utcnow", lambda: datetime.now(UTC) + timedelta(days=2))
    set_phone(fast, person, "13811111111")
    sync_fast.sync()
    monkeypatch.setattr("sync.outbox.utcnow", lambda: datetime.now(UTC) - timedelta(days=2))
    set_phone(slow, person, "13822222222")
    # The slow counter's event is dated before the registration: rejected with a reason the clerk sees.
    add_event(slow, petition, "accepted", "dispatcher", at=datetime.now(UTC) - timedelta(days=2))
    sync_slow.sync()
    sync_fast.sync()
    for replica in (fast, slow):
        assert [p.phone for p in rows(replica.engine, PetitionerPhone).values()] == ["13822222222"]
    with slow.engine.connect() as connection:
        [rejected] = rejected_changes(connection)
    assert rejected.code == "out_of_order" and rejected.reason is not None and "早于本件上一事件" in rejected.reason
    with live.engine.connect() as connection:
        history = connection.execute(select(RecordHistory.old_value).where(RecordHistory.field == "phone")).all()
    assert [h.old_value for h in history] == ["13811111111"]
    assert_converged(live.engine, fast, slow)
