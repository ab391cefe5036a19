"""系统设置 · 设备: the registered counter PCs; revoke (ends their sessions) and restore."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.admin import AdminService, Row
from efangtong_desktop.views.admin import texts
from efangtong_desktop.views.admin.table_model import columns, field, time_field
from efangtong_desktop.views.admin.table_tab import TableTab


def _status(device: Row) -> str:
    return texts.DEVICE_REVOKED if device.get("revoked_at") else texts.DEVICE_ACTIVE


class DevicesTab(TableTab):
    """Registered devices."""

    title = texts.TAB_DEVICES
    hint = texts.DEVICES_HINT
    stretch_column = 0
    columns = columns(
        texts.DEVICE_COLUMNS,
        (
            field("name"),
            field("org_unit_name"),
            field("registered_by_name"),
            time_field("created_at"),
            time_field("last_seen_at"),
            field("last_seen_ip"),
            field("open_sessions"),
            _status,
        ),
        right=(6,),
    )

    def __init__(self, context: AppContext, service: AdminService, parent: QWidget | None = None) -> None:
        super().__init__(context, service, parent)
        revoked = self.when_selected(lambda device: bool(device.get("revoked_at")))
        active = self.when_selected(lambda device: not device.get("revoked_at"))
        self.add_button(texts.DEVICE_REVOKE, self.revoke, enabled=active)
        self.add_button(texts.DEVICE_RESTORE, self.restore, enabled=revoked)

    def is_muted(self, row: Row) -> bool:
        """Revoked devices are grey."""
        return bool(row.get("revoked_at"))

    def rows(self) -> list[Row]:
        """Every registered device."""
        return self.service.devices()

    def revoke(self) -> None:
        """Revoke the selected device after confirmation."""
        device = self.selected()
        if device is not None and self.confirm(texts.CONFIRM_REVOKE_DEVICE.format(name=device["name"])):
            self.change(lambda: self.service.set_device_revoked(device["id"], True))

    def restore(self) -> None:
        """Restore the selected device."""
        device = self.selected()
        if device is not None:
            self.change(lambda: self.service.set_device_revoked(device["id"], False))
