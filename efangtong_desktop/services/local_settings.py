"""本机设置: settings of this counter PC only — the mobile tracking address printed in receipts' QR codes, the
folder the scanner saves into ("from scanner" attachments) and the ID card reader (backend, vendor library and port,
the WLT photo decoder library) — kept in the client's INI file next to the replica.

Both may be left empty: the tracking address then follows the server address (`receipt.tracking_base`), and the 登记
page asks for the scanner folder the first time it is used. `save_local_settings` checks both and changes nothing when
either is wrong (LocalSettingsInvalid carries a Chinese message per field).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from efangtong_desktop.services import local_settings_texts as texts
from efangtong_desktop.services.receipt import DEFAULT_TRACKING_BASE, TRACKING_KEY
from efangtong_desktop.settings import (
    CardReaderConfig,
    Settings,
    read_card_reader_config,
    save_card_reader_config,
)

SCANNER_FOLDER_KEY = "register/scanner_folder"
"""QSettings key of this PC's scanner folder."""

MAX_ADDRESS_LENGTH = texts.MAX_ADDRESS_LENGTH


class LocalSettingsInvalid(ValueError):
    """The typed settings break rules; `problems` maps "tracking_base" / "scanner_folder" / "photo_decoder" /
    "sdk_library" / "card_port" to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class LocalSettings:
    """This PC's 本机设置 as stored ("" / None: not set)."""

    tracking_base: str
    scanner_folder: Path | None
    card_reader: CardReaderConfig = field(default_factory=CardReaderConfig)


def read_local_settings(settings: Settings) -> LocalSettings:
    """The stored 本机设置 of this PC."""
    store = settings.qsettings()
    base = store.value(TRACKING_KEY)
    folder = store.value(SCANNER_FOLDER_KEY)
    return LocalSettings(
        tracking_base=base.strip() if isinstance(base, str) else "",
        scanner_folder=Path(folder) if isinstance(folder, str) and folder.strip() else None,
        card_reader=read_card_reader_config(settings),
    )


def default_tracking_base(settings: Settings) -> str:
    """The address used when the tracking address is left empty: the server's, else the local default."""
    return (settings.server_url or DEFAULT_TRACKING_BASE).rstrip("/")


def tracking_base_problem(text: str) -> str | None:
    """Why `text` is not a usable tracking base address (None when it is, or when it is empty)."""
    typed = text.strip()
    if not typed:
        return None
    if len(typed) > MAX_ADDRESS_LENGTH:
        return texts.TRACKING_TOO_LONG
    if any(character.isspace() for character in typed):
        return texts.TRACKING_SPACES
    parts = urlsplit(typed)
    if parts.scheme.lower() not in ("http", "https") or not typed.lower().startswith(f"{parts.scheme.lower()}://"):
        return texts.TRACKING_SCHEME
    if parts.query or parts.fragment or "?" in typed or "#" in typed or parts.username or parts.password:
        return texts.TRACKING_EXTRA
    try:
        port = parts.port
    except ValueError:
        return texts.TRACKING_PORT
    if port == 0:
        return texts.TRACKING_PORT
    if not parts.hostname:
        return texts.TRACKING_HOST
    return None


def scanner_folder_problem(text: str) -> str | None:
    """Why `text` is not a usable scanner folder (None when it is, or when it is empty)."""
    typed = text.strip()
    if not typed:
        return None
    folder = Path(typed).expanduser()
    if not folder.is_absolute():
        return texts.SCANNER_RELATIVE
    if not folder.exists():
        return texts.SCANNER_MISSING.format(folder=folder)
    if not folder.is_dir():
        return texts.SCANNER_NOT_FOLDER.format(folder=folder)
    if not os.access(folder, os.R_OK | os.X_OK):
        return texts.SCANNER_UNREADABLE.format(folder=folder)
    return None


def card_reader_problems(card_reader: CardReaderConfig) -> dict[str, str]:
    """The problems of a card reader configuration by field ("photo_decoder", "sdk_library", "card_port")."""
    from efangtong_desktop.cardreader.configured import decoder_problem, port_problem, sdk_library_problem

    config = card_reader
    decoder = str(config.photo_decoder) if config.photo_decoder else ""
    library = str(config.sdk_library) if config.sdk_library else ""
    found = (
        ("photo_decoder", decoder_problem(decoder, config.photo_function)),
        ("sdk_library", sdk_library_problem(config.backend, library)),
        ("card_port", port_problem(config.backend, config.port)),
    )
    return {key: problem for key, problem in found if problem is not None}


def save_local_settings(
    settings: Settings, *, tracking_base: str, scanner_folder: str, card_reader: CardReaderConfig | None = None
) -> LocalSettings:
    """Check and store the settings (nothing stored when any is wrong); returns what is now stored.

    `card_reader` None leaves the stored card reader configuration as it is.
    """
    problems = {
        key: problem
        for key, problem in (
            ("tracking_base", tracking_base_problem(tracking_base)),
            ("scanner_folder", scanner_folder_problem(scanner_folder)),
        )
        if problem is not None
    }
    if card_reader is not None:
        problems |= card_reader_problems(card_reader)
    if problems:
        raise LocalSettingsInvalid(problems)
    if card_reader is not None:
        save_card_reader_config(settings, card_reader)
    base = tracking_base.strip().rstrip("/")
    folder = str(Path(scanner_folder.strip()).expanduser()) if scanner_folder.strip() else ""
    store = settings.qsettings()
    store.setValue(TRACKING_KEY, base)
    store.setValue(SCANNER_FOLDER_KEY, folder)
    store.sync()
    return read_local_settings(settings)
