"""ID card: card inserted → 登记 form filled, against the raw PC/SC transfer of the same APDUs with pyscard (same run).

A private pcscd with vsmartcard's vpcd driver and a virtual card on vpcd's socket (as the end-to-end tests use), and
the real registration page (offscreen Qt, a fresh replica, repeat recognition installed) watching the reader through
the client's bridge, exactly as the counter client wires it. Alternating, `--rounds` times:

- client: a card (two people in turn, so every fill is a new person) is put on the reader; timed from the monitor's
  SCardGetStatusChange reporting the card (the backend's CardInserted, stamped before the bridge sees it; a separate
  observer waiting on the same reader hears of the card no earlier) to the registration form's fields holding the
  card's data (on the GUI thread, right after the page's card slot ran: ID type, ID number with its check — sex,
  birth date, region —, name, nation, address, message; the repeat lookups a new number starts follow at once, after
  the fill). Also shown: from the card's socket connect (adds pcscd's ~400 ms presence poll, common to both and no
  client can shorten), until the name field has been painted with the card's name (Qt paints at its next turn;
  offscreen software rendering of the whole page takes several ms; on a slow reader the text is shown ahead of the
  photo, so this may come before the fill), and until the photo — decoded by a vendor-like WLT decoder compiled
  from tests/support/fake_sdk/wlt.c when gcc is there — has reached the page (it is decoded after the fill).
- raw: the same card put on the reader with no client watching; timed from this thread's SCardGetStatusChange
  reporting it to SCardConnect + the very APDUs the client sent (recorded by the card) + SCardDisconnect, on a context
  established beforehand (the client keeps its context too).

Then, with a card left on the reader, `--raw-rounds` alternating F2-style reads (backend read → form data) and raw
transfers. Goal: insert → form filled ≤ 1.2 × raw. `--runs N` repeats the whole series and prints the median of the
runs' medians (the machine is shared and noisy).

The virtual card is a thread of this process: it needs this interpreter's lock for every APDU it answers, so every
bit of the client's Python work (parse, hand-off, fill) holds up the card's answers — a real card is outside the
client. `--card-process` serves the card from a process of its own (benchmarks/cardread_card.py), for both sides.

    .venv/bin/python benchmarks/cardread.py [--runs 3] [--rounds 30] [--raw-rounds 200] [--with-hk-mo-tw]
                                            [--card-process]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QWidget
from smartcard import scard

from benchmarks.cardread_card import CardProcess
from benchmarks.cardread_raw import TIMEOUT_S, TODAY, PutCard, on_demand, parse_microseconds, raw_insertion
from efangtong_core.idcard import IdCardRecord
from efangtong_core.idnumber import make_id_number
from efangtong_core.vocabulary import Sex
from efangtong_desktop.cardreader.base import CardInserted, CardRead, CardRemoved, EventSink, ReaderEvent
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.photo import WltDecoder
from efangtong_desktop.cardreader.profile import ApduProfile, load_profiles
from efangtong_desktop.cardreader.qt import CardReaderBridge
from efangtong_desktop.cardreader.service import CardFormState, CardReadingService
from tests.desktop.cardreader.cards import HK_MO_TW, PHOTO, RESIDENT, text_of
from tests.support.pcscd import FIRST_READER, start_pcscd, wait_for_card
from tests.support.vpcd import VirtualIdCard, insert

FAKE_WLT = Path(__file__).resolve().parent.parent / "tests" / "support" / "fake_sdk" / "wlt.c"
BORN = date(1990, 5, 2)
SECOND = replace(
    RESIDENT,
    name="其其格",
    sex=Sex.FEMALE,
    birth_date=BORN,
    id_number=make_id_number("150627", BORN, 22, Sex.FEMALE),
    nation="汉族",
    address="内蒙古自治区伊金霍洛旗札萨克镇新街村3号",
)
PEOPLE = (RESIDENT, SECOND)
"""Two residents in turn (resident cards are nearly all a county counter sees): every card is a new person for the
form — ID number, name, nation, address all change — and for its repeat lookups. `--with-hk-mo-tw` alternates a
resident card with a 港澳台居住证 instead (the ID type changes too)."""


@dataclass
class Stamps:
    """perf_counter() stamps of one client insertion."""

    inserted: float = 0.0
    filled: float = 0.0
    painted: float = 0.0
    photo: float = 0.0
    photo_expected: bool = False
    expected: IdCardRecord | None = None
    failure: str | None = None
    removed: threading.Event = field(default_factory=threading.Event)


class StampingBackend:
    """The PC/SC backend as the bridge sees it; notes when the monitor reports a card (CardInserted, sent on the
    monitor thread right as SCardGetStatusChange returns with the card) and when it reports the card gone."""

    def __init__(self, backend: PcscBackend, stamps: Stamps) -> None:
        self.backend = backend
        self.stamps = stamps

    def readers(self) -> list[str]:
        """The backend's readers."""
        return self.backend.readers()

    def read(self, reader: str | None = None) -> CardRead:
        """The backend's read."""
        return self.backend.read(reader)

    def start(self, sink: EventSink) -> None:
        """Start the backend's monitor with a stamping sink."""

        def stamped(event: ReaderEvent) -> None:
            if isinstance(event, CardInserted):
                self.stamps.inserted = time.perf_counter()
            sink(event)
            if isinstance(event, CardRemoved):
                self.stamps.removed.set()

        self.backend.start(stamped)

    def stop(self) -> None:
        """Stop the backend's monitor."""
        self.backend.stop()


