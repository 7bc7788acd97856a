"""Route paths for templates and redirects, without Starlette's per-call search (issue 16).

`request.url_for` walks every route of the app, raising and catching an exception for each
one that does not match, then builds and parses a full URL: 0.25–0.48 ms a call, and a page
makes dozens. Which route answers a name depends only on the name and the parameter names,
so that route is found once per app (Starlette's own search, first match wins) and kept;
each call then only fills in the parameters with the route's own `url_path_for`. The root
path is added the way `Request.base_url` adds it, so the paths are the same as Starlette's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute, NoMatchFound
from starlette.types import Scope

Key = tuple[str, frozenset[str]]


class RouteCache:
    """(route name, parameter names) → the route that builds its path."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.routes = routes
        self.size = len(routes)
        self.found: dict[Key, Any] = {}

    def route(self, name: str, params: dict[str, Any]) -> Any:
        """The route (or FastAPI route context) that builds this name's path, or None."""
        if len(self.routes) != self.size:  # a route added after the first call
            self.found.clear()
            self.size = len(self.routes)
        key = (name, frozenset(params))
        route = self.found.get(key)
        if route is None:
            for candidate in _candidates(self.routes):
                try:
                    candidate.url_path_for(name, **params)
                except NoMatchFound:
                    continue
                route = self.found[key] = candidate
                break
        return route


def _candidates(routes: list[BaseRoute]) -> Iterator[Any]:
    """The routes in the order Starlette asks them, an included router as its own routes
    (FastAPI's effective route contexts, each of which builds its path)."""
    for top in routes:
        contexts = getattr(top, "effective_route_contexts", None)
        yield from contexts() if contexts is not None else (top,)


CACHE = "_mentorkorps_route_cache"  # the attribute that keeps a router's cache


def _cache(provider: Any) -> RouteCache:
    cache = getattr(provider, CACHE, None)
    if cache is None or cache.routes is not provider.routes:
        cache = RouteCache(provider.routes)
        setattr(provider, CACHE, cache)
    return cache


def _root(scope: Scope) -> str:
    """The app's root path as `Request.base_url` writes it, without its trailing slash."""
    root = scope.get("app_root_path", scope.get("root_path", ""))
    return root.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C").rstrip("/")


def route_path(request: Request, name: str, /, **path_params: Any) -> str:
    """The path of a named route with the app's root path: `request.url_for(...).path`."""
    provider = request.scope.get("router") or request.scope.get("app")
    routes = getattr(provider, "routes", None)
    if routes is None:
        return str(request.url_for(name, **path_params).path)
    route = _cache(provider).route(name, path_params)
    if route is None:
        raise NoMatchFound(name, path_params)
    path = _root(request.scope) + str(route.url_path_for(name, **path_params))
    if "?" in path or "#" in path:  # Starlette's URL would cut it there: let it
        return str(request.url_for(name, **path_params).path)
    return path
