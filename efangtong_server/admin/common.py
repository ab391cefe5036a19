"""What every administration domain shares: business-rule errors, the route class that answers them, audit helpers."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from efangtong_server.access.principal import Access
from efangtong_server.audit.service import Actor, record_audit


class AdminError(Exception):
    """A business-rule refusal: an HTTP status and a Chinese message for the administrator."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AdminError):
    """The row asked for does not exist (or carries a tombstone)."""

    status = 404


class Conflict(AdminError):
    """The change clashes with existing data (a duplicate code, a repeated grant)."""

    status = 409


class Refused(AdminError):
    """The change breaks a rule (a cycle, deactivating a unit still in use)."""

    status = 400


class AdminRoute(APIRoute):
    """Route class of the administration routers: an `AdminError` becomes an HTTP answer with its Chinese message."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The default handler, with business-rule errors turned into HTTP errors."""
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except AdminError as error:
                raise HTTPException(error.status, error.message) from error

        return handle


def actor_of(access: Access, request: Request) -> Actor:
    """The audit actor of a request: the signed-in user, their device and address."""
    principal = access.principal
    ip = request.client.host if request.client else None
    return Actor(user_id=principal.user_id, username=principal.username, device_id=principal.device_id, ip=ip)


def jsonable(value: Any) -> Any:
    """A value as the audit log's JSON details can hold it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def apply_changes(row: object, values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set `values` on `row`; the fields that really changed, as {field: {"old": …, "new": …}}."""
    changed: dict[str, dict[str, Any]] = {}
    for field, new in values.items():
        old = getattr(row, field)
        if jsonable(old) != jsonable(new):
            setattr(row, field, new)
            changed[field] = {"old": jsonable(old), "new": jsonable(new)}
    return changed


def created_fields(row: object, fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The audit details of a new row: each field from nothing to its value."""
    return {field: {"old": None, "new": jsonable(getattr(row, field))} for field in fields}


def audit(session: Session, *, actor: Actor, action: str, entity: str, entity_id: str, details: dict[str, Any]) -> None:
    """Add the audit row of an administrative change; it commits with the change."""
    record_audit(session, actor=actor, action=action, entity=entity, entity_id=entity_id, details=details)


def commit(session: Session) -> None:
    """Commit the change and its audit row; a constraint violation (a concurrent duplicate) becomes a 409."""
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict("数据与现有记录冲突（可能已被他人修改），请刷新后重试") from error


def create_audited(session: Session, *, actor: Actor, entity: str, row: Any, fields: Iterable[str]) -> None:
    """Insert `row`, audit its creation with the values of `fields`, and commit both."""
    session.add(row)
    session.flush()
    audit(session, actor=actor, action="create", entity=entity, entity_id=row.id, details=created_fields(row, fields))
    commit(session)


def update_audited(session: Session, *, actor: Actor, entity: str, row: Any, values: Mapping[str, Any]) -> None:
    """Apply `values` to `row`; when anything really changed, audit the change and commit it."""
    changed = apply_changes(row, values)
    if changed:
        audit(session, actor=actor, action="update", entity=entity, entity_id=row.id, details=changed)
        commit(session)


def set_active_audited(session: Session, *, actor: Actor, entity: str, row: Any, active: bool) -> None:
    """Deactivate or reactivate `row`, audit it as such, and commit both."""
    changed = apply_changes(row, {"active": active})
    action = "reactivate" if active else "deactivate"
    audit(session, actor=actor, action=action, entity=entity, entity_id=row.id, details=changed)
    commit(session)


def refuse_nulls(values: Mapping[str, Any], labels: Mapping[str, str]) -> None:
    """Refuse an update that sends null for a field that cannot be empty (`labels`: field → Chinese name)."""
    for field, label in labels.items():
        if field in values and values[field] is None:
            raise Refused(f"{label}不能为空")
