"""The counter's local search index over its SQLite replica: who, what and which case, kept current by triggers.

Tables (local to the replica, created idempotently by `ensure_search_index`; not an Alembic revision — the server and
PostgreSQL never need them):
- `search_fts`, an FTS5 table with one row per indexed petition and the columns name, initials, ident, phone, tail,
  code and body (see `document_columns`), and `search_doc`, the same row's key and filter columns (form, category,
  town, state, deadline) with the petition id. The rowid of both is the *registration key*:
  registered_at in microseconds × 64 + a slot, so `ORDER BY rowid DESC` is "newest registration first" and FTS5
  streams matches in that order, stopping after one page; a date range is a rowid range.
- `search_dirty`: petition ids whose index entry is stale, and `search_dirty_person`: petitioner ids whose petitions'
  entries are. Plain-SQL triggers on petition, petition_representative, petitioner and petitioner_phone add to them
  on every insert, update and delete — whoever writes: the ORM, the sync engine's Core upserts, another process.
  A trigger body names only these two tables, so Alembic's batch mode can still recreate and rename a table.
  Nothing in a write depends on Python (no per-connection SQL function), so any program may write the replica.
  `refresh` turns person marks into petition marks, then drains `search_dirty` and re-indexes those petitions in the
  same transaction as it clears them; the search page calls it before each search and when a sync finished.
- `search_meta`: whether the initial build finished. A replica opened for the first time, or whose triggers were lost
  (SQLite's batch migrations recreate tables, and triggers go with them), is built again from scratch.

Tokenisation (decided here, justified): Chinese has no spaces, and FTS5's unicode61 tokenizer would take a whole run of
Han characters as one token; the trigram tokenizer cannot find words of two characters (拆迁, 工资), which are most
Chinese words and most names. So the text is pre-tokenised in Python into overlapping character bigrams, each run
ending with its last character alone: 房屋拆迁 → 房屋 屋拆 拆迁 迁. A word of two characters is then one token; a longer
word is a phrase of consecutive bigrams ("拆迁补偿" → "拆迁 迁补 补偿"), which FTS5 matches by position; a single
character is a prefix query ("拆"*), since every character starts one token. This finds every substring (no
dictionary can miss a place or person name, unlike jieba segmentation, which also costs far more time and memory),
with about one token per character. ASCII letters and digits stay whole words, lower-cased.
"""

from __future__ import annotations

import operator
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from sqlite3 import Connection as SqliteConnection
from sqlite3 import IntegrityError
from typing import Any

from sqlalchemy import Engine

SLOTS_PER_MICROSECOND = 64
"""Registration keys per microsecond of registered_at: petitions registered at the same instant get different slots."""

_EPOCH = datetime(1970, 1, 1)
_BATCH = 2_000
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_ALNUM = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_BUILT = "built"
_BUILD_FROM = "build_from"
_lock = threading.Lock()

FTS_COLUMNS = ("name", "initials", "ident", "phone", "tail", "code", "body")

_TABLES = (
    "CREATE TABLE IF NOT EXISTS search_dirty (petition_id TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_dirty_person (petitioner_id TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_doc (doc_key INTEGER PRIMARY KEY, petition_id TEXT NOT NULL UNIQUE, "
    "form TEXT, category_id TEXT, town_id TEXT, state TEXT, deadline TEXT)",
    "CREATE INDEX IF NOT EXISTS ix_search_doc_town ON search_doc (town_id)",
    "CREATE INDEX IF NOT EXISTS ix_search_doc_category ON search_doc (category_id)",
    "CREATE INDEX IF NOT EXISTS ix_search_doc_form ON search_doc (form)",
    "CREATE INDEX IF NOT EXISTS ix_search_doc_state_deadline ON search_doc (state, deadline)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5({', '.join(FTS_COLUMNS)}, "
    "tokenize='unicode61 remove_diacritics 0', columnsize=0)",
)


# Each trigger body names only our own dirty tables, never another replicated table: SQLite refuses to rename a
# table while any trigger's body names a table that does not exist, which is what Alembic's batch mode does.
# No "OR IGNORE" either: the firing statement's conflict policy overrides the trigger's (an upsert's is ABORT), so
# a mark is only inserted when it is not there yet.
def _mark(table: str, column: str, value: str) -> str:
    return (
        f"INSERT INTO {table} ({column}) SELECT {value} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {column} = {value})"
    )


