"""All web pages: every page area is included here."""

from service.pages import (
    admin,
    api_docs,
    auth,
    contacts,
    home,
    logbook,
    matching_plan,
    mentors,
    notifications,
    referrals,
    refund_claims,
)
from service.pages import keyfigures as keyfigure_pages
from service.pages import matching as matching_pages
from service.pages import refund as refund_pages
from service.pages import time as time_pages
from service.web.routing import Router

pages_router = Router(include_in_schema=False)
for module in (
    auth,
    home,
    admin,
    notifications,
    referrals,
    mentors,
    contacts,
    logbook,
    time_pages,
    refund_pages,
    refund_claims,
    keyfigure_pages,
    matching_pages,
    matching_plan,
    api_docs,
):
    pages_router.include_router(module.router)
