"""Audit of personal data reached through sync: counter views (petitioner_access) and contact edits of petitioners.

A counter records every profile view as an append-only `petitioner_access` row, online or offline; when the server
merges that row it writes the matching `audit_log` entry (who, when — the counter's time of the view —, which
petitioner, from which device). Every accepted edit of a petitioner's record or phones is audited the same way (the
merge itself keeps the overwritten values in `record_history`); creating them at registration is not (the petition
and its registration event record that). A change the server has a receipt for
(an identical resend) is not audited twice: the receipts are read under the sequence lock, before the merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from efangtong_core.models import AuditLog, Petitioner, PetitionerPhone, SyncReceipt, User
from sync.protocol import Change, ChangeOp, ChangeResult, Outcome
from sync.sequence import lock_sequence

ACCESS_TABLE = "petitioner_access"
PERSON_TABLES = frozenset({"petitioner", "petitioner_phone"})
AUDITED_TABLES = PERSON_TABLES | {ACCESS_TABLE}
ACTION_OF_ACCESS = {"view": "read", "export": "export"}
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "origin", "server_seq", "deleted_at"})
_CHUNK = 500


def _is_creation(change: Change) -> bool:
    return change.op is ChangeOp.UPSERT and "id" in change.values  # an inserted row sends every column


def changes_to_audit(connection: Connection, changes: Iterable[Change]) -> list[Change]:
    """The changes to audit that the server has not received before; takes the sequence lock first.

    Audited: access-log rows; edits and deletions of petitioners and phones; a phone added to a petitioner the
    server already has. Not audited: a petitioner and phones created at registration (the petition records that).
    """
    candidates = [
        change
        for change in changes
        if change.table == ACCESS_TABLE or (change.table in PERSON_TABLES and not _is_creation(change))
    ]
    added_phones = [c for c in changes if c.table == "petitioner_phone" and _is_creation(c)]
    if added_phones:
        owners = {c.values.get("petitioner_id") for c in added_phones} - {None}
        known = _existing_petitioners(connection, [owner for owner in owners if isinstance(owner, str)])
        candidates += [c for c in added_phones if c.values.get("petitioner_id") in known]
    if not candidates:
        return []
    lock_sequence(connection)  # a concurrent delivery of the same changes then sees this one's receipts
    ids = [str(change.change_id) for change in candidates]
    seen: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        seen.update(connection.execute(select(SyncReceipt.change_id).where(SyncReceipt.change_id.in_(chunk))).scalars())
    return [change for change in candidates if str(change.change_id) not in seen]


def _existing_petitioners(connection: Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update(connection.execute(select(Petitioner.id).where(Petitioner.id.in_(chunk))).scalars())
    return found


def audit_merged_changes(
    connection: Connection,
    *,
    changes: list[Change],
    results: list[ChangeResult],
    user_id: str,
    username: str,
    device_id: str | None,
) -> int:
    """Write one audit row per accepted change of `changes` (from `changes_to_audit`); returns how many."""
    if not changes:
        return 0
    accepted = {result.change_id for result in results if result.outcome is Outcome.ACCEPTED}
    done = [change for change in changes if change.change_id in accepted]
    if not done:
        return 0
    now = datetime.now(UTC)
    pusher = {"user_id": user_id, "username": username, "device_id": device_id, "ip": None}
    viewers = _usernames(connection, [c.values.get("user_id") for c in done if c.table == ACCESS_TABLE])
    owners = _phone_owners(connection, [str(c.row_id) for c in done if c.table == "petitioner_phone"])
    rows: list[dict[str, Any]] = []
    for change in done:
        if change.table == ACCESS_TABLE:
            rows.append(_access_row(change, pusher, viewers, now))
        else:
            rows.append(_edit_row(change, pusher, owners, now))
    connection.execute(insert(AuditLog), rows)
    return len(rows)


def _access_row(change: Change, pusher: dict[str, Any], viewers: dict[str, str], now: datetime) -> dict[str, Any]:
    values = change.values
    viewer = values.get("user_id") if isinstance(values.get("user_id"), str) else None
    known = viewer in viewers
    details = {
        "source": "counter",
        "access_id": str(change.row_id),
        "online": bool(values.get("online")),
        "received_at": now.isoformat(),
        "pushed_by": pusher["username"],
        "origin": values.get("origin"),
    }
    extra = values.get("details")
    if isinstance(extra, dict):
        details.update({key: value for key, value in extra.items() if key not in details})
    return {
        **pusher,
        # The person who looked (the counter's signed-in user) may differ from the one whose session pushes.
        "user_id": viewer if known else pusher["user_id"],
        "username": viewers[viewer] if viewer is not None and known else pusher["username"],
        "at": _parse_time(values.get("at")) or now,
        "action": ACTION_OF_ACCESS.get(str(values.get("action")), "read"),
        "entity": "petitioner" if values.get("petitioner_id") else "petitioner_list",
        "entity_id": values.get("petitioner_id") if isinstance(values.get("petitioner_id"), str) else None,
        "details": details,
    }


def _edit_row(change: Change, pusher: dict[str, Any], owners: dict[str, str], now: datetime) -> dict[str, Any]:
    row_id = str(change.row_id)
    action = "delete" if change.op is ChangeOp.DELETE else ("create" if _is_creation(change) else "update")
    fields = sorted(key for key in change.values if key not in _BOOKKEEPING)
    if change.table == "petitioner":
        petitioner_id: str | None = row_id
        details: dict[str, Any] = {"fields": fields}
    else:
        petitioner_id = owners.get(row_id)
        details = {"fields": fields, "phone_id": row_id}
    details.update(source="sync", table=change.table, change_id=str(change.change_id))
    return {
        **pusher,
        "at": now,
        "action": action,
        "entity": "petitioner",
        "entity_id": petitioner_id,
        "details": details,
    }


def _usernames(connection: Connection, user_ids: list[Any]) -> dict[str, str]:
    wanted = sorted({value for value in user_ids if isinstance(value, str)})
    if not wanted:
        return {}
    rows = connection.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {row.id: row.username for row in rows}


def _phone_owners(connection: Connection, phone_ids: list[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for start in range(0, len(phone_ids), _CHUNK):
        chunk = phone_ids[start : start + _CHUNK]
        query = select(PetitionerPhone.id, PetitionerPhone.petitioner_id).where(PetitionerPhone.id.in_(chunk))
        owners.update({row.id: row.petitioner_id for row in connection.execute(query)})
    return owners


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
