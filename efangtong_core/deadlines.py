"""The regulation's deadlines as data: `DeadlineRule` rows, the defaults of 《信访工作条例》(2022), and `due_date`.

The server's `deadline_rule` table (code, name, article, days, day_kind, starts_at, note) mirrors `DeadlineRule`;
the administrator may change days, day_kind, article and note. The codes are the ones `lifecycle` knows.

Article numbers were checked against published text of the 2022 regulation (search, 2025): 第二十二条 (15 days to
transfer/assign) in the full text published by 香格里拉网 2023-03-01 and by 福田区信访局; 第二十三条第三款 (15 days to
tell the petitioner of receipt and handling route; 5 working days to object to a misrouted matter) by 福田区信访局
2025-09-19; the wording of the 复核 clause (30 + 30 days, then 不再受理) by 广东省信访局. 第三十二条 (60 days,
extension ≤ 30 days), 第三十五条 (复查) and 第三十六条 (复核) follow the regulation's numbering as commonly cited;
the pages found did not print those numbers next to the text, so an administrator should confirm them.

How a period counts (`due_date`): the day of the start event is not counted — day 1 is the next day, as the
procedural laws count periods (期间开始的日，不计算在期间内) and as petition offices compute them. A calendar-day
period whose last day is not a working day (weekend or public holiday) ends on the next working day (期间届满的最后一日
是法定休假日的，以法定休假日后的第一日为期间届满的日期); otherwise a deadline could fall on a day the office is closed.
A working-day period counts only working days of the holiday calendar, 调休 weekend workdays included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from efangtong_core.case_states import EventType, member_of
from efangtong_core.workdays import DayKind, HolidayCalendar

REGULATION = "《信访工作条例》（2022年）"

# Rule codes the lifecycle knows.
ROUTE = "route"
ACCEPTANCE_NOTICE = "acceptance_notice"
MISROUTE_OBJECTION = "misroute_objection"
HANDLING = "handling"
EXTENSION = "extension"
REVIEW_REQUEST = "review_request"
REVIEW_DECISION = "review_decision"
RE_REVIEW_REQUEST = "re_review_request"
RE_REVIEW_DECISION = "re_review_decision"

CAP_RULES = frozenset({EXTENSION})
"""Rules that cap the length of something (an extension) rather than open a deadline at their start event."""

WINDOW_RULES = frozenset({MISROUTE_OBJECTION, REVIEW_REQUEST, RE_REVIEW_REQUEST})
"""Rules that bound a right (to object, to ask for 复查/复核) rather than a duty of the office; they are not overdue."""


@dataclass(frozen=True)
class DeadlineRule:
    """One deadline of the regulation: `days` (calendar or working) counted from the event `starts_at`."""

    code: str
    name: str
    article: str
    days: int
    day_kind: DayKind
    starts_at: EventType
    note: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, object] | object) -> DeadlineRule:
        """A rule from a mapping or an object (e.g. a database row) with the rule's field names."""

        def get(name: str) -> object:
            return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)

        code = str(get("code") or "").strip()
        days = get("days")
        if not code:
            raise ValueError("期限规则缺少代码")
        if (
            not isinstance(days, int | str)
            or isinstance(days, bool)
            or not (str(days).strip().isascii() and str(days).strip().isdigit())
        ):
            raise ValueError(f"期限规则「{code}」的天数无效：{days!r}")
        try:
            day_kind = member_of(DayKind, str(get("day_kind")))
            starts_at = member_of(EventType, str(get("starts_at")))
        except ValueError as error:
            raise ValueError(f"期限规则「{code}」的计算方式或起算事件无效：{error}") from None
        return cls(
            code=code,
            name=str(get("name") or code),
            article=str(get("article") or ""),
            days=int(str(days)),
            day_kind=day_kind,
            starts_at=starts_at,
            note=str(get("note") or ""),
        )

    @property
    def citation(self) -> str:
        """The legal basis as users see it, e.g. 《信访工作条例》（2022年）第二十二条."""
        return f"{REGULATION}{self.article}" if self.article else REGULATION


