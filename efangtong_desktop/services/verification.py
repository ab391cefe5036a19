"""Identity verification (联网核验) on the counter: ask the server when online, mark 待核验 when not.

`verify_identity` blocks (network) and is meant to run through `context.tasks`. Offline — or when the server cannot be
reached — the outcome is 待核验: the petitioner is saved with verification_status "pending", the change waits in the
outbox, and once it is synced the server's sweep verifies it and the result syncs back. A definitive answer (一致 /
不一致 / 查无此人) is stored as is; a failure of the service (核验失败) is stored as pending too, so it is retried.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.idnumber import InvalidIdNumber, parse_id_number
from efangtong_core.models import Petitioner
from efangtong_desktop.services.api_client import ApiClient, ApiError

DEFINITIVE = frozenset({"match", "mismatch", "not_found"})
PENDING = "pending"
UNVERIFIED = "unverified"

STATUS_LABELS: dict[str, str] = {
    "match": "一致",
    "mismatch": "不一致",
    "not_found": "查无此人",
    "pending": "待核验",
    "error": "核验失败",
    "timeout": "核验失败",
    "unverified": "未核验",
    "checking": "核验中…",
}
"""The chip's text per status code (verification_status codes, plus the server's timeout and the running check)."""

OFFLINE_MESSAGE = "当前离线：已标记为待核验，联网同步后由服务器自动核验"
UNREACHABLE_MESSAGE = "无法连接服务器：已标记为待核验，联网同步后由服务器自动核验"
NAME_MISSING = "请先填写姓名再核验"


@dataclass(frozen=True)
class VerificationOutcome:
    """What the clerk sees after a verification, and what is stored on the petitioner."""

    status: str
    """match / mismatch / not_found / pending / error / timeout."""
    message: str
    online: bool
    retry: bool = True
    """For a failure: whether the server will try again (False when it has no verification service)."""

    @property
    def label(self) -> str:
        """The chip's short text (一致 / 不一致 / 查无此人 / 待核验 / 核验失败)."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def stored_status(self) -> str:
        """The verification_status to save: the answer if definitive, 待核验 if retried later, else 未核验."""
        if self.status in DEFINITIVE:
            return self.status
        return PENDING if self.retry else UNVERIFIED


def checked_subject(name: str, id_number: str) -> tuple[str, str]:
    """The trimmed name and normalised number; ValueError with a Chinese message when either is unusable."""
    name = name.strip()
    if not name:
        raise ValueError(NAME_MISSING)
    try:
        return name, parse_id_number(id_number).number
    except InvalidIdNumber as error:
        raise ValueError(str(error)) from None


def verify_identity(api: ApiClient | None, *, online: bool, name: str, id_number: str) -> VerificationOutcome:
    """Verify through the server (blocking); 待核验 offline or when the server is unreachable.

    ValueError (Chinese message) for a blank name or an invalid ID number, before anything is sent.
    """
    name, number = checked_subject(name, id_number)
    if api is None or not online:
        return VerificationOutcome(PENDING, OFFLINE_MESSAGE, online=False)
    try:
        answer = api.post("/verification", json={"name": name, "id_number": number})
    except ApiError as error:
        if error.unreachable:
            return VerificationOutcome(PENDING, UNREACHABLE_MESSAGE, online=False)
        if error.status == 422:
            raise ValueError(str(error)) from None
        return VerificationOutcome("error", str(error), online=True, retry=False)
    retry = bool(answer.get("will_retry", True))
    return VerificationOutcome(str(answer["result"]), str(answer["message"]), online=True, retry=retry)


def store_status(session: Session, *, name: str, id_number: str, outcome: VerificationOutcome) -> int:
    """Write the outcome on the replica's petitioners with this name and number (synced up); returns how many.

    A failure or an offline check never overwrites an earlier definitive result, and one that will not be retried
    changes nothing. The caller commits.
    """
    name, number = checked_subject(name, id_number)
    status = outcome.stored_status
    if status == UNVERIFIED:
        return 0
    changed = 0
    for petitioner in session.scalars(
        select(Petitioner).where(
            Petitioner.id_number == number, Petitioner.name == name, Petitioner.deleted_at.is_(None)
        )
    ):
        if status == PENDING and petitioner.verification_status in DEFINITIVE:
            continue
        if petitioner.verification_status != status:
            petitioner.verification_status = status
            changed += 1
    return changed
