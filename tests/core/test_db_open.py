"""Opening a database at start: one at head is recognised without Alembic; anything else still goes through it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from efangtong_core import db
from efangtong_core.db import (
    DatabaseError,
    current_revision,
    head_revision,
    is_at_head,
    open_database,
    shipped_head,
    stored_revisions,
)

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
OPEN_AND_REPORT = """
import sys
from efangtong_core.db import open_database
open_database(sys.argv[1]).dispose()
print("alembic" in sys.modules)
"""


def _alembic_loaded_when_opening(url: str) -> bool:
    """Open `url` in a fresh interpreter and tell whether Alembic got imported."""
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT, url], check=True, capture_output=True, text=True, timeout=60
    )
    return done.stdout.strip() == "True"


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert shipped_head() == head_revision()


def test_a_database_at_head_opens_without_alembic_and_a_new_one_with_it(db_url: str) -> None:
    assert _alembic_loaded_when_opening(db_url), "an empty database is created through Alembic"
    engine = open_database(db_url)
    try:
        assert stored_revisions(engine) == [head_revision()]
        assert is_at_head(engine)
    finally:
        engine.dispose()
    assert not _alembic_loaded_when_opening(db_url), "at head: nothing to migrate, Alembic stays unloaded"


def test_an_older_database_is_still_upgraded(tmp_path: Path) -> None:
    older = sorted(path for path in SCHEMAS.glob("*.sqlite") if path.stem != head_revision())[-1]
    copy = tmp_path / older.name
    shutil.copyfile(older, copy)
    engine = open_database(f"sqlite:///{copy}")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_newer_database_is_refused_on_the_full_path(db_url: str) -> None:
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert not is_at_head(engine)
    engine.dispose()
    with pytest.raises(DatabaseError, match="比本程序新"):
        open_database(db_url)


def test_unreadable_migration_files_fall_back_to_alembic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n', encoding="utf-8")
    (versions / "0002_b.py").write_text('revision = "0002"\ndown_revision = "0001"\n', encoding="utf-8")
    monkeypatch.setattr(db, "migrations_directory", lambda: tmp_path / "migrations")
    db.shipped_head.cache_clear()
    try:
        assert shipped_head() == "0002"
        db.shipped_head.cache_clear()
        (versions / "0003_c.py").write_text('revision = "0003"\ndown_revision = "0001"\n', encoding="utf-8")
        assert shipped_head() is None, "two heads: let Alembic decide"
        db.shipped_head.cache_clear()
        (versions / "0003_c.py").write_text('revision = "0003"\ndown_revision = ("0001", "0002")\n', encoding="utf-8")
        assert shipped_head() is None, "a merge revision: let Alembic decide"
        db.shipped_head.cache_clear()
        (versions / "0003_c.py").write_text("revision = make_revision()\n", encoding="utf-8")
        assert shipped_head() is None, "not a literal: let Alembic decide"
    finally:
        db.shipped_head.cache_clear()
