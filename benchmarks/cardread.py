"""ID card: card inserted → form data ready, against the raw PC/SC transfer of the same APDUs with pyscard (same run).

A private pcscd with vsmartcard's vpcd driver and a virtual card on vpcd's socket (as the end-to-end tests use).
Alternating, `--rounds` times: the client watching (PcscBackend monitor) gets a freshly put card — timed from the
card event (SCardGetStatusChange returning) to CardFormData built (record parsed and checked, validity, photo
placeholder) and, for completeness, from the card's socket connect (adds pcscd's ~400 ms presence poll, which no
client can shorten); then plain pyscard gets a freshly put card — timed from SCardGetStatusChange reporting it to
SCardConnect + the very APDUs the client sent (recorded by the card) + SCardDisconnect. Then, with a card left on the
reader, `--raw-rounds` alternating F2 reads (to form data) and raw transfers. Goal: insert → form ≤ 1.2 × raw.

    .venv/bin/python benchmarks/cardread.py [--rounds 30] [--raw-rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartcard import scard

from efangtong_desktop.cardreader.base import CardInserted, CardRemoved, ReaderEvent, ReadFailed, RecordRead
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.profile import load_profiles
from efangtong_desktop.cardreader.service import CardReadingService, FormReady
from tests.desktop.cardreader.cards import PHOTO, RESIDENT, text_of
from tests.support.pcscd import FIRST_READER, start_pcscd, wait_for_card
from tests.support.vpcd import VirtualIdCard, insert

TIMEOUT = 10.0


class Timings:
    """Event timestamps from the backend thread."""

    def __init__(self, service: CardReadingService) -> None:
        self.service = service
        self.inserted = 0.0
        self.ready = 0.0
        self.done = threading.Event()
        self.removed = threading.Event()
        self.failure: str | None = None

    def __call__(self, event: ReaderEvent) -> None:
        now = time.perf_counter()
        if isinstance(event, CardInserted):
            self.inserted = now
        elif isinstance(event, RecordRead):
            prepared = self.service.prepare(event)
            self.service.apply(prepared)
            self.ready = time.perf_counter()
            if not isinstance(prepared, FormReady):
                self.failure = str(prepared)
            self.done.set()
        elif isinstance(event, ReadFailed) and event.reader:
            self.failure = event.error.message
            self.done.set()
        elif isinstance(event, CardRemoved):
            self.removed.set()


def interleaved(
    apdus: list[bytes], backend: PcscBackend, service: CardReadingService, rounds: int
) -> tuple[list[float], list[float]]:
    """Alternately time the raw transfer and the client's read to form data on a card already on the reader."""
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


def raw_insertion(context: object, card: VirtualIdCard, apdus: list[bytes], port: int) -> float:
    """Seconds from SCardGetStatusChange reporting a freshly put card to the end of the raw transfer."""
    wait_for_card(FIRST_READER, present=False)
    hresult, states = scard.SCardGetStatusChange(context, 0, [(FIRST_READER, scard.SCARD_STATE_UNAWARE)])
    state = states[0][1] & ~scard.SCARD_STATE_CHANGED
    session = insert(card, port)
    while not state & scard.SCARD_STATE_PRESENT:
        hresult, states = scard.SCardGetStatusChange(context, int(TIMEOUT * 1000), [(FIRST_READER, state)])
        assert hresult == scard.SCARD_S_SUCCESS
        state = states[0][1] & ~scard.SCARD_STATE_CHANGED
    start = time.perf_counter()
    transfer(context, apdus)
    elapsed = time.perf_counter() - start
    session.pull()
    return elapsed


def client_insertion(backend: PcscBackend, timings: Timings, card: VirtualIdCard, port: int) -> tuple[float, float]:
    """(card event → form data, card socket → form data) for one card put on the reader while the client watches."""
    wait_for_card(FIRST_READER, present=False)
    timings.done.clear()
    timings.removed.clear()
    backend.start(timings)
    connected = time.perf_counter()
    session = insert(card, port)
    assert timings.done.wait(TIMEOUT) and timings.failure is None, timings.failure
    session.pull()
    assert timings.removed.wait(TIMEOUT)
    backend.stop()
    return timings.ready - timings.inserted, timings.ready - connected


def ms(values: list[float]) -> str:
    """Median and p95 in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--raw-rounds", type=int, default=200)
    options = parser.parse_args()
    daemon = start_pcscd(Path(tempfile.mkdtemp(prefix="cardread-")))
    profile = load_profiles()[0]
    text = text_of(RESIDENT)
    service = CardReadingService(today=lambda: date(2026, 6, 1))
    timings = Timings(service)
    backend = PcscBackend([profile])
    event_ready, socket_ready, fresh = [], [], []
    _status, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    try:
        first = VirtualIdCard(profile, text, PHOTO)
        client_insertion(backend, timings, first, daemon.port)  # warm-up; records the client's APDUs
        apdus = list(first.apdus)
        for _ in range(options.rounds):  # alternate client and raw so that machine load hits both alike
            to_ready, from_socket = client_insertion(backend, timings, VirtualIdCard(profile, text, PHOTO), daemon.port)
            event_ready.append(to_ready)
            socket_ready.append(from_socket)
            fresh.append(raw_insertion(context, VirtualIdCard(profile, text, PHOTO), apdus, daemon.port))
        wait_for_card(FIRST_READER, present=False)
        session = insert(VirtualIdCard(profile, text, PHOTO), daemon.port)
        wait_for_card(FIRST_READER, present=True)
        raw, on_demand = interleaved(apdus, backend, service, options.raw_rounds)
        session.pull()
    finally:
        scard.SCardReleaseContext(context)
        backend.close()
        daemon.stop()
    print(f"ID card read through pcscd + vpcd: {len(apdus)} APDUs; {options.rounds} insertions per series")
    print(f"  card event -> form data ready      {ms(event_ready)}")
    print(f"  raw pyscard after a card event     {ms(fresh)}")
    print(f"  card socket -> form data ready     {ms(socket_ready)}   (includes pcscd's presence poll)")
    print(f"  F2 read on a powered card -> data  {ms(on_demand)}   ({options.raw_rounds} reads)")
    print(f"  raw pyscard on a powered card      {ms(raw)}")
    ratio = statistics.median(event_ready) / statistics.median(fresh)
    print(f"  ratio insert->form / raw transfer  {ratio:.2f}  (goal <= 1.2)")
    print(f"  ratio F2 read / raw transfer       {statistics.median(on_demand) / statistics.median(raw):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
