"""Written notices (文书): the kinds, the placeholders a template may use, the built-in texts and the substitution.

A template's body is plain text with `{placeholder}` fields (Python format syntax without format specs; a literal brace
is written `{{` or `}}`). The administrator edits the texts on the server (document_template rows); until a kind is
saved, its built-in text below is used. Qt-free and web-free: the server checks a body at save time, the counter fills
it when it prints a notice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter

from efangtong_core.case_states import EventType


class TemplateError(ValueError):
    """A template body that cannot be used; the message says why in Chinese."""


@dataclass(frozen=True)
class NoticeKind:
    """One kind of written notice: its code, title, the event it answers and its 文号 abbreviation."""

    code: str
    name: str
    event: EventType
    abbreviation: str


NOTICE_KINDS: tuple[NoticeKind, ...] = (
    NoticeKind("acceptance", "受理告知书", EventType.ACCEPTED, "受"),
    NoticeKind("non_acceptance", "不予受理告知书", EventType.NOT_ACCEPTED, "不受"),
    NoticeKind("non_reacceptance", "不再受理告知书", EventType.NOT_REACCEPTED, "不再受"),
    NoticeKind("extension", "延长办理期限告知书", EventType.EXTENSION_APPROVED, "延"),
    NoticeKind("handling_opinion", "处理意见书", EventType.REPLIED, "处"),
    NoticeKind("review_opinion", "复查意见书", EventType.REVIEW_DECIDED, "复查"),
    NoticeKind("re_review_opinion", "复核意见书", EventType.RE_REVIEW_DECIDED, "复核"),
)
"""Every kind of notice, in the order a case meets them."""

KINDS_BY_CODE: dict[str, NoticeKind] = {kind.code: kind for kind in NOTICE_KINDS}
KINDS_BY_EVENT: dict[str, NoticeKind] = {kind.event.value: kind for kind in NOTICE_KINDS}

PLACEHOLDERS: dict[str, str] = {
    "issuing_unit": "出具单位",
    "bureau": "信访局名称",
    "document_number": "文号",
    "case_number": "信访件编号",
    "petitioner_name": "信访人姓名",
    "petitioner_address": "信访人住址",
    "petitioner_phone": "信访人联系电话",
    "registered_date": "登记日期",
    "event_date": "事项发生日期",
    "issue_date": "出具日期",
    "summary": "信访事项（标题或内容摘要）",
    "handling_unit": "办理单位",
    "reason": "理由",
    "opinion": "意见正文",
    "outcome": "处理结论",
    "deadline": "原办理期限届满日",
    "new_deadline": "延长后的办理期限届满日",
    "extension_days": "延长天数",
}
"""Every placeholder a notice template may use → what it stands for (shown to the administrator)."""

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def placeholders(body: str) -> list[str]:
    """The `{name}` placeholders of `body` in order of first use; TemplateError when malformed or unknown."""
    names: list[str] = []
    try:
        parsed = list(Formatter().parse(body))
    except ValueError as error:
        raise TemplateError("模板正文的花括号不成对（参数应写作 {参数名}，花括号本身写作 {{ 或 }}）") from error
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _NAME.match(name) or spec or conversion:
            raise TemplateError(f"参数 {{{name}}} 无效：参数名只能由小写字母开头的字母、数字、下划线组成")
        if name not in PLACEHOLDERS:
            known = "、".join(f"{{{known}}}" for known in PLACEHOLDERS)
            raise TemplateError(f"模板中的参数 {{{name}}} 不认识。可用的参数：{known}")
        if name not in names:
            names.append(name)
    return names


def fill(body: str, values: Mapping[str, str]) -> str:
    """`body` with every placeholder replaced by its value (a missing value becomes an empty string)."""
    placeholders(body)
    return body.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def document_number(case_number: str | None, kind: NoticeKind, fallback: str) -> str:
    """The 文号 of a notice: the case number with the kind's abbreviation, e.g. 伊信受〔2026〕000123号."""
    number = case_number or fallback
    match = re.match(r"^(.*?)(〔\d{4}〕.*)$", number)
    if match is None:
        return f"{number}（{kind.abbreviation}）"
    return f"{match.group(1)}{kind.abbreviation}{match.group(2)}"


