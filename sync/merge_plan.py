"""The in-memory plan of one pushed batch: checks each change against the actor's scope, decides its rows (plain
records last-writer-wins with the losing values kept in history), and hands them to `PlannedWrites` in bulk.
Case events are planned by `sync.merge_events`; reads are cached by `sync.merge_rows`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from efangtong_core import lifecycle
from efangtong_core.models import new_id, utcnow
from sync.merge_events import apply_event
from sync.merge_rows import BatchRows
from sync.merge_writes import PlannedWrites, touch_families
from sync.protocol import Change, ChangeOp, RejectCode, encode_value
from sync.registration_lock import check_registration_open
from sync.rejection import Rejected, reject
from sync.scope import READ_ONLY_RULES, TABLE_RULES, Rule, Visibility, petition_visible, table
from sync.sequence import SequenceAllocator
from sync.values import InvalidValue, decode_values, full_row, missing_required

__all__ = ["DERIVED_TABLES", "Plan", "Rejected"]

DERIVED_TABLES = frozenset({"petition_unit"})
"""Tables the server derives from case events (case_projection); a counter's own copy is never pushed."""
PETITION_FIELDS_OF_VISIBILITY = ("town_id", "registering_unit_id")
NOT_IN_THE_FUTURE: dict[str, str] = {"petition": "registered_at", "case_event": "at"}
"""Times a counter's clock sets that cannot be later than the server's receipt of the change (a counter clock running
ahead does not date a registration or a case's step in the future)."""


