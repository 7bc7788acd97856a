"""The /api/v1 router: every API area is included here."""

from service.api import (
    auth,
    citizens,
    logbook,
    matching,
    mentors,
    notifications,
    referrals,
    refund,
    time_entries,
    users,
)
from service.api.responses import ERRORS
from service.web.routing import Router

api_router = Router(prefix="/api/v1")
api_router.include_router(auth.router)  # documents its own answers (401, 422, 429)
for module in (
    users,
    mentors,
    referrals,
    logbook,
    time_entries,
    citizens,
    notifications,
    refund,
    matching,
):
    api_router.include_router(module.router, responses=ERRORS)
