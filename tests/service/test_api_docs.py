"""/api/docs: Swagger UI for signed-in users only, from our own static files."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.service.test_rendered_pages import inline_code


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 303
    assert response.headers["location"] == "/log-ind?next=/api/docs"


def test_a_bearer_token_is_not_a_sign_in(api):
    response = api("admin").get("/api/docs")
    assert response.status_code == 303 and response.headers["location"].startswith("/log-ind")


def test_signed_in_users_get_swagger_ui_from_our_static_files(pages):
    client = pages("caseworker")
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert inline_code(response.text) == []
    soup = BeautifulSoup(response.text, "html.parser")
    assets = [s["src"] for s in soup.find_all("script")]
    assets += [link["href"] for link in soup.find_all("link")]
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for url in assets:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    assert soup.select_one("#swagger-ui")["data-openapi-url"] == "/openapi.json"


def test_the_openapi_document_stays_public(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and "/api/v1/auth/token" in response.json()["paths"]
