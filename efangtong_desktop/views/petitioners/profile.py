"""The profile pane of the 信访人 page: identity, tag chips, contact details and the timeline of their petitions."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel

from efangtong_core.petitioner_records import Profile
from efangtong_core.petitioner_tags import TAG_DEFINITIONS
from efangtong_desktop.forms.ui_petitioners_page import Ui_PetitionersPage
from efangtong_desktop.views.petitioners import texts
from efangtong_desktop.views.petitioners.rows_model import RowsModel

CHIP_STYLE = """
QLabel[tagChip] { border-radius: 10px; padding: 2px 10px; font-weight: bold; }
QLabel[tagChip="多次信访"] { background: #fff4dc; color: #8a5a00; }
QLabel[tagChip="长期信访"] { background: #fde8e7; color: #b42318; }
QLabel[tagChip="集体访组织者"] { background: #e8eefc; color: #1f4fa8; }
"""
TIMELINE_WIDTHS = (128, 150, 50)


class ProfilePane:
    """Fills the profile widgets of the page's form from a `Profile`, or shows the empty state."""

    def __init__(self, ui: Ui_PetitionersPage) -> None:
        self.ui = ui
        self.profile: Profile | None = None
        self.chips: list[QLabel] = []
        self.timeline = RowsModel(texts.TIMELINE_HEADERS, ui.profilePane)
        ui.timelineView.setModel(self.timeline)
        header = ui.timelineView.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(TIMELINE_WIDTHS):
            ui.timelineView.setColumnWidth(column, width)
        ui.profilePane.setStyleSheet(CHIP_STYLE)
        ui.profileLayout.setStretchFactor(ui.timelineView, 1)  # the history gets the height the pane has left
        self.clear()

    def clear(self) -> None:
        """No person selected."""
        self.profile = None
        self._set_visible(False)
        self._set_chips(())
        self.timeline.set_rows([], [])

    def _set_visible(self, shown: bool) -> None:
        ui = self.ui
        ui.emptyProfileLabel.setVisible(not shown)
        for widget in (ui.nameLabel, ui.identityLabel, ui.contactsBox, ui.timelineCaption, ui.timelineView):
            widget.setVisible(shown)

    def _set_chips(self, labels: tuple[tuple[str, str], ...]) -> None:
        for chip in self.chips:
            self.ui.tagsLayout.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for label, definition in labels:
            chip = QLabel(label, self.ui.profilePane)
            chip.setProperty("tagChip", label)
            chip.setToolTip(definition)
            self.ui.tagsLayout.addWidget(chip)
            self.chips.append(chip)

    def show(self, profile: Profile, *, editable: bool) -> None:
        """Show `profile` (already masked for the viewer); contacts are editable only for unmasking roles."""
        ui = self.ui
        self.profile = profile
        self._set_visible(True)
        ui.nameLabel.setText(profile.name)
        ui.identityLabel.setText(
            texts.IDENTITY.format(
                sex=profile.sex,
                nation=profile.nation or texts.UNKNOWN,
                birth=profile.birth_date.isoformat() if profile.birth_date else texts.UNKNOWN,
                id_number=profile.id_number or texts.UNKNOWN,
                verification=texts.VERIFICATION.get(profile.verification_status, profile.verification_status),
            )
        )
        self._set_chips(tuple((tag.label, TAG_DEFINITIONS[tag]) for tag in profile.tags))
        ui.phonesEdit.setText("，".join(phone.phone for phone in profile.phones))
        ui.addressEdit.setText(profile.address or "")
        ui.addressEdit.setCursorPosition(0)  # the start of a long address, not its end
        ui.noteEdit.setText(profile.note or "")
        for widget in (ui.phonesEdit, ui.addressEdit, ui.noteEdit):
            widget.setReadOnly(not editable)
        ui.saveContactsButton.setEnabled(editable)
        ui.contactsMessage.setText("" if editable else texts.READ_ONLY_CONTACTS)
        ui.contactsMessage.setVisible(not editable)
        rows = [
            (entry.at.astimezone().strftime("%Y-%m-%d %H:%M"), entry.case_label, entry.title, entry.detail)
            for entry in reversed(profile.timeline)  # newest first: the clerk asks about the latest first
        ]
        self.timeline.set_rows(rows, [entry.petition_id for entry in reversed(profile.timeline)])

    def typed_phones(self) -> list[str]:
        """The phones as typed, split at commas (ASCII or full-width), semicolons or 、."""
        text = self.ui.phonesEdit.text()
        for separator in ("，", ";", "；", "、"):
            text = text.replace(separator, ",")
        return [part for part in text.split(",") if part.strip()]
