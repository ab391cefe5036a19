"""Plausible Chinese petition texts and replies for the demo data, assembled from templates per content category.

A `Matter` is what a person petitions about: a category, a fact template and its filled-in details (place, amount,
enterprise...). A repeat petition about the same matter reuses the matter, so its text reads like the first one with
a different opening, a reference to the earlier petition and a different closing: similar but not identical, the way
repeat petitions are. Everything is drawn from the `random.Random` passed in, so it is deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache

from efangtong_core.demo.places import COMPOUNDS, ENTERPRISES, STREETS
from efangtong_core.demo.texts_data_a import TEMPLATES_A
from efangtong_core.demo.texts_data_b import TEMPLATES_B
from efangtong_core.vocabulary import PetitionPurpose, ReplyOutcome, Satisfaction

_GRASSLAND_CATEGORIES = frozenset({"0302", "0307", "0402", "0407", "0506"})


@cache
def _templates() -> dict[str, tuple[tuple[str, str], ...]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for line in (TEMPLATES_A + TEMPLATES_B).splitlines():
        if not line.strip():
            continue
        code, summary, facts = line.split("|")
        table.setdefault(code, []).append((summary, facts))
    return {code: tuple(entries) for code, entries in table.items()}


def categories_with_templates() -> frozenset[str]:
    """The second-level category codes that have text templates."""
    return frozenset(_templates())


@dataclass(frozen=True, slots=True)
class Matter:
    """What a person petitions about: category, fact template and the filled-in details, fixed across repeats."""

    category_code: str
    town_name: str
    village: str
    summary: str
    facts: str


def _money(rng: random.Random, low: float, high: float) -> str:
    """An amount of yuan, log-uniform between 10**low and 10**high, written the way people write it."""
    value = int(10 ** rng.uniform(low, high))
    if value < 10_000:
        return f"{value // 100 * 100 or value}元"
    if value < 1_000_000:
        return f"{value / 10_000:.1f}万元".replace(".0万", "万")
    return f"{value / 10_000:.0f}万元"


def _village_root(village: str) -> str:
    for suffix in ("社区", "嘎查", "村"):
        if village.endswith(suffix):
            return village[: -len(suffix)]
    return village


def new_matter(rng: random.Random, category_code: str, town_name: str, village: str, when: date) -> Matter:
    """A new matter of the category in the given town and village, first raised around `when`."""
    summary_template, facts_template = rng.choice(_templates()[category_code])
    grassland = category_code in _GRASSLAND_CATEGORIES
    slots = {
        "town": town_name,
        "village": village,
        "company": rng.choice(ENTERPRISES),
        "mine": _village_root(village) + rng.choice(("煤矿", "露天煤矿", "二号井")),
        "amount": _money(rng, 3.5, 5.5),  # wages, fees owed, losses: a few thousand to a few hundred thousand
        "big": _money(rng, 5.3, 6.9),  # compensation, project money, collective assets
        "fee": _money(rng, 2.0, 3.9),  # a fee, a fine, a price
        "sqm": f"{rng.randint(8, 160)}平方米",
        "months": str(rng.randint(2, 30)),
        "years": str(rng.randint(2, 12)),
        "area": f"{rng.randint(100, 3000) if grassland else rng.randint(2, 200)}亩",
        "count": str(rng.randint(3, 60)),
        "compound": rng.choice(COMPOUNDS),
        "road": rng.choice(STREETS),
        "year": str(when.year - rng.randint(0, 6)),
        "school": rng.choice(
            (f"{town_name}中心小学", "伊金霍洛旗第一中学", "伊金霍洛旗第二小学", "伊金霍洛旗蒙古族学校")
        ),
        "hospital": rng.choice(
            ("伊金霍洛旗人民医院", "伊金霍洛旗蒙医医院", f"{town_name}卫生院", "伊金霍洛旗中医医院")
        ),
        "person": rng.choice("王李张刘杨高郝白贾韩") + "某",
    }
    return Matter(
        category_code=category_code,
        town_name=town_name,
        village=village,
        summary=summary_template.format_map(slots),
        facts=facts_template.format_map(slots),
    )


_OPENINGS_PERSON = (
    "本人系{town}{village}居民。",
    "我家住{town}{village}。",
    "我是{town}{village}的群众，现反映如下问题：",
)
_OPENINGS_GROUP = (
    "我们是{town}{village}的{n}名群众，现推选代表反映如下问题：",
    "我们{n}人均系{town}{village}居民，联名反映：",
    "{town}{village}群众{n}人集体反映：",
)
_REPEAT_PREFIXES = (
    "此事我已于{y}年{m}月反映过，",
    "关于此事，我{y}年{m}月曾到信访部门反映，",
    "{y}年{m}月我已就此问题信访，",
    "我再次反映此前（{y}年{m}月）反映过的问题，",
)
_REPEAT_SUFFIXES = ("至今仍未解决。", "但处理结果没有落实。", "有关部门答复后一直没有下文。", "对处理结果我不满意。")
_CLOSINGS: dict[PetitionPurpose, tuple[str, ...]] = {
    PetitionPurpose.REQUEST: (
        "请求有关部门尽快协调解决。",
        "恳请领导重视，督促相关单位依法依规处理。",
        "希望政府帮助解决实际困难。",
    ),
    PetitionPurpose.APPEAL: ("对此前的处理结果不服，请求重新调查核实。", "认为原处理认定事实不清，请求依法予以纠正。"),
    PetitionPurpose.ACCUSATION: ("请求有关部门调查核实，依法依规严肃处理。", "以上情况属实，请求查处相关责任人。"),
    PetitionPurpose.SUGGESTION: (
        "建议有关部门加强监管，完善相关制度。",
        "希望相关部门重视此类问题，从源头上加以解决。",
    ),
    PetitionPurpose.CONSULTATION: (
        "想咨询此类问题应找哪个部门、依据什么政策处理。",
        "请问相关政策是如何规定的？请予答复。",
    ),
    PetitionPurpose.OTHER: ("特此反映，请予关注。", "望有关部门了解情况。"),
}
_EXTRA_CLOSINGS = ("", "", "望早日答复。", "盼复。", "恳请尽快处理，谢谢！")


def petition_text(
    rng: random.Random,
    matter: Matter,
    *,
    purpose: PetitionPurpose,
    head_count: int = 1,
    earlier: date | None = None,
) -> str:
    """The content text of a petition about `matter`; `earlier` is the date of the previous petition, if a repeat."""
    place = {"town": matter.town_name, "village": matter.village, "n": str(head_count)}
    parts = [rng.choice(_OPENINGS_GROUP if head_count > 1 else _OPENINGS_PERSON).format_map(place)]
    if earlier is not None:
        repeat = rng.choice(_REPEAT_PREFIXES).format(y=earlier.year, m=earlier.month) + rng.choice(_REPEAT_SUFFIXES)
        parts.append(repeat.replace("我", "我们") if head_count > 1 else repeat)
    parts.append(matter.facts)
    parts.append(rng.choice(_CLOSINGS[purpose]))
    parts.append(rng.choice(_EXTRA_CLOSINGS))
    return "".join(parts)


_LAWS = {
    "01": "《国有土地上房屋征收与补偿条例》",
    "02": "《保障农民工工资支付条例》和《中华人民共和国劳动合同法》",
    "03": "《中华人民共和国农村土地承包法》和《中华人民共和国草原法》",
    "04": "《中华人民共和国土地管理法》和《中华人民共和国矿产资源法》",
    "05": "《中华人民共和国环境保护法》",
    "06": "《中华人民共和国公路法》",
    "07": "《中华人民共和国义务教育法》",
    "08": "《医疗纠纷预防和处理条例》",
    "09": "《社会救助暂行办法》",
    "10": "《信访工作条例》和《中华人民共和国民事诉讼法》",
    "11": "《中国共产党纪律处分条例》",
    "12": "《中华人民共和国公务员法》",
    "13": "《中华人民共和国消费者权益保护法》",
    "14": "《中华人民共和国企业国有资产法》",
    "15": "《信访工作条例》",
}
_SUPPORT_ACTIONS = (
    "已责成相关单位限期整改，并将整改结果书面告知您。",
    "已督促责任单位在三十日内落实到位。",
    "相关款项已核定，将于近期发放到位。",
    "已约谈相关负责人，明确了解决时限和具体措施。",
    "已将问题纳入专项整治，由专人跟踪督办。",
)
_EXPLANATIONS = (
    "相关事项已按政策规定办理，现将有关政策规定向您解释说明。",
    "您反映的情况部分属实，但相关待遇已按标准核定，工作人员已当面向您解释说明。",
    "该事项涉及历史遗留问题，现行政策暂无调整依据，已向您详细说明政策规定和办理途径。",
)
_REJECTIONS = (
    "经调查核实，您反映的问题与事实不符。",
    "您的诉求超出现行政策规定的范围，缺乏相应依据。",
    "该事项已按规定处理完毕，您提出的新要求没有法律和政策依据。",
)


def _subject(summary: str) -> str:
    for prefix in ("反映", "举报", "咨询", "对"):
        if summary.startswith(prefix):
            return summary[len(prefix) :]
    return summary


def reply_text(rng: random.Random, matter: Matter, *, outcome: ReplyOutcome, unit_name: str, appeal_to: str) -> str:
    """The written reply (处理意见书) of `unit_name` on `matter`; `appeal_to` is where a 复查 request goes."""
    law = _LAWS[matter.category_code[:2]]
    head = f"您反映的{_subject(matter.summary)}收悉。经{unit_name}调查核实，"
    if outcome is ReplyOutcome.SUPPORTED:
        body = f"您反映的问题基本属实，依据{law}的有关规定，对您的诉求予以支持。{rng.choice(_SUPPORT_ACTIONS)}"
    elif outcome is ReplyOutcome.EXPLAINED:
        body = f"{rng.choice(_EXPLANATIONS)}依据{law}的有关规定，相关事项以现行政策为准。"
    else:
        body = f"{rng.choice(_REJECTIONS)}依据{law}的有关规定，对您的诉求不予支持。"
    tail = f"如对本处理意见不服，可自收到本意见书之日起30日内向{appeal_to}申请复查。"
    return head + body + tail


_NOTES = (
    "已到{village}实地核查，走访当事人及周边群众。",
    "已约谈相关责任人，要求说明情况并限期整改。",
    "已调阅相关档案和合同资料，正在逐项核实。",
    "已召开协调会，组织双方当面协商。",
    "已联系信访人了解诉求，并告知办理进度。",
    "已会同{town}人民政府开展联合调查。",
)


def handling_note(rng: random.Random, matter: Matter) -> str:
    """A short handling note (办理情况) a handler records while working on the matter."""
    return rng.choice(_NOTES).format(village=matter.village, town=matter.town_name)


def extension_reason(rng: random.Random) -> str:
    """A reason given when asking to extend the handling deadline."""
    return rng.choice(
        (
            "案情复杂，涉及多个部门，需进一步调查核实。",
            "需委托第三方开展评估鉴定，无法在期限内办结。",
            "当事人长期在外务工，需补充调查取证。",
            "涉及历史遗留问题，需调取多年档案资料。",
        )
    )


def not_accepted_reason(rng: random.Random) -> str:
    """A reason for not accepting (不予受理) a petition."""
    return rng.choice(
        (
            "该事项已进入诉讼程序，应通过法律途径解决，依法不予受理。",
            "该事项已由有关机关依法处理，信访人未提出新的事实和理由。",
            "该事项属于仲裁范围，已告知信访人申请劳动人事争议仲裁。",
        )
    )


def misroute_reason(rng: random.Random) -> str:
    """A reason a unit gives when returning a misrouted matter (不属本单位职责)."""
    return rng.choice(
        (
            "该事项不属于本单位职责范围，建议转有关主管部门办理。",
            "事发地不在本辖区，请转属地政府办理。",
            "该事项涉及企业经营，应由行业主管部门办理。",
        )
    )


def evaluation_comment(rng: random.Random, satisfaction: Satisfaction) -> str:
    """A petitioner's short comment when evaluating a reply."""
    options = {
        Satisfaction.SATISFIED: ("问题已解决，感谢政府。", "办理及时，态度很好。", "满意。"),
        Satisfaction.BASICALLY_SATISFIED: ("基本解决了，希望后续落实到位。", "答复比较清楚，但办理时间较长。", ""),
        Satisfaction.DISSATISFIED: ("问题没有实际解决。", "答复敷衍，没有到现场调查。", "对处理结果不认可。"),
    }[satisfaction]
    return rng.choice(options)
