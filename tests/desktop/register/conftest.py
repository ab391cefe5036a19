"""Fixtures of the 登记 page tests: a replica with the demo organisation, a signed-in clerk, a shown page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from efangtong_desktop.views.register.page import RegisterPage
from tests.desktop.register.reference import Reference, seed_reference


@pytest.fixture
def reference(context: AppContext) -> Reference:
    """The demo organisation in the context's replica, with the demo clerk signed in."""
    ref = seed_reference(context.engine)
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
