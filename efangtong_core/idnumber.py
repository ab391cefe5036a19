"""GB 11643 citizen ID numbers (公民身份号码): parsing, validation, the 15 → 18 upgrade and generation.

An 18-character number is: 6-digit address code (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit sequence
code (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X).
The legacy 15-digit number has a 6-digit birth date YYMMDD (always 19YY) and no check character.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import mul
from typing import NamedTuple

from efangtong_core.masking import mask_id_number
from efangtong_core.regions import province_name, region_name
from efangtong_core.vocabulary import Sex

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
"""The check character for each remainder 0..10 of the weighted sum mod 11."""
_ZEROS_SUM = ord("0") * sum(WEIGHTS)
"""What the weighted sum of the digits' character codes exceeds the weighted sum of the digits by."""

EARLIEST_BIRTH_YEAR = 1900

# Full-width digits and X as typed by Chinese input methods; lower-case x is accepted too.
_NORMALISE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "X", "x": "X"})


class InvalidIdNumber(ValueError):
    """A text that is not a valid citizen ID number; the message says in Chinese what is wrong."""


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def check_character(first17: str) -> str:
    """The MOD 11-2 check character ("0"-"9" or "X") for the first 17 digits of a number."""
    if len(first17) != 17 or not _is_digits(first17):
        raise InvalidIdNumber(f"计算校验码需要17位数字，实际为“{first17}”")
    total = sum(map(mul, first17.encode("ascii"), WEIGHTS)) - _ZEROS_SUM
    return CHECK_CHARACTERS[total % 11]


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class IdNumber:
    """A valid, normalised citizen ID number and what it says about its holder."""

    number: str
    region_code: str
    region_name: str
    birth_date: date
    sex: Sex
    sequence: int
    legacy_number: str | None = field(default=None, compare=False)
    """The 15-digit number this one was upgraded from, if it was given in the legacy form."""

    def __str__(self) -> str:
        return self.number

    def age_on(self, day: date) -> int:
        """Age in full years on `day`."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def masked(self) -> str:
        """The number for lists: first 6 and last 4 characters, 8 asterisks between (150627********123X)."""
        return mask_id_number(self.number)


def normalise_text(text: str) -> str:
    """Strip surrounding (also full-width) spaces, turn full-width digits/X into ASCII and x into X."""
    text = text.strip()
    return text.replace("x", "X") if text.isascii() else text.translate(_NORMALISE)


def _plainly_valid_characters(text: str) -> bool:
    """True for ASCII digits, an 18-character number's last one possibly X (what nearly every number is)."""
    if not text.isascii():
        return False
    return text.isdigit() or (len(text) == 18 and text[17] == "X" and text[:17].isdigit())


def _check_characters(text: str) -> None:
    last = len(text) - 1
    for position, char in enumerate(text):
        if _is_digits(char):
            continue
        if char == "X" and position == last and len(text) == 18:
            continue
        expected = "数字或X" if position == last and len(text) == 18 else "数字"
        raise InvalidIdNumber(f"身份号码第{position + 1}位的字符“{char}”不合法，该位应为{expected}")


def _birth_date(digits: str, today: date) -> date:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    if not 1 <= month <= 12:
        raise InvalidIdNumber(f"出生日期“{digits}”不存在：没有{month}月")
    try:
        born = date(year, month, day)
    except ValueError:
        raise InvalidIdNumber(f"出生日期“{digits}”不存在：{year}年{month}月没有{day}日") from None
    if year < EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber(f"出生日期{_date_text(born)}早于{EARLIEST_BIRTH_YEAR}年，不可能是有效的身份号码")
    if born > today:
        raise InvalidIdNumber(f"出生日期{_date_text(born)}晚于今天（{_date_text(today)}）")
    return born


class CheckedIdNumber(NamedTuple):
    """What a valid number says without a lookup (`parse_id_number` adds the region's name)."""

    number: str
    region_code: str
    birth_date: date
    sex: Sex
    sequence: int
    legacy_number: str | None


def check_id_number(text: str, *, today: date | None = None) -> CheckedIdNumber:
    """Validate an 18- or 15-character citizen ID number as parse_id_number does, without naming its region."""
    if not isinstance(text, str):
        raise InvalidIdNumber("身份号码必须是文字")
    cleaned = normalise_text(text)
    if not cleaned:
        raise InvalidIdNumber("身份号码为空")
    if len(cleaned) not in (15, 18):
        raise InvalidIdNumber(f"身份号码应为18位（旧号码为15位），实际为{len(cleaned)}位")
    if not _plainly_valid_characters(cleaned):
        _check_characters(cleaned)  # says which character is wrong
    legacy: str | None = None
    if len(cleaned) == 15:
        legacy = cleaned
        first17 = cleaned[:6] + "19" + cleaned[6:]
    else:
        first17 = cleaned[:17]
    region_code = first17[:6]
    if province_name(region_code) is None:
        raise InvalidIdNumber(f"地址码“{region_code}”不存在：“{region_code[:2]}”不是已知的省级行政区代码")
    born = _birth_date(first17[6:14], today or date.today())
    expected = check_character(first17)
    if legacy is None and cleaned[17] != expected:
        raise InvalidIdNumber(f"校验码错误：按前17位应为“{expected}”，实际为“{cleaned[17]}”")
    sequence = int(first17[14:17])
    sex = Sex.MALE if sequence % 2 == 1 else Sex.FEMALE
    return CheckedIdNumber(first17 + expected, region_code, born, sex, sequence, legacy)


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Parse and validate an 18- or 15-character citizen ID number; raises InvalidIdNumber saying what is wrong."""
    checked = check_id_number(text, today=today)
    return IdNumber(
        number=checked.number,
        region_code=checked.region_code,
        region_name=region_name(checked.region_code) or "",
        birth_date=checked.birth_date,
        sex=checked.sex,
        sequence=checked.sequence,
        legacy_number=checked.legacy_number,
    )


def is_valid_id_number(text: str) -> bool:
    """Whether `text` parses as a valid citizen ID number."""
    try:
        parse_id_number(text)
    except InvalidIdNumber:
        return False
    return True


def make_id_number(region_code: str, birth_date: date, sequence: int, sex: Sex) -> str:
    """A valid 18-character number; `sequence` is the 3-digit order code (0-999), odd for men, even for women."""
    if len(region_code) != 6 or not _is_digits(region_code):
        raise InvalidIdNumber(f"地址码应为6位数字，实际为“{region_code}”")
    if province_name(region_code) is None:
        raise InvalidIdNumber(f"地址码“{region_code}”不存在：“{region_code[:2]}”不是已知的省级行政区代码")
    if not 0 <= sequence <= 999:
        raise InvalidIdNumber(f"顺序码应在0到999之间，实际为{sequence}")
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber(f"出生日期{_date_text(birth_date)}早于{EARLIEST_BIRTH_YEAR}年")
    if sex not in (Sex.MALE, Sex.FEMALE):
        raise InvalidIdNumber("生成身份号码需要明确的性别（男或女）")
    if (sequence % 2 == 1) != (sex == Sex.MALE):
        raise InvalidIdNumber(f"顺序码{sequence:03d}与性别“{sex.label}”不符：男性为奇数，女性为偶数")
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
