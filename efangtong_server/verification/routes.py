"""POST /api/v1/verification: verify a name against an ID number (联网核验)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request

from efangtong_server.access.dependencies import Authorize
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access
from efangtong_server.audit.service import Actor
from efangtong_server.auth.routes import client_ip
from efangtong_server.database import DbSession
from efangtong_server.verification import service
from efangtong_server.verification.adapter import Verifier
from efangtong_server.verification.schemas import VerificationIn, VerificationOut

router = APIRouter(prefix="/api/v1/verification", tags=["联网核验"])
VerifyAccess = Annotated[Access, Depends(Authorize(Permission.READ_PERSONS))]


def get_verifier(request: Request) -> Verifier:
    """The verification adapter the application started with."""
    verifier: Verifier = request.app.state.verifier
    return verifier


@router.post("", summary="联网核验身份")
def verify(
    body: VerificationIn,
    access: VerifyAccess,
    session: DbSession,
    request: Request,
    verifier: Annotated[Verifier, Depends(get_verifier)],
) -> VerificationOut:
    """Verify the name against the ID number; the result is recorded on matching petitioners, cached and audited."""
    principal = access.principal
    actor = Actor(
        user_id=principal.user_id, username=principal.username, device_id=principal.device_id, ip=client_ip(request)
    )
    try:
        return service.verify_identity(
            session,
            verifier=verifier,
            settings=request.app.state.settings,
            actor=actor,
            name=body.name,
            id_number=body.id_number,
        )
    except service.InvalidSubject as error:
        raise HTTPException(422, str(error)) from None
