"""Synthetic personal names and nations for the demo data of 伊金霍洛旗 (Han, Mongolian and other names)."""

from __future__ import annotations

import random
from itertools import accumulate

from efangtong_core.vocabulary import Sex


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Han surnames with rough weights for the Ordos area (王 李 张 刘 dominate; 郝 乔 贾 白 苏 奇 are locally common).
_SURNAMES_TEXT = (
    "王90 李80 张75 刘70 杨40 高38 郝30 白28 贾24 韩22 赵22 陈20 郭20 苏18 乔16 武16 马16 田14 任12 薛10 "
    "吕10 闫10 孙10 周10 徐9 胡9 朱8 杜8 康8 奇8 邬7 折6 霍6 崔6 梁6 宋6 冯6 曹5 魏5 尚5 温5 邢4 常4 秦4 牛4 訾3 "
    "呼3 云3 鲍3 包3 段3 袁3 石3 史3 侯3 方2 "
)
_SURNAMES: tuple[tuple[str, int], ...] = tuple((item[0], int(item[1:])) for item in _SURNAMES_TEXT.split())
_SURNAME_VALUES = tuple(name for name, _ in _SURNAMES)
_SURNAME_CUMULATIVE = tuple(accumulate(weight for _, weight in _SURNAMES))

_MALE_CHARS = "建国军伟强明志勇峰刚涛斌鹏飞俊杰磊超文华东海平生林春宝成利忠贵福荣亮兵永胜宏彬世龙凯旭"
_FEMALE_CHARS = "秀英丽娟芳霞燕敏静玲桂兰梅红艳萍慧婷琴云凤玉珍莉娜雪洁婷芬翠月霞荣英华瑞欣悦"
_MALE_DOUBLE = _words("建军 志强 海军 永红 二虎 三小 俊峰 国平 文斌 占海 福贵 玉明 宏伟 利军")
_FEMALE_DOUBLE = _words("秀英 桂兰 春梅 海燕 丽娜 玉珍 凤英 翠莲 雪梅 彩霞 美玲 晓燕 润梅")

# Mongolian given names in their usual Chinese transliteration, often used alone (without a surname).
_MONGOLIAN_MALE = _words(
    "巴特尔 乌力吉 额尔敦 巴雅尔 苏和 阿拉坦 宝音 朝鲁 孟克 那顺 达来 呼和 布和 哈斯 吉日嘎拉 额尔德木图 满都拉 "
    "巴图 毕力格 特木尔 图门 格日勒图 吉雅图 敖其尔 巴音 乌日图 阿古拉 白音仓 那木吉拉 斯日古楞 苏布道 巴图孟和 "
    "额尔德尼 胡日查 "
)
_MONGOLIAN_FEMALE = _words(
    "其木格 斯琴 乌云 萨仁 图雅 娜仁 其其格 高娃 斯琴高娃 乌日娜 敖登 托娅 萨日娜 塔娜 格日乐 乌兰 阿茹娜 "
    "苏日娜 阿拉坦其其格 娜仁花 萨如拉 乌云格日勒 通拉嘎 哈斯其木格 琪琪格 额尔敦其其格 宝力尔 其格其 "
)
_MONGOLIAN_SURNAMES = ("奇", "包", "鲍", "白", "韩", "王", "云", "宝", "哈")

# GB 3304 nation codes and names with weights roughly like the banner's population (蒙古族 about 15%).
NATIONS: tuple[tuple[str, str, int], ...] = (
    ("01", "汉族", 8060),
    ("02", "蒙古族", 1500),
    ("03", "回族", 150),
    ("11", "满族", 150),
    ("31", "达斡尔族", 30),
    ("10", "朝鲜族", 20),
    ("45", "鄂温克族", 20),
    ("15", "土家族", 20),
    ("04", "藏族", 10),
    ("06", "苗族", 10),
    ("08", "壮族", 10),
    ("05", "维吾尔族", 5),
    ("07", "彝族", 5),
    ("52", "鄂伦春族", 5),
    ("38", "锡伯族", 5),
)
_NATION_CUMULATIVE = tuple(accumulate(weight for _, _, weight in NATIONS))
MONGOLIAN = "02"


def pick_nation(rng: random.Random) -> tuple[str, str]:
    """A (GB 3304 code, name) pair drawn with the area's proportions."""
    code, name, _ = rng.choices(NATIONS, cum_weights=_NATION_CUMULATIVE)[0]
    return code, name


def han_name(rng: random.Random, sex: Sex) -> str:
    """A Han-style name: a weighted surname and a one- or two-character given name."""
    surname = rng.choices(_SURNAME_VALUES, cum_weights=_SURNAME_CUMULATIVE)[0]
    female = sex is Sex.FEMALE
    roll = rng.random()
    if roll < 0.2:
        given = rng.choice(_FEMALE_DOUBLE if female else _MALE_DOUBLE)
    elif roll < 0.45:
        given = rng.choice(_FEMALE_CHARS if female else _MALE_CHARS)
    else:
        chars = _FEMALE_CHARS if female else _MALE_CHARS
        given = rng.choice(chars) + rng.choice(chars)
    return surname + given


def mongolian_name(rng: random.Random, sex: Sex) -> str:
    """A Mongolian name: usually the transliterated given name alone, sometimes with a Chinese surname."""
    given = rng.choice(_MONGOLIAN_FEMALE if sex is Sex.FEMALE else _MONGOLIAN_MALE)
    roll = rng.random()
    if roll < 0.6:
        return given
    if roll < 0.85:
        return rng.choice(_MONGOLIAN_SURNAMES) + given
    return han_name(rng, sex)  # many Mongolian families in Ordos use Han-style names


def person_name(rng: random.Random, sex: Sex, nation_code: str) -> str:
    """A plausible name for a person of the given sex and nation."""
    if nation_code == MONGOLIAN:
        return mongolian_name(rng, sex)
    return han_name(rng, sex)


def pick_sex(rng: random.Random) -> Sex:
    """Male or female, with petitioners slightly more often male."""
    return Sex.MALE if rng.random() < 0.58 else Sex.FEMALE
