"""System-parameter logic: values read from the database on every call (no cache), checked against the registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from efangtong_core.models import SystemParameter
from efangtong_server.admin.common import NotFound, Refused, audit, commit
from efangtong_server.admin.parameters.registry import BY_KEY, PARAMETERS, ParameterSpec
from efangtong_server.audit.service import Actor

ENTITY = "system_parameter"


@dataclass(frozen=True)
class ParameterValue:
    """A known parameter with its current value."""

    spec: ParameterSpec
    value: int | bool | str
    is_default: bool
    updated_at: datetime | None


def _spec(key: str) -> ParameterSpec:
    spec = BY_KEY.get(key)
    if spec is None:
        raise NotFound(f"系统参数 {key} 不存在")
    return spec


def _current(spec: ParameterSpec, row: SystemParameter | None) -> ParameterValue:
    if row is not None:
        try:
            return ParameterValue(spec, spec.check(row.value), False, row.updated_at)
        except ValueError:
            pass  # a stored value the registry no longer accepts: the default applies
    return ParameterValue(spec, spec.default, True, row.updated_at if row else None)


def list_parameters(session: Session) -> list[ParameterValue]:
    """Every known parameter with its current value."""
    rows = {row.key: row for row in session.scalars(select(SystemParameter))}
    return [_current(spec, rows.get(spec.key)) for spec in PARAMETERS]


def get_parameter(session: Session, *, key: str) -> ParameterValue:
    """One known parameter with its current value; NotFound for an unknown key."""
    spec = _spec(key)
    return _current(spec, session.get(SystemParameter, key))


def parameter_value(session: Session, *, key: str) -> int | bool | str:
    """The current value of a known parameter, for the services that use it (read each time: no restart needed)."""
    return get_parameter(session, key=key).value


def set_parameter(session: Session, *, actor: Actor, key: str, value: object) -> ParameterValue:
    """Set a known parameter to a value its type and range accept."""
    spec = _spec(key)
    try:
        checked = spec.check(value)
    except ValueError as error:
        raise Refused(str(error)) from error
    row = session.get(SystemParameter, key)
    old = _current(spec, row).value
    now = datetime.now(UTC)
    if row is None:
        row = SystemParameter(key=key, value=checked, note=spec.description, updated_at=now)
        session.add(row)
    elif row.value != checked or type(row.value) is not type(checked):
        row.value, row.updated_at = checked, now
    else:
        return _current(spec, row)
    audit(
        session, actor=actor, action="update", entity=ENTITY, entity_id=key, details={key: {"old": old, "new": checked}}
    )
    commit(session)
    return _current(spec, row)
