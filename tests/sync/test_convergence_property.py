"""Property: several counters making random offline changes, syncing in random orders through random faults (lost
requests, lost answers, duplicate delivery), always converge to the server's state, every accepted change present
exactly once. Runs on the in-process application over SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from efangtong_core.models import CaseEvent, Petitioner, RoleGrant, SyncReceipt, User
from efangtong_core.vocabulary import Role
from sync.client import ServerUnreachable
from tests.server.conftest import ServerUnderTest
from tests.sync.live import assert_converged
from tests.sync.support import InProcessTransport, Replica, add_event, open_replica, register_petition, rows, set_phone

FAULTS = ("none", "lose_request", "lose_answer", "duplicate")
EVENTS = (("accepted", "dispatcher"), ("closed", "clerk"), ("not_accepted", "dispatcher"), ("transferred", "clerk"))


class FaultyTransport:
    """Delivers the next call with an armed fault: lost before the server, lost after it, or delivered twice."""

    def __init__(self, inner: InProcessTransport) -> None:
        self.inner = inner
        self.fault = "none"

    def _call(self, send: Any) -> Any:
        fault, self.fault = self.fault, "none"
        if fault == "lose_request":
            raise ServerUnreachable("请求丢失")
        answer = send()
        if fault == "duplicate":
            answer = send()
        if fault == "lose_answer":
            raise ServerUnreachable("答复丢失")
        return answer

    def get(self, path: str, params: dict[str, Any]) -> Any:
        """GET through the fault."""
        return self._call(lambda: self.inner.get(path, params))

    def post(self, path: str, body: Any) -> Any:
        """POST through the fault."""
        return self._call(lambda: self.inner.post(path, body))


actions = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),
        st.sampled_from(("register", "phone", "event", "sync")),
        st.sampled_from(FAULTS),
        st.integers(min_value=0, max_value=10),
    ),
    min_size=4,
    max_size=14,
)


def test_random_offline_work_with_faults_converges(server: ServerUnderTest) -> None:
    username = server.user(Role.CLERK)
    with server.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        session.add(RoleGrant(user_id=user.id, role=Role.DISPATCHER, scope_unit_id=user.org_unit_id))
        session.commit()
        user_id, unit_id = user.id, user.org_unit_id
    token = str(server.login(username)["access_token"])
    server_engine = server.sessions.kw["bind"]

    @settings(
        max_examples=10,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(plan=actions, batch=st.integers(min_value=1, max_value=6))
    def run(plan: list[tuple[int, str, str, int]], batch: int) -> None:
        with tempfile.TemporaryDirectory() as work:
            replicas: list[Replica] = []
            transports: list[FaultyTransport] = []
            for number in range(3):
                replica = open_replica(Path(work) / f"{number}.sqlite", f"pc-{number}")
                transport = FaultyTransport(InProcessTransport(server.client, token))
                replica.client(transport).sync()
                replicas.append(replica)
                transports.append(transport)
            for who, action, fault, pick in plan:
                replica = replicas[who]
                people = sorted(rows(replica.engine, Petitioner))
                petitions = sorted({event.petition_id for event in rows(replica.engine, CaseEvent).values()})
                if action == "register":
                    register_petition(replica, unit_id=unit_id, town_id=None, user_id=user_id, name=f"人{pick}")
                elif action == "phone" and people:
                    person = people[pick % len(people)]
                    if rows(replica.engine, Petitioner)[person].server_seq is not None:
                        set_phone(replica, person, f"1390477{pick:04d}")
                elif action == "event" and petitions:
                    kind, role = EVENTS[pick % len(EVENTS)]
                    add_event(replica, petitions[pick % len(petitions)], kind, role)
                elif action == "sync":
                    transports[who].fault = fault
                    with contextlib.suppress(ServerUnreachable):
                        replica.client(transports[who], batch_size=batch, page_size=7).sync()
            for _ in range(2):  # everyone online again: all push, then all pull what the others pushed
                for replica, transport in zip(replicas, transports, strict=True):
                    replica.client(transport, batch_size=batch).sync()
            assert_converged(server_engine, *replicas)
            with server.sessions() as session:
                receipts = session.scalar(select(func.count()).select_from(SyncReceipt))
                accepted = session.scalar(
                    select(func.count()).select_from(SyncReceipt).where(SyncReceipt.outcome == "accepted")
                )
            assert receipts is not None and accepted is not None and accepted <= receipts
            for replica in replicas:
                replica.engine.dispose()

    run()
