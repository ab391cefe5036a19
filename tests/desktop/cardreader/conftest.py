"""Fixtures for the card-reader tests: a private pcscd with vpcd readers, the shipped profiles, an event recorder."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from efangtong_desktop.cardreader.base import ReaderEvent
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.profile import ApduProfile, load_profiles
from tests.support.components import component_unavailable
from tests.support.pcscd import FIRST_READER, Pcscd, PcscdUnavailable, start_pcscd, wait_for_card
from tests.support.vpcd import VirtualIdCard, VpcdCardSession, insert

EVENT_TIMEOUT = 10.0
FAKE_SDK_DIR = Path(__file__).resolve().parents[2] / "support" / "fake_sdk"


class EventRecorder:
    """Collects backend events (from any thread) and waits for one that matches."""

    def __init__(self) -> None:
        self.events: list[ReaderEvent] = []
        self._condition = threading.Condition()

    def __call__(self, event: ReaderEvent) -> None:
        with self._condition:
            self.events.append(event)
            self._condition.notify_all()

    def wait_for(self, match: Callable[[ReaderEvent], bool], *, after: int = 0) -> ReaderEvent:
        """The first event at index ≥ `after` that matches, waiting up to EVENT_TIMEOUT for it."""
        found: list[ReaderEvent] = []

        def seen() -> bool:
            found[:] = [event for event in self.events[after:] if match(event)]
            return bool(found)

        with self._condition:
            if not self._condition.wait_for(seen, EVENT_TIMEOUT):
                raise AssertionError(f"no matching event within {EVENT_TIMEOUT} s; got {self.events[after:]}")
        return found[0]

    def mark(self) -> int:
        """The index of the next event (to wait only for events after now)."""
        with self._condition:
            return len(self.events)


@pytest.fixture(scope="session")
def _pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd | str]:
    try:
        daemon = start_pcscd(tmp_path_factory.mktemp("pcscd"))
    except PcscdUnavailable as error:
        yield str(error)
        return
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture
def pcscd(_pcscd: Pcscd | str) -> Pcscd:
    """The session's pcscd with vpcd readers (started again if a test stopped it)."""
    if isinstance(_pcscd, str):
        component_unavailable("pcscd + vpcd", _pcscd)
    if _pcscd.process is None:
        _pcscd.start()
    return _pcscd


@pytest.fixture(scope="session")
def profiles() -> list[ApduProfile]:
    """The shipped APDU profiles."""
    return load_profiles()


@pytest.fixture
def recorder() -> EventRecorder:
    """A fresh event recorder."""
    return EventRecorder()


@pytest.fixture
def backend(pcscd: Pcscd, profiles: list[ApduProfile]) -> Iterator[PcscBackend]:
    """A PC/SC backend on the test pcscd (not started)."""
    pcsc = PcscBackend(profiles)
    yield pcsc
    pcsc.close()


@pytest.fixture(scope="session")
def _fake_sdk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path] | str:
    compiler = shutil.which("gcc")
    if compiler is None:
        return "gcc is not installed"
    out = tmp_path_factory.mktemp("fake_sdk")
    built = {}
    for source in sorted(FAKE_SDK_DIR.glob("*.c")):
        library = out / f"lib{source.stem}.so"
        command = [compiler, "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-o", str(library), str(source)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return f"gcc failed on {source.name}: {result.stderr}"
        built[source.stem] = library
    return built


@pytest.fixture
def fake_sdk(_fake_sdk: dict[str, Path] | str) -> dict[str, Path]:
    """The stand-in vendor libraries compiled from tests/support/fake_sdk/*.c: sdtapi, termb, wlt (by stem)."""
    if isinstance(_fake_sdk, str):
        component_unavailable("gcc (fake vendor SDK)", _fake_sdk)
    return _fake_sdk


@pytest.fixture
def put_card(pcscd: Pcscd) -> Iterator[Callable[[VirtualIdCard], VpcdCardSession]]:
    """Put virtual cards on the first reader (once pcscd sees it empty); they are pulled, and seen gone, afterwards."""
    sessions: list[VpcdCardSession] = []

    def put(card: VirtualIdCard) -> VpcdCardSession:
        wait_for_card(FIRST_READER, present=False)
        session = insert(card, pcscd.port)
        sessions.append(session)
        return session

    yield put
    for session in sessions:
        session.pull()
    if sessions and pcscd.process is not None:
        wait_for_card(FIRST_READER, present=False)