class FormWatch(QObject):
    """On the GUI thread: stamps the form filled (after the page's card slot) and the name field painted."""

    def __init__(self, page: QWidget, bridge: CardReaderBridge, stamps: Stamps) -> None:
        super().__init__(page)
        self.page = page
        self.stamps = stamps
        self.loop: QEventLoop | None = None
        bridge.state_changed.connect(self._state)  # connected after the page's own slot: runs after it
        page.ui.nameEdit.installEventFilter(self)  # type: ignore[attr-defined]

    def _state(self, state: CardFormState) -> None:
        stamps, ui = self.stamps, self.page.ui  # type: ignore[attr-defined]
        if state.error and not state.busy and stamps.expected is not None and not stamps.filled:
            stamps.failure = state.error
            self._quit()
        expected = stamps.expected
        if not stamps.filled and stamps.inserted and expected is not None and state.data is not None:
            shown = (ui.nameEdit.text(), ui.idNumberEdit.text())
            if state.data.record == expected and shown == (expected.name, expected.id_number):
                stamps.filled = time.perf_counter()
        if stamps.filled and state.data is not None and state.data.photo is not None and not stamps.photo:
            assert self.page.card_photo == state.data.photo  # type: ignore[attr-defined]
            stamps.photo = time.perf_counter()
            self._maybe_quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stamp the first paint of the name field showing the card's name (the text may be shown, ahead of the
        photo, before the read completes: then before the fill)."""
        stamps, ui = self.stamps, self.page.ui  # type: ignore[attr-defined]
        if event.type() != QEvent.Type.Paint or not stamps.inserted or stamps.painted or stamps.expected is None:
            return False
        if ui.nameEdit.text() == stamps.expected.name:
            stamps.painted = time.perf_counter()
            self._maybe_quit()
        return False

    def _maybe_quit(self) -> None:
        stamps = self.stamps
        if stamps.filled and stamps.painted and (stamps.photo or not stamps.photo_expected):
            QTimer.singleShot(0, self._quit)

    def _quit(self) -> None:
        if self.loop is not None:
            self.loop.quit()


def run_until(done: Callable[[], bool], timeout: float = TIMEOUT_S) -> None:
    """Run the GUI event loop until `done()` (checked every millisecond; only outside the timed part)."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start()
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not done():
        raise AssertionError("timed out")


