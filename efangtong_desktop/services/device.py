"""This PC as the server knows it: a device id generated at first run and kept in the client settings, and a name."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass

from efangtong_desktop.settings import Settings

_KEY_DEVICE_ID = "device/id"
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class DeviceIdentity:
    """The id and name this PC signs in with."""

    id: str
    name: str


def _valid_id(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def device_name() -> str:
    """A readable name for this PC: its host name."""
    return (socket.gethostname().strip() or "efangtong")[:MAX_NAME_LENGTH]


def device_identity(settings: Settings) -> DeviceIdentity:
    """This PC's identity; the id is created (a random UUID) and saved next to the replica on first use."""
    store = settings.qsettings()
    stored = store.value(_KEY_DEVICE_ID)
    if _valid_id(stored):
        device_id = str(stored)
    else:
        device_id = str(uuid.uuid4())
        store.setValue(_KEY_DEVICE_ID, device_id)
        store.sync()
    return DeviceIdentity(id=device_id, name=device_name())
