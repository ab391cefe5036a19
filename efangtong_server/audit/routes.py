"""GET /api/v1/audit: administrators query the audit trail by person, user, record, action and time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from efangtong_server.access.dependencies import AuditAccess
from efangtong_server.admin.fields import ID_PATTERN, UtcTime
from efangtong_server.audit.schemas import AuditEntryOut
from efangtong_server.audit.service import query_audit
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/audit", tags=["审计"])

CODE_PATTERN = r"^[a-z][a-z0-9_.]{0,63}$"


@router.get("", summary="查询审计日志")
def list_audit(
    access: AuditAccess,
    session: DbSession,
    user_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="操作用户")] = None,
    entity: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="对象类型（表名），按人查询用 petitioner")
    ] = None,
    entity_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="对象标识")] = None,
    action: Annotated[str | None, Query(pattern=CODE_PATTERN, description="动作，如 read、create、update")] = None,
    since: Annotated[UtcTime | None, Query(description="起始时间（含）")] = None,
    until: Annotated[UtcTime | None, Query(description="截止时间（不含）")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEntryOut]:
    """Audit rows matching every filter, newest first."""
    if since is not None and until is not None and since >= until:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "起始时间应早于截止时间")
    rows = query_audit(
        session,
        user_id=user_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        since=since,
        until=until,
        offset=offset,
        limit=limit,
    )
    return [
        AuditEntryOut(
            id=row.id,
            at=row.at,
            user_id=row.user_id,
            username=row.username,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            device_id=row.device_id,
            ip=row.ip,
            details=row.details if isinstance(row.details, dict) else {"value": row.details},
        )
        for row in rows
    ]
