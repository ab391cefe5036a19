"""The known system parameters: key, type, allowed range, default and Chinese description. Unknown keys are refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ParameterType = Literal["int", "bool", "str"]


@dataclass(frozen=True)
class ParameterSpec:
    """One known parameter and what values it accepts."""

    key: str
    type: ParameterType
    default: int | bool | str
    description: str
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None

    def check(self, value: object) -> int | bool | str:
        """`value` if this parameter accepts it; ValueError with a Chinese reason otherwise."""
        if self.type == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"参数 {self.key}（{self.description}）应为是或否（true/false）")
            return value
        if self.type == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"参数 {self.key}（{self.description}）应为整数")
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValueError(f"参数 {self.key}（{self.description}）应在 {self.minimum} 到 {self.maximum} 之间")
            return value
        if not isinstance(value, str):
            raise ValueError(f"参数 {self.key}（{self.description}）应为文本")
        if self.max_length is not None and len(value) > self.max_length:
            raise ValueError(f"参数 {self.key}（{self.description}）不能超过 {self.max_length} 个字")
        if any(ord(character) < 32 or ord(character) == 127 for character in value):
            raise ValueError(f"参数 {self.key}（{self.description}）不能包含控制字符")
        return value


PARAMETERS: tuple[ParameterSpec, ...] = (
    ParameterSpec("offline_login_days", "int", 7, "柜台离线登录的最长天数", minimum=1, maximum=30),
    ParameterSpec("query_code_length", "int", 8, "查询码位数", minimum=6, maximum=16),
    ParameterSpec("sms_enabled", "bool", False, "是否发送短信通知"),
    ParameterSpec("sms_code_minutes", "int", 5, "短信验证码有效分钟数", minimum=1, maximum=30),
    ParameterSpec("sms_codes_per_phone_per_day", "int", 10, "同一手机号每日验证码条数上限", minimum=1, maximum=50),
    ParameterSpec("warning_yellow_days", "int", 5, "到期前几天发出黄色预警", minimum=1, maximum=30),
    ParameterSpec("warning_orange_days", "int", 2, "到期前几天发出橙色预警", minimum=0, maximum=30),
    ParameterSpec("attachment_max_mb", "int", 50, "单个附件大小上限（MB）", minimum=1, maximum=1024),
    ParameterSpec("mobile_petition_enabled", "bool", True, "是否开放手机信访"),
    ParameterSpec("bureau_phone", "str", "", "信访局对外联系电话（短信和手机页面中显示）", max_length=20),
)
"""Every parameter the server knows, in display order."""

BY_KEY: dict[str, ParameterSpec] = {spec.key: spec for spec in PARAMETERS}
