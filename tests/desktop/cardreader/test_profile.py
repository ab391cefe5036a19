"""The TOML APDU profiles: the shipped one, chunking, matching reader names, and refusals with Chinese reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from efangtong_desktop.cardreader.base import CardReadError, ErrorKind
from efangtong_desktop.cardreader.profile import load_profile, load_profiles, profile_for

MINIMAL = """
model = "测试读卡器"
reader_names = ["ACME"]
select = []
chunk_size = 200
[text]
select = "00A40200020101"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_profile() -> None:
    (generic,) = load_profiles()
    assert generic.name == "generic" and generic.default and generic.protocol == "any"
    assert generic.select == (bytes.fromhex("00A4040008A000000627494401"),)
    assert generic.success == {"9000"} and generic.no_card == {"6A82"}
    assert generic.text.length == 256 and generic.photo is not None and generic.photo.length == 1024
    assert generic.read_commands(generic.text) == [bytes.fromhex("00B0000080"), bytes.fromhex("00B0008080")]
    assert generic.read_commands(generic.photo)[-1] == bytes.fromhex("00B0038080")


def test_reader_names_pick_the_profile_and_the_default_catches_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "acme", MINIMAL)
    write(tmp_path, "zz_default", MINIMAL.replace('reader_names = ["ACME"]', "default = true"))
    profiles = load_profiles(tmp_path)
    acme = profile_for("acme IDR-200 00 00", profiles)
    assert acme.name == "acme" and acme.photo is None and acme.select == ()
    assert acme.read_commands(acme.text) == [bytes.fromhex("00B00000C8"), bytes.fromhex("00B000C838")]
    assert profile_for("Other Reader 00 00", profiles).name == "zz_default"
    with pytest.raises(CardReadError) as missing:
        profile_for("Other Reader 00 00", profiles[:1])
    assert missing.value.kind is ErrorKind.CONFIG and "没有适用于读卡器" in missing.value.message


def test_a_full_chunk_of_256_is_sent_as_le_00(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "big", MINIMAL.replace("chunk_size = 200", "chunk_size = 256")))
    assert profile.read_commands(profile.text) == [bytes.fromhex("00B0000000")]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (('model = "测试读卡器"', ""), "缺少 model"),
        (("chunk_size = 200", "chunk_size = 0"), "chunk_size"),
        (('select = "00A40200020101"', 'select = "XYZ"'), "不是有效的十六进制"),
        (('reader_names = ["ACME"]', "reader_names = []"), "default = true"),
        (("select = []", 'select = []\nprotocol = "T2"'), "protocol"),
        (("select = []", 'select = []\nsuccess = ["90"]'), "4位十六进制"),
        (("[text]", "[text]\nlength = 255"), "length 应为 256"),
        (("[text]", "[texts]"), "缺少 [text]"),
        (("model", "model = = "), "有误"),
    ],
)
def test_bad_profiles_are_refused_with_the_reason(tmp_path: Path, change: tuple[str, str], reason: str) -> None:
    path = write(tmp_path, "bad", MINIMAL.replace(*change, 1))
    with pytest.raises(CardReadError) as refused:
        load_profile(path)
    assert refused.value.kind is ErrorKind.CONFIG
    assert str(path) in refused.value.message and reason in refused.value.message


def test_the_wire_plan_is_the_profiles_conversation_built_once(tmp_path: Path) -> None:
    (generic,) = load_profiles()
    wire = generic.wire
    assert generic.wire is wire, "built on first use, then kept for every read"
    assert wire.opening == (list(generic.select[0]),)
    assert generic.photo is not None
    assert wire.text == tuple(list(apdu) for apdu in (generic.text.select, *generic.read_commands(generic.text)))
    assert len(wire.photo) == 1 + 8 and wire.photo[0] == list(generic.photo.select)
    assert wire.success == {(0x90, 0x00)}
    acme = load_profile(
        write(tmp_path, "acme", MINIMAL.replace("chunk_size = 200", 'chunk_size = 200\nsuccess = ["9000", "61 10"]'))
    )
    assert acme.wire.photo == () and acme.wire.opening == () and acme.wire.success == {(0x90, 0), (0x61, 0x10)}
