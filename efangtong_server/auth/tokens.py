"""Access tokens (short-lived signed JWTs) and refresh tokens (opaque, stored only as hashes)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

ALGORITHM = "HS256"
ACCESS_TOKEN_TYPE = "access"


class InvalidToken(ValueError):
    """A token that is malformed, forged or expired; the message is Chinese."""


@dataclass(frozen=True)
class AccessClaims:
    """What an access token asserts: who, on which device, in which sign-in session, until when."""

    user_id: str
    session_id: str
    device_id: str
    expires_at: datetime


def issue_access_token(claims: AccessClaims, *, secret: str) -> str:
    """Sign `claims` into a compact JWT."""
    payload = {
        "sub": claims.user_id,
        "sid": claims.session_id,
        "dev": claims.device_id,
        "typ": ACCESS_TOKEN_TYPE,
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret: str, now: datetime | None = None) -> AccessClaims:
    """Verify the signature and expiry of `token` and return its claims."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "sid", "exp"], "verify_exp": False},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken("登录凭证无效，请重新登录") from exc
    if payload.get("typ") != ACCESS_TOKEN_TYPE:
        raise InvalidToken("登录凭证类型不正确")
    expires_at = datetime.fromtimestamp(int(payload["exp"]), UTC)
    if expires_at <= (now or datetime.now(UTC)):
        raise InvalidToken("登录已过期，请重新登录")
    return AccessClaims(
        user_id=str(payload["sub"]),
        session_id=str(payload["sid"]),
        device_id=str(payload.get("dev", "")),
        expires_at=expires_at,
    )


def new_refresh_token() -> str:
    """A fresh opaque refresh token (256 random bits)."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    """The stored form of a refresh token: its SHA-256, so a database leak reveals no usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
