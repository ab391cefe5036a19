"""Sync service: who may push and pull what, and the transactions around the merge and the pull."""

from __future__ import annotations

from datetime import UTC, datetime
from time import perf_counter

from fastapi import HTTPException
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.accountability import UNIT_ROLES
from efangtong_core.db import current_revision
from efangtong_server.access.permissions import Permission, roles_holding
from efangtong_server.access.principal import Access
from efangtong_server.cases.service import after_merge, without_server_owned
from efangtong_server.petitioners.access_audit import audit_merged_changes, changes_to_audit
from sync.protocol import (
    MIN_CLIENT_PROTOCOL,
    PROTOCOL_VERSION,
    TOO_OLD_MESSAGE,
    Hello,
    PullPage,
    PullRequest,
    PushRequest,
    PushResult,
)
from sync.pull import pull_page
from sync.scope import Visibility
from sync.sequence import has_unsequenced, stamp_unsequenced
from sync.server import Actor, merge_push

UPGRADE_REQUIRED = 426


def visibility_of(access: Access) -> Visibility:
    """What the principal may see and record through sync."""
    holders = roles_holding(Permission.SYNC)
    grants = [grant for grant in access.principal.grants if grant.role in holders]
    acting = frozenset(grant.scope_unit_id for grant in grants if grant.role in UNIT_ROLES and grant.scope_unit_id)
    return Visibility(
        county=access.scope.county,
        unit_ids=access.scope.unit_ids,
        roles=frozenset(grant.role.value for grant in grants),
        acting_unit_ids=acting,
    )


def require_protocol(protocol: int) -> None:
    """Refuse a client older than the server's minimum with a clear Chinese message (426)."""
    if protocol < MIN_CLIENT_PROTOCOL:
        raise HTTPException(UPGRADE_REQUIRED, TOO_OLD_MESSAGE.format(client=protocol, minimum=MIN_CLIENT_PROTOCOL))


def hello(*, session: Session, access: Access | None) -> Hello:
    """The handshake: protocol versions, schema revision, server clock, and whether this user syncs."""
    engine = session.get_bind()
    revision = current_revision(engine) if hasattr(engine, "connect") else None  # type: ignore[arg-type]
    return Hello(
        protocol=PROTOCOL_VERSION,
        min_client_protocol=MIN_CLIENT_PROTOCOL,
        schema_revision=revision or "",
        server_time=datetime.now(UTC),
        sync_allowed=access is not None,
    )


def push(
    *, session: Session, access: Access, request: PushRequest, timings: dict[str, float] | None = None
) -> PushResult:
    """Merge a batch of changes and commit; the answers say what became of each.

    `timings`, when given, receives the seconds spent merging, in the post-merge hooks (case numbers, notices,
    audit) and committing.
    """
    require_protocol(request.protocol)
    principal = access.principal
    actor = Actor(user_id=principal.user_id, device_id=principal.device_id, visibility=visibility_of(access))
    started = perf_counter()
    changes = without_server_owned(request.changes)
    audited = changes_to_audit(session.connection(), changes)
    checked = perf_counter()
    results = merge_push(session.connection(), changes, actor)
    merged = perf_counter()
    after_merge(session.connection(), changes=changes, results=results)
    audit_merged_changes(
        session.connection(),
        changes=audited,
        results=results,
        user_id=principal.user_id,
        username=principal.username,
        device_id=principal.device_id,
    )
    hooked = perf_counter()
    session.commit()
    if timings is not None:
        hooks = (checked - started) + (hooked - merged)
        timings.update(merge=merged - checked, hooks=hooks, commit=perf_counter() - hooked)
    return PushResult(results=results)


def pull(
    *, session: Session, writing_sessions: sessionmaker[Session], access: Access, request: PullRequest, protocol: int
) -> PullPage:
    """One page of rows after the cursor; rows written without a server_seq (seeding, tools) are numbered first."""
    require_protocol(protocol)
    if has_unsequenced(session.connection()):
        with writing_sessions() as writer:
            stamp_unsequenced(writer.connection())
            writer.commit()
    session.commit()  # a fresh snapshot that includes the rows just numbered
    page = pull_page(session.connection(), request, visibility_of(access))
    session.rollback()
    return page
