"""The signed-in principal of a request: who, with which role grants, on which device and session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from efangtong_core.vocabulary import Role
from efangtong_server.access.permissions import Permission, roles_holding
from efangtong_server.access.scope import Scope, UnitNode, expand_scope


@dataclass(frozen=True)
class Grant:
    """A role held within an org unit's scope."""

    role: Role
    scope_unit_id: str


@dataclass(frozen=True)
class Principal:
    """The user a request acts for."""

    user_id: str
    username: str
    display_name: str
    org_unit_id: str
    session_id: str
    device_id: str | None
    grants: tuple[Grant, ...]
    must_change_password: bool

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the user holds, in any scope."""
        return frozenset(grant.role for grant in self.grants)

    def may(self, permission: Permission) -> bool:
        """True when some grant's role holds `permission`."""
        return bool(self.roles & roles_holding(permission))

    def scope_for(self, permission: Permission, units: Mapping[str, UnitNode]) -> Scope:
        """The org units this principal may act on with `permission`."""
        holders = roles_holding(permission)
        return expand_scope((g.scope_unit_id for g in self.grants if g.role in holders), units)


@dataclass(frozen=True)
class Access:
    """What a route receives from the access dependency: the principal and their scope for the route's permission."""

    principal: Principal
    permission: Permission
    scope: Scope
