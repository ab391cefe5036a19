"""Every router of the administration domains, for the application factory to include."""

from __future__ import annotations

from fastapi import APIRouter

from efangtong_server.admin.categories import routes as categories
from efangtong_server.admin.deadlines import routes as deadlines
from efangtong_server.admin.devices import routes as devices
from efangtong_server.admin.documents import routes as documents
from efangtong_server.admin.orgunits import routes as orgunits
from efangtong_server.admin.parameters import routes as parameters
from efangtong_server.admin.routing import routes as routing
from efangtong_server.admin.smstemplates import routes as smstemplates
from efangtong_server.admin.users import routes as users

ADMIN_ROUTERS: tuple[APIRouter, ...] = (
    orgunits.router,
    users.router,
    devices.router,
    categories.router,
    deadlines.router,
    smstemplates.router,
    documents.router,
    routing.router,
    parameters.router,
)
"""The /api/v1/admin/... routers (administrators only)."""

REFERENCE_ROUTERS: tuple[APIRouter, ...] = (
    orgunits.reference_router,
    categories.reference_router,
    deadlines.reference_router,
    routing.reference_router,
)
"""The /api/v1/reference/... routers (every signed-in role, read-only)."""
