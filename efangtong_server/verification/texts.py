"""User-facing Chinese texts of identity verification (联网核验)."""

from __future__ import annotations

RESULT_MESSAGES: dict[str, str] = {
    "match": "姓名与公民身份号码一致",
    "mismatch": "姓名与公民身份号码不一致，请核对证件",
    "not_found": "公安库中查无此公民身份号码",
    "error": "联网核验失败，请稍后重试",
    "timeout": "核验服务响应超时，请稍后重试",
}
CREDENTIALS_REFUSED = "核验服务拒绝了本系统的账号或密码，请联系系统管理员"
SERVICE_STATUS = "核验服务返回错误 {status}"
SERVICE_UNREACHABLE = "无法连接核验服务"
SERVICE_BAD_ANSWER = "核验服务的应答无法识别"
NOT_CONFIGURED = "未配置联网核验服务"
INVALID_ID_NUMBER = "公民身份号码无效：{reason}"
NAME_MISSING = "姓名不能为空"
