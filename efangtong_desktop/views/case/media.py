"""Opening a case's attachments: images as thumbnails, audio and video in a small player when QtMultimedia is
installed (PySide6-Addons), anything else — or when it is not — with the system's viewer (QDesktopServices).

The store keeps bytes under their sha256 with no file name; a viewer needs one, so a copy named like the original goes
to `data_dir/opened/` first (off the GUI thread).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from efangtong_desktop.services.case_details import AttachmentInfo
from efangtong_desktop.views.case import texts
from sync.attachments import LocalAttachmentStore

OPENED_FOLDER = "opened"
THUMBNAIL = QSize(96, 96)


def multimedia_available() -> bool:
    """True when QtMultimedia (PySide6-Addons) can play audio and video here."""
    return importlib.util.find_spec("PySide6.QtMultimedia") is not None


def thumbnail(store: LocalAttachmentStore, attachment: AttachmentInfo) -> QImage | None:
    """A scaled image of an image attachment whose bytes are here (QImage: safe to make off the GUI thread)."""
    if attachment.kind not in ("image", "scan", "card_photo") or not attachment.present:
        return None
    image = QImage(str(store.blob_path(attachment.sha256)))
    if image.isNull():
        return None
    return image.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def named_copy(store: LocalAttachmentStore, data_dir: Path, attachment: AttachmentInfo) -> Path:
    """A copy of the attachment's bytes under its original name (made once), for a viewer or player."""
    if not attachment.present or not store.has(attachment.sha256):
        raise ValueError(texts.ATTACHMENT_MISSING)
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", attachment.name).strip() or "attachment"
    target = data_dir / OPENED_FOLDER / attachment.sha256[:12] / safe
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{safe}.part")
        shutil.copyfile(store.blob_path(attachment.sha256), partial)
        partial.replace(target)
    return target


def open_with_system(path: Path) -> bool:
    """Open `path` with the system's default application; False when none could be started."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def play(path: Path, parent: QWidget | None) -> QDialog | None:
    """A small non-modal player for an audio or video file, or None when QtMultimedia is not installed."""
    if not multimedia_available():
        return None
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
    from PySide6.QtMultimediaWidgets import QVideoWidget

    dialog = QDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(texts.PLAYER_TITLE.format(name=path.name))
    dialog.resize(640, 420)
    layout = QVBoxLayout(dialog)
    video = QVideoWidget(dialog)
    layout.addWidget(video)
    button = QPushButton(texts.PLAY, dialog)
    layout.addWidget(button)
    player = QMediaPlayer(dialog)
    audio = QAudioOutput(dialog)
    player.setAudioOutput(audio)
    player.setVideoOutput(video)
    player.setSource(QUrl.fromLocalFile(str(path)))
    button.clicked.connect(player.play)
    dialog.show()
    player.play()
    return dialog
