"""Response bodies of the routing suggestion route."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class UnitSuggestionOut(BaseModel):
    """建议的承办单位"""

    model_config = ConfigDict(from_attributes=True)

    unit_id: str
    unit_name: str
    score: float = Field(ge=0, le=1, description="建议程度（0–1，分办规则命中为 0.9 以上）")
    reason: str = Field(description="建议理由")
    source: str = Field(description="rule 分办规则 / history 历史案件")


class SuggestionsOut(BaseModel):
    """分办建议"""

    petition_id: str | None
    items: list[UnitSuggestionOut]
