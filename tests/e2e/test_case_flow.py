"""End to end (both databases): a real server on loopback and three counter replicas — the bureau's counter (clerk and
dispatcher), 乌兰木伦镇's PC (its handler and its unit head, signing in in turn) and 札萨克镇's PC — syncing through the
real sync client, taking cases through the regulation's steps with the counter's own case actions.

Case 1: registration → 交办 to 乌兰木伦镇 → 签收 → 受理 → a handling note with a photo → 申请延期 → approval by the
unit head → draft reply → 出具处理意见书 → 评价 → 办结. Case 2: about 札萨克镇 but sent to 乌兰木伦镇 by mistake →
签收 → 异议退回 → re-assigned to 札萨克镇 → 签收 → 受理. The case number reaches every replica that may see the case,
乌兰木伦镇 never receives 札萨克镇's case once it is gone from there, and the petitioner's SMS notices are queued.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from efangtong_core.db import open_database, session_factory
from efangtong_core.idnumber import make_id_number
from efangtong_core.models import Attachment, ContentCategory, OrgUnit, Petition, RoleGrant, SmsMessage, User
from efangtong_core.sms_notices import ACCEPTED, REPLIED, ROUTED
from efangtong_core.vocabulary import OrgUnitKind, ReplyOutcome, Role, Satisfaction, Sex
from efangtong_desktop.services import case_actions as act
from efangtong_desktop.services.attachment_sync import transfer_attachments
from efangtong_desktop.services.registration import Registrar, register_petition
from efangtong_desktop.services.registration_form import PersonInput, RegistrationInput
from efangtong_server.auth.admin_account import bureau_unit
from efangtong_server.auth.passwords import hash_password
from sync.attachments import AttachmentTransfer, LocalAttachmentStore
from sync.client import RequestsTransport, SyncClient
from tests.support.server import running_server
from tests.sync.live import sign_in
from tests.sync.support import Replica, open_replica

PASSWORD = "Counter#2026"


@dataclass(frozen=True)
class Account:
    """A user of the test: username, id, unit and roles."""

    username: str
    user_id: str
    unit_id: str
    roles: tuple[str, ...]


def _accounts(engine: Engine) -> dict[str, Account]:
    """The bureau's clerk-dispatcher, 乌兰木伦镇's handler and unit head, 札萨克镇's handler."""
    password_hash = hash_password(PASSWORD)
    with session_factory(engine)() as session:
        bureau = bureau_unit(session)
        towns = {
            name: OrgUnit(name=name, kind=OrgUnitKind.TOWN, parent_id=bureau.id) for name in ("乌兰木伦镇", "札萨克镇")
        }
        session.add_all(towns.values())
        roads = ContentCategory(code="93", name="城乡建设")
        session.add(roads)
        session.flush()
        session.add(ContentCategory(code="9301", name="道路交通", parent_id=roads.id))
        wanted = {
            "counter": (bureau.id, (Role.CLERK, Role.DISPATCHER)),
            "handler_a": (towns["乌兰木伦镇"].id, (Role.HANDLER,)),
            "head_a": (towns["乌兰木伦镇"].id, (Role.UNIT_HEAD,)),
            "handler_b": (towns["札萨克镇"].id, (Role.HANDLER,)),
        }
        accounts = {}
        for key, (unit_id, roles) in wanted.items():
            user = User(username=f"{key}-{uuid.uuid4().hex[:6]}", display_name=key, password_hash=password_hash,
                        must_change_password=False, org_unit_id=unit_id)  # fmt: skip
            session.add(user)
            session.flush()
            session.add_all(RoleGrant(user_id=user.id, role=role, scope_unit_id=unit_id) for role in roles)
            accounts[key] = Account(user.username, user.id, unit_id, tuple(role.value for role in roles))
        session.commit()
        return accounts