class Client:
    """The registration page with repeat recognition, on a fresh replica, watching the reader through the bridge."""

    def __init__(self, folder: Path, profile: ApduProfile, decoder: WltDecoder | None) -> None:
        from efangtong_desktop.context import AppContext
        from efangtong_desktop.settings import load_settings
        from efangtong_desktop.views.register.page import RegisterPage
        from efangtong_desktop.views.repeats.install import install_repeat_recognition

        settings = load_settings(data_dir=folder / "client", server_url="http://127.0.0.1:9", user="测试员")
        self.context = AppContext.open(settings)
        self.page = RegisterPage(self.context)
        install_repeat_recognition(self.page)
        self.page.resize(1366, 768)
        self.page.show()
        run_until(lambda: self.page.fields.choices is not None)
        self.stamps = Stamps(photo_expected=decoder is not None)
        self.backend = PcscBackend([profile])
        self.bridge = CardReaderBridge(
            StampingBackend(self.backend, self.stamps),
            CardReadingService(decoder=decoder, today=lambda: TODAY),
            self.context.tasks,
            self.page,
        )
        self.page.attach_card_reader(self.bridge)
        self.watch = FormWatch(self.page, self.bridge, self.stamps)

    def insertion(
        self, card: VirtualIdCard, person: IdCardRecord, port: int, put: PutCard = insert
    ) -> tuple[float, ...]:
        """Card event → form filled, card socket → form filled, card event → name painted, card event → photo."""
        wait_for_card(FIRST_READER, present=False)
        stamps = self.stamps
        stamps.inserted = stamps.filled = stamps.painted = stamps.photo = 0.0
        stamps.failure = None
        stamps.expected = person
        stamps.removed.clear()
        self.bridge.start()
        run_until(lambda: FIRST_READER in self.bridge.state.readers)
        settle = time.monotonic() + 0.02  # let the monitor's first SCardGetStatusChange (UNAWARE) return and wait again
        run_until(lambda: time.monotonic() > settle)
        loop = QEventLoop()
        self.watch.loop = loop
        QTimer.singleShot(int(TIMEOUT_S * 1000), loop.quit)
        connected = time.perf_counter()
        session = put(card, port)
        loop.exec()
        self.watch.loop = None
        assert stamps.failure is None, stamps.failure
        assert stamps.inserted and stamps.filled and stamps.painted, "the form was not filled in time"
        assert stamps.photo or not stamps.photo_expected, "the photo did not come"
        session.pull()
        run_until(stamps.removed.is_set)
        self.bridge.stop()
        self.context.tasks.wait_for_workers()  # the repeat lookups the fill started
        photo = stamps.photo - stamps.inserted if stamps.photo else 0.0
        return stamps.filled - stamps.inserted, stamps.filled - connected, stamps.painted - stamps.inserted, photo

    def close(self) -> None:
        """Stop watching and close the page and the replica."""
        self.bridge.stop()
        self.backend.close()
        self.context.tasks.wait_for_workers()
        self.page.close()
        self.context.close()


def photo_decoder(folder: Path) -> WltDecoder | None:
    """The vendor-like WLT decoder of the tests, compiled into `folder` (None without gcc)."""
    compiler = shutil.which("gcc")
    if compiler is None:
        return None
    library = folder / "libwlt.so"
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(library), str(FAKE_WLT)], check=True)
    return WltDecoder(library)


def ms(values: list[float]) -> str:
    """Median and p95 in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


@dataclass
class Run:
    """The series of one run."""

    filled: list[float] = field(default_factory=list)
    from_socket: list[float] = field(default_factory=list)
    painted: list[float] = field(default_factory=list)
    photo: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Median insert → filled over median raw transfer."""
        return statistics.median(self.filled) / statistics.median(self.raw)


