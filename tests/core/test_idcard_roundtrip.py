"""build_base_message → parse_base_message round trips for every card layout (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from efangtong_core.idcard import (
    RECORD_LENGTH,
    CardType,
    IdCardRecord,
    build_base_message,
    parse_base_message,
)
from efangtong_core.idnumber import check_character, make_id_number
from efangtong_core.nations import NATIONS
from efangtong_core.vocabulary import Sex

TODAY = date(2024, 6, 1)


CHINESE = st.text(alphabet="张王李赵刘陈杨黄周吴巴特尔其木格乌兰图雅额尔敦朝鲁", min_size=1, max_size=15)
LATIN = st.from_regex(r"[A-Z][A-Z ,.-]{0,44}[A-Z]", fullmatch=True)
DATES = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def records(draw: st.DrawFn) -> IdCardRecord:
    card_type = draw(st.sampled_from(list(CardType)))
    born, sequence = draw(DATES), draw(st.integers(min_value=0, max_value=999))
    sex = Sex.MALE if sequence % 2 else Sex.FEMALE
    valid_from = draw(st.dates(min_value=born, max_value=date(2030, 1, 1)))
    valid_to = draw(st.none() | st.dates(min_value=valid_from, max_value=date(2099, 12, 31)))
    base = IdCardRecord(card_type, draw(CHINESE), sex, born, "", valid_from, valid_to)
    if card_type is CardType.RESIDENT:
        region = draw(st.sampled_from(["150627", "152728", "150602", "110105", "659001"]))
        number = make_id_number(region, born, sequence, sex)
        nation = draw(st.sampled_from(sorted(NATIONS.values())))
        address = draw(st.text(alphabet="内蒙古自治区伊金霍洛旗阿勒腾席热镇0123456789号楼单元", max_size=35))
        return replace(base, id_number=number, nation=nation, address=address or None, issuing_authority="公安局")
    if card_type is CardType.HK_MO_TW_RESIDENCE:
        number = make_id_number(draw(st.sampled_from(["810000", "820000", "830000"])), born, sequence, sex)
        pass_number = draw(st.from_regex(r"[HM][0-9]{8}|[0-9]{8}", fullmatch=True))
        count = draw(st.integers(min_value=0, max_value=99))
        return replace(base, id_number=number, pass_number=pass_number, issue_count=count, address="香港")
    english = draw(LATIN)
    name = draw(st.sampled_from([english, draw(CHINESE)]))
    if card_type is CardType.FOREIGN_PERMANENT_OLD:
        number = f"CAN1100{born:%y%m%d}{sequence % 100:02d}"
        english = english[:60]
        return replace(base, name=name if name != base.name else english, english_name=english, id_number=number,
                       nationality="CAN", card_version="01", issuing_authority="1100")  # fmt: skip
    first17 = f"911124{born:%Y%m%d}{sequence:03d}"
    link = draw(st.none() | st.from_regex(r"[A-Z0-9]{3}", fullmatch=True))
    return replace(base, name=name, english_name=english, id_number=first17 + check_character(first17),
                   nationality="124", issue_count=draw(st.integers(0, 99)), old_number_link=link)  # fmt: skip


@given(records())
def test_build_then_parse_round_trip_for_every_layout(record: IdCardRecord) -> None:
    raw = build_base_message(record)
    assert len(raw) == RECORD_LENGTH
    parsed = parse_base_message(raw, today=TODAY)
    assert parsed == record
    assert build_base_message(parsed) == raw
