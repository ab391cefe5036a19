"""The in-process background sweep that verifies petitioners synced up as 待核验 by offline counters.

On the default deployment (one process) it runs as an asyncio task started from the application's lifespan; the
blocking work (database, the service's HTTP call) runs in a worker thread so requests are never held up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy.orm import Session, sessionmaker

from efangtong_server.settings import Settings
from efangtong_server.verification.adapter import UnconfiguredVerifier, Verifier
from efangtong_server.verification.service import verify_pending_once

log = logging.getLogger(__name__)


async def sweep_forever(factory: sessionmaker[Session], *, verifier: Verifier, settings: Settings) -> None:
    """Every `verify_sweep_seconds`, verify the pending petitioners (a round finds more work: go on at once)."""
    while True:
        try:
            report = await asyncio.to_thread(verify_pending_once, factory, verifier=verifier, settings=settings)
        except Exception:
            log.exception("verification sweep failed")
            report = None
        if report is None or report.failed or report.checked == 0:
            await asyncio.sleep(settings.verify_sweep_seconds)
        else:
            await asyncio.sleep(0)


@contextlib.asynccontextmanager
async def running_sweep(
    factory: sessionmaker[Session], *, verifier: Verifier, settings: Settings
) -> AsyncIterator[asyncio.Task[None] | None]:
    """Run the sweep for the duration of the block, unless disabled or no service is configured."""
    if settings.verify_sweep_seconds <= 0 or isinstance(verifier, UnconfiguredVerifier):
        yield None
        return
    task = asyncio.create_task(sweep_forever(factory, verifier=verifier, settings=settings))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
