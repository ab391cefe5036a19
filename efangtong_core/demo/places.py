"""Places and units of 伊金霍洛旗 for the demo data: towns, 嘎查/村/社区, streets, development zones, departments.

Town names and codes come from `efangtong_core.vocabulary.TOWNS`. Village, community, street and enterprise names are
plausible for the area but synthetic; the demo data must never be mistaken for real cases.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from efangtong_core.vocabulary import COUNTY_CODE, COUNTY_NAME, TOWNS


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COUNTY_PREFIX = f"内蒙古自治区鄂尔多斯市{COUNTY_NAME}"

# 嘎查 (pastoral villages), 村 and 社区 per town code; the seat 阿勒腾席热镇 is mostly urban communities.
VILLAGES: dict[str, tuple[str, ...]] = {
    "150627100": _words(
        "天骄社区 文明社区 团结社区 民族社区 乌兰社区 西苑社区 东城社区 王府社区 苏泊罕社区 布拉格社区 "
        "哈巴格希村 掌岗图村 呼和陶勒盖村"
    ),
    "150627101": _words("门克庆嘎查 新庙村 台格嘎查 查干补力格嘎查 公尼召村 新街社区 松定霍洛嘎查 毛盖图村"),
    "150627102": _words("乌兰木伦社区 上湾社区 马家塔村 哈拉沟村 布尔台村 石圪台村 巴图塔村 昌汉沟村"),
    "150627103": _words("纳林陶亥社区 西营子村 巴润哈岱村 柳沟村 敏盖村 海子塔村 新庙嘎查 忽吉图村"),
    "150627104": _words("苏布尔嘎社区 巴嘎淖尔嘎查 沙日塔拉嘎查 木肯淖尔村 特格日图嘎查 巴音敖包嘎查 哈达图嘎查"),
    "150627105": _words("红庆河社区 巴音柴达木嘎查 查干淖尔嘎查 罕台庙村 塔拉壕村 乌兰不浪嘎查 北金嘎查"),
    "150627106": _words("伊金霍洛社区 巴音昌呼格嘎查 布连嘎查 霍洛嘎查 苏勒德嘎查 巴音孟克嘎查 赛台吉村 伊克敖包嘎查"),
}

# Share of petitions whose matter lies in each town (the seat and the mining towns dominate).
_TOWN_WEIGHTS = (38, 10, 16, 12, 7, 9, 8)
_TOWN_CUMULATIVE = tuple(accumulate(_TOWN_WEIGHTS))

STREETS = _words(
    "天骄路 伊金霍洛大街 苏泊罕大街 乌兰木伦大街 札萨克路 王府路 文化路 迎宾路 鄂尔多斯大街 哈巴格希街 "
    "纳林希里路 准格尔路 神华路 新华街 开发大道 学府路"
)
COMPOUNDS = _words(
    "天骄华府 金泰苑 锦绣花园 阳光新城 汇能小区 金地苑 东方花园 北郊新村 滨河小区 苏泊罕花园 怡景苑 "
    "福佳园 龙泉小区 新城家园 伊泰华府 世纪花园 绿苑小区 安居新村"
)
# Fictitious enterprises used in petition texts (mines, builders, property managers, contractors).
ENTERPRISES = _words(
    "鑫泰煤业有限公司 聚源能源有限公司 宏远建筑工程有限公司 恒达物业服务有限公司 金辉房地产开发有限公司 "
    "天成矿业有限责任公司 锦程运输有限公司 华瑞建设集团有限公司 兴盛劳务有限公司 蒙源煤炭有限公司 "
    "祥和物业管理有限公司 远通物流有限公司 利民洗煤厂 众鑫商贸有限公司 万达兴工贸有限公司"
)

ZONES: tuple[tuple[str, str], ...] = (
    ("150627Z01", "伊金霍洛经济开发区"),
    ("150627Z02", "蒙苏经济开发区"),
    ("150627Z03", "鄂尔多斯空港物流园区"),
)


@dataclass(frozen=True, slots=True)
class Department:
    """A banner government department that handles petition matters."""

    code: str
    name: str
    short_name: str


_DEPARTMENT_TEXT = """
D01 伊金霍洛旗住房和城乡建设局 住建局
D02 伊金霍洛旗人力资源和社会保障局 人社局
D03 伊金霍洛旗自然资源局 自然资源局
D04 伊金霍洛旗农牧局 农牧局
D05 鄂尔多斯市生态环境局伊金霍洛旗分局 生态环境分局
D06 伊金霍洛旗公安局 公安局
D07 伊金霍洛旗教育体育局 教体局
D08 伊金霍洛旗卫生健康委员会 卫健委
D09 伊金霍洛旗民政局 民政局
D10 伊金霍洛旗能源局 能源局
D11 伊金霍洛旗交通运输局 交通运输局
D12 伊金霍洛旗市场监督管理局 市场监管局
D13 伊金霍洛旗水利局 水利局
D14 伊金霍洛旗退役军人事务局 退役军人事务局
D15 伊金霍洛旗司法局 司法局
D16 伊金霍洛旗人民法院 法院
D17 中共伊金霍洛旗纪律检查委员会 旗纪委监委
D18 中共伊金霍洛旗委员会组织部 组织部
D19 伊金霍洛旗林业和草原局 林草局
D20 伊金霍洛旗城市管理综合执法局 城管执法局
D21 伊金霍洛旗医疗保障局 医保局
D22 伊金霍洛旗文化和旅游局 文旅局
D23 伊金霍洛旗财政局 财政局
D24 伊金霍洛旗工业和信息化局 工信局
"""
DEPARTMENTS: tuple[Department, ...] = tuple(
    Department(f"{COUNTY_CODE}{code}", name, short)
    for code, name, short in (line.split() for line in _DEPARTMENT_TEXT.strip().splitlines())
)
_BY_SHORT_CODE = {department.code[len(COUNTY_CODE) :]: department for department in DEPARTMENTS}

# Which departments handle a content category: by second-level code where it differs from its first level.
_CATEGORY_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "01": ("D01",), "0105": ("D20",), "0107": ("D20", "D01"),
    "02": ("D02",), "0207": ("D21",),
    "03": ("D04",), "0302": ("D19", "D04"), "0303": ("D03",), "0307": ("D19",), "0308": ("D13",),
    "04": ("D03",), "0401": ("D10", "D03"), "0402": ("D10", "D03"), "0403": ("D10", "D01"),
    "05": ("D05",), "0505": ("D05", "D10"),
    "06": ("D11",), "0603": ("D11", "D06"),
    "07": ("D07",),
    "08": ("D08",), "0802": ("D21", "D08"),
    "09": ("D09",), "0906": ("D09",),
    "10": ("D06",), "1001": ("D16", "D15"), "1003": ("D15",), "1005": ("D15",),
    "11": ("D17",),
    "12": ("D18",), "1202": ("D02", "D23"), "1203": ("D02",), "1205": ("D14",),
    "13": ("D12",), "1303": ("D22",), "1305": ("D23", "D06"),
    "14": ("D24", "D23"), "1402": ("D02", "D24"),
    "15": ("D09",), "1501": ("D18",), "1503": ("D22",),
}  # fmt: skip


def departments_for_category(category_code: str) -> tuple[Department, ...]:
    """The departments that usually handle matters of a content category, most likely first."""
    codes = _CATEGORY_DEPARTMENTS.get(category_code) or _CATEGORY_DEPARTMENTS[category_code[:2]]
    return tuple(_BY_SHORT_CODE[code] for code in codes)


def pick_town(rng: random.Random) -> tuple[str, str]:
    """A (town code, town name) pair drawn with the towns' share of petitions."""
    return rng.choices(TOWNS, cum_weights=_TOWN_CUMULATIVE)[0]


