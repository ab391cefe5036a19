"""Pinyin initials of the characters the demo names use (so that demo rows carry `name_initials` without a dependency).

Generated once with pypinyin 0.55 from the character pools of `names.py`; surnames read as surnames (折 shé, 查 zhā).
"""

from __future__ import annotations

_TABLE = (
    "a敖阿 "
    "b伯兵包宝巴布彬斌毕白鲍 "
    "c仓崔常彩成春曹朝翠藏超陈 "
    "d东德敦杜段登达道都 "
    "e二尔鄂额 "
    "f冯凤峰方福芬芳飞 "
    "g刚古嘎国格桂贵郭高 "
    "h侯华呼和哈回宏慧汉海红胡花虎郝霍韩 "
    "j俊军吉娟家建杰洁贾金静 "
    "k克凯康 "
    "l丽亮伦兰刘利力勒吕拉李来林梁楞洛玲磊莉莲鲁龙 "
    "m孟敏明木梅满美苗蒙门马 "
    "n娜尼牛那 "
    "p平萍鹏 "
    "q乔其奇强旗琪琴秦 "
    "r仁任如日润瑞茹荣 "
    "s三世史孙宋尚折斯生石胜苏萨顺 "
    "t图土坦塔婷托涛特田通 "
    "w乌伟吾娃文斡武温王维邬魏 "
    "x小徐旭晓欣秀薛邢锡雪霞鲜 "
    "y乐云伊勇娅彝悦月杨永燕玉艳英袁闫雅音 "
    "z占周壮张志忠族朱查珍訾赵 "
)
_INITIALS: dict[str, str] = {char: group[0] for group in _TABLE.split() for char in group[1:]}


def name_initials(name: str) -> str:
    """The lower-case pinyin initials of a demo name, e.g. 巴特尔 → btr; characters outside the table are skipped."""
    return "".join(_INITIALS.get(char, "") for char in name)