TRIGGERS: dict[str, str] = {}
"""Trigger name → its body; each marks the petition (or the person) a write touches as dirty."""
for _event in ("INSERT", "UPDATE", "DELETE"):
    _row = "OLD" if _event == "DELETE" else "NEW"
    _suffix = _event.lower()
    _petition = _mark("search_dirty", "petition_id", f"{_row}.id")
    TRIGGERS[f"search_petition_{_suffix}"] = f"AFTER {_event} ON petition BEGIN {_petition}; END"
    _petition = _mark("search_dirty", "petition_id", f"{_row}.petition_id")
    TRIGGERS[f"search_representative_{_suffix}"] = f"AFTER {_event} ON petition_representative BEGIN {_petition}; END"
    _person = _mark("search_dirty_person", "petitioner_id", f"{_row}.petitioner_id")
    TRIGGERS[f"search_phone_{_suffix}"] = f"AFTER {_event} ON petitioner_phone BEGIN {_person}; END"
for _event in ("INSERT", "UPDATE"):
    _person = _mark("search_dirty_person", "petitioner_id", "NEW.id")
    TRIGGERS[f"search_petitioner_{_event.lower()}"] = f"AFTER {_event} ON petitioner BEGIN {_person}; END"
_RESOLVE_PEOPLE = (
    "INSERT OR IGNORE INTO search_dirty (petition_id) SELECT id FROM petition "
    "WHERE petitioner_id IN (SELECT petitioner_id FROM search_dirty_person)",
    "INSERT OR IGNORE INTO search_dirty (petition_id) SELECT petition_id FROM petition_representative "
    "WHERE petitioner_id IN (SELECT petitioner_id FROM search_dirty_person)",
    "DELETE FROM search_dirty_person",
)


def bigram_tokens(text: str | None) -> str:
    """Text pre-tokenised for the index: overlapping bigrams per run of Han characters, ASCII words lower-cased."""
    if not text:
        return ""
    out: list[str] = []
    for run in _RUN.findall(text):
        if run[0].isascii():
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.append(" ".join(map(operator.add, run, run[1:])))
            out.append(run[-1])
    return " ".join(out)


def compact_code(text: str | None) -> str:
    """A case number, provisional number or query code as one lower-case token: letters, digits and Han only."""
    return "".join(_ALNUM.findall(text or "")).lower()


def registration_key(registered_at: datetime | str) -> int:
    """The first registration key of the microsecond `registered_at` (UTC; naive values are UTC)."""
    if isinstance(registered_at, str):
        registered_at = datetime.fromisoformat(registered_at)
    if registered_at.tzinfo is not None:
        registered_at = registered_at.astimezone(UTC).replace(tzinfo=None)
    delta = registered_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return micros * SLOTS_PER_MICROSECOND


def _connection(engine: Engine) -> tuple[Any, SqliteConnection]:
    pooled = engine.raw_connection()
    raw = pooled.driver_connection
    assert isinstance(raw, SqliteConnection)
    return pooled, raw


def ensure_search_index(engine: Engine) -> None:
    """Create the index tables and triggers if missing; a replica that lost its triggers is marked for a rebuild."""
    pooled, raw = _connection(engine)
    try:
        raw.execute("BEGIN IMMEDIATE")
        try:
            present = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
            for statement in _TABLES:
                raw.execute(statement)
            if not set(TRIGGERS) <= set(present):  # first open, or a migration recreated a table: build from scratch
                raw.execute("DELETE FROM search_meta WHERE key IN (?, ?)", (_BUILT, _BUILD_FROM))
            for name, sql in present.items():
                if name.startswith("search_") and sql != _trigger_sql(name):  # from an older version of the index
                    raw.execute(f"DROP TRIGGER {name}")
            for name, body in TRIGGERS.items():
                raw.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            raw.execute("COMMIT")
        except BaseException:
            raw.execute("ROLLBACK")
            raise
    finally:
        pooled.close()


def _trigger_sql(name: str) -> str | None:
    """The statement that creates trigger `name` as sqlite_master records it; None for no trigger of ours."""
    body = TRIGGERS.get(name)
    return f"CREATE TRIGGER {name} {body}" if body else None


def is_built(engine: Engine) -> bool:
    """True when the initial build of the index has finished."""
    pooled, raw = _connection(engine)
    try:
        return raw.execute("SELECT 1 FROM search_meta WHERE key = ?", (_BUILT,)).fetchone() is not None
    finally:
        pooled.close()


