"""GB/T 3304 codes of China's nationalities (民族), as stored on the resident ID card (a 2-digit code)."""

from __future__ import annotations

NATIONS: dict[str, str] = {
    "01": "汉族",
    "02": "蒙古族",
    "03": "回族",
    "04": "藏族",
    "05": "维吾尔族",
    "06": "苗族",
    "07": "彝族",
    "08": "壮族",
    "09": "布依族",
    "10": "朝鲜族",
    "11": "满族",
    "12": "侗族",
    "13": "瑶族",
    "14": "白族",
    "15": "土家族",
    "16": "哈尼族",
    "17": "哈萨克族",
    "18": "傣族",
    "19": "黎族",
    "20": "傈僳族",
    "21": "佤族",
    "22": "畲族",
    "23": "高山族",
    "24": "拉祜族",
    "25": "水族",
    "26": "东乡族",
    "27": "纳西族",
    "28": "景颇族",
    "29": "柯尔克孜族",
    "30": "土族",
    "31": "达斡尔族",
    "32": "仫佬族",
    "33": "羌族",
    "34": "布朗族",
    "35": "撒拉族",
    "36": "毛南族",
    "37": "仡佬族",
    "38": "锡伯族",
    "39": "阿昌族",
    "40": "普米族",
    "41": "塔吉克族",
    "42": "怒族",
    "43": "乌孜别克族",
    "44": "俄罗斯族",
    "45": "鄂温克族",
    "46": "德昂族",
    "47": "保安族",
    "48": "裕固族",
    "49": "京族",
    "50": "塔塔尔族",
    "51": "独龙族",
    "52": "鄂伦春族",
    "53": "赫哲族",
    "54": "门巴族",
    "55": "珞巴族",
    "56": "基诺族",
    "97": "其他",
    "98": "外国血统中国籍人士",
}
"""Code → name. 01–56 are the 56 nationalities; 97 and 98 are the standard's extra categories."""

# Former names that older systems and some reader SDKs still print.
_FORMER_NAMES = {"崩龙族": "46", "毛难族": "36"}


def _normal_code(code: str | int) -> str:
    text = str(code).strip()
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return text.zfill(2)
    return text


def nation_name(code: str | int) -> str:
    """The name for a GB/T 3304 code, e.g. "02" → "蒙古族"; raises ValueError for an unknown code."""
    name = NATIONS.get(_normal_code(code))
    if name is None:
        raise ValueError(f"未知的民族代码：“{code}”（应为01–56、97或98）")
    return name


def nation_code(name: str) -> str:
    """The 2-digit code for a nationality name, with or without the trailing 族 ("蒙古" → "02")."""
    text = name.strip()
    for code, known in NATIONS.items():
        if text in (known, known.removesuffix("族")):
            return code
    if text in _FORMER_NAMES:
        return _FORMER_NAMES[text]
    if text + "族" in _FORMER_NAMES:
        return _FORMER_NAMES[text + "族"]
    raise ValueError(f"未知的民族名称：“{name}”")
