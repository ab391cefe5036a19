"""The in-memory plan of one pushed batch: checks each change, decides its rows, and writes them in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, union, update
from sqlalchemy.engine import Connection

from efangtong_core import lifecycle
from efangtong_core.accountability import REQUEST_EVENTS, REQUEST_OF, UNIT_ROLES, AccountabilityRefused, check_event
from efangtong_core.case_projection import CaseProjection, lifecycle_config, project, touches_units
from efangtong_core.deadlines import DeadlineRule
from efangtong_core.lifecycle import CaseStatus, EventType, TransitionRejected
from efangtong_core.models import new_id, utcnow
from efangtong_core.vocabulary import Role
from efangtong_core.workdays import HolidayCalendar
from sync.protocol import REASONS, Change, ChangeOp, RejectCode, encode_value
from sync.scope import PETITION_FAMILY, READ_ONLY_RULES, TABLE_RULES, Rule, Visibility, petition_visible, table
from sync.sequence import SequenceAllocator
from sync.values import InvalidValue, decode_values, full_row, missing_required

CHUNK = 500
DERIVED_TABLES = frozenset({"petition_unit"})
"""Tables the server derives from case events (case_projection); a counter's own copy is never pushed."""
PETITION_FIELDS_OF_VISIBILITY = ("town_id", "registering_unit_id")


