"""Refresh tokens in the OS keyring: a real backend in a temporary home; no silent fallback to a plaintext file."""

from __future__ import annotations

from pathlib import Path

import keyring.backend
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from efangtong_desktop.services.token_store import (
    SERVICE_NAME,
    KeyringTokenStore,
    TokenStoreUnavailable,
    detect_backend,
    entry_key,
)
from tests.desktop.live_server import keyring_home

__all__ = ["keyring_home"]
SERVER = "http://10.0.0.5:8000"


def test_the_configured_keyring_keeps_one_token_per_server_and_user(keyring_home: Path) -> None:
    store = KeyringTokenStore.system()
    assert isinstance(store.backend, PlaintextKeyring), "the keyringrc.cfg of the temporary home was honoured"
    store.save(SERVER, "clerk", "token-one")
    store.save(SERVER, "admin", "token-two")
    store.save("https://other:8443", "clerk", "token-three")
    assert store.load(SERVER, "clerk") == "token-one"
    assert store.load(SERVER, "admin") == "token-two"
    assert store.load("https://other:8443/", "clerk") == "token-three"
    assert store.backend.get_password(SERVICE_NAME, entry_key(SERVER, "clerk")) == "token-one"
    store.save(SERVER, "clerk", "token-four")
    assert store.load(SERVER, "clerk") == "token-four"
    store.delete(SERVER, "clerk")
    store.delete(SERVER, "clerk")  # deleting what is gone is not an error
    assert store.load(SERVER, "clerk") is None
    assert (keyring_home / "python_keyring").is_dir(), "the backend wrote inside the temporary home"


def test_a_disabled_keyring_is_a_clear_chinese_error(keyring_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    with pytest.raises(TokenStoreUnavailable, match="系统凭据管理服务"):
        KeyringTokenStore.system()
    with pytest.raises(TokenStoreUnavailable, match="系统凭据管理服务"):
        KeyringTokenStore(fail.Keyring())


def test_no_silent_fallback_to_a_plaintext_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty-config"))  # no keyringrc.cfg
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [PlaintextKeyring(), fail.Keyring()])
    with pytest.raises(TokenStoreUnavailable) as caught:
        detect_backend()
    assert "无法安全保存登录凭据" in str(caught.value)
