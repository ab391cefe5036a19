"""The application context: one object holding settings, the local replica, the server client and the signed-in user.

Widgets receive it explicitly (as in git-cola) instead of reaching for globals, so every view can be built in a test
with its own temporary replica.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.db import open_database, session_factory
from efangtong_core.vocabulary import Role
from efangtong_desktop.services.search_index import ensure_search_index
from efangtong_desktop.settings import Settings
from efangtong_desktop.tasks import TaskManager
from sync.outbox import enable_outbox

if TYPE_CHECKING:  # the server client, keyring and offline sign-in are imported when first used, not at start
    from efangtong_desktop.services.api_client import ApiClient, SignedInUser
    from efangtong_desktop.services.offline_auth import OfflineSignIn


@dataclass
class AppContext:
    """What the counter client's views and services share for one run."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    user: str | None = None
    unit: str | None = None
    tasks: TaskManager = field(default_factory=TaskManager)
    api: ApiClient | None = None
    signed_in: SignedInUser | None = None
    online: bool = False
    offline_until: datetime | None = None
    """When signed in offline: the end of the offline period; None after an online sign-in."""
    keyring_problem: str | None = None
    """Why refresh tokens are kept in memory only (no usable OS keyring), or None."""

    @classmethod
    def open(cls, settings: Settings) -> AppContext:
        """Open (create and upgrade if needed) the local replica named by `settings` and build the context."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = open_database(settings.replica_url)
        factory = session_factory(engine)
        enable_outbox(factory)  # every local write of a replicated row queues its change in the same transaction
        ensure_search_index(engine)  # local search tables and the triggers that keep them current, before any write
        return cls(
            settings=settings,
            engine=engine,
            session_factory=factory,
            user=settings.user,
            unit=settings.unit,
        )

    def connect(self, server_url: str) -> ApiClient:
        """Make (or replace) the API client for `server_url`; refresh tokens go to the OS keyring when there is one."""
        from efangtong_desktop.services.api_client import ApiClient
        from efangtong_desktop.services.token_store import KeyringTokenStore, MemoryTokenStore, TokenStoreUnavailable

        if self.api is not None and self.api.base_url == server_url:
            return self.api
        if self.api is not None:
            self.api.close()
        try:
            store: KeyringTokenStore | MemoryTokenStore = KeyringTokenStore.system()
            self.keyring_problem = None
        except TokenStoreUnavailable as problem:
            store = MemoryTokenStore()
            self.keyring_problem = str(problem)
        self.api = ApiClient(server_url, store)
        return self.api

    def offline_sign_in(self) -> OfflineSignIn:
        """This PC's offline sign-in record."""
        from efangtong_desktop.services.device import device_identity
        from efangtong_desktop.services.offline_auth import OfflineSignIn

        return OfflineSignIn(self.settings.data_dir, device_identity(self.settings).id)

    def sign_in_offline(self, user: SignedInUser, until: datetime) -> None:
        """Record an offline sign-in of the last user of this PC; sync resumes with their stored session when it can."""
        self.signed_in = user
        self.user = user.display_name
        self.unit = user.org_unit_name or None
        self.online = False
        self.offline_until = until
        if self.api is not None:
            self.api.resume(user)

    def sign_in_as(self, user: SignedInUser) -> None:
        """Record a successful online sign-in."""
        self.signed_in = user
        self.user = user.display_name
        self.unit = user.org_unit_name or None
        self.online = True
        self.offline_until = None

    @property
    def is_admin(self) -> bool:
        """True when the signed-in user holds the 系统管理员 role."""
        return self.signed_in is not None and self.signed_in.has_role(Role.ADMIN)

    def close(self) -> None:
        """Wait for background work, close the server connections and release the replica's connections."""
        self.tasks.wait_for_workers()
        if self.api is not None:
            self.api.close()
        self.engine.dispose()
