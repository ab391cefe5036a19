"""The verification chip: offline it marks 待核验 on the replica; online it asks the real server, which asks a fake."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from efangtong_core.models import Petitioner
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import ApiClient
from efangtong_desktop.services.sync_service import ApiTransport
from efangtong_desktop.services.token_store import MemoryTokenStore
from efangtong_desktop.services.verification import VerificationOutcome, store_status, verify_identity
from efangtong_desktop.views.repeats.chip import VerificationChip
from sync.client import SyncClient
from tests.desktop.live_server import READY_PASSWORD, LiveServer, create_admin
from tests.support.fake_verifier import PASSWORD, USERNAME, FakeVerifier, running_fake_verifier
from tests.support.server import running_server

WAIT_MS = 20000
KNOWN = "150627198503071233"
BROKEN = "150627197507150014"
UNKNOWN = "110101199003074514"


def _person(context: AppContext, name: str, number: str, status: str = "unverified") -> str:
    with context.session_factory() as session:
        person = Petitioner(name=name, id_number=number, verification_status=status)
        session.add(person)
        session.commit()
        return person.id


def _status(context: AppContext, petitioner_id: str) -> str:
    with context.session_factory() as session:
        found = session.scalar(select(Petitioner.verification_status).where(Petitioner.id == petitioner_id))
        assert found is not None
        return found


def _chip(qtbot: QtBot, context: AppContext) -> VerificationChip:
    chip = VerificationChip(context)
    qtbot.addWidget(chip)
    chip.show()
    return chip


def test_offline_the_chip_says_pending_and_the_replica_keeps_it_for_sync(qtbot: QtBot, context: AppContext) -> None:
    person = _person(context, "巴特尔", KNOWN)
    verified = _person(context, "其木格", UNKNOWN, status="match")
    chip = _chip(qtbot, context)
    assert chip.text() == "身份核验：未核验"
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS) as done:
        chip.verify(" 巴特尔 ", KNOWN.lower())
    outcome: VerificationOutcome = done.args[0]
    assert (outcome.status, outcome.online) == ("pending", False)
    assert chip.text() == "身份核验：待核验" and "联网同步后" in chip.toolTip()
    assert _status(context, person) == "pending"
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS):
        chip.verify("其木格", UNKNOWN)
    assert _status(context, verified) == "match"  # an offline check never overwrites a definitive answer
    chip.grab().save("/tmp/verification_chip.png")


def test_bad_input_is_refused_before_anything_is_sent(qtbot: QtBot, context: AppContext) -> None:
    chip = _chip(qtbot, context)
    with qtbot.waitSignal(chip.failed, timeout=WAIT_MS) as failed:
        chip.verify("巴特尔", "150627198503071234")
    assert failed.args[0].startswith("校验码错误")
    assert chip.status == "unverified"
    with pytest.raises(ValueError, match="请先填写姓名"):
        verify_identity(None, online=True, name=" ", id_number=KNOWN)


def test_a_failure_the_server_will_not_retry_leaves_the_record_alone(context: AppContext) -> None:
    person = _person(context, "巴特尔", KNOWN)
    given_up = VerificationOutcome("error", "未配置联网核验服务", online=True, retry=False)
    assert given_up.stored_status == "unverified" and given_up.label == "核验失败"
    with context.session_factory() as session:
        assert store_status(session, name="巴特尔", id_number=KNOWN, outcome=given_up) == 0
        session.commit()
    assert _status(context, person) == "unverified"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeVerifier]:
    """The fake service knowing 巴特尔; one number fails."""
    with running_fake_verifier(people={KNOWN: "巴特尔"}, failing={BROKEN}) as running:
        yield running


@pytest.fixture(scope="module")
def verifying_server(tmp_path_factory: pytest.TempPathFactory, fake: FakeVerifier) -> Iterator[LiveServer]:
    """A real server subprocess configured with the fake verification service."""
    workdir = tmp_path_factory.mktemp("verifying-server")
    database_url = f"sqlite:///{workdir / 'server.sqlite3'}"
    create_admin(database_url, workdir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFT_VERIFY_URL", fake.url)
        patch.setenv("EFT_VERIFY_USERNAME", USERNAME)
        patch.setenv("EFT_VERIFY_PASSWORD", PASSWORD)
        patch.setenv("EFT_VERIFY_SWEEP_SECONDS", "0.2")
        with running_server(database_url, workdir) as server:
            yield LiveServer(server=server, database_url=database_url)


def test_online_the_server_answers_and_the_replica_records_it(
    qtbot: QtBot, context: AppContext, verifying_server: LiveServer
) -> None:
    clerk = verifying_server.make_user("clerk")
    api = ApiClient(verifying_server.url, MemoryTokenStore())
    api.login(clerk, READY_PASSWORD, device_id=str(uuid.uuid4()), device_name="counter")
    context.api, context.online = api, True
    person = _person(context, "巴特尔", KNOWN)
    failing = _person(context, "乌云", BROKEN)
    chip = _chip(qtbot, context)
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS) as done:
        chip.verify("巴特尔", KNOWN)
    assert done.args[0].online and chip.text() == "身份核验：一致"
    assert _status(context, person) == "match"
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS):
        chip.verify("巴图", KNOWN)
    assert chip.text() == "身份核验：不一致" and chip.toolTip() == "姓名与公民身份号码不一致，请核对证件"
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS) as failed:
        chip.verify("乌云", BROKEN)
    assert chip.text() == "身份核验：核验失败" and "500" in chip.toolTip()
    assert failed.args[0].stored_status == "pending"
    assert _status(context, failing) == "pending"  # retried by the server's sweep once synced
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS):
        chip.verify("巴特尔", UNKNOWN)
    assert chip.text() == "身份核验：查无此人"


def test_offline_pending_is_verified_by_the_servers_sweep_and_syncs_back(
    qtbot: QtBot, context: AppContext, verifying_server: LiveServer
) -> None:
    person = _person(context, "巴特尔", KNOWN)
    chip = _chip(qtbot, context)
    with qtbot.waitSignal(chip.verified, timeout=WAIT_MS):
        chip.verify("巴特尔", KNOWN)  # the counter is offline: 待核验, waiting in the outbox
    assert _status(context, person) == "pending"
    clerk = verifying_server.make_user("clerk")
    api = ApiClient(verifying_server.url, MemoryTokenStore())
    api.login(clerk, READY_PASSWORD, device_id=str(uuid.uuid4()), device_name="counter")
    engine = SyncClient(context.engine, ApiTransport(api))

    def synced_back() -> bool:
        assert engine.sync().rejected == 0
        return _status(context, person) == "match"

    qtbot.waitUntil(synced_back, timeout=WAIT_MS)
