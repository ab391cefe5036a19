"""The application context: one object holding settings, the local replica, the server client and the signed-in user.

Widgets receive it explicitly (as in git-cola) instead of reaching for globals, so every view can be built in a test
with its own temporary replica.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING

from efangtong_core.vocabulary import Role
from efangtong_desktop.settings import Settings
from efangtong_desktop.tasks import TaskManager

if TYPE_CHECKING:  # the data layer, the server client, keyring and offline sign-in: imported when first used
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from efangtong_desktop.services.api_client import ApiClient, SignedInUser
    from efangtong_desktop.services.offline_auth import OfflineSignIn

DATA_LAYER_MODULES = (
    "efangtong_core.repeats",
    "efangtong_desktop.services.drafts",
    "efangtong_desktop.services.registration",
    "efangtong_desktop.services.registration_choices",
    "efangtong_desktop.services.registration_edit",
    "efangtong_desktop.services.registration_writes",
    "efangtong_desktop.services.blob_store",
    "efangtong_desktop.services.verification",
    "efangtong_desktop.services.api_client",
)
"""Qt-free modules the 登记 page needs once its data is in; `open_replica` imports them with the replica."""


@dataclass
class AppContext:
    """What the counter client's views and services share for one run."""

    settings: Settings
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
    _engine: Engine | None = field(default=None, init=False, repr=False)
    _session_factory: sessionmaker[Session] | None = field(default=None, init=False, repr=False)
    _replica_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def open(cls, settings: Settings) -> AppContext:
        """Build the context and open (create and upgrade if needed) the local replica named by `settings` now."""
        context = cls.prepare(settings)
        context.open_replica()
        return context

    @classmethod
    def prepare(cls, settings: Settings) -> AppContext:
        """Build the context without the replica (no SQLAlchemy yet): `open_replica` later, or on first use."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings=settings, user=settings.user, unit=settings.unit)

    @property
    def replica_open(self) -> bool:
        """Whether the local replica (and with it the data layer) has been opened."""
        return self._session_factory is not None

    def open_replica(self) -> None:
        """Import the data layer and open the replica, once; safe from a worker thread (others wait for it)."""
        with self._replica_lock:
            if self._session_factory is not None:
                return
            from sqlalchemy.orm import configure_mappers

            from efangtong_core.db import open_database, session_factory
            from efangtong_desktop.services.search_index import ensure_search_index
            from sync.outbox import enable_outbox

            for name in DATA_LAYER_MODULES:
                import_module(name)
            configure_mappers()  # here, not in the first query of whichever thread comes first
            engine = open_database(self.settings.replica_url)
            factory = session_factory(engine)
            enable_outbox(factory)  # every local write of a replicated row queues its change in the same transaction
            ensure_search_index(engine)  # local search tables and the triggers that keep them current, before writes
            self._engine = engine
            self._session_factory = factory

    @property
    def engine(self) -> Engine:
        """The local replica's engine (opened now if it was not yet)."""
        self.open_replica()
        assert self._engine is not None
        return self._engine

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """Sessions on the local replica (opened now if it was not yet)."""
        self.open_replica()
        assert self._session_factory is not None
        return self._session_factory

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
        with self._replica_lock:
            if self._engine is not None:
                self._engine.dispose()
