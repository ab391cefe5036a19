"""How a registration reaches the disk: one write transaction, durable when it commits, and a warm process.

A registration ends with a receipt handed to the petitioner (its query code, its provisional number), so its commit
must survive a power cut, not only a crash. The replica runs in WAL mode with `synchronous=NORMAL` (efangtong_core.db),
where a commit is safe against a crash of the program but the last commits before a power cut may be rolled back
at the next open. `durable_session` raises the connection to `synchronous=FULL` for the registration's own
transaction — SQLite then fsyncs the WAL once at COMMIT (≈1 ms on an SSD) — and puts it back afterwards, so pulls
and other bulk writes keep the cheap setting. Nor does the save run SQLite's automatic checkpoint (copying ~1,000 WAL
pages back into the database file every ~20 saves, 5–10 ms): `checkpoint_replica` does that in the background after
a save. The transaction also takes SQLite's write lock at BEGIN (`writing_engine`): a background sync committing
between the reads and the writes then makes the save wait its turn instead of failing with "database is locked".

`warm_up` does the one-time work a first save would otherwise pay (pypinyin's tables, ~0.4 s and ~190,000 objects)
and moves everything loaded so far out of the garbage collector's full scans (`gc.freeze`), which otherwise walk
those objects again every few hundred saves (30–120 ms pauses in the middle of a save).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import writing_engine

_SQLITE_SYNCHRONOUS_FULL = 2


@contextmanager
def durable_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session of `factory` in one write transaction, committed (fsynced on SQLite) when the block ends."""
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine):  # bound to a connection (a caller's own transaction): nothing to set
        with factory() as session, session.begin():
            yield session
        return
    with writing_engine(engine).connect() as connection:
        raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
        previous: tuple[int, int] | None = None
        if raw is not None:  # only settable outside a transaction: before the session begins one
            previous = (
                raw.execute("PRAGMA synchronous").fetchone()[0],
                raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0],
            )
            raw.execute(f"PRAGMA synchronous={max(previous[0], _SQLITE_SYNCHRONOUS_FULL)}")
            raw.execute("PRAGMA wal_autocheckpoint=0")  # `checkpoint_replica` does it after the save, off its path
        try:
            with factory(bind=connection) as session, session.begin():
                yield session
        finally:
            if raw is not None and previous is not None:
                raw.execute(f"PRAGMA synchronous={previous[0]}")
                raw.execute(f"PRAGMA wal_autocheckpoint={previous[1]}")


def checkpoint_replica(engine: Engine) -> None:
    """Copy the WAL's committed pages into the database file (PASSIVE: waits for nobody); no-op off SQLite.

    A save does not checkpoint (SQLite's automatic checkpoint would land on every ~20th save, 5–10 ms): the 登记
    page runs this in the background after each save instead, so the WAL stays small.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA wal_checkpoint(PASSIVE)")


_warm = threading.Event()


def is_warm() -> bool:
    """True once `warm_up` has run (or is running) in this process."""
    return _warm.is_set()


def warm_up() -> None:
    """Load what a first registration needs (pinyin tables) and freeze the loaded objects out of full collections.

    Runs once per process (later calls return at once); the 登记 page starts it off the GUI thread at the first
    keystroke, not at start-up, so the main window opens without it.
    """
    if _warm.is_set():
        return
    _warm.set()
    from efangtong_desktop.services.registration import name_initials

    name_initials("张三")
    gc.collect()
    gc.freeze()
