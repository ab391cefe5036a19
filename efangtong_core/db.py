"""Opening a database: engines for SQLite and PostgreSQL, and upgrading the schema with Alembic on start.

Both the central server and the counter's local replica call `open_database(url)` when they start. A database already
at the newest revision (every start but the first after an update) is recognised by reading its `alembic_version` row
and the `revision` lines of the shipped migration files; Alembic itself is imported only when there is work for it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

WRITE_INTENT_OPTION = "efangtong_write_intent"
"""Execution option: this connection's transactions will write (see `writing_engine`)."""

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite connection waits for another writer before giving up."""


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message says why in Chinese."""


def normalise_url(url: str | URL) -> URL:
    """The URL with our drivers: `postgresql://` → psycopg 3; SQLite file paths made absolute."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "sqlite" and not _sqlite_in_memory(parsed):
        assert parsed.database is not None
        parsed = parsed.set(database=str(Path(parsed.database).expanduser().resolve()))
    return parsed


def _sqlite_in_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or (database.startswith("file:") and "mode=memory" in database)


def create_engine_for(url: str | URL, **engine_options: Any) -> Engine:
    """An engine for `url`: SQLite in WAL mode with foreign keys and a busy timeout, or PostgreSQL through psycopg."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine_options.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **engine_options)
    in_memory = _sqlite_in_memory(parsed)
    if not in_memory:
        assert parsed.database is not None
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(f"无法创建数据库目录 {Path(parsed.database).parent}：{error}") from error
    engine = create_engine(parsed, **engine_options)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    # pysqlite opens transactions lazily and on its own terms, which breaks SAVEPOINT and transactional DDL; take
    # transaction control away from it and emit BEGIN ourselves (the recipe of SQLAlchemy's SQLite dialect docs).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_INTENT_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writing_engine(engine: Engine) -> Engine:
    """`engine` for transactions that will write: on SQLite they take the write lock when they begin.

    A deferred SQLite transaction that reads and then writes fails at once with "database is locked" when another
    writer committed in between (its snapshot is stale, so waiting cannot help); taking the lock up front makes it
    wait its turn (busy_timeout) instead. Other databases ignore the option.
    """
    return engine.execution_options(**{WRITE_INTENT_OPTION: True})


def migrations_directory() -> Path:
    """The Alembic script directory shipped inside the package."""
    return Path(str(resources.files("efangtong_core") / "migrations"))


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini), bound to `connection` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_directory()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the shipped migrations know."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade the schema of `engine`'s database to the newest revision (no-op when already there)."""
    from alembic import command

    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        return
    # SQLite's procedure for schema changes: foreign keys off (only possible outside a transaction) while batch mode
    # copies and renames tables, then check the constraints before committing.
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
                violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if violations:
                    raise DatabaseError(f"升级后外键检查失败：{violations[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for a database Alembic never touched."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


_REVISION_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@cache
def shipped_head() -> str | None:
    """The newest shipped revision read from the migration files' `revision` lines without Alembic; None if unsure.

    None (and so the full Alembic check) when a file cannot be read this simply or the revisions do not form one
    chain with a single head.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        for path in (migrations_directory() / "versions").glob("*.py"):
            if path.name.startswith("__"):
                continue
            found = dict(_REVISION_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
            revision, down = ast.literal_eval(found["revision"]), ast.literal_eval(found["down_revision"])
            if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
                return None
            revisions.add(revision)
            if down is not None:
                parents.add(down)
    except (OSError, KeyError, ValueError, SyntaxError):
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions in the database's `alembic_version` table (plain SQL; empty when there is no such table)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return []
        return [row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")]


def is_at_head(engine: Engine) -> bool:
    """True when the database is at the newest shipped revision, decided without loading Alembic."""
    head = shipped_head()
    return head is not None and stored_revisions(engine) == [head]


def open_database(url: str | URL, **engine_options: Any) -> Engine:
    """Create the engine for `url` and bring its schema up to date; what the server and the replica call on start."""
    engine = create_engine_for(url, **engine_options)
    try:
        if is_at_head(engine):
            return engine  # the usual start: nothing to migrate, Alembic stays unloaded
    except Exception:
        engine.dispose()
        raise
    from alembic.script import ScriptDirectory

    revision = current_revision(engine)
    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision is not None and revision not in known:
        engine.dispose()
        raise DatabaseError(f"数据库版本 {revision} 比本程序新，请升级 e访通后再打开该数据库。")
    upgrade_to_head(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The session factory for `engine` (objects stay readable after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False)
