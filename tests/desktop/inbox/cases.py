"""A small replica for the inbox tests: the bureau, two towns, petitions in every queue, at a frozen date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from efangtong_core.models import (
    CaseEvent,
    ContentCategory,
    Holiday,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionUnit,
)
from efangtong_desktop.services.api_client import SignedInUser

TODAY = date(2026, 9, 30)
"""A Wednesday before the National Day holiday (10-01 … 10-07 off, Saturday 10-10 worked)."""
NATIONAL_DAY = [(date(2026, 10, day), "holiday", "国庆节") for day in range(1, 8)] + [
    (date(2026, 10, 10), "workday", "国庆节调休上班")
]


@dataclass
class Replica:
    """Ids of what `build_replica` wrote."""

    bureau: str = ""
    town: str = ""
    other_town: str = ""
    cases: dict[str, str] = field(default_factory=dict)

    def user(self, *roles: str, unit: str | None = None) -> SignedInUser:
        """A signed-in user with `roles` in `unit` (default: the town)."""
        unit_id = unit or self.town
        return SignedInUser("user-1", "u", "测试用户", unit_id, "单位", tuple(roles), False)


def _petition(
    session: Session,
    replica: Replica,
    name: str,
    state: str,
    *,
    deadline: date | None,
    lead: str | None,
    town: str,
    category: ContentCategory,
    number: int,
    events: tuple[str, ...] = (),
) -> Petition:
    person = Petitioner(name=f"信访人{number}")
    petition = Petition(
        case_number=f"伊信〔2026〕{number:06d}号",
        query_code=f"Q{number:06d}",
        form="visit",
        purpose="request",
        category=category,
        town_id=town,
        content=f"{name}的信访内容",
        registering_unit_id=replica.bureau,
        registered_at=datetime(2026, 9, 1, 2, 0, tzinfo=UTC) + timedelta(days=number % 20),
        petitioner=person,
        state=state,
        deadline=deadline,
        lead_unit_id=lead,
    )
    session.add(petition)
    at = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)
    for position, event in enumerate(("registered", *events), start=1):
        session.add(CaseEvent(petition=petition, type=event, at=at + timedelta(hours=position), seq=position))
    if lead is not None:
        session.add(PetitionUnit(petition=petition, unit_id=lead, role="lead"))
    replica.cases[name] = petition.id
    return petition


def build_replica(session: Session) -> Replica:
    """Write the test replica: every case is named after the queue it belongs to."""
    replica = Replica()
    bureau = OrgUnit(name="伊金霍洛旗信访局", kind="bureau")
    town = OrgUnit(name="阿勒腾席热镇", kind="town", parent=bureau)
    other = OrgUnit(name="札萨克镇", kind="town", parent=bureau)
    session.add_all([bureau, town, other])
    land = ContentCategory(code="01", name="农村农业")
    wages = ContentCategory(code="02", name="劳动社保")
    session.add_all([land, wages])
    session.flush()
    replica.bureau, replica.town, replica.other_town = bureau.id, town.id, other.id
    session.add_all(Holiday(day=day, kind=kind, name=name) for day, kind, name in NATIONAL_DAY)
    own, far = town.id, other.id
    add = _petition
    add(session, replica, "待签收", "assigned", deadline=date(2026, 10, 8), lead=own, town=own, category=land, number=1)
    add(
        session,
        replica,
        "办理中",
        "in_progress",
        deadline=date(2026, 10, 12),
        lead=own,
        town=own,
        category=wages,
        number=2,
    )
    add(session, replica, "今日到期", "in_progress", deadline=TODAY, lead=own, town=own, category=land, number=3)
    add(
        session,
        replica,
        "已超期",
        "in_progress",
        deadline=date(2026, 9, 28),
        lead=own,
        town=own,
        category=land,
        number=4,
    )
    add(
        session,
        replica,
        "延期审批",
        "extension_pending",
        deadline=date(2026, 11, 30),
        lead=own,
        town=own,
        category=land,
        number=5,
        events=("assigned", "signed_for", "accepted", "extension_requested"),
    )
    add(
        session,
        replica,
        "答复审批",
        "reply_pending",
        deadline=date(2026, 11, 1),
        lead=own,
        town=own,
        category=land,
        number=6,
    )
    add(
        session, replica, "他镇", "in_progress", deadline=date(2026, 10, 9), lead=far, town=far, category=land, number=7
    )
    add(
        session,
        replica,
        "待分办",
        "registered",
        deadline=date(2026, 10, 2),
        lead=None,
        town=far,
        category=land,
        number=8,
    )
    add(
        session,
        replica,
        "异议退回",
        "registered",
        deadline=date(2026, 10, 9),
        lead=None,
        town=own,
        category=land,
        number=9,
        events=("assigned", "signed_for", "returned_misrouted"),
    )
    add(
        session,
        replica,
        "督办",
        "in_progress",
        deadline=date(2026, 10, 20),
        lead=far,
        town=far,
        category=wages,
        number=10,
        events=("assigned", "signed_for", "accepted", "supervised"),
    )
    add(session, replica, "已办结", "closed", deadline=date(2026, 9, 1), lead=own, town=own, category=land, number=11)
    session.commit()
    return replica
