"""The ID card's 256-byte text record (文字信息, UCS-2LE) as card readers return it, and its inverse.

The character at byte offset 248 (证件类型标识) selects the layout: blank for the resident ID card (居民身份证),
'J' for 港澳台居民居住证, 'I' for the 2017 外国人永久居留身份证 and 'Y' for the 2023 one. Offsets/lengths in bytes:

resident  name 0/30, sex 30/2, nation 32/4, birth 36/16, address 52/70, number 122/36, authority 158/30,
          valid from 188/16, valid to 204/16, reserved 220/36
J         as resident but 32/4 reserved; pass number 220/18, issue count 238/4, reserved 242/6, type 248/2, 250/6
I         English name 0/120, sex 120/2, permit number 122/30, nationality 152/6 (ISO 3166 alpha-3),
          Chinese name 158/30, valid from 188/16, valid to 204/16, birth 220/16, card version 236/4,
          authority code 240/8, type 248/2, reserved 250/6
Y         Chinese name 0/30, sex 30/2, renewal count 32/4, birth 36/16, English name (chars 1-35) 52/70,
          number 122/36, reserved 158/30, valid from 188/16, valid to 204/16, English name (chars 36-46) 220/22,
          nationality 242/6, type 248/2, link to the previous permit number 250/6
Sources: the readers' SDK documentation (GA 467 text layout, 港澳台居民居住证 and 2017 permit additions) and the
国家移民管理局 "新版外国人永久居留身份证机读信息规则（2023版）" as mirrored in vendors' PC/SC reader headers
(struct tagIDCardInfor2023). Dates are YYYYMMDD; the end of validity may be 长期. Padding is spaces (or NULs).
"""

from __future__ import annotations

import re
from codecs import utf_16_le_decode
from dataclasses import dataclass
from datetime import date
from typing import Any

from efangtong_core.idnumber import InvalidIdNumber, check_character, check_id_number
from efangtong_core.nations import NATIONS, nation_code, nation_name
from efangtong_core.vocabulary import LabelledEnum, Sex

RECORD_LENGTH = 256
LONG_TERM = "长期"
HK_MO_TW_PROVINCES = ("81", "82", "83")


class InvalidCardRecord(ValueError):
    """A card text record that cannot be read; the message names the field in Chinese."""


class CardType(LabelledEnum):
    """证件类别"""

    RESIDENT = "resident", "居民身份证"
    HK_MO_TW_RESIDENCE = "hk_mo_tw_residence", "港澳台居民居住证"
    FOREIGN_PERMANENT_OLD = "foreign_permanent_old", "外国人永久居留身份证（2017年版）"
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023", "外国人永久居留身份证（2023年版）"


@dataclass(frozen=True)
class _Field:
    key: str
    label: str
    offset: int
    length: int


_TYPE_FIELD = _Field("type", "证件类型标识", 248, 2)
_TYPE_FLAGS = {
    "J": CardType.HK_MO_TW_RESIDENCE,
    "I": CardType.FOREIGN_PERMANENT_OLD,
    "Y": CardType.FOREIGN_PERMANENT_2023,
}
_FLAG_OF = {card_type: flag for flag, card_type in _TYPE_FLAGS.items()} | {CardType.RESIDENT: " "}

_COMMON_CN = (
    _Field("name", "姓名", 0, 30),
    _Field("sex", "性别", 30, 2),
    _Field("birth", "出生日期", 36, 16),
    _Field("address", "住址", 52, 70),
    _Field("number", "公民身份号码", 122, 36),
    _Field("authority", "签发机关", 158, 30),
    _Field("valid_from", "有效期限起始日期", 188, 16),
    _Field("valid_to", "有效期限截止日期", 204, 16),
)
LAYOUTS: dict[CardType, tuple[_Field, ...]] = {
    CardType.RESIDENT: (*_COMMON_CN, _Field("nation", "民族", 32, 4)),
    CardType.HK_MO_TW_RESIDENCE: (
        *_COMMON_CN,
        _Field("pass_number", "通行证号码", 220, 18),
        _Field("issue_count", "签发次数", 238, 4),
    ),
    CardType.FOREIGN_PERMANENT_OLD: (
        _Field("english_name", "英文姓名", 0, 120),
        _Field("sex", "性别", 120, 2),
        _Field("number", "永久居留证号码", 122, 30),
        _Field("nationality", "国籍", 152, 6),
        _Field("name", "中文姓名", 158, 30),
        _Field("valid_from", "有效期限起始日期", 188, 16),
        _Field("valid_to", "有效期限截止日期", 204, 16),
        _Field("birth", "出生日期", 220, 16),
        _Field("card_version", "证件版本号", 236, 4),
        _Field("authority", "受理机关代码", 240, 8),
    ),
    CardType.FOREIGN_PERMANENT_2023: (
        _Field("name", "中文姓名", 0, 30),
        _Field("sex", "性别", 30, 2),
        _Field("issue_count", "换证次数", 32, 4),
        _Field("birth", "出生日期", 36, 16),
        _Field("english_name", "英文姓名", 52, 70),
        _Field("number", "永久居留证号码", 122, 36),
        _Field("valid_from", "有效期限起始日期", 188, 16),
        _Field("valid_to", "有效期限截止日期", 204, 16),
        _Field("english_name_more", "英文姓名（续）", 220, 22),
        _Field("nationality", "国籍", 242, 6),
        _Field("old_number_link", "既往版本证件号码关联项", 250, 6),
    ),
}
"""The fields of each layout; the type flag (248/2) is common to all."""

