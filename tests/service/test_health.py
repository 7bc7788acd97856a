"""GET /healthz."""

from fastapi.testclient import TestClient

from service.core.db import make_engine
from service.web.app import create_app
from tests.conftest import app_settings


def test_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": "ok"}


def test_503_when_the_database_is_unreachable():
    dead = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    client = TestClient(create_app(app_settings(), engine=dead, check_schema=False))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["db"] == "error"


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/auth/token" in spec["paths"] and "/api/v1/users" in spec["paths"]


def test_unknown_page_is_a_danish_404(pages):
    response = pages("mentor").get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text


def test_unknown_api_path_is_json_404(api):
    response = api("mentor").get("/api/v1/findes-ikke")
    assert response.status_code == 404 and "detail" in response.json()


def test_wrong_method_is_405(api):
    assert api("admin").delete("/api/v1/users").status_code == 405
