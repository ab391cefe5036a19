"""A real server subprocess on loopback for sync tests: accounts, sign-in, and the convergence check."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import (
    CaseEvent,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    RoleGrant,
    SyncOutbox,
    SyncReceipt,
    User,
)
from efangtong_core.vocabulary import OrgUnitKind, Role
from efangtong_server.auth.admin_account import bureau_unit
from efangtong_server.auth.passwords import hash_password
from sync.outbox import SENT
from tests.support.lossy_proxy import LossyProxy
from tests.support.server import RunningServer, running_server
from tests.sync.support import Replica

PASSWORD = "Counter#2026"


@dataclass(frozen=True)
class Accounts:
    """The org units and users a sync test works with."""

    bureau: str
    wulan: str
    zhasake: str
    clerk: str
    clerk_id: str
    handler: str


def prepare_accounts(engine: Engine) -> Accounts:
    """Units (bureau and two towns), a bureau clerk-dispatcher and a 乌兰木伦镇 handler, written to the database."""
    password_hash = hash_password(PASSWORD)
    with session_factory(engine)() as session:
        bureau = bureau_unit(session)
        towns = {
            name: OrgUnit(name=name, kind=OrgUnitKind.TOWN, parent_id=bureau.id) for name in ("乌兰木伦镇", "札萨克镇")
        }
        session.add_all(towns.values())
        users = {}
        for role, unit in ((Role.CLERK, bureau), (Role.HANDLER, towns["乌兰木伦镇"])):
            user = User(
                username=f"{role.value}-{uuid.uuid4().hex[:6]}",
                display_name=f"测试{role.label}",
                password_hash=password_hash,
                must_change_password=False,
                org_unit_id=unit.id,
            )
            session.add(user)
            session.flush()
            session.add(RoleGrant(user_id=user.id, role=role, scope_unit_id=unit.id))
            users[role] = user
        # In a small bureau the clerk also dispatches.
        session.add(RoleGrant(user_id=users[Role.CLERK].id, role=Role.DISPATCHER, scope_unit_id=bureau.id))
        session.commit()
        return Accounts(
            bureau=bureau.id,
            wulan=towns["乌兰木伦镇"].id,
            zhasake=towns["札萨克镇"].id,
            clerk=users[Role.CLERK].username,
            clerk_id=users[Role.CLERK].id,
            handler=users[Role.HANDLER].username,
        )


def sign_in(base_url: str, username: str) -> str:
    """An access token for `username` through the real login route."""
    answer = httpx.post(
        f"{base_url}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
        timeout=30,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


@dataclass
class Live:
    """A running server behind a lossy proxy, its database and the test's accounts."""

    db_url: str
    workdir: Path
    engine: Engine
    accounts: Accounts
    server: RunningServer
    proxy: LossyProxy

    def restart(self) -> None:
        """Start the server again on the same database after it died; the proxy follows it."""
        self._stack.__exit__(None, None, None)
        self._start()

    def _start(self) -> None:
        self._stack = running_server(self.db_url, self.workdir)
        self.server = self._stack.__enter__()
        self.proxy.target_port = int(self.server.base_url.rsplit(":", 1)[1])


@contextmanager
def live_server(db_url: str, workdir: Path) -> Iterator[Live]:
    """A server subprocess on `db_url` with accounts, behind a lossy loopback proxy."""
    engine = open_database(db_url)
    accounts = prepare_accounts(engine)
    stack = running_server(db_url, workdir)
    server = stack.__enter__()
    proxy = LossyProxy(int(server.base_url.rsplit(":", 1)[1]))
    live = Live(db_url, workdir, engine, accounts, server, proxy)
    live._stack = stack
    try:
        yield live
    finally:
        proxy.close()
        live._stack.__exit__(None, None, None)
        engine.dispose()


def assert_converged(server_engine: Engine, *replicas: Replica) -> None:
    """Every change of every replica was accepted exactly once and the replicas hold what the server holds."""
    with session_factory(server_engine)() as session:
        receipts = {row.change_id: row for row in session.scalars(select(SyncReceipt))}
        server_rows = {
            model.__tablename__: {row.id: row for row in session.scalars(select(model))}
            for model in (Petition, Petitioner, PetitionerPhone, CaseEvent)
        }
        duplicates = session.execute(
            select(CaseEvent.petition_id, CaseEvent.type, CaseEvent.at, func.count())
            .group_by(CaseEvent.petition_id, CaseEvent.type, CaseEvent.at)
            .having(func.count() > 1)
        ).all()
    assert duplicates == [], "an event was applied twice"
    for replica in replicas:
        with session_factory(replica.engine)() as local:
            outbox = list(local.scalars(select(SyncOutbox)))
            assert [entry.state for entry in outbox if entry.state not in (SENT, "rejected")] == []
            for entry in outbox:
                receipt = receipts.get(entry.change_id)
                assert receipt is not None, f"change {entry.change_id} never reached the server"
                assert receipt.outcome == ("accepted" if entry.state == SENT else "rejected")
                if entry.state == SENT:
                    assert entry.row_id in server_rows[entry.table_name]
            for model in (Petition, Petitioner, PetitionerPhone, CaseEvent):
                mine = {row.id: row for row in local.scalars(select(model))}
                theirs = server_rows[model.__tablename__]
                accepted = {row_id for row_id in mine if row_id in theirs}
                rejected_only = set(mine) - accepted
                assert all(e.state == "rejected" for e in outbox if e.row_id in rejected_only), (
                    f"{model.__tablename__}: local rows the server does not have"
                )
                assert set(theirs) <= set(mine), f"{model.__tablename__}: rows the replica did not receive"
                for row_id in accepted:
                    assert mine[row_id].server_seq == theirs[row_id].server_seq, f"{model.__tablename__} {row_id}"
