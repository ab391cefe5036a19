"""Fixtures of the 登记 page tests: a replica with the demo organisation, a signed-in clerk, a shown page.

The organisation is seeded once per session into a template replica; each test copies it (much cheaper than
migrating and seeding again) into its own data directory before the context opens it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from efangtong_core.db import open_database
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.settings import REPLICA_FILENAME
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.register.reference import Reference, seed_reference


@pytest.fixture(scope="session")
def seeded_replica(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated replica file holding the demo organisation (no petitions)."""
    path = tmp_path_factory.mktemp("register-template") / REPLICA_FILENAME
    engine = open_database(f"sqlite:///{path}")
    seed_reference(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def data_dir(tmp_path: Path, seeded_replica: Path) -> Path:
    """A client data directory whose replica already holds the demo organisation."""
    folder = tmp_path / "client"
    folder.mkdir()
    shutil.copy(seeded_replica, folder / REPLICA_FILENAME)
    return folder


@pytest.fixture
def reference(context: AppContext) -> Reference:
    """The ids of the demo organisation in the context's replica, with the demo clerk signed in."""
    ref = seed_reference(context.engine)  # the replica is seeded already: this only reads the ids
    context.signed_in = SignedInUser(
        id=ref.clerk_id,
        username="clerk",
        display_name="登记员",
        org_unit_id=ref.bureau_id,
        org_unit_name="伊金霍洛旗信访局",
        roles=("clerk",),
        must_change_password=False,
    )
    return ref


def open_page(context: AppContext, qtbot: QtBot) -> RegisterPage:
    """A shown registration page whose lists have loaded."""
    page = RegisterPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 720)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: page.fields.choices is not None, timeout=5000)
    return page


@pytest.fixture
def page(context: AppContext, reference: Reference, qtbot: QtBot) -> Iterator[RegisterPage]:
    """A shown registration page for the signed-in clerk."""
    shown = open_page(context, qtbot)
    yield shown
    context.tasks.wait_for_workers()
