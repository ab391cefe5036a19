"""The counter's sync engine (DESIGN.md §3): push the outbox in batches, pull pages after the cursor.

- A change is marked sent (or rejected) only when the server's answer for it arrives; a lost answer means the
  batch is sent again and the server answers it again from its receipts.
- A pulled page, the rows it carries and the new cursor commit in one transaction; rows with unsent local changes
  are left as they are (the local change is pushed first and comes back with its server order).
- Pulled rows are written with foreign-key checks off: the replica holds only part of the data (what the user may
  see) and rows arrive in server order, not parent-first; the server is the authority on integrity.
- When the user's scope changes (another unit, other roles, another user on this PC) the server asks for a reset:
  the replica drops every row except those with changes still to be dealt with, and pulls again from 0.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import requests
from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from efangtong_core.db import current_revision, writing_engine
from efangtong_core.models import Base, replicated_tables
from efangtong_core.models.sync import SyncOutbox, SyncState
from sync.outbox import PENDING, REJECTED
from sync.protocol import (
    DEFAULT_PUSH_BATCH,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    TOO_OLD_MESSAGE,
    Hello,
    PullPage,
    PushResult,
)
from sync.push import read_batch, record_answers
from sync.values import InvalidValue, decode_value

CURSOR, SCOPE, LAST_SUCCESS = "cursor", "scope", "last_success"
PULLED_WITH_SCHEMA = "pulled_with_schema"
"""The replica's schema revision when it last pulled: after an update of the counter it pulls everything again."""


class SyncError(Exception):
    """A sync that could not finish; `message` is Chinese, `status` the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ServerUnreachable(SyncError):
    """The server could not be reached, or its answer was lost: try again later."""


class ClientTooOld(SyncError):
    """The server no longer accepts this client's protocol: the user must update; unsent changes are kept."""


class Transport(Protocol):
    """JSON over HTTP to the server's API (paths below /api/v1).

    A transport whose `accepts_encoded_json` is true is given push bodies as bytes of JSON already encoded.
    """

    def get(self, path: str, params: dict[str, Any]) -> Any:
        """GET and return the decoded JSON answer."""

    def post(self, path: str, body: Any) -> Any:
        """POST JSON and return the decoded JSON answer."""