_OLD_PERMIT = re.compile(r"[A-Z]{3}[0-9]{12}")
_NEW_PERMIT = re.compile(r"9[0-9]{16}[0-9X]")
_ALPHA3 = re.compile(r"[A-Z]{3}")
_NATIONALITY_2023 = re.compile(r"[A-Z0-9]{3}")
_PASS_NUMBER = re.compile(r"[A-Z0-9()]{6,9}")


@dataclass(frozen=True)
class IdCardRecord:
    """What the card's text record says, decoded, trimmed and checked."""

    card_type: CardType
    name: str
    """The Chinese name; for a foreigner without one, the English name."""
    sex: Sex
    birth_date: date
    id_number: str
    valid_from: date
    valid_to: date | None
    """None means 长期 (no end)."""
    english_name: str | None = None
    nation: str | None = None
    nationality: str | None = None
    address: str | None = None
    issuing_authority: str | None = None
    pass_number: str | None = None
    issue_count: int | None = None
    """签发次数 on a 港澳台居民居住证, 换证次数 on a 2023 permanent-residence card."""
    card_version: str | None = None
    old_number_link: str | None = None

    def is_expired(self, on: date) -> bool:
        """Whether the card is no longer valid on `on` (it is valid through its last day)."""
        return self.valid_to is not None and on > self.valid_to