_HEAD = "{petitioner_name}：\n\n"
_TAIL = "\n\n{issuing_unit}\n{issue_date}"

DEFAULT_BODIES: dict[str, str] = {
    "acceptance": _HEAD + "你（你们）于{registered_date}提出的信访事项（信访件编号：{case_number}）：{summary}\n\n"
    "经审查，该事项属于本机关、单位职权范围，根据《信访工作条例》第二十三条、第二十五条的规定，本机关、单位决定予以受理，"
    "由{handling_unit}办理。本机关、单位将自受理之日起60日内办结；情况复杂的，经批准可以适当延长办理期限，并告知延期理由。\n\n"
    "特此告知。" + _TAIL,
    "non_acceptance": _HEAD + "你（你们）于{registered_date}提出的信访事项（信访件编号：{case_number}）：{summary}\n\n"
    "经审查，{reason}\n\n"
    "根据《信访工作条例》第二十五条、第三十一条的规定，本机关、单位对该信访事项不予受理。"
    "对依法应当通过诉讼、仲裁、行政复议等法定途径解决的，请依照有关法律、行政法规规定的程序向有关机关提出。\n\n"
    "特此告知。" + _TAIL,
    "non_reacceptance": _HEAD
    + "你（你们）于{registered_date}提出的信访事项（信访件编号：{case_number}）：{summary}\n\n"
    "经查，{reason}\n\n"
    "根据《信访工作条例》第三十六条的规定，信访事项经复核终结后，信访人以同一事实和理由提出投诉请求的，"
    "各级信访部门和其他机关、单位不再受理。\n\n"
    "特此告知。" + _TAIL,
    "extension": _HEAD + "你（你们）提出的信访事项（信访件编号：{case_number}）：{summary}\n\n"
    "因{reason}，根据《信访工作条例》第三十二条的规定，经本机关、单位负责人批准，办理期限延长{extension_days}日，"
    "由原定的{deadline}延长至{new_deadline}。\n\n"
    "特此告知。" + _TAIL,
    "handling_opinion": _HEAD
    + "你（你们）于{registered_date}提出的信访事项（信访件编号：{case_number}）：{summary}\n\n"
    "经调查核实，现提出处理意见如下：\n{opinion}\n\n"
    "处理结论：{outcome}。\n\n"
    "根据《信访工作条例》第三十五条的规定，如对本处理意见不服，可以自收到本意见书之日起30日内"
    "请求原办理机关、单位的上一级机关、单位复查。" + _TAIL,
    "review_opinion": _HEAD
    + "你（你们）对信访事项（信访件编号：{case_number}）的处理意见不服，于{event_date}前请求复查。\n\n"
    "经复查，现提出复查意见如下：\n{opinion}\n\n"
    "复查结论：{outcome}。\n\n"
    "根据《信访工作条例》第三十六条的规定，如对本复查意见不服，可以自收到本意见书之日起30日内"
    "向复查机关、单位的上一级机关、单位请求复核。" + _TAIL,
    "re_review_opinion": _HEAD + "你（你们）对信访事项（信访件编号：{case_number}）的复查意见不服，请求复核。\n\n"
    "经复核，现提出复核意见如下：\n{opinion}\n\n"
    "复核结论：{outcome}。\n\n"
    "根据《信访工作条例》第三十六条的规定，本复核意见为终结意见。"
    "信访人以同一事实和理由提出投诉请求的，各级信访部门和其他机关、单位不再受理。" + _TAIL,
}
"""The built-in body of every kind, used until the administrator saves one (citing 《信访工作条例》)."""
