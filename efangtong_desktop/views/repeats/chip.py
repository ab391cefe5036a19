"""The identity verification chip (身份核验：一致 / 不一致 / 查无此人 / 待核验 / 核验失败) shown near the ID number."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from efangtong_desktop.context import AppContext
from efangtong_desktop.services.verification import (
    STATUS_LABELS,
    VerificationOutcome,
    store_status,
    verify_identity,
)
from efangtong_desktop.views.repeats import texts

CHIP_STYLE = """
QLabel[verification] { border-radius: 10px; padding: 2px 10px; font-weight: bold; }
QLabel[verification="match"] { background: #e3f4ea; color: #1e7a45; }
QLabel[verification="mismatch"], QLabel[verification="not_found"] { background: #fde8e7; color: #b42318; }
QLabel[verification="pending"], QLabel[verification="checking"] { background: #fff4dc; color: #8a5a00; }
QLabel[verification="error"], QLabel[verification="timeout"] { background: #fde8e7; color: #b42318; }
QLabel[verification="unverified"] { background: #eef1f5; color: #5b6675; }
"""


class VerificationChip(QLabel):
    """A coloured label with the verification status; `verify()` runs the check off the GUI thread."""

    verified = Signal(object)
    """Emitted with the VerificationOutcome once a check has finished."""
    failed = Signal(str)
    """Emitted with a Chinese message when the input could not be checked (blank name, invalid number)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.outcome: VerificationOutcome | None = None
        self._generation = 0
        self.setObjectName("verificationChip")
        self.setStyleSheet(CHIP_STYLE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_status("unverified")

    @property
    def status(self) -> str:
        """The status code shown."""
        return str(self.property("verification"))

    def set_status(self, status: str, message: str = "") -> None:
        """Show `status` (a verification_status code, 'timeout' or 'checking'); `message` becomes the tooltip."""
        self.setProperty("verification", status)
        self.setText(texts.CHIP_PREFIX + STATUS_LABELS.get(status, status))
        self.setToolTip(message or texts.CHIP_TOOLTIP_DEFAULT)
        self.style().unpolish(self)
        self.style().polish(self)

    def reset(self) -> None:
        """Back to 未核验 (a new person); a check still running is ignored when it ends."""
        self._generation += 1
        self.outcome = None
        self.set_status("unverified")

    def verify(self, name: str, id_number: str) -> None:
        """Verify online (or mark 待核验 offline) off the GUI thread; the replica's matching petitioners are updated."""
        self._generation += 1
        generation = self._generation
        context = self.context
        self.set_status("checking")

        def work() -> VerificationOutcome:
            outcome = verify_identity(context.api, online=context.online, name=name, id_number=id_number)
            with context.session_factory() as session:
                store_status(session, name=name, id_number=id_number, outcome=outcome)
                session.commit()
            return outcome

        def done(outcome: VerificationOutcome) -> None:
            if generation != self._generation:
                return
            self.outcome = outcome
            self.set_status(outcome.status, outcome.message)
            self.verified.emit(outcome)

        def failed(error: Exception) -> None:
            if generation != self._generation:
                return
            message = str(error)
            self.set_status("unverified", message)
            self.failed.emit(message)

        context.tasks.run(work, done, failed, owner=self)