def one_run(
    client: Client,
    profile: ApduProfile,
    apdus: list[bytes],
    port: int,
    rounds: int,
    people: tuple[IdCardRecord, ...],
    put: PutCard = insert,
) -> Run:
    """`rounds` alternating client and raw insertions (so that machine load hits both alike)."""
    run = Run()
    _status, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    try:
        for number in range(rounds):
            person = people[number % len(people)]  # the warm-up and an odd round before were the other one
            card = VirtualIdCard(profile, text_of(person), PHOTO)
            filled, from_socket, painted, photo = client.insertion(card, person, port, put)
            run.filled.append(filled)
            run.from_socket.append(from_socket)
            run.painted.append(painted)
            run.photo.append(photo)
            raw_card = VirtualIdCard(profile, text_of(person), PHOTO)
            run.raw.append(raw_insertion(context, raw_card, apdus, port, put))
    finally:
        scard.SCardReleaseContext(context)
    return run


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=30, help="an even number: the people alternate across runs")
    parser.add_argument("--raw-rounds", type=int, default=200)
    parser.add_argument("--with-hk-mo-tw", action="store_true", help="alternate a resident card and a 港澳台居住证")
    parser.add_argument(
        "--card-process",
        action="store_true",
        help="the virtual card in a process of its own (as a real card is outside the client), not a thread here",
    )
    options = parser.parse_args()
    options.rounds += options.rounds % 2
    people = (RESIDENT, HK_MO_TW) if options.with_hk_mo_tw else PEOPLE
    folder = Path(tempfile.mkdtemp(prefix="cardread-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # the client's QSettings stay out of the user's
    from efangtong_desktop.app import create_application

    app = create_application()
    daemon = start_pcscd(folder)
    profile = load_profiles()[0]
    decoder = photo_decoder(folder)
    client = Client(folder, profile, decoder)
    card_process = CardProcess() if options.card_process else None
    put: PutCard = card_process.insert if card_process is not None else insert
    runs: list[Run] = []
    try:
        first = VirtualIdCard(profile, text_of(people[-1]), PHOTO)
        client.insertion(first, people[-1], daemon.port, put)  # warm-up; records the client's APDUs
        apdus = list(first.apdus)
        for _ in range(options.runs):
            runs.append(one_run(client, profile, apdus, daemon.port, options.rounds, people, put))
        wait_for_card(FIRST_READER, present=False)
        session = put(VirtualIdCard(profile, text_of(RESIDENT), PHOTO), daemon.port)
        wait_for_card(FIRST_READER, present=True)
        raw, ours = on_demand(apdus, client.backend, options.raw_rounds)
        session.pull()
    finally:
        client.close()
        if card_process is not None:
            card_process.close()
        daemon.stop()
    del app
    where = "in a process of its own" if card_process is not None else "a thread of this process"
    print(f"ID card read through pcscd + vpcd into the 登记 form: {len(apdus)} APDUs; "
          f"{options.runs} runs of {options.rounds} insertions per series; the virtual card {where}")  # fmt: skip
    for number, run in enumerate(runs, 1):
        print(f" run {number}: insert -> form filled {ms(run.filled)};  raw {ms(run.raw)};  ratio {run.ratio:.2f}")
    every = Run(*([value for run in runs for value in getattr(run, name)] for name in Run.__dataclass_fields__))
    print(f"  card event -> form filled          {ms(every.filled)}")
    print(f"  raw pyscard after a card event     {ms(every.raw)}")
    print(f"  card event -> name field painted   {ms(every.painted)}")
    if decoder is not None:
        print(f"  card event -> decoded photo shown  {ms(every.photo)}   (decoded after the fill)")
    else:
        print("  (no gcc: no photo decoder, the photo placeholder is shown)")
    print(f"  card socket -> form filled         {ms(every.from_socket)}   (includes pcscd's presence poll)")
    print(f"  F2 read on a powered card -> data  {ms(ours)}   ({options.raw_rounds} reads)")
    print(f"  raw pyscard on a powered card      {ms(raw)}")
    print(f"  ratio F2 read / raw transfer       {statistics.median(ours) / statistics.median(raw):.2f}")
    parse_us = parse_microseconds([text_of(person) for person in people])
    print(f"  parse of the 256-byte text record  {parse_us:7.1f} us   (warm, median; efangtong_core.idcard)")
    ratio = statistics.median(run.ratio for run in runs)
    print(f"  ratio insert->form / raw transfer  {ratio:.2f} median of {len(runs)} runs"
          f"  (all rounds pooled {every.ratio:.2f}; goal <= 1.2)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
