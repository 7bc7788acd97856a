"""Who may call which route: the table `test_route_roles.py` checks for every role.

Every route of the app must be listed here (public routes in PUBLIC). Each later area adds
its routes. `ALL` means every logged-in role.
"""

ALL = frozenset({"admin", "coordinator", "caseworker", "mentor", "finance"})


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/v1/auth/token"),
}

ROUTES: dict[tuple[str, str], frozenset[str]] = {
    # foundation: pages
    ("GET", "/"): ALL,
    ("POST", "/logout"): ALL,
    ("GET", "/admin/users"): only("admin"),
    ("POST", "/admin/users"): only("admin"),
    ("POST", "/admin/users/{user_id}/password"): only("admin"),
    ("POST", "/admin/users/{user_id}/unblock"): only("admin"),
    ("POST", "/admin/users/{user_id}/active"): only("admin"),
    ("GET", "/admin/audit"): only("admin"),
    ("POST", "/admin/audit/verify"): only("admin"),
    # foundation: API
    ("POST", "/api/v1/users"): only("admin"),
    ("GET", "/api/v1/users"): only("admin"),
    ("GET", "/api/v1/users/me"): ALL,
    # corps (issue 3): API
    ("POST", "/api/v1/mentors"): only("coordinator", "admin"),
    ("GET", "/api/v1/mentors"): only("coordinator", "admin", "mentor"),
    ("GET", "/api/v1/mentors/{mentor_id}"): only("coordinator", "admin", "mentor"),
    ("PATCH", "/api/v1/mentors/{mentor_id}"): only("coordinator", "admin"),
    ("POST", "/api/v1/mentors/{mentor_id}/absences"): only("coordinator", "admin"),
    ("GET", "/api/v1/mentors/{mentor_id}/absences"): only("coordinator", "admin", "mentor"),
    ("POST", "/api/v1/mentors/{mentor_id}/rates"): only("coordinator", "admin", "finance"),
    ("GET", "/api/v1/mentors/{mentor_id}/rates"): only("coordinator", "admin", "finance"),
    ("POST", "/api/v1/referrals"): only("caseworker"),
    ("GET", "/api/v1/referrals"): only("coordinator", "admin", "caseworker", "mentor"),
    ("GET", "/api/v1/referrals/{referral_id}"): only(
        "coordinator", "admin", "caseworker", "mentor"
    ),
    ("POST", "/api/v1/referrals/{referral_id}/accept"): only("coordinator"),
    ("POST", "/api/v1/referrals/{referral_id}/return"): only("coordinator"),
    ("POST", "/api/v1/referrals/{referral_id}/resubmit"): only("caseworker"),
    ("POST", "/api/v1/referrals/{referral_id}/pause"): only("coordinator"),
    ("POST", "/api/v1/referrals/{referral_id}/resume"): only("coordinator"),
    ("POST", "/api/v1/referrals/{referral_id}/close"): only("coordinator", "caseworker"),
    ("POST", "/api/v1/referrals/{referral_id}/confirm-citizen"): only("coordinator"),
    # corps (issue 3): pages
    ("GET", "/henvisninger/ny"): only("caseworker"),
    ("POST", "/henvisninger/ny"): only("caseworker"),
    ("GET", "/henvisninger"): only("coordinator", "admin", "caseworker", "mentor"),
    ("GET", "/henvisninger/indbakke"): only("coordinator", "admin"),
    ("GET", "/henvisninger/{referral_id}"): only("coordinator", "admin", "caseworker", "mentor"),
    ("POST", "/henvisninger/{referral_id}/stamdata"): only("coordinator"),
    ("POST", "/henvisninger/{referral_id}/{action}"): only("coordinator", "caseworker"),
    ("GET", "/henvisninger/{referral_id}/ret"): only("caseworker"),
    ("POST", "/henvisninger/{referral_id}/ret"): only("caseworker"),
    ("GET", "/mentorer"): only("coordinator", "admin"),
    ("GET", "/mentorer/{mentor_id}"): only("coordinator", "admin", "mentor"),
    ("POST", "/mentorer/{mentor_id}/fravaer"): only("coordinator", "admin"),
    ("GET", "/mentorer/ny"): only("coordinator", "admin"),
    ("POST", "/mentorer/ny"): only("coordinator", "admin"),
    ("GET", "/mentorer/{mentor_id}/ret"): only("coordinator", "admin"),
    ("POST", "/mentorer/{mentor_id}/ret"): only("coordinator", "admin"),
    ("GET", "/satser"): only("coordinator", "admin", "finance"),
    ("POST", "/satser"): only("coordinator", "admin", "finance"),
    ("GET", "/min-profil"): only("mentor"),
    ("POST", "/min-profil"): only("mentor"),
    ("GET", "/fravaer"): only("coordinator", "admin", "mentor"),
    ("GET", "/kontakter"): only("coordinator", "admin", "mentor"),
    ("POST", "/kontakter"): only("coordinator"),
    ("POST", "/kontakter/{contact_id}"): only("coordinator"),
    ("POST", "/kontakter/{contact_id}/slet"): only("coordinator"),
    ("GET", "/kriseplan"): only("coordinator", "admin", "mentor"),
    ("POST", "/kriseplan"): only("coordinator"),
    # logbook and time (issue 5): API
    ("POST", "/api/v1/referrals/{referral_id}/logbook"): only("mentor"),
    ("GET", "/api/v1/referrals/{referral_id}/logbook"): only(
        "mentor", "coordinator", "caseworker", "admin"
    ),
    ("GET", "/api/v1/logbook/{entry_id}"): only("mentor", "coordinator", "caseworker", "admin"),
    ("PUT", "/api/v1/logbook/{entry_id}"): ALL,  # always 405
    ("PATCH", "/api/v1/logbook/{entry_id}"): ALL,  # always 405
    ("DELETE", "/api/v1/logbook/{entry_id}"): ALL,  # always 405
    ("POST", "/api/v1/logbook/{entry_id}/amendments"): only("mentor", "coordinator"),
    ("POST", "/api/v1/logbook/{entry_id}/shown"): only("mentor", "coordinator"),
    ("POST", "/api/v1/time-entries"): only("mentor", "coordinator"),
    ("GET", "/api/v1/time-entries"): only("mentor", "coordinator"),
    ("PATCH", "/api/v1/time-entries/{entry_id}"): only("mentor", "coordinator"),
    ("DELETE", "/api/v1/time-entries/{entry_id}"): only("mentor", "coordinator"),
    ("POST", "/api/v1/training-expenses"): only("coordinator"),
    ("POST", "/api/v1/month-approvals"): only("coordinator"),
    ("GET", "/api/v1/month-approvals"): only("coordinator"),
    ("POST", "/api/v1/month-approvals/{approval_id}/reopen"): only("coordinator"),
    ("GET", "/api/v1/citizens/{citizen_id}/access-export"): only("coordinator", "admin"),
    # notifications and scheduled jobs (issue 7)
    ("GET", "/notifications"): ALL,
    ("POST", "/notifications/read-all"): ALL,
    ("POST", "/notifications/settings"): ALL,
    ("POST", "/notifications/{notification_id}/read"): ALL,
    ("GET", "/admin/jobs"): only("admin"),
    ("GET", "/api/v1/notifications"): ALL,
    ("POST", "/api/v1/notifications/{notification_id}/read"): ALL,
    # logbook and time (issue 5): pages
    ("GET", "/mine-borgere"): only("mentor"),
    ("GET", "/logboeger"): only("coordinator", "caseworker", "admin"),
    ("GET", "/logbog/{referral_id}"): only("mentor", "coordinator", "caseworker", "admin"),
    ("POST", "/logbog/{referral_id}"): only("mentor"),
    ("POST", "/logbog/notat/{entry_id}/ret"): only("mentor", "coordinator"),
    ("POST", "/logbog/notat/{entry_id}/vist"): only("mentor", "coordinator"),
    ("GET", "/borgere/{citizen_id}/aktindsigt"): only("coordinator", "admin"),
    ("GET", "/tid"): only("mentor", "coordinator"),
    ("POST", "/tid"): only("mentor", "coordinator"),
    ("POST", "/tid/registrering/{entry_id}"): only("mentor", "coordinator"),
    ("POST", "/tid/registrering/{entry_id}/slet"): only("mentor", "coordinator"),
    ("GET", "/tid/godkendelser"): only("coordinator"),
    ("POST", "/tid/godkendelser"): only("coordinator"),
    ("POST", "/tid/godkendelser/{approval_id}/genaabn"): only("coordinator"),
    # refund and key figures (issue 6): API
    ("GET", "/api/v1/reports/refund"): only("finance", "coordinator"),
    ("GET", "/api/v1/reports/refund.xlsx"): only("finance", "coordinator"),
    ("POST", "/api/v1/refund-claims"): only("finance", "coordinator"),
    ("GET", "/api/v1/refund-claims"): only("finance", "coordinator"),
    ("GET", "/api/v1/refund-claims/{claim_id}.xlsx"): only("finance", "coordinator"),
    ("GET", "/api/v1/refund-rules"): only("admin", "finance", "coordinator"),
    ("POST", "/api/v1/refund-rules"): only("admin"),
    ("GET", "/api/v1/reports/key-figures"): only("coordinator", "admin", "finance"),
    # refund and key figures (issue 6): pages
    ("GET", "/refund"): only("finance", "coordinator"),
    ("GET", "/refund/workbook"): only("finance", "coordinator"),
    ("GET", "/refund/csv"): only("finance", "coordinator"),
    ("POST", "/refund/exports"): only("finance", "coordinator"),
    ("GET", "/refund/exports/{job_id}"): only("finance", "coordinator"),
    ("GET", "/refund/exports/{job_id}/status"): only("finance", "coordinator"),
    ("GET", "/refund/exports/{job_id}/download"): only("finance", "coordinator"),
    ("GET", "/refund/claims"): only("finance", "coordinator"),
    ("GET", "/refund/claims/new"): only("finance", "coordinator"),
    ("POST", "/refund/claims"): only("finance", "coordinator"),
    ("GET", "/refund/claims/{claim_id}"): only("finance", "coordinator"),
    ("GET", "/refund/claims/{claim_id}/status"): only("finance", "coordinator"),
    ("POST", "/refund/claims/{claim_id}/rebuild"): only("finance", "coordinator"),
    ("GET", "/refund/claims/{claim_id}/workbook"): only("finance", "coordinator"),
    ("GET", "/refund/rules"): only("admin"),
    ("POST", "/refund/rules"): only("admin"),
    ("GET", "/key-figures"): only("coordinator", "admin", "finance"),
    ("GET", "/key-figures/workbook"): only("coordinator", "admin", "finance"),
    # matching (issue 4): API
    ("GET", "/api/v1/referrals/{referral_id}/suggestions"): only("coordinator"),
    ("POST", "/api/v1/matching/plan"): only("coordinator"),
    ("POST", "/api/v1/referrals/{referral_id}/assignment"): only("coordinator"),
    ("POST", "/api/v1/citizens/{citizen_id}/exclusions"): only("coordinator"),
    ("GET", "/api/v1/citizens/{citizen_id}/exclusions"): only("coordinator"),
    ("GET", "/api/v1/matching/weights"): only("coordinator"),
    ("PUT", "/api/v1/matching/weights"): only("coordinator"),
    # matching (issue 4): pages
    ("POST", "/matchning/henvisninger/{referral_id}/tildel"): only("coordinator"),
    ("POST", "/matchning/henvisninger/{referral_id}/forny"): only("coordinator"),
    ("GET", "/matchning/aftaler/{agreement_id}"): only(
        "coordinator", "admin", "caseworker", "mentor"
    ),
    ("GET", "/matchning/plan"): only("coordinator"),
    ("POST", "/matchning/plan"): only("coordinator"),
    ("GET", "/matchning/vaegte"): only("coordinator"),
    ("POST", "/matchning/vaegte"): only("coordinator"),
    ("GET", "/matchning/afloesning"): only("coordinator"),
    ("GET", "/matchning/afloesning/{absence_id}"): only("coordinator"),
    ("POST", "/matchning/afloesning/{absence_id}"): only("coordinator"),
    ("GET", "/matchning/borgere/{citizen_id}/udelukkelser"): only("coordinator"),
    ("POST", "/matchning/borgere/{citizen_id}/udelukkelser"): only("coordinator"),
}
