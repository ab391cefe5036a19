"""Column values between the wire and the database: decode JSON values by column type, defaults for new rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, Table, Text
from sqlalchemy.types import TypeDecorator

from efangtong_core.models.base import utcnow

SERVER_MANAGED = frozenset({"id", "server_seq", "origin", "updated_at"})
"""Columns no change may set: the server fills them in."""

DERIVED_COLUMNS: dict[str, frozenset[str]] = {
    "petition": frozenset(
        {
            "state",
            "deadline",
            "lead_unit_id",
            "accepted_at",
            "closed_at",
            "event_count",
            "case_number",
            "merged_into_id",
        }
        | {"accepted_on", "acceptance_due", "replied_on", "handling_due", "extension_days", "satisfaction"}
    ),
}
"""Columns the server derives (from a case's events); a change's values for them are ignored."""


class InvalidValue(ValueError):
    """A change's value does not fit its column; `field` names the column."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _base_type(column: Column[Any]) -> Any:
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def decode_value(column: Column[Any], value: Any) -> Any:
    """The database value of wire value `value` for `column`; `InvalidValue` if it does not fit."""
    if value is None:
        if not column.nullable:
            raise InvalidValue(column.name)
        return None
    kind = _base_type(column)
    try:
        if isinstance(kind, DateTime):
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
            if parsed is None:
                raise InvalidValue(column.name)
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        if isinstance(kind, Date):
            if not isinstance(value, str):
                raise InvalidValue(column.name)
            return date.fromisoformat(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise InvalidValue(column.name)
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
                raise InvalidValue(column.name)
            return value
        if isinstance(kind, String | Text) and not isinstance(kind, JSON):
            if not isinstance(value, str) or "\x00" in value:
                raise InvalidValue(column.name)
            if isinstance(kind, String) and kind.length is not None and len(value) > kind.length:
                raise InvalidValue(column.name)
            return value
    except ValueError as error:
        raise InvalidValue(column.name) from error
    return value


_Decoders = tuple[dict[str, Column[Any]], dict[str, int]]
_DECODERS: dict[str, _Decoders] = {}
_NO_LIMIT = 2**62


def _decoders(table: Table) -> _Decoders:
    """Per table, worked out once: the columns a change may set, and the plain-text ones with their length limit."""
    decoders = _DECODERS.get(table.name)
    if decoders is None:
        ignored = SERVER_MANAGED | DERIVED_COLUMNS.get(table.name, frozenset())
        columns = {column.name: column for column in table.c if column.name not in ignored}
        text_limits = {
            name: getattr(column.type, "length", None) or _NO_LIMIT
            for name, column in columns.items()
            if column.type._type_affinity is String and not isinstance(column.type, JSON)
        }
        decoders = _DECODERS[table.name] = (columns, text_limits)
    return decoders


def decode_values(table: Table, values: dict[str, Any], *, writable: frozenset[str] | None = None) -> dict[str, Any]:
    """The decoded values of the columns a change may set; unknown columns are refused, server-managed ignored."""
    columns, text_limits = _decoders(table)
    decoded: dict[str, Any] = {}
    for name, value in values.items():
        # Plain text is by far the most common value: checked here without the general path.
        limit = text_limits.get(name)
        if limit is not None and type(value) is str and (writable is None or name in writable):
            if len(value) > limit or "\x00" in value:
                raise InvalidValue(name)
            decoded[name] = value
            continue
        column = columns.get(name)
        if column is None:
            if name in table.c:
                continue  # server-managed or derived: the server fills it in
            raise InvalidValue(name)
        if writable is not None and name not in writable:
            raise InvalidValue(name)
        decoded[name] = decode_value(column, value)
    return decoded


def default_for(column: Column[Any], *, now: datetime | None = None) -> Any:
    """The value a new row gets for `column` when the change does not give one (`now` for a `utcnow` default)."""
    default = column.default
    if default is None or not hasattr(default, "arg"):
        return None
    arg = default.arg
    if callable(arg):
        if getattr(arg, "__name__", "") == "utcnow":
            return now or utcnow()
        return arg(None)
    return arg


_TEMPLATES: dict[str, tuple[dict[str, Any], list[tuple[str, Any, bool]], list[str]]] = {}


def _template(table: Table) -> tuple[dict[str, Any], list[tuple[str, Any, bool]], list[str]]:
    """Per table: the fixed defaults, the computed ones (name, factory, whether it is `utcnow`), required names."""
    template = _TEMPLATES.get(table.name)
    if template is None:
        computed = [c for c in table.c if c.default is not None and callable(getattr(c.default, "arg", None))]
        fixed = {c.name: default_for(c) for c in table.c if c not in computed}
        args = [(c.name, c.default.arg) for c in computed if c.default is not None and hasattr(c.default, "arg")]
        factories = [(name, arg, getattr(arg, "__name__", "") == "utcnow") for name, arg in args]
        required = [c.name for c in table.c if not c.nullable and c.name != "server_seq"]
        template = _TEMPLATES[table.name] = (fixed, factories, required)
    return template


def full_row(table: Table, values: dict[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """Every column of a new row: the given values, column defaults for the rest (`now` for time defaults)."""
    fixed, factories, _ = _template(table)
    row = dict(fixed)
    for name, factory, is_now in factories:
        if name not in values:
            row[name] = (now or utcnow()) if is_now else factory(None)
    row.update(values)
    return row


def missing_required(table: Table, row: dict[str, Any]) -> str | None:
    """The first non-nullable column left empty in `row`, if any."""
    for name in _template(table)[2]:
        if row.get(name) is None:
            return name
    return None