def refresh(engine: Engine, progress: Callable[[int, int], None] | None = None) -> int:
    """Bring the index up to date: the initial build if not done, then the dirty petitions; how many were indexed."""
    with _lock:
        pooled, raw = _connection(engine)
        try:
            done = 0
            if raw.execute("SELECT 1 FROM search_meta WHERE key = ?", (_BUILT,)).fetchone() is None:
                done += _build(raw, progress)
            if raw.execute("SELECT 1 FROM search_dirty_person LIMIT 1").fetchone() is not None:
                _resolve_people(raw)
            if raw.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is None:
                return done  # the usual case before a search: nothing to do, no write lock taken
            (dirty,) = raw.execute("SELECT count(*) FROM search_dirty").fetchone()
            drained = 0
            while True:
                raw.execute("BEGIN IMMEDIATE")
                try:
                    ids = [row[0] for row in raw.execute("SELECT petition_id FROM search_dirty LIMIT ?", (_BATCH,))]
                    if ids:
                        _reindex(raw, ids)
                        raw.executemany("DELETE FROM search_dirty WHERE petition_id = ?", [(i,) for i in ids])
                    raw.execute("COMMIT")
                except BaseException:
                    raw.execute("ROLLBACK")
                    raise
                done += len(ids)
                drained += len(ids)
                if progress is not None and dirty > _BATCH:  # a big pull: say how far the index has come
                    progress(min(drained, dirty), dirty)
                if len(ids) < _BATCH:
                    return done
        finally:
            pooled.close()