@dataclass
class Counter:
    """A counter PC: its replica, blob store and the user signed in on it now."""

    replica: Replica
    store: LocalAttachmentStore
    base_url: str
    account: Account
    token: str = ""

    def sign_in(self, account: Account) -> None:
        """Another user signs in on this PC."""
        self.account, self.token = account, sign_in(self.base_url, account.username)

    @property
    def actor(self) -> act.Actor:
        """The signed-in user as the case actions see them."""
        a = self.account
        return act.Actor(user_id=a.user_id, unit_id=a.unit_id, roles=a.roles, device_id=self.replica.device)

    def sync(self) -> None:
        """One sync run as the desktop does it: rows both ways, then attachment bytes; nothing may be refused."""
        client = SyncClient(self.replica.engine, RequestsTransport(self.base_url, lambda: self.token))
        report = client.sync()
        assert report.rejected == 0, f"{self.account.username}: changes refused"
        transfer = AttachmentTransfer(
            self.base_url, self.store, auth_headers=lambda: {"Authorization": f"Bearer {self.token}"}
        )
        transfer_attachments(self.replica.engine, transfer)

    def petition(self, petition_id: str) -> Petition | None:
        """The replica's row of a petition (None if it does not have it)."""
        with session_factory(self.replica.engine)() as session:
            row = session.get(Petition, petition_id)
            if row is not None:
                session.expunge(row)
            return row


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[tuple[Engine, dict[str, Account], dict[str, Counter]]]:
    """The server on `db_url` and three counter PCs, each signed in and synced once."""
    engine = open_database(db_url)
    accounts = _accounts(engine)
    try:
        with running_server(db_url, tmp_path) as server:
            pcs = {}
            for name, first_user in (("bureau", "counter"), ("town_a", "handler_a"), ("town_b", "handler_b")):
                replica = open_replica(tmp_path / f"{name}.sqlite", f"pc-{name}")
                pc = Counter(
                    replica, LocalAttachmentStore(tmp_path / f"{name}-blobs"), server.base_url, accounts[first_user]
                )
                pc.sign_in(accounts[first_user])
                pc.sync()
                pcs[name] = pc
            yield engine, accounts, pcs
    finally:
        engine.dispose()


def _register(pc: Counter, town_id: str, content: str) -> str:
    with session_factory(pc.replica.engine)() as session:
        category = session.scalar(select(ContentCategory.id).where(ContentCategory.code == "9301"))
    id_number = make_id_number("150627", date(1968, 5, 4), 31, Sex.MALE)
    data = RegistrationInput(
        petitioner=PersonInput(name="王建军", id_number=id_number, sex="male", phones=("13904770001",)),
        form="visit",
        purpose="request",
        category_id=category,
        town_id=town_id,
        content=content,
    )
    registrar = Registrar(user_id=pc.account.user_id, unit_id=pc.account.unit_id, device_id=pc.replica.device)
    result = register_petition(pc.replica.sessions, data, registrar, store=pc.store)
    assert result.provisional_number  # what the counter shows until the server's number arrives
    return result.petition_id


def _sms(engine: Engine, petition_id: str) -> list[str]:
    with session_factory(engine)() as session:
        query = select(SmsMessage.template_code).where(SmsMessage.petition_id == petition_id)
        return list(session.scalars(query.order_by(SmsMessage.created_at)))


