"""The demo organisation: org units, users of every role with grants scoped to units, and 代办员 (agents).

Builds plain row dicts (one list per table) for `seed.py` to insert, and an `OrgDirectory` the case generator uses to
pick who records each event. Demo accounts: one per role, the username being the role code (admin, leader, clerk,
dispatcher, handler, unit_head, inspector, agent, bigscreen), all with the demo password.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from efangtong_core.demo.ids import IdSource, ServerSequence
from efangtong_core.demo.names import han_name, person_name, pick_nation, pick_sex
from efangtong_core.demo.places import DEPARTMENTS, ZONES, pick_village
from efangtong_core.vocabulary import BUREAU_NAME, COUNTY_CODE, TOWNS, OrgUnitKind, Role

Row = dict[str, Any]

DEMO_PASSWORD = "Demo@2026"
DEMO_PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$scsDvqbB4oYM64OXRPvk8Q$bfYZTfmHOIRsgRwYLfiVcEuc/KXu1Bj3vUB4hLR6n5k"
"""argon2id hash of DEMO_PASSWORD (argon2-cffi defaults), precomputed so that core needs no hashing library."""

DEMO_HOME_TOWN = "150627100"
"""The town whose handler, unit head and agent are the demo accounts (阿勒腾席热镇, the most petitions)."""


def base_row(ids: IdSource, seq: ServerSequence, at: datetime) -> Row:
    """The replication columns of a new server-side row created at `at`."""
    return {
        "id": ids.new(),
        "created_at": at,
        "updated_at": at,
        "origin": None,
        "server_seq": seq.next(),
        "deleted_at": None,
    }


@dataclass
class UnitStaff:
    """Who works on cases in one unit."""

    unit_id: str
    name: str
    handlers: list[str] = field(default_factory=list)
    unit_head: str = ""


@dataclass
class OrgDirectory:
    """Ids of the demo org units and of the users who record events, for the case generator."""

    bureau: UnitStaff
    towns: dict[str, UnitStaff]
    zones: list[UnitStaff]
    departments: dict[str, UnitStaff]
    clerks: list[str]
    dispatchers: list[str]
    inspectors: list[str]
    leaders: list[str]
    town_clerks: dict[str, str]
    agents: dict[str, list[tuple[str, str]]]
    """Town code → (agent id, agent's user id) pairs."""
    rows: dict[str, list[Row]]
    """Table name → rows, in insertion order (parents first)."""

    def staff(self, unit_id: str) -> UnitStaff:
        """The staff of the unit with this id."""
        for group in (self.towns.values(), self.zones, self.departments.values()):
            for staff in group:
                if staff.unit_id == unit_id:
                    return staff
        if unit_id == self.bureau.unit_id:
            return self.bureau
        raise KeyError(unit_id)


def _phone(rng: random.Random) -> str:
    return rng.choice(("139", "138", "150", "151", "152", "158", "183", "187", "133", "153", "180", "189", "177")) + (
        f"{rng.randrange(10**8):08d}"
    )


def build_org(
    rng: random.Random,
    ids: IdSource,
    seq: ServerSequence,
    *,
    at: datetime,
    password_hash: str,
) -> OrgDirectory:
    """The demo org units, users, role grants and agents, created at `at`."""
    units: list[Row] = []
    users: list[Row] = []
    grants: list[Row] = []
    agents_rows: list[Row] = []

    def unit(name: str, short: str | None, kind: OrgUnitKind, parent: str | None, code: str | None) -> str:
        row = base_row(ids, seq, at) | {
            "name": name,
            "short_name": short,
            "kind": str(kind),
            "parent_id": parent,
            "division_code": code,
            "sort_order": len(units) + 1,
            "active": True,
        }
        units.append(row)
        return str(row["id"])

    def user(unit_id: str, roles: tuple[Role, ...], *, username: str | None = None, scope: str | None = None) -> str:
        sex = pick_sex(rng)
        nation, _ = pick_nation(rng)
        row = base_row(ids, seq, at) | {
            "username": username or f"u{len(users) + 1:04d}",
            "display_name": person_name(rng, sex, nation) if username is None else _demo_name(rng, username),
            "phone": _phone(rng),
            "password_hash": password_hash,
            "must_change_password": username is None,
            "disabled": False,
            "failed_logins": 0,
            "locked_until": None,
            "last_login_at": None,
            "org_unit_id": unit_id,
        }
        users.append(row)
        for role in roles:
            grant = base_row(ids, seq, at) | {
                "user_id": row["id"],
                "role": str(role),
                "scope_unit_id": scope or unit_id,
                "granted_by_id": users[0]["id"] if users else None,
            }
            grants.append(grant)
        return str(row["id"])

    bureau_id = unit(BUREAU_NAME, "信访局", OrgUnitKind.BUREAU, None, COUNTY_CODE)
    town_ids = {code: unit(name, name, OrgUnitKind.TOWN, bureau_id, code) for code, name in TOWNS}
    zone_ids = [unit(name, name, OrgUnitKind.ZONE, bureau_id, None) for _, name in ZONES]
    dept_ids = {d.code: unit(d.name, d.short_name, OrgUnitKind.DEPARTMENT, bureau_id, None) for d in DEPARTMENTS}

    # The bureau: one demo account per role first (so that "admin" grants the others), then more staff.
    user(bureau_id, (Role.ADMIN,), username=str(Role.ADMIN))
    leaders = [user(bureau_id, (Role.LEADER,), username=str(Role.LEADER)), user(bureau_id, (Role.LEADER,))]
    clerks = [user(bureau_id, (Role.CLERK,), username=str(Role.CLERK))] + [
        user(bureau_id, (Role.CLERK,)) for _ in "123"
    ]
    dispatchers = [
        user(bureau_id, (Role.DISPATCHER,), username=str(Role.DISPATCHER)),
        user(bureau_id, (Role.DISPATCHER,)),
    ]
    inspectors = [user(bureau_id, (Role.INSPECTOR,), username=str(Role.INSPECTOR)), user(bureau_id, (Role.INSPECTOR,))]
    user(bureau_id, (Role.BIGSCREEN,), username=str(Role.BIGSCREEN))
    bureau = UnitStaff(bureau_id, BUREAU_NAME, [user(bureau_id, (Role.HANDLER,))], user(bureau_id, (Role.UNIT_HEAD,)))

    towns: dict[str, UnitStaff] = {}
    town_clerks: dict[str, str] = {}
    agents: dict[str, list[tuple[str, str]]] = {}
    for code, name in TOWNS:
        unit_id = town_ids[code]
        demo = code == DEMO_HOME_TOWN
        staff = UnitStaff(unit_id, name)
        staff.handlers.append(user(unit_id, (Role.HANDLER,), username=str(Role.HANDLER) if demo else None))
        staff.handlers.append(user(unit_id, (Role.HANDLER,)))
        staff.unit_head = user(unit_id, (Role.UNIT_HEAD,), username=str(Role.UNIT_HEAD) if demo else None)
        town_clerks[code] = user(unit_id, (Role.CLERK,))
        towns[code] = staff
        agents[code] = []
        for number in range(3):
            agent_user = user(unit_id, (Role.AGENT,), username=str(Role.AGENT) if demo and number == 0 else None)
            agent_row = base_row(ids, seq, at) | {
                "user_id": agent_user,
                "name": next(u["display_name"] for u in reversed(users) if u["id"] == agent_user),
                "town_id": unit_id,
                "village": pick_village(rng, code),
                "phone": next(u["phone"] for u in reversed(users) if u["id"] == agent_user),
                "active": True,
            }
            agents_rows.append(agent_row)
            agents[code].append((str(agent_row["id"]), agent_user))

    zones = []
    for zone_id, (_, name) in zip(zone_ids, ZONES, strict=True):
        zones.append(UnitStaff(zone_id, name, [user(zone_id, (Role.HANDLER,))], user(zone_id, (Role.UNIT_HEAD,))))
    departments = {}
    for department in DEPARTMENTS:
        unit_id = dept_ids[department.code]
        staff = UnitStaff(unit_id, department.name, [user(unit_id, (Role.HANDLER,)), user(unit_id, (Role.HANDLER,))])
        staff.unit_head = user(unit_id, (Role.UNIT_HEAD,))
        departments[department.code] = staff

    return OrgDirectory(
        bureau=bureau,
        towns=towns,
        zones=zones,
        departments=departments,
        clerks=clerks,
        dispatchers=dispatchers,
        inspectors=inspectors,
        leaders=leaders,
        town_clerks=town_clerks,
        agents=agents,
        rows={"org_unit": units, "user_account": users, "role_grant": grants, "agent": agents_rows},
    )


def _demo_name(rng: random.Random, username: str) -> str:
    return f"{han_name(rng, pick_sex(rng))}（演示）"


def resolve_password_hash(password: str, hash_password: Callable[[str], str] | None) -> str:
    """The demo accounts' hash: from `hash_password`, or the precomputed one for the default password."""
    if hash_password is not None:
        return hash_password(password)
    if password != DEMO_PASSWORD:
        raise ValueError("演示口令不是默认口令时须提供 hash_password 以计算口令散列")
    return DEMO_PASSWORD_HASH