class Plan:
    """Decides the rows of a batch's changes, one change at a time, in the order they were written."""

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
        self.reads = BatchRows(connection)
        self.writes = PlannedWrites(connection)
        self.families: set[str] = set()
        self.people: set[str] = set()
        """Petitioners known before this batch who joined a case in it (re-sent with what follows them)."""
        self.new_people: set[str] = set()

    def preload(self, changes: list[Change], row_ids: list[str] | None = None) -> None:
        """Read in bulk the rows the batch touches and the petitions its children belong to (`row_ids`: as text)."""
        self.reads.preload(changes, row_ids)

    # Scope ---------------------------------------------------------------------------------------------------------
    def petition_ok(self, petition_id: object) -> bool:
        """True when the actor may see (and so write to) the petition."""
        if not isinstance(petition_id, str):
            return False
        petition = self.reads.row("petition", petition_id)
        if petition is None:
            return False
        return self.vis.county or petition_visible(self.vis, petition, self.reads.handling_units(petition_id))

    def petitioner_ok(self, petitioner_id: object) -> bool:
        """True when the actor may change the petitioner: visible, or on no petition yet (just registered)."""
        if self.vis.county or not isinstance(petitioner_id, str) or self.reads.row("petitioner", petitioner_id) is None:
            return True
        petition_ids = self.reads.petitions_of_petitioner(petitioner_id)
        return not petition_ids or any(self.petition_ok(pid) for pid in petition_ids)

    def _check_scope(self, rule: Rule, current: dict[str, Any] | None, values: dict[str, Any], row_id: str) -> None:
        if rule is Rule.ACCESS_LOG and current is not None:
            raise reject(RejectCode.APPEND_ONLY)
        if self.vis.county:
            return
        merged = {**(current or {}), **values, "id": row_id}
        allowed = True
        if rule is Rule.PETITION:
            units = self.reads.handling_units(row_id) if current is not None else set()
            allowed = petition_visible(self.vis, merged, units) and (
                current is None or petition_visible(self.vis, current, units)
            )
        elif rule is Rule.FOLLOWS_PETITION:
            ids = {merged.get("petition_id"), (current or {}).get("petition_id")} - {None}
            allowed = all(self.petition_ok(pid) for pid in ids)
        elif rule is Rule.PETITIONER:
            allowed = current is None or self.petitioner_ok(row_id)
        elif rule in (Rule.FOLLOWS_PETITIONER, Rule.ACCESS_LOG):
            allowed = self.petitioner_ok(merged.get("petitioner_id"))
        elif rule is Rule.ATTACHMENT:
            if merged.get("petition_id"):
                allowed = self.petition_ok(merged["petition_id"])
            elif merged.get("case_event_id"):
                event = self.reads.row("case_event", merged["case_event_id"])
                allowed = event is not None and self.petition_ok(event["petition_id"])
            elif merged.get("petitioner_id"):
                allowed = self.petitioner_ok(merged["petitioner_id"])
        if not allowed:
            raise reject(RejectCode.OUT_OF_SCOPE)

    def _petition_row(self, petition_id: object) -> dict[str, Any] | None:
        return self.reads.row("petition", petition_id) if isinstance(petition_id, str) else None

    # Deciding ------------------------------------------------------------------------------------------------------
    def apply(self, change: Change, row_id: str | None = None) -> int:
        """Check one change and plan its rows; returns its server_seq or raises `Rejected` (`row_id`: as text)."""
        name = change.table
        rule = TABLE_RULES.get(name)
        if rule is None:
            raise reject(RejectCode.UNKNOWN_TABLE, table=name)
        if rule in READ_ONLY_RULES or name in DERIVED_TABLES:
            raise reject(RejectCode.READ_ONLY_TABLE, table=name)
        t = table(name)
        row_id = row_id or str(change.row_id)
        current = self.reads.row(name, row_id)
        try:
            values = decode_values(t, change.values) if change.op is ChangeOp.UPSERT else {}
        except InvalidValue as error:
            raise reject(RejectCode.INVALID_VALUE, field=error.field) from error
        future = NOT_IN_THE_FUTURE.get(name)
        if future is not None and isinstance(values.get(future), datetime) and values[future] > self.now:
            values[future] = self.now  # a counter clock running ahead
        if name == "case_event":
            return apply_event(self, change, current, values)
        if change.op is ChangeOp.DELETE:
            if current is None:
                raise reject(RejectCode.INTEGRITY)
            values = {"deleted_at": current["deleted_at"] or self.now}
        self._check_scope(rule, current, values, row_id)
        check_registration_open(name, current, values, self._petition_row)
        if current is None:
            return self.insert_row(t, {**values, "id": row_id})
        return self.update_row(t, current, values, change.base_server_seq)

    def insert_row(self, t: Table, values: dict[str, Any]) -> int:
        """Plan a new row (column defaults for what `values` leaves out); returns its server_seq."""
        row = full_row(t, values, now=self.now)
        if t.name == "petition":
            row.update(state=lifecycle.PetitionState.REGISTERED.value, event_count=0)
        row.update(origin=self.device_id, updated_at=self.now)
        missing = missing_required(t, row)
        if missing is not None:
            raise reject(RejectCode.INVALID_VALUE, field=missing)
        row["server_seq"] = seq = self.allocator.take()
        if t.name == "petitioner":
            self.new_people.add(row["id"])
        self.writes.insert(t.name, row)
        self.reads.rows[(t.name, row["id"])] = row
        self._note_visibility(t.name, None, row)
        return seq

    def update_row(self, t: Table, current: dict[str, Any], values: dict[str, Any], base: int | None) -> int:
        """Plan the change of an existing row, last writer wins; returns its new server_seq."""
        changed = {key: value for key, value in values.items() if current.get(key) != value}
        seq = self.allocator.take()
        if current.get("server_seq") is not None and (base or 0) < current["server_seq"]:
            for field, value in changed.items():
                self._history(t.name, current, field, value)
        update_values = {**changed, "server_seq": seq, "updated_at": self.now, "origin": self.device_id}
        self.writes.update(t.name, {"id": current["id"], **update_values})
        merged = {**current, **update_values}
        self.reads.rows[(t.name, current["id"])] = merged
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
            now=self.now,
        )
        row.update(server_seq=self.allocator.take(), updated_at=self.now)
        self.writes.insert("record_history", row)

    def _note_visibility(self, name: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        if name in ("petition", "petition_representative"):
            person = after.get("petitioner_id")
            if person and person not in self.new_people and (before is None or before.get("petitioner_id") != person):
                self.people.add(person)
        if name == "petition_unit":
            units = self.reads.units.get(after["petition_id"])
            if units is not None and after.get("deleted_at") is None:
                units.add(after["unit_id"])
            self.families.add(after["petition_id"])
        elif name == "petition" and before is not None and self._moved(before, after):
            self.families.add(after["id"])

    @staticmethod
    def _moved(before: dict[str, Any], after: dict[str, Any]) -> bool:
        return any(before.get(key) != after.get(key) for key in PETITION_FIELDS_OF_VISIBILITY)

    # Writing -------------------------------------------------------------------------------------------------------
    def discard_change(self) -> None:
        """Nothing to undo: a change is checked completely before it plans any row."""

    def forget(self) -> None:
        """Drop every cached row and planned write (after a savepoint was rolled back)."""
        self.reads.forget()
        self.writes.clear()

    def execute(self) -> None:
        """Write the planned rows in bulk."""
        self.writes.execute()

    def touch_families(self) -> None:
        """Re-sequence petitions that became visible to more units, with everything that follows them."""
        touch_families(self.connection, self.reads, self.allocator, self.families, self.people)
        self.families.clear()
        self.people.clear()
