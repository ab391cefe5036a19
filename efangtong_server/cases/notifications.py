"""The petitioner's SMS notices: queued as `sms_message` rows when the case events that call for one are accepted.

Acceptance, refusal, 转送/交办 (where the case went) and the written reply each queue one message (see
`efangtong_core.sms_notices`) to the petitioner's first mobile number, in the transaction that accepts the event.
Nothing is sent here (a sender works the queue later). A template switched off by the administrator sends nothing;
a template missing from the table is queued under its default code. The message id is derived from the event and
the template, so an event delivered twice queues one message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Connection

from efangtong_core.case_effects import local_time
from efangtong_core.case_states import EventType, member_of
from efangtong_core.models import (
    CaseEvent,
    OrgUnit,
    Petition,
    Petitioner,
    PetitionerPhone,
    SmsMessage,
    SmsTemplate,
    utcnow,
)
from efangtong_core.sms_notices import TEMPLATE_OF_EVENT
from efangtong_core.vocabulary import ReplyOutcome

_NAMESPACE = uuid.UUID("0c1f6a7e-55b2-4f8e-9d4b-3a2c1e7d9b60")
_MOBILE = re.compile(r"^1\d{10}$")
QUEUED = "queued"


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def message_id(event_id: str, template_code: str) -> str:
    """The id of the message an event queues with a template (the same on every delivery of the event)."""
    return str(uuid.uuid5(_NAMESPACE, f"{event_id}/{template_code}"))


def first_mobile(connection: Connection, petitioner_id: str | None) -> str | None:
    """The petitioner's first phone that can receive SMS (a mainland mobile number), None if there is none."""
    if petitioner_id is None:
        return None
    phones = _table(PetitionerPhone)
    query = (
        select(phones.c.phone)
        .where(phones.c.petitioner_id == petitioner_id, phones.c.deleted_at.is_(None))
        .order_by(phones.c.position, phones.c.created_at, phones.c.id)
    )
    for (phone,) in connection.execute(query):
        digits = re.sub(r"\D", "", phone or "")
        if _MOBILE.match(digits):
            return digits
    return None


def _date_text(at: datetime) -> str:
    day = local_time(at)
    return f"{day.year}年{day.month}月{day.day}日"


def _unit_of(kind: EventType, payload: Mapping[str, Any], row: Any) -> str | None:
    """The unit a notice names: where 转送/交办 sent the case, else the case's lead unit (or the actor's unit)."""
    named = payload.get("unit") if isinstance(payload.get("unit"), str) else None
    if kind in (EventType.TRANSFERRED, EventType.ASSIGNED):
        return named
    unit: str | None = row.lead_unit_id or named or row.actor_unit_id
    return unit


def _outcome_label(connection: Connection, kind: EventType, payload: Mapping[str, Any], row: Any) -> str:
    """The reply's outcome (处理意见): the 出具 event's own, else that of the draft it approved."""
    if kind is not EventType.REPLIED:
        return ""
    outcome = payload.get("outcome")
    if not outcome:
        e = _table(CaseEvent)
        draft = connection.execute(
            select(e.c.payload)
            .where(e.c.petition_id == row.petition_id, e.c.type == EventType.REPLY_DRAFTED.value)
            .where(e.c.server_seq < row.server_seq, e.c.deleted_at.is_(None))
            .order_by(e.c.server_seq.desc())
            .limit(1)
        ).scalar()
        outcome = draft.get("outcome") if isinstance(draft, dict) else None
    try:
        return member_of(ReplyOutcome, outcome).label
    except ValueError:
        return ""


def queue_case_notices(connection: Connection, event_ids: Iterable[str]) -> list[str]:
    """Queue the SMS notices of these (accepted) case events; returns the ids of the messages queued now."""
    ids = sorted(set(event_ids))
    if not ids:
        return []
    e, p, person = _table(CaseEvent), _table(Petition), _table(Petitioner)
    rows = connection.execute(
        select(
            e.c.id, e.c.type, e.c.at, e.c.payload, e.c.actor_unit_id, e.c.server_seq, p.c.id.label("petition_id"),
            p.c.case_number, p.c.query_code, p.c.lead_unit_id, p.c.petitioner_id, person.c.name,
        )
        .join(p, p.c.id == e.c.petition_id)
        .outerjoin(person, person.c.id == p.c.petitioner_id)
        .where(e.c.id.in_(ids), e.c.deleted_at.is_(None), e.c.type.in_([k.value for k in TEMPLATE_OF_EVENT]))
        .order_by(e.c.server_seq)
    ).all()  # fmt: skip
    if not rows:
        return []
    templates = {
        row.code: row
        for row in connection.execute(select(_table(SmsTemplate)).where(_table(SmsTemplate).c.code.in_(
            sorted({TEMPLATE_OF_EVENT[EventType.from_code(r.type)] for r in rows})
        )))
    }  # fmt: skip
    wanted: list[dict[str, Any]] = []
    for row in rows:
        kind = EventType.from_code(row.type)
        code = TEMPLATE_OF_EVENT[kind]
        template = templates.get(code)
        if template is not None and (not template.active or template.deleted_at is not None):
            continue
        phone = first_mobile(connection, row.petitioner_id)
        if phone is None:
            continue
        payload = row.payload if isinstance(row.payload, dict) else {}
        params = {
            "name": row.name or "",
            "case_number": row.case_number or row.query_code,
            "query_code": row.query_code,
            "date": _date_text(row.at),
            "unit": _unit_of(kind, payload, row),
            "action": kind.label if kind in (EventType.TRANSFERRED, EventType.ASSIGNED) else "",
            "outcome": _outcome_label(connection, kind, payload, row),
        }
        wanted.append({"id": message_id(row.id, code), "to_phone": phone, "template_code": code,
                       "params": params, "petition_id": row.petition_id})  # fmt: skip
    if not wanted:
        return []
    units = [m["params"]["unit"] for m in wanted if m["params"]["unit"]]
    names = {
        row.id: row.name for row in connection.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(units)))
    }
    sms = _table(SmsMessage)
    existing = set(connection.execute(select(sms.c.id).where(sms.c.id.in_([m["id"] for m in wanted]))).scalars())
    now = utcnow()
    fresh = []
    for message in wanted:
        if message["id"] in existing:
            continue
        existing.add(message["id"])
        message["params"]["unit"] = names.get(message["params"]["unit"], "")
        fresh.append({**message, "state": QUEUED, "attempts": 0, "next_attempt_at": now, "created_at": now})
    if fresh:
        connection.execute(insert(sms), fresh)
    return [message["id"] for message in fresh]
