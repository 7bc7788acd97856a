"""Route paths without Starlette's per-call search (service/web/urls.py): the same paths as
`request.url_for(...).path` for every route of the app, at the root and behind a proxy's
root path, and the route search done once per name, not once per call."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.routing import Mount, NoMatchFound

from service.core.db import make_engine
from service.web import urls
from service.web.app import create_app
from service.web.templates import request_path
from tests.conftest import app_settings

TEMPLATES = Path(__file__).parents[2] / "service" / "templates"
CALL = re.compile(r"url_for\('([\w:]+)'((?:, *\w+=[^,)]+)*)\)")
SAMPLE = {
    "integer": 7,
    "string": "abc",
    "path": "css/app.css",
    "float": 1.5,
    "actionpath": "accept",
    "actioncode": "accept",
}


@pytest.fixture(scope="module")
def app():
    return create_app(app_settings(), engine=make_engine("sqlite://"), check_schema=False)


def request_for(app, root_path: str = "", **extra) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": root_path + "/",
        "root_path": root_path,
        "query_string": b"",
        "headers": [(b"host", b"evil.example")],
        "scheme": "https",
        "server": ("evil.example", 443),
        "app": app,
        "router": app.router,
        **extra,
    }
    return Request(scope)


def named_calls(app) -> list[tuple[str, dict[str, object]]]:
    """A call for every named route of the app (sample values for its parameters)."""
    calls: list[tuple[str, dict[str, object]]] = []
    for top in app.routes:
        if isinstance(top, Mount) and top.name:
            calls.append((top.name, {"path": SAMPLE["path"]}))
            continue
        for route in getattr(top, "effective_route_contexts", lambda t=top: [t])():
            if not getattr(route, "name", None):
                continue
            params = {
                name: SAMPLE[type(convertor).__name__.removesuffix("Convertor").lower()]
                for name, convertor in route.param_convertors.items()
            }
            calls.append((route.name, params))
    return calls


def template_calls() -> set[tuple[str, frozenset[str]]]:
    """(name, parameter names) of every url_for call in the templates."""
    found = set()
    for template in TEMPLATES.rglob("*.html"):
        for name, args in CALL.findall(template.read_text()):
            found.add((name, frozenset(re.findall(r"(\w+)=", args))))
    return found


@pytest.mark.parametrize(
    "root", [{}, {"root_path": "/mk"}, {"root_path": "/mk/"}, {"app_root_path": "/proxy"}]
)
def test_every_route_has_starlettes_path(app, root):
    root_path = root.get("root_path", "")
    extra = {k: v for k, v in root.items() if k != "root_path"}
    calls = named_calls(app)
    assert len(calls) > 100
    for name, params in calls:
        expected = request_for(app, root_path, **extra).url_for(name, **params).path
        assert urls.route_path(request_for(app, root_path, **extra), name, **params) == expected


def test_every_template_call_names_a_route(app):
    calls = template_calls()
    assert ("static", frozenset({"path"})) in calls and len(calls) > 50
    for name, keys in calls:
        samples = {"path": "app.css", "action": "accept"}
        params = {key: samples.get(key, 3) for key in keys}
        request = request_for(app, "/mk")
        assert request_path(request, name, **params) == request.url_for(name, **params).path


def test_an_unknown_route_or_parameter_is_refused_like_starlette(app):
    with pytest.raises(NoMatchFound):
        urls.route_path(request_for(app), "no_such_route")
    with pytest.raises(NoMatchFound):
        urls.route_path(request_for(app), "referral_page", wrong_id=1)


def test_the_routes_are_searched_once_per_name(app, monkeypatch):
    """Starlette's search raises NoMatchFound in every route that does not match."""
    misses = []
    original = NoMatchFound.__init__

    def counting(self, name, path_params):
        misses.append(name)
        original(self, name, path_params)

    monkeypatch.setattr(NoMatchFound, "__init__", counting)
    setattr(app.router, urls.CACHE, None)
    request = request_for(app)
    first = urls.route_path(request, "referral_page", referral_id=1)
    assert len(misses) > 10  # the first call looks through the routes
    misses.clear()
    second = urls.route_path(request, "referral_page", referral_id=2)
    assert misses == []  # the second call asks only the route it found
    assert (first, second) == ("/henvisninger/1", "/henvisninger/2")


def test_a_page_behind_a_root_path_links_under_it(app):
    client = TestClient(app, root_path="/mk", base_url="https://evil.example")
    page = BeautifulSoup(client.get("/mk/log-ind").text, "html.parser")
    tags = page.select("link[href^='/'], script[src]")
    links = [tag.get("href") or tag.get("src") for tag in tags]
    assert links and all(link.startswith("/mk/static/") for link in links), links
