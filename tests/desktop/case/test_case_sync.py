"""Counter and server derive a case alike: actions on replicas pushed to the in-process server (both databases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from efangtong_core.db import session_factory
from efangtong_core.models import Petition, PetitionUnit, User
from efangtong_core.vocabulary import OrgUnitKind, ReplyOutcome, Role, Satisfaction
from efangtong_desktop.services import case_actions as actions
from efangtong_desktop.services.case_actions import Actor
from sync.attachments import LocalAttachmentStore
from tests.server.conftest import ServerUnderTest, server
from tests.sync.support import InProcessTransport, Replica, open_replica, register_petition

__all__ = ["server"]

DERIVED = ("state", "deadline", "lead_unit_id", "accepted_at", "closed_at", "merged_into_id", "event_count")


def _user(server: ServerUnderTest, role: Role, unit: str = "伊金霍洛旗信访局") -> tuple[str, str, str]:
    username = server.user(role, unit=unit)
    with server.sessions() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.id, user.org_unit_id, str(server.login(username)["access_token"])


def _derived(
    engine_or_sessions: Any, petition_id: str
) -> tuple[dict[str, Any], dict[str, tuple[str, str, bool, bool]]]:
    """The petition's derived columns and its unit rows (id → unit, role, signed, live) in a database."""
    with engine_or_sessions() as session:
        petition = session.get(Petition, petition_id)
        assert petition is not None
        columns = {name: getattr(petition, name) for name in DERIVED}
        for name in ("accepted_at", "closed_at"):
            if columns[name] is not None:
                columns[name] = columns[name].replace(tzinfo=None, microsecond=0)
        units = session.scalars(select(PetitionUnit).where(PetitionUnit.petition_id == petition_id))
        rows = {u.id: (u.unit_id, u.role, u.signed_at is not None, u.deleted_at is None) for u in units}
        return columns, rows


def _sync(replica: Replica, server: ServerUnderTest, token: str) -> tuple[int, int]:
    report = replica.client(InProcessTransport(server.client, token)).sync()
    return report.accepted, report.rejected


def _local(replica: Replica) -> Any:
    return session_factory(replica.engine)


