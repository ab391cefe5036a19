"""The application context: one object holding settings, the local replica and the signed-in user.

Widgets receive it explicitly (as in git-cola) instead of reaching for globals, so every view can be built in a test
with its own temporary replica.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_desktop.settings import Settings


@dataclass
class AppContext:
    """What the counter client's views and services share for one run."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    user: str | None = None
    unit: str | None = None

    @classmethod
    def open(cls, settings: Settings) -> AppContext:
        """Open (create and upgrade if needed) the local replica named by `settings` and build the context."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = open_database(settings.replica_url)
        return cls(
            settings=settings,
            engine=engine,
            session_factory=session_factory(engine),
            user=settings.user,
            unit=settings.unit,
        )

    def close(self) -> None:
        """Release the replica's connections."""
        self.engine.dispose()
