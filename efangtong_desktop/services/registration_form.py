"""What the registration form hands to the registration service, and the rules it must pass (messages in Chinese).

`validate_registration` returns every problem at once, keyed by the form field it belongs to, so the page can show
each message next to its field; `register_petition` refuses input that has any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from efangtong_core.idnumber import InvalidIdNumber, parse_id_number
from efangtong_core.vocabulary import MAX_GROUP_REPRESENTATIVES, PetitionForm, PetitionPurpose
from efangtong_desktop.services import registration_texts as texts

ID_TYPES: tuple[str, ...] = ("resident", "hmt", "foreign", "other")
"""petitioner.id_type codes; the first two carry a GB 11643 number."""

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")
_OTHER_ID = re.compile(r"[0-9A-Za-z]{6,18}")
MIN_CONTENT_LENGTH = 5
MAX_HEAD_COUNT = 9999


class RegistrationInvalid(ValueError):
    """The input breaks rules; `problems` maps a field key to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class PersonInput:
    """A petitioner (or representative) as typed or read from the card."""

    name: str
    id_number: str = ""
    id_type: str = "resident"
    sex: str = "unknown"
    nation: str = ""
    birth_date: date | None = None
    address: str = ""
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrationInput:
    """A whole registration: the first petitioner, the matter, group representatives, agent and attachments."""

    petitioner: PersonInput
    form: str
    purpose: str
    category_id: str | None
    town_id: str | None
    content: str
    head_count: int = 1
    title: str = ""
    representatives: tuple[PersonInput, ...] = ()
    """The other representatives of a group visit (the first petitioner is representative 1)."""
    agent_id: str | None = None
    repeat_of_id: str | None = None
    attachments: tuple[Path, ...] = ()
    card_photo: bytes | None = field(default=None, repr=False)


def phone_digits(text: str) -> str:
    """A typed phone number with spaces, dashes and brackets removed."""
    return re.sub(r"[\s\-()（）]", "", text)


def is_valid_phone(text: str) -> bool:
    """True for an 11-digit mobile number or a landline with its area code."""
    digits = phone_digits(text)
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))


def normalised_id(person: PersonInput, today: date | None = None) -> str:
    """The person's ID number normalised ("" when none); raises InvalidIdNumber for a bad resident number."""
    text = person.id_number.strip()
    if not text:
        return ""
    if person.id_type in ("resident", "hmt"):
        return parse_id_number(text, today=today).number
    if not _OTHER_ID.fullmatch(text):
        raise InvalidIdNumber(texts.ID_OTHER_INVALID)
    return text.upper()


def person_problems(person: PersonInput, *, id_required: bool, today: date | None = None) -> dict[str, str]:
    """Problems of one person's fields, keyed name / id_number / phones."""
    problems: dict[str, str] = {}
    name = person.name.strip()
    if not name:
        problems["name"] = texts.NAME_REQUIRED
    elif len(name) > 50:
        problems["name"] = texts.NAME_TOO_LONG
    if not person.id_number.strip():
        if id_required:
            problems["id_number"] = texts.ID_REQUIRED
    else:
        try:
            normalised_id(person, today)
        except InvalidIdNumber as error:
            problems["id_number"] = texts.ID_INVALID.format(reason=error)
    seen: set[str] = set()
    for phone in person.phones:
        if not phone.strip():
            continue
        if not is_valid_phone(phone):
            problems["phones"] = texts.PHONE_INVALID.format(phone=phone.strip())
            break
        if phone_digits(phone) in seen:
            problems["phones"] = texts.PHONE_DUPLICATE.format(phone=phone.strip())
            break
        seen.add(phone_digits(phone))
    return problems


def validate_registration(data: RegistrationInput, *, today: date | None = None) -> dict[str, str]:
    """Every rule the input breaks, by field key ({} when it may be saved)."""
    form_known = PetitionForm.has_code(data.form)
    id_required = form_known and PetitionForm.from_code(data.form) in (PetitionForm.VISIT, PetitionForm.AGENT)
    problems = person_problems(data.petitioner, id_required=id_required, today=today)
    if not form_known:
        problems["form"] = texts.FORM_REQUIRED
    if not PetitionPurpose.has_code(data.purpose):
        problems["purpose"] = texts.PURPOSE_REQUIRED
    if not data.category_id:
        problems["category"] = texts.CATEGORY_REQUIRED
    if not data.town_id:
        problems["town"] = texts.TOWN_REQUIRED
    content = data.content.strip()
    if not content:
        problems["content"] = texts.CONTENT_REQUIRED
    elif len(content) < MIN_CONTENT_LENGTH:
        problems["content"] = texts.CONTENT_TOO_SHORT
    problems.update(_group_problems(data, today))
    if form_known and data.form == PetitionForm.AGENT and not data.agent_id:
        problems["agent"] = texts.AGENT_REQUIRED
    elif form_known and data.form != PetitionForm.AGENT and data.agent_id:
        problems["agent"] = texts.AGENT_NOT_FOR_FORM
    for path in data.attachments:
        if not path.is_file():
            problems["attachments"] = texts.ATTACHMENT_MISSING.format(name=path.name)
            break
    return problems


def _group_problems(data: RegistrationInput, today: date | None) -> dict[str, str]:
    if not isinstance(data.head_count, int) or not 1 <= data.head_count <= MAX_HEAD_COUNT:
        return {"head_count": texts.HEAD_COUNT_INVALID}
    if not data.representatives:
        return {}
    count = 1 + len(data.representatives)
    if count > MAX_GROUP_REPRESENTATIVES:
        return {"representatives": texts.TOO_MANY_REPRESENTATIVES.format(count=count)}
    if data.head_count < count:
        return {"head_count": texts.HEAD_COUNT_BELOW_REPRESENTATIVES.format(head=data.head_count, count=count)}
    seen = {_identity(data.petitioner, today)}
    for position, person in enumerate(data.representatives, start=2):
        problems = person_problems(person, id_required=True, today=today)
        if problems:
            reason = next(iter(problems.values()))
            return {"representatives": texts.REPRESENTATIVE_INVALID.format(position=position, reason=reason)}
        identity = _identity(person, today)
        if identity in seen:
            return {"representatives": texts.REPRESENTATIVE_DUPLICATE.format(position=position)}
        seen.add(identity)
    return {}


def _identity(person: PersonInput, today: date | None) -> str:
    try:
        return normalised_id(person, today) or f"name:{person.name.strip()}"
    except InvalidIdNumber:
        return f"name:{person.name.strip()}"
