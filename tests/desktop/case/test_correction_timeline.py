"""The case's timeline shows what a correction (更正登记) changed: each field before → after, phones masked by role."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from efangtong_core.idnumber import make_id_number
from efangtong_core.vocabulary import PetitionPurpose, Role, Sex
from efangtong_desktop.services.case_details import load_details
from efangtong_desktop.services.case_events import Actor
from efangtong_desktop.services.registration import register_petition
from efangtong_desktop.services.registration_edit import correct_registration
from efangtong_desktop.services.registration_form import PersonInput
from sync.attachments import LocalAttachmentStore
from sync.outbox import enable_outbox
from tests.desktop.register.reference import DEVICE, sample_input, seed_reference

NOW = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


def test_a_corrections_before_and_after_read_in_words_and_phones_are_masked_for_an_inspector(
    db_engine: Engine, tmp_path: Path
) -> None:
    ref = seed_reference(db_engine)
    factory = sessionmaker(bind=db_engine, expire_on_commit=False)
    enable_outbox(factory)
    store = LocalAttachmentStore(tmp_path / "blobs")
    first = sample_input(
        ref,
        head_count=8,
        representatives=(PersonInput("其其格", make_id_number("150627", date(1991, 2, 1), 22, Sex.FEMALE)),),
    )
    result = register_petition(factory, first, ref.registrar(), store=store, now=NOW)
    corrected = replace(
        first,
        purpose=PetitionPurpose.SUGGESTION.value,
        content="反映拖欠工资问题，涉及十二名工人。",
        petitioner=replace(first.petitioner, phones=(*first.petitioner.phones, "13800001111")),
        representatives=(),
    )
    correct_registration(factory, result.petition_id, corrected, ref.registrar(), store=store, now=NOW)

    def correction_words(roles: tuple[str, ...]) -> str:
        actor = Actor(user_id=ref.clerk_id, unit_id=ref.bureau_id, roles=roles, device_id=DEVICE)
        details = load_details(factory, actor, result.petition_id, store=store, today=date(2026, 3, 2))
        (entry,) = [one for one in details.timeline if one.what == "更正登记"]
        return entry.details

    clerk = correction_words((Role.CLERK.value,))
    assert "信访目的：求决 → 意见建议" in clerk
    assert "信访内容：" in clerk and "→ 「反映拖欠工资问题，涉及十二名工人。」" in clerk
    assert "代表：巴特尔、其其格 → （空）" in clerk  # no other representatives: not a group visit any more
    assert "联系电话：13947712345 → 13800001111、13947712345" in clerk
    inspector = correction_words((Role.INSPECTOR.value,))
    assert "联系电话：139****2345 → 138****1111、139****2345" in inspector
    assert "13800001111" not in inspector
