"""Fixtures for the big screen and the analysis workspace: a replica seeded with demo data, and a way to wait."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.seed import seed_demo

DEMO_TODAY = date(2026, 11, 20)
DEMO_PETITIONS = 1500


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A replica file with demo petitions ending on DEMO_TODAY (seeded once per session, read-only in tests)."""
    path: Path = tmp_path_factory.mktemp("replica") / "replica.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    seed_demo(engine, petitions=DEMO_PETITIONS, seed=8, today=DEMO_TODAY)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_sessions(demo_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the demo replica."""
    return session_factory(demo_engine)


@pytest.fixture(autouse=True)
def collect_charts(qapp: QApplication) -> Iterator[None]:
    """Free each test's pyqtgraph widgets while the QApplication lives (freed after it, they crash the interpreter)."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
