"""Sample cards of every layout for the card-reader tests, built with efangtong_core.idcard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from efangtong_core.idcard import CardType, IdCardRecord, build_base_message
from efangtong_core.idnumber import check_character, make_id_number
from efangtong_core.vocabulary import Sex

TODAY = date(2026, 6, 1)
BORN = date(1985, 3, 7)
NEW_PERMIT = "915062" + "19850307" + "123"

RESIDENT = IdCardRecord(
    card_type=CardType.RESIDENT,
    name="巴特尔",
    sex=Sex.MALE,
    birth_date=BORN,
    id_number="150627198503071233",
    valid_from=date(2015, 3, 10),
    valid_to=date(2035, 3, 10),
    nation="蒙古族",
    address="内蒙古自治区伊金霍洛旗阿勒腾席热镇天骄路1号",
    issuing_authority="伊金霍洛旗公安局",
)
HK_MO_TW = IdCardRecord(
    card_type=CardType.HK_MO_TW_RESIDENCE,
    name="陈美玲",
    sex=Sex.FEMALE,
    birth_date=date(1992, 8, 1),
    id_number=make_id_number("810000", date(1992, 8, 1), 12, Sex.FEMALE),
    valid_from=date(2020, 1, 1),
    valid_to=date(2030, 1, 1),
    address="香港特别行政区",
    issuing_authority="鄂尔多斯市公安局",
    pass_number="H60123456",
    issue_count=1,
)
FOREIGN_OLD = IdCardRecord(
    card_type=CardType.FOREIGN_PERMANENT_OLD,
    name="马克",
    sex=Sex.MALE,
    birth_date=BORN,
    id_number="USA150685030712",
    valid_from=date(2018, 5, 1),
    valid_to=date(2028, 5, 1),
    english_name="SMITH, MARK",
    nationality="USA",
    card_version="01",
    issuing_authority="1500",
)
FOREIGN_2023 = IdCardRecord(
    card_type=CardType.FOREIGN_PERMANENT_2023,
    name="安娜",
    sex=Sex.FEMALE,
    birth_date=BORN,
    id_number=NEW_PERMIT + check_character(NEW_PERMIT),
    valid_from=date(2024, 1, 1),
    valid_to=date(2034, 1, 1),
    english_name="PETROVA, ANNA",
    nationality="RUS",
    issue_count=0,
)
EXPIRED = replace(RESIDENT, valid_from=date(2005, 3, 10), valid_to=date(2025, 3, 10))
ALL_TYPES = (RESIDENT, HK_MO_TW, FOREIGN_OLD, FOREIGN_2023)
PHOTO = bytes(range(256)) * 4


def text_of(record: IdCardRecord) -> bytes:
    """The card's 256-byte text record."""
    return build_base_message(record)


def malformed_text() -> bytes:
    """A text record whose sex code is not 1 or 2 (parse_base_message refuses it)."""
    raw = bytearray(text_of(RESIDENT))
    raw[30:32] = "9".encode("utf-16-le")
    return bytes(raw)
