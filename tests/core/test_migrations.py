"""Migrations: every stored schema version upgrades to head with its rows intact; fresh databases on both engines.

Stored files live in tests/data/schemas/<revision>.sqlite (made by scripts/store_schema_snapshot.py); each is copied
and upgraded, then its schema must equal the models' metadata exactly.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine

from efangtong_core.db import (
    DatabaseError,
    create_engine_for,
    current_revision,
    head_revision,
    normalise_url,
    open_database,
    session_factory,
    upgrade_to_head,
)
from efangtong_core.models import Base, Petitioner

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
STORED = sorted(SCHEMAS.glob("*.sqlite"))


def schema_differences(engine: Engine) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match the models (empty when they match)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table of a SQLite file, read without SQLAlchemy."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        ]
        counts = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    connection.close()
    return counts


def test_there_is_a_stored_file_for_the_head_revision() -> None:
    assert STORED, "tests/data/schemas 下没有样本数据库"
    assert (SCHEMAS / f"{head_revision()}.sqlite").exists(), (
        "新的数据库版本还没有样本文件：请运行 scripts/store_schema_snapshot.py 并提交生成的文件"
    )


@pytest.mark.parametrize("stored", STORED, ids=[path.stem for path in STORED])
def test_stored_database_upgrades_to_head(stored: Path, tmp_path: Path) -> None:
    copy = tmp_path / stored.name
    shutil.copyfile(stored, copy)
    before = row_counts(copy)
    assert sum(count for table, count in before.items() if table != "alembic_version") > 0

    engine = open_database(f"sqlite:///{copy}")
    try:
        assert current_revision(engine) == head_revision()
        assert schema_differences(engine) == []
        after = row_counts(copy)
        for table, count in before.items():
            if table != "alembic_version":
                assert after.get(table) == count, f"{table}: {count} → {after.get(table)}"
        with session_factory(engine)() as session:
            people = session.query(Petitioner).all()
            assert people and all(person.created_at.tzinfo is not None for person in people)
    finally:
        engine.dispose()


def test_empty_database_upgrades_to_head_and_matches_the_models(db_url: str) -> None:
    engine = open_database(db_url)
    try:
        assert current_revision(engine) == head_revision()
        assert schema_differences(engine) == []
        upgrade_to_head(engine)  # again: a no-op
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    reopened = open_database(db_url)  # what every restart of the server or the counter does
    reopened.dispose()


def test_a_database_from_a_newer_version_is_refused(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="比本程序新"):
        open_database(db_url)


def test_current_revision_of_an_untouched_database_is_none(sqlite_url: str) -> None:
    engine = create_engine_for(sqlite_url)
    try:
        assert current_revision(engine) is None
    finally:
        engine.dispose()


def test_sqlite_relative_path_creates_its_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    engine = open_database("sqlite:///data/sub/replica.sqlite")
    try:
        assert (tmp_path / "data" / "sub" / "replica.sqlite").exists()
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert (connection.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
    finally:
        engine.dispose()


def test_sqlite_savepoints_work(sqlite_url: str) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; the engine takes it over (sync relies on this)."""
    engine = open_database(sqlite_url)
    try:
        with session_factory(engine)() as session:
            session.add(Petitioner(name="保留"))
            nested = session.begin_nested()
            session.add(Petitioner(name="撤销"))
            session.flush()
            nested.rollback()
            session.commit()
        with session_factory(engine)() as session:
            assert [person.name for person in session.query(Petitioner)] == ["保留"]
    finally:
        engine.dispose()


def test_postgresql_urls_use_psycopg() -> None:
    assert normalise_url("postgresql://u:p@localhost/eft").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u@localhost/eft").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///:memory:").database == ":memory:"
    assert Path(normalise_url("sqlite:///rel.sqlite").database or "").is_absolute()
