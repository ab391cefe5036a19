"""GET /api/v1/health: is the server up, which schema does its database have."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from sqlalchemy import text

from efangtong_core.db import current_revision
from efangtong_server.database import DbEngine
from efangtong_server.health.schemas import Health

router = APIRouter(prefix="/api/v1", tags=["系统"])


def _package_version() -> str:
    try:
        return version("efangtong")
    except PackageNotFoundError:
        return "0+unknown"


@router.get("/health", summary="服务状态")
def health(engine: DbEngine) -> Health:
    """Report that the server runs and its database answers."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(
        status="ok",
        version=_package_version(),
        database=engine.dialect.name,
        schema_revision=current_revision(engine),
        server_time=datetime.now(UTC),
    )
