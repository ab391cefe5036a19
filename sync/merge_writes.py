"""What a pushed batch writes: planned inserts and updates run in bulk, and re-sequencing of petition families."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from sync.merge_rows import BatchRows
from sync.scope import PETITION_FAMILY, table
from sync.sequence import SequenceAllocator


class PlannedWrites:
    """Inserts and updates in the order they were planned; `execute` runs them, like ones in one statement."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ops: list[tuple[str, str, dict[str, Any]]] = []

    def insert(self, name: str, row: dict[str, Any]) -> None:
        """Plan the insert of a full row into table `name`."""
        self.ops.append(("insert", name, row))

    def update(self, name: str, values: dict[str, Any]) -> None:
        """Plan an update of the row `values["id"]` of table `name`."""
        self.ops.append(("update", name, values))

    def clear(self) -> None:
        """Drop every planned write."""
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


def _ids(connection: Connection, name: str, column: str, values: list[str]) -> list[str]:
    if not values:
        return []
    t = table(name)
    return list(connection.execute(select(t.c.id).where(t.c[column].in_(values))).scalars())


def _history_ids(connection: Connection, name: str, row_ids: list[str]) -> list[str]:
    if not row_ids:
        return []
    history = table("record_history")
    query = select(history.c.id).where(history.c.table_name == name, history.c.row_id.in_(row_ids))
    return list(connection.execute(query).scalars())


def person_rows(connection: Connection, persons: list[str]) -> dict[str, list[str]]:
    """Table → ids of the petitioners `persons` and what follows them (phones, card photos, history)."""
    return {
        "petitioner": persons,
        "petitioner_phone": _ids(connection, "petitioner_phone", "petitioner_id", persons),
        "attachment": _ids(connection, "attachment", "petitioner_id", persons),
        "record_history": _history_ids(connection, "petitioner", persons),
    }


def family_rows(connection: Connection, petition: dict[str, Any]) -> dict[str, list[str]]:
    """Table → ids of every row that follows the petition (its people, their phones, photos and history included)."""
    petition_id = petition["id"]
    rep = table("petition_representative")
    people = {petition["petitioner_id"]} if petition.get("petitioner_id") else set()
    people |= set(connection.execute(select(rep.c.petitioner_id).where(rep.c.petition_id == petition_id)).scalars())
    persons = person_rows(connection, sorted(people))
    family: dict[str, list[str]] = {
        "petitioner": persons["petitioner"],
        "petitioner_phone": persons["petitioner_phone"],
        "petition": [petition_id],
    }
    for name in PETITION_FAMILY:
        family[name] = _ids(connection, name, "petition_id", [petition_id])
    of_events = _ids(connection, "attachment", "case_event_id", family["case_event"])
    family["attachment"] = list(dict.fromkeys([*family["attachment"], *persons["attachment"], *of_events]))
    family["record_history"] = _history_ids(connection, "petition", [petition_id]) + persons["record_history"]
    return family


def _resequence(connection: Connection, allocator: SequenceAllocator, rows: dict[str, list[str]]) -> None:
    for name, ids in rows.items():
        if ids:
            t = table(name)
            params = [{"_id": row_id, "_seq": allocator.take()} for row_id in ids]
            connection.execute(update(t).where(t.c.id == bindparam("_id")).values(server_seq=bindparam("_seq")), params)


def touch_families(
    connection: Connection,
    rows: BatchRows,
    allocator: SequenceAllocator,
    petition_ids: set[str],
    people: Iterable[str] = (),
) -> None:
    """Re-sequence petitions that became visible to more units, with everything that follows them, and `people`
    known before who joined a case (a returning petitioner, a representative): their case's units see them now."""
    for petition_id in sorted(petition_ids):
        petition = rows.row("petition", petition_id)
        if petition is not None:
            _resequence(connection, allocator, family_rows(connection, petition))
    persons = sorted(people)
    if persons:
        _resequence(connection, allocator, person_rows(connection, persons))