def test_two_cases_through_the_counter_and_a_town(
    world: tuple[Engine, dict[str, Account], dict[str, Counter]], tmp_path: Path
) -> None:
    engine, accounts, pcs = world
    bureau, town_a, town_b = pcs["bureau"], pcs["town_a"], pcs["town_b"]
    wulan, zhasake = accounts["handler_a"].unit_id, accounts["handler_b"].unit_id

    # Case 1 -------------------------------------------------------------------------------------------------------
    first = _register(bureau, wulan, "反映村道多处塌陷，雨天无法通行。")
    assert bureau.petition(first).case_number is None  # type: ignore[union-attr]
    bureau.sync()
    case_number = bureau.petition(first).case_number  # type: ignore[union-attr]
    assert case_number is not None and case_number.startswith("伊信〔")
    act.route(bureau.replica.sessions, bureau.actor, first, assign=True, unit_id=wulan)
    bureau.sync()

    town_a.sync()
    assert town_a.petition(first).case_number == case_number  # type: ignore[union-attr]
    sessions = town_a.replica.sessions
    act.sign_for(sessions, town_a.actor, first)
    act.accept(sessions, town_a.actor, first, notice="已书面告知信访人")
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"road" * 256)
    act.add_note(sessions, town_a.actor, first, text="现场查看，塌陷三处", attachments=[photo], store=town_a.store)
    act.request_extension(sessions, town_a.actor, first, days=20, reason="需协调交通部门共同处理")
    town_a.sync()
    town_a.sign_in(accounts["head_a"])
    town_a.sync()
    act.decide_extension(sessions, town_a.actor, first, approve=True)
    town_a.sync()
    town_a.sign_in(accounts["handler_a"])
    town_a.sync()
    act.draft_reply(sessions, town_a.actor, first, outcome=ReplyOutcome.SUPPORTED, text="已安排修复，月底前完工。")
    town_a.sync()
    town_a.sign_in(accounts["head_a"])
    town_a.sync()
    act.decide_reply(sessions, town_a.actor, first, approve=True)
    town_a.sync()

    bureau.sync()
    assert bureau.petition(first).state == "replied"  # type: ignore[union-attr]
    with session_factory(bureau.replica.engine)() as session:
        [attachment] = session.scalars(select(Attachment).where(Attachment.petition_id == first)).all()
    assert bureau.store.has(attachment.sha256)  # the photo's bytes came down with the row
    act.evaluate(bureau.replica.sessions, bureau.actor, first, satisfaction=Satisfaction.SATISFIED)
    act.close(bureau.replica.sessions, bureau.actor, first, note="群众满意，办结")
    bureau.sync()
    town_a.sync()
    assert town_a.petition(first).state == "closed"  # type: ignore[union-attr]
    assert _sms(engine, first) == [ROUTED, ACCEPTED, REPLIED]

    # Case 2 -------------------------------------------------------------------------------------------------------
    town_a.sign_in(accounts["handler_a"])
    second = _register(bureau, zhasake, "反映札萨克镇某煤矿拖欠运输费用。")
    act.route(bureau.replica.sessions, bureau.actor, second, assign=True, unit_id=wulan)  # the wrong town
    bureau.sync()
    town_a.sync()
    assert town_a.petition(second) is not None
    act.sign_for(town_a.replica.sessions, town_a.actor, second)
    act.return_misrouted(town_a.replica.sessions, town_a.actor, second, reason="属札萨克镇辖区，非本镇职权")
    town_a.sync()
    bureau.sync()
    assert bureau.petition(second).state == "registered"  # type: ignore[union-attr]
    act.route(bureau.replica.sessions, bureau.actor, second, assign=True, unit_id=zhasake)
    bureau.sync()
    town_b.sync()
    assert town_b.petition(second).case_number == bureau.petition(second).case_number  # type: ignore[union-attr]
    act.sign_for(town_b.replica.sessions, town_b.actor, second)
    act.accept(town_b.replica.sessions, town_b.actor, second)
    town_b.sync()
    bureau.sync()
    assert bureau.petition(second).state == "in_progress"  # type: ignore[union-attr]
    assert bureau.petition(second).lead_unit_id == zhasake  # type: ignore[union-attr]
    assert _sms(engine, second) == [ROUTED, ROUTED, ACCEPTED]

    # 札萨克镇 never sees 乌兰木伦镇's case; once 乌兰木伦镇 gave case 2 back, what 札萨克镇 does with it stays there.
    assert town_b.petition(first) is None
    town_a.sync()
    assert town_a.petition(second).state == "registered"  # type: ignore[union-attr]
    with session_factory(engine)() as session:
        server_second = session.get(Petition, second)
        assert server_second is not None and server_second.case_number is not None
