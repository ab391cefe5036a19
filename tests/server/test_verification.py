"""POST /api/v1/verification on both databases: results recorded on petitioners, cached by hash, audited; the sweep."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_core.models import AuditLog, Petitioner
from efangtong_core.models.verification import VerificationCache
from efangtong_core.vocabulary import Role
from efangtong_server.app import create_app
from efangtong_server.settings import Settings
from efangtong_server.verification.adapter import VerificationResult, verifier_from_settings
from efangtong_server.verification.service import cached_answer, remember, subject_hash, verify_pending_once
from sync.sequence import install_server_sequencing
from tests.server.conftest import TEST_SECRET, ServerUnderTest
from tests.support.fake_verifier import PASSWORD, USERNAME, FakeVerifier, running_fake_verifier

KNOWN = "150627198503071233"
OTHER = "150627199001011235"
BROKEN = "150627197507150014"
SLOW = "150627198001010019"
UNKNOWN = "110101199003074514"


@dataclass
class VerifyingServer:
    """The server with the verification service configured, and the fake behind it."""

    server: ServerUnderTest
    fake: FakeVerifier
    settings: Settings
    headers: dict[str, str]

    def verify(self, name: str, id_number: str) -> dict[str, object]:
        """Call the endpoint as a clerk; asserts 200."""
        answer = self.server.client.post(
            "/api/v1/verification", json={"name": name, "id_number": id_number}, headers=self.headers
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, object] = answer.json()
        return body

    def person(self, name: str, id_number: str, status: str = "unverified") -> str:
        """A petitioner row; returns its id."""
        with self.server.sessions() as session:
            person = Petitioner(name=name, id_number=id_number, verification_status=status)
            session.add(person)
            session.commit()
            return person.id

    def status_of(self, petitioner_id: str) -> tuple[str, int | None]:
        """(verification_status, server_seq) of a petitioner."""
        with self.server.sessions() as session:
            person = session.get(Petitioner, petitioner_id)
            assert person is not None
            return person.verification_status, person.server_seq


def _settings(db_url: str, tmp_path: Path, fake: FakeVerifier, **extra: object) -> Settings:
    return Settings(
        database_url=db_url,
        data_dir=tmp_path / "server-data",
        secret_key=TEST_SECRET,
        verify_url=fake.url,
        verify_username=USERNAME,
        verify_password=PASSWORD,
        verify_timeout_seconds=0.5,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def fake() -> Iterator[FakeVerifier]:
    """The fake service: 巴特尔 and 其木格 are known, one number fails, one is slow."""
    with running_fake_verifier(people={KNOWN: "巴特尔", OTHER: "其木格"}, failing={BROKEN}, slow={SLOW}) as running:
        yield running


@pytest.fixture
def verifying(db_url: str, tmp_path: Path, fake: FakeVerifier) -> Iterator[VerifyingServer]:
    """The application on `db_url` (both databases) using the fake service; the sweep is off."""
    settings = _settings(db_url, tmp_path, fake, verify_sweep_seconds=0)
    with TestClient(create_app(settings)) as client:
        engine = open_database(db_url)
        try:
            sessions = session_factory(engine)
            install_server_sequencing(sessions)  # rows written by the test get a server_seq like the server's own
            server = ServerUnderTest(client=client, sessions=sessions)
            yield VerifyingServer(server, fake, settings, server.headers(server.user(Role.CLERK)))
        finally:
            engine.dispose()


def _eventually(condition: Callable[[], bool], *, timeout: float) -> bool:
    """True as soon as `condition()` holds; False when `timeout` seconds pass first (a condition wait)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.02)  # poll interval of the condition wait
    return True


def _audit_rows(sessions: sessionmaker[Session]) -> list[AuditLog]:
    with sessions() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == "verify").order_by(AuditLog.id)))


def test_a_match_is_recorded_on_the_petitioner_with_a_new_server_seq(verifying: VerifyingServer) -> None:
    person = verifying.person("巴特尔", KNOWN)
    stranger = verifying.person("巴图", KNOWN)  # same number, other name: not this verification's subject
    _, seq_before = verifying.status_of(person)
    answer = verifying.verify("巴特尔", KNOWN)
    assert answer["result"] == "match" and answer["cached"] is False
    assert answer["message"] == "姓名与公民身份号码一致"
    status, seq_after = verifying.status_of(person)
    assert status == "match"
    assert seq_before is not None and seq_after is not None and seq_after > seq_before
    assert verifying.status_of(stranger)[0] == "unverified"
    [audit] = _audit_rows(verifying.server.sessions)
    assert audit.entity_id == person and audit.username is not None and audit.username.startswith("clerk")
    assert audit.details == {"id_number": "150627********1233", "result": "match", "cached": False, "petitioners": 1}


def test_answers_are_cached_by_a_hash_not_the_number(verifying: VerifyingServer) -> None:
    first = verifying.verify("其木格", OTHER)
    again = verifying.verify(" 其木格 ", OTHER.lower())
    assert first["result"] == again["result"] == "match"
    assert again["cached"] is True
    assert len(verifying.fake.requests) == 1
    assert verifying.verify("其木格", UNKNOWN)["result"] == "not_found"
    assert verifying.verify("其木格", UNKNOWN)["cached"] is True
    with verifying.server.sessions() as session:
        rows = session.scalars(select(VerificationCache)).all()
    assert len(rows) == 2
    assert all(OTHER not in row.subject_hash and UNKNOWN not in row.subject_hash for row in rows)
    assert [row.details["cached"] for row in _audit_rows(verifying.server.sessions)] == [False, True, False, True]


