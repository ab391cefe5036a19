"""The card's 256-byte text record: every layout from hand-laid bytes, round trips, and every kind of bad record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from efangtong_core.idcard import (
    LAYOUTS,
    RECORD_LENGTH,
    CardType,
    IdCardRecord,
    InvalidCardRecord,
    build_base_message,
    parse_base_message,
)
from efangtong_core.idnumber import InvalidIdNumber, check_character, check_id_number, make_id_number, parse_id_number
from efangtong_core.vocabulary import Sex

TODAY = date(2024, 6, 1)
HOME_NUMBER = "150627198503071233"  # 1985-03-07, male
J_NUMBER = "810000199208010120"  # 1992-08-01, female


def field(text: str, length: int, pad: str = " ") -> bytes:
    """One field as a card writes it: UCS-2LE, padded to its length."""
    data = text.encode("utf-16-le")
    assert len(data) <= length
    return data + pad.encode("utf-16-le") * ((length - len(data)) // 2)


def resident_bytes(**overrides: str) -> bytes:
    """A resident record laid out by hand from the published offsets (not from the code under test)."""
    values = {
        "name": "巴特尔",
        "sex": "1",
        "nation": "02",
        "birth": "19850307",
        "address": "内蒙古自治区伊金霍洛旗阿勒腾席热镇天骄路1号",
        "number": HOME_NUMBER,
        "authority": "伊金霍洛旗公安局",
        "from": "20150310",
        "to": "20350310",
        "rest": "",
    } | overrides
    raw = (
        field(values["name"], 30)  # 0
        + field(values["sex"], 2)  # 30
        + field(values["nation"], 4)  # 32
        + field(values["birth"], 16)  # 36
        + field(values["address"], 70)  # 52
        + field(values["number"], 36)  # 122
        + field(values["authority"], 30)  # 158
        + field(values["from"], 16)  # 188
        + field(values["to"], 16)  # 204
        + field(values["rest"], 36)  # 220
    )
    assert len(raw) == RECORD_LENGTH
    return raw


def error_of(raw: bytes) -> str:
    with pytest.raises(InvalidCardRecord) as caught:
        parse_base_message(raw, today=TODAY)
    return str(caught.value)


# --- resident card ---------------------------------------------------------------------------------------------


def test_resident_record_from_hand_laid_bytes() -> None:
    record = parse_base_message(resident_bytes(), today=TODAY)
    assert record == IdCardRecord(
        card_type=CardType.RESIDENT,
        name="巴特尔",
        sex=Sex.MALE,
        birth_date=date(1985, 3, 7),
        id_number=HOME_NUMBER,
        valid_from=date(2015, 3, 10),
        valid_to=date(2035, 3, 10),
        nation="蒙古族",
        address="内蒙古自治区伊金霍洛旗阿勒腾席热镇天骄路1号",
        issuing_authority="伊金霍洛旗公安局",
    )
    assert record.english_name is None and record.nationality is None and record.pass_number is None


def test_nul_padding_is_trimmed_too() -> None:
    raw = (
        field("王刚", 30, "\x00")
        + field("1", 2)
        + field("01", 4)
        + field("19900517", 16)
        + field("伊金霍洛旗", 70, "\x00")
        + field("15062719900517121X", 36, "\x00")
        + field("伊金霍洛旗公安局", 30, "\x00")
        + field("20100101", 16)
        + field("长期", 16, "\x00")
        + field("", 36, "\x00")
    )
    record = parse_base_message(raw, today=TODAY)
    assert (record.name, record.address, record.nation, record.sex) == ("王刚", "伊金霍洛旗", "汉族", Sex.MALE)
    assert record.valid_to is None
    assert record.card_type is CardType.RESIDENT


def test_lower_case_check_character_on_the_card_is_normalised() -> None:
    raw = resident_bytes(name="王刚", nation="01", birth="19900517", number="15062719900517121x")
    assert parse_base_message(raw, today=TODAY).id_number == "15062719900517121X"


def test_long_term_validity_and_expiry() -> None:
    record = parse_base_message(resident_bytes(to="长期"), today=TODAY)
    assert record.valid_to is None
    assert not record.is_expired(date(2099, 1, 1))
    dated = parse_base_message(resident_bytes(), today=TODAY)
    assert not dated.is_expired(date(2035, 3, 10))  # valid through its last day
    assert dated.is_expired(date(2035, 3, 11))


# --- 港澳台居民居住证 ------------------------------------------------------------------------------------------


def j_bytes(number: str = J_NUMBER, pass_number: str = "H60123456", count: str = "01", flag: str = "J") -> bytes:
    raw = (
        field("陈美玲", 30)
        + field("2", 2)
        + field("", 4)
        + field("19920801", 16)
        + field("广东省深圳市福田区福华路1号", 70)
        + field(number, 36)
        + field("深圳市公安局", 30)
        + field("20200101", 16)
        + field("20250101", 16)
        + field(pass_number, 18)  # 220
        + field(count, 4)  # 238
        + field("", 6)  # 242
        + field(flag, 2)  # 248
        + field("", 6)  # 250
    )
    assert len(raw) == RECORD_LENGTH
    return raw


def test_hk_mo_tw_residence_permit_from_hand_laid_bytes() -> None:
    record = parse_base_message(j_bytes(), today=TODAY)
    assert record.card_type is CardType.HK_MO_TW_RESIDENCE
    assert (record.name, record.sex, record.birth_date) == ("陈美玲", Sex.FEMALE, date(1992, 8, 1))
    assert record.id_number == J_NUMBER
    assert (record.pass_number, record.issue_count) == ("H60123456", 1)
    assert record.nation is None
    assert record.issuing_authority == "深圳市公安局"
    assert not record.is_expired(TODAY)
    assert record.is_expired(date(2025, 1, 2))


def test_residence_permit_number_must_be_hk_mo_tw() -> None:
    number = make_id_number("150627", date(1992, 8, 1), 12, Sex.FEMALE)
    assert "810000、820000或830000" in error_of(j_bytes(number=number))


def test_residence_permit_bad_pass_number_and_count() -> None:
    assert error_of(j_bytes(pass_number="")) == "通行证号码“”格式不正确"
    assert error_of(j_bytes(count="一")) == "签发次数“一”不是数字"


# --- 外国人永久居留身份证, 2017 ('I') ----------------------------------------------------------------------------


def i_bytes(number: str = "USA110080010112", nationality: str = "USA", chinese: str = "史密斯") -> bytes:
    raw = (
        field("SMITH, JOHN", 120)  # 0
        + field("1", 2)  # 120
        + field(number, 30)  # 122
        + field(nationality, 6)  # 152
        + field(chinese, 30)  # 158
        + field("20180101", 16)  # 188
        + field("20280101", 16)  # 204
        + field("19800101", 16)  # 220
        + field("01", 4)  # 236
        + field("1100", 8)  # 240
        + field("I", 2)  # 248
        + field("", 6)  # 250
    )
    assert len(raw) == RECORD_LENGTH
    return raw


def test_old_permanent_residence_card_from_hand_laid_bytes() -> None:
    record = parse_base_message(i_bytes(), today=TODAY)
    assert record.card_type is CardType.FOREIGN_PERMANENT_OLD
    assert (record.name, record.english_name) == ("史密斯", "SMITH, JOHN")
    assert (record.sex, record.birth_date, record.nationality) == (Sex.MALE, date(1980, 1, 1), "USA")
    assert (record.id_number, record.card_version, record.issuing_authority) == ("USA110080010112", "01", "1100")
    assert record.valid_to == date(2028, 1, 1)
    assert record.address is None and record.nation is None


def test_foreigner_without_chinese_name_is_named_by_english_name() -> None:
    record = parse_base_message(i_bytes(chinese=""), today=TODAY)
    assert record.name == record.english_name == "SMITH, JOHN"


def test_old_permit_number_checks() -> None:
    assert "3位字母加12位数字" in error_of(i_bytes(number="US1110080010112"))
    assert error_of(i_bytes(number="USA110080020112")) == "出生日期与永久居留证号码中的出生日期不一致"
    assert error_of(i_bytes(nationality="U5A")) == "国籍代码“U5A”无效（应为3位大写字母）"
    assert "3位字母加12位数字" in error_of(i_bytes(number="USA11008001011٢"))  # an Arabic-Indic digit


# --- 外国人永久居留身份证, 2023 ('Y') ----------------------------------------------------------------------------

Y_NUMBER = "91184019800101001" + check_character("91184019800101001")
LONG_NAME = "WOLFESCHLEGELSTEINHAUSEN BERGERDORFF HUBERT BLAINE"[:46]


def y_bytes(number: str = Y_NUMBER, english: str = LONG_NAME, nationality: str = "USA") -> bytes:
    raw = (
        field("胡伯特", 30)  # 0
        + field("1", 2)  # 30
        + field("00", 4)  # 32
        + field("19800101", 16)  # 36
        + field(english[:35], 70)  # 52
        + field(number, 36)  # 122
        + field("", 30)  # 158
        + field("20231201", 16)  # 188
        + field("20331201", 16)  # 204
        + field(english[35:], 22)  # 220
        + field(nationality, 6)  # 242
        + field("Y", 2)  # 248
        + field("A01", 6)  # 250
    )
    assert len(raw) == RECORD_LENGTH
    return raw


def test_2023_permanent_residence_card_from_hand_laid_bytes() -> None:
    record = parse_base_message(y_bytes(), today=TODAY)
    assert record.card_type is CardType.FOREIGN_PERMANENT_2023
    assert record.english_name == LONG_NAME and len(LONG_NAME) == 46
    assert (record.name, record.sex, record.birth_date) == ("胡伯特", Sex.MALE, date(1980, 1, 1))
    assert (record.id_number, record.nationality, record.issue_count) == (Y_NUMBER, "USA", 0)
    assert record.old_number_link == "A01"
    assert record.issuing_authority is None and record.address is None


def test_2023_english_name_split_on_a_space_keeps_the_space() -> None:
    name = "A" * 34 + " " + "BCDEFGHIJK"  # the 35th character is a space
    assert parse_base_message(y_bytes(english=name), today=TODAY).english_name == name


def test_2023_permit_number_checks() -> None:
    wrong_check = Y_NUMBER[:17] + ("0" if Y_NUMBER[17] != "0" else "1")
    assert error_of(y_bytes(number=wrong_check)).startswith("永久居留证号码校验码错误：应为")
    first17 = "11184019800101001"
    assert "以9开头的18位号码" in error_of(y_bytes(number=first17 + check_character(first17)))
    first17 = "91184019800102001"
    assert error_of(y_bytes(number=first17 + check_character(first17))) == "出生日期与永久居留证号码中的出生日期不一致"
    assert error_of(y_bytes(nationality="U$A")) == "国籍代码“U$A”无效（应为3位字母或数字）"
    assert "以9开头的18位号码" in error_of(y_bytes(number=Y_NUMBER[:16] + "٣" + Y_NUMBER[17]))


# --- bad records -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 255, 257, 1024])
def test_wrong_length(length: int) -> None:
    raw = (resident_bytes() * 5)[:length]
    assert error_of(raw) == f"证件文字信息应为256字节，实际为{length}字节"


def test_not_bytes() -> None:
    with pytest.raises(InvalidCardRecord, match="字节数据"):
        parse_base_message("巴特尔" * 50)  # type: ignore[arg-type]


def test_bytearray_and_memoryview_are_accepted() -> None:
    raw = resident_bytes()
    assert parse_base_message(bytearray(raw), today=TODAY) == parse_base_message(memoryview(raw), today=TODAY)


@pytest.mark.parametrize(("offset", "label"), [(0, "姓名"), (52, "住址"), (158, "签发机关")])
def test_undecodable_text_names_the_field(offset: int, label: str) -> None:
    raw = bytearray(resident_bytes())
    raw[offset : offset + 2] = b"\x00\xdc"  # a lone low surrogate
    assert error_of(bytes(raw)) == f"{label}无法按UCS-2（UTF-16LE）解码"


def test_control_characters_are_rejected() -> None:
    assert error_of(resident_bytes(name="巴\x01特尔")) == "姓名含有控制字符"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth": "19850230"}, "出生日期“19850230”不是有效日期（应为YYYYMMDD）"),
        ({"birth": "1985-3-7"}, "出生日期“1985-3-7”不是有效日期（应为YYYYMMDD）"),
        ({"from": "20151310"}, "有效期限起始日期“20151310”不是有效日期（应为YYYYMMDD）"),
        ({"to": "永久"}, "有效期限截止日期“永久”不是有效日期（应为YYYYMMDD）"),
        ({"to": "20140310"}, "有效期限截止日期20140310早于起始日期20150310"),
        ({"sex": "3"}, "性别代码“3”无效（应为1或2）"),
        ({"sex": "2"}, "性别与公民身份号码不一致"),
        ({"nation": "60"}, "民族代码“60”无效"),
        ({"nation": "  "}, "民族代码“”无效"),
        ({"name": ""}, "姓名为空"),
        ({"birth": "19850308"}, "出生日期与公民身份号码中的出生日期不一致"),
        ({"number": "150627198503071230"}, "公民身份号码无效：校验码错误：按前17位应为“3”，实际为“0”"),
        ({"number": "15062719850307123"}, "公民身份号码无效：身份号码应为18位（旧号码为15位），实际为17位"),
        ({"rest": " " * 14 + "Z"}, "证件类型标识“Z”无法识别（应为空白、J、I或Y）"),
    ],
)
def test_bad_resident_records(overrides: dict[str, str], message: str) -> None:
    assert error_of(resident_bytes(**overrides)) == message


def test_future_birth_on_the_card_is_rejected() -> None:
    number = make_id_number("150627", date(2024, 6, 2), 1, Sex.MALE)
    message = error_of(resident_bytes(birth="20240602", number=number))
    assert message == "公民身份号码无效：出生日期2024年6月2日晚于今天（2024年6月1日）"


def test_every_single_byte_flip_in_the_number_is_rejected() -> None:
    raw = resident_bytes()
    for index in range(17):  # each character of the number is 2 bytes at 122 + 2i
        for digit in "0123456789":
            if digit == HOME_NUMBER[index]:
                continue
            mutated = bytearray(raw)
            mutated[122 + 2 * index] = ord(digit)
            with pytest.raises(InvalidCardRecord):
                parse_base_message(bytes(mutated), today=TODAY)


# --- layouts and building ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("card_type", list(CardType))
def test_layouts_fit_and_do_not_overlap_the_type_flag(card_type: CardType) -> None:
    taken: set[int] = set()
    for layout_field in LAYOUTS[card_type]:
        span = set(range(layout_field.offset, layout_field.offset + layout_field.length))
        assert layout_field.offset % 2 == 0 and layout_field.length % 2 == 0
        assert not span & taken, layout_field
        assert max(span) < RECORD_LENGTH and not span & {248, 249}
        taken |= span


def test_build_matches_the_hand_laid_bytes() -> None:
    for raw in (resident_bytes(), j_bytes(), i_bytes(), y_bytes()):
        assert build_base_message(parse_base_message(raw, today=TODAY)) == raw


def test_build_rejects_values_that_do_not_fit() -> None:
    record = parse_base_message(resident_bytes(), today=TODAY)
    with pytest.raises(InvalidCardRecord, match="姓名太长：最多15个字符，实际为16个"):
        build_base_message(replace(record, name="巴" * 16))
    with pytest.raises(InvalidCardRecord, match="姓名含有无法写入证件的字符"):
        build_base_message(replace(record, name="𠀀"))  # outside the BMP: UCS-2 cannot hold it
    y = parse_base_message(y_bytes(), today=TODAY)
    with pytest.raises(InvalidCardRecord, match="英文姓名（续）太长"):
        build_base_message(replace(y, english_name="A" * 47))


def test_a_surrogate_pair_split_by_a_field_boundary_names_the_field() -> None:
    raw = bytearray(resident_bytes())
    raw[28:32] = "𠀀".encode("utf-16-le")  # whole, the record decodes; the name's last character alone does not
    assert error_of(bytes(raw)) == "姓名无法按UCS-2（UTF-16LE）解码"
    raw = bytearray(resident_bytes())
    raw[52:56] = "𠀀".encode("utf-16-le")  # a pair inside one field: UCS-2 has no such character, UTF-16 does
    assert (
        parse_base_message(bytes(raw), today=TODAY).address == "𠀀" + "内蒙古自治区伊金霍洛旗阿勒腾席热镇天骄路1号"[2:]
    )


def test_control_characters_in_reserved_bytes_or_in_padding_are_not_a_field_s() -> None:
    raw = bytearray(resident_bytes())
    raw[230:232] = b"\x01\x00"  # reserved bytes (220/36) belong to no field of the resident layout
    assert parse_base_message(bytes(raw), today=TODAY) == parse_base_message(resident_bytes(), today=TODAY)
    assert error_of(resident_bytes(address="伊金霍洛旗\x00天骄路")) == "住址含有控制字符"  # a NUL inside, not padding


def test_the_card_number_check_agrees_with_the_full_parse() -> None:
    for text in (HOME_NUMBER, J_NUMBER, "150627850307123", " 15062719900517121x "):
        parsed, checked = parse_id_number(text, today=TODAY), check_id_number(text, today=TODAY)
        assert (checked.number, checked.region_code, checked.birth_date, checked.sex) == (
            parsed.number,
            parsed.region_code,
            parsed.birth_date,
            parsed.sex,
        )
        assert (checked.sequence, checked.legacy_number) == (parsed.sequence, parsed.legacy_number)
    for bad in ("", "15062719850307123", "150627198503071234", "9906271985030712X3", "150627202506011231"):
        with pytest.raises(InvalidIdNumber) as full:
            parse_id_number(bad, today=TODAY)
        with pytest.raises(InvalidIdNumber) as check:
            check_id_number(bad, today=TODAY)
        assert str(full.value) == str(check.value)
