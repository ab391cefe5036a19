"""Masking of ID numbers, phones and names, and which roles see them unmasked."""

from __future__ import annotations

import pytest

from efangtong_core.idnumber import parse_id_number
from efangtong_core.masking import (
    mask_id_number,
    mask_name,
    mask_phone,
    mask_phones,
    sees_personal_data,
    shown_id_number,
    shown_phone,
)
from efangtong_core.vocabulary import Role


def test_id_number_keeps_region_and_last_four() -> None:
    assert mask_id_number("15062719900517121X") == "150627********121X"
    assert mask_id_number("150627900517121") == "150627*****7121"
    assert mask_id_number("12345") == "*****"
    assert mask_id_number(None) == ""


def test_parsed_id_number_masks_the_same_way() -> None:
    assert parse_id_number("15062719900517121X").masked() == mask_id_number("15062719900517121X")


def test_phone_keeps_prefix_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("04778612345") == "047****2345"
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == ""
    assert mask_phones("13812345678,13987654321") == "138****5678,139****4321"


def test_name_keeps_first_character() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修文") == "欧***"
    assert mask_name("") == ""


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((Role.CLERK,), True),
        ((Role.DISPATCHER,), True),
        ((Role.LEADER,), True),
        ((Role.HANDLER,), True),
        ((Role.UNIT_HEAD,), True),
        ((Role.AGENT,), True),
        ((Role.INSPECTOR,), False),
        ((Role.BIGSCREEN,), False),
        ((Role.ADMIN,), False),
        ((), False),
        ((Role.BIGSCREEN, Role.CLERK), True),
        (("clerk",), True),
        (("unknown",), False),
    ],
)
def test_roles_seeing_personal_data(roles: tuple[str, ...], expected: bool) -> None:
    assert sees_personal_data(roles) is expected


def test_shown_values_follow_the_policy() -> None:
    assert shown_id_number("15062719900517121X", unmasked=True) == "15062719900517121X"
    assert shown_id_number("15062719900517121X", unmasked=False) == "150627********121X"
    assert shown_phone("13812345678", unmasked=True) == "13812345678"
    assert shown_phone("13812345678", unmasked=False) == "138****5678"
