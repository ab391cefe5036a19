"""A correction (更正登记) in words for the case's timeline: each changed field with its value before and after.

The `registration_corrected` event's payload is {"changes": {field: {"old": …, "new": …}}} (services/registration_edit
and registration_family write it). Ids read as names (town, category, agent, petitioner), codes as their labels, long
texts are shortened, phones are masked for roles that do not see personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from efangtong_core.masking import mask_phone
from efangtong_core.vocabulary import LabelledEnum, PetitionForm, PetitionPurpose

FIELD_LABELS = {
    "form": "信访形式",
    "purpose": "信访目的",
    "category_id": "内容分类",
    "town_id": "问题属地",
    "head_count": "人数",
    "title": "标题",
    "content": "信访内容",
    "agent_id": "代办员",
    "repeat_of_id": "重复信访原件",
    "petitioner_id": "信访人",
    "petitioner.name": "姓名",
    "petitioner.nation": "民族",
    "petitioner.address": "住址",
    "petitioner.phones": "联系电话",
    "representatives": "代表",
    "agent_case": "代办事项",
    "attachments": "附件",
}
NOTHING = "（空）"
CHANGED = "{label}：{old} → {new}"
TEXT_LIMIT = 30


class NameSource(Protocol):
    """Names of the things a correction refers to by id."""

    def unit(self, unit_id: object) -> str: ...
    def case(self, petition_id: object) -> str: ...
    def category(self, category_id: object) -> str: ...
    def agent(self, agent_id: object) -> str: ...
    def person(self, petitioner_id: object) -> str: ...


def describe_corrections(changes: Mapping[str, Any], names: NameSource, *, unmasked: bool) -> str:
    """E.g. 问题属地：札萨克镇 → 乌兰木伦镇；代表：张三、李四 → 张三."""
    parts = []
    for field, change in changes.items():
        if not isinstance(change, Mapping):
            continue
        label = FIELD_LABELS.get(field, field)
        words = _words_for(field, names, unmasked=unmasked)
        parts.append(CHANGED.format(label=label, old=words(change.get("old")), new=words(change.get("new"))))
    return "；".join(parts)


def _words_for(field: str, names: NameSource, *, unmasked: bool) -> Callable[[object], str]:
    by_id: dict[str, Callable[[object], str]] = {
        "town_id": names.unit,
        "category_id": names.category,
        "agent_id": names.agent,
        "repeat_of_id": names.case,
        "petitioner_id": names.person,
    }
    if field in by_id:
        lookup = by_id[field]
        return lambda value: lookup(value) if value else NOTHING
    if field in ("form", "purpose"):
        kind: type[LabelledEnum] = PetitionForm if field == "form" else PetitionPurpose
        return lambda value: _label(kind, value)
    if field == "representatives":
        return lambda value: _listed(value, lambda item: str(item.get("name", "")) if isinstance(item, dict) else "")
    if field == "agent_case":
        return lambda value: _listed(value, names.agent)
    if field == "petitioner.phones":
        return lambda value: _listed(value, lambda phone: str(phone) if unmasked else mask_phone(str(phone)))
    if field == "attachments":
        return lambda value: _listed(value, str)
    return _short


def _label(kind: type[LabelledEnum], value: object) -> str:
    if isinstance(value, str) and kind.has_code(value):
        return str(kind.from_code(value).label)
    return _short(value)


def _listed(value: object, word: Callable[[Any], str]) -> str:
    if not isinstance(value, list) or not value:
        return NOTHING
    return "、".join(word(item) for item in value)


def _short(value: object) -> str:
    if value in (None, ""):
        return NOTHING
    text = str(value)
    return f"「{text[:TEXT_LIMIT]}……」" if len(text) > TEXT_LIMIT else f"「{text}」"