def test_case_actions_on_two_counters_derive_the_same_rows_as_the_server(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    """First case: 交办 with a co-unit → 签收 → 受理; second: 转送 → 签收 → 异议退回 → 转送 to another unit."""
    clerk_id, bureau, clerk_token = _user(server, Role.CLERK)
    dispatcher_id, _, dispatcher_token = _user(server, Role.DISPATCHER)
    handler_id, town, handler_token = _user(server, Role.HANDLER, unit="札萨克镇")
    co_unit = server.unit("旗自然资源局", OrgUnitKind.DEPARTMENT)
    bureau_pc, town_pc = open_replica(tmp_path / "bureau.sqlite"), open_replica(tmp_path / "town.sqlite")
    _sync(bureau_pc, server, clerk_token)
    _, case = register_petition(bureau_pc, unit_id=bureau, town_id=town, user_id=clerk_id)
    assert _sync(bureau_pc, server, clerk_token)[1] == 0

    dispatcher = Actor(dispatcher_id, bureau, ("dispatcher",), bureau_pc.device)
    actions.route(bureau_pc.sessions, dispatcher, case, assign=True, unit_id=town, co_unit_ids=[co_unit])
    local = _derived(_local(bureau_pc), case)
    assert _sync(bureau_pc, server, dispatcher_token) == (1, 0)
    assert _derived(server.sessions, case) == local
    assert _derived(_local(bureau_pc), case) == local  # the pulled server rows replaced the local ones, no duplicates
    assert local[0]["lead_unit_id"] == town and len(local[1]) == 2

    _sync(town_pc, server, handler_token)
    handler = Actor(handler_id, town, ("handler",), town_pc.device)
    actions.sign_for(town_pc.sessions, handler, case)
    actions.accept(town_pc.sessions, handler, case, notice="已书面告知")
    local = _derived(_local(town_pc), case)
    assert local[0]["state"] == "in_progress" and local[0]["accepted_at"] is not None
    assert _sync(town_pc, server, handler_token) == (2, 0)
    assert _derived(server.sessions, case) == local
    assert {row[:3] for row in local[1].values()} == {(town, "lead", True), (co_unit, "co", False)}
    users = {
        "clerk": (clerk_id, bureau, clerk_token),
        "dispatcher": (dispatcher_id, bureau, dispatcher_token),
        "handler": (handler_id, town, handler_token),
    }
    _first_case_to_its_closing(server, (bureau_pc, town_pc), users, case, tmp_path)
    _second_case_through_a_misroute_objection(server, (bureau_pc, town_pc), users, co_unit)


def _first_case_to_its_closing(
    server: ServerUnderTest,
    pcs: tuple[Replica, Replica],
    users: dict[str, tuple[str, str, str]],
    case: str,
    tmp_path: Path,
) -> None:
    """Handling with an attachment, extension approved by the unit head, reply, evaluation at the counter, closing."""
    bureau_pc, town_pc = pcs
    head_id, town, head_token = _user(server, Role.UNIT_HEAD, unit="札萨克镇")
    handler_id, _, handler_token = users["handler"]
    handler = Actor(handler_id, town, ("handler",), town_pc.device)
    head = Actor(head_id, town, ("unit_head",), town_pc.device)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    store = LocalAttachmentStore(tmp_path / "town-blobs")
    actions.add_note(town_pc.sessions, handler, case, text="已实地走访", attachments=[photo], store=store)
    actions.request_extension(town_pc.sessions, handler, case, days=20, reason="需协调多部门")
    assert _sync(town_pc, server, handler_token) == (3, 0)  # the event, its attachment row, the request
    actions.decide_extension(town_pc.sessions, head, case, approve=True)
    assert _sync(town_pc, server, head_token) == (1, 0)
    actions.draft_reply(town_pc.sessions, handler, case, outcome=ReplyOutcome.SUPPORTED, text="支持，限期拨付。")
    assert _sync(town_pc, server, handler_token) == (1, 0)
    actions.decide_reply(town_pc.sessions, head, case, approve=True)
    assert _sync(town_pc, server, head_token) == (1, 0)
    assert _derived(server.sessions, case) == _derived(_local(town_pc), case)

    clerk_id, bureau, clerk_token = users["clerk"]
    dispatcher_id, _, dispatcher_token = users["dispatcher"]
    _sync(bureau_pc, server, clerk_token)
    actions.evaluate(bureau_pc.sessions, Actor(clerk_id, bureau, ("clerk",), bureau_pc.device), case,
                     satisfaction=Satisfaction.SATISFIED)  # fmt: skip
    assert _sync(bureau_pc, server, clerk_token) == (1, 0)
    actions.close(bureau_pc.sessions, Actor(dispatcher_id, bureau, ("dispatcher",), bureau_pc.device), case)
    local = _derived(_local(bureau_pc), case)
    assert _sync(bureau_pc, server, dispatcher_token) == (1, 0)
    assert _derived(server.sessions, case) == local
    assert local[0]["state"] == "closed" and local[0]["closed_at"] is not None and local[0]["event_count"] == 11


def _second_case_through_a_misroute_objection(
    server: ServerUnderTest, pcs: tuple[Replica, Replica], users: dict[str, tuple[str, str, str]], department: str
) -> None:
    bureau_pc, town_pc = pcs
    clerk_id, bureau, clerk_token = users["clerk"]
    dispatcher_id, _, dispatcher_token = users["dispatcher"]
    handler_id, town, handler_token = users["handler"]
    _, case = register_petition(bureau_pc, unit_id=bureau, town_id=town, user_id=clerk_id)
    _sync(bureau_pc, server, clerk_token)
    dispatcher = Actor(dispatcher_id, bureau, ("dispatcher",), bureau_pc.device)
    actions.route(bureau_pc.sessions, dispatcher, case, assign=False, unit_id=town)
    assert _sync(bureau_pc, server, dispatcher_token) == (1, 0)

    _sync(town_pc, server, handler_token)
    handler = Actor(handler_id, town, ("handler",), town_pc.device)
    actions.sign_for(town_pc.sessions, handler, case)
    actions.return_misrouted(town_pc.sessions, handler, case, reason="属自然资源部门职权")
    local = _derived(_local(town_pc), case)
    assert local[0]["state"] == "registered" and local[0]["lead_unit_id"] is None
    assert [row[3] for row in local[1].values()] == [False]  # the town's row is tombstoned
    assert _sync(town_pc, server, handler_token) == (2, 0)
    assert _derived(server.sessions, case) == local

    _sync(bureau_pc, server, dispatcher_token)
    actions.route(bureau_pc.sessions, dispatcher, case, assign=False, unit_id=department)
    local = _derived(_local(bureau_pc), case)
    assert _sync(bureau_pc, server, dispatcher_token) == (1, 0)
    assert _derived(server.sessions, case) == local
    assert {row[0]: row[3] for row in local[1].values()} == {town: False, department: True}
