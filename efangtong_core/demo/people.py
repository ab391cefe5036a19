"""Demo petitioners: valid, unique ID numbers (mostly 150627), names by nation, addresses and phones."""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from efangtong_core.demo.ids import IdSource, ServerSequence
from efangtong_core.demo.names import person_name, pick_nation, pick_sex
from efangtong_core.demo.org import Row, base_row
from efangtong_core.demo.pinyin import name_initials
from efangtong_core.demo.places import OTHER_REGIONS, local_address, other_address, pick_other_region, pick_town
from efangtong_core.idnumber import make_id_number
from efangtong_core.nations import nation_name
from efangtong_core.vocabulary import COUNTY_CODE, Sex

_REGIONS = (COUNTY_CODE, *(code for code, _, _ in OTHER_REGIONS))
_REGION_INDEX = {code: index for index, code in enumerate(_REGIONS)}
_FIRST_BIRTH = date(1930, 1, 1)
_BIRTH_DAYS = (date(2008, 12, 31) - _FIRST_BIRTH).days + 1
_SEQUENCES_PER_SEX = 500  # order codes 000-999: odd for men, even for women
_LOCAL_SHARE = 0.70  # ID numbers issued in 伊金霍洛旗 itself


@dataclass(frozen=True, slots=True)
class Person:
    """What later petitions need to know about a petitioner that was created."""

    id: str
    name: str
    town_code: str


class PeopleFactory:
    """Creates petitioner rows; ID numbers never repeat (a per region/day/sex counter picks the order code)."""

    def __init__(self, rng: random.Random, ids: IdSource, seq: ServerSequence) -> None:
        self._rng = rng
        self._ids = ids
        self._seq = seq
        # 2 bytes per (region, birth day, sex): a few MB whatever the number of people, so memory stays flat.
        self._used = array("H", bytes(2 * len(_REGIONS) * _BIRTH_DAYS * 2))

    def _id_number(self, region: str, birth: date, sex: Sex) -> tuple[str, date]:
        region_index = _REGION_INDEX[region]
        day = min(max((birth - _FIRST_BIRTH).days, 0), _BIRTH_DAYS - 1)
        while True:
            slot = ((region_index * _BIRTH_DAYS) + day) * 2 + (sex is Sex.MALE)
            count = self._used[slot]
            if count < _SEQUENCES_PER_SEX:
                self._used[slot] = count + 1
                break
            day = (day + 1) % _BIRTH_DAYS
        # Scramble the counter (173 is prime to 500) so that order codes look arbitrary, not 001, 003...
        order = (count * 173 + day * 7) % _SEQUENCES_PER_SEX
        sequence = 2 * order + (1 if sex is Sex.MALE else 0)
        born = _FIRST_BIRTH + timedelta(days=day)
        return make_id_number(region, born, sequence, sex), born

    def new(
        self,
        when: datetime,
        *,
        town_code: str,
        village: str,
        with_id: bool = True,
        anonymous: bool = False,
        verified: bool = False,
    ) -> tuple[Person, Row, list[Row]]:
        """A new petitioner first seen at `when` (UTC), living near the matter's town: (person, row, phone rows)."""
        rng = self._rng
        row = base_row(self._ids, self._seq, when)
        if anonymous:
            row |= _anonymous_fields()
            return Person(str(row["id"]), "匿名", town_code), row, []
        sex = pick_sex(rng)
        local = rng.random() < _LOCAL_SHARE
        region, prefix = (COUNTY_CODE, "") if local else pick_other_region(rng)
        nation_code, _ = (
            pick_nation(rng) if region.startswith("15") else (("01", "") if rng.random() < 0.93 else ("03", ""))
        )
        age = min(max(int(rng.gauss(50, 13)), 19), 88)
        birth = when.date() - timedelta(days=365 * age + rng.randrange(365))
        id_number, birth = self._id_number(region, birth, sex) if with_id else (None, birth)
        if local or rng.random() < 0.65:
            if rng.random() > 0.8:
                town_code = pick_town(rng)[0]
                village = ""
            address = local_address(rng, town_code, village or None)
        else:
            address = other_address(rng, prefix)
        name = person_name(rng, sex, nation_code)
        row |= {
            "id_type": "resident",
            "id_number": id_number,
            "name": name,
            "name_initials": name_initials(name),
            "sex": str(sex),
            "nation": nation_name(nation_code),
            "birth_date": birth if with_id or rng.random() < 0.3 else None,
            "address": address,
            "home_division_code": region if with_id else None,
            "card_photo_sha256": None,
            "anonymous": False,
            "verification_status": "match" if verified and with_id else "unverified",
            "verified_at": when if verified and with_id else None,
            "note": None,
        }
        phones = [self._phone_row(str(row["id"]), 0, "本人", when)]
        if rng.random() < 0.15:
            phones.append(self._phone_row(str(row["id"]), 1, rng.choice(("家属", "子女", "配偶")), when))
        return Person(str(row["id"]), name, town_code), row, phones

    def _phone_row(self, petitioner_id: str, position: int, label: str, when: datetime) -> Row:
        rng = self._rng
        if rng.random() < 0.06:
            number = f"04778{rng.randrange(10**6):06d}"  # a landline in the banner (area code 0477)
        else:
            prefix = rng.choice(("139", "138", "135", "150", "151", "152", "158", "183", "187", "133", "153", "189"))
            number = f"{prefix}{rng.randrange(10**8):08d}"
        return base_row(self._ids, self._seq, when) | {
            "petitioner_id": petitioner_id,
            "phone": number,
            "position": position,
            "label": label,
        }


def _anonymous_fields() -> Row:
    return {
        "id_type": "other",
        "id_number": None,
        "name": "匿名",
        "name_initials": "nm",
        "sex": str(Sex.UNKNOWN),
        "nation": None,
        "birth_date": None,
        "address": None,
        "home_division_code": None,
        "card_photo_sha256": None,
        "anonymous": True,
        "verification_status": "unverified",
        "verified_at": None,
        "note": None,
    }


def utc(local: datetime) -> datetime:
    """A naive China Standard Time datetime as an aware UTC one."""
    return (local - timedelta(hours=8)).replace(tzinfo=UTC)
