"""The notice-template routes of the central server (/api/v1/admin/document-templates), one method per call.

Every method blocks on the network: call them through `efangtong_desktop.tasks`.
"""

from __future__ import annotations

from typing import Any

from efangtong_desktop.services.api_client import ApiClient

Row = dict[str, Any]
PATH = "/admin/document-templates"


class DocumentTemplateService:
    """Notice-template calls on one signed-in API client."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def templates(self) -> list[Row]:
        """Every kind's template (stored ones and the built-in texts of kinds never saved)."""
        body = self.api.get(PATH, {})
        return [row for row in body if isinstance(row, dict)] if isinstance(body, list) else []

    def save(self, template: Row, values: Row) -> Row:
        """Save a template: the first save of a kind stores it, later ones change it."""
        if template.get("id"):
            return dict(self.api.patch(f"{PATH}/{template['id']}", values))
        return dict(self.api.post(PATH, {"code": template["code"], **values}))

    def set_active(self, template_id: str, active: bool) -> Row:
        """Reactivate or deactivate a stored template."""
        return dict(self.api.post(f"{PATH}/{template_id}/{'reactivate' if active else 'deactivate'}"))
