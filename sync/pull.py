"""Server side of pull: pages of rows after a cursor, in server order, limited to what the user may see."""

from __future__ import annotations

import heapq
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from efangtong_core.models import replicated_tables
from sync.protocol import PulledRow, PullPage, PullRequest, encode_row, scope_fingerprint
from sync.scope import Visibility, pulled_columns, table, visible_filter
from sync.sequence import committed_sequence


def fingerprint(vis: Visibility) -> str:
    """The scope fingerprint of `vis` (what a replica compares to know its scope changed)."""
    return scope_fingerprint(vis.county, vis.unit_ids, vis.roles)


def pull_page(connection: Connection, request: PullRequest, vis: Visibility) -> PullPage:
    """The next page after `request.cursor`; a replica holding another scope is asked to reset."""
    scope = fingerprint(vis)
    if request.scope is not None and request.scope != scope:
        return PullPage(rows=[], next_cursor=0, has_more=True, scope=scope, reset=True)
    # Read the committed top first: every row at or below it is already committed (see sync.sequence).
    top = committed_sequence(connection)
    names = [t.name for t in replicated_tables()]
    seqs: list[int] = []
    for name in names:
        t = table(name)
        query = (
            select(t.c.server_seq)
            .where(t.c.server_seq > request.cursor, t.c.server_seq <= top, visible_filter(name, vis))
            .order_by(t.c.server_seq)
            .limit(request.limit + 1)
        )
        seqs.extend(connection.execute(query).scalars())
    smallest = heapq.nsmallest(request.limit + 1, seqs)
    has_more = len(smallest) > request.limit
    if not smallest:
        return PullPage(rows=[], next_cursor=max(top, request.cursor), has_more=False, scope=scope)
    bound = smallest[request.limit - 1] if has_more else top
    rows: list[tuple[int, str, dict[str, Any]]] = []
    for name in names:
        t = table(name)
        columns = [t.c[column] for column in pulled_columns(name)]
        query = select(*columns).where(
            t.c.server_seq > request.cursor, t.c.server_seq <= bound, visible_filter(name, vis)
        )
        rows.extend((row.server_seq, name, encode_row(dict(row._mapping))) for row in connection.execute(query))
    rows.sort(key=lambda item: item[0])
    return PullPage(
        rows=[PulledRow(table=name, server_seq=seq, values=values) for seq, name, values in rows],
        next_cursor=max(bound, request.cursor),
        has_more=has_more,
        scope=scope,
    )
