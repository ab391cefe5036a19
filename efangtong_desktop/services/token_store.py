"""Where the refresh token lives between requests: the OS keyring (`keyring`), never a file of ours.

The key of an entry is the server address plus the username, so one PC can sign in to a test and a production
server, or as two users, without one token overwriting another. The application accepts a keyring backend that
the user configured explicitly (PYTHON_KEYRING_BACKEND or keyringrc.cfg) or a recommended one that keyring finds
by itself (Windows Credential Manager, macOS Keychain, Secret Service, KWallet); it never falls back on its own to a
plaintext file backend such as keyrings.alt's.
"""

from __future__ import annotations

import threading
from typing import Protocol

import keyring
import keyring.backend
import keyring.core
import keyring.errors
from keyring.backends import fail, null

from efangtong_desktop import texts

SERVICE_NAME = "efangtong"


class TokenStoreUnavailable(RuntimeError):
    """No usable keyring backend; the message says so in Chinese."""


class RefreshTokenStore(Protocol):
    """Keeps one refresh token per (server address, username)."""

    def save(self, server_url: str, username: str, token: str) -> None:
        """Remember `token`, replacing any earlier one."""

    def load(self, server_url: str, username: str) -> str | None:
        """The remembered token, or None."""

    def delete(self, server_url: str, username: str) -> None:
        """Forget the token (no error when there is none)."""


def entry_key(server_url: str, username: str) -> str:
    """The keyring entry name of a user on a server."""
    return f"{server_url.rstrip('/')}#{username}"


def _unusable(backend: keyring.backend.KeyringBackend) -> bool:
    return isinstance(backend, fail.Keyring | null.Keyring)


def detect_backend() -> keyring.backend.KeyringBackend:
    """The keyring the user configured, else the best recommended one; TokenStoreUnavailable when there is none."""
    try:
        backend = keyring.core.load_env() or keyring.core.load_config()
    except Exception as error:  # a broken configuration must reach the user as a message
        raise TokenStoreUnavailable(texts.KEYRING_BROKEN.format(reason=error)) from error
    if backend is None:
        candidates = [b for b in keyring.backend.get_all_keyring() if keyring.core.recommended(b)]
        backend = max(candidates, key=keyring.backend.by_priority, default=None)
    if backend is None or _unusable(backend):
        raise TokenStoreUnavailable(texts.KEYRING_UNAVAILABLE)
    return backend


class KeyringTokenStore:
    """Refresh tokens in a keyring backend under the service name "efangtong"."""

    def __init__(self, backend: keyring.backend.KeyringBackend) -> None:
        if _unusable(backend):
            raise TokenStoreUnavailable(texts.KEYRING_UNAVAILABLE)
        self.backend = backend

    @classmethod
    def system(cls) -> KeyringTokenStore:
        """The store on this computer's keyring (see `detect_backend`)."""
        return cls(detect_backend())

    def save(self, server_url: str, username: str, token: str) -> None:
        """Remember `token` for the user on the server."""
        try:
            self.backend.set_password(SERVICE_NAME, entry_key(server_url, username), token)
        except keyring.errors.KeyringError as error:
            raise TokenStoreUnavailable(texts.KEYRING_WRITE_FAILED.format(reason=error)) from error

    def load(self, server_url: str, username: str) -> str | None:
        """The remembered token, or None."""
        try:
            return self.backend.get_password(SERVICE_NAME, entry_key(server_url, username))
        except keyring.errors.KeyringError as error:
            raise TokenStoreUnavailable(texts.KEYRING_READ_FAILED.format(reason=error)) from error

    def delete(self, server_url: str, username: str) -> None:
        """Forget the token; nothing happens when there is none."""
        try:
            self.backend.delete_password(SERVICE_NAME, entry_key(server_url, username))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as error:
            raise TokenStoreUnavailable(texts.KEYRING_WRITE_FAILED.format(reason=error)) from error


class MemoryTokenStore:
    """Tokens kept only in this process (used when the computer has no keyring: nothing survives a restart)."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    def save(self, server_url: str, username: str, token: str) -> None:
        """Remember `token` until the program exits."""
        with self._lock:
            self._tokens[entry_key(server_url, username)] = token

    def load(self, server_url: str, username: str) -> str | None:
        """The remembered token, or None."""
        with self._lock:
            return self._tokens.get(entry_key(server_url, username))

    def delete(self, server_url: str, username: str) -> None:
        """Forget the token."""
        with self._lock:
            self._tokens.pop(entry_key(server_url, username), None)
