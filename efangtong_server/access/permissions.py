"""Permissions and which roles hold them. Routes ask for a permission, never for a role by name."""

from __future__ import annotations

from enum import StrEnum

from efangtong_core.vocabulary import Role


class Permission(StrEnum):
    """An action a route performs."""

    READ_REFERENCE = "reference.read"
    """Read shared configuration a counter needs: units, categories, deadline rules, holidays, templates."""
    ADMINISTER = "admin"
    """Change org units, users, role grants, devices and configuration; see devices and sessions."""
    READ_AUDIT = "audit.read"
    """Query the audit trail."""


EVERY_ROLE = frozenset(Role)

ROLE_PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.READ_REFERENCE: EVERY_ROLE,
    Permission.ADMINISTER: frozenset({Role.ADMIN}),
    Permission.READ_AUDIT: frozenset({Role.ADMIN}),
}


def roles_holding(permission: Permission) -> frozenset[Role]:
    """The roles that hold `permission`."""
    return ROLE_PERMISSIONS[permission]