def _resolve_people(raw: SqliteConnection) -> None:
    """Turn the marks of changed petitioners into marks of their petitions (as first petitioner or representative)."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        for statement in _RESOLVE_PEOPLE:
            raw.execute(statement)
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise


def _build(raw: SqliteConnection, progress: Callable[[int, int], None] | None) -> int:
    """Index every petition, batch by batch in petition rowid order, each batch committed with its dirty marks
    cleared and the position reached, so that a build cut short (shutdown, crash) resumes where it stopped."""
    raw.execute("BEGIN IMMEDIATE")
    position = raw.execute("SELECT value FROM search_meta WHERE key = ?", (_BUILD_FROM,)).fetchone()
    if position is None:
        raw.execute("DELETE FROM search_fts")
        raw.execute("DELETE FROM search_doc")
        raw.execute("DELETE FROM search_dirty_person")  # the build reads every person as they are from now on
        raw.execute("INSERT INTO search_meta (key, value) VALUES (?, ?)", (_BUILD_FROM, "-1"))
    last_rowid = int(position[0]) if position else -1
    raw.execute("COMMIT")
    (total,) = raw.execute("SELECT count(*) FROM petition").fetchone()
    (done,) = raw.execute("SELECT count(*) FROM petition WHERE rowid <= ?", (last_rowid,)).fetchone()
    indexed = 0
    while True:
        raw.execute("BEGIN IMMEDIATE")
        try:
            rows = raw.execute(
                "SELECT rowid, id FROM petition WHERE rowid > ? ORDER BY rowid LIMIT ?", (last_rowid, _BATCH * 5)
            ).fetchall()
            if rows:
                ids = [row[1] for row in rows]
                _reindex(raw, ids)
                raw.executemany("DELETE FROM search_dirty WHERE petition_id = ?", [(i,) for i in ids])
                last_rowid = rows[-1][0]
                raw.execute("UPDATE search_meta SET value = ? WHERE key = ?", (str(last_rowid), _BUILD_FROM))
            else:
                raw.execute("DELETE FROM search_meta WHERE key = ?", (_BUILD_FROM,))
                raw.execute("INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)", (_BUILT, str(total)))
            raw.execute("COMMIT")
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        done += len(rows)
        indexed += len(rows)
        if progress is not None:
            progress(done, total)
        if not rows:
            return indexed


def _chunks(values: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _select_in(raw: SqliteConnection, sql: str, values: Sequence[str]) -> list[Any]:
    rows: list[Any] = []
    for chunk in _chunks(values):
        rows.extend(raw.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall())
    return rows


def _reindex(raw: SqliteConnection, petition_ids: Sequence[str]) -> None:
    """Replace the index entries of `petition_ids` by what their rows say now (inside the caller's transaction)."""
    old = dict(
        _select_in(raw, "SELECT petition_id, doc_key FROM search_doc WHERE petition_id IN ({marks})", petition_ids)
    )
    petitions = _select_in(
        raw,
        "SELECT id, registered_at, form, category_id, town_id, state, deadline, case_number, provisional_number, "
        "query_code, title, content, petitioner_id FROM petition WHERE id IN ({marks}) AND deleted_at IS NULL",
        petition_ids,
    )
    people = _people(raw, petitions)
    raw.executemany("DELETE FROM search_fts WHERE rowid = ?", [(key,) for key in old.values()])
    raw.executemany("DELETE FROM search_doc WHERE doc_key = ?", [(key,) for key in old.values()])
    documents = []
    for row in petitions:
        pid, registered_at = row[0], row[1]
        base = registration_key(registered_at)
        previous = old.get(pid)
        key = previous if previous is not None and base <= previous < base + SLOTS_PER_MICROSECOND else None
        key = _insert_doc(raw, key, base, pid, row)
        persons = [people[who] for who in people.get(("of", pid), ()) if who in people]
        documents.append((key, *_document_columns(row, persons)))
    raw.executemany(
        "INSERT INTO search_fts (rowid, name, initials, ident, phone, tail, code, body) VALUES (?,?,?,?,?,?,?,?)",
        documents,
    )


def _insert_doc(raw: SqliteConnection, key: int | None, base: int, pid: str, row: Sequence[Any]) -> int:
    """Insert the search_doc row at `key`, or at the first free slot from the petition's hashed slot on."""
    candidate = key if key is not None else base + zlib.crc32(pid.encode()) % SLOTS_PER_MICROSECOND
    while True:
        try:
            raw.execute(
                "INSERT INTO search_doc (doc_key, petition_id, form, category_id, town_id, state, deadline) "
                "VALUES (?,?,?,?,?,?,?)",
                (candidate, pid, row[2], row[3], row[4], row[5], row[6]),
            )
            return candidate
        except IntegrityError:
            candidate += 1  # another petition registered in the same microsecond holds this slot


def _people(raw: SqliteConnection, petitions: Sequence[Sequence[Any]]) -> dict[Any, Any]:
    """Petitioner rows by id (name, initials, ID number, phones) plus ("of", petition id) → the petition's people."""
    ids = [row[0] for row in petitions]
    found: dict[Any, Any] = {}
    for row in petitions:
        found[("of", row[0])] = [row[12]] if row[12] else []
    for petition_id, who in _select_in(
        raw,
        "SELECT petition_id, petitioner_id FROM petition_representative "
        "WHERE petition_id IN ({marks}) AND deleted_at IS NULL",
        ids,
    ):
        found[("of", petition_id)].append(who)
    person_ids = sorted({who for row in petitions for who in found[("of", row[0])]})
    for who, name, initials, number in _select_in(
        raw, "SELECT id, name, name_initials, id_number FROM petitioner WHERE id IN ({marks})", person_ids
    ):
        found[who] = [name, initials, number, []]
    for who, phone in _select_in(
        raw,
        "SELECT petitioner_id, phone FROM petitioner_phone WHERE petitioner_id IN ({marks}) AND deleted_at IS NULL",
        person_ids,
    ):
        if who in found:
            found[who][3].append(phone)
    return found


def _document_columns(row: Sequence[Any], persons: Sequence[Sequence[Any]]) -> tuple[str, ...]:
    """The FTS column texts of one petition and its people (first petitioner and representatives)."""
    names, initials, idents, phones, tails = [], [], [], [], []
    for name, name_initials, number, person_phones in persons:
        names.append(bigram_tokens(name))
        if name_initials:
            initials.append(name_initials.lower())
        if number:
            idents.append(number.lower())
            tails.append(number[-4:].lower())
        for phone in person_phones:
            digits = "".join(ch for ch in phone if ch.isdigit())
            if digits:
                phones.append(digits)
                tails.append(digits[-4:])
    case_number, provisional, query_code = row[7], row[8], row[9]
    codes = [compact_code(value) for value in (case_number, provisional, query_code) if value]
    codes.extend("".join(ch for ch in value if ch.isdigit()) for value in (case_number, provisional) if value)
    body = bigram_tokens(row[10]) + " , " + bigram_tokens(row[11])
    return (
        " , ".join(names),
        " ".join(initials),
        " ".join(idents),
        " ".join(phones),
        " ".join(tails),
        " ".join(code for code in codes if code),
        body,
    )
