"""A registration is corrected only while its case is 待分办 (lifecycle: 更正登记 follows 待分办 alone).

The counter writes a correction as plain row changes plus a `registration_corrected` event. The event is checked by the
lifecycle; this check refuses the rows with it: once the server has routed the case, a counter that corrected offline
cannot change what the petitioner registered (the petition's registration fields, the group's representatives) — the
change is rejected with a Chinese reason and stays on the counter for the clerk to deal with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from efangtong_core.lifecycle import PetitionState
from sync.rejection import Rejected

REGISTRATION_CLOSED = "registration_closed"
REASON = "该信访件已分办（当前状态：{state}），登记信息不能再更正；如确需更正，请联系分办员"

CORRECTED_PETITION_FIELDS = frozenset(
    {"form", "purpose", "category_id", "town_id", "head_count", "title", "content", "agent_id", "repeat_of_id"}
)
"""The petition's own columns a correction (更正登记) changes."""
PETITION_REGISTRATION_FIELDS = CORRECTED_PETITION_FIELDS | {"petitioner_id"}
"""The petition's columns a registration sets and a correction changes (another petitioner included)."""

OPEN = PetitionState.REGISTERED.value


def check_registration_open(
    name: str,
    current: dict[str, Any] | None,
    values: dict[str, Any],
    petition_of: Callable[[object], dict[str, Any] | None],
) -> None:
    """Raise `Rejected` when the change corrects the registration of a case that is no longer 待分办."""
    if name == "petition":
        if current is None or current.get("state") in (None, OPEN):
            return
        if not any(key in values and values[key] != current.get(key) for key in PETITION_REGISTRATION_FIELDS):
            return
        state = current.get("state")
    elif name == "petition_representative":
        petition_id = values.get("petition_id") or (current or {}).get("petition_id")
        petition = petition_of(petition_id)
        if petition is None or petition.get("state") in (None, OPEN):
            return
        state = petition.get("state")
    else:
        return
    label = PetitionState.from_code(state).label if isinstance(state, str) and PetitionState.has_code(state) else state
    raise Rejected(REGISTRATION_CLOSED, REASON.format(state=label))
