"""The case window (ui/case_window.ui): header, timeline of events, attachments, and the actions the user may take.

Everything is read from the replica off the GUI thread (`services.case_details.load_details`); an action opens its
dialog (`action_dialog`), and the window reads the case again once the action is saved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QListWidgetItem, QPushButton, QStyle, QTreeWidgetItem, QWidget

from efangtong_core.lifecycle import EventType
from efangtong_core.notice_templates import KINDS_BY_EVENT
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_case_window import Ui_CaseWindow
from efangtong_desktop.services.blob_store import blob_store
from efangtong_desktop.services.case_actions import Actor
from efangtong_desktop.services.case_details import AttachmentInfo, CaseDetails, CaseHeader, load_details
from efangtong_desktop.services.device import device_identity
from efangtong_desktop.views.case import media, texts
from efangtong_desktop.views.case.action_dialog import CaseActionDialog
from efangtong_desktop.views.feedback import describe, restyle, show_message

REFUSED_COLOUR = QColor("#b42318")
PENDING_COLOUR = QColor("#5b6675")
NEAR_DAYS = 3
"""A deadline this many days away or fewer shows as near (amber)."""


def actor_for(context: AppContext) -> Actor:
    """The signed-in user as the case services see them (no roles when nobody is signed in)."""
    device = device_identity(context.settings).id
    user = context.signed_in
    if user is None:
        return Actor(None, None, (), device)
    return Actor(user.id, user.org_unit_id, tuple(user.roles), device)


class CaseWindow(QWidget):
    """One case: what it is, what happened, its files, and what the user may do next."""

    loaded = Signal()
    """Emitted each time the case has been read and shown."""
    changed = Signal(str)
    """Emitted with the event id after an action was recorded."""

    def __init__(self, context: AppContext, petition_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.petition_id = petition_id
        self.actor = actor_for(context)
        self.store = blob_store(context.settings)
        self.details: CaseDetails | None = None
        self.action_buttons: dict[EventType, QPushButton] = {}
        self.dialog: CaseActionDialog | None = None
        self._notice = ""
        """A message to show once the case has been read again (after an action)."""
        self.ui = Ui_CaseWindow()
        self.ui.setupUi(self)
        self.ui.splitter.setStretchFactor(0, 3)
        self.ui.splitter.setStretchFactor(1, 1)
        header = self.ui.timelineTree.header()
        for column, width in enumerate((130, 150, 150, 130)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.ui.refreshButton.clicked.connect(self.reload)
        self.ui.closeButton.clicked.connect(self.close)
        self.ui.openAttachmentButton.clicked.connect(self.open_selected_attachment)
        self.ui.attachmentList.itemDoubleClicked.connect(lambda _item: self.open_selected_attachment())
        self.ui.printReceiptButton.clicked.connect(self.print_receipt)
        self.ui.correctButton.clicked.connect(self.correct_registration)
        self.ui.correctButton.hide()
        self.ui.noticesButton.clicked.connect(self.print_notice)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._last_sync: object = None
        sync = getattr(self._main_window(), "sync_service", None)
        if sync is not None and hasattr(sync, "status_changed"):
            sync.status_changed.connect(self._sync_status)
        self.ui.provisionalLabel.hide()
        self.ui.noActionsLabel.hide()
        self.reload()

    # Reading -------------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the case again (off the GUI thread) and show it."""
        show_message(self.ui.messageLabel, texts.LOADING, ok=True)
        factory, actor, store, petition_id = self.context.session_factory, self.actor, self.store, self.petition_id

        def work() -> tuple[CaseDetails, dict[str, QImage]]:
            details = load_details(factory, actor, petition_id, store=store, today=date.today())
            images = {a.id: image for a in details.attachments if (image := media.thumbnail(store, a)) is not None}
            return details, images

        self.context.tasks.run(work, self._show, self._failed, owner=self)

    def _failed(self, error: Exception) -> None:
        show_message(self.ui.messageLabel, texts.LOAD_FAILED.format(reason=describe(error)))

    def _show(self, result: tuple[CaseDetails, dict[str, QImage]]) -> None:
        details, images = result
        self.details = details
        self._show_header(details.header)
        self._show_timeline(details)
        self._show_attachments(details.attachments, images)
        self._show_actions(details.actions)
        self.ui.correctButton.setVisible(details.can_correct and hasattr(self._main_window(), "register_page"))
        if self._notice:
            show_message(self.ui.messageLabel, self._notice, ok=True)
            self._notice = ""
        else:
            self.ui.messageLabel.clear()
        self.loaded.emit()

    def _show_header(self, header: CaseHeader) -> None:
        ui = self.ui
        self.setWindowTitle(texts.WINDOW_TITLE.format(number=header.number))
        ui.numberLabel.setText(header.number)
        ui.provisionalLabel.setVisible(header.provisional)
        ui.stateLabel.setText(header.state)
        ui.deadlineLabel.setText(_deadline_text(header))
        ui.deadlineLabel.setProperty("urgency", _urgency(header.days_left))
        restyle(ui.deadlineLabel)
        ui.queryCodeValue.setText(header.query_code)
        ui.petitionerValue.setText(header.petitioner)
        ui.idNumberValue.setText(header.id_number)
        ui.phonesValue.setText(header.phones)
        ui.categoryValue.setText(header.category)
        ui.townValue.setText(header.town)
        ui.leadUnitValue.setText(header.lead_unit or "—")
        ui.coUnitsValue.setText(header.co_units or "—")
        ui.registeredValue.setText(
            texts.REGISTERED.format(at=header.registered_at, form=header.form, purpose=header.purpose)
        )
        ui.contentValue.setText(header.content)

    def _show_timeline(self, details: CaseDetails) -> None:
        tree = self.ui.timelineTree
        tree.clear()
        names = {a.id: a.name for a in details.attachments}
        for entry in details.timeline:
            what = entry.what + (texts.PENDING if entry.pending else "")
            who = f"{entry.actor}（{entry.role}）" if entry.role else entry.actor
            content = entry.details
            if entry.attachment_ids:
                files = "、".join(names.get(i, "") for i in entry.attachment_ids)
                content = f"{content.rstrip('。')}；附件：{files}" if content else f"附件：{files}"
            if entry.refused_reason is not None:
                refused = texts.REFUSED.format(reason=entry.refused_reason).rstrip("。")
                content = f"{refused}；{content}" if content else refused
            item = QTreeWidgetItem([f"{entry.at:%Y-%m-%d %H:%M}", what, who, entry.unit, content])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.event_id)
            item.setToolTip(4, content)
            if entry.refused_reason is not None:
                for column in range(5):
                    item.setForeground(column, QBrush(REFUSED_COLOUR))
                    item.setToolTip(column, texts.REFUSED_TIP)
            elif entry.pending:
                item.setForeground(1, QBrush(PENDING_COLOUR))
            tree.addTopLevelItem(item)
        last = tree.topLevelItem(tree.topLevelItemCount() - 1)
        if last is not None:
            tree.scrollToItem(last)

    def _show_attachments(self, attachments: tuple[AttachmentInfo, ...], images: dict[str, QImage]) -> None:
        listing = self.ui.attachmentList
        listing.clear()
        style = self.style()
        fallback = {
            "audio": QStyle.StandardPixmap.SP_MediaVolume,
            "video": QStyle.StandardPixmap.SP_MediaPlay,
        }
        for attachment in attachments:
            image = images.get(attachment.id)
            if image is not None:
                icon = QIcon(QPixmap.fromImage(image))
            else:
                icon = style.standardIcon(fallback.get(attachment.kind, QStyle.StandardPixmap.SP_FileIcon))
            item = QListWidgetItem(icon, attachment.name, listing)
            item.setData(Qt.ItemDataRole.UserRole, attachment.id)
            item.setToolTip(f"{attachment.name}（{attachment.size:,} 字节）")
        self.ui.openAttachmentButton.setEnabled(bool(attachments))

    def _show_actions(self, actions: tuple[EventType, ...]) -> None:
        layout = self.ui.actionsLayout
        for button in self.action_buttons.values():
            layout.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for kind in actions:
            button = QPushButton(texts.BUTTONS.get(kind, kind.label), self.ui.actionsBox)
            button.setObjectName(f"action_{kind.value}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=kind: self.open_action(k))
            layout.addWidget(button)
            self.action_buttons[kind] = button
        self.ui.noActionsLabel.setVisible(not actions)

    # Acting --------------------------------------------------------------------------------------------------------
    def open_action(self, kind: EventType) -> CaseActionDialog | None:
        """Open the dialog of action `kind` (window-modal); the case is read again when it is saved."""
        if self.details is None:
            return None
        dialog = CaseActionDialog(self.context, self.actor, self.details, kind, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._recorded(kind, dialog.event_id))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _recorded(self, kind: EventType, event_id: str | None) -> None:
        self.reload()
        self._notice = texts.SAVED.format(event=kind.label)
        sync = getattr(self._main_window(), "sync_service", None)
        if sync is not None and hasattr(sync, "sync_now"):
            sync.sync_now()  # send the event now rather than at the next timed sync
        if event_id is not None:
            self.changed.emit(event_id)

    def _sync_status(self, status: object) -> None:
        """After a finished sync, read the case again (server numbers, accepted or refused events) unless busy."""
        finished = getattr(status, "last_success", None)
        if getattr(status, "running", True) or finished is None or finished == self._last_sync:
            return
        self._last_sync = finished
        dialog_open = self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible()
        if not dialog_open:
            self.reload()

    def _main_window(self) -> QWidget | None:
        """The main window this case window was opened from, if any (it holds the pages and the sync service)."""
        parent = self.parentWidget()
        return parent.window() if parent is not None else None

    def correct_registration(self) -> None:
        """Open the registration on the 登记 page for correction (更正登记)."""
        main = self._main_window()
        page, ui = getattr(main, "register_page", None), getattr(main, "ui", None)
        if main is None or page is None or ui is None:
            return
        page.edit_registration(self.petition_id)
        main.navigate(ui.pageStack.indexOf(ui.pageRegister))  # type: ignore[attr-defined]
        main.raise_()
        main.activateWindow()

    def selected_attachment(self) -> AttachmentInfo | None:
        """The attachment selected in the list, or None."""
        item = self.ui.attachmentList.currentItem()
        if item is None or self.details is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((a for a in self.details.attachments if a.id == wanted), None)

    def open_selected_attachment(self) -> None:
        """Play audio/video (QtMultimedia) or open the file with the system's viewer."""
        attachment = self.selected_attachment()
        if attachment is None:
            show_message(self.ui.messageLabel, texts.SELECT_ATTACHMENT)
            return
        store, data_dir = self.store, self.context.settings.data_dir

        def opened(path: Path) -> None:
            if attachment.kind in ("audio", "video") and media.play(path, self) is not None:
                return
            if not media.open_with_system(path):
                show_message(self.ui.messageLabel, texts.ATTACHMENT_OPEN_FAILED.format(name=attachment.name))

        self.context.tasks.run(
            lambda: media.named_copy(store, data_dir, attachment),
            opened,
            lambda error: show_message(self.ui.messageLabel, describe(error)),
            owner=self,
        )

    def print_receipt(self) -> None:
        """Reprint the registration receipt (the registration page's print preview)."""
        from efangtong_desktop.views.register.receipt_print import print_receipt

        print_receipt(
            self.context,
            self.petition_id,
            self,
            on_error=lambda error: show_message(self.ui.messageLabel, describe(error)),
        )

    def print_notice(self) -> None:
        """Print the notice (文书) of the selected event, or of the latest event that has one."""
        from efangtong_desktop.services.notices import print_notice

        if self.details is None:
            return
        ids = [e.event_id for e in self.details.timeline if e.kind in KINDS_BY_EVENT and e.refused_reason is None]
        item = self.ui.timelineTree.currentItem()
        chosen = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        event_id = chosen if chosen in ids else (ids[-1] if ids else None)
        if event_id is None:
            show_message(self.ui.messageLabel, texts.NO_NOTICE)
            return
        print_notice(
            self.context,
            self.petition_id,
            event_id,
            self,
            on_problem=lambda message: show_message(self.ui.messageLabel, message),
        )


def _deadline_text(header: CaseHeader) -> str:
    if header.deadline is None or header.days_left is None:
        return texts.NO_DEADLINE
    if header.days_left < 0:
        return texts.DEADLINE_OVER.format(deadline=header.deadline, days=-header.days_left)
    if header.days_left == 0:
        return texts.DEADLINE_TODAY.format(deadline=header.deadline)
    return texts.DEADLINE_LEFT.format(deadline=header.deadline, days=header.days_left)


def _urgency(days_left: int | None) -> str:
    if days_left is None:
        return "none"
    if days_left < 0:
        return "over"
    return "near" if days_left <= NEAR_DAYS else "ok"
