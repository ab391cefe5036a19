"""The vendors' `termb` library through ctypes: CVR_InitComm, CVR_Authenticate, CVR_Read_Content, then Get* for
each field (GBK text) and GetBMPData for the photo, which termb decodes itself. Return codes have Chinese messages.

termb hands out fields, not the raw record, so they are put back into a record with `build_base_message` and parsed
with `parse_base_message`: the same checks as every other backend. Only the resident card's fields have getters here.
"""

from __future__ import annotations

import ctypes
import re
from datetime import date
from pathlib import Path
from typing import Any

from efangtong_core.idcard import LONG_TERM, CardType, IdCardRecord, InvalidCardRecord, build_base_message
from efangtong_core.nations import nation_code, nation_name
from efangtong_core.vocabulary import Sex
from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardRead, CardReadError, ErrorKind, decode_record
from efangtong_desktop.cardreader.sdk import PollingSdkBackend, bind, load_library, port_name

SUCCESS = 1
NO_CARD = 2
FIELD_BUFFER = 256
BMP_BUFFER = 40_000
READ_ACTIVE = 4
_KINDS: dict[str, dict[int, ErrorKind]] = {
    "CVR_InitComm": {0: ErrorKind.NO_READER, 2: ErrorKind.NO_READER, -1: ErrorKind.NO_READER},
    "CVR_Authenticate": {
        0: ErrorKind.NO_READER,
        4: ErrorKind.NO_READER,
        -1: ErrorKind.NO_READER,
        2: ErrorKind.NO_CARD,
        3: ErrorKind.CARD_REMOVED,
    },
    "CVR_Read_Content": {
        0: ErrorKind.CARD_REMOVED,
        2: ErrorKind.NO_CARD,
        3: ErrorKind.CARD_REMOVED,
        4: ErrorKind.NO_READER,
    },
    "Get": {0: ErrorKind.UNREADABLE},
}
"""What kind of failure a code is, per function (termb's codes mean different things from different functions)."""
NOT_PRESENT = (NO_CARD, 3)
"""CVR_Authenticate's "no card" (2, 寻卡失败) and "select failed" (3, a card being put down or taken away)."""
_GETTERS = {
    "name": "GetPeopleName",
    "sex": "GetPeopleSex",
    "nation": "GetPeopleNation",
    "nation_code": "GetNationCode",
    "birth": "GetPeopleBirthday",
    "address": "GetPeopleAddress",
    "number": "GetPeopleIDCode",
    "department": "GetDepartment",
    "start": "GetStartDate",
    "end": "GetEndDate",
    "cert_type": "GetCertType",
}
_Bytes = ctypes.POINTER(ctypes.c_ubyte)
_Int = ctypes.POINTER(ctypes.c_int)


def cvr_error(code: int, function: str) -> CardReadError:
    """The CardReadError for what termb's `function` returned (the field getters, Get*, share one table)."""
    table = "Get" if function.startswith("Get") else function
    message = texts.CVR_CODES.get(table, {}).get(code)
    if message is None:
        return CardReadError(ErrorKind.SDK, texts.SDK_UNKNOWN_CODE.format(code=code, function=function))
    return CardReadError(_KINDS.get(table, {}).get(code, ErrorKind.SDK), f"{message}（{function} 返回 {code}）。")


def _malformed(reason: str) -> CardReadError:
    return CardReadError(ErrorKind.MALFORMED, texts.MALFORMED.format(reason=reason))


def _date(text: str, label: str) -> date:
    digits = re.sub(r"\D", "", text)
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise _malformed(f"{label}“{text}”不是有效日期") from None


