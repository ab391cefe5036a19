"""A small hand-built data set for the analytics figures: every edge case written out with its expected effect."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from efangtong_core import deadlines as dl
from efangtong_core.deadlines import due_date
from efangtong_core.models import CaseEvent, ContentCategory, OrgUnit, Petition, Petitioner
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose
from efangtong_core.workdays import default_calendar

CST = timezone(timedelta(hours=8))
TODAY = date(2026, 4, 20)
BUREAU, TOWN_A, TOWN_B = "u-bureau", "u-town-a", "u-town-b"
L1, C1A, C1B, L2, C2A = "c-l1", "c-l1-a", "c-l1-b", "c-l2", "c-l2-a"
P, Q = "person-p", "person-q"


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    """A local (China) time as an aware UTC datetime."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CST).astimezone(UTC)


def build(session: Session) -> None:
    """Write the data set (see the comments of each petition)."""
    session.add_all([
        OrgUnit(id=BUREAU, name="伊金霍洛旗信访局", kind=OrgUnitKind.BUREAU),
        OrgUnit(id=TOWN_A, name="红庆河镇", kind=OrgUnitKind.TOWN, parent_id=BUREAU),
        OrgUnit(id=TOWN_B, name="乌兰木伦镇", kind=OrgUnitKind.TOWN, parent_id=BUREAU),
    ])  # fmt: skip
    session.flush()
    session.add_all([
        ContentCategory(id=L1, code="01", name="劳动社保"),
        ContentCategory(id=L2, code="02", name="城乡建设"),
    ])  # fmt: skip
    session.flush()
    session.add_all([
        ContentCategory(id=C1A, code="0101", name="拖欠工资", parent_id=L1),
        ContentCategory(id=C1B, code="0102", name="社会保险", parent_id=L1),
        ContentCategory(id=C2A, code="0201", name="征地拆迁", parent_id=L2),
        Petitioner(id=P, name="张三丰", id_number="150627198001011234"),
        Petitioner(id=Q, name="李四", id_number="150627199002022345"),
    ])  # fmt: skip
    session.flush()
    # p1: first-time visit in 红庆河镇; signed 3-03, accepted 3-10 (timely); replied 4-01 (April), 满意.
    _petition(session, "p1", "2026-03-02", PetitionForm.VISIT, 1, TOWN_A, C1A, TOWN_A, P, "evaluated",
              [("signed_for", "2026-03-03"), ("accepted", "2026-03-10"), ("replied", "2026-04-01"),
               ("evaluated", "2026-04-02", {"satisfaction": "satisfied"})])  # fmt: skip
    # p2: a group visit of 12; signed 3-02, accepted 3-25 (late: due 3-17); replied 3-30 (on time), 不满意.
    _petition(session, "p2", "2026-03-02", PetitionForm.VISIT, 12, TOWN_A, C1B, TOWN_A, Q, "evaluated",
              [("signed_for", "2026-03-02", {}, 11), ("accepted", "2026-03-25"), ("replied", "2026-03-30"),
               ("evaluated", "2026-03-31", {"satisfaction": "dissatisfied"})])  # fmt: skip
    # p3: a repeat of p1 (a letter, 乌兰木伦镇), accepted by the bureau itself on 3-06 (route rule from registration).
    _petition(session, "p3", "2026-03-05", PetitionForm.LETTER, 1, TOWN_B, C2A, BUREAU, P, "in_progress",
              [("accepted", "2026-03-06")], repeat_of="p1", deadline=date(2026, 5, 5))  # fmt: skip
    # p4: registered in December; accepted 2025-12-05, due 2026-02-03; replied 3-03: late; never evaluated.
    _petition(session, "p4", "2025-12-01", PetitionForm.ONLINE, 1, TOWN_B, C2A, TOWN_B, None, "replied",
              [("signed_for", "2025-12-02"), ("accepted", "2025-12-05"), ("replied", "2026-03-03")])  # fmt: skip
    # p5: accepted 2025-12-20; 60 days end 2026-02-18 (春节 holiday → next working day); extended 30 days: the
    # reply of 3-20 is on time only thanks to the extension. 基本满意.
    _petition(session, "p5", "2025-12-18", PetitionForm.ONLINE, 1, TOWN_B, C2A, TOWN_B, None, "evaluated",
              [("signed_for", "2025-12-19"), ("accepted", "2025-12-20"),
               ("extension_requested", "2026-02-05", {"days": 30, "reason": "情况复杂"}),
               ("extension_approved", "2026-02-06", {"days": 30}), ("replied", "2026-03-20"),
               ("evaluated", "2026-03-22", {"satisfaction": "basically_satisfied"})])  # fmt: skip
    # p7: 2-28 23:30 China time — February, though its UTC day is 2-28 too; p8: 3-31 23:30 (March, UTC 3-31);
    # p9: 4-01 00:30 China time — April, though its UTC day is 3-31.
    _petition(session, "p7", "2026-02-28", PetitionForm.PHONE, 1, None, None, None, None, "registered", [], hour=23)
    _petition(session, "p8", "2026-03-31", PetitionForm.PHONE, 1, None, None, None, None, "registered", [], hour=23)
    _petition(session, "p9", "2026-04-01", PetitionForm.PHONE, 1, None, None, None, None, "registered", [], hour=0)
    # p10: open in 红庆河镇's hands (its town is 乌兰木伦镇), deadline 4-10 passed → overdue; p11: open, not overdue.
    _petition(session, "p10", "2026-02-01", PetitionForm.VISIT, 1, TOWN_B, C2A, TOWN_A, None, "in_progress", [],
              deadline=date(2026, 4, 10))  # fmt: skip
    _petition(session, "p11", "2026-02-01", PetitionForm.VISIT, 1, TOWN_B, C2A, TOWN_B, None, "in_progress", [],
              deadline=date(2026, 5, 1))  # fmt: skip
    # p12: a tombstoned petition in March: never counts.
    _petition(session, "p12", "2026-03-10", PetitionForm.VISIT, 30, TOWN_A, C1A, TOWN_A, None, "registered", [],
              deleted=True)  # fmt: skip
    session.commit()


