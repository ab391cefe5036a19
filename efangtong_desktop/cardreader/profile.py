"""APDU profiles: how a PC/SC reader model is asked for the card's text record and photo, read from TOML files.

A new reader model needs a profile in `resources/cardreaders/`, not code. A profile names the reader models it serves
(substrings of the PC/SC reader name), the APDUs that select the ID-card application and each file, the READ BINARY
header and chunk size, and which status words mean success or "no card". See `generic.toml` for the annotated format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from efangtong_desktop.cardreader import texts
from efangtong_desktop.cardreader.base import CardReadError, ErrorKind
from efangtong_desktop.resources import resources_dir

PROFILES_DIRNAME = "cardreaders"
PROTOCOLS = ("any", "T0", "T1")
TEXT_LENGTH = 256
PHOTO_LENGTH = 1024


@dataclass(frozen=True)
class FileSpec:
    """One file on the card: the APDU selecting it and how many bytes to read."""

    select: bytes
    length: int


@dataclass(frozen=True)
class WirePlan:
    """A profile's conversation as pyscard sends it (lists of ints), built once per profile and reused by every read."""

    opening: tuple[list[int], ...]
    """The application SELECTs."""
    text: tuple[list[int], ...]
    """SELECT of the text record, then its READ BINARYs."""
    photo: tuple[list[int], ...]
    """SELECT of the photo, then its READ BINARYs (empty when the profile has no photo)."""
    success: frozenset[tuple[int, int]]
    """The success status words as (SW1, SW2)."""


@dataclass(frozen=True)
class ApduProfile:
    """The APDU conversation for one reader model."""

    name: str
    model: str
    reader_names: tuple[str, ...]
    default: bool
    protocol: str
    select: tuple[bytes, ...]
    read_binary: bytes
    chunk_size: int
    success: frozenset[str]
    no_card: frozenset[str]
    text: FileSpec
    photo: FileSpec | None
    path: Path

    def serves(self, reader: str) -> bool:
        """Whether this profile is written for the PC/SC reader named `reader`."""
        return any(part.casefold() in reader.casefold() for part in self.reader_names)

    @cached_property
    def wire(self) -> WirePlan:
        """The APDUs of a whole read, ready for SCardTransmit (computed on first use, then kept)."""

        def file(spec: FileSpec | None) -> tuple[list[int], ...]:
            if spec is None:
                return ()
            return tuple(list(apdu) for apdu in (spec.select, *self.read_commands(spec)))

        return WirePlan(
            opening=tuple(list(apdu) for apdu in self.select),
            text=file(self.text),
            photo=file(self.photo),
            success=frozenset((int(word[:2], 16), int(word[2:], 16)) for word in self.success),
        )

    def read_commands(self, spec: FileSpec) -> list[bytes]:
        """The READ BINARY APDUs that fetch `spec.length` bytes in chunks of `chunk_size` (P1P2 = offset)."""
        commands = []
        for offset in range(0, spec.length, self.chunk_size):
            size = min(self.chunk_size, spec.length - offset)
            commands.append(self.read_binary + offset.to_bytes(2, "big") + bytes([size % 256]))
        return commands


def default_profiles_dir() -> Path:
    """The directory of the shipped profiles (resources/cardreaders)."""
    return resources_dir() / PROFILES_DIRNAME


def _hex(value: Any, key: str) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{key} 应为十六进制字符串")
    try:
        data = bytes.fromhex(value)
    except ValueError:
        raise ValueError(f"{key}“{value}”不是有效的十六进制字符串") from None
    if not data:
        raise ValueError(f"{key} 不能为空")
    return data


def _status_words(value: Any, key: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f'{key} 应为状态字列表，例如 ["9000"]')
    words = {item.replace(" ", "").upper() for item in value}
    for word in words:
        if len(word) != 4 or any(char not in "0123456789ABCDEF" for char in word):
            raise ValueError(f"{key} 中的状态字“{word}”应为4位十六进制数")
    return frozenset(words)


def _file(table: Any, key: str, length: int) -> FileSpec:
    if not isinstance(table, dict):
        raise ValueError(f"缺少 [{key}] 表")
    size = table.get("length", length)
    if size != length:
        raise ValueError(f"[{key}] length 应为 {length}")
    return FileSpec(select=_hex(table.get("select"), f"[{key}] select"), length=length)


def parse_profile(data: dict[str, Any], path: Path) -> ApduProfile:
    """Build a profile from a parsed TOML table; raises ValueError with a Chinese reason."""
    model = data.get("model")
    if not isinstance(model, str) or not model.strip():
        raise ValueError("缺少 model（读卡器型号说明）")
    names = data.get("reader_names", [])
    if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
        raise ValueError("reader_names 应为读卡器名称片段的列表")
    default = data.get("default", False)
    if not isinstance(default, bool) or (not names and not default):
        raise ValueError("reader_names 为空时须设置 default = true")
    protocol = data.get("protocol", "any")
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol 应为 {'、'.join(PROTOCOLS)} 之一")
    selects = data.get("select", [])
    if not isinstance(selects, list):
        raise ValueError("select 应为 APDU 列表")
    chunk = data.get("chunk_size")
    if not isinstance(chunk, int) or isinstance(chunk, bool) or not 1 <= chunk <= 256:
        raise ValueError("chunk_size 应为 1–256 的整数")
    read_binary = _hex(data.get("read_binary", "00B0"), "read_binary")
    if len(read_binary) != 2:
        raise ValueError("read_binary 应为 2 字节（CLA INS）")
    photo = data.get("photo")
    return ApduProfile(
        name=path.stem,
        model=model.strip(),
        reader_names=tuple(names),
        default=default,
        protocol=protocol,
        select=tuple(_hex(item, "select") for item in selects),
        read_binary=read_binary,
        chunk_size=chunk,
        success=_status_words(data.get("success", ["9000"]), "success"),
        no_card=_status_words(data.get("no_card", []), "no_card"),
        text=_file(data.get("text"), "text", TEXT_LENGTH),
        photo=None if photo is None else _file(photo, "photo", PHOTO_LENGTH),
        path=path,
    )


def load_profile(path: Path) -> ApduProfile:
    """Read one TOML profile; a bad file raises CardReadError naming the file and the problem."""
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
        return parse_profile(data, path)
    except (OSError, tomllib.TOMLDecodeError, ValueError) as error:
        message = texts.PROFILE_INVALID.format(path=path, reason=error)
        raise CardReadError(ErrorKind.CONFIG, message) from None


def load_profiles(directory: Path | None = None) -> list[ApduProfile]:
    """Every profile in `directory` (default: the shipped ones), in file-name order."""
    folder = directory or default_profiles_dir()
    return [load_profile(path) for path in sorted(folder.glob("*.toml"))]


def profile_for(reader: str, profiles: list[ApduProfile]) -> ApduProfile:
    """The profile written for `reader`, else the default one; raises CardReadError when there is neither."""
    for profile in profiles:
        if profile.serves(reader):
            return profile
    for profile in profiles:
        if profile.default:
            return profile
    raise CardReadError(ErrorKind.CONFIG, texts.PROFILE_MISSING.format(reader=reader))
