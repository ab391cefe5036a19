"""Sync routes (HTTP only): GET /api/v1/sync/hello, POST /api/v1/sync/push, GET /api/v1/sync/pull."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from efangtong_server.access.dependencies import Authorize, CurrentPrincipal
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Access
from efangtong_server.database import DbSession
from efangtong_server.errors import ErrorAnswer
from efangtong_server.sync import service
from efangtong_server.sync.json_body import ValidatedJsonRoute
from efangtong_server.sync.schemas import Hello, PullPage, PushRequest, PushResult
from sync.protocol import MAX_PULL_LIMIT, PROTOCOL_VERSION, PullRequest

JSON = "application/json"
SyncAccess = Annotated[Access, Depends(Authorize(Permission.SYNC))]

router = APIRouter(
    prefix="/api/v1/sync",
    tags=["同步"],
    responses={426: {"model": ErrorAnswer, "description": "客户端版本过旧，须升级"}},
    route_class=ValidatedJsonRoute,
)


@router.get("/hello", summary="同步握手（协议版本、数据库版本、服务器时间）")
def hello(session: DbSession, principal: CurrentPrincipal) -> Hello:
    """Tell the client which protocol versions the server speaks and accepts."""
    from efangtong_server.access.permissions import roles_holding

    allowed = bool(principal.roles & roles_holding(Permission.SYNC))
    answer = service.hello(session=session, access=None)
    return answer.model_copy(update={"sync_allowed": allowed})


@router.post(
    "/push",
    summary="推送本机变更",
    response_class=Response,
    responses={
        200: {"model": PushResult, "description": "每条变更的处理结果（与请求顺序相同）", "content": {JSON: {}}}
    },
)
def push(body: PushRequest, session: DbSession, access: SyncAccess) -> Response:
    """Apply a batch of changes at most once each; one answer per change."""
    timings: dict[str, float] = {}
    result = service.push(session=session, access=access, request=body, timings=timings)
    # Serialised once by pydantic: a batch carries hundreds of answers, and a second validation pass would double it.
    server_timing = ", ".join(f"{name};dur={seconds * 1000:.1f}" for name, seconds in timings.items())
    return Response(content=result.model_dump_json(), media_type=JSON, headers={"Server-Timing": server_timing})


@router.get("/pull", summary="拉取服务器变更（按序号分页）")
def pull(
    request: Request,
    session: DbSession,
    access: SyncAccess,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 500,
    scope: Annotated[str | None, Query(max_length=64)] = None,
    protocol: Annotated[int, Query(ge=0, le=1000)] = PROTOCOL_VERSION,
) -> PullPage:
    """Rows the user may see changed after `cursor`, in server order."""
    return service.pull(
        session=session,
        writing_sessions=request.app.state.writing_session_factory,
        access=access,
        request=PullRequest(cursor=cursor, limit=limit, scope=scope),
        protocol=protocol,
    )
