"""Manual keyboard entry, the fallback when no reader can read the card: typed fields checked like a card's record.

The typed values are put into a resident card's 256-byte record with `build_base_message` and parsed back with
`parse_base_message`, so a typed card passes exactly the checks a read one does (plus number ↔ birth date ↔ sex).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from efangtong_core.idcard import LONG_TERM, CardType, IdCardRecord, InvalidCardRecord, build_base_message
from efangtong_core.idnumber import InvalidIdNumber, parse_id_number
from efangtong_core.nations import nation_code, nation_name
from efangtong_core.vocabulary import Sex
from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardRead, CardReadError, ErrorKind, decode_record

_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass(frozen=True)
class ManualEntry:
    """What the clerk typed from the card's face; sex and birth date may be left empty (taken from the number)."""

    name: str
    id_number: str
    nation: str
    valid_from: str
    valid_to: str = LONG_TERM
    address: str = ""
    issuing_authority: str = ""
    sex: str = ""
    birth_date: str = ""


def _refuse(message: str) -> CardReadError:
    return CardReadError(ErrorKind.MALFORMED, message)


def _date(text: str, label: str) -> date:
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise _refuse(texts.MANUAL_BAD_DATE.format(field=label))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise _refuse(texts.MANUAL_BAD_DATE.format(field=label)) from None


def _required(value: str, label: str) -> str:
    text = value.strip()
    if not text:
        raise _refuse(texts.MANUAL_MISSING.format(field=label))
    return text


def manual_card(entry: ManualEntry, *, today: date | None = None) -> CardRead:
    """Check typed card fields and turn them into a CardRead; raises CardReadError with a Chinese reason."""
    name = _required(entry.name, "姓名")
    try:
        number = parse_id_number(_required(entry.id_number, "公民身份号码"), today=today)
    except InvalidIdNumber as error:
        raise _refuse(texts.MANUAL_BAD_NUMBER.format(reason=error)) from None
    if entry.sex.strip() and {"男": Sex.MALE, "女": Sex.FEMALE}.get(entry.sex.strip()) != number.sex:
        raise _refuse(texts.MANUAL_MISMATCH.format(field="性别"))
    if entry.birth_date.strip() and _date(entry.birth_date, "出生日期") != number.birth_date:
        raise _refuse(texts.MANUAL_MISMATCH.format(field="出生日期"))
    try:
        nation = nation_name(nation_code(_required(entry.nation, "民族")))
    except ValueError as error:
        raise _refuse(str(error)) from None
    end = entry.valid_to.strip() or LONG_TERM
    record = IdCardRecord(
        card_type=CardType.RESIDENT,
        name=name,
        sex=number.sex,
        birth_date=number.birth_date,
        id_number=number.number,
        valid_from=_date(_required(entry.valid_from, "有效期限起始日期"), "有效期限起始日期"),
        valid_to=None if end == LONG_TERM else _date(end, "有效期限截止日期"),
        nation=nation,
        address=entry.address.strip() or None,
        issuing_authority=entry.issuing_authority.strip() or None,
    )
    try:
        text = build_base_message(record)
    except InvalidCardRecord as error:
        raise _refuse(texts.MALFORMED.format(reason=error)) from None
    return decode_record(text, texts.MANUAL_SOURCE)
