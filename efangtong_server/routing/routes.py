"""GET /api/v1/routing/suggestions: the units suggested for a case, with the reason for each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from efangtong_server.access.dependencies import Authorize
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access
from efangtong_server.database import ReadSession
from efangtong_server.routing import service
from efangtong_server.routing.schemas import SuggestionsOut, UnitSuggestionOut

router = APIRouter(prefix="/api/v1/routing", tags=["分办"])
RoutingAccess = Annotated[Access, Depends(Authorize(Permission.SUGGEST_ROUTING))]
_ID = r"^[0-9a-fA-F-]{1,36}$"
NOTHING_TO_GO_ON = "请提供信访件，或内容分类、问题属地、信访内容中的至少一项"
NOT_FOUND = "信访件不存在"


@router.get("/suggestions", summary="分办建议")
def routing_suggestions(
    access: RoutingAccess,
    session: ReadSession,
    petition_id: Annotated[
        str | None, Query(pattern=_ID, description="信访件标识（给出时按该件的分类、属地和内容）")
    ] = None,
    category_id: Annotated[str | None, Query(pattern=_ID, description="内容分类标识")] = None,
    town_id: Annotated[str | None, Query(pattern=_ID, description="问题属地（镇）标识")] = None,
    content: Annotated[str, Query(max_length=4000, description="信访内容")] = "",
    limit: Annotated[int, Query(ge=1, le=10, description="最多几个建议")] = 3,
) -> SuggestionsOut:
    """Routing rules first, then units learned from historical cases of the same category, town and content."""
    if petition_id is None and category_id is None and town_id is None and not content.strip():
        raise HTTPException(422, NOTHING_TO_GO_ON)
    try:
        found = service.suggestions(
            session,
            access=access,
            petition_id=petition_id,
            category_id=category_id,
            town_id=town_id,
            content=content,
            limit=limit,
        )
    except service.PetitionNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    return SuggestionsOut(petition_id=petition_id, items=[UnitSuggestionOut.model_validate(s) for s in found])
