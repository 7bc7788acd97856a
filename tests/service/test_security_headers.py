"""Security headers on every kind of response: page, API, /healthz, static file, errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.web.app import create_app
from tests.conftest import app_settings, joined_session

CSP_MUST = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def assert_secure(response, *, static: bool = False) -> None:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    for part in CSP_MUST:
        assert part in csp, (response.request.url, csp)
    assert "unsafe-inline" not in csp
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "same-origin"
    if not static:
        assert headers.get("cache-control") == "no-store", response.request.url
    assert "strict-transport-security" not in headers  # COOKIE_SECURE is off


def test_a_page_and_the_login_page(pages, client):
    assert_secure(pages("coordinator").get("/"))
    assert_secure(client.get("/log-ind"))


def test_an_api_answer(api, client):
    response = api("admin").get("/api/v1/users/me")
    assert response.status_code == 200
    assert_secure(response)
    assert_secure(client.get("/api/v1/users/me"))  # 401


def test_healthz_and_openapi(client):
    assert_secure(client.get("/healthz"))
    assert_secure(client.get("/openapi.json"))


def test_a_static_file_is_cacheable_but_otherwise_secured(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert_secure(response, static=True)
    assert response.headers.get("cache-control") != "no-store"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/findes-ikke", 404), ("/api/v1/findes-ikke", 404), ("/henvisninger/abc", 404)],
)
def test_error_answers(pages, path, status):
    response = pages("caseworker").get(path)
    assert response.status_code == status
    assert_secure(response)


def test_a_422_answer(api):
    response = api("admin").post("/api/v1/users", json={"email": 1})
    assert response.status_code == 422
    assert_secure(response)


def test_a_500_answer_carries_the_headers(engine, connection):
    app = create_app(
        app_settings(),
        engine=engine,
        session_factory=lambda: joined_session(connection),
        check_schema=False,
    )

    @app.get("/boom-page")
    def boom_page():
        raise RuntimeError("boom")

    @app.get("/api/v1/boom")
    def boom_api():
        raise RuntimeError("boom")

    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/boom-page", "/api/v1/boom"):
        response = client.get(path)
        assert response.status_code == 500
        assert_secure(response)


def test_hsts_only_with_secure_cookies(engine, connection):
    app = create_app(
        app_settings(cookie_secure=True),
        engine=engine,
        session_factory=lambda: joined_session(connection),
        check_schema=False,
    )
    client = TestClient(app, base_url="https://testserver")
    for path in ("/log-ind", "/healthz", "/static/app.css"):
        assert client.get(path).headers["strict-transport-security"].startswith("max-age=")
