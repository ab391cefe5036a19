"""Reference data for registration tests: the demo organisation (no petitions) and a few handy ids."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from efangtong_core.demo.seed import seed_demo
from efangtong_core.models import Agent, ContentCategory, OrgUnit, User
from efangtong_core.vocabulary import OrgUnitKind, PetitionForm, PetitionPurpose
from efangtong_desktop.services.registration import Registrar
from efangtong_desktop.services.registration_form import PersonInput, RegistrationInput

RESIDENT_ID = "150627198503071233"
OTHER_ID = "150627199001010013"
DEVICE = "0f0e0d0c-0b0a-4090-8070-605040302010"


@dataclass(frozen=True)
class Reference:
    """Ids of the seeded rows the tests register against."""

    clerk_id: str
    bureau_id: str
    town_id: str
    town_name: str
    category_id: str
    category_parent_id: str
    agent_id: str

    def registrar(self) -> Registrar:
        """The demo clerk at the bureau, on this test PC."""
        return Registrar(user_id=self.clerk_id, unit_id=self.bureau_id, device_id=DEVICE)


def seed_reference(engine: Engine) -> Reference:
    """Fill an empty replica with the demo organisation, categories, rules and agents (no petitions)."""
    seed_demo(engine, petitions=0, hash_password=lambda _password: "x")
    with Session(engine) as session:
        clerk = session.scalars(select(User).where(User.username == "clerk")).one()
        town = session.scalars(
            select(OrgUnit).where(OrgUnit.kind == OrgUnitKind.TOWN.value).order_by(OrgUnit.sort_order)
        ).first()
        assert town is not None
        leaf = session.scalars(
            select(ContentCategory).where(ContentCategory.parent_id.is_not(None)).order_by(ContentCategory.code)
        ).first()
        assert leaf is not None and leaf.parent_id is not None
        agent = session.scalars(select(Agent).order_by(Agent.name)).first()
        assert agent is not None
        return Reference(clerk.id, clerk.org_unit_id, town.id, town.name, leaf.id, leaf.parent_id, agent.id)


def sample_input(ref: Reference, **changes: object) -> RegistrationInput:
    """A valid visit registration of 巴特尔 about a wage matter."""
    person = PersonInput(name="巴特尔", id_number=RESIDENT_ID, nation="蒙古族", phones=("13947712345",))
    values: dict[str, object] = {
        "petitioner": person,
        "form": PetitionForm.VISIT.value,
        "purpose": PetitionPurpose.REQUEST.value,
        "category_id": ref.category_id,
        "town_id": ref.town_id,
        "content": "某工地拖欠农民工工资三个月，要求尽快解决。",
    }
    values.update(changes)
    return RegistrationInput(**values)  # type: ignore[arg-type]