def _in_force(row: Mapping[str, object] | object) -> bool:
    """False for a row switched off (`active` false) or deleted (`deleted_at` set), as database rows may be."""

    def get(name: str) -> object:
        return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)

    return get("active") is not False and get("deleted_at") is None


def rules_from_rows(rows: Iterable[Mapping[str, object] | object]) -> tuple[DeadlineRule, ...]:
    """Rules from rows of any source, leaving out inactive or deleted rows; a duplicated code is an error."""
    rules = tuple(DeadlineRule.from_row(row) for row in rows if _in_force(row))
    codes = [rule.code for rule in rules]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"期限规则代码重复：{'、'.join(duplicates)}")
    return rules


def due_date(rule: DeadlineRule, start: date, calendar: HolidayCalendar) -> date:
    """The last day of `rule`'s period that starts on `start` (see the module docstring for how days count)."""
    return calendar.add_days(start, rule)


DEFAULT_DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        ROUTE,
        "转送交办期限",
        "第二十二条",
        15,
        DayKind.CALENDAR,
        EventType.REGISTERED,
        "信访部门收到信访事项，应当予以登记，并在15日内转送、交办有权处理的机关、单位。",
    ),
    DeadlineRule(
        ACCEPTANCE_NOTICE,
        "告知受理期限",
        "第二十三条第三款",
        15,
        DayKind.CALENDAR,
        EventType.SIGNED_FOR,
        "对转送、交办的信访事项，属于本机关、单位职权范围的，应当自收到之日起15日内书面告知信访人接收情况以及处理途径和程序。"
        "本系统以签收为收到。",
    ),
    DeadlineRule(
        MISROUTE_OBJECTION,
        "异议退回期限",
        "第二十三条第三款",
        5,
        DayKind.WORKING,
        EventType.SIGNED_FOR,
        "不属于本机关、单位职权范围的，应当自收到之日起5个工作日内提出异议并详细说明理由，经信访部门核实同意后交还材料。",
    ),
    DeadlineRule(
        HANDLING,
        "办理期限",
        "第三十二条",
        60,
        DayKind.CALENDAR,
        EventType.ACCEPTED,
        "信访事项应当自受理之日起60日内办结。",
    ),
    DeadlineRule(
        EXTENSION,
        "延长办理期限",
        "第三十二条",
        30,
        DayKind.CALENDAR,
        EventType.EXTENSION_APPROVED,
        "情况复杂的，经本机关、单位负责人批准，可以适当延长办理期限，但延长期限不得超过30日，并告知信访人延期理由；只能延长一次。"
        "延长的天数从原办理期限届满之日次日起算。",
    ),
    DeadlineRule(
        REVIEW_REQUEST,
        "申请复查期限",
        "第三十五条",
        30,
        DayKind.CALENDAR,
        EventType.REPLIED,
        "信访人对处理意见不服的，可以自收到书面答复之日起30日内请求原办理机关、单位的上一级机关、单位复查。"
        "本系统以出具处理意见书之日为收到之日。",
    ),
    DeadlineRule(
        REVIEW_DECISION,
        "复查办理期限",
        "第三十五条",
        30,
        DayKind.CALENDAR,
        EventType.REVIEW_REQUESTED,
        "收到复查请求的机关、单位应当自收到复查请求之日起30日内提出复查意见，并予以书面答复。",
    ),
    DeadlineRule(
        RE_REVIEW_REQUEST,
        "申请复核期限",
        "第三十六条",
        30,
        DayKind.CALENDAR,
        EventType.REVIEW_DECIDED,
        "信访人对复查意见不服的，可以自收到书面答复之日起30日内向复查机关、单位的上一级机关、单位请求复核。",
    ),
    DeadlineRule(
        RE_REVIEW_DECISION,
        "复核办理期限",
        "第三十六条",
        30,
        DayKind.CALENDAR,
        EventType.RE_REVIEW_REQUESTED,
        "收到复核请求的机关、单位应当自收到复核请求之日起30日内提出复核意见；听证所需时间不计算在内。"
        "复核终结后，以同一事实和理由提出的投诉请求不再受理。",
    ),
)
