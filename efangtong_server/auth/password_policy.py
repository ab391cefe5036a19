"""The password policy every new password must meet, with Chinese reasons."""

from __future__ import annotations

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_CHARACTER_CLASSES = 3


class WeakPassword(ValueError):
    """A password that does not meet the policy; the message says why in Chinese."""


def _character_classes(password: str) -> int:
    classes = [
        any(c.islower() and c.isascii() for c in password),
        any(c.isupper() and c.isascii() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


def check_password_policy(password: str, *, username: str) -> None:
    """Raise WeakPassword unless `password` is acceptable for `username`."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码长度至少 {MIN_LENGTH} 位")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码长度不能超过 {MAX_LENGTH} 位")
    if any(c.isspace() for c in password):
        raise WeakPassword("密码不能包含空格")
    if _character_classes(password) < MIN_CHARACTER_CLASSES:
        raise WeakPassword("密码须包含大写字母、小写字母、数字、符号中的至少三类")
    if username and username.lower() in password.lower():
        raise WeakPassword("密码不能包含用户名")
    if len(set(password)) < 4:
        raise WeakPassword("密码过于简单")
