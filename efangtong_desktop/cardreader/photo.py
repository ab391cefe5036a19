"""The card photo: the 1024-byte WLT image is decoded by the vendor's decoder library when one is configured.

Vendors ship the decoder as a shared library (libwlt2bmp.so, WltRS.dll, …) exporting one function that turns the
1024 WLT bytes into a 102×126 24-bit BMP of 38,862 bytes and returns 1 on success. Its path and function name are
configuration; without one the clerk sees a placeholder and the text fields are unaffected.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardRead
from efangtong_desktop.cardreader.sdk import vendor_library

BMP_SIZE = 38_862
WLT_SIZE = 1024
DEFAULT_FUNCTION = "unpack"


@dataclass(frozen=True)
class Photo:
    """A decoded photo (image file bytes) or why there is none."""

    image: bytes | None
    note: str | None = None


@dataclass
class WltDecoder:
    """A vendor WLT decoder library loaded with ctypes: `int function(const uchar *wlt, uchar *bmp, int flags)`."""

    library: Path
    function: str = DEFAULT_FUNCTION
    _decode: Any | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _load(self) -> Any:
        if self._decode is None:
            decode = getattr(vendor_library(self.library), self.function)
            decode.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_ubyte), ctypes.c_int]
            decode.restype = ctypes.c_int
            self._decode = decode
        return self._decode

    def decode(self, wlt: bytes) -> Photo:
        """Decode 1024 WLT bytes into a BMP; a failure gives a placeholder with the reason, never an exception."""
        if len(wlt) != WLT_SIZE:
            return Photo(None, texts.PHOTO_DECODE_FAILED.format(code=f"长度{len(wlt)}"))
        with self._lock:  # vendor decoders are rarely re-entrant
            try:
                decode = self._load()
            except (OSError, AttributeError) as error:
                return Photo(None, texts.SDK_MISSING.format(library=self.library, reason=error))
            output = (ctypes.c_ubyte * BMP_SIZE)()
            code = int(decode(wlt, output, 0))
        if code != 1:
            return Photo(None, texts.PHOTO_DECODE_FAILED.format(code=code))
        return Photo(bytes(output))


def card_photo(card: CardRead, decoder: WltDecoder | None) -> Photo:
    """The photo to show for `card`: the SDK's own image, the decoded WLT, or a placeholder."""
    if card.photo_image is not None:
        return Photo(card.photo_image)
    if card.photo_wlt is None:
        return Photo(None, texts.PANEL_NO_PHOTO)
    if decoder is None:
        return Photo(None, texts.PHOTO_PLACEHOLDER)
    return decoder.decode(card.photo_wlt)
