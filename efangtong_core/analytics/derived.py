"""The analytics columns of a petition, derived from its case events like its state (so the rates are indexed sums).

Each value is written when the event that fixes it is applied (by `efangtong_core.case_projection.project` on the
server and the counter, by the demo generator, and by migration 0006's backfill) from the case's status before and
after that event — so the deadlines are the lifecycle's own, counted with the rule table and holiday calendar in force:

- accepted_on: the local day of the 受理 event.
- acceptance_due: the last day to accept, as it stood just before acceptance — rule acceptance_notice (15 days,
  第二十三条) from the unit's last 签收, or rule route (15 days, 第二十二条) from registration for a matter the
  bureau accepts itself. None when no clock was running (the acceptance then counts as timely).
- replied_on: the local day of the 出具处理意见书 event of an accepted case (办结 in the rates' sense).
- handling_due: the handling deadline just before the reply — 60 days from acceptance (第三十二条) plus an
  approved extension, counted from the day after the original last day.
- extension_days: the approved extension in days (0 when none; a refused request adds nothing).
- satisfaction: the petitioner's latest evaluation (满意 / 基本满意 / 不满意 code), None when not evaluated.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from efangtong_core import deadlines as dl
from efangtong_core.analytics.query import local_day
from efangtong_core.case_effects import CLOSES
from efangtong_core.lifecycle import CaseEvent, CaseStatus, EventType, apply
from efangtong_core.models.base import UtcDateTime
from efangtong_core.workdays import HolidayCalendar, default_calendar

FIGURE_COLUMNS = ("accepted_on", "acceptance_due", "replied_on", "handling_due", "extension_days", "satisfaction")
"""The petition columns `figure_columns` derives."""


def figure_columns(
    before: CaseStatus | None, after: CaseStatus, event_type: EventType, current: Mapping[str, Any]
) -> dict[str, Any]:
    """The analytics columns after an event of `event_type` took the case from `before` to `after`."""
    values = {name: current.get(name) for name in FIGURE_COLUMNS}
    values["extension_days"] = after.extension_days
    values["satisfaction"] = after.satisfaction.value if after.satisfaction is not None else None
    if event_type is EventType.ACCEPTED:
        values["accepted_on"] = after.accepted_on
        values["acceptance_due"] = None if before is None else acceptance_clock(before)
    if event_type is EventType.REPLIED and before is not None and before.accepted_on is not None:
        values["replied_on"] = after.replied_on
        values["handling_due"] = before.deadlines.get(dl.HANDLING)
    return values


def acceptance_clock(before: CaseStatus) -> Any:
    """The last day to accept, as the status just before acceptance has it (签收 clock first, else registration's)."""
    if before.received_on is not None and dl.ACCEPTANCE_NOTICE in before.deadlines:
        return before.deadlines[dl.ACCEPTANCE_NOTICE]
    return before.deadlines.get(dl.ROUTE)


def replay_figures(
    events: Iterable[CaseEvent], *, rules: Iterable[dl.DeadlineRule], calendar: HolidayCalendar
) -> dict[str, Any]:
    """The analytics columns of a case from its events in order (the backfill); an event the lifecycle refuses ends
    the replay there, as the server would have refused it."""
    rule_list = tuple(rules)
    values: dict[str, Any] = {"extension_days": 0}
    status: CaseStatus | None = None
    for event in events:
        try:
            after = apply(status, event, rules=rule_list, calendar=calendar)
        except ValueError:
            break
        values = figure_columns(status, after, event.type, values)
        status = after
    return values


def _lifecycle_config(connection: Connection) -> tuple[tuple[dl.DeadlineRule, ...], HolidayCalendar]:
    rule_rows = [dict(row._mapping) for row in connection.execute(sa.text("SELECT * FROM deadline_rule"))]
    rules = {rule.code: rule for rule in dl.rules_from_rows(rule_rows)}
    for rule in dl.DEFAULT_DEADLINE_RULES:
        rules.setdefault(rule.code, rule)
    holidays = [dict(row._mapping) for row in connection.execute(sa.text("SELECT * FROM holiday"))]
    return tuple(rules.values()), default_calendar().overlaid(holidays)


_TRACKED = (dl.ROUTE, dl.ACCEPTANCE_NOTICE, dl.HANDLING)
"""The deadlines the analytics columns read; the backfill follows only these through a case's events."""


class FigureFold:
    """The analytics columns of one case from its stored events, following the lifecycle's deadline bookkeeping
    (rules open at their start event and close at the events of `case_effects.CLOSES`) without re-validating each
    event: the events were validated when they were accepted. Far cheaper than `replay_figures` (the backfill runs it
    over every event of every case); a test holds the two to the same values."""

    def __init__(self, rules: Iterable[dl.DeadlineRule], calendar: HolidayCalendar) -> None:
        self.rules = {rule.code: rule for rule in rules}
        self.calendar = calendar
        self._dues: dict[tuple[str, date, int], date] = {}

    def due(self, code: str, start: date, days: int | None = None) -> date:
        """Rule `code`'s last day from `start` (with `days` instead of the rule's own), remembered."""
        key = (code, start, -1 if days is None else days)
        found = self._dues.get(key)
        if found is None:
            rule = self.rules[code]
            found = self.calendar.add_days(start, rule if days is None else dataclasses.replace(rule, days=days))
            self._dues[key] = found
        return found

    def fold(self, events: Iterable[tuple[EventType, date, Mapping[str, Any] | None]]) -> dict[str, Any]:
        """The columns after `events` (type, local day, payload) in order."""
        values: dict[str, Any] = {"extension_days": 0}
        deadlines: dict[str, date] = {}
        signed = False
        requested = 0
        for kind, day, payload in events:
            payload = payload or {}
            if kind is EventType.SIGNED_FOR:
                signed = True
            elif kind is EventType.RETURNED_MISROUTED:
                signed = False
            elif kind is EventType.ACCEPTED:
                values["accepted_on"] = day
                notice = deadlines.get(dl.ACCEPTANCE_NOTICE) if signed else None
                values["acceptance_due"] = notice or deadlines.get(dl.ROUTE)
            elif kind is EventType.EXTENSION_REQUESTED:
                requested = _days(payload.get("days"))
            elif kind is EventType.EXTENSION_APPROVED:
                days = _days(payload.get("days")) or requested
                values["extension_days"] = days
                if dl.HANDLING in deadlines and dl.EXTENSION in self.rules:
                    deadlines[dl.HANDLING] = self.due(dl.EXTENSION, deadlines[dl.HANDLING], days)
            elif kind is EventType.REPLIED and values.get("accepted_on") is not None:
                values["replied_on"] = day
                values["handling_due"] = deadlines.get(dl.HANDLING)
            elif kind is EventType.EVALUATED and isinstance(payload.get("satisfaction"), str):
                values["satisfaction"] = payload["satisfaction"]
            for code in CLOSES.get(kind, ()):
                deadlines.pop(code, None)
            for code in _TRACKED:
                rule = self.rules.get(code)
                if rule is not None and rule.starts_at == kind:
                    deadlines[code] = self.due(code, day)
        return values


def _days(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def backfill_figures(connection: Connection, *, batch: int = 5000) -> int:
    """Derive the analytics columns of every accepted petition from its case events (migration 0006); the count."""
    rules, calendar = _lifecycle_config(connection)
    folder = FigureFold(rules, calendar)
    event = sa.table(
        "case_event", sa.column("petition_id", sa.String), sa.column("type", sa.String),
        sa.column("at", UtcDateTime()), sa.column("payload", sa.JSON),
        sa.column("seq", sa.BigInteger), sa.column("deleted_at", UtcDateTime()),
    )  # fmt: skip
    petition = sa.table("petition", sa.column("id", sa.String), *(sa.column(name) for name in FIGURE_COLUMNS))
    accepted = sa.select(event.c.petition_id).where(event.c.type == EventType.ACCEPTED.value)
    day = local_day(event.c.at, connection.dialect.name)
    # Only the payloads the fold reads are fetched (and decoded).
    payload = sa.case((event.c.type.in_(_WITH_PAYLOAD), event.c.payload), else_=sa.null())
    rows = connection.execute(
        sa.select(event.c.petition_id, event.c.type, day, payload)
        .where(event.c.deleted_at.is_(None), event.c.petition_id.in_(accepted), event.c.type.in_(_FOLDED))
        .order_by(event.c.petition_id, event.c.seq, event.c.at)
        .execution_options(stream_results=True, yield_per=batch)
    )
    update = (
        petition.update()
        .where(petition.c.id == sa.bindparam("pid"))
        .values({name: sa.bindparam(f"v_{name}") for name in FIGURE_COLUMNS})
    )
    pending: list[dict[str, Any]] = []
    done = 0
    kinds = {kind.value: kind for kind in EventType}
    days: dict[str, date] = {}

    def as_day(text: Any) -> date:
        if isinstance(text, date):
            return text
        found = days.get(text)
        if found is None:
            found = days[text] = date.fromisoformat(text)
        return found

    def flush() -> None:
        if pending:
            connection.execute(update, pending)
            pending.clear()

    for petition_id, events in itertools.groupby(rows, key=lambda row: row[0]):
        values = folder.fold((kinds[kind], as_day(text), body) for _, kind, text, body in events if kind in kinds)
        pending.append({"pid": petition_id} | {f"v_{name}": values.get(name) for name in FIGURE_COLUMNS})
        done += 1
        if len(pending) >= batch:
            flush()
    flush()
    return done


_FOLDED = tuple(sorted({
    EventType.REGISTERED.value, EventType.TRANSFERRED.value, EventType.ASSIGNED.value, EventType.SIGNED_FOR.value,
    EventType.RETURNED_MISROUTED.value, EventType.ACCEPTED.value, EventType.EXTENSION_REQUESTED.value,
    EventType.EXTENSION_APPROVED.value, EventType.REPLIED.value, EventType.EVALUATED.value,
    EventType.CLOSED.value,
}))  # fmt: skip
"""The event types that move the analytics columns or the deadlines they read."""
_WITH_PAYLOAD = (EventType.EXTENSION_REQUESTED.value, EventType.EXTENSION_APPROVED.value, EventType.EVALUATED.value)
