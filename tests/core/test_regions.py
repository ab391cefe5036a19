"""The shipped GB/T 2260 table and full region names, checked against an independently written list."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from efangtong_core.regions import is_known_code, province_name, region_name, region_table

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip

INNER_MONGOLIA_PREFECTURES = {
    "150100": "呼和浩特市", "150200": "包头市", "150300": "乌海市", "150400": "赤峰市",
    "150500": "通辽市", "150600": "鄂尔多斯市", "150700": "呼伦贝尔市", "150800": "巴彦淖尔市",
    "150900": "乌兰察布市", "152200": "兴安盟", "152500": "锡林郭勒盟", "152900": "阿拉善盟",
}  # fmt: skip

# All 103 county-level divisions of 内蒙古 (2020), written out by hand from the civil-affairs list.
INNER_MONGOLIA_COUNTIES = """
150102 新城区 150103 回民区 150104 玉泉区 150105 赛罕区 150121 土默特左旗 150122 托克托县 150123 和林格尔县
150124 清水河县 150125 武川县 150202 东河区 150203 昆都仑区 150204 青山区 150205 石拐区 150206 白云鄂博矿区
150207 九原区 150221 土默特右旗 150222 固阳县 150223 达尔罕茂明安联合旗 150302 海勃湾区 150303 海南区
150304 乌达区 150402 红山区 150403 元宝山区 150404 松山区 150421 阿鲁科尔沁旗 150422 巴林左旗 150423 巴林右旗
150424 林西县 150425 克什克腾旗 150426 翁牛特旗 150428 喀喇沁旗 150429 宁城县 150430 敖汉旗 150502 科尔沁区
150521 科尔沁左翼中旗 150522 科尔沁左翼后旗 150523 开鲁县 150524 库伦旗 150525 奈曼旗 150526 扎鲁特旗
150581 霍林郭勒市 150602 东胜区 150603 康巴什区 150621 达拉特旗 150622 准格尔旗 150623 鄂托克前旗 150624 鄂托克旗
150625 杭锦旗 150626 乌审旗 150627 伊金霍洛旗 150702 海拉尔区 150703 扎赉诺尔区 150721 阿荣旗
150722 莫力达瓦达斡尔族自治旗 150723 鄂伦春自治旗 150724 鄂温克族自治旗 150725 陈巴尔虎旗 150726 新巴尔虎左旗
150727 新巴尔虎右旗 150781 满洲里市 150782 牙克石市 150783 扎兰屯市 150784 额尔古纳市 150785 根河市 150802 临河区
150821 五原县 150822 磴口县 150823 乌拉特前旗 150824 乌拉特中旗 150825 乌拉特后旗 150826 杭锦后旗 150902 集宁区
150921 卓资县 150922 化德县 150923 商都县 150924 兴和县 150925 凉城县 150926 察哈尔右翼前旗 150927 察哈尔右翼中旗
150928 察哈尔右翼后旗 150929 四子王旗 150981 丰镇市 152201 乌兰浩特市 152202 阿尔山市 152221 科尔沁右翼前旗
152222 科尔沁右翼中旗 152223 扎赉特旗 152224 突泉县 152501 二连浩特市 152502 锡林浩特市 152522 阿巴嘎旗
152523 苏尼特左旗 152524 苏尼特右旗 152525 东乌珠穆沁旗 152526 西乌珠穆沁旗 152527 太仆寺旗 152528 镶黄旗
152529 正镶白旗 152530 正蓝旗 152531 多伦县 152921 阿拉善左旗 152922 阿拉善右旗 152923 额济纳旗
"""

# 伊克昭盟 before it became 鄂尔多斯市 in 2001: older ID numbers still carry these codes.
IKH_JUU_LEAGUE = {
    "152701": "东胜市", "152722": "达拉特旗", "152723": "准格尔旗", "152724": "鄂托克前旗",
    "152725": "鄂托克旗", "152726": "杭锦旗", "152727": "乌审旗", "152728": "伊金霍洛旗",
}  # fmt: skip


def _counties() -> dict[str, str]:
    words = INNER_MONGOLIA_COUNTIES.split()
    return dict(zip(words[::2], words[1::2], strict=True))


def test_file_has_a_source_header_and_well_formed_unique_sorted_rows() -> None:
    text = resources.files("efangtong_core").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# GB/T 2260")
    assert any("Source" in line for line in lines if line.startswith("#"))
    rows = [line for line in lines if line and not line.startswith("#")]
    codes = []
    for row in rows:
        assert re.fullmatch(r"\d{6}\t[^\t\s]+", row), row
        codes.append(row[:6])
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes)) == len(region_table())
    assert len(codes) > 3000  # the whole country, not only Inner Mongolia


@pytest.mark.parametrize(("prefix", "name"), sorted(PROVINCES.items()))
def test_every_province_level_division(prefix: str, name: str) -> None:
    assert region_table()[prefix + "0000"] == name
    assert province_name(prefix) == name
    assert region_name(prefix + "0000") == name


def test_inner_mongolia_prefectures() -> None:
    for code, name in INNER_MONGOLIA_PREFECTURES.items():
        assert region_table()[code] == name
        assert region_name(code) == "内蒙古自治区" + name


def test_all_103_inner_mongolia_counties_with_their_full_names() -> None:
    counties = _counties()
    assert len(counties) == 103
    for code, name in counties.items():
        assert region_table()[code] == name, code
        prefecture = INNER_MONGOLIA_PREFECTURES[code[:4] + "00"]
        assert region_name(code) == f"内蒙古自治区{prefecture}{name}"


def test_current_inner_mongolia_codes_in_the_table_are_exactly_the_known_ones() -> None:
    # Every current-style (1501xx-1509xx) county code in the table is in the hand-written list, or is a
    # 市辖区/市区 grouping row, or a development zone (xx7x) that GB/T 2260 lists for statistics only.
    counties = _counties()
    for code, name in region_table().items():
        if code.startswith("150") and code[4:] != "00" and code not in counties:
            assert name in ("市辖区", "市区") or code[4] == "7", (code, name)


def test_home_county_and_its_pre_2001_code() -> None:
    assert region_name("150627") == "内蒙古自治区鄂尔多斯市伊金霍洛旗"
    assert region_name("152728") == "内蒙古自治区伊克昭盟伊金霍洛旗"
    for code, name in IKH_JUU_LEAGUE.items():
        assert region_name(code) == "内蒙古自治区伊克昭盟" + name


def test_historical_leagues_of_inner_mongolia() -> None:
    assert region_table()["152700"] == "伊克昭盟"
    assert region_table()["152300"] == "哲里木盟"
    assert region_table()["152800"] == "巴彦淖尔盟"
    assert region_name("152101") == "内蒙古自治区呼伦贝尔盟海拉尔市"


def test_grouping_rows_are_left_out_of_full_names() -> None:
    assert region_name("110101") == "北京市东城区"  # 110100 is 市辖区
    assert region_name("150101") == "内蒙古自治区呼和浩特市"  # the county-level row itself is 市辖区
    assert region_name("429004") == "湖北省仙桃市"  # 429000 is 省直辖县级行政单位


def test_unknown_code_in_a_known_province_gets_the_deepest_known_level() -> None:
    assert not is_known_code("150699")
    assert region_name("150699") == "内蒙古自治区鄂尔多斯市"
    assert region_name("159999") == "内蒙古自治区"


@pytest.mark.parametrize("code", ["990000", "000000", "960627", "15062", "1506270", "15O627", "", "１５０６２７"])
def test_unknown_province_or_malformed_code_has_no_name(code: str) -> None:
    assert region_name(code) is None


def test_residence_permit_region_codes_are_known() -> None:
    assert region_name("810000") == "香港特别行政区"
    assert region_name("820000") == "澳门特别行政区"
    assert region_name("830000") is not None and "台湾" in (region_name("830000") or "")
