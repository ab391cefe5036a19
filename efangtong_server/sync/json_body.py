"""A route class whose JSON body is parsed and validated in one pass by pydantic-core.

FastAPI decodes a body with `json.loads` and then validates the Python objects; for a push of hundreds of changes
that second walk costs more than the merge of small rows. `ValidatedJsonRoute` validates the raw bytes against the
route's body model first (`model_validate_json`) and hands FastAPI the finished model, which its own validation
accepts as it is. A body that does not validate is decoded the ordinary way, so FastAPI answers it with its usual
422 (or JSON error) and the OpenAPI schema of the route is FastAPI's own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _ValidatedJsonRequest(Request):
    """A request whose `json()` is the body model when the body validates, the decoded JSON otherwise."""

    body_model: type[BaseModel]

    async def json(self) -> Any:
        """The body validated from its bytes, or decoded with `json.loads` when it does not validate."""
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json = self.body_model.model_validate_json(body)
            except ValidationError:
                self._json = json.loads(body)
        return self._json


def _body_model(route: APIRoute) -> type[BaseModel] | None:
    field = route.body_field
    model = field.field_info.annotation if field is not None else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


class ValidatedJsonRoute(APIRoute):
    """An `APIRoute` that validates a pydantic-model JSON body straight from its bytes."""

    def get_route_handler(self) -> Handler:
        """FastAPI's handler, given a request that validates the body from its bytes."""
        handler = super().get_route_handler()
        model = _body_model(self)
        if model is None:
            return handler
        request_class = type("ValidatedJsonRequest", (_ValidatedJsonRequest,), {"body_model": model})

        async def handle(request: Request) -> Response:
            return await handler(request_class(request.scope, request.receive))

        return handle