class Rejected(Exception):
    """A change the server refuses: a machine code and the Chinese reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _reject(code: RejectCode, **fields: object) -> Rejected:
    return Rejected(code.value, REASONS[code].format(**fields))


class Plan:
    """Rows a batch reads and writes, cached so that later changes of the batch see earlier ones."""

    def __init__(
        self,
        connection: Connection,
        visibility: Visibility,
        user_id: str,
        device_id: str | None,
        allocator: SequenceAllocator,
    ) -> None:
        self.connection = connection
        self.vis = visibility
        self.user_id = user_id
        self.device_id = device_id
        self.allocator = allocator
        self.now = utcnow()
        self.rows: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.units: dict[str, set[str]] = {}
        self.statuses: dict[str, CaseStatus | None] = {}
        self.ops: list[tuple[str, str, dict[str, Any]]] = []
        self.families: set[str] = set()
        self.unit_rows: dict[str, list[dict[str, Any]]] = {}
        self.requesters: dict[str, dict[EventType, str | None]] = {}
        self._lifecycle_config: tuple[tuple[DeadlineRule, ...], HolidayCalendar] | None = None

    # Reading -------------------------------------------------------------------------------------------------------
    def _load(self, name: str, ids: Iterable[str]) -> None:
        wanted = [row_id for row_id in dict.fromkeys(ids) if (name, row_id) not in self.rows]
        t = table(name)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found = {row.id: dict(row._mapping) for row in self.connection.execute(select(t).where(t.c.id.in_(chunk)))}
            for row_id in chunk:
                self.rows[(name, row_id)] = found.get(row_id)

    def preload(self, changes: list[Change]) -> None:
        """Read in bulk the rows the batch touches and the petitions its children belong to."""
        by_table: dict[str, list[str]] = {}
        petitions: list[str] = []
        for change in changes:
            if change.table in TABLE_RULES:
                by_table.setdefault(change.table, []).append(str(change.row_id))
                petition_id = change.values.get("petition_id")
                if isinstance(petition_id, str):
                    petitions.append(petition_id)
        for name, ids in by_table.items():
            self._load(name, ids)
        self._load("petition", petitions)

    def row(self, name: str, row_id: str) -> dict[str, Any] | None:
        """The row as the server has it, including this batch's changes; None if there is none."""
        if (name, row_id) not in self.rows:
            self._load(name, [row_id])
        return self.rows[(name, row_id)]

    def handling_units(self, petition_id: str) -> set[str]:
        """The units handling a petition (petition_unit rows not deleted)."""
        if petition_id not in self.units:
            pu = table("petition_unit")
            query = select(pu.c.unit_id).where(pu.c.petition_id == petition_id, pu.c.deleted_at.is_(None))
            self.units[petition_id] = set(self.connection.execute(query).scalars())
        return self.units[petition_id]

    def petition_ok(self, petition_id: object) -> bool:
        """True when the actor may see (and so write to) the petition."""
        if not isinstance(petition_id, str):
            return False
        petition = self.row("petition", petition_id)
        if petition is None:
            return False
        return self.vis.county or petition_visible(self.vis, petition, self.handling_units(petition_id))

    def petitioner_ok(self, petitioner_id: object) -> bool:
        """True when the actor may change the petitioner: visible, or on no petition yet (just registered)."""
        if self.vis.county or not isinstance(petitioner_id, str) or self.row("petitioner", petitioner_id) is None:
            return True
        p, rep = table("petition"), table("petition_representative")
        linked = union(
            select(p.c.id).where(p.c.petitioner_id == petitioner_id),
            select(rep.c.petition_id).where(rep.c.petitioner_id == petitioner_id),
        )
        petition_ids = list(self.connection.execute(linked).scalars())
        return not petition_ids or any(self.petition_ok(pid) for pid in petition_ids)

    def status(self, petition_id: str) -> CaseStatus | None:
        """The case's status from its accepted events in server order."""
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
                    event = _event(row.type, row.at, row.role, row.payload)
                    status = lifecycle.apply(status, event, rules=rules, calendar=calendar)
                except (TransitionRejected, ValueError):
                    continue
                if event.type in REQUEST_EVENTS:
                    self.requesters.setdefault(petition_id, {})[event.type] = row.actor_id
            self.statuses[petition_id] = status
        return self.statuses[petition_id]

    def lifecycle_config(self) -> tuple[tuple[DeadlineRule, ...], HolidayCalendar]:
        """The deadline rules and holiday calendar of the database, read once per batch."""
        if self._lifecycle_config is None:
            self._lifecycle_config = lifecycle_config(self.connection)
        return self._lifecycle_config

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

    # Deciding ------------------------------------------------------------------------------------------------------
    def apply(self, change: Change) -> int:
        """Check one change and plan its rows; returns its server_seq or raises `Rejected`."""
        name = change.table
        rule = TABLE_RULES.get(name)
        if rule is None:
            raise _reject(RejectCode.UNKNOWN_TABLE, table=name)
        if rule in READ_ONLY_RULES or name in DERIVED_TABLES:
            raise _reject(RejectCode.READ_ONLY_TABLE, table=name)
        t = table(name)
        row_id = str(change.row_id)
        current = self.row(name, row_id)
        try:
            values = decode_values(t, change.values) if change.op is ChangeOp.UPSERT else {}
        except InvalidValue as error:
            raise _reject(RejectCode.INVALID_VALUE, field=error.field) from error
        if name == "case_event":
            return self._apply_event(change, current, values)
        if change.op is ChangeOp.DELETE:
            if current is None:
                raise _reject(RejectCode.INTEGRITY)
            values = {"deleted_at": current["deleted_at"] or self.now}
        merged = {**(current or {}), **values}
        self._check_scope(name, rule, current, merged)
        if current is None:
            return self._insert(t, {**values, "id": row_id})
        return self._update(t, current, values, change.base_server_seq)

    def _check_scope(self, name: str, rule: Rule, current: dict[str, Any] | None, merged: dict[str, Any]) -> None:
        if rule is Rule.ACCESS_LOG and current is not None:
            raise _reject(RejectCode.APPEND_ONLY)
        if self.vis.county:
            return
        allowed = True
        if rule is Rule.PETITION:
            units = self.handling_units(merged["id"]) if current is not None else set()
            allowed = petition_visible(self.vis, merged, units) and (
                current is None or petition_visible(self.vis, current, units)
            )
        elif rule is Rule.FOLLOWS_PETITION:
            ids = {merged.get("petition_id"), (current or {}).get("petition_id")} - {None}
            allowed = all(self.petition_ok(pid) for pid in ids)
        elif rule is Rule.PETITIONER:
            allowed = current is None or self.petitioner_ok(merged["id"])
        elif rule in (Rule.FOLLOWS_PETITIONER, Rule.ACCESS_LOG):
            allowed = self.petitioner_ok(merged.get("petitioner_id"))
        elif rule is Rule.ATTACHMENT:
            if merged.get("petition_id"):
                allowed = self.petition_ok(merged["petition_id"])
            elif merged.get("case_event_id"):
                event = self.row("case_event", merged["case_event_id"])
                allowed = event is not None and self.petition_ok(event["petition_id"])
            elif merged.get("petitioner_id"):
                allowed = self.petitioner_ok(merged["petitioner_id"])
        if not allowed:
            raise _reject(RejectCode.OUT_OF_SCOPE)

    def _insert(self, t: Table, values: dict[str, Any]) -> int:
        row = full_row(t, values)
        seq = self.allocator.take()
        row.update(server_seq=seq, origin=self.device_id, updated_at=self.now)
        if t.name == "petition":
            row.update(state=lifecycle.PetitionState.REGISTERED.value, event_count=0)
        missing = missing_required(t, row)
        if missing is not None:
            self.allocator.last -= 1
            raise _reject(RejectCode.INVALID_VALUE, field=missing)
        self.ops.append(("insert", t.name, row))
        self.rows[(t.name, row["id"])] = row
        self._note_visibility(t.name, None, row)
        return seq

    def _update(self, t: Table, current: dict[str, Any], values: dict[str, Any], base: int | None) -> int:
        changed = {key: value for key, value in values.items() if current.get(key) != value}
        seq = self.allocator.take()
        if current.get("server_seq") is not None and (base or 0) < current["server_seq"]:
            for field, value in changed.items():
                self._history(t.name, current, field, value)
        update_values = {**changed, "server_seq": seq, "updated_at": self.now, "origin": self.device_id}
        self.ops.append(("update", t.name, {"id": current["id"], **update_values}))
        merged = {**current, **update_values}
        self.rows[(t.name, current["id"])] = merged
        self._note_visibility(t.name, current, merged)
        return seq

    def _history(self, name: str, current: dict[str, Any], field: str, value: Any) -> None:
        history = table("record_history")
        row = full_row(
            history,
            {
                "id": new_id(),
                "table_name": name,
                "row_id": current["id"],
                "field": field,
                "old_value": encode_value(current.get(field)),
                "new_value": encode_value(value),
                "changed_at": self.now,
                "changed_by_id": self.user_id,
                "change_origin": self.device_id,
                "losing_origin": current.get("origin"),
            },
        )
        row.update(server_seq=self.allocator.take(), updated_at=self.now)
        self.ops.append(("insert", "record_history", row))

    def _note_visibility(self, name: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        if name == "petition_unit":
            units = self.units.get(after["petition_id"])
            if units is not None and after.get("deleted_at") is None:
                units.add(after["unit_id"])
            self.families.add(after["petition_id"])
        elif name == "petition" and before is not None and self._moved(before, after):
            self.families.add(after["id"])

    @staticmethod
    def _moved(before: dict[str, Any], after: dict[str, Any]) -> bool:
        return any(before.get(key) != after.get(key) for key in PETITION_FIELDS_OF_VISIBILITY)

    def _apply_event(self, change: Change, current: dict[str, Any] | None, values: dict[str, Any]) -> int:
        if change.op is ChangeOp.DELETE or current is not None:
            raise _reject(RejectCode.APPEND_ONLY)
        petition_id = values.get("petition_id")
        if not self.petition_ok(petition_id):
            raise _reject(RejectCode.OUT_OF_SCOPE)
        assert isinstance(petition_id, str)
        role = values.get("role")
        if role not in self.vis.roles:
            label = Role.from_code(role).label if isinstance(role, str) and Role.has_code(role) else str(role)
            raise _reject(RejectCode.ROLE_NOT_HELD, role=label)
        if not isinstance(values.get("type"), str) or not EventType.has_code(values["type"]):
            raise _reject(RejectCode.INVALID_VALUE, field="type")
        at = values.get("at") or self.now
        event = _event(values["type"], at, role, values.get("payload"))
        before = self.status(petition_id)
        rules, calendar = self.lifecycle_config()
        try:
            status = lifecycle.apply(before, event, rules=rules, calendar=calendar)
        except TransitionRejected as rejected:
            raise Rejected(rejected.code.value, rejected.reason) from rejected
        self._check_accountability(petition_id, event, values)
        petition = self.row("petition", petition_id)
        assert petition is not None
        units = self.petition_unit_rows(petition_id) if touches_units(before, event.type) else []
        actor_unit = values.get("actor_unit_id")
        projection = project(
            petition_id=petition_id,
            petition=petition,
            before=before,
            after=status,
            event=event,
            actor_unit_id=actor_unit if isinstance(actor_unit, str) else None,
            unit_rows=units,
        )
        count = projection.petition["event_count"]
        seq = self._insert(
            table("case_event"),
            {**values, "id": str(change.row_id), "at": at, "actor_id": self.user_id, "seq": values.get("seq") or count},
        )
        self.statuses[petition_id] = status
        if event.type in REQUEST_EVENTS:
            self.requesters.setdefault(petition_id, {})[event.type] = self.user_id
        self._update(table("petition"), petition, projection.petition, petition.get("server_seq"))
        self._write_unit_rows(petition_id, projection)
        return seq

    def _check_accountability(self, petition_id: str, event: lifecycle.CaseEvent, values: dict[str, Any]) -> None:
        """The unit's own cases and four eyes (efangtong_core.accountability); raises `Rejected`."""
        request = REQUEST_OF.get(event.type)
        needs_units = event.role in UNIT_ROLES and not self.vis.county
        handling = (
            {r["unit_id"]: r["role"] for r in self.petition_unit_rows(petition_id) if r.get("deleted_at") is None}
            if needs_units
            else {}
        )
        actor_unit = values.get("actor_unit_id")
        try:
            check_event(
                event.type,
                event.role,
                actor_id=self.user_id,
                actor_units=None if self.vis.county else self.vis.unit_ids,
                actor_unit_id=actor_unit if isinstance(actor_unit, str) else None,
                handling_units=handling,
                requester_id=self.requesters.get(petition_id, {}).get(request) if request else None,
            )
        except AccountabilityRefused as refused:
            raise Rejected(refused.code.value, refused.reason) from refused

    def _write_unit_rows(self, petition_id: str, projection: CaseProjection) -> None:
        """Write the petition_unit rows an event derived (case_projection), keeping the batch's cache current."""
        t = table("petition_unit")
        for write in projection.units:
            current = None if write.insert else self.row("petition_unit", write.values["id"])
            if current is None:
                self._insert(t, write.values)
            else:
                self._update(t, current, write.values, current.get("server_seq"))
            row = self.rows[("petition_unit", write.values["id"])]
            assert row is not None
            cached = [r for r in self.unit_rows.get(petition_id, []) if r["id"] != row["id"]]
            self.unit_rows[petition_id] = [*cached, row]
            if row.get("deleted_at") is not None:
                self.units.get(petition_id, set()).discard(row["unit_id"])

    # Writing -------------------------------------------------------------------------------------------------------
    def discard_change(self) -> None:
        """Nothing to undo: a change is checked completely before it plans any row."""

    def forget(self) -> None:
        """Drop every cached row and planned write (after a savepoint was rolled back)."""
        self.rows.clear()
        self.units.clear()
        self.statuses.clear()
        self.unit_rows.clear()
        self.requesters.clear()
        self.ops.clear()

    def execute(self) -> None:
        """Write the planned rows, consecutive writes of the same shape in one statement."""
        ops, self.ops = self.ops, []
        start = 0
        while start < len(ops):
            kind, name, first = ops[start]
            end = start + 1
            while end < len(ops) and ops[end][0] == kind and ops[end][1] == name and ops[end][2].keys() == first.keys():
                end += 1
            rows = [op[2] for op in ops[start:end]]
            t = table(name)
            if kind == "insert":
                self.connection.execute(insert(t), rows)
            else:
                keys = [key for key in first if key != "id"]
                statement = (
                    update(t)
                    .where(t.c.id == bindparam("_id"))
                    .values({key: bindparam(f"v_{key}", type_=t.c[key].type) for key in keys})
                )
                params = [{"_id": row["id"], **{f"v_{key}": row[key] for key in keys}} for row in rows]
                self.connection.execute(statement, params)
            start = end

    def _ids(self, name: str, column: str, values: list[str]) -> list[str]:
        t = table(name)
        return list(self.connection.execute(select(t.c.id).where(t.c[column].in_(values))).scalars())

    def touch_families(self) -> None:
        """Re-sequence petitions that became visible to more units, with everything that follows them."""
        for petition_id in sorted(self.families):
            petition = self.row("petition", petition_id)
            if petition is None:
                continue
            rep = table("petition_representative")
            people = {petition["petitioner_id"]} if petition.get("petitioner_id") else set()
            people |= set(
                self.connection.execute(select(rep.c.petitioner_id).where(rep.c.petition_id == petition_id)).scalars()
            )
            plan = [
                ("petitioner", sorted(people)),
                ("petitioner_phone", self._ids("petitioner_phone", "petitioner_id", sorted(people))),
                ("petition", [petition_id]),
                *((name, self._ids(name, "petition_id", [petition_id])) for name in PETITION_FAMILY),
            ]
            for name, ids in plan:
                if ids:
                    t = table(name)
                    params = [{"_id": row_id, "_seq": self.allocator.take()} for row_id in ids]
                    self.connection.execute(
                        update(t).where(t.c.id == bindparam("_id")).values(server_seq=bindparam("_seq")), params
                    )
        self.families.clear()


def _event(kind: str, at: datetime, role: Any, payload: Any) -> lifecycle.CaseEvent:
    role_value = Role.from_code(role) if isinstance(role, str) and Role.has_code(role) else Role.CLERK
    return lifecycle.CaseEvent(
        type=EventType.from_code(kind), at=at, role=role_value, payload=payload if isinstance(payload, dict) else {}
    )