def record_from_fields(fields: dict[str, str]) -> IdCardRecord:
    """A resident card's record from termb's field strings; raises CardReadError(MALFORMED)."""
    sex = {"男": Sex.MALE, "1": Sex.MALE, "女": Sex.FEMALE, "2": Sex.FEMALE}.get(fields["sex"])
    if sex is None:
        raise _malformed(f"性别“{fields['sex']}”无效")
    try:
        code = fields.get("nation_code", "")
        nation = nation_name(code) if code else nation_name(nation_code(fields["nation"]))
    except ValueError:
        raise _malformed(f"民族“{fields.get('nation_code') or fields['nation']}”无效") from None
    end = fields["end"]
    return IdCardRecord(
        card_type=CardType.RESIDENT,
        name=fields["name"],
        sex=sex,
        birth_date=_date(fields["birth"], "出生日期"),
        id_number=fields["number"],
        valid_from=_date(fields["start"], "有效期限起始日期"),
        valid_to=None if end == LONG_TERM else _date(end, "有效期限截止日期"),
        nation=nation,
        address=fields["address"] or None,
        issuing_authority=fields["department"] or None,
    )


class TermbBackend(PollingSdkBackend):
    """An ID-card reader through the vendor's termb library (Termb.dll / libtermb.so)."""

    def __init__(self, library: Path, port: int = 1001) -> None:
        super().__init__(port)
        self.library_path = library
        lib = load_library(library)
        self._init = bind(lib, library, "CVR_InitComm", [ctypes.c_int])
        self._close = bind(lib, library, "CVR_CloseComm", [])
        self._authenticate = bind(lib, library, "CVR_Authenticate", [])
        self._read = bind(lib, library, "CVR_Read_Content", [ctypes.c_int])
        self._bmp = bind(lib, library, "GetBMPData", [_Bytes, _Int])
        self._getters = {key: bind(lib, library, name, [_Bytes, _Int]) for key, name in _GETTERS.items()}

    @property
    def reader_name(self) -> str:
        """E.g. "termb USB 1001"."""
        return port_name("termb", self.port)

    def _call(self, function: Any, name: str, *args: Any) -> int:
        code = int(function(*args))
        if code != SUCCESS:
            raise cvr_error(code, name)
        return code

    def open(self) -> None:
        """CVR_InitComm."""
        self._call(self._init, "CVR_InitComm", self.port)

    def close(self) -> None:
        """CVR_CloseComm (its result does not matter)."""
        self._close()

    def card_present(self) -> bool:
        """CVR_Authenticate: 1 a card, 2 or 3 none (yet); anything else (the reader gone) raises."""
        code = int(self._authenticate())
        if code != SUCCESS and code not in NOT_PRESENT:
            raise cvr_error(code, "CVR_Authenticate")
        return code == SUCCESS

    def _field(self, key: str) -> str:
        buffer = (ctypes.c_ubyte * FIELD_BUFFER)()
        length = ctypes.c_int(0)
        self._call(self._getters[key], _GETTERS[key], buffer, ctypes.byref(length))
        raw = bytes(buffer)[: max(0, min(length.value, FIELD_BUFFER))]
        try:
            return raw.split(b"\x00", 1)[0].decode("gbk").strip()
        except UnicodeDecodeError:
            raise _malformed(f"{_GETTERS[key]} 返回的文字无法按GBK解码") from None

    def read_open(self) -> CardRead:
        """Authenticate, read the content, collect every field; checked like a raw record."""
        self._call(self._authenticate, "CVR_Authenticate")
        self._call(self._read, "CVR_Read_Content", READ_ACTIVE)
        fields = {key: self._field(key) for key in _GETTERS}
        if fields["cert_type"] not in ("", "0"):
            raise CardReadError(ErrorKind.UNREADABLE, texts.TERMB_RESIDENT_ONLY.format(kind=fields["cert_type"]))
        try:
            text = build_base_message(record_from_fields(fields))
        except InvalidCardRecord as error:
            raise _malformed(str(error)) from None
        card = decode_record(text, self.reader_name)
        image = (ctypes.c_ubyte * BMP_BUFFER)()
        length = ctypes.c_int(0)
        bmp = bytes(image)[: length.value] if int(self._bmp(image, ctypes.byref(length))) == SUCCESS else None
        return CardRead(record=card.record, reader=card.reader, photo_image=bmp or None)
