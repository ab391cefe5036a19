"""What a pushed batch reads: the rows it touches, cached so that later changes of the batch see earlier ones.

Rows are read in bulk (one SELECT per table and chunk of ids) before the batch is planned; the few lookups that
depend on a change (a petition's handling units, a case's state from its events) are read once per petition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, String, any_, literal, select, union
from sqlalchemy.engine import Connection, Dialect

from efangtong_core import lifecycle
from efangtong_core.accountability import REQUEST_EVENTS
from efangtong_core.case_projection import lifecycle_config
from efangtong_core.deadlines import DeadlineRule
from efangtong_core.lifecycle import CaseStatus, EventType, TransitionRejected
from efangtong_core.vocabulary import Role
from efangtong_core.workdays import HolidayCalendar
from sync.protocol import Change
from sync.scope import TABLE_RULES, table

CHUNK = 500
"""Ids per `IN (...)` query on SQLite; PostgreSQL takes a batch's ids as one array parameter."""


def chunk_size(dialect: Dialect) -> int:
    """How many ids one lookup query carries on `dialect`."""
    return 1_000_000 if dialect.name == "postgresql" else CHUNK


def one_of(column: ColumnElement[Any], ids: list[str], dialect: Dialect) -> ColumnElement[bool]:
    """`column IN (ids)`; on PostgreSQL `column = ANY(:array)`, one parameter that the driver need not re-parse."""
    if dialect.name == "postgresql":
        return column == any_(literal(ids, ARRAY(String)))
    return column.in_(ids)


def case_event(kind: str, at: datetime, role: Any, payload: Any) -> lifecycle.CaseEvent:
    """A stored or pushed event as the lifecycle reads it (an unknown role counts as the clerk's)."""
    role_value = Role.from_code(role) if isinstance(role, str) and Role.has_code(role) else Role.CLERK
    return lifecycle.CaseEvent(
        type=EventType.from_code(kind), at=at, role=role_value, payload=payload if isinstance(payload, dict) else {}
    )


class BatchRows:
    """The rows a batch reads, with this batch's writes laid over them."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.rows: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.units: dict[str, set[str]] = {}
        self.unit_rows: dict[str, list[dict[str, Any]]] = {}
        self.statuses: dict[str, CaseStatus | None] = {}
        self.requesters: dict[str, dict[EventType, str | None]] = {}
        self._lifecycle_config: tuple[tuple[DeadlineRule, ...], HolidayCalendar] | None = None

    def load(self, name: str, ids: Iterable[str]) -> None:
        """Read the rows of table `name` with these ids that are not cached yet (absent ones cached as None)."""
        wanted = [row_id for row_id in dict.fromkeys(ids) if (name, row_id) not in self.rows]
        t = table(name)
        size = chunk_size(self.connection.dialect)
        for start in range(0, len(wanted), size):
            chunk = wanted[start : start + size]
            query = select(t).where(one_of(t.c.id, chunk, self.connection.dialect))
            found = {row.id: dict(row._mapping) for row in self.connection.execute(query)}
            for row_id in chunk:
                self.rows[(name, row_id)] = found.get(row_id)

    def preload(self, changes: list[Change], row_ids: list[str] | None = None) -> None:
        """Read in bulk the rows the batch touches and the petitions its children belong to (`row_ids`: as text)."""
        by_table: dict[str, list[str]] = {}
        petitions: list[str] = []
        texts = row_ids if row_ids is not None else [str(change.row_id) for change in changes]
        for change, row_id in zip(changes, texts, strict=True):
            if change.table in TABLE_RULES:
                by_table.setdefault(change.table, []).append(row_id)
                petition_id = change.values.get("petition_id")
                if isinstance(petition_id, str):
                    petitions.append(petition_id)
        for name, ids in by_table.items():
            self.load(name, ids)
        self.load("petition", petitions)

    def row(self, name: str, row_id: str) -> dict[str, Any] | None:
        """The row as the server has it, including this batch's changes; None if there is none."""
        if (name, row_id) not in self.rows:
            self.load(name, [row_id])
        return self.rows[(name, row_id)]

    def handling_units(self, petition_id: str) -> set[str]:
        """The units handling a petition (petition_unit rows not deleted)."""
        if petition_id not in self.units:
            pu = table("petition_unit")
            query = select(pu.c.unit_id).where(pu.c.petition_id == petition_id, pu.c.deleted_at.is_(None))
            self.units[petition_id] = set(self.connection.execute(query).scalars())
        return self.units[petition_id]

    def petitions_of_petitioner(self, petitioner_id: str) -> list[str]:
        """The petitions a petitioner filed or represents."""
        p, rep = table("petition"), table("petition_representative")
        linked = union(
            select(p.c.id).where(p.c.petitioner_id == petitioner_id),
            select(rep.c.petition_id).where(rep.c.petitioner_id == petitioner_id),
        )
        return list(self.connection.execute(linked).scalars())

    def petition_unit_rows(self, petition_id: str) -> list[dict[str, Any]]:
        """The petition's petition_unit rows (tombstoned ones included), with this batch's writes."""
        if petition_id not in self.unit_rows:
            pu = table("petition_unit")
            query = select(pu).where(pu.c.petition_id == petition_id)
            found = [dict(row._mapping) for row in self.connection.execute(query)]
            for row in found:
                self.rows.setdefault(("petition_unit", row["id"]), row)
            self.unit_rows[petition_id] = [self.rows[("petition_unit", row["id"])] or row for row in found]
        return self.unit_rows[petition_id]

    def lifecycle_config(self) -> tuple[tuple[DeadlineRule, ...], HolidayCalendar]:
        """The deadline rules and holiday calendar of the database, read once per batch."""
        if self._lifecycle_config is None:
            self._lifecycle_config = lifecycle_config(self.connection)
        return self._lifecycle_config

    def status(self, petition_id: str) -> CaseStatus | None:
        """The case's status from its accepted events in server order (and who made each request)."""
        if petition_id not in self.statuses:
            events = table("case_event")
            query = (
                select(events.c.type, events.c.at, events.c.role, events.c.payload, events.c.actor_id)
                .where(events.c.petition_id == petition_id, events.c.deleted_at.is_(None))
                .order_by(events.c.server_seq)
            )
            status: CaseStatus | None = None
            rules, calendar = self.lifecycle_config()
            for row in self.connection.execute(query):
                try:
                    event = case_event(row.type, row.at, row.role, row.payload)
                    status = lifecycle.apply(status, event, rules=rules, calendar=calendar)
                except (TransitionRejected, ValueError):
                    continue
                if event.type in REQUEST_EVENTS:
                    self.requesters.setdefault(petition_id, {})[event.type] = row.actor_id
            self.statuses[petition_id] = status
        return self.statuses[petition_id]

    def forget(self) -> None:
        """Drop every cached row (after a savepoint was rolled back)."""
        self.rows.clear()
        self.units.clear()
        self.statuses.clear()
        self.unit_rows.clear()
        self.requesters.clear()
