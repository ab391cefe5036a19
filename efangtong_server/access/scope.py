"""Org-unit scopes: a grant on the bureau covers the county; a grant on any other unit covers it and its sub-units."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from efangtong_core.vocabulary import OrgUnitKind


@dataclass(frozen=True)
class Scope:
    """The org units a principal may act on for one permission."""

    county: bool
    unit_ids: frozenset[str]

    def covers(self, unit_id: str | None) -> bool:
        """True when a record of `unit_id` is within this scope (a county scope covers records of no unit too)."""
        return self.county or (unit_id is not None and unit_id in self.unit_ids)

    @property
    def empty(self) -> bool:
        """True when the scope covers nothing."""
        return not self.county and not self.unit_ids


NO_SCOPE = Scope(county=False, unit_ids=frozenset())


@dataclass(frozen=True)
class UnitNode:
    """What scope expansion needs of an org unit."""

    id: str
    kind: str
    parent_id: str | None


def expand_scope(scope_unit_ids: Iterable[str], units: Mapping[str, UnitNode]) -> Scope:
    """The scope covered by grants on `scope_unit_ids`, given the org tree `units` (id → node)."""
    roots = [unit_id for unit_id in scope_unit_ids if unit_id in units]
    if any(units[unit_id].kind == OrgUnitKind.BUREAU for unit_id in roots):
        return Scope(county=True, unit_ids=frozenset(units))
    children: dict[str, list[str]] = {}
    for node in units.values():
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node.id)
    covered: set[str] = set()
    pending = list(roots)
    while pending:
        unit_id = pending.pop()
        if unit_id not in covered:
            covered.add(unit_id)
            pending.extend(children.get(unit_id, ()))
    return Scope(county=False, unit_ids=frozenset(covered))
