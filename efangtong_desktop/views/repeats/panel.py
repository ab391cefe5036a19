"""The repeat panel: the person's history and their earlier petitions ranked by similarity, with 关联为重复信访.

The registration page tells the panel the ID number (`set_id_number`) and the content being typed (`set_content`);
queries on the replica run off the GUI thread through `context.tasks`, and an answer that arrives after the input has
changed again is dropped. The link button calls the handler the page installed (`set_link_handler`), normally
`page.link_repeat_of(petition_id)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidgetItem, QWidget

from efangtong_core.idnumber import is_valid_id_number, normalise_text
from efangtong_core.lifecycle import PetitionState
from efangtong_core.repeats import Candidate, PersonHistory, person_history, repeat_candidates
from efangtong_desktop.context import AppContext
from efangtong_desktop.forms.ui_repeats_panel import Ui_RepeatsPanel
from efangtong_desktop.views.repeats import texts

CHINA = timezone(timedelta(hours=8))
CONTENT_DELAY_MS = 400
"""Typing pauses this long before the candidates are ranked again."""
SNIPPET_CHARS = 60
DETAIL_CHARS = 160
NARROW_WIDTH = 480
"""Below this width (the registration page's side area) date and summary give way to the detail lines below."""
NARROW_HIDDEN_COLUMNS = (1, 4)


@dataclass(frozen=True)
class RepeatsView:
    """One query's answer: the history and the ranked candidates of one ID number."""

    id_number: str
    history: PersonHistory
    candidates: list[Candidate]


def _day(moment: datetime | None) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d") if moment else ""


def _show_text(label: QLabel, text: str) -> None:
    """Set a label's text and show it only when there is some (an empty label would look broken)."""
    label.setText(text)
    label.setVisible(bool(text))


def _state_label(code: str) -> str:
    return PetitionState.from_code(code).label if PetitionState.has_code(code) else code


class RepeatsPanel(QWidget):
    """History and same-matter candidates for the ID number on the registration form."""

    link_requested = Signal(str)
    """Emitted with the id of the petition chosen as the original (before the link handler is called)."""
    loaded = Signal(object)
    """Emitted with the RepeatsView each time an answer is shown (tests wait on it)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.ui = Ui_RepeatsPanel()
        self.ui.setupUi(self)
        self._id_number = ""
        self._title = ""
        self._content = ""
        self._generation = 0
        self._candidates: list[Candidate] = []
        self._link_handler: Callable[[str | None], object] | None = None
        self.linked_id: str | None = None
        """The petition linked as the original from this panel, until unlinked or another person."""
        self._content_timer = QTimer(self)
        self._content_timer.setSingleShot(True)
        self._content_timer.setInterval(CONTENT_DELAY_MS)
        self._content_timer.timeout.connect(self.refresh)
        table = self.ui.candidatesTable
        table.setColumnCount(len(texts.COLUMNS))
        table.setHorizontalHeaderLabels(list(texts.COLUMNS))
        header = table.horizontalHeader()
        for column in range(len(texts.COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.itemSelectionChanged.connect(self._selection_changed)
        table.itemDoubleClicked.connect(lambda _item: self.link_selected())
        self.ui.linkButton.clicked.connect(self.link_selected)
        table.setMinimumHeight(110)
        self.clear()

    # --- input from the registration page ---

    def set_link_handler(self, handler: Callable[[str | None], object] | None) -> None:
        """What 关联为重复信访 calls with the chosen petition's id, 取消关联 with None (the page's `link_repeat_of`)."""
        self._link_handler = handler

    def set_id_number(self, id_number: str) -> None:
        """A new ID number on the form: query at once when it is valid, otherwise clear."""
        number = normalise_text(id_number or "")
        if number == self._id_number:
            return
        self.linked_id = None
        self._id_number = number if is_valid_id_number(number) else ""
        if self._id_number:
            self.refresh()
        else:
            self.clear()

    def set_content(self, content: str, title: str = "") -> None:
        """The petition's text as typed: the candidates are ranked again after a short pause."""
        if (content, title) == (self._content, self._title):
            return
        self._content, self._title = content, title
        if self._id_number:
            self._content_timer.start()

    # --- queries ---

    def clear(self) -> None:
        """No person: the idle hint and an empty table."""
        self._generation += 1
        self.linked_id = None
        self._candidates = []
        _show_text(self.ui.historyLabel, texts.PANEL_IDLE)
        _show_text(self.ui.statesLabel, "")
        _show_text(self.ui.likelyLabel, "")
        _show_text(self.ui.messageLabel, "")
        self.ui.detailText.setPlainText("")
        self.ui.candidatesTable.setRowCount(0)
        self.ui.linkButton.setEnabled(False)

    def refresh(self) -> None:
        """Query the replica (off the GUI thread) for the current ID number and text."""
        if not self._id_number:
            self.clear()
            return
        self._content_timer.stop()
        self._generation += 1
        generation = self._generation
        number, content, title = self._id_number, self._content, self._title
        factory = self.context.session_factory
        _show_text(self.ui.messageLabel, texts.PANEL_LOADING)

        def work() -> RepeatsView:
            with factory() as session:
                history = person_history(session, number)
                candidates = repeat_candidates(session, id_number=number, content=content, title=title)
            return RepeatsView(id_number=number, history=history, candidates=candidates)

        def done(view: RepeatsView) -> None:
            if generation == self._generation:
                self._show(view)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                _show_text(self.ui.messageLabel, texts.PANEL_FAILED.format(reason=error))

        self.context.tasks.run(work, done, failed, owner=self)

    def _show(self, view: RepeatsView) -> None:
        history = view.history
        _show_text(self.ui.messageLabel, "")
        if not history.known:
            _show_text(self.ui.historyLabel, texts.PANEL_NEW_PERSON)
            _show_text(self.ui.statesLabel, "")
        else:
            _show_text(
                self.ui.historyLabel,
                texts.PANEL_HISTORY.format(
                    count=history.petition_count,
                    open=history.open_count,
                    first=_day(history.first_at),
                    last=_day(history.last_at),
                ),
            )
            states = "，".join(f"{_state_label(code)} {count}" for code, count in sorted(history.states.items()))
            _show_text(self.ui.statesLabel, texts.PANEL_STATES.format(states=states))
        likely = sum(1 for c in view.candidates if c.likely_repeat)
        _show_text(self.ui.likelyLabel, texts.PANEL_LIKELY.format(count=likely) if likely else "")
        self._fill(view.candidates)
        self.loaded.emit(view)

    def _fill(self, candidates: list[Candidate]) -> None:
        self._candidates = candidates
        table = self.ui.candidatesTable
        table.setRowCount(len(candidates))
        bold = QFont(table.font())
        bold.setBold(True)
        for row, candidate in enumerate(candidates):
            petition = candidate.petition
            snippet = (petition.title or petition.content).replace("\n", " ")[:SNIPPET_CHARS]
            cells = (
                f"{candidate.similarity:.0%}",
                _day(petition.registered_at),
                _state_label(petition.state),
                petition.number or texts.NO_NUMBER,
                snippet,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(petition.content if column == len(cells) - 1 else "")
                if candidate.likely_repeat:
                    item.setFont(bold)
                    if column == 0:
                        item.setToolTip(texts.LIKELY_TOOLTIP)
                table.setItem(row, column, item)
        if candidates and candidates[0].likely_repeat:
            table.selectRow(0)
        else:
            table.clearSelection()
        self._selection_changed()

    # --- linking ---

    def selected_candidate(self) -> Candidate | None:
        """The candidate chosen in the table, if any."""
        rows = self.ui.candidatesTable.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._candidates):
            return None
        return self._candidates[rows[0].row()]

    def _selection_changed(self) -> None:
        candidate = self.selected_candidate()
        self.ui.linkButton.setEnabled(candidate is not None)
        linked = candidate is not None and candidate.petition.id == self.linked_id
        self.ui.linkButton.setText(texts.UNLINK_BUTTON if linked else texts.LINK_BUTTON)
        if candidate is None:
            self.ui.detailText.setPlainText("")
            return
        petition = candidate.petition
        text = f"{petition.title}。{petition.content}" if petition.title else petition.content
        more = "…" if len(text) > DETAIL_CHARS else ""
        heading = texts.DETAIL_HEADING.format(
            day=_day(petition.registered_at),
            number=petition.number or texts.NO_NUMBER,
            state=_state_label(petition.state),
            similarity=f"{candidate.similarity:.0%}",
        )
        self.ui.detailText.setPlainText(f"{heading}\n{text[:DETAIL_CHARS]}{more}")

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In a narrow side area the summary column is hidden (the selected petition's text shows below)."""
        super().resizeEvent(event)
        narrow = self.width() < NARROW_WIDTH
        for column in NARROW_HIDDEN_COLUMNS:
            self.ui.candidatesTable.setColumnHidden(column, narrow)

    def link_selected(self) -> None:
        """Link the petition being registered to the chosen earlier one, or undo that link when it is the chosen one."""
        candidate = self.selected_candidate()
        if candidate is None:
            self._message(texts.PANEL_SELECT_FIRST, ok=False)
            return
        petition = candidate.petition
        target = None if petition.id == self.linked_id else petition.id
        if target is not None:
            self.link_requested.emit(target)
        if self._link_handler is not None:
            try:
                self._link_handler(target)
            except ValueError as error:
                self._message(texts.PANEL_LINK_FAILED.format(reason=error), ok=False)
                return
        self.linked_id = target
        number = petition.number or _day(petition.registered_at)
        self._message((texts.PANEL_LINKED if target else texts.PANEL_UNLINKED).format(number=number), ok=True)
        self._selection_changed()

    def _message(self, text: str, *, ok: bool) -> None:
        label = self.ui.messageLabel
        _show_text(label, text)
        label.setProperty("role", "formOk" if ok else "formError")
        label.style().unpolish(label)
        label.style().polish(label)