def pick_village(rng: random.Random, town_code: str) -> str:
    """A 嘎查, 村 or 社区 of the town."""
    return rng.choice(VILLAGES[town_code])


_ORDINALS = "一二三四五六七八九"


def local_address(rng: random.Random, town_code: str, village: str | None = None) -> str:
    """A full street address in the banner: a flat in a 社区, or a household in a 嘎查/村's 社 or 组."""
    town_name = dict(TOWNS)[town_code]
    village = village or pick_village(rng, town_code)
    prefix = f"{COUNTY_PREFIX}{town_name}{village}"
    if village.endswith("社区"):
        building, unit, floor, flat = rng.randint(1, 32), rng.randint(1, 6), rng.randint(1, 18), rng.randint(1, 4)
        return f"{prefix}{rng.choice(STREETS)}{rng.choice(COMPOUNDS)}{building}号楼{unit}单元{floor}{flat:02d}室"
    group = rng.choice(_ORDINALS) + ("社" if village.endswith("嘎查") else "组")
    return f"{prefix}{group}{rng.randint(1, 120)}号"


# Other places petitioners come from: (GB/T 2260 code, address prefix). Inner Mongolia first, then neighbours.
OTHER_REGIONS: tuple[tuple[str, str, int], ...] = (
    ("150602", "内蒙古自治区鄂尔多斯市东胜区", 30),
    ("150603", "内蒙古自治区鄂尔多斯市康巴什区", 12),
    ("150621", "内蒙古自治区鄂尔多斯市达拉特旗", 12),
    ("150622", "内蒙古自治区鄂尔多斯市准格尔旗", 14),
    ("150626", "内蒙古自治区鄂尔多斯市乌审旗", 10),
    ("150625", "内蒙古自治区鄂尔多斯市杭锦旗", 5),
    ("150624", "内蒙古自治区鄂尔多斯市鄂托克旗", 5),
    ("150623", "内蒙古自治区鄂尔多斯市鄂托克前旗", 3),
    ("150203", "内蒙古自治区包头市昆都仑区", 6),
    ("150102", "内蒙古自治区呼和浩特市新城区", 4),
    ("152921", "内蒙古自治区阿拉善盟阿拉善左旗", 2),
    ("150824", "内蒙古自治区巴彦淖尔市乌拉特中旗", 2),
    ("610802", "陕西省榆林市榆阳区", 10),
    ("610822", "陕西省榆林市府谷县", 8),
    ("610828", "陕西省榆林市佳县", 4),
    ("140602", "山西省朔州市朔城区", 4),
    ("140932", "山西省忻州市偏关县", 3),
    ("640104", "宁夏回族自治区银川市兴庆区", 2),
    ("620102", "甘肃省兰州市城关区", 2),
    ("410102", "河南省郑州市中原区", 2),
    ("130102", "河北省石家庄市长安区", 2),
    ("510104", "四川省成都市锦江区", 2),
)
_OTHER_CUMULATIVE = tuple(accumulate(weight for _, _, weight in OTHER_REGIONS))


def pick_other_region(rng: random.Random) -> tuple[str, str]:
    """A (region code, address prefix) pair for a person born outside the banner."""
    code, prefix, _ = rng.choices(OTHER_REGIONS, cum_weights=_OTHER_CUMULATIVE)[0]
    return code, prefix


def other_address(rng: random.Random, prefix: str) -> str:
    """A plausible address outside the banner under the given prefix."""
    return f"{prefix}{rng.choice('东西南北')}{rng.choice(('关街', '环路', '大街', '新村'))}{rng.randint(1, 300)}号"
