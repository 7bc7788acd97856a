"""Pages have Danish paths; each old English path answers 308 with its new one."""

from __future__ import annotations

import re

from service.pages.moved import MOVED
from tests.route_roles import PUBLIC, ROUTES
from tests.service.test_route_roles import app_routes

# Words of the old English page paths: no page path may use them again.
ENGLISH = {
    "login",
    "logout",
    "users",
    "password",
    "unblock",
    "active",
    "audit",
    "verify",
    "jobs",
    "notifications",
    "read",
    "read-all",
    "settings",
    "key-figures",
    "workbook",
    "refund",
    "exports",
    "download",
    "claims",
    "new",
    "rebuild",
    "rules",
}


def _segments(path: str) -> set[str]:
    return {s for s in path.strip("/").split("/") if s and not s.startswith("{")}


def _example(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([^}:]+)(:[^}]+)?\}", lambda m: values[m[1]], path)


def test_page_paths_are_danish_ascii():
    pages = {path for _m, path in set(ROUTES) | PUBLIC if not path.startswith("/api/")}
    pages -= {"/healthz"}  # the load balancer's probe, not a page
    assert all(re.fullmatch(r"[a-z0-9/{}_:-]+", path) for path in pages)
    assert {path for path in pages if _segments(path) & ENGLISH} == set()


def test_every_old_path_moved_to_a_current_route(app):
    routes = app_routes(app)
    for old, new in MOVED.items():
        old_methods = {m for m, p in routes if p == old}
        new_methods = {m for m, p in routes if p == new}
        assert old_methods and old_methods == new_methods, old
        assert {(m, new) for m in new_methods} <= set(ROUTES) | PUBLIC, new


def test_old_paths_answer_308_with_the_new_one_and_the_query(app, client):
    values = {
        "user_id": "7",
        "notification_id": "8",
        "job_id": "9",
        "claim_id": "10",
        "referral_id": "11",
    }
    wrong = []
    for old, new in MOVED.items():
        actions = {"action": "accept"} if "{action" in old else {}
        source = _example(old, {**values, **actions}) + "?from=2026-01-01&to=2026-01-31"
        target = _example(new, {**values, "action": "godkend"}) + "?from=2026-01-01&to=2026-01-31"
        for method in sorted({m for m, p in app_routes(app) if p == old}):
            response = client.request(method, source, follow_redirects=False)
            if (response.status_code, response.headers.get("location")) != (308, target):
                wrong.append((method, source, response.status_code))
    assert wrong == []


def test_an_old_bookmark_reaches_the_page(pages):
    coordinator = pages("coordinator")
    response = coordinator.get("/refund?from=2026-01-01&to=2026-01-31", follow_redirects=True)
    assert response.status_code == 200
    assert response.url.path == "/refusion"
