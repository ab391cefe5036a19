"""A change the server refuses, with its machine code and Chinese reason."""

from __future__ import annotations

from sync.protocol import REASONS, RejectCode


class Rejected(Exception):
    """A change the server refuses: a machine code and the Chinese reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def reject(code: RejectCode, **fields: object) -> Rejected:
    """The refusal of `code`, its reason filled in with `fields`."""
    return Rejected(code.value, REASONS[code].format(**fields))
