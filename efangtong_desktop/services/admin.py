"""The administration routes of the central server (/api/v1/admin/..., /api/v1/audit), one method per call.

Rows are the server's JSON objects (`Row`); the screens show them through table models. Every method blocks on
the network: call them through `efangtong_desktop.tasks`.
"""

from __future__ import annotations

from typing import Any

from efangtong_desktop.services.api_client import ApiClient

Row = dict[str, Any]
PAGE_SIZE = 500


def _rows(body: Any) -> list[Row]:
    return [row for row in body if isinstance(row, dict)] if isinstance(body, list) else []


class AdminService:
    """Administration calls on one signed-in API client."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    # -- org units --------------------------------------------------------------------------------------------------

    def units(self) -> list[Row]:
        """Every org unit in tree order, with `depth`."""
        return _rows(self.api.get("/admin/org-units", {"include_inactive": True}))

    def create_unit(self, values: Row) -> Row:
        """Add an org unit."""
        return dict(self.api.post("/admin/org-units", values))

    def update_unit(self, unit_id: str, values: Row) -> Row:
        """Change an org unit."""
        return dict(self.api.patch(f"/admin/org-units/{unit_id}", values))

    def set_unit_active(self, unit_id: str, active: bool) -> Row:
        """Reactivate or deactivate an org unit."""
        return dict(self.api.post(f"/admin/org-units/{unit_id}/{'reactivate' if active else 'deactivate'}"))

    # -- users and grants -------------------------------------------------------------------------------------------

    def users(self, text: str | None = None) -> list[Row]:
        """Users (with their grants) whose username, name or phone contains `text`."""
        params: Row = {"limit": PAGE_SIZE}
        if text:
            params["q"] = text
        return _rows(self.api.get("/admin/users", params))

    def create_user(self, values: Row) -> Row:
        """Add a user with an initial password."""
        return dict(self.api.post("/admin/users", values))

    def update_user(self, user_id: str, values: Row) -> Row:
        """Change a user's name, phone or unit."""
        return dict(self.api.patch(f"/admin/users/{user_id}", values))

    def set_user_enabled(self, user_id: str, enabled: bool) -> Row:
        """Enable or disable a user (disabling ends their sessions)."""
        return dict(self.api.post(f"/admin/users/{user_id}/{'enable' if enabled else 'disable'}"))

    def reset_password(self, user_id: str, password: str) -> Row:
        """Give a user a new initial password."""
        return dict(self.api.post(f"/admin/users/{user_id}/password", {"password": password}))

    def grant(self, user_id: str, role: str, scope_unit_id: str) -> Row:
        """Grant `role` within the unit's scope."""
        return dict(self.api.post(f"/admin/users/{user_id}/grants", {"role": role, "scope_unit_id": scope_unit_id}))

    def revoke(self, user_id: str, grant_id: str) -> Row:
        """Revoke a grant."""
        return dict(self.api.delete(f"/admin/users/{user_id}/grants/{grant_id}"))

    # -- devices ----------------------------------------------------------------------------------------------------

    def devices(self) -> list[Row]:
        """The registered counter PCs."""
        return _rows(self.api.get("/admin/devices", {"limit": PAGE_SIZE}))

    def set_device_revoked(self, device_id: str, revoked: bool) -> Row:
        """Revoke a device (its sessions end) or restore it."""
        return dict(self.api.post(f"/admin/devices/{device_id}/{'revoke' if revoked else 'restore'}"))

    # -- content categories -----------------------------------------------------------------------------------------

    def categories(self) -> list[Row]:
        """First-level categories, each with `children`."""
        return _rows(self.api.get("/admin/categories", {"include_inactive": True}))

    def create_category(self, values: Row) -> Row:
        """Add a category (second level when `parent_id` is given)."""
        return dict(self.api.post("/admin/categories", values))

    def update_category(self, category_id: str, values: Row) -> Row:
        """Rename or reorder a category."""
        return dict(self.api.patch(f"/admin/categories/{category_id}", values))

    def set_category_active(self, category_id: str, active: bool) -> Row:
        """Reactivate or deactivate a category."""
        action = "reactivate" if active else "deactivate"
        return dict(self.api.post(f"/admin/categories/{category_id}/{action}"))

    # -- deadline rules and holidays --------------------------------------------------------------------------------

    def deadline_rules(self) -> list[Row]:
        """The deadline rules (built-in defaults included)."""
        return _rows(self.api.get("/admin/deadlines/rules"))

    def update_deadline_rule(self, code: str, values: Row) -> Row:
        """Change a deadline rule."""
        return dict(self.api.patch(f"/admin/deadlines/rules/{code}", values))

    def holidays(self, year: int) -> list[Row]:
        """The holiday calendar of `year`."""
        return _rows(self.api.get("/admin/deadlines/holidays", {"year": year}))

    def add_holiday(self, values: Row) -> Row:
        """Add (or change) one day of the holiday calendar."""
        return dict(self.api.post("/admin/deadlines/holidays", values))

    def delete_holiday(self, holiday_id: str) -> Row:
        """Remove one day from the holiday calendar."""
        return dict(self.api.delete(f"/admin/deadlines/holidays/{holiday_id}"))

    # -- SMS templates ----------------------------------------------------------------------------------------------

    def sms_templates(self) -> list[Row]:
        """Every SMS template."""
        return _rows(self.api.get("/admin/sms-templates"))

    def create_sms_template(self, values: Row) -> Row:
        """Add an SMS template."""
        return dict(self.api.post("/admin/sms-templates", values))

    def update_sms_template(self, template_id: str, values: Row) -> Row:
        """Change an SMS template."""
        return dict(self.api.patch(f"/admin/sms-templates/{template_id}", values))

    def set_sms_template_active(self, template_id: str, active: bool) -> Row:
        """Reactivate or deactivate an SMS template."""
        action = "reactivate" if active else "deactivate"
        return dict(self.api.post(f"/admin/sms-templates/{template_id}/{action}"))

    # -- routing rules ----------------------------------------------------------------------------------------------

    def routing_rules(self) -> list[Row]:
        """Every routing rule."""
        return _rows(self.api.get("/admin/routing-rules"))

    def create_routing_rule(self, values: Row) -> Row:
        """Add a routing rule."""
        return dict(self.api.post("/admin/routing-rules", values))

    def update_routing_rule(self, rule_id: str, values: Row) -> Row:
        """Change a routing rule."""
        return dict(self.api.patch(f"/admin/routing-rules/{rule_id}", values))

    def delete_routing_rule(self, rule_id: str) -> Row:
        """Delete a routing rule."""
        return dict(self.api.delete(f"/admin/routing-rules/{rule_id}"))

    # -- system parameters ------------------------------------------------------------------------------------------

    def parameters(self) -> list[Row]:
        """Every known system parameter with its value and default."""
        return _rows(self.api.get("/admin/parameters"))

    def set_parameter(self, key: str, value: int | bool | str) -> Row:
        """Set a system parameter."""
        return dict(self.api.put(f"/admin/parameters/{key}", {"value": value}))

    # -- audit ------------------------------------------------------------------------------------------------------

    def audit(self, filters: Row) -> list[Row]:
        """Audit rows matching `filters` (user_id, entity, entity_id, action, since, until), newest first."""
        params = {key: value for key, value in filters.items() if value not in (None, "")}
        params["limit"] = PAGE_SIZE
        return _rows(self.api.get("/audit", params))