_CHARACTERS = RECORD_LENGTH // 2
_TYPE_AT = _TYPE_FIELD.offset // 2
_SLICES: dict[CardType, tuple[tuple[str, int, int], ...]] = {
    card_type: tuple((field.key, field.offset // 2, (field.offset + field.length) // 2) for field in fields)
    for card_type, fields in LAYOUTS.items()
}
"""Each layout's fields as character slices of the whole record decoded at once (every offset is even)."""
_LABELS = {card_type: {field.key: field.label for field in fields} for card_type, fields in LAYOUTS.items()}
_ENGLISH_2023 = next(field for field in LAYOUTS[CardType.FOREIGN_PERMANENT_2023] if field.key == "english_name")
_ENGLISH_2023_CHARACTERS = slice(_ENGLISH_2023.offset // 2, (_ENGLISH_2023.offset + _ENGLISH_2023.length) // 2)
_BLANK_FLAGS = frozenset(" \x00")
_SEXES = {"1": Sex.MALE, "2": Sex.FEMALE}


def _decode(raw: bytes, field: _Field, *, strip: bool = True) -> str:
    chunk = raw[field.offset : field.offset + field.length]
    try:
        text = chunk.decode("utf-16-le")
    except UnicodeDecodeError:
        raise InvalidCardRecord(f"{field.label}无法按UCS-2（UTF-16LE）解码") from None
    if strip:
        text = text.strip(" \x00")
    if any(ord(char) < 0x20 for char in text.strip(" \x00")):
        raise InvalidCardRecord(f"{field.label}含有控制字符")
    return text


def _whole_text(data: bytes) -> str | None:
    """The record decoded at once, one character per 2 bytes; None when a field must be decoded on its own to say
    which one is broken (a lone surrogate, or a pair a field boundary would split)."""
    try:
        text = utf_16_le_decode(data, "strict", True)[0]
    except UnicodeDecodeError:
        return None
    return text if len(text) == _CHARACTERS else None


def _date(text: str, label: str) -> date:
    if len(text) == 8 and text.isascii() and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            pass
    raise InvalidCardRecord(f"{label}“{text}”不是有效日期（应为YYYYMMDD）")


def _sex(text: str) -> Sex:
    sex = _SEXES.get(text)
    if sex is None:
        raise InvalidCardRecord(f"性别代码“{text}”无效（应为1或2）")
    return sex


def _count(text: str, label: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidCardRecord(f"{label}“{text}”不是数字")
    return int(text)


def _card_type(raw: bytes, text: str | None) -> CardType:
    if text is not None:  # the common case: a blank or known flag, no decoding of its own
        flag = text[_TYPE_AT]
        if flag in _BLANK_FLAGS:
            return CardType.RESIDENT
        if flag in _TYPE_FLAGS:
            return _TYPE_FLAGS[flag]
    flag = _decode(raw, _TYPE_FIELD)
    if not flag:
        return CardType.RESIDENT
    if flag not in _TYPE_FLAGS:
        raise InvalidCardRecord(f"证件类型标识“{flag}”无法识别（应为空白、J、I或Y）")
    return _TYPE_FLAGS[flag]


def _field_values(raw: bytes, text: str | None, card_type: CardType) -> dict[str, str]:
    """Every field of the layout, trimmed; the first undecodable field or one with a control character raises."""
    if text is None:
        values = {field.key: _decode(raw, field) for field in LAYOUTS[card_type]}
        if card_type is CardType.FOREIGN_PERMANENT_2023:
            english = _decode(raw, _ENGLISH_2023, strip=False) + values["english_name_more"]
            values["english_name"] = english.strip(" \x00")
        return values
    values = {key: text[start:stop].strip(" \x00") for key, start, stop in _SLICES[card_type]}
    if min(text) < " ":  # a control character (or NUL padding) somewhere: find the first field that holds one
        for key, value in values.items():
            if value and min(value) < " ":
                raise InvalidCardRecord(f"{_LABELS[card_type][key]}含有控制字符")
    if card_type is CardType.FOREIGN_PERMANENT_2023:  # the English name goes on in a second field
        values["english_name"] = (text[_ENGLISH_2023_CHARACTERS] + values["english_name_more"]).strip(" \x00")
    return values


def parse_base_message(raw: bytes | bytearray | memoryview, *, today: date | None = None) -> IdCardRecord:
    """Decode and check a 256-byte card text record; raises InvalidCardRecord with a Chinese reason."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise InvalidCardRecord("证件文字信息必须是字节数据")
    data = raw if type(raw) is bytes else bytes(raw)
    if len(data) != RECORD_LENGTH:
        raise InvalidCardRecord(f"证件文字信息应为{RECORD_LENGTH}字节，实际为{len(data)}字节")
    text = _whole_text(data)
    card_type = _card_type(data, text)
    values = _field_values(data, text, card_type)
    sex = _sex(values["sex"])
    birth = _date(values["birth"], _LABELS[card_type]["birth"])
    valid_from = _date(values["valid_from"], "有效期限起始日期")
    valid_to = None if values["valid_to"] == LONG_TERM else _date(values["valid_to"], "有效期限截止日期")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidCardRecord(f"有效期限截止日期{valid_to:%Y%m%d}早于起始日期{valid_from:%Y%m%d}")
    english = values.get("english_name") or None
    name = values["name"] or english
    if not name:
        raise InvalidCardRecord(f"{_LABELS[card_type]['name']}为空")
    if card_type is CardType.RESIDENT or card_type is CardType.HK_MO_TW_RESIDENCE:
        extra = _chinese_card(card_type, values, sex, birth, today)
    else:
        extra = _permanent_residence_card(card_type, values, birth)
    return IdCardRecord(
        card_type=card_type,
        name=name,
        sex=sex,
        birth_date=birth,
        valid_from=valid_from,
        valid_to=valid_to,
        english_name=english,
        address=values.get("address") or None,
        issuing_authority=values.get("authority") or None,
        **extra,
    )


def _chinese_card(
    card_type: CardType, values: dict[str, str], sex: Sex, birth: date, today: date | None
) -> dict[str, Any]:
    try:
        number = check_id_number(values["number"], today=today)
    except InvalidIdNumber as error:
        raise InvalidCardRecord(f"公民身份号码无效：{error}") from None
    if number.birth_date != birth:
        raise InvalidCardRecord("出生日期与公民身份号码中的出生日期不一致")
    if number.sex != sex:
        raise InvalidCardRecord("性别与公民身份号码不一致")
    if card_type is CardType.RESIDENT:
        nation = NATIONS.get(values["nation"])
        if nation is None:  # not a plain 2-digit code: the long way, which says why
            try:
                nation = nation_name(values["nation"])
            except ValueError:
                raise InvalidCardRecord(f"民族代码“{values['nation']}”无效") from None
        return {"id_number": number.number, "nation": nation}
    if number.region_code[:2] not in HK_MO_TW_PROVINCES:
        raise InvalidCardRecord(f"港澳台居民居住证的号码应以810000、820000或830000开头，实际为“{number.number}”")
    pass_number = values["pass_number"]
    if not _PASS_NUMBER.fullmatch(pass_number):
        raise InvalidCardRecord(f"通行证号码“{pass_number}”格式不正确")
    issue_count = _count(values["issue_count"], "签发次数")
    return {"id_number": number.number, "pass_number": pass_number, "issue_count": issue_count}


def _permanent_residence_card(card_type: CardType, values: dict[str, str], birth: date) -> dict[str, Any]:
    number, nationality = values["number"].upper(), values["nationality"]
    if card_type is CardType.FOREIGN_PERMANENT_OLD:
        if not _OLD_PERMIT.fullmatch(number):
            raise InvalidCardRecord(f"永久居留证号码“{number}”格式不正确（应为3位字母加12位数字）")
        if number[7:13] != f"{birth:%y%m%d}":
            raise InvalidCardRecord("出生日期与永久居留证号码中的出生日期不一致")
        if not _ALPHA3.fullmatch(nationality):
            raise InvalidCardRecord(f"国籍代码“{nationality}”无效（应为3位大写字母）")
        return {"id_number": number, "nationality": nationality, "card_version": values["card_version"] or None}
    if not _NEW_PERMIT.fullmatch(number):
        raise InvalidCardRecord(f"永久居留证号码“{number}”格式不正确（应为以9开头的18位号码）")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidCardRecord(f"永久居留证号码校验码错误：应为“{expected}”，实际为“{number[17]}”")
    if number[6:14] != f"{birth:%Y%m%d}":
        raise InvalidCardRecord("出生日期与永久居留证号码中的出生日期不一致")
    if not _NATIONALITY_2023.fullmatch(nationality):
        raise InvalidCardRecord(f"国籍代码“{nationality}”无效（应为3位字母或数字）")
    return {
        "id_number": number,
        "nationality": nationality,
        "issue_count": _count(values["issue_count"], "换证次数"),
        "old_number_link": values["old_number_link"] or None,
    }


def _encode(buffer: bytearray, field: _Field, value: str) -> None:
    if any(ord(char) > 0xFFFF or ord(char) < 0x20 for char in value):
        raise InvalidCardRecord(f"{field.label}含有无法写入证件的字符")
    data = value.encode("utf-16-le")
    if len(data) > field.length:
        raise InvalidCardRecord(f"{field.label}太长：最多{field.length // 2}个字符，实际为{len(value)}个")
    padding = " ".encode("utf-16-le") * ((field.length - len(data)) // 2)
    buffer[field.offset : field.offset + field.length] = data + padding


def _values_of(record: IdCardRecord) -> dict[str, str]:
    sex_code = {Sex.MALE: "1", Sex.FEMALE: "2"}.get(record.sex, "0")
    english = record.english_name or ""
    values = {
        "name": record.name if record.name != record.english_name else "",
        "sex": sex_code,
        "birth": f"{record.birth_date:%Y%m%d}",
        "address": record.address or "",
        "number": record.id_number,
        "authority": record.issuing_authority or "",
        "valid_from": f"{record.valid_from:%Y%m%d}",
        "valid_to": LONG_TERM if record.valid_to is None else f"{record.valid_to:%Y%m%d}",
        "nation": nation_code(record.nation) if record.nation else "",
        "nationality": record.nationality or "",
        "pass_number": record.pass_number or "",
        "issue_count": "" if record.issue_count is None else f"{record.issue_count:02d}",
        "card_version": record.card_version or "",
        "old_number_link": record.old_number_link or "",
        "english_name": english,
        "english_name_more": "",
    }
    if record.card_type is CardType.FOREIGN_PERMANENT_2023:
        values["english_name"], values["english_name_more"] = english[:35], english[35:]
    return values


def build_base_message(record: IdCardRecord) -> bytes:
    """Encode a record as the card's 256-byte text record in its layout (the inverse of parse_base_message).

    It checks only that each value fits its field; parse the result to check the content.
    """
    buffer = bytearray(" ".encode("utf-16-le") * (RECORD_LENGTH // 2))
    values = _values_of(record)
    for field in LAYOUTS[record.card_type]:
        _encode(buffer, field, values[field.key])
    _encode(buffer, _TYPE_FIELD, _FLAG_OF[record.card_type])
    return bytes(buffer)
