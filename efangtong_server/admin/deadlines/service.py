"""Deadline-rule and holiday logic: rules from the database (built-in defaults until saved), the calendar by year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from efangtong_core.deadlines import DEFAULT_DEADLINE_RULES
from efangtong_core.deadlines import DeadlineRule as RuleDefinition
from efangtong_core.models import DeadlineRule, Holiday
from efangtong_core.workdays import HolidayKind
from efangtong_server.admin.common import (
    Conflict,
    NotFound,
    Refused,
    apply_changes,
    audit,
    commit,
    created_fields,
    jsonable,
    refuse_nulls,
)
from efangtong_server.audit.service import Actor

RULE_ENTITY = "deadline_rule"
HOLIDAY_ENTITY = "holiday"
RULE_FIELDS = ("name", "article", "days", "day_kind", "starts_at", "note", "active")
HOLIDAY_FIELDS = ("day", "kind", "name")
_DEFAULTS = {rule.code: rule for rule in DEFAULT_DEADLINE_RULES}


def _row_from_default(rule: RuleDefinition) -> DeadlineRule:
    return DeadlineRule(
        code=rule.code,
        name=rule.name,
        article=rule.article,
        days=rule.days,
        day_kind=rule.day_kind.value,
        starts_at=rule.starts_at.value,
        note=rule.note,
        active=True,
    )


def list_rules(session: Session) -> list[tuple[DeadlineRule, bool]]:
    """Every rule with whether it is stored: the database rows, then built-in defaults not yet saved."""
    stored = {row.code: row for row in session.scalars(select(DeadlineRule).where(DeadlineRule.deleted_at.is_(None)))}
    rules = [(row, True) for row in sorted(stored.values(), key=lambda row: row.code)]
    rules += [(_row_from_default(rule), False) for rule in DEFAULT_DEADLINE_RULES if rule.code not in stored]
    return rules


def update_rule(session: Session, *, actor: Actor, code: str, values: dict[str, Any]) -> DeadlineRule:
    """Change a rule; a built-in default is saved to the database the first time it is changed."""
    labels = {"name": "名称", "article": "依据条款", "days": "天数", "day_kind": "计算方式", "starts_at": "起算事件"}
    refuse_nulls(values, {**labels, "active": "是否启用"})
    row = session.scalar(select(DeadlineRule).where(DeadlineRule.code == code))
    details: dict[str, Any] = {}
    if row is None:
        default = _DEFAULTS.get(code)
        if default is None:
            raise NotFound(f"期限规则 {code} 不存在")
        row = _row_from_default(default)
        session.add(row)
        session.flush()
        details = created_fields(row, RULE_FIELDS)
    elif row.deleted_at is not None:
        row.deleted_at = None
        details = {"deleted_at": {"old": "已删除", "new": None}}
    changed = apply_changes(row, values)
    try:
        RuleDefinition.from_row(row)
    except ValueError as error:
        raise Refused(str(error)) from error
    if changed or details:
        audit(session, actor=actor, action="update", entity=RULE_ENTITY, entity_id=row.id, details=details | changed)
        commit(session)
    return row


def list_holidays(session: Session, *, year: int) -> list[Holiday]:
    """The holiday calendar of `year` (no tombstoned rows), by day."""
    query = select(Holiday).where(Holiday.deleted_at.is_(None), extract("year", Holiday.day) == year)
    return list(session.scalars(query.order_by(Holiday.day)))


def _check_day(day: date, kind: str) -> None:
    if kind == HolidayKind.WORKDAY and day.weekday() < 5:
        raise Refused(f"{day} 不是周六或周日，不能设为调休上班日")


def add_holiday(session: Session, *, actor: Actor, day: date, kind: str, name: str | None) -> Holiday:
    """Add a day to the calendar (a tombstoned row of the same day comes back with the new values)."""
    _check_day(day, kind)
    row = session.scalar(select(Holiday).where(Holiday.day == day))
    if row is not None and row.deleted_at is None:
        raise Conflict(f"{day} 已在节假日表中（{HolidayKind.from_code(row.kind).label}）")
    if row is None:
        row = Holiday(day=day, kind=kind, name=name)
        session.add(row)
        session.flush()
        details = created_fields(row, HOLIDAY_FIELDS)
    else:
        row.deleted_at = None
        details = {"day": {"old": None, "new": day.isoformat()}} | apply_changes(row, {"kind": kind, "name": name})
    audit(session, actor=actor, action="create", entity=HOLIDAY_ENTITY, entity_id=row.id, details=details)
    commit(session)
    return row


def remove_holiday(session: Session, *, actor: Actor, holiday_id: str) -> Holiday:
    """Take a day out of the calendar (tombstone)."""
    row = session.get(Holiday, holiday_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("节假日不存在")
    row.mark_deleted()
    details = {field: {"old": jsonable(getattr(row, field)), "new": None} for field in HOLIDAY_FIELDS}
    audit(session, actor=actor, action="delete", entity=HOLIDAY_ENTITY, entity_id=row.id, details=details)
    commit(session)
    return row


@dataclass(frozen=True)
class ImportCounts:
    """How many days an import added, changed, removed and left alone."""

    added: int
    changed: int
    removed: int
    unchanged: int


def import_year(session: Session, *, actor: Actor, year: int, days: list[dict[str, Any]]) -> ImportCounts:
    """Replace the calendar of `year` with `days` (each day, kind, name): one audit row for the whole import."""
    wanted: dict[date, dict[str, Any]] = {}
    for entry in days:
        day = entry["day"]
        if day.year != year:
            raise Refused(f"{day} 不属于 {year} 年")
        if day in wanted:
            raise Refused(f"{day} 重复出现")
        _check_day(day, entry["kind"])
        wanted[day] = {"kind": entry["kind"], "name": entry.get("name")}
    existing = {row.day: row for row in session.scalars(select(Holiday).where(extract("year", Holiday.day) == year))}
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    for day, values in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            session.add(Holiday(day=day, **values))
            added.append(day.isoformat())
        elif row.deleted_at is not None:
            row.deleted_at = None
            apply_changes(row, values)
            added.append(day.isoformat())
        elif apply_changes(row, values):
            changed.append(day.isoformat())
    for day, row in sorted(existing.items()):
        if day not in wanted and row.deleted_at is None:
            row.mark_deleted()
            removed.append(day.isoformat())
    counts = ImportCounts(len(added), len(changed), len(removed), len(wanted) - len(added) - len(changed))
    if added or changed or removed:
        details = {"year": year, "added": added, "changed": changed, "removed": removed}
        audit(session, actor=actor, action="import", entity=HOLIDAY_ENTITY, entity_id=str(year), details=details)
        commit(session)
    return counts
