"""Query codes (查询码): the short code a petitioner uses to follow a case on the mobile pages or by phone.

A code is drawn at random (`secrets`) from 32 symbols that cannot be mistaken for one another when read aloud or
copied from paper (no 0/O, no 1/I); 8 symbols give 2**40 codes, so guessing a live one is hopeless. Uniqueness is
checked by the database (`petition.query_code` is unique); the registration draws again on a collision.
"""

from __future__ import annotations

import secrets

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""32 symbols: digits and capitals without the look-alikes 0/O and 1/I."""

QUERY_CODE_LENGTH = 8
"""Symbols in a code (the server's `query_code_length` parameter may ask for more)."""


def new_query_code(length: int = QUERY_CODE_LENGTH) -> str:
    """A fresh random query code of `length` symbols from `QUERY_CODE_ALPHABET`."""
    if length < 6:
        raise ValueError("查询码至少 6 位")
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(length))


def normalise_query_code(text: str) -> str:
    """A typed code made comparable: spaces and dashes dropped, upper case (look-alikes are not guessed)."""
    return "".join(ch for ch in text.strip().upper() if ch not in " -\u3000")


def is_query_code(text: str) -> bool:
    """True when `text` (normalised) is made only of alphabet symbols and is at least 6 long."""
    code = normalise_query_code(text)
    return len(code) >= 6 and all(ch in QUERY_CODE_ALPHABET for ch in code)


def grouped(code: str) -> str:
    """The code in groups of four for printing (ABCD EFGH)."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
