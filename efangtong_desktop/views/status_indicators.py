"""The main window's permanent status-bar fields: user, unit, roles, online/offline and sync state."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from efangtong_core.vocabulary import Role
from efangtong_desktop import texts

_CONNECTION_ROLES = {True: "statusOnline", False: "statusOffline"}
"""Online → the QSS role of the connection field (resources/theme.qss)."""


class StatusIndicators:
    """The permanent status-bar fields: user, unit, online/offline and sync state."""

    def __init__(self, window: QMainWindow) -> None:
        bar = window.statusBar()
        self.user = QLabel(window)
        self.unit = QLabel(window)
        self.roles = QLabel(window)
        self.connection = QLabel(window)
        self.sync = QLabel(window)
        fields = {
            "user": self.user,
            "unit": self.unit,
            "roles": self.roles,
            "connection": self.connection,
            "sync": self.sync,
        }
        # Offline until a sign-in or a sync says otherwise; set before the first polish (adding to the bar polishes),
        # so that showing the start state needs no re-polish (the first `style()` from Python costs ~10 ms of enums).
        self.connection.setProperty("role", _CONNECTION_ROLES[False])
        for name, label in fields.items():
            label.setObjectName(f"status_{name}")
            bar.addPermanentWidget(label)

    def show_identity(self, user: str | None, unit: str | None, roles: tuple[str, ...] | None = None) -> None:
        """Show who is signed in, for which unit, with which roles (codes; hidden when not signed in online)."""
        self.user.setText(texts.STATUS_USER.format(user=user) if user else texts.STATUS_NO_USER)
        self.unit.setText(texts.STATUS_UNIT.format(unit=unit) if unit else texts.STATUS_NO_UNIT)
        self.roles.setVisible(roles is not None)
        if roles is not None:
            labels = [Role.from_code(code).label if Role.has_code(code) else code for code in roles]
            self.roles.setText(texts.STATUS_ROLES.format(roles="、".join(labels)) if labels else texts.STATUS_NO_ROLES)

    def show_connection(self, online: bool, server_url: str | None) -> None:
        """Show whether the central server is reachable."""
        self.connection.setText(texts.STATUS_ONLINE if online else texts.STATUS_OFFLINE)
        self.connection.setToolTip(texts.STATUS_SERVER_TOOLTIP.format(server=server_url or texts.STATUS_NO_SERVER))
        role = _CONNECTION_ROLES[online]
        if self.connection.property("role") == role:
            return
        self.connection.setProperty("role", role)
        from PySide6.QtCore import Qt  # only here: the Qt namespace (~100 enums) is not created before the first paint

        if self.connection.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # else the first polish reads "role"
            style = self.connection.style()
            style.unpolish(self.connection)
            style.polish(self.connection)

    def show_sync(self, state: str) -> None:
        """Show the replication state in words."""
        self.sync.setText(texts.STATUS_SYNC.format(state=state))
