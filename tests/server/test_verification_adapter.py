"""The HTTP adapter to the verification service against the loopback fake: each answer, timeout, credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from efangtong_server.settings import Settings
from efangtong_server.verification.adapter import (
    HttpVerifier,
    UnconfiguredVerifier,
    VerificationResult,
    verifier_from_settings,
)
from tests.server.conftest import TEST_SECRET
from tests.support.fake_verifier import PASSWORD, USERNAME, FakeVerifier, running_fake_verifier
from tests.support.server import free_loopback_port

KNOWN = "150627198503071233"
BROKEN = "150627197507150014"
SLOW = "150627198001010019"


@pytest.fixture
def fake() -> Iterator[FakeVerifier]:
    """The fake service knowing one person, failing on one number and slow on another."""
    with running_fake_verifier(people={KNOWN: "巴特尔"}, failing={BROKEN}, slow={SLOW}) as running:
        yield running


def _verifier(fake: FakeVerifier, *, password: str = PASSWORD, timeout: float = 5.0) -> HttpVerifier:
    return HttpVerifier(fake.url, username=USERNAME, password=password, timeout=timeout)


def test_each_definitive_answer(fake: FakeVerifier) -> None:
    verifier = _verifier(fake)
    assert verifier.verify("巴特尔", KNOWN).result is VerificationResult.MATCH
    assert verifier.verify("巴图", KNOWN).result is VerificationResult.MISMATCH
    assert verifier.verify("巴特尔", "110101199003074514").result is VerificationResult.NOT_FOUND
    assert fake.requests[0] == {"name": "巴特尔", "id_number": KNOWN}
    assert VerificationResult.MISMATCH.message == "姓名与公民身份号码不一致，请核对证件"


def test_the_services_error_and_bad_credentials_are_errors_with_a_reason(fake: FakeVerifier) -> None:
    failed = _verifier(fake).verify("巴特尔", BROKEN)
    assert failed.result is VerificationResult.ERROR
    assert "500" in failed.message
    refused = _verifier(fake, password="wrong").verify("巴特尔", KNOWN)
    assert refused.result is VerificationResult.ERROR
    assert "账号或密码" in refused.message
    assert fake.refused == 1


def test_a_slow_service_times_out(fake: FakeVerifier) -> None:
    answer = _verifier(fake, timeout=0.3).verify("巴特尔", SLOW)
    assert answer.result is VerificationResult.TIMEOUT
    assert answer.message == "核验服务响应超时，请稍后重试"
    assert not answer.result.definitive


def test_an_unreachable_or_unconfigured_service_is_an_error() -> None:
    port = free_loopback_port()
    gone = HttpVerifier(f"http://127.0.0.1:{port}/verify", username=USERNAME, password=PASSWORD, timeout=2.0)
    assert gone.verify("巴特尔", KNOWN).detail == "无法连接核验服务"
    settings = Settings(database_url="sqlite://", secret_key=TEST_SECRET)
    unconfigured = verifier_from_settings(settings)
    assert isinstance(unconfigured, UnconfiguredVerifier)
    assert unconfigured.verify("巴特尔", KNOWN).message == "联网核验失败，请稍后重试（未配置联网核验服务）"
