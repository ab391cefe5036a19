"""A petitioner's personal record: readable within one's scope only, every read in the audit log."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from efangtong_core.models import AuditLog, Petition, Petitioner, PetitionerPhone
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose, Role
from tests.server.conftest import ServerUnderTest


def _petitioner_in(server: ServerUnderTest, town: str) -> str:
    """A petitioner with one phone and one petition about a matter in `town`; returns the petitioner's id."""
    town_id = server.unit(town, OrgUnitKind.TOWN)
    bureau_id = server.unit("伊金霍洛旗信访局", OrgUnitKind.BUREAU)
    with server.sessions() as session:
        person = Petitioner(name="巴特尔", id_number="150627198503071233", sex="male", nation="蒙古族")
        session.add(person)
        session.flush()
        session.add(PetitionerPhone(petitioner_id=person.id, phone="13904771234", position=0))
        session.add(
            Petition(
                query_code=uuid.uuid4().hex[:8],
                form=PetitionForm.VISIT,
                purpose=PetitionPurpose.REQUEST,
                content="草场补偿款未发放",
                registering_unit_id=bureau_id,
                town_id=town_id,
                petitioner_id=person.id,
                state="registered",
            )
        )
        session.commit()
        return person.id


def _reads_of(server: ServerUnderTest, petitioner_id: str) -> list[str | None]:
    with server.sessions() as session:
        rows = session.scalars(
            select(AuditLog.username).where(
                AuditLog.entity == "petitioner", AuditLog.entity_id == petitioner_id, AuditLog.action == "read"
            )
        )
        return list(rows)


def test_a_read_returns_the_record_and_is_audited(server: ServerUnderTest) -> None:
    person = _petitioner_in(server, "乌兰木伦镇")
    clerk = server.user(Role.CLERK)
    answer = server.client.get(f"/api/v1/petitioners/{person}", headers=server.headers(clerk))
    assert answer.status_code == 200
    record = answer.json()
    assert record["id_number"] == "150627198503071233"
    assert record["phones"] == [{"phone": "13904771234", "label": None}]
    assert record["petition_count"] == 1
    assert _reads_of(server, person) == [clerk]
    admin = server.user(Role.ADMIN)
    by_person = server.client.get(
        "/api/v1/audit", params={"entity": "petitioner", "entity_id": person}, headers=server.headers(admin)
    )
    assert [row["username"] for row in by_person.json()] == [clerk]


def test_another_towns_handler_cannot_tell_the_person_exists(server: ServerUnderTest) -> None:
    person = _petitioner_in(server, "乌兰木伦镇")
    outsider = server.user(Role.HANDLER, unit="札萨克镇")
    insider = server.user(Role.HANDLER, unit="乌兰木伦镇")
    refused = server.client.get(f"/api/v1/petitioners/{person}", headers=server.headers(outsider))
    missing = server.client.get(f"/api/v1/petitioners/{uuid.uuid4()}", headers=server.headers(outsider))
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json() == {"detail": "信访人不存在"}
    assert server.client.get(f"/api/v1/petitioners/{person}", headers=server.headers(insider)).status_code == 200
    assert _reads_of(server, person) == [insider]


def test_roles_without_case_work_may_not_read_personal_records(server: ServerUnderTest) -> None:
    person = _petitioner_in(server, "乌兰木伦镇")
    for role in (Role.ADMIN, Role.BIGSCREEN):
        answer = server.client.get(f"/api/v1/petitioners/{person}", headers=server.headers(server.user(role)))
        assert answer.status_code == 403
    assert _reads_of(server, person) == []


def test_an_inspector_reads_the_record_with_id_number_and_phones_masked(server: ServerUnderTest) -> None:
    person = _petitioner_in(server, "乌兰木伦镇")
    inspector = server.user(Role.INSPECTOR)
    answer = server.client.get(f"/api/v1/petitioners/{person}", headers=server.headers(inspector))
    assert answer.status_code == 200
    record = answer.json()
    assert record["id_number"] == "150627********1233" and record["masked"] is True
    assert record["phones"] == [{"phone": "139****1234", "label": None}]
    assert record["name"] == "巴特尔" and record["petition_count"] == 1
    dispatcher = server.user(Role.DISPATCHER)
    full = server.client.get(f"/api/v1/petitioners/{person}", headers=server.headers(dispatcher)).json()
    assert full["id_number"] == "150627198503071233" and full["masked"] is False
    assert _reads_of(server, person) == [inspector, dispatcher], "the masked read is audited too"
