"""Shared event sequences and helpers of the lifecycle tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from efangtong_core.lifecycle import (
    CaseEvent,
    EventType,
    PetitionState,
    TransitionRejected,
    apply,
    replay,
)
from efangtong_core.vocabulary import Role

E, S, R = EventType, PetitionState, Role
T0 = datetime(2025, 3, 3, 9, 0)  # a Monday


def ev(kind: EventType, day: int, role: Role, **payload: object) -> CaseEvent:
    """An event `day` days after T0."""
    return CaseEvent(kind, T0 + timedelta(days=day), role, payload)


ROUTED = [
    ev(E.REGISTERED, 0, R.CLERK),
    ev(E.ASSIGNED, 1, R.DISPATCHER, deadline="2025-05-30", unit="150627102"),
    ev(E.SIGNED_FOR, 2, R.HANDLER),
]
HANDLING = [*ROUTED, ev(E.ACCEPTED, 3, R.HANDLER)]  # accepted Thursday 6 March → handling due 6 May
REPLIED = [
    *HANDLING,
    ev(E.REPLY_DRAFTED, 40, R.HANDLER, outcome="explained"),
    ev(E.REPLIED, 41, R.UNIT_HEAD),  # Sunday 13 April 2025
]


def rejected(events: list[CaseEvent], event: CaseEvent) -> TransitionRejected:
    with pytest.raises(TransitionRejected) as caught:
        apply(replay(events), event)
    return caught.value
