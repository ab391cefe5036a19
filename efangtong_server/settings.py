"""The server's one settings object, read from `EFT_*` environment variables."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the server keeps its SQLite database and attachments when nothing else is configured."""
    return Path(user_data_dir("efangtong-server", appauthor=False))


def default_database_url() -> str:
    """A SQLite file in the user data directory: one command, no set-up."""
    return f"sqlite:///{default_data_dir() / 'efangtong.sqlite'}"


MIB = 1024 * 1024

DEFAULT_ATTACHMENT_LIMITS: dict[str, int] = {
    "image": 20 * MIB,
    "card_photo": 1 * MIB,
    "scan": 50 * MIB,
    "document": 50 * MIB,
    "audio": 200 * MIB,
    "video": 2048 * MIB,
}
"""Largest attachment in bytes per kind (efangtong_core.models.attachments.ATTACHMENT_KINDS), unless configured."""


class Settings(BaseSettings):
    """Server configuration; every field can be set as `EFT_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="EFT_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 8765
    secret_key: str = ""
    """Signs access tokens; empty means a random key kept in `data_dir/secret.key` (shared by this host's processes)."""
    access_token_minutes: int = 15
    session_days: int = 30
    lockout_failures: int = 5
    lockout_window_minutes: int = 15
    lockout_minutes: int = 15
    attachment_dir: Path | None = None
    """Where attachment bytes are stored; unset means `data_dir/attachments`."""
    attachment_chunk_bytes: int = Field(default=MIB, ge=4096, le=64 * MIB)
    """Largest chunk of an upload the server accepts in one request (clients send chunks of at most this size)."""
    attachment_max_bytes: dict[str, int] = Field(default_factory=dict)
    """Per-kind size limits replacing the defaults, e.g. `EFT_ATTACHMENT_MAX_BYTES='{"video": 4294967296}'`."""
    verify_url: str = ""
    """Address of the public-security identity verification service (联网核验); empty means none configured."""
    verify_username: str = ""
    verify_password: str = ""
    """Credentials the verification service gave this bureau (sent as HTTP Basic authentication)."""
    verify_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    verify_cache_hours: float = Field(default=168.0, ge=0)
    """How long a definitive answer for a name + ID number is reused instead of asking again (0: never)."""
    verify_sweep_seconds: float = Field(default=60.0, ge=0)
    """How often pending (待核验) petitioners synced up by offline counters are verified (0: never)."""

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("EFT_SECRET_KEY 至少需要 32 个字符")
        return value

    def attachments_root(self) -> Path:
        """The folder of the attachment store."""
        return self.attachment_dir or self.data_dir / "attachments"

    def attachment_limit(self, kind: str) -> int:
        """The largest attachment of `kind` in bytes."""
        return self.attachment_max_bytes.get(kind, DEFAULT_ATTACHMENT_LIMITS.get(kind, 20 * MIB))

    def token_secret(self) -> str:
        """The key that signs access tokens, created on first use when none is configured."""
        if self.secret_key:
            return self.secret_key
        return _stored_secret(self.data_dir / "secret.key")


@lru_cache(maxsize=8)
def _stored_secret(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as key_file:
                key_file.write(secrets.token_urlsafe(48))
        except FileExistsError:
            pass  # another server process on this host created it first; use theirs
    return path.read_text(encoding="ascii").strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
