"""The virtual ID card of benchmarks/cardread.py in a process of its own (`--card-process`), as a real card is outside
the client: the card's socket work then never waits for the client's interpreter lock.

Run as `python -m benchmarks.cardread_card`, it serves one line per command on stdin: `insert PORT PROFILE TEXT PHOTO`
(the files in hex) puts a tests/support/vpcd.VirtualIdCard on the vpcd reader at PORT and answers `inserted`; `pull`
takes it off and answers `apdus` with the command APDUs the card received (hex, comma-separated).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from efangtong_desktop.cardreader.profile import load_profiles
from tests.support.vpcd import VirtualIdCard, VpcdCardSession, insert

ROOT = Path(__file__).resolve().parent.parent


class CardProcess:
    """The card-holding process, seen from the benchmark: `insert` puts a card on the reader like vpcd.insert."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.cardread_card"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, command: str) -> str:
        """Send one command, return the answer line."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def insert(self, card: VirtualIdCard, port: int) -> ProcessCardSession:
        """Put `card` (its profile, text and photo) on the vpcd reader at `port`, served by the card process."""
        answer = self.ask(f"insert {port} {card.profile.name} {card.text.hex()} {card.photo.hex()}")
        assert answer == "inserted", answer
        return ProcessCardSession(self, card)

    def close(self) -> None:
        """End the card process."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(10)


class ProcessCardSession:
    """One card put on the reader by the card process; `pull` takes it off and fills `card.apdus`."""

    def __init__(self, owner: CardProcess, card: VirtualIdCard) -> None:
        self.owner = owner
        self.card = card
        self.pulled = False

    def pull(self) -> None:
        """Take the card off the reader; the APDUs it received are copied into `card.apdus`."""
        if self.pulled:
            return
        self.pulled = True
        answer = self.owner.ask("pull")
        kind, _, listed = answer.partition(" ")
        assert kind == "apdus", answer
        self.card.apdus[:] = [bytes.fromhex(apdu) for apdu in listed.split(",") if apdu]


def serve() -> None:
    """The card process: one command per stdin line until stdin closes."""
    profiles = {profile.name: profile for profile in load_profiles()}
    session: VpcdCardSession | None = None
    for line in sys.stdin:
        command, *arguments = line.split()
        if command == "insert":
            port, name, text, photo = arguments
            card = VirtualIdCard(profiles[name], bytes.fromhex(text), bytes.fromhex(photo))
            session = insert(card, int(port))
            answer = "inserted"
        elif command == "pull" and session is not None:
            session.pull()
            session.join()
            answer = "apdus " + ",".join(apdu.hex() for apdu in session.card.apdus)
            session = None
        else:
            answer = f"unknown {command}"
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
    if session is not None:
        session.pull()


if __name__ == "__main__":
    serve()
