"""The TOML APDU profiles: the shipped one, chunking, matching reader names, refusals with Chinese reasons, and a new
reader model read through the real PC/SC stack with nothing but its profile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from efangtong_desktop.cardreader.base import CardReadError, ErrorKind
from efangtong_desktop.cardreader.pcsc import PcscBackend
from efangtong_desktop.cardreader.profile import ApduProfile, load_profile, load_profiles, profile_for
from tests.desktop.cardreader.cards import PHOTO, RESIDENT, text_of
from tests.support.pcscd import FIRST_READER, Pcscd, wait_for_card
from tests.support.vpcd import VirtualIdCard, VpcdCardSession

PutCard = Callable[[VirtualIdCard], VpcdCardSession]

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


OTHER_MODEL = """
model = "另一型号的读卡器（两条选择命令、每次读100字节）"
reader_names = ["Virtual PCD"]
protocol = "T1"
select = ["00 A4 04 00 08 A0 00 00 06 27 49 44 02", "80 CA 00 00 00"]
read_binary = "00 B0"
chunk_size = 100
success = ["9000", "6282"]
no_card = ["6A80"]
[text]
select = "00 A4 02 00 02 00 11"
[photo]
select = "00 A4 02 00 02 00 12"
"""


@pytest.fixture
def other_model(tmp_path: Path) -> ApduProfile:
    """A reader model the code has never seen, described by a profile only."""
    return load_profile(write(tmp_path, "other", OTHER_MODEL))


def test_a_new_reader_model_is_read_through_pcsc_with_its_profile_alone(
    pcscd: Pcscd, put_card: PutCard, other_model: ApduProfile
) -> None:
    backend = PcscBackend([other_model])
    try:
        card = put_card(VirtualIdCard(other_model, text_of(RESIDENT), PHOTO, status_for_select=b"\x62\x82"))
        wait_for_card(FIRST_READER, present=True)
        read = backend.read(FIRST_READER)
    finally:
        backend.close()
    assert read.record == RESIDENT and read.photo_wlt == PHOTO, "6282 is a success status word of this profile"
    chunks = [(offset, min(100, length - offset)) for length in (256, 1024) for offset in range(0, length, 100)]
    reads = [bytes.fromhex("00B0") + offset.to_bytes(2, "big") + bytes([size]) for offset, size in chunks]
    text_reads, photo_reads = reads[:3], reads[3:]
    assert other_model.photo is not None
    assert card.card.apdus == [
        *other_model.select,
        other_model.text.select,
        *text_reads,
        other_model.photo.select,
        *photo_reads,
    ]
    assert len(text_reads) == 3 and len(photo_reads) == 11 and photo_reads[-1][-1] == 24


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [(b"\x6a\x80", ErrorKind.NO_CARD, "没有证件"), (b"\x6a\x82", ErrorKind.UNREADABLE, "6A82")],
    ids=["its no-card word", "the generic profile's no-card word is just an error here"],
)
def test_the_profiles_status_words_decide_what_an_answer_means(
    pcscd: Pcscd, put_card: PutCard, other_model: ApduProfile, status: bytes, kind: ErrorKind, words: str
) -> None:
    backend = PcscBackend([other_model])
    try:
        put_card(VirtualIdCard(other_model, text_of(RESIDENT), status_for_select=status))
        wait_for_card(FIRST_READER, present=True)
        with pytest.raises(CardReadError) as failure:
            backend.read(FIRST_READER)
    finally:
        backend.close()
    assert failure.value.kind is kind and words in failure.value.message
