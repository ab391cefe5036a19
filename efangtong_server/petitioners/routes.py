"""GET /api/v1/petitioners/{id}: a petitioner's personal record, audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, status

from efangtong_server.access.dependencies import Authorize
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access
from efangtong_server.audit.service import Actor
from efangtong_server.auth.routes import client_ip
from efangtong_server.database import WritingSession
from efangtong_server.petitioners import service
from efangtong_server.petitioners.schemas import PetitionerOut

router = APIRouter(prefix="/api/v1/petitioners", tags=["信访人"])
PersonsAccess = Annotated[Access, Depends(Authorize(Permission.READ_PERSONS))]
PetitionerId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-fA-F-]+$", description="信访人标识")]


@router.get("/{petitioner_id}", summary="信访人信息")
def read_petitioner(
    petitioner_id: PetitionerId, access: PersonsAccess, session: WritingSession, request: Request
) -> PetitionerOut:
    """A petitioner's personal record within the reader's scope; every read is written to the audit log."""
    principal = access.principal
    actor = Actor(
        user_id=principal.user_id, username=principal.username, device_id=principal.device_id, ip=client_ip(request)
    )
    record = service.read_petitioner(session, access=access, actor=actor, petitioner_id=petitioner_id)
    if record is None:  # outside the scope answers like a missing record: ids of other towns' people stay unknown
        raise HTTPException(status.HTTP_404_NOT_FOUND, "信访人不存在")
    return record
