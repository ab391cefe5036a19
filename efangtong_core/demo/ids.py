"""Deterministic identifiers for the demo data: row UUIDs, query codes, case numbers and server sequence numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass

from efangtong_core.query_codes import QUERY_CODE_ALPHABET as _QUERY_ALPHABET
from efangtong_core.query_codes import QUERY_CODE_LENGTH as _QUERY_LENGTH

_QUERY_BITS = 5 * _QUERY_LENGTH
_QUERY_MASK = (1 << _QUERY_BITS) - 1

CASE_NUMBER_PREFIX = "伊信"

# Version 4 and RFC 4122 variant bits, as uuid.UUID(version=4) sets them.
_CLEAR_VERSION = ~((0xF000 << 64) | (0xC000 << 48))
_SET_VERSION = (0x4000 << 64) | (0x8000 << 48)


def case_number(year: int, number: int) -> str:
    """The case number of the `number`-th petition registered in `year`, e.g. 伊信〔2025〕000123号."""
    return f"{CASE_NUMBER_PREFIX}〔{year}〕{number:06d}号"


class IdSource:
    """Row UUIDs drawn from a seeded random stream, so that the same seed gives the same ids."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"{seed}:ids")

    def new(self) -> str:
        """The next UUID (version 4 layout) as text; the same text `str(uuid.UUID(int=bits, version=4))` gives."""
        bits = (self._rng.getrandbits(128) & _CLEAR_VERSION) | _SET_VERSION
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class QueryCodes:
    """Unique 8-character query codes (查询码): a seeded bijection of the petition's ordinal, base-32 encoded."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:query-codes")
        self._multipliers = (rng.getrandbits(_QUERY_BITS) | 1, rng.getrandbits(_QUERY_BITS) | 1)
        self._offset = rng.getrandbits(_QUERY_BITS)

    def code(self, ordinal: int) -> str:
        """The query code of the petition with this ordinal (0, 1, 2, ...); distinct ordinals give distinct codes."""
        x = (ordinal + self._offset) & _QUERY_MASK
        # Each step is a bijection on 40-bit integers: xor-shift, multiply by an odd number modulo 2**40.
        for multiplier in self._multipliers:
            x ^= x >> 19
            x = (x * multiplier) & _QUERY_MASK
        x ^= x >> 21
        chars = []
        for _ in range(_QUERY_LENGTH):
            chars.append(_QUERY_ALPHABET[x & 31])
            x >>= 5
        return "".join(chars)


@dataclass
class ServerSequence:
    """The server's change sequence: every demo row counts as accepted by the server, in insertion order."""

    last: int = 0

    def next(self) -> int:
        """The next server_seq."""
        self.last += 1
        return self.last