def figure_values(registered: datetime, events: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The analytics columns the lifecycle would derive from these events (see analytics.derived), written out."""
    rules, calendar = {r.code: r for r in dl.DEFAULT_DEADLINE_RULES}, default_calendar()
    days = {e[0]: date.fromisoformat(e[1]) for e in events}
    payloads = {e[0]: e[2] for e in events if len(e) > 2}
    values: dict[str, Any] = {"extension_days": 0}
    if "extension_approved" in days:
        values["extension_days"] = payloads["extension_approved"]["days"]
    if "evaluated" in days:
        values["satisfaction"] = payloads["evaluated"]["satisfaction"]
    if "accepted" in days:
        signed = days.get("signed_for")
        start = signed or registered.astimezone(CST).date()
        rule = rules[dl.ACCEPTANCE_NOTICE if signed else dl.ROUTE]
        values.update(accepted_on=days["accepted"], acceptance_due=due_date(rule, start, calendar))
        if "replied" in days:
            handling = due_date(rules[dl.HANDLING], days["accepted"], calendar)
            if values["extension_days"]:
                extension = dataclasses.replace(rules[dl.EXTENSION], days=values["extension_days"])
                handling = due_date(extension, handling, calendar)
            values.update(replied_on=days["replied"], handling_due=handling)
    return values


def _petition(
    session: Session,
    pid: str,
    day: str,
    form: PetitionForm,
    heads: int,
    town: str | None,
    category: str | None,
    lead: str | None,
    person: str | None,
    state: str,
    events: list[tuple[Any, ...]],
    *,
    hour: int = 10,
    repeat_of: str | None = None,
    deadline: date | None = None,
    deleted: bool = False,
) -> None:
    registered = at(day, hour, 30 if hour in (0, 23) else 0)
    accepted = next((at(e[1]) for e in events if e[0] == "accepted"), None)
    figures = figure_values(registered, events)
    session.add(Petition(
        id=pid, query_code=f"Q-{pid}", form=form.value, purpose=PetitionPurpose.REQUEST.value, category_id=category,
        town_id=town, head_count=heads, title=f"{pid} 拖欠工资", content="反映征地补偿款未发放，拖欠农民工工资。",
        registering_unit_id=BUREAU, registered_at=registered, petitioner_id=person, repeat_of_id=repeat_of,
        state=state, deadline=deadline, lead_unit_id=lead, accepted_at=accepted,
        deleted_at=registered if deleted else None, **figures,
    ))  # fmt: skip
    session.flush()
    rows = [("registered", day, {}, hour), *events]
    for seq, event in enumerate(rows, start=1):
        kind, when = event[0], event[1]
        payload = event[2] if len(event) > 2 else {}
        moment = at(when, event[3]) if len(event) > 3 else (registered if kind == "registered" else at(when))
        session.add(CaseEvent(petition_id=pid, type=kind, at=moment, payload=payload, seq=seq))
