"""Masking of personal data in lists (DESIGN.md §4): ID numbers, phones and names, and who may see them unmasked.

The one implementation: `IdNumber.masked`, the analytics lists and the desktop's search results all call these.

Who sees ID numbers and phones unmasked (`sees_personal_data`), decided per role of `vocabulary.Role`:
- 登记员 (clerk): registers petitions face to face and must check the person's identity and reach them by phone.
- 分办员 (dispatcher): routes cases and notifies petitioners of acceptance (《信访工作条例》 15-day notice).
- 局领导 (leader): receives petitioners in leaders' reception days and signs decisions about named people.
- 承办员 / 单位负责人 (handler, unit head): handle and reply to the petitioner; their replica and routes only hold their
  unit's cases, so unmasked data never reaches them for other units' cases.
- 代办员 (agent): acts on the petitioner's behalf by mandate and has to call them; also sees only their own cases.
Masked:
- 督查员 (inspector): supervises deadlines and handling quality; that needs case facts, not whom to call.
- 大屏 (bigscreen): a wall display in a public hall — never personal data.
- 系统管理员 (admin): manages accounts and configuration; least privilege — no case work, so no personal data.
A user holding several roles sees unmasked data if any of them does.
"""

from __future__ import annotations

from collections.abc import Iterable

from efangtong_core.vocabulary import Role

MASK = "*"

ROLES_SEEING_PERSONAL_DATA = frozenset(
    {Role.CLERK, Role.DISPATCHER, Role.LEADER, Role.HANDLER, Role.UNIT_HEAD, Role.AGENT}
)
"""Roles whose work needs a petitioner's full ID number and phone (see the module docstring for why)."""


def sees_personal_data(roles: Iterable[str]) -> bool:
    """True when one of `roles` (vocabulary.Role codes) needs unmasked ID numbers and phones."""
    return any(str(role) in ROLES_SEEING_PERSONAL_DATA for role in roles)


def mask_id_number(number: str | None) -> str:
    """An ID number for lists: first 6 and last 4 characters kept (150627********123X); "" for none."""
    if not number:
        return ""
    if len(number) < 10:
        return MASK * len(number)
    return number[:6] + MASK * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """A phone number for lists: first 3 and last 4 characters kept (138****5678); short numbers keep the last 2."""
    if not phone:
        return ""
    if len(phone) < 7:
        return MASK * max(0, len(phone) - 2) + phone[-2:]
    return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]


def mask_phones(phones: str | None) -> str:
    """Several phone numbers separated by commas, semicolons or spaces, each masked, the separators kept."""
    if not phones:
        return ""
    out: list[str] = []
    token: list[str] = []
    for char in phones:
        if char in ",;，；、 ":
            out.append(mask_phone("".join(token)))
            out.append(char)
            token = []
        else:
            token.append(char)
    out.append(mask_phone("".join(token)))
    return "".join(out)


def mask_name(name: str | None) -> str:
    """A name for lists: the first character, the rest as asterisks (张**)."""
    return name[:1] + MASK * max(1, len(name) - 1) if name else ""


def shown_id_number(number: str | None, *, unmasked: bool) -> str:
    """The ID number as a list shows it to a user who may (`unmasked`) or may not see it in full."""
    return (number or "") if unmasked else mask_id_number(number)


def shown_phone(phones: str | None, *, unmasked: bool) -> str:
    """The phone number(s) as a list shows them to a user who may (`unmasked`) or may not see them in full."""
    return (phones or "") if unmasked else mask_phones(phones)
