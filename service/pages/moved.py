"""Page paths that moved: each old path answers 308 with its Danish one, query string kept.

Pages are Danish and the API (/api/v1) English; some pages had English paths until 2026-12.
308 keeps the method and the form, so bookmarks, links in stored notifications and forms
opened before an upgrade still arrive. Each old path takes the methods of its new route.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, compile_path, replace_params

from service.corps.referral_workflow import ACTIONS

# Old path → new path (path parameters by name; more specific paths first).
MOVED: dict[str, str] = {
    "/login": "/log-ind",
    "/logout": "/log-ud",
    "/admin/users": "/admin/brugere",
    "/admin/users/{user_id}/password": "/admin/brugere/{user_id}/adgangskode",
    "/admin/users/{user_id}/unblock": "/admin/brugere/{user_id}/laas-op",
    "/admin/users/{user_id}/active": "/admin/brugere/{user_id}/aktiv",
    "/admin/audit": "/admin/logning",
    "/admin/audit/verify": "/admin/logning/kontroller",
    "/admin/jobs": "/admin/planlagte-job",
    "/notifications": "/notifikationer",
    "/notifications/read-all": "/notifikationer/alle-laest",
    "/notifications/settings": "/notifikationer/indstillinger",
    "/notifications/{notification_id}/read": "/notifikationer/{notification_id}/laest",
    "/key-figures": "/noegletal",
    "/key-figures/workbook": "/noegletal/regneark",
    "/refund": "/refusion",
    "/refund/workbook": "/refusion/regneark",
    "/refund/csv": "/refusion/csv",
    "/refund/exports": "/refusion/eksporter",
    "/refund/exports/{job_id}": "/refusion/eksporter/{job_id}",
    "/refund/exports/{job_id}/status": "/refusion/eksporter/{job_id}/status",
    "/refund/exports/{job_id}/download": "/refusion/eksporter/{job_id}/hent",
    "/refund/claims": "/refusion/krav",
    "/refund/claims/new": "/refusion/krav/nyt",
    "/refund/claims/{claim_id}": "/refusion/krav/{claim_id}",
    "/refund/claims/{claim_id}/status": "/refusion/krav/{claim_id}/status",
    "/refund/claims/{claim_id}/rebuild": "/refusion/krav/{claim_id}/genopbyg",
    "/refund/claims/{claim_id}/workbook": "/refusion/krav/{claim_id}/regneark",
    "/refund/rules": "/refusion/regler",
    # The referral actions had their English codes as the last segment.
    "/henvisninger/{referral_id}/{action:referral_action_code}": (
        "/henvisninger/{referral_id}/{action:referral_action}"
    ),
}


class ActionCode(Convertor[str]):
    """The referral actions' English codes (accept, return, ...), as the old paths had them."""

    regex = "|".join(ACTIONS)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("referral_action_code", ActionCode())


def _redirect_to(new: str):
    path_format, convertors = compile_path(new)[1:]

    def moved(request: Request) -> RedirectResponse:
        url, _rest = replace_params(path_format, convertors, dict(request.path_params))
        query = request.url.query
        return RedirectResponse(url + (f"?{query}" if query else ""), status_code=308)

    return moved


def _methods(routes: list[BaseRoute], path: str) -> set[str]:
    """The methods of the routes at `path`, included routers unfolded."""
    found: set[str] = set()
    for route in routes:
        unfolded = getattr(route, "effective_route_contexts", None)
        for ctx in unfolded() if unfolded else [route]:
            if getattr(ctx, "path", None) == path:
                found |= set(getattr(ctx, "methods", None) or ()) - {"HEAD"}
    return found


def add_moved_routes(router: APIRouter) -> None:
    """Add to the pages' router a 308 for each old path, with the methods of its new route."""
    for old, new in MOVED.items():
        methods = _methods(router.routes, new)
        if not methods:
            raise LookupError(f"{old} moved to {new}, which is no page")
        router.add_api_route(old, _redirect_to(new), methods=sorted(methods), name=f"moved {old}")
