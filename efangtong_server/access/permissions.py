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
    SYNC = "sync"
    """Push local changes and pull the rows of one's scope to a counter replica."""
    TRANSFER_ATTACHMENTS = "attachments.transfer"
    """Upload attachment bytes and download those of attachments the user may see."""
    READ_PERSONS = "persons.read"
    """Read a petitioner's personal record (every read audited), within one's scope."""
    READ_ANALYTICS = "analytics.read"
    """Read the analytics figures and the (masked) cases behind them, within one's scope."""
    SUGGEST_ROUTING = "routing.suggest"
    """Read routing suggestions (分办建议) for a case: the bureau's dispatchers and leaders, who route cases."""


EVERY_ROLE = frozenset(Role)
COUNTER_ROLES = EVERY_ROLE - {Role.BIGSCREEN}
"""Roles of people working at a counter client (the big screen only shows analytics)."""

SYNC_ROLES = frozenset(
    {Role.LEADER, Role.CLERK, Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD, Role.INSPECTOR, Role.AGENT}
)
"""Roles whose counter keeps a replica; not the administrator (no part in cases) nor the big screen."""

ANALYTICS_ROLES = frozenset(
    {Role.LEADER, Role.DISPATCHER, Role.INSPECTOR, Role.BIGSCREEN, Role.HANDLER, Role.UNIT_HEAD}
)
"""Those who steer or answer for cases: the bureau's leaders, dispatchers and inspectors (county scope through their
bureau grant), the big screen, and a unit's handlers and head (their unit's figures only). Not the administrator (no
part in cases), the clerks (registration only) nor the 代办员."""

ROLE_PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.READ_REFERENCE: EVERY_ROLE,
    Permission.ADMINISTER: frozenset({Role.ADMIN}),
    Permission.READ_AUDIT: frozenset({Role.ADMIN}),
    Permission.SYNC: SYNC_ROLES,
    Permission.TRANSFER_ATTACHMENTS: COUNTER_ROLES,
    Permission.READ_ANALYTICS: ANALYTICS_ROLES,
    Permission.READ_PERSONS: SYNC_ROLES,
    Permission.SUGGEST_ROUTING: frozenset({Role.DISPATCHER, Role.LEADER}),
}


def roles_holding(permission: Permission) -> frozenset[Role]:
    """The roles that hold `permission`."""
    return ROLE_PERMISSIONS[permission]