def test_failures_are_not_cached_and_leave_the_petitioner_pending(verifying: VerifyingServer) -> None:
    person = verifying.person("乌云", BROKEN)
    matched = verifying.person("巴特尔", KNOWN, status="match")
    failed = verifying.verify("乌云", BROKEN)
    assert failed["result"] == "error" and "500" in str(failed["message"]) and failed["will_retry"] is True
    assert verifying.verify("乌云", BROKEN)["cached"] is False
    assert len(verifying.fake.requests) == 2
    assert verifying.status_of(person)[0] == "pending"
    slow = verifying.person("巴特尔", SLOW)
    assert verifying.verify("巴特尔", SLOW)["result"] == "timeout"
    assert verifying.status_of(slow)[0] == "pending"
    assert verifying.status_of(matched)[0] == "match"
    assert verifying.verify("巴图", KNOWN)["result"] == "mismatch"
    assert verifying.status_of(matched)[0] == "match"  # another name's answer is not this person's


def test_bad_input_is_refused_in_chinese_and_changes_nothing(verifying: VerifyingServer) -> None:
    def refusal(body: dict[str, str]) -> str:
        answer = verifying.server.client.post("/api/v1/verification", json=body, headers=verifying.headers)
        assert answer.status_code == 422
        detail: str = answer.json()["detail"]
        return detail

    assert refusal({"name": "巴特尔", "id_number": "150627198503071234"}).startswith("公民身份号码无效：校验码错误")
    assert refusal({"name": "  ", "id_number": KNOWN}) == "姓名不能为空"
    assert refusal({"name": "巴特尔"}) == "id_number：缺少必填项"
    assert verifying.fake.requests == []
    assert _audit_rows(verifying.server.sessions) == []


def test_the_sweep_verifies_pending_petitioners_and_stops_when_the_service_fails(verifying: VerifyingServer) -> None:
    ready = verifying.person("巴特尔", KNOWN, status="pending")
    wrong = verifying.person("其木", OTHER, status="pending")
    untouched = verifying.person("乌云", UNKNOWN)
    factory = session_factory(open_database(verifying.settings.database_url))
    install_server_sequencing(factory)
    verifier = verifier_from_settings(verifying.settings)
    report = verify_pending_once(factory, verifier=verifier, settings=verifying.settings)
    assert (report.checked, report.resolved, report.failed) == (2, 2, False)
    assert verifying.status_of(ready)[0] == "match"
    assert verifying.status_of(wrong)[0] == "mismatch"
    assert verifying.status_of(untouched)[0] == "unverified"
    assert {row.username for row in _audit_rows(verifying.server.sessions)} == {"system:verification"}
    broken = verifying.person("乌云", BROKEN, status="pending")
    failed = verify_pending_once(factory, verifier=verifier, settings=verifying.settings)
    assert failed.failed and verifying.status_of(broken)[0] == "pending"
    factory.kw["bind"].dispose()


def test_the_server_sweeps_in_the_background(db_url: str, tmp_path: Path, fake: FakeVerifier) -> None:
    settings = _settings(db_url, tmp_path, fake, verify_sweep_seconds=0.05)
    with TestClient(create_app(settings)):
        engine = open_database(db_url)
        sessions = session_factory(engine)
        with sessions() as session:
            person = Petitioner(name="巴特尔", id_number=KNOWN, verification_status="pending")
            session.add(person)
            session.commit()

        def verified() -> bool:
            with sessions() as session:
                return (
                    session.scalar(select(Petitioner.verification_status).where(Petitioner.id == person.id)) == "match"
                )

        assert _eventually(verified, timeout=10.0)
        engine.dispose()


def test_a_cached_answer_expires_after_the_configured_hours(db_engine: Engine, tmp_path: Path) -> None:
    settings = Settings(
        database_url="sqlite://", data_dir=tmp_path / "server-data", secret_key=TEST_SECRET, verify_cache_hours=2
    )
    subject = subject_hash(settings, "巴特尔", KNOWN)
    assert subject != subject_hash(settings, "巴图", KNOWN) and KNOWN not in subject
    now = datetime.now(UTC)
    with session_factory(db_engine)() as session:
        remember(session, subject=subject, result=VerificationResult.MATCH, at=now - timedelta(hours=1))
        session.commit()
        assert cached_answer(session, subject=subject, settings=settings, now=now) is VerificationResult.MATCH
        later = now + timedelta(hours=1, minutes=1)
        assert cached_answer(session, subject=subject, settings=settings, now=later) is None
        remember(session, subject=subject, result=VerificationResult.MISMATCH, at=later)
        session.commit()
        assert cached_answer(session, subject=subject, settings=settings, now=later) is VerificationResult.MISMATCH
        assert len(session.scalars(select(VerificationCache)).all()) == 1
        never = settings.model_copy(update={"verify_cache_hours": 0})
        assert cached_answer(session, subject=subject, settings=never, now=later) is None


def test_without_a_configured_service_the_answer_says_so_and_nothing_waits(server: ServerUnderTest) -> None:
    with server.sessions() as session:
        person = Petitioner(name="巴特尔", id_number=KNOWN)
        session.add(person)
        session.commit()
    answer = server.client.post(
        "/api/v1/verification",
        json={"name": "巴特尔", "id_number": KNOWN},
        headers=server.headers(server.user(Role.CLERK)),
    ).json()
    assert answer["result"] == "error" and answer["will_retry"] is False
    assert answer["message"] == "联网核验失败，请稍后重试（未配置联网核验服务）"
    with server.sessions() as session:
        assert session.get(Petitioner, person.id).verification_status == "unverified"  # type: ignore[union-attr]
