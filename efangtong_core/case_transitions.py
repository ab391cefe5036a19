"""The transition table: which event may follow which state, by which roles, and the state it leads to.

One row per (states, event) with the roles allowed to record it; `SAME` keeps the state (notes, supervision).
History-dependent conditions (time windows, "once only") are not here but in `lifecycle`, which rejects an
event this table allows when the case's history forbids it.

Roles, in brief: the clerk (登记员) registers and records what the petitioner brings to the counter (evaluation,
复查/复核 requests); the dispatcher (分办员) of the bureau routes, accepts or refuses at the bureau, merges and closes;
the handler (承办员) and the unit head (单位负责人) act for the receiving unit; only the unit head approves an
extension or a reply; the inspector (督查员) and the bureau leader (局领导) supervise; 复查/复核 opinions are entered
by the dispatcher or the leader. The administrator has no part in a case: separation of duties keeps account
administration apart from case decisions. The agent (代办员) and the big screen record nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from efangtong_core.case_states import EventType as E
from efangtong_core.case_states import PetitionState as S
from efangtong_core.vocabulary import Role

SAME = None
"""Marks a transition that keeps the current state."""

NEW = None
"""Marks the state of a case before its first event."""

CLERK = frozenset({Role.CLERK})
DISPATCHER = frozenset({Role.DISPATCHER})
UNIT = frozenset({Role.HANDLER, Role.UNIT_HEAD})
HANDLER = frozenset({Role.HANDLER})
UNIT_HEAD = frozenset({Role.UNIT_HEAD})
SUPERVISORS = frozenset({Role.INSPECTOR, Role.LEADER})
COUNTER = frozenset({Role.CLERK, Role.DISPATCHER})
EVALUATION_RECORDERS = frozenset({Role.CLERK, Role.DISPATCHER, Role.HANDLER})
REVIEW_DECIDERS = frozenset({Role.DISPATCHER, Role.LEADER})
CLOSERS = frozenset({Role.DISPATCHER, Role.LEADER})

# States where a unit (or the bureau itself) holds the case before the written reply.
AWAITING_SIGNATURE = (S.TRANSFERRED, S.ASSIGNED)
HANDLING = (S.IN_PROGRESS, S.EXTENSION_PENDING, S.REPLY_PENDING)
OPEN_BEFORE_REPLY = (S.REGISTERED, *AWAITING_SIGNATURE, S.PENDING_ACCEPTANCE, *HANDLING)

TERMINAL_STATES = frozenset({S.NOT_ACCEPTED, S.NOT_REACCEPTED, S.MERGED})
"""States no event leaves. 已办结 is not terminal: 复查/复核 may still be requested within their windows."""


@dataclass(frozen=True)
class Transition:
    """From any of `sources`, `event` recorded by one of `roles` leads to `target` (SAME: unchanged)."""

    sources: tuple[S | None, ...]
    event: E
    roles: frozenset[Role]
    target: S | None


def _t(sources: S | tuple[S | None, ...] | None, event: E, roles: frozenset[Role], target: S | None) -> Transition:
    return Transition(sources if isinstance(sources, tuple) else (sources,), event, roles, target)


TRANSITIONS: tuple[Transition, ...] = (
    # from                                   event                    by                    to
    _t(NEW, E.REGISTERED, CLERK, S.REGISTERED),
    # Until the dispatcher routes it, the clerk may correct what was registered (each change an audited event).
    _t(S.REGISTERED, E.REGISTRATION_CORRECTED, CLERK, SAME),
    # The bureau's dispatcher decides (第二十二条): route to a unit, handle at the bureau, or refuse.
    _t(S.REGISTERED, E.TRANSFERRED, DISPATCHER, S.TRANSFERRED),
    _t(S.REGISTERED, E.ASSIGNED, DISPATCHER, S.ASSIGNED),
    _t(S.REGISTERED, E.ACCEPTED, DISPATCHER, S.IN_PROGRESS),
    _t(S.REGISTERED, E.NOT_ACCEPTED, DISPATCHER, S.NOT_ACCEPTED),
    _t(S.REGISTERED, E.NOT_REACCEPTED, DISPATCHER, S.NOT_REACCEPTED),
    # The receiving unit signs for it, then accepts, refuses or objects that it is misrouted (第二十三条).
    _t(AWAITING_SIGNATURE, E.SIGNED_FOR, UNIT, S.PENDING_ACCEPTANCE),
    _t(S.PENDING_ACCEPTANCE, E.ACCEPTED, UNIT, S.IN_PROGRESS),
    _t(S.PENDING_ACCEPTANCE, E.NOT_ACCEPTED, UNIT, S.NOT_ACCEPTED),
    _t(S.PENDING_ACCEPTANCE, E.NOT_REACCEPTED, UNIT, S.NOT_REACCEPTED),
    _t(S.PENDING_ACCEPTANCE, E.RETURNED_MISROUTED, UNIT, S.REGISTERED),
    # Handling (第三十二条): notes, one extension approved by the unit head, a reply approved by the unit head.
    _t(HANDLING, E.NOTE, UNIT, SAME),
    _t(S.IN_PROGRESS, E.EXTENSION_REQUESTED, HANDLER, S.EXTENSION_PENDING),
    _t(S.EXTENSION_PENDING, E.EXTENSION_APPROVED, UNIT_HEAD, S.IN_PROGRESS),
    _t(S.EXTENSION_PENDING, E.EXTENSION_REFUSED, UNIT_HEAD, S.IN_PROGRESS),
    _t(S.IN_PROGRESS, E.REPLY_DRAFTED, HANDLER, S.REPLY_PENDING),
    _t(S.REPLY_PENDING, E.REPLY_RETURNED, UNIT_HEAD, S.IN_PROGRESS),
    _t(S.REPLY_PENDING, E.REPLIED, UNIT_HEAD, S.REPLIED),
    # The bureau's supervision (督办) while a unit holds the case; the bureau merges duplicates.
    _t((*AWAITING_SIGNATURE, S.PENDING_ACCEPTANCE, *HANDLING), E.SUPERVISED, SUPERVISORS, SAME),
    _t(OPEN_BEFORE_REPLY, E.MERGED, DISPATCHER, S.MERGED),
    # After the written reply: evaluation, closing, 复查 (第三十五条) and 复核 (第三十六条).
    _t(S.REPLIED, E.EVALUATED, EVALUATION_RECORDERS, S.EVALUATED),
    _t((S.REPLIED, S.EVALUATED, S.REVIEWED, S.RE_REVIEWED), E.CLOSED, CLOSERS, S.CLOSED),
    _t((S.REPLIED, S.EVALUATED, S.CLOSED), E.REVIEW_REQUESTED, COUNTER, S.REVIEWING),
    _t(S.REVIEWING, E.REVIEW_DECIDED, REVIEW_DECIDERS, S.REVIEWED),
    _t((S.REVIEWED, S.CLOSED), E.RE_REVIEW_REQUESTED, COUNTER, S.RE_REVIEWING),
    _t(S.RE_REVIEWING, E.RE_REVIEW_DECIDED, REVIEW_DECIDERS, S.RE_REVIEWED),
)


def _index() -> dict[tuple[S | None, E], Transition]:
    index: dict[tuple[S | None, E], Transition] = {}
    for transition in TRANSITIONS:
        for source in transition.sources:
            key = (source, transition.event)
            if key in index:
                raise AssertionError(f"transition table has two rows for {key}")
            index[key] = transition
    return index


TRANSITION_INDEX: dict[tuple[S | None, E], Transition] = _index()
"""(state or NEW, event) → its row of `TRANSITIONS`."""
