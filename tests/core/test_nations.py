"""GB/T 3304 nation codes and names."""

from __future__ import annotations

import pytest

from efangtong_core.nations import NATIONS, nation_code, nation_name


def test_nation_codes() -> None:
    assert len([code for code in NATIONS if int(code) <= 56]) == 56
    assert nation_name("01") == "汉族"
    assert nation_name("02") == nation_name(2) == nation_name("2") == "蒙古族"
    assert nation_name("56") == "基诺族"
    assert nation_name("97") == "其他"
    assert nation_name("98") == "外国血统中国籍人士"
    assert nation_code("蒙古") == nation_code("蒙古族") == "02"
    assert nation_code("毛难族") == "36"
    for code, name in NATIONS.items():
        assert nation_code(name) == code


@pytest.mark.parametrize("code", ["00", "57", "96", "99", "ab", "", "001"])
def test_unknown_nation_code(code: str) -> None:
    with pytest.raises(ValueError, match="未知的民族代码"):
        nation_name(code)


def test_unknown_nation_name() -> None:
    with pytest.raises(ValueError, match="未知的民族名称"):
        nation_code("火星族")
