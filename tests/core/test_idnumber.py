"""GB 11643 citizen ID numbers: check character, 15 → 18 upgrade, normalisation and every kind of error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from efangtong_core.idnumber import (
    IdNumber,
    InvalidIdNumber,
    check_character,
    is_valid_id_number,
    make_id_number,
    normalise_text,
    parse_id_number,
)
from efangtong_core.vocabulary import Sex

TODAY = date(2024, 6, 1)


def iso7064_mod11_2(first17: str) -> str:
    """Reference check character computed the way ISO 7064 states it, without the weight table.

    Positions are numbered from the right with the check character at position 1; digit i weighs 2**(i-1) mod 11,
    and the weighted sum including the check value must be ≡ 1 (mod 11). A check value of 10 is written X.
    """
    positions = range(18, 1, -1)
    total = sum(int(digit) * pow(2, position - 1, 11) for position, digit in zip(positions, first17, strict=True))
    value = (1 - total) % 11
    return "X" if value == 10 else str(value)


def parse(text: str) -> IdNumber:
    return parse_id_number(text, today=TODAY)


def error_of(text: str) -> str:
    with pytest.raises(InvalidIdNumber) as caught:
        parse(text)
    return str(caught.value)


# --- known numbers, worked out by hand ---------------------------------------------------------------------------


def test_standard_example_number() -> None:
    # 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → X
    number = parse("11010519491231002X")
    assert number.number == "11010519491231002X"
    assert number.region_code == "110105"
    assert number.region_name == "北京市朝阳区"
    assert number.birth_date == date(1949, 12, 31)
    assert number.sex is Sex.FEMALE
    assert number.sequence == 2


def test_home_county_number() -> None:
    # weighted sum of 15062719850307123 is 284; 284 mod 11 = 9 → "3"
    number = parse("150627198503071233")
    assert number.region_name == "内蒙古自治区鄂尔多斯市伊金霍洛旗"
    assert number.birth_date == date(1985, 3, 7)
    assert number.sex is Sex.MALE
    assert number.sequence == 123
    assert number.legacy_number is None
    assert str(number) == "150627198503071233"


@pytest.mark.parametrize(
    ("first17", "expected"),
    [("11010519491231002", "X"), ("15062719850307123", "3"), ("15062719900517105", "X"), ("81000019920801012", "0")],
)
def test_check_character_known_values(first17: str, expected: str) -> None:
    assert check_character(first17) == expected
    assert iso7064_mod11_2(first17) == expected


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_matches_the_iso_7064_definition(first17: str) -> None:
    assert check_character(first17) == iso7064_mod11_2(first17)


@pytest.mark.parametrize("bad", ["1234567890123456", "1101051949123100X", "１１０１０５１９４９１２３１００２"])
def test_check_character_needs_17_ascii_digits(bad: str) -> None:
    with pytest.raises(InvalidIdNumber, match="17位数字"):
        check_character(bad)


# --- normalisation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        " 11010519491231002X\t",
        "\u300011010519491231002X\u3000",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "\u3000１１０１０５１９４９１２３１００２ｘ ",
    ],
)
def test_tolerated_input_forms(typed: str) -> None:
    assert parse(typed).number == "11010519491231002X"


def test_normalise_text() -> None:
    assert normalise_text("\u3000１５０６２７ｘ ") == "150627X"


# --- the legacy 15-digit number --------------------------------------------------------------------------------


def test_fifteen_digit_number_is_upgraded() -> None:
    number = parse("150627850307123")
    assert number.number == "150627198503071233"
    assert number.legacy_number == "150627850307123"
    assert number.birth_date == date(1985, 3, 7)
    assert number.sex is Sex.MALE
    assert number == parse("150627198503071233")  # the legacy form is not part of equality


def test_fifteen_digit_number_with_a_pre_2001_county_code() -> None:
    number = parse("１５２７２８６２１００１０４２")
    assert number.number == "15272819621001042" + check_character("15272819621001042")
    assert number.region_name == "内蒙古自治区伊克昭盟伊金霍洛旗"
    assert number.sex is Sex.FEMALE


def test_fifteen_digit_number_with_impossible_date_is_rejected() -> None:
    assert error_of("150627850229123") == "出生日期“19850229”不存在：1985年2月没有29日"


# --- derived values --------------------------------------------------------------------------------------------


def test_masked() -> None:
    assert parse("15062719900517121X").masked() == "150627********121X"
    assert parse("150627198503071233").masked() == "150627********1233"


def test_age_on() -> None:
    number = parse("150627198503071233")
    assert number.age_on(date(2024, 3, 6)) == 38
    assert number.age_on(date(2024, 3, 7)) == 39
    assert number.age_on(date(1985, 3, 7)) == 0
    leap = parse(make_id_number("150627", date(2000, 2, 29), 11, Sex.MALE))
    assert leap.age_on(date(2001, 2, 28)) == 0
    assert leap.age_on(date(2001, 3, 1)) == 1


def test_unknown_county_in_known_province_is_accepted() -> None:
    number = parse(make_id_number("150699", date(1980, 1, 1), 1, Sex.MALE))
    assert number.region_code == "150699"
    assert number.region_name == "内蒙古自治区鄂尔多斯市"


def test_is_valid_id_number() -> None:
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")


# --- errors and their messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "found"), [("1234567", 7), ("11010519491231002", 17), ("11010519491231002X1", 19)])
def test_wrong_length_says_the_length_found(text: str, found: int) -> None:
    assert error_of(text) == f"身份号码应为18位（旧号码为15位），实际为{found}位"


def test_empty() -> None:
    assert error_of(" \u3000") == "身份号码为空"


def test_not_text() -> None:
    with pytest.raises(InvalidIdNumber, match="必须是文字"):
        parse_id_number(110105194912310021)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1101051949123100A2", "身份号码第17位的字符“A”不合法，该位应为数字"),
        ("X10105194912310021", "身份号码第1位的字符“X”不合法，该位应为数字"),
        ("11010519491231002Y", "身份号码第18位的字符“Y”不合法，该位应为数字或X"),
        ("110105-94912310021", "身份号码第7位的字符“-”不合法，该位应为数字"),
        ("15062785030712X", "身份号码第15位的字符“X”不合法，该位应为数字"),
        ("11010519491231٣02X", "身份号码第15位的字符“٣”不合法，该位应为数字"),
    ],
)
def test_illegal_character_says_which_and_where(text: str, message: str) -> None:
    assert error_of(text) == message


@pytest.mark.parametrize("province", ["00", "10", "20", "39", "66", "80", "84", "99"])
def test_unknown_province(province: str) -> None:
    first17 = f"{province}062719850307123"
    text = first17 + check_character(first17)
    assert error_of(text) == f"地址码“{province}0627”不存在：“{province}”不是已知的省级行政区代码"


@pytest.mark.parametrize(
    ("birth", "message"),
    [
        ("19900230", "出生日期“19900230”不存在：1990年2月没有30日"),
        ("19900229", "出生日期“19900229”不存在：1990年2月没有29日"),
        ("19900431", "出生日期“19900431”不存在：1990年4月没有31日"),
        ("19901301", "出生日期“19901301”不存在：没有13月"),
        ("19900001", "出生日期“19900001”不存在：没有0月"),
        ("19900100", "出生日期“19900100”不存在：1990年1月没有0日"),
    ],
)
def test_impossible_birth_date(birth: str, message: str) -> None:
    first17 = f"150627{birth}123"
    assert error_of(first17 + check_character(first17)) == message


def test_leap_day_is_possible_in_a_leap_year() -> None:
    assert parse(make_id_number("150627", date(2000, 2, 29), 2, Sex.FEMALE)).birth_date == date(2000, 2, 29)


def test_future_birth_date() -> None:
    first17 = "15062720240602123"
    assert error_of(first17 + check_character(first17)) == "出生日期2024年6月2日晚于今天（2024年6月1日）"
    first17 = "15062720240601123"  # born today is fine
    assert parse(first17 + check_character(first17)).birth_date == TODAY


def test_birth_before_1900() -> None:
    first17 = "15062718991231123"
    assert error_of(first17 + check_character(first17)) == "出生日期1899年12月31日早于1900年，不可能是有效的身份号码"


@pytest.mark.parametrize(("given_char", "text"), [("1", "110105194912310021"), ("0", "110105194912310020")])
def test_wrong_check_character_says_expected_and_given(given_char: str, text: str) -> None:
    assert error_of(text) == f"校验码错误：按前17位应为“X”，实际为“{given_char}”"


def test_default_today_is_the_real_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    first17 = f"150627{tomorrow:%Y%m%d}123"
    with pytest.raises(InvalidIdNumber, match="晚于今天"):
        parse_id_number(first17 + check_character(first17))


# --- every single-character mutation is detected ----------------------------------------------------------------


@given(st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_is_detected(position: int, shift: int) -> None:
    valid = "150627198503071233"
    alphabet = "0123456789X" if position == 17 else "0123456789"
    current = alphabet.index(valid[position])
    replacement = alphabet[(current + shift) % len(alphabet)]
    if replacement == valid[position]:
        return
    mutated = valid[:position] + replacement + valid[position + 1 :]
    with pytest.raises(InvalidIdNumber):
        parse(mutated)


def test_every_single_digit_change_of_several_numbers_is_detected() -> None:
    for valid in ("11010519491231002X", "15062719900517121X", "152728196210010423", "830000197012310353"):
        assert is_valid_id_number(valid)
        for position in range(17):
            for digit in "0123456789":
                if digit != valid[position]:
                    assert not is_valid_id_number(valid[:position] + digit + valid[position + 1 :])


def test_adjacent_transpositions_are_detected() -> None:
    valid = "150627198503071233"
    for position in range(16):
        a, b = valid[position], valid[position + 1]
        if a != b:
            swapped = valid[:position] + b + a + valid[position + 2 :]
            with pytest.raises(InvalidIdNumber):
                parse(swapped)


# --- generation ------------------------------------------------------------------------------------------------

REGIONS = ["150627", "150602", "152728", "110105", "810000", "830000", "659001", "150699"]


@given(
    st.sampled_from(REGIONS),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)
def test_make_then_parse_round_trip(region: str, born: date, sequence: int) -> None:
    sex = Sex.MALE if sequence % 2 else Sex.FEMALE
    text = make_id_number(region, born, sequence, sex)
    number = parse(text)
    assert number.number == text
    assert (number.region_code, number.birth_date, number.sex, number.sequence) == (region, born, sex, sequence)
    assert len(text) == 18 and text[17] == iso7064_mod11_2(text[:17])


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), st.integers(min_value=0, max_value=999))
def test_fifteen_digit_form_parses_to_the_same_person(born: date, sequence: int) -> None:
    sex = Sex.MALE if sequence % 2 else Sex.FEMALE
    full = make_id_number("150627", born, sequence, sex)
    legacy = full[:6] + full[8:17]
    assert parse(legacy).number == full


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("15062", date(1990, 1, 1), 1, Sex.MALE), "地址码应为6位数字"),
        (("990627", date(1990, 1, 1), 1, Sex.MALE), "“99”不是已知的省级行政区代码"),
        (("150627", date(1990, 1, 1), 1000, Sex.MALE), "顺序码应在0到999之间"),
        (("150627", date(1990, 1, 1), -1, Sex.FEMALE), "顺序码应在0到999之间"),
        (("150627", date(1899, 1, 1), 1, Sex.MALE), "早于1900年"),
        (("150627", date(1990, 1, 1), 2, Sex.MALE), "顺序码002与性别“男”不符"),
        (("150627", date(1990, 1, 1), 3, Sex.FEMALE), "顺序码003与性别“女”不符"),
        (("150627", date(1990, 1, 1), 3, Sex.UNKNOWN), "明确的性别"),
    ],
)
def test_make_id_number_rejects_bad_arguments(args: tuple[str, date, int, Sex], message: str) -> None:
    with pytest.raises(InvalidIdNumber, match=message):
        make_id_number(*args)
