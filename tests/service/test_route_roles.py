"""Every route, every role: allowed roles get past the guard, others get 403, anonymous 401."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from service.auth.models import Role
from service.pages.moved import MOVED
from tests.route_roles import PUBLIC, ROUTES

DOCS = {("GET", "/openapi.json"), ("GET", "/api/docs"), ("GET", "/docs/oauth2-redirect")}
ROLES = tuple(Role)


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every endpoint, included routers unfolded."""
    found = set()
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for ctx in contexts:
            if isinstance(ctx, APIRoute) or hasattr(ctx, "endpoint"):
                found |= {(m, ctx.path) for m in (ctx.methods or ()) if m != "HEAD"}
    return found - {
        ("GET", "/openapi.json"),
        ("GET", "/api/docs"),
        ("GET", "/docs/oauth2-redirect"),
    }


# A value each path convertor accepts (plain parameters take any segment).
SAMPLES = {"referral_action": "godkend"}


def concrete(path: str) -> str:
    def value(param: re.Match) -> str:
        return SAMPLES.get(param[1].partition(":")[2], "999999")

    return re.sub(r"\{([^}]+)\}", value, path)


def call(client, method: str, path: str):
    data = {"csrf_token": client.cookies.get("mk_csrf", "")}
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        return client.request(method, path, json={})
    return client.request(method, path, data=data)


def test_every_route_is_in_the_table(app):
    moved = {(method, path) for method, path in app_routes(app) if path in MOVED}
    missing = app_routes(app) - set(ROUTES) - PUBLIC - moved
    assert not missing, f"routes without a role rule in tests/route_roles.py: {sorted(missing)}"
    stale = set(ROUTES) - app_routes(app)
    assert not stale, f"rules for routes that do not exist: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_roles_are_enforced(role, api, pages):
    api_client, page_client = api(role), pages(role)
    wrong = []
    for (method, path), allowed in sorted(ROUTES.items()):
        if path == "/log-ud":
            continue  # ends the session the loop relies on; covered in test_auth
        client = api_client if path.startswith("/api/") else page_client
        response = call(client, method, concrete(path))
        refused = response.status_code == 403
        if (role in allowed) == refused or response.status_code in (401, 500):
            wrong.append((method, path, response.status_code))
    assert not wrong, f"{role}: {wrong}"


def test_anonymous_is_refused(client):
    client.get("/log-ind")
    wrong = []
    for method, path in sorted(ROUTES):
        response = call(client, method, concrete(path))
        if path.startswith("/api/"):
            ok = response.status_code == 401
        else:
            ok = response.status_code == 303 and "/log-ind" in response.headers["location"]
        if not ok:
            wrong.append((method, path, response.status_code))
    assert not wrong
