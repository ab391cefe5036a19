"""The raw side of benchmarks/cardread.py: pyscard's own SCardConnect + the same APDUs + SCardDisconnect, timed from
this thread's SCardGetStatusChange reporting a freshly put card, or on a card already on the reader (F2-style)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from smartcard import scard

from efangtong_desktop.cardreader.base import RecordRead
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.service import CardReadingService
from tests.support.pcscd import FIRST_READER, wait_for_card
from tests.support.vpcd import VirtualIdCard, insert

TIMEOUT_S = 10.0
TODAY = date(2026, 6, 1)
PutCard = Callable[[VirtualIdCard, int], Any]
"""Puts a card on the vpcd reader at a port (in this process, or in the card process); the session has `pull()`."""


def transfer(context: object, apdus: list[bytes]) -> None:
    """SCardConnect, the APDUs, SCardDisconnect — the raw pyscard work of one read."""
    protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
    hresult, card, protocol = scard.SCardConnect(context, FIRST_READER, scard.SCARD_SHARE_SHARED, protocols)
    assert hresult == scard.SCARD_S_SUCCESS
    pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
    for apdu in apdus:
        hresult, response = scard.SCardTransmit(card, pci, list(apdu))
        assert hresult == scard.SCARD_S_SUCCESS and response[-2:] == [0x90, 0x00]
    scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)


def raw_insertion(context: object, card: VirtualIdCard, apdus: list[bytes], port: int, put: PutCard = insert) -> float:
    """Seconds from SCardGetStatusChange reporting a freshly put card to the end of the raw transfer."""
    wait_for_card(FIRST_READER, present=False)
    hresult, states = scard.SCardGetStatusChange(context, 0, [(FIRST_READER, scard.SCARD_STATE_UNAWARE)])
    state = states[0][1] & ~scard.SCARD_STATE_CHANGED
    session = put(card, port)
    while not state & scard.SCARD_STATE_PRESENT:
        hresult, states = scard.SCardGetStatusChange(context, int(TIMEOUT_S * 1000), [(FIRST_READER, state)])
        assert hresult == scard.SCARD_S_SUCCESS
        state = states[0][1] & ~scard.SCARD_STATE_CHANGED
    start = time.perf_counter()
    transfer(context, apdus)
    elapsed = time.perf_counter() - start
    session.pull()
    return elapsed


def on_demand(apdus: list[bytes], backend: PcscBackend, rounds: int) -> tuple[list[float], list[float]]:
    """Alternately time the raw transfer and a backend read to form data on a card already on the reader."""
    service = CardReadingService(today=lambda: TODAY)
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    raw, ours = [], []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            transfer(context, apdus)
            middle = time.perf_counter()
            service.handle(RecordRead(FIRST_READER, backend.read(FIRST_READER)))
            raw.append(middle - start)
            ours.append(time.perf_counter() - middle)
    finally:
        scard.SCardReleaseContext(context)
    return raw, ours


def parse_microseconds(texts: list[bytes], rounds: int = 2000) -> float:
    """Median µs of efangtong_core.idcard's parse of a 256-byte text record (warm, the records in turn)."""
    from efangtong_core.idcard import parse_base_message

    times = []
    for _ in range(5):
        start = time.perf_counter()
        for number in range(rounds):
            parse_base_message(texts[number % len(texts)])
        times.append((time.perf_counter() - start) / rounds)
    return statistics.median(times) * 1e6
