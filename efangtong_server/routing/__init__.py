"""Routing suggestions for the dispatcher (分办建议) over HTTP: GET /api/v1/routing/suggestions."""