class RequestsTransport:
    """A `Transport` over `requests` with a bearer token."""

    accepts_encoded_json = True
    """`post` also takes the body as bytes of encoded JSON (the push sends the outbox's stored JSON as it is)."""

    def __init__(self, base_url: str, token: Callable[[], str], *, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/") + "/api/v1"
        self.token = token
        self.timeout = timeout
        self.http = requests.Session()

    def _send(self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        headers = {**(headers or {}), "Authorization": f"Bearer {self.token()}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        try:
            response = self.http.request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs)
            body = response.json() if response.content else None
        except (requests.RequestException, ValueError) as error:
            raise ServerUnreachable("无法连接中心服务器或服务器答复中断，稍后将自动重试") from error
        if response.status_code == 426:
            raise ClientTooOld(str((body or {}).get("detail", "请升级 e访通")), 426)
        if response.status_code >= 400:
            detail = body.get("detail") if isinstance(body, dict) else None
            raise SyncError(str(detail or f"服务器返回错误（{response.status_code}）"), response.status_code)
        return body

    def get(self, path: str, params: dict[str, Any]) -> Any:
        """GET and return the decoded JSON answer."""
        return self._send("GET", path, params=params)

    def post(self, path: str, body: Any) -> Any:
        """POST JSON (or `bytes` of JSON already encoded) and return the decoded JSON answer."""
        if isinstance(body, bytes):
            data = body
        else:  # Chinese as UTF-8, a third smaller than escapes; a stray surrogate still reaches the server (refused)
            data = json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return self._send("POST", path, data=data, headers={"Content-Type": "application/json"})


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    accepted: int
    rejected: int
    pulled: int
    reset: bool
    finished_at: datetime


def read_state(connection: Connection, key: str) -> str | None:
    """A value of the replica's sync state."""
    return connection.execute(select(SyncState.value).where(SyncState.key == key)).scalar_one_or_none()


def write_state(connection: Connection, key: str, value: str | None) -> None:
    """Set a value of the replica's sync state."""
    statement = sqlite_insert(SyncState).values(key=key, value=value)
    connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


@contextmanager
def _without_foreign_keys(engine: Engine) -> Iterator[Connection]:
    with writing_engine(engine).connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


class SyncClient:
    """Sync one replica (a SQLite engine) with the server through `transport`."""

    def __init__(
        self,
        engine: Engine,
        transport: Transport,
        *,
        batch_size: int = DEFAULT_PUSH_BATCH,
        page_size: int = 500,
        protocol: int = PROTOCOL_VERSION,
        on_progress: Callable[[str, int], None] | None = None,
    ) -> None:
        self.engine = engine
        self.writer = writing_engine(engine)
        self.transport = transport
        self.batch_size = batch_size
        self.page_size = page_size
        self.protocol = protocol
        self.on_progress = on_progress or (lambda stage, count: None)
        self._columns = {t.name: {c.name: c for c in t.columns} for t in replicated_tables()}

    def hello(self) -> Hello:
        """The server's handshake; `ClientTooOld` when this client must be updated first."""
        answer = Hello.model_validate(self.transport.get("/sync/hello", {}))
        if self.protocol < answer.min_client_protocol:
            raise ClientTooOld(TOO_OLD_MESSAGE.format(client=self.protocol, minimum=answer.min_client_protocol), 426)
        return answer

    def sync(self) -> SyncReport:
        """Handshake, push everything pending, then pull everything new."""
        self.hello()
        accepted, rejected = self.push()
        pulled, reset = self.pull()
        finished = datetime.now(UTC)
        with self.writer.begin() as connection:
            write_state(connection, LAST_SUCCESS, finished.isoformat())
        return SyncReport(accepted=accepted, rejected=rejected, pulled=pulled, reset=reset, finished_at=finished)

    # Push ----------------------------------------------------------------------------------------------------------
    def push(self) -> tuple[int, int]:
        """Send pending changes in batches, in the order they were written; returns (accepted, rejected).

        A batch is sent once the answer to the batch before it has arrived. While the server merges it, the answer
        before is recorded and the next batch is read from the outbox. (Should the counter stop before an answer is
        recorded, that batch is pending still and sent again; the server answers it again from its receipts.)
        """
        accepted = rejected = 0
        encoded = getattr(self.transport, "accepts_encoded_json", False)
        with self.engine.connect() as connection:
            batch = read_batch(connection, after=0, limit=self.batch_size)
        answered: PushResult | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as sender:
            while batch is not None:
                self.on_progress("push", len(batch.changes))
                text = batch.body(self.protocol)
                body = text.encode("utf-8", "surrogatepass") if encoded else json.loads(text)
                answer = sender.submit(self.transport.post, "/sync/push", body)
                if answered is not None:
                    taken, refused = self._record(answered)
                    accepted, rejected = accepted + taken, rejected + refused
                with self.engine.connect() as connection:
                    upcoming = read_batch(connection, after=batch.last, limit=self.batch_size)
                answered = PushResult.model_validate(answer.result())
                batch = upcoming
        if answered is not None:
            taken, refused = self._record(answered)
            accepted, rejected = accepted + taken, rejected + refused
        return accepted, rejected

    def _record(self, result: PushResult) -> tuple[int, int]:
        with self.writer.begin() as connection:
            return record_answers(connection, result, datetime.now(UTC))

    # Pull ----------------------------------------------------------------------------------------------------------
    def pull(self) -> tuple[int, bool]:
        """Fetch pages after the cursor until there are no more; returns (rows applied, whether a reset happened)."""
        pulled, reset = 0, False
        self._pull_again_after_an_update()
        while True:
            with self.engine.connect() as connection:
                cursor = int(read_state(connection, CURSOR) or 0)
                scope = read_state(connection, SCOPE)
            params: dict[str, Any] = {"cursor": cursor, "limit": self.page_size, "protocol": self.protocol}
            if scope:
                params["scope"] = scope
            page = PullPage.model_validate(self.transport.get("/sync/pull", params))
            if page.reset:
                self.reset_replica(page.scope)
                reset = True
                continue
            pulled += self._apply(page)
            self.on_progress("pull", len(page.rows))
            if not page.has_more:
                return pulled, reset

    def _pull_again_after_an_update(self) -> None:
        """Start from 0 when the replica's schema changed since its last pull: an older client kept only the tables
        and columns it knew, and the rows it skipped would otherwise never come again."""
        revision = current_revision(self.engine) or ""
        with self.engine.connect() as connection:
            if read_state(connection, PULLED_WITH_SCHEMA) == revision:
                return
        with self.writer.begin() as connection:
            if read_state(connection, PULLED_WITH_SCHEMA) is not None:
                write_state(connection, CURSOR, "0")
            write_state(connection, PULLED_WITH_SCHEMA, revision)

    def _apply(self, page: PullPage) -> int:
        with _without_foreign_keys(self.engine) as connection:
            pending = set(connection.execute(select(SyncOutbox.row_id).where(SyncOutbox.state == PENDING)).scalars())
            batches: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = {}
            for row in page.rows:
                columns = self._columns.get(row.table)
                if columns is None or row.values.get("id") in pending:
                    continue
                values = {
                    name: self._decode(columns[name], value) for name, value in row.values.items() if name in columns
                }
                batches.setdefault((row.table, frozenset(values)), []).append(values)
            for (name, keys), rows in batches.items():
                t = Base.metadata.tables[name]
                statement = sqlite_insert(t)
                statement = statement.on_conflict_do_update(
                    index_elements=["id"], set_={key: statement.excluded[key] for key in keys if key != "id"}
                )
                connection.execute(statement, rows)
            write_state(connection, CURSOR, str(page.next_cursor))
            write_state(connection, SCOPE, page.scope)
        return len(page.rows)

    @staticmethod
    def _decode(column: Any, value: Any) -> Any:
        try:
            return decode_value(column, value)
        except InvalidValue:
            return value

    def reset_replica(self, scope: str) -> None:
        """Drop every row the user may no longer see (all but those with changes to deal with); pull from 0."""
        with _without_foreign_keys(self.engine) as connection:
            keep: dict[str, set[str]] = {}
            for name, row_id in connection.execute(
                select(SyncOutbox.table_name, SyncOutbox.row_id).where(SyncOutbox.state.in_((PENDING, REJECTED)))
            ):
                keep.setdefault(name, set()).add(row_id)
            for t in reversed(list(replicated_tables())):
                connection.execute(delete(t).where(t.c.id.not_in(sorted(keep.get(t.name, set())))))
            write_state(connection, CURSOR, "0")
            write_state(connection, SCOPE, scope)
