"""Fixtures shared by the whole suite: databases on SQLite and on a real PostgreSQL (DESIGN.md §5).

`db_url` is parametrised over both databases, so a test that uses it runs twice; the PostgreSQL run carries the
`postgres` marker (`-m "not postgres"` leaves it out). The PostgreSQL cluster starts once per session, on first use.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from efangtong_core.db import open_database
from tests.support.components import component_unavailable
from tests.support.postgres import PostgresCluster, PostgresUnavailable, start_cluster

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def _postgres_cluster() -> Iterator[PostgresCluster | str]:
    """The session's PostgreSQL cluster, or why it could not be started."""
    try:
        cluster = start_cluster()
    except PostgresUnavailable as error:
        yield str(error)
        return
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_cluster(_postgres_cluster: PostgresCluster | str) -> PostgresCluster:
    """The running test cluster; fails under CI and skips elsewhere when it cannot be started."""
    if isinstance(_postgres_cluster, str):
        component_unavailable("PostgreSQL", _postgres_cluster)
    return _postgres_cluster


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    url = postgres_cluster.create_database()
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        postgres_cluster.drop_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a SQLite file in the test's temporary directory (not yet created)."""
    return f"sqlite:///{tmp_path / 'db' / 'efangtong.sqlite'}"


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on SQLite and then on PostgreSQL: tests using it run on both."""
    if request.param == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """An engine on `db_url` with the schema at head (both databases)."""
    engine = open_database(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _collect_garbage_as_the_gui_thread_would() -> Iterator[None]:
    """Once a desktop test made the QApplication, automatic collection is off in this process (the counter collects
    on its GUI thread's timer, which only runs while a test processes events): after each test, collect what is due."""
    yield
    if not gc.isenabled():
        from efangtong_desktop.gui_collector import collect_due

        collect_due()
