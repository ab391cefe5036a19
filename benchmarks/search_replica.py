"""The N-petition replica of benchmarks/desktop.py: the demo data (efangtong_core.demo, 20,000 petitions) copied with
Core INSERT … SELECT into N petitions with their own petitioners, ID numbers, phones, case numbers and query codes,
cached under /tmp/eft-search-bench between runs (per schema revision)."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

CACHE = Path("/tmp/eft-search-bench")
BASE_PETITIONS = 20_000
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _schema_revision() -> str:
    from efangtong_core.db import head_revision

    return head_revision()


def _base_database() -> Path:
    """The demo database of BASE_PETITIONS petitions (seeded once per schema revision)."""
    from efangtong_core.db import open_database
    from efangtong_core.demo.seed import seed_demo

    path = CACHE / f"base-{BASE_PETITIONS}-{_schema_revision()}.sqlite"
    if not path.exists():
        print(f"seeding {BASE_PETITIONS:,} demo petitions (once) …", flush=True)
        scratch = path.with_suffix(".partial")
        scratch.unlink(missing_ok=True)
        engine = open_database(f"sqlite:///{scratch}")
        seed_demo(engine, petitions=BASE_PETITIONS, today=date(2026, 11, 25))
        engine.dispose()
        scratch.rename(path)
    return path


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _copy_select(db: sqlite3.Connection, table: str, overrides: dict[str, str], where: str = "") -> str:
    columns = _columns(db, table)
    values = ", ".join(overrides.get(column, column) for column in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} WHERE {where or '1'}"


def build_replica(petitions: int) -> Path:
    """A replica file with `petitions` petitions (no search index yet), cached between runs."""
    path = CACHE / f"replica-{petitions}-{_schema_revision()}.sqlite"
    if path.exists():
        return path
    base = _base_database()
    copies = max(1, petitions // BASE_PETITIONS)
    scratch = path.with_suffix(".partial")
    shutil.copyfile(base, scratch)
    started = time.perf_counter()
    db = sqlite3.connect(scratch, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=OFF")
    for copy in range(1, copies):
        suffix = f"'~{copy}'"
        code = f"'{ALPHABET[copy // 32 % 32]}{ALPHABET[copy % 32]}'"
        db.execute("BEGIN")
        db.execute(
            _copy_select(
                db,
                "petitioner",
                {
                    "id": f"id || {suffix}",
                    "id_number": f"CASE WHEN length(id_number) = 18 THEN substr(id_number, 1, 14) || "
                    f"printf('%03d', (CAST(substr(id_number, 15, 3) AS INTEGER) + {copy * 37}) % 1000) || "
                    "substr(id_number, 18, 1) ELSE id_number END",
                    "server_seq": f"server_seq + {copy} * 1000000000",
                },
                "id NOT LIKE '%~%'",
            )
        )
        db.execute(
            _copy_select(
                db,
                "petitioner_phone",
                {
                    "id": f"id || {suffix}",
                    "petitioner_id": f"petitioner_id || {suffix}",
                    "phone": f"substr(phone, 1, 3) || printf('%04d', {copy}) || substr(phone, 8)",
                    "server_seq": f"server_seq + {copy} * 1000000000",
                },
                "id NOT LIKE '%~%'",
            )
        )
        db.execute(
            _copy_select(
                db,
                "petition",
                {
                    "id": f"id || {suffix}",
                    "case_number": f"replace(case_number, '〕', '〕{copy:02d}')",
                    "query_code": f"query_code || {code}",
                    "registered_at": f"strftime('%Y-%m-%d %H:%M:%f000', registered_at, '+{copy * 7} seconds')",
                    "petitioner_id": f"petitioner_id || {suffix}",
                    "repeat_of_id": f"repeat_of_id || {suffix}",
                    "merged_into_id": f"merged_into_id || {suffix}",
                    "server_seq": f"server_seq + {copy} * 1000000000",
                },
                "id NOT LIKE '%~%'",
            )
        )
        db.execute("COMMIT")
        if copy % 10 == 0:
            print(f"  replica: {copy * BASE_PETITIONS:,} petitions, {time.perf_counter() - started:.0f} s", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    scratch.rename(path)
    print(f"replica of {copies * BASE_PETITIONS:,} petitions built in {time.perf_counter() - started:.0f} s")
    return path
