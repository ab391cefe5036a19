"""Fixtures of the 信访人 page tests: a replica with a few people and petitions, written without the outbox."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from efangtong_core.db import session_factory
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import SignedInUser
from tests.core.petitioner_sample import NOW, person, petition, reference

ZHANG_ID = "150627198503121234"


@dataclass
class Sample:
    """Ids of the people and petitions written to the replica."""

    zhang: str
    li: str
    zhang_petitions: list[str]


@pytest.fixture
def sample(context: AppContext) -> Sample:
    """张建军 (4 petitions in a year, one of them open for over a year) and 李桂兰, seeded as if pulled."""
    with session_factory(context.engine)() as session:  # a plain factory: seeded rows are not local changes
        world = reference(session)
        zhang = person(
            session, "张建军", initials="zjj", id_number=ZHANG_ID, phones=("13904771111",), address="札萨克镇门克庆嘎查"
        )
        li = person(session, "李桂兰", initials="lgl", id_number="15062719900101567X", phones=("13500002222",))
        days = (datetime.now(UTC) - NOW).total_seconds() / 86400  # the page computes tags as of the real now
        ids = [
            petition(
                session,
                world,
                zhang,
                days_ago=ago - days,
                state="in_progress" if ago > 365 else "closed",
                title=f"征地补偿第{n}次",
                events=(("transferred", 1, {}), ("accepted", 3, {"note": "已受理"})),
            )
            for n, ago in enumerate((400, 200, 100, 30, 5), start=1)
        ]
        petition(session, world, li, days_ago=10 - days, town=world.other_town, category=world.labour)
        session.commit()
    return Sample(zhang=zhang, li=li, zhang_petitions=ids)


SignIn = Callable[..., None]


@pytest.fixture
def sign_in(context: AppContext) -> SignIn:
    """Sign the context in (as if online) with the given role codes."""

    def sign(*roles: str) -> None:
        context.signed_in = SignedInUser(
            "u-clerk", "clerk01", "测试员", "unit", "伊金霍洛旗信访局", tuple(roles), False
        )

    return sign


@pytest.fixture(autouse=True)
def collect_charts(qapp: QApplication) -> Iterator[None]:
    """Free each test's pyqtgraph widgets while the QApplication lives."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
