"""One PC/SC card conversation (pyscard): the profile's APDUs sent in a lean loop and checked, and PC/SC result codes
turned into CardReadError with the Chinese message the clerk sees."""

from __future__ import annotations

from typing import Any

from smartcard import scard

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardReadError, ErrorKind
from efangtong_desktop.cardreader.profile import ApduProfile

_CARD_GONE = {
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_E_NOT_TRANSACTED,
    scard.SCARD_W_RESET_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_W_UNRESPONSIVE_CARD,
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_E_INVALID_HANDLE,
}
_READER_GONE = {scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_UNKNOWN_READER}
_SERVICE_GONE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_F_COMM_ERROR}
PROTOCOLS = {
    "any": scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
    "T0": scard.SCARD_PROTOCOL_T0,
    "T1": scard.SCARD_PROTOCOL_T1,
}


def code_of(hresult: int) -> int:
    """A PC/SC result as the unsigned 32-bit code pcsc-lite documents."""
    return hresult & 0xFFFFFFFF


def pcsc_error(hresult: int, reader: str | None, *, reading: bool) -> CardReadError:
    """The CardReadError for a PC/SC result code; `reading` tells a card pulled mid-read from no card at all."""
    code = code_of(hresult)
    name = reader or ""
    if code in _SERVICE_GONE:
        return CardReadError(ErrorKind.SERVICE, texts.SERVICE_UNAVAILABLE)
    if code == scard.SCARD_E_NO_READERS_AVAILABLE:
        return CardReadError(ErrorKind.NO_READER, texts.NO_READER)
    if code in _READER_GONE:
        return CardReadError(ErrorKind.READER_UNPLUGGED, texts.READER_UNPLUGGED.format(reader=name))
    if code == scard.SCARD_W_UNRESPONSIVE_CARD and not reading:
        return CardReadError(ErrorKind.UNREADABLE, texts.CARD_MUTE)
    if code in _CARD_GONE:
        if reading:
            return CardReadError(ErrorKind.CARD_REMOVED, texts.CARD_REMOVED)
        return CardReadError(ErrorKind.NO_CARD, texts.NO_CARD)
    reason = {
        scard.SCARD_E_TIMEOUT: texts.PCSC_REASONS["timeout"],
        scard.SCARD_E_SHARING_VIOLATION: texts.PCSC_REASONS["sharing"],
        scard.SCARD_E_PROTO_MISMATCH: texts.PCSC_REASONS["protocol"],
    }.get(code, texts.PCSC_REASONS["other"])
    return CardReadError(ErrorKind.UNREADABLE, texts.PCSC_FAILED.format(reason=reason, code=code))


class CardConnection:
    """One connected card and the profile's conversation with it."""

    def __init__(self, card: Any, protocol: int, profile: ApduProfile, reader: str) -> None:
        self.card = card
        self.pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        self.profile = profile
        self.reader = reader

    def transfer(self, apdus: tuple[list[int], ...]) -> bytes:
        """Send the APDUs in order; the data of their answers joined, or CardReadError at the first failure."""
        transmit, card, pci, success = scard.SCardTransmit, self.card, self.pci, self.profile.wire.success
        data: list[int] = []
        for apdu in apdus:  # the hot loop of a read: nothing here but the transfer and the status word check
            hresult, response = transmit(card, pci, apdu)
            if hresult != scard.SCARD_S_SUCCESS or len(response) < 2 or (response[-2], response[-1]) not in success:
                raise self._failure(hresult, response)
            data += response[:-2]
        return bytes(data)

    def _failure(self, hresult: int, response: list[int]) -> CardReadError:
        if hresult != scard.SCARD_S_SUCCESS:
            return pcsc_error(hresult, self.reader, reading=True)
        if len(response) < 2:
            return CardReadError(ErrorKind.CARD_REMOVED, texts.CARD_REMOVED)
        status = bytes(response[-2:]).hex().upper()
        if status in self.profile.no_card:
            return CardReadError(ErrorKind.NO_CARD, texts.NO_CARD)
        meaning = texts.STATUS_WORDS.get(status, texts.STATUS_UNKNOWN)
        return CardReadError(ErrorKind.UNREADABLE, texts.UNREADABLE.format(sw=status, meaning=meaning))

    def read_text(self) -> bytes:
        """The card's text record."""
        return self.read_file(self.profile.wire.text, self.profile.text.length, texts.TEXT_PART)

    def read_photo(self) -> bytes | None:
        """The card's photo (WLT), None when the profile reads none."""
        if self.profile.photo is None:
            return None
        return self.read_file(self.profile.wire.photo, self.profile.photo.length, texts.PHOTO_PART)

    def disconnect(self) -> None:
        """Leave the card (powered, for the next read)."""
        scard.SCardDisconnect(self.card, scard.SCARD_LEAVE_CARD)

    def read_file(self, apdus: tuple[list[int], ...], length: int, part: str) -> bytes:
        """Select a file and read it whole (the profile's SELECT and READ BINARYs); its bytes, checked for length."""
        data = self.transfer(apdus)
        if len(data) != length:
            message = texts.SHORT_ANSWER.format(part=part, expected=length, actual=len(data))
            raise CardReadError(ErrorKind.UNREADABLE, message)
        return data
