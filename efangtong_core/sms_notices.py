"""The SMS notices a petitioner gets as the case moves (受理, 不予受理, 转送/交办, 处理意见书), as template data.

Each notice is an `sms_template` row (code, name, text with `{placeholder}` parameters) that the administrator may
edit; `DEFAULT_SMS_TEMPLATES` are the texts a new installation starts with (the demo seeds them). The server queues an
`sms_message` with the template code and the parameters below; a later sender renders the text (`render`) or passes
code and parameters to the provider, whose signature (【伊金霍洛旗信访局】) is added by the provider.

Parameters every notice gets: name (信访人姓名), case_number (案件编号, or the query code until it has one), query_code
(查询码), date (the event's date, e.g. 2026年11月26日), unit (the unit concerned), action (转送 / 交办) and outcome
(处理意见: 支持 / 解释说明 / 不予支持).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from efangtong_core.case_states import EventType

ACCEPTED = "case_accepted"
NOT_ACCEPTED = "case_not_accepted"
NOT_REACCEPTED = "case_not_reaccepted"
ROUTED = "case_routed"
REPLIED = "case_replied"

PARAMETERS = ("name", "case_number", "query_code", "date", "unit", "action", "outcome")


@dataclass(frozen=True)
class SmsTemplateText:
    """A default SMS template: its code, name and text."""

    code: str
    name: str
    text: str


DEFAULT_SMS_TEMPLATES: tuple[SmsTemplateText, ...] = (
    SmsTemplateText(
        ACCEPTED,
        "信访事项受理通知",
        "{name}您好：您反映的信访事项（编号{case_number}）已于{date}受理，由{unit}办理。"
        "可凭查询码{query_code}查询办理进展。",
    ),
    SmsTemplateText(
        NOT_ACCEPTED,
        "信访事项不予受理通知",
        "{name}您好：您反映的信访事项（编号{case_number}）经审查不予受理，书面告知书将送达您。"
        "可凭查询码{query_code}查询。",
    ),
    SmsTemplateText(
        NOT_REACCEPTED,
        "信访事项不再受理通知",
        "{name}您好：您反映的信访事项（编号{case_number}）已复核终结，依照《信访工作条例》不再受理，书面告知书将送达您。",
    ),
    SmsTemplateText(
        ROUTED,
        "信访事项转送交办通知",
        "{name}您好：您反映的信访事项（编号{case_number}）已于{date}{action}{unit}办理。可凭查询码{query_code}查询办理进展。",
    ),
    SmsTemplateText(
        REPLIED,
        "处理意见书出具通知",
        "{name}您好：{unit}已就您反映的信访事项（编号{case_number}）出具处理意见书，请注意查收。"
        "如不服，可自收到之日起30日内请求复查。",
    ),
)

BY_CODE: dict[str, SmsTemplateText] = {template.code: template for template in DEFAULT_SMS_TEMPLATES}

TEMPLATE_OF_EVENT: dict[EventType, str] = {
    EventType.ACCEPTED: ACCEPTED,
    EventType.NOT_ACCEPTED: NOT_ACCEPTED,
    EventType.NOT_REACCEPTED: NOT_REACCEPTED,
    EventType.TRANSFERRED: ROUTED,
    EventType.ASSIGNED: ROUTED,
    EventType.REPLIED: REPLIED,
}
"""The notice each case event sends the petitioner; other events send none."""


def render(text: str, params: Mapping[str, object]) -> str:
    """`text` with its placeholders filled (a missing parameter becomes empty); ValueError for a malformed text."""
    names = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    if any(not name.isidentifier() for name in names):
        raise ValueError(f"短信模板含无效的占位符：{text!r}")
    return text.format_map({name: str(params.get(name, "") or "") for name in names})
