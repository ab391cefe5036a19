"""Uniform error answers: every failure reaches the client as JSON with a Chinese message, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

HTTP_STATUS_MESSAGES = {
    400: "请求有误",
    401: "未登录或登录已过期",
    403: "没有权限执行此操作",
    404: "请求的内容不存在",
    405: "不支持的请求方法",
    409: "数据冲突",
    413: "提交的内容过大",
    415: "不支持的内容类型",
    422: "提交的数据不符合要求",
    429: "请求过于频繁，请稍后再试",
}

VALIDATION_MESSAGES = {
    "missing": "缺少必填项",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是或否",
    "json_invalid": "不是有效的 JSON",
    "date_from_datetime_parsing": "不是有效的日期",
    "datetime_from_date_parsing": "不是有效的时间",
    "uuid_parsing": "不是有效的编号",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "model_attributes_type": "格式不正确",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "string_type": "应为文本",
}


class ErrorAnswer(BaseModel):
    """Every error answer: a Chinese message for the user."""

    detail: str


class ValidationErrorAnswer(ErrorAnswer):
    """A 422 answer: the message, and one Chinese sentence per invalid field."""

    errors: list[str] = []


def _error(description: str, model: type[BaseModel] = ErrorAnswer) -> dict[str, Any]:
    return {"model": model, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("请求有误（业务规则不允许）"),
    401: _error("未登录、登录已过期或已被注销"),
    403: _error("没有权限，或须先修改初始密码"),
    404: _error("请求的内容不存在"),
    409: _error("与现有数据冲突"),
    422: _error("提交的数据不符合要求", ValidationErrorAnswer),
    423: _error("账号已锁定"),
}
"""The error answers any route may give, documented once for the whole API (OpenAPI)."""


def _field_name(location: tuple[object, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "请求"


def describe_validation_error(error: dict[str, object]) -> str:
    """One Chinese sentence for one pydantic validation error."""
    location = error.get("loc", ())
    field = _field_name(tuple(location) if isinstance(location, (list, tuple)) else ())
    reason = VALIDATION_MESSAGES.get(str(error.get("type", "")), "格式不正确")
    return f"{field}：{reason}"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into a Chinese JSON answer."""

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [describe_validation_error(dict(error)) for error in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": "；".join(details), "errors": details})

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
        message = detail or HTTP_STATUS_MESSAGES.get(exc.status_code, "请求失败")
        return JSONResponse(status_code=exc.status_code, content={"detail": message}, headers=exc.headers)

    @app.exception_handler(Exception)
    async def on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(status_code=500, content={"detail": "服务器内部错误，请联系系统管理员"})
