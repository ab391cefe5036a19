"""The counter client's settings: where the local replica lives, which server it talks to, and persisted UI state."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported when settings are read, so that importing this module stays Qt-free
    from PySide6.QtCore import QByteArray, QSettings

APP_DIRNAME = "efangtong"
REPLICA_FILENAME = "replica.sqlite3"
UI_STATE_FILENAME = "client.ini"

_KEY_SERVER_URL = "server/url"
_KEY_GEOMETRY = "window/geometry"
_KEY_WINDOW_STATE = "window/state"
_KEY_CARD_BACKEND = "card/backend"
_KEY_CARD_SDK_LIBRARY = "card/sdk_library"
_KEY_CARD_PORT = "card/port"
_KEY_PHOTO_DECODER = "card/photo_decoder"
_KEY_PHOTO_FUNCTION = "card/photo_function"

CARD_BACKENDS = ("pcsc", "sdtapi", "termb")
"""The card reader backends this PC may use: PC/SC (the default), the vendor SDKs sdtapi and termb (with a port)."""
DEFAULT_CARD_PORT = 1001
DEFAULT_PHOTO_FUNCTION = "unpack"


def default_data_dir() -> Path:
    """The per-user data directory of the counter client (e.g. %LOCALAPPDATA%\\efangtong on Windows)."""
    import platformdirs  # when asked: a run given --data-dir starts without it

    return platformdirs.user_data_path(APP_DIRNAME, appauthor=False)


@dataclass(frozen=True)
class Settings:
    """What one run of the counter client needs to know before it opens any window."""

    data_dir: Path
    server_url: str | None = None
    user: str | None = None
    unit: str | None = None

    @property
    def replica_path(self) -> Path:
        """The local SQLite replica file."""
        return self.data_dir / REPLICA_FILENAME

    @property
    def replica_url(self) -> str:
        """The SQLAlchemy URL of the local replica."""
        return f"sqlite:///{self.replica_path.as_posix()}"

    @property
    def ui_state_path(self) -> Path:
        """The INI file holding persisted UI state (window geometry, last server address)."""
        return self.data_dir / UI_STATE_FILENAME

    def qsettings(self) -> QSettings:
        """A QSettings on this installation's INI file (kept next to the replica, not in the registry)."""
        from PySide6.QtCore import QSettings

        return QSettings(str(self.ui_state_path), QSettings.Format.IniFormat)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        """Persist the main window's geometry and toolbar/dock state."""
        store = self.qsettings()
        store.setValue(_KEY_GEOMETRY, geometry)
        store.setValue(_KEY_WINDOW_STATE, state)
        store.sync()

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """The saved (geometry, state) of the main window, or None for what was never saved."""
        from PySide6.QtCore import QByteArray

        store = self.qsettings()
        geometry = store.value(_KEY_GEOMETRY)
        state = store.value(_KEY_WINDOW_STATE)
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )


@dataclass(frozen=True)
class CardReaderConfig:
    """This PC's ID card reader: the backend, the vendor SDK library and port, the WLT photo decoder library."""

    backend: str = "pcsc"
    sdk_library: Path | None = None
    port: int = DEFAULT_CARD_PORT
    photo_decoder: Path | None = None
    photo_function: str = DEFAULT_PHOTO_FUNCTION


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def read_card_reader_config(settings: Settings) -> CardReaderConfig:
    """The stored card reader configuration of this PC (PC/SC without a photo decoder when nothing is stored)."""
    store = settings.qsettings()
    backend = _text(store.value(_KEY_CARD_BACKEND))
    library = _text(store.value(_KEY_CARD_SDK_LIBRARY))
    decoder = _text(store.value(_KEY_PHOTO_DECODER))
    port = _text(str(store.value(_KEY_CARD_PORT, DEFAULT_CARD_PORT)))
    return CardReaderConfig(
        backend=backend if backend in CARD_BACKENDS else "pcsc",
        sdk_library=Path(library) if library else None,
        port=int(port) if port.isdigit() else DEFAULT_CARD_PORT,
        photo_decoder=Path(decoder) if decoder else None,
        photo_function=_text(store.value(_KEY_PHOTO_FUNCTION)) or DEFAULT_PHOTO_FUNCTION,
    )


def save_card_reader_config(settings: Settings, config: CardReaderConfig) -> None:
    """Store the card reader configuration of this PC (checked by the caller)."""
    store = settings.qsettings()
    store.setValue(_KEY_CARD_BACKEND, config.backend)
    store.setValue(_KEY_CARD_SDK_LIBRARY, str(config.sdk_library) if config.sdk_library else "")
    store.setValue(_KEY_CARD_PORT, str(config.port))
    store.setValue(_KEY_PHOTO_DECODER, str(config.photo_decoder) if config.photo_decoder else "")
    store.setValue(_KEY_PHOTO_FUNCTION, config.photo_function)
    store.sync()


def load_settings(*, data_dir: Path | None = None, server_url: str | None = None, user: str | None = None) -> Settings:
    """Settings from the command line, falling back to the stored server address; remembers a new address."""
    directory = (data_dir or default_data_dir()).expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=directory, user=user)
    store = settings.qsettings()
    if server_url:
        store.setValue(_KEY_SERVER_URL, server_url)
        store.sync()
    else:
        stored = store.value(_KEY_SERVER_URL)
        server_url = stored if isinstance(stored, str) and stored else None
    return Settings(data_dir=directory, server_url=server_url, user=user)
