"""Offline sign-in: the last user of this PC may sign in without the server, for a period the administrator bounds.

After every successful online sign-in (and password change) the counter keeps, in `offline_login.json` in its data
directory, who signed in (the server's description of the user), when, for how many days the administrator allows
offline sign-in (`offline_login_days`), and a password verifier — never the password. The verifier is scrypt
(RFC 7914; N=2^15, r=8, p=1: 32 MiB and some 100 ms per try, so guessing a password from a stolen file is slow) over a
random salt, bound to this device's id; it yields 64 bytes: the first half is compared with the stored verifier, the
second half keys an HMAC over the whole record, so changing the dates or the user in the file without knowing the
password makes the record invalid. A clock turned back before the last time the record was used is refused as well.

An online refusal of the account (disabled, or a device revoked) forgets the record, so such a user cannot go on
offline.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from efangtong_desktop import texts
from efangtong_desktop.services.api_client import SignedInUser

RECORD_FILENAME = "offline_login.json"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
CLOCK_TOLERANCE = timedelta(minutes=10)
"""How far the clock may seem to go back between two uses (time sync corrections) before it is refused."""


class OfflineSignInRefused(Exception):
    """Offline sign-in is not possible; the message says why in Chinese."""


@dataclass(frozen=True)
class OfflineRecord:
    """What is kept about the last online sign-in of this PC."""

    user: dict[str, Any]
    device_id: str
    signed_in_online_at: str
    last_used_at: str
    offline_days: int
    salt: str
    verifier: str
    mac: str = ""

    def signed_payload(self) -> bytes:
        """Every field but the MAC, canonically encoded."""
        fields = {key: value for key, value in asdict(self).items() if key != "mac"}
        return json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()


def _derive(password: str, salt: bytes, device_id: str) -> tuple[bytes, bytes]:
    key = hashlib.scrypt(
        password.encode() + b"\x00" + device_id.encode(),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=64,
    )
    return key[:32], key[32:]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class OfflineSignIn:
    """The offline sign-in record of one counter's data directory."""

    def __init__(self, data_dir: Path, device_id: str) -> None:
        self.path = data_dir / RECORD_FILENAME
        self.device_id = device_id

    def remember(self, user: SignedInUser, password: str, *, now: datetime | None = None) -> None:
        """Keep a verifier after an online sign-in of `user` with `password` (replacing any earlier user's)."""
        moment = _iso(now or datetime.now(UTC))
        salt = secrets.token_bytes(16)
        verifier, mac_key = _derive(password, salt, self.device_id)
        record = OfflineRecord(
            user=asdict(user) | {"roles": list(user.roles)},
            device_id=self.device_id,
            signed_in_online_at=moment,
            last_used_at=moment,
            offline_days=max(0, user.offline_login_days),
            salt=_b64(salt),
            verifier=_b64(verifier),
        )
        self._write(record, mac_key)

    def last_username(self) -> str | None:
        """The username of the last user who signed in online here, if a record is kept."""
        record = self._read()
        return str(record.user.get("username")) if record else None

    def sign_in(self, username: str, password: str, *, now: datetime | None = None) -> tuple[SignedInUser, datetime]:
        """The cached user and the end of their offline period; OfflineSignInRefused says why not."""
        record = self._read()
        if record is None or record.device_id != self.device_id:
            raise OfflineSignInRefused(texts.OFFLINE_NO_RECORD)
        last = str(record.user.get("username", ""))
        if username.casefold() != last.casefold():
            raise OfflineSignInRefused(texts.OFFLINE_OTHER_USER.format(username=last))
        verifier, mac_key = _derive(password, base64.b64decode(record.salt), self.device_id)
        if not hmac.compare_digest(verifier, base64.b64decode(record.verifier)):
            raise OfflineSignInRefused(texts.OFFLINE_WRONG_PASSWORD)
        expected = hmac.new(mac_key, record.signed_payload(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, record.mac):
            self.forget()
            raise OfflineSignInRefused(texts.OFFLINE_RECORD_TAMPERED)
        moment = now or datetime.now(UTC)
        if moment + CLOCK_TOLERANCE < datetime.fromisoformat(record.last_used_at):
            raise OfflineSignInRefused(texts.OFFLINE_CLOCK_BACK)
        until = datetime.fromisoformat(record.signed_in_online_at) + timedelta(days=record.offline_days)
        if moment > until:
            raise OfflineSignInRefused(texts.OFFLINE_EXPIRED.format(days=record.offline_days))
        self._write(_replace_last_used(record, _iso(moment)), mac_key)
        return SignedInUser.from_json(record.user), until

    def forget(self) -> None:
        """Drop the record (the account was refused online, or the user signed out for good)."""
        self.path.unlink(missing_ok=True)

    def _read(self) -> OfflineRecord | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return OfflineRecord(**data)
        except (OSError, ValueError, TypeError):
            return None

    def _write(self, record: OfflineRecord, mac_key: bytes) -> None:
        mac = hmac.new(mac_key, record.signed_payload(), hashlib.sha256).hexdigest()
        signed = OfflineRecord(**(asdict(record) | {"mac": mac}))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.tmp")
        temporary.write_text(json.dumps(asdict(signed), ensure_ascii=False), encoding="utf-8")
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)


def _replace_last_used(record: OfflineRecord, moment: str) -> OfflineRecord:
    return OfflineRecord(**(asdict(record) | {"last_used_at": moment, "mac": ""}))
