"""A registration and its correction made on the counter reach a real server through sync and are accepted there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from efangtong_core.db import session_factory
from efangtong_core.models import CaseEvent, ContentCategory, Petition, PetitionRepresentative, SyncOutbox
from efangtong_core.vocabulary import PetitionForm, PetitionPurpose
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.services.registration import Registrar, register_petition
from efangtong_desktop.services.registration_edit import correct_registration
from efangtong_desktop.services.registration_form import PersonInput, RegistrationInput
from efangtong_desktop.services.sync_service import SyncService
from tests.desktop.live_server import wait_until
from tests.desktop.register.reference import OTHER_ID, RESIDENT_ID
from tests.sync.live import PASSWORD, Live, live_server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty client data directory: the replica is filled by the first pull, not the demo template."""
    return tmp_path / "client"


@pytest.fixture
def live(sqlite_url: str, tmp_path: Path) -> Iterator[Live]:
    """A server with a clerk on loopback."""
    (tmp_path / "server").mkdir()
    with live_server(sqlite_url, tmp_path / "server") as running:
        yield running


def sync_once(service: SyncService) -> None:
    before = service.status.last_success
    service.sync_now()
    wait_until(lambda: not service.running and service.status.last_success != before)


def test_a_registration_and_its_correction_are_accepted_by_the_server(context: AppContext, live: Live) -> None:
    api = context.connect(live.proxy.base_url)
    device = device_identity(context.settings)
    context.sign_in_as(api.login(live.accounts.clerk, PASSWORD, device_id=device.id, device_name="柜台"))
    service = SyncService(context)
    sync_once(service)  # pulls the units
    category = str(uuid.uuid4())
    for engine in (live.engine, context.engine):  # the same category on both ends, written outside sync
        with session_factory(engine)() as session, session.begin():
            session.add(ContentCategory(id=category, code="9901", name="测试分类"))
    user = context.signed_in
    assert user is not None
    registrar = Registrar(user.id, user.org_unit_id, device.id)
    data = RegistrationInput(
        petitioner=PersonInput("巴特尔", RESIDENT_ID, phones=("13947712345",)),
        form=PetitionForm.VISIT.value,
        purpose=PetitionPurpose.REQUEST.value,
        category_id=category,
        town_id=live.accounts.wulan,
        content="某工地拖欠农民工工资三个月，要求尽快解决。",
    )
    store = blob_store(context.settings)
    result = register_petition(context.session_factory, data, registrar, store=store, petition_id=str(uuid.uuid4()))
    sync_once(service)
    group = (PersonInput("其其格", OTHER_ID),)  # the correction makes it a group visit with a second representative
    correct_registration(
        context.session_factory, result.petition_id, replace(data, head_count=3, representatives=group), registrar,
        store=store,
    )  # fmt: skip
    sync_once(service)
    with context.session_factory() as session:
        states = set(session.scalars(select(SyncOutbox.state)))
    assert states == {"sent"}, "every change was accepted"
    with session_factory(live.engine)() as session:
        petition = session.get(Petition, result.petition_id)
        assert petition is not None and petition.query_code == result.query_code
        assert petition.head_count == 3 and petition.state == "registered" and petition.event_count == 2
        kinds = session.scalars(
            select(CaseEvent.type).where(CaseEvent.petition_id == petition.id).order_by(CaseEvent.server_seq)
        ).all()
        assert kinds == ["registered", "registration_corrected"]
        representatives = session.scalars(
            select(PetitionRepresentative)
            .where(PetitionRepresentative.petition_id == petition.id, PetitionRepresentative.deleted_at.is_(None))
            .order_by(PetitionRepresentative.position)
        ).all()
        assert [row.petitioner.name for row in representatives] == ["巴特尔", "其其格"]
