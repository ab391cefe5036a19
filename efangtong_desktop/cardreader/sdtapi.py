"""The vendors' common `sdtapi` library through ctypes: SDT_OpenPort, SDT_StartFindIDCard, SDT_SelectIDCard,
SDT_ReadBaseMsg, SDT_ClosePort. 0x90 is success and 0x9F "card found"; every other code has a Chinese message.

SDT_ReadBaseMsg hands back the card's raw 256-byte text record and 1024-byte photo, parsed like the PC/SC backend's.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardRead, CardReadError, ErrorKind, decode_record
from efangtong_desktop.cardreader.sdk import PollingSdkBackend, bind, load_library, port_name

SUCCESS = 0x90
CARD_FOUND = 0x9F
TEXT_BUFFER = 256
PHOTO_BUFFER = 1024
_KINDS = {
    0x01: ErrorKind.NO_READER,
    0x02: ErrorKind.NO_READER,
    0x04: ErrorKind.NO_READER,
    0x06: ErrorKind.NO_READER,
    0x31: ErrorKind.UNREADABLE,
    0x32: ErrorKind.UNREADABLE,
    0x33: ErrorKind.UNREADABLE,
    0x34: ErrorKind.CARD_REMOVED,
    0x40: ErrorKind.UNREADABLE,
    0x41: ErrorKind.CARD_REMOVED,
    0x80: ErrorKind.NO_CARD,
    0x81: ErrorKind.NO_CARD,
}
"""What kind of failure each code is; the codes not listed are the SDK's or the reader's own trouble (ErrorKind.SDK)."""

_Bytes = ctypes.POINTER(ctypes.c_ubyte)
_UInt = ctypes.POINTER(ctypes.c_uint)


def sdt_error(code: int, function: str) -> CardReadError:
    """The CardReadError for an sdtapi return code."""
    message = texts.SDT_CODES.get(code)
    if message is None:
        return CardReadError(ErrorKind.SDK, texts.SDK_UNKNOWN_CODE.format(code=f"0x{code:02X}", function=function))
    kind = _KINDS.get(code, ErrorKind.SDK)
    return CardReadError(kind, f"{message}（{function} 返回 0x{code:02X}）。")


class SdtapiBackend(PollingSdkBackend):
    """An ID-card reader through the vendor's sdtapi library (sdtapi.dll / libsdtapi.so)."""

    def __init__(self, library: Path, port: int = 1001) -> None:
        super().__init__(port)
        self.library_path = library
        lib = load_library(library)
        self._open = bind(lib, library, "SDT_OpenPort", [ctypes.c_int])
        self._close = bind(lib, library, "SDT_ClosePort", [ctypes.c_int])
        self._find = bind(lib, library, "SDT_StartFindIDCard", [ctypes.c_int, _Bytes, ctypes.c_int])
        self._select = bind(lib, library, "SDT_SelectIDCard", [ctypes.c_int, _Bytes, ctypes.c_int])
        self._read = bind(lib, library, "SDT_ReadBaseMsg", [ctypes.c_int, _Bytes, _UInt, _Bytes, _UInt, ctypes.c_int])

    @property
    def reader_name(self) -> str:
        """E.g. "sdtapi USB 1001"."""
        return port_name("sdtapi", self.port)

    def _call(self, function: Any, name: str, *args: Any, ok: tuple[int, ...] = (SUCCESS,)) -> int:
        code = int(function(*args))
        if code not in ok:
            raise sdt_error(code, name)
        return code

    def open(self) -> None:
        """SDT_OpenPort."""
        self._call(self._open, "SDT_OpenPort", self.port)

    def close(self) -> None:
        """SDT_ClosePort (its result does not matter)."""
        self._close(self.port)

    def card_present(self) -> bool:
        """SDT_StartFindIDCard: 0x9F found, 0x80 none; anything else (e.g. 0x02 port gone) raises."""
        info = (ctypes.c_ubyte * 8)()
        return self._call(self._find, "SDT_StartFindIDCard", self.port, info, 0, ok=(CARD_FOUND, 0x80)) == CARD_FOUND

    def read_open(self) -> CardRead:
        """Find, select and read the card; only a complete 256 + 1024-byte answer is used."""
        info = (ctypes.c_ubyte * 8)()
        self._call(self._find, "SDT_StartFindIDCard", self.port, info, 0, ok=(CARD_FOUND,))
        self._call(self._select, "SDT_SelectIDCard", self.port, info, 0)
        text = (ctypes.c_ubyte * TEXT_BUFFER)()
        photo = (ctypes.c_ubyte * PHOTO_BUFFER)()
        text_length, photo_length = ctypes.c_uint(0), ctypes.c_uint(0)
        self._call(
            self._read,
            "SDT_ReadBaseMsg",
            self.port,
            text,
            ctypes.byref(text_length),
            photo,
            ctypes.byref(photo_length),
            0,
        )
        if text_length.value != TEXT_BUFFER:
            message = texts.SHORT_ANSWER.format(part=texts.TEXT_PART, expected=TEXT_BUFFER, actual=text_length.value)
            raise CardReadError(ErrorKind.UNREADABLE, message)
        wlt = bytes(photo)[: photo_length.value] if photo_length.value == PHOTO_BUFFER else None
        return decode_record(bytes(text), self.reader_name, photo_wlt=wlt)
