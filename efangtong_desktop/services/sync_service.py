"""Background sync of the counter's replica with the central server: on a timer and on demand, never on the GUI thread.

The engine is `sync.client.SyncClient`; this service runs it through `context.tasks`, reads the outbox counts off the
GUI thread too, and reports a `SyncStatus` to the status bar: online/offline, pending changes, the last successful
sync and the number of rejected changes waiting for the user.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from efangtong_desktop import texts
from efangtong_desktop.context import AppContext
from efangtong_desktop.services.api_client import ApiClient, ApiError
from efangtong_desktop.services.attachment_sync import AttachmentSyncResult, transfer_attachments
from efangtong_desktop.services.blob_store import blob_store
from sync.attachments import AttachmentTransfer
from sync.client import LAST_SUCCESS, ClientTooOld, ServerUnreachable, SyncClient, SyncError, read_state
from sync.outbox import on_local_changes, pending_count, rejected_count

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 60_000
"""How often the replica syncs by itself."""
COUNT_AFTER_WRITE_MS = 300
"""After a local write, the pending count is read again once writes have paused this long."""


class ApiTransport:
    """The sync engine's transport over the signed-in `ApiClient` (token refresh included)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    @staticmethod
    def _translate(error: ApiError) -> SyncError:
        if error.unreachable:
            return ServerUnreachable(error.message)
        if error.status == 426:
            return ClientTooOld(error.message, 426)
        return SyncError(error.message, error.status)

    def get(self, path: str, params: dict[str, Any]) -> Any:
        """GET through the API client."""
        try:
            return self.api.get(path, params)
        except ApiError as error:
            raise self._translate(error) from error

    def post(self, path: str, body: Any) -> Any:
        """POST through the API client."""
        try:
            return self.api.post(path, body)
        except ApiError as error:
            raise self._translate(error) from error


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows about sync."""

    online: bool
    running: bool = False
    pending: int = 0
    rejected: int = 0
    last_success: datetime | None = None
    problem: str | None = None
    stopped: bool = False
    """True when this user does not sync at all (e.g. the administrator) or the client must be updated."""

    def describe(self) -> str:
        """The sync field's text."""
        if self.running:
            return texts.SYNC_RUNNING
        if self.problem:
            return texts.SYNC_FAILED.format(message=self.problem)
        if not self.online:
            return texts.SYNC_OFFLINE.format(count=self.pending)
        if self.last_success is None:
            return texts.STATUS_SYNC_NEVER
        done = texts.SYNC_DONE.format(time=self.last_success.astimezone().strftime("%H:%M:%S"))
        return done + (texts.SYNC_PENDING.format(count=self.pending) if self.pending else "")


class SyncService(QObject):
    """Runs the sync engine in the background and publishes its status."""

    status_changed = Signal(object)
    """Emitted with the new `SyncStatus` on the GUI thread."""
    _local_write = Signal()
    """Emitted (from any thread) after a local commit queued changes: the pending count is read again soon."""

    def __init__(
        self, context: AppContext, *, interval_ms: int = DEFAULT_INTERVAL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.status = SyncStatus(online=context.online)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.sync_now)
        self._running = False
        self._again = False
        """A sync was asked for while one ran: run once more when it ends (local writes made meanwhile go too)."""
        self.last_transfer: AttachmentSyncResult | None = None
        """What the last sync's attachment step moved (read on the GUI thread after `status_changed`)."""
        self._count_soon = QTimer(self)
        self._count_soon.setSingleShot(True)
        self._count_soon.setInterval(COUNT_AFTER_WRITE_MS)
        self._count_soon.timeout.connect(self.refresh_counts)
        self._local_write.connect(self._count_soon.start)
        stop_watching = on_local_changes(context.session_factory, self._note_local_write)
        self.destroyed.connect(lambda *_: stop_watching())

    def _note_local_write(self) -> None:
        with contextlib.suppress(RuntimeError):  # the service is being destroyed; its watch ends with it
            self._local_write.emit()

    def start(self) -> None:
        """Sync now and then on the timer."""
        self._timer.start()
        self.sync_now()

    def stop(self) -> None:
        """No more automatic syncs."""
        self._timer.stop()

    @property
    def running(self) -> bool:
        """True while a sync runs in the background."""
        return self._running

    def sync_now(self) -> None:
        """Start a sync in the background (once the running one ends, if one runs) unless this user does not sync."""
        if self.status.stopped:
            return
        if self._running:
            self._again = True
            return
        api = self.context.api
        if api is None or not api.signed_in:
            self.refresh_counts()
            return
        self._running = True
        self._publish(replace(self.status, running=True))
        engine = SyncClient(self.context.engine, ApiTransport(api))
        transfer = AttachmentTransfer(api.base_url, blob_store(self.context.settings), auth_headers=api.auth_headers)
        self.context.tasks.run(lambda: self._sync(engine, transfer), self._finished, self._crashed, owner=self)

    def refresh_counts(self) -> None:
        """Re-read the pending and rejected counts (after a local write or a resolved rejection), off the GUI thread."""
        self.context.tasks.run(self._counts, self._counted, self._count_failed, owner=self)

    def _counts(self) -> tuple[int, int, datetime | None]:
        with self.context.engine.connect() as connection:
            last = read_state(connection, LAST_SUCCESS)
            return pending_count(connection), rejected_count(connection), datetime.fromisoformat(last) if last else None

    def _sync(self, engine: SyncClient, transfer: AttachmentTransfer) -> SyncStatus:
        """The worker: one sync, then the attachments' bytes; expected failures become a status, not an exception."""
        online, problem, stopped = True, None, False
        try:
            engine.sync()
            self.last_transfer = transfer_attachments(self.context.engine, transfer)
        except ServerUnreachable:
            online = False
        except ClientTooOld as error:
            problem, stopped = error.message, True
        except SyncError as error:
            problem = texts.SYNC_NOT_FOR_ROLE if error.status == 403 else error.message
            stopped = error.status == 403
        pending, rejected, last = self._counts()
        return SyncStatus(
            online=online, pending=pending, rejected=rejected, last_success=last, problem=problem, stopped=stopped
        )

    def _finished(self, status: SyncStatus) -> None:
        self._running = False
        self.context.online = status.online
        if status.stopped:
            self.stop()
        self._publish(status)
        self._run_again()

    def _run_again(self) -> None:
        if self._again:
            self._again = False
            self.sync_now()

    def _counted(self, counts: tuple[int, int, datetime | None]) -> None:
        pending, rejected, last = counts
        self._publish(replace(self.status, pending=pending, rejected=rejected, last_success=last))

    def _count_failed(self, error: Exception) -> None:
        log.error("reading the outbox counts failed: %s", error)  # a sync that runs meanwhile goes on

    def _crashed(self, error: Exception) -> None:
        self._running = False
        log.error("sync failed unexpectedly: %s", error)
        self._publish(replace(self.status, running=False, problem=str(error)))
        self._run_again()

    def _publish(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)
