"""A small replica for case tests: the bureau, two towns and a department, one user per role, and registered cases."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory, writing_engine
from efangtong_core.models import CaseEvent, OrgUnit, Petition, Petitioner, RoleGrant, User
from efangtong_core.models.sync import SyncOutbox
from efangtong_core.vocabulary import OrgUnitKind, Role
from efangtong_desktop.services.case_actions import Actor
from sync.outbox import enable_outbox

DEVICE = "pc-case-test"


@dataclass
class CaseWorld:
    """A replica with reference rows written as the server would send them (not through the outbox)."""

    engine: Engine
    factory: sessionmaker[Session]
    units: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def plain(self) -> Session:
        """A session whose writes do not enter the outbox (like rows pulled from the server)."""
        return session_factory(writing_engine(self.engine))()

    def add_unit(self, key: str, name: str, kind: OrgUnitKind) -> None:
        with self.plain() as session:
            unit = OrgUnit(name=name, kind=kind.value, parent_id=self.units.get("bureau"))
            session.add(unit)
            session.commit()
            self.units[key] = unit.id

    def add_user(self, key: str, unit: str, *roles: Role, name: str | None = None) -> Actor:
        with self.plain() as session:
            user = User(
                username=f"{key}-{uuid.uuid4().hex[:6]}", display_name=name or key, org_unit_id=self.units[unit]
            )
            session.add(user)
            session.flush()
            for role in roles:
                session.add(RoleGrant(user_id=user.id, role=role.value, scope_unit_id=self.units[unit]))
            session.commit()
            actor = Actor(user.id, self.units[unit], tuple(role.value for role in roles), DEVICE)
        self.actors[key] = actor
        self.names[user.id] = user.display_name
        return actor

    def new_case(
        self, *, town: str = "town_a", at: datetime | None = None, content: str = "反映征地补偿款未到位。"
    ) -> str:
        """A petition registered at the bureau with its 登记 event (as if pulled: already on the server)."""
        when = at or datetime.now(UTC) - timedelta(minutes=30)
        with self.plain() as session:
            person = Petitioner(name="王建军", sex="male", id_number="150627198001011234")
            session.add(person)
            session.flush()
            number = session.scalar(select(func.count()).select_from(Petition)) or 0
            petition = Petition(
                query_code=uuid.uuid4().hex[:10].upper(),
                case_number=f"伊信〔2026〕{number + 1:05d}号",
                form="visit",
                purpose="request",
                town_id=self.units[town],
                registering_unit_id=self.units["bureau"],
                petitioner_id=person.id,
                content=content,
                state="registered",
                registered_at=when,
                event_count=1,
                server_seq=1000 + number,
            )
            session.add(petition)
            session.flush()
            clerk = self.actors["clerk"]
            session.add(
                CaseEvent(
                    petition_id=petition.id, type="registered", at=when, role="clerk", seq=1,
                    actor_id=clerk.user_id, actor_unit_id=clerk.unit_id, server_seq=5000 + number,
                )
            )  # fmt: skip
            session.commit()
            return petition.id

    def petition(self, petition_id: str) -> Petition:
        with self.plain() as session:
            found = session.get(Petition, petition_id)
            assert found is not None
            return found

    def outbox(self) -> list[tuple[str, str]]:
        """(table, op) of every outbox entry, oldest first."""
        with self.engine.connect() as connection:
            query = select(SyncOutbox.table_name, SyncOutbox.op).order_by(SyncOutbox.position)
            return [(row.table_name, row.op) for row in connection.execute(query)]


_TEMPLATE: dict[str, Path] = {}


def _empty_replica(path: Path) -> None:
    """Copy an empty replica at the schema's head to `path` (migrated once per test session, not once per test)."""
    if "path" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="case-replica-"))
        atexit.register(shutil.rmtree, folder, True)
        template = folder / "template.sqlite"
        open_database(f"sqlite:///{template}").dispose()
        _TEMPLATE["path"] = template
    shutil.copyfile(_TEMPLATE["path"], path)


def make_world(path: Path) -> CaseWorld:
    """The replica at `path` with the units and users the case tests use."""
    _empty_replica(path)
    engine = open_database(f"sqlite:///{path}")
    factory = session_factory(engine)
    enable_outbox(factory)
    return build_world(engine, factory)


def build_world(engine: Engine, factory: sessionmaker[Session]) -> CaseWorld:
    """Add the units and users the case tests use to the replica of `engine` (its `factory` captures the outbox)."""
    world = CaseWorld(engine, factory)
    world.add_unit("bureau", "伊金霍洛旗信访局", OrgUnitKind.BUREAU)
    world.add_unit("town_a", "札萨克镇", OrgUnitKind.TOWN)
    world.add_unit("town_b", "乌兰木伦镇", OrgUnitKind.TOWN)
    world.add_unit("dept", "旗自然资源局", OrgUnitKind.DEPARTMENT)
    world.add_user("clerk", "bureau", Role.CLERK, name="李登记")
    world.add_user("dispatcher", "bureau", Role.DISPATCHER, name="张分办")
    world.add_user("inspector", "bureau", Role.INSPECTOR, name="赵督查")
    world.add_user("leader", "bureau", Role.LEADER, name="刘局长")
    world.add_user("handler_a", "town_a", Role.HANDLER, name="王承办")
    world.add_user("head_a", "town_a", Role.UNIT_HEAD, name="陈镇长")
    world.add_user("both_a", "town_a", Role.HANDLER, Role.UNIT_HEAD, name="周副镇长")
    world.add_user("handler_b", "town_b", Role.HANDLER, name="孙承办")
    world.add_user("handler_dept", "dept", Role.HANDLER, name="吴科员")
    return world
