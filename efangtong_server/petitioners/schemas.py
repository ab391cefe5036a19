"""The petitioner record as the server answers it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class PhoneOut(BaseModel):
    """One phone number of a petitioner."""

    model_config = ConfigDict(from_attributes=True)

    phone: str
    label: str | None


class PetitionerOut(BaseModel):
    """A petitioner's personal record (信访人信息)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    id_type: str
    id_number: str | None
    name: str
    sex: str
    nation: str | None
    birth_date: date | None
    address: str | None
    anonymous: bool
    verification_status: str
    phones: list[PhoneOut]
    petition_count: int
    masked: bool = Field(default=False, description="证件号码和电话已脱敏（读者的角色不需要完整个人信息）")
