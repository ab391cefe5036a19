"""The baseline of benchmarks/server_api.py: a minimal FastAPI app with a login, a list and a detail route."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
ITEMS = [{"id": str(n), "name": f"用户{n}", "unit": "伊金霍洛旗信访局"} for n in range(50)]


class Credentials(BaseModel):
    """Login body."""

    username: str
    password: str
    device_id: str


@app.post("/login")
def login(body: Credentials) -> dict[str, str]:
    """Answer a fixed token."""
    return {"access_token": "x" * 160, "refresh_token": "y" * 43, "username": body.username}


@app.get("/items")
def items() -> list[dict[str, str]]:
    """A list of fifty small rows."""
    return ITEMS


@app.get("/items/{item_id}")
def item(item_id: str) -> dict[str, str]:
    """One row."""
    if not item_id.isdigit() or int(item_id) >= len(ITEMS):
        raise HTTPException(404)
    return ITEMS[int(item_id)]
