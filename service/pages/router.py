"""All web pages: every page area is included here."""

from service.pages import (
    access,
    admin,
    admin_audit,
    admin_jobs,
    api_docs,
    auth,
    contacts,
    home,
    keyfigures,
    logbook,
    matching,
    matching_plan,
    mentors,
    moved,
    notifications,
    referrals,
    refund,
    refund_claims,
    time,
)
from service.web.routing import Router

pages_router = Router(include_in_schema=False)
for module in (
    auth,
    home,
    admin,
    admin_audit,
    admin_jobs,
    notifications,
    referrals,
    mentors,
    contacts,
    logbook,
    access,
    time,
    refund,
    refund_claims,
    keyfigures,
    matching,
    matching_plan,
    api_docs,
):
    pages_router.include_router(module.router)
# Last: each old path answers 308 with its new one, taking the methods of the route there.
moved.add_moved_routes(pages_router)
