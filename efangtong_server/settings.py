"""The server's one settings object, read from `EFT_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where the server keeps its SQLite database and attachments when nothing else is configured."""
    return Path(user_data_dir("efangtong-server", appauthor=False))


def default_database_url() -> str:
    """A SQLite file in the user data directory: one command, no set-up."""
    return f"sqlite:///{default_data_dir() / 'efangtong.sqlite'}"


class Settings(BaseSettings):
    """Server configuration; every field can be set as `EFT_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="EFT_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 8765


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
