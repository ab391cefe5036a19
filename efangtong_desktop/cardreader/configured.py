"""This PC's configured card reader: the backend (PC/SC by default, or a vendor SDK on a port) and the WLT photo
decoder, built from the stored `CardReaderConfig`; the decoder library is checked before it is stored."""

from __future__ import annotations

import ctypes
from pathlib import Path

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardReaderBackend, CardReadError, ErrorKind
from efangtong_desktop.cardreader.photo import WltDecoder
from efangtong_desktop.settings import CardReaderConfig


def decoder_problem(text: str, function: str = "unpack") -> str | None:
    """Why `text` is not a usable WLT decoder library (None when it is, or when it is empty): it must load and export
    `function`."""
    typed = text.strip()
    if not typed:
        return None
    path = Path(typed).expanduser()
    if not path.is_absolute():
        return texts.DECODER_RELATIVE
    if not path.exists():
        return texts.DECODER_MISSING.format(path=path)
    if not path.is_file():
        return texts.DECODER_NOT_FILE.format(path=path)
    try:
        library = ctypes.CDLL(str(path))
    except OSError:
        return texts.DECODER_NOT_LOADED.format(path=path)
    if not hasattr(library, function):
        return texts.DECODER_NO_FUNCTION.format(function=function, path=path)
    return None


def configured_decoder(config: CardReaderConfig) -> WltDecoder | None:
    """The configured WLT photo decoder (loaded at its first photo), None when none is configured."""
    if config.photo_decoder is None:
        return None
    return WltDecoder(config.photo_decoder, config.photo_function)


def configured_backend(config: CardReaderConfig) -> CardReaderBackend:
    """The configured reader backend; CardReadError (in Chinese) when its vendor library is missing or unusable."""
    if config.backend == "pcsc":
        from efangtong_desktop.cardreader.pcsc import PcscBackend

        return PcscBackend()
    if config.sdk_library is None:
        raise CardReadError(ErrorKind.CONFIG, texts.SDK_LIBRARY_NEEDED.format(backend=config.backend))
    if config.backend == "sdtapi":
        from efangtong_desktop.cardreader.sdtapi import SdtapiBackend

        return SdtapiBackend(config.sdk_library, config.port)
    from efangtong_desktop.cardreader.termb import TermbBackend

    return TermbBackend(config.sdk_library, config.port)


def sdk_library_problem(backend: str, text: str) -> str | None:
    """Why `text` is not a usable vendor library for `backend` (None for PC/SC, which needs none, or when it is)."""
    if backend == "pcsc":
        return None
    typed = text.strip()
    if not typed:
        return texts.SDK_LIBRARY_NEEDED.format(backend=backend)
    path = Path(typed).expanduser()
    if not path.is_absolute() or not path.is_file():
        return texts.SDK_LIBRARY_MISSING.format(path=path)
    try:
        ctypes.CDLL(str(path))
    except OSError:
        return texts.SDK_LIBRARY_NOT_LOADED.format(path=path)
    return None


def port_problem(backend: str, port: int) -> str | None:
    """Why `port` is not a vendor reader's port (None for PC/SC, which has none, or when it is one)."""
    if backend == "pcsc":
        return None
    from efangtong_desktop.cardreader.sdk import check_port

    try:
        check_port(port)
    except CardReadError as error:
        return error.message
    return None
