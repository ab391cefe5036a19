"""Pluggable adapter to the public-security identity verification service (公安身份核验服务).

The service is reached over HTTP(S) with the standard library only (no extra dependency on the server):

    POST <EFT_VERIFY_URL>                      Authorization: Basic base64(<EFT_VERIFY_USERNAME>:<EFT_VERIFY_PASSWORD>)
    {"name": "巴特尔", "id_number": "150627198503071233"}            (application/json; charset=utf-8)

    200 {"result": "match" | "mismatch" | "not_found"}               a definitive answer
    401 / 403                                                        credentials refused
    anything else, or an unreadable answer                           an error of the service

A different provider (another wire format, a signed request, a vendor SDK) is another class implementing `Verifier`;
`create_app` uses `verifier_from_settings` unless `app.state.verifier` is set before start-up.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from efangtong_server.settings import Settings
from efangtong_server.verification import texts


class VerificationResult(StrEnum):
    """What one verification found."""

    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"
    ERROR = "error"
    TIMEOUT = "timeout"

    @property
    def definitive(self) -> bool:
        """True for an answer about the person (cached and recorded); False for a failure to get one."""
        return self in (VerificationResult.MATCH, VerificationResult.MISMATCH, VerificationResult.NOT_FOUND)

    @property
    def message(self) -> str:
        """What the clerk reads."""
        return texts.RESULT_MESSAGES[self.value]


@dataclass(frozen=True)
class VerifierAnswer:
    """The service's answer: a result and, for failures, a Chinese explanation of what went wrong."""

    result: VerificationResult
    detail: str = ""
    retryable: bool = True
    """For a failure: whether asking again later may succeed (False when no service is configured at all)."""

    @property
    def message(self) -> str:
        """The result's message, with the failure's detail when there is one."""
        return f"{self.result.message}（{self.detail}）" if self.detail else self.result.message


class Verifier(Protocol):
    """Anything that can verify a name against an ID number."""

    def verify(self, name: str, id_number: str) -> VerifierAnswer:
        """Ask the service; never raises for the service's own failures (they are ERROR / TIMEOUT answers)."""
        ...


_RESULTS = {
    "match": VerificationResult.MATCH,
    "mismatch": VerificationResult.MISMATCH,
    "not_found": VerificationResult.NOT_FOUND,
}


class HttpVerifier:
    """The HTTP JSON adapter described in this module's docstring."""

    def __init__(self, url: str, *, username: str, password: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._authorization = f"Basic {token}"

    def verify(self, name: str, id_number: str) -> VerifierAnswer:
        """POST the pair and map the answer; timeouts, refusals and garbage become TIMEOUT / ERROR answers."""
        body = json.dumps({"name": name, "id_number": id_number}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": self._authorization},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read(64 * 1024)
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                return VerifierAnswer(VerificationResult.ERROR, texts.CREDENTIALS_REFUSED)
            return VerifierAnswer(VerificationResult.ERROR, texts.SERVICE_STATUS.format(status=error.code))
        except TimeoutError:
            return VerifierAnswer(VerificationResult.TIMEOUT)
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return VerifierAnswer(VerificationResult.TIMEOUT)
            return VerifierAnswer(VerificationResult.ERROR, texts.SERVICE_UNREACHABLE)
        except OSError:
            return VerifierAnswer(VerificationResult.ERROR, texts.SERVICE_UNREACHABLE)
        try:
            result = _RESULTS.get(json.loads(payload.decode("utf-8")).get("result"))
        except (ValueError, AttributeError):
            result = None
        if result is None:
            return VerifierAnswer(VerificationResult.ERROR, texts.SERVICE_BAD_ANSWER)
        return VerifierAnswer(result)


class UnconfiguredVerifier:
    """Stands in when no service address is configured: every verification is an error saying so."""

    def verify(self, name: str, id_number: str) -> VerifierAnswer:
        """Always ERROR: there is nothing to ask."""
        return VerifierAnswer(VerificationResult.ERROR, texts.NOT_CONFIGURED, retryable=False)


def verifier_from_settings(settings: Settings) -> Verifier:
    """The adapter the settings describe (`EFT_VERIFY_URL` empty: none configured)."""
    if not settings.verify_url:
        return UnconfiguredVerifier()
    return HttpVerifier(
        settings.verify_url,
        username=settings.verify_username,
        password=settings.verify_password,
        timeout=settings.verify_timeout_seconds,
    )
