"""The sync wire protocol (DESIGN.md §3): pydantic models both ends share, and the value encoding of row columns."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

PROTOCOL_VERSION = 1
"""The protocol this code speaks."""
MIN_CLIENT_PROTOCOL = 1
"""The oldest client protocol the server still accepts."""
MAX_PUSH_BATCH = 2000
"""The most changes one push may carry."""
DEFAULT_PUSH_BATCH = 1000
"""Changes per push a counter sends unless told otherwise (fewer requests, fewer commits)."""
MAX_PULL_LIMIT = 2000
"""The most rows one pull page may carry."""
PROTOCOL_HEADER = "X-EFT-Sync-Protocol"
_LEGACY_DIGEST_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)
"""The JSON text digests were taken of before orjson (`json.dumps(sort_keys=True, ensure_ascii=False)`)."""


def _digest_bytes_stdlib(body: dict[str, Any]) -> bytes:
    return _LEGACY_DIGEST_JSON.encode(body).encode()


def _load_digest_bytes() -> Callable[[dict[str, Any]], bytes]:
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a server dependency
        return _digest_bytes_stdlib
    dumps, sort_keys, error = orjson.dumps, orjson.OPT_SORT_KEYS, orjson.JSONEncodeError

    def digest_bytes(body: dict[str, Any]) -> bytes:
        try:
            return dumps(body, option=sort_keys)
        except error:  # an integer beyond 64 bits or nesting orjson refuses: the standard library takes any JSON
            return b"std:" + _digest_bytes_stdlib(body)

    return digest_bytes


_digest_bytes = _load_digest_bytes()


class ChangeOp(StrEnum):
    """What a change does to its row."""

    UPSERT = "upsert"
    DELETE = "delete"


class Outcome(StrEnum):
    """The server's answer to one change."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONFLICT = "conflict"


class Change(BaseModel):
    """One local write: the row, the fields it sets, and the server version it was based on."""

    change_id: uuid.UUID
    table: str = Field(min_length=1, max_length=64)
    row_id: uuid.UUID
    op: ChangeOp
    base_server_seq: int | None = Field(default=None, ge=0)
    values: dict[str, Any] = Field(default_factory=dict)
    client_time: datetime

    def _digest_body(self, row_id: str | None) -> dict[str, Any]:
        return {
            "table": self.table,
            "row_id": row_id or str(self.row_id),
            "op": self.op.value,
            "base": self.base_server_seq,
            "values": self.values,
        }

    def digest(self, row_id: str | None = None) -> str:
        """SHA-256 of what the change does (not when): an identical resend has the same digest.

        `row_id` is `str(self.row_id)` when the caller has it already.
        """
        return hashlib.sha256(_digest_bytes(self._digest_body(row_id))).hexdigest()

    def legacy_digest(self, row_id: str | None = None) -> str:
        """The digest as servers before orjson took it (receipts they stored still carry it)."""
        return hashlib.sha256(_digest_bytes_stdlib(self._digest_body(row_id))).hexdigest()


class PushRequest(BaseModel):
    """A batch of changes, in the order they were written."""

    protocol: int = Field(ge=0, le=1000)
    changes: list[Change] = Field(max_length=MAX_PUSH_BATCH)


class ChangeResult(BaseModel):
    """The answer to one change: accepted with its server_seq, rejected with a code and reason, or a conflict."""

    change_id: uuid.UUID
    outcome: Outcome
    server_seq: int | None = None
    code: str | None = None
    reason: str | None = None


class PushResult(BaseModel):
    """One answer per change of the request, in the same order."""

    results: list[ChangeResult]


class PullRequest(BaseModel):
    """Ask for rows changed after `cursor` (the highest server_seq the replica has)."""

    cursor: int = Field(default=0, ge=0)
    limit: int = Field(default=500, ge=1, le=MAX_PULL_LIMIT)
    scope: str | None = Field(default=None, max_length=64)


class PulledRow(BaseModel):
    """One row as the server has it now (a tombstone when deleted_at is set)."""

    table: str
    server_seq: int
    values: dict[str, Any]


class PullPage(BaseModel):
    """One page of rows in server order; `reset` asks the replica to drop what it holds and start again from 0."""

    rows: list[PulledRow]
    next_cursor: int
    has_more: bool
    scope: str
    reset: bool = False


class Hello(BaseModel):
    """The server's handshake: protocol versions, schema revision and clock."""

    protocol: int
    min_client_protocol: int
    schema_revision: str
    server_time: datetime
    sync_allowed: bool


class RejectCode(StrEnum):
    """Machine-readable reasons a change is rejected, besides the lifecycle's own codes."""

    UNKNOWN_TABLE = "unknown_table"
    READ_ONLY_TABLE = "read_only_table"
    OUT_OF_SCOPE = "out_of_scope"
    APPEND_ONLY = "append_only"
    ROLE_NOT_HELD = "role_not_held"
    INVALID_VALUE = "invalid_value"
    INTEGRITY = "integrity"
    CHANGE_ID_CONFLICT = "change_id_conflict"


REASONS: dict[str, str] = {
    RejectCode.UNKNOWN_TABLE: "未知的数据类别「{table}」",
    RejectCode.READ_ONLY_TABLE: "「{table}」由中心服务器统一维护，柜台不能修改",
    RejectCode.OUT_OF_SCOPE: "无权修改该记录：不在本账号的管辖范围内",
    RejectCode.APPEND_ONLY: "案件事件和访问记录只能追加，不能修改或删除",
    RejectCode.ROLE_NOT_HELD: "本账号没有「{role}」角色，不能以该角色记录事件",
    RejectCode.INVALID_VALUE: "字段「{field}」的值无效",
    RejectCode.INTEGRITY: "数据不完整或与已有数据冲突（如引用的记录不存在），未保存",
    RejectCode.CHANGE_ID_CONFLICT: "同一变更编号的内容与服务器已接收的不同，未应用",
}
"""The Chinese reasons clerks see, one per code."""

TOO_OLD_MESSAGE = (
    "本客户端的同步协议（版本 {client}）已过旧，服务器要求至少版本 {minimum}。请升级 e访通；未发送的修改已保留在本机。"
)


def encode_value(value: Any) -> Any:
    """A column value as JSON: datetimes and dates as ISO text, everything else as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode_row(values: dict[str, Any]) -> dict[str, Any]:
    """Every column value of a row encoded for the wire."""
    return {key: encode_value(value) for key, value in values.items()}


def scope_fingerprint(county: bool, unit_ids: frozenset[str], roles: frozenset[str]) -> str:
    """A short digest of what a user may see; a change makes the replica start again."""
    body = json.dumps({"county": county, "units": [] if county else sorted(unit_ids), "roles": sorted(roles)})
    return hashlib.sha256(body.encode()).hexdigest()[:32]


SyncStatusName = Literal["idle", "syncing", "offline", "error", "too_old"]
