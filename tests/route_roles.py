"""Who may call which route: the table `test_route_roles.py` checks for every role.

Every route of the app must be listed here (public routes in PUBLIC). Each later area adds
its routes. `ALL` means every logged-in role. Page paths are Danish; the old paths that answer
308 with them (service/pages/moved.py) are checked in test_moved_pages.py.
"""

from service.auth.models import Role

ALL = frozenset(Role)


def only(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/log-ind"),
    ("POST", "/log-ind"),
    ("POST", "/api/v1/auth/token"),
}

ROUTES: dict[tuple[str, str], frozenset[Role]] = {
    # foundation: pages
    ("GET", "/"): ALL,
    ("POST", "/log-ud"): ALL,
    ("GET", "/admin/brugere"): only(Role.admin),
    ("POST", "/admin/brugere"): only(Role.admin),
    ("POST", "/admin/brugere/{user_id}/adgangskode"): only(Role.admin),
    ("POST", "/admin/brugere/{user_id}/laas-op"): only(Role.admin),
    ("POST", "/admin/brugere/{user_id}/aktiv"): only(Role.admin),
    ("GET", "/admin/logning"): only(Role.admin),
    ("POST", "/admin/logning/kontroller"): only(Role.admin),
    # foundation: API
    ("POST", "/api/v1/users"): only(Role.admin),
    ("GET", "/api/v1/users"): only(Role.admin),
    ("GET", "/api/v1/users/me"): ALL,
    # corps (issue 3): API
    ("POST", "/api/v1/mentors"): only(Role.coordinator, Role.admin),
    ("GET", "/api/v1/mentors"): only(Role.coordinator, Role.admin, Role.mentor),
    ("GET", "/api/v1/mentors/{mentor_id}"): only(Role.coordinator, Role.admin, Role.mentor),
    ("PATCH", "/api/v1/mentors/{mentor_id}"): only(Role.coordinator, Role.admin),
    ("POST", "/api/v1/mentors/{mentor_id}/absences"): only(Role.coordinator, Role.admin),
    ("GET", "/api/v1/mentors/{mentor_id}/absences"): only(
        Role.coordinator, Role.admin, Role.mentor
    ),
    ("POST", "/api/v1/mentors/{mentor_id}/rates"): only(Role.coordinator, Role.admin, Role.finance),
    ("GET", "/api/v1/mentors/{mentor_id}/rates"): only(Role.coordinator, Role.admin, Role.finance),
    ("POST", "/api/v1/referrals"): only(Role.caseworker),
    ("GET", "/api/v1/referrals"): only(Role.coordinator, Role.admin, Role.caseworker, Role.mentor),
    ("GET", "/api/v1/referrals/{referral_id}"): only(
        Role.coordinator, Role.admin, Role.caseworker, Role.mentor
    ),
    ("POST", "/api/v1/referrals/{referral_id}/accept"): only(Role.coordinator),
    ("POST", "/api/v1/referrals/{referral_id}/return"): only(Role.coordinator),
    ("POST", "/api/v1/referrals/{referral_id}/resubmit"): only(Role.caseworker),
    ("POST", "/api/v1/referrals/{referral_id}/pause"): only(Role.coordinator),
    ("POST", "/api/v1/referrals/{referral_id}/resume"): only(Role.coordinator),
    ("POST", "/api/v1/referrals/{referral_id}/close"): only(Role.coordinator, Role.caseworker),
    ("POST", "/api/v1/referrals/{referral_id}/confirm-citizen"): only(Role.coordinator),
    # corps (issue 3): pages
    ("GET", "/henvisninger/ny"): only(Role.caseworker),
    ("POST", "/henvisninger/ny"): only(Role.caseworker),
    ("GET", "/henvisninger"): only(Role.coordinator, Role.admin, Role.caseworker, Role.mentor),
    ("GET", "/henvisninger/indbakke"): only(Role.coordinator, Role.admin),
    ("GET", "/henvisninger/{referral_id}"): only(
        Role.coordinator, Role.admin, Role.caseworker, Role.mentor
    ),
    ("POST", "/henvisninger/{referral_id}/stamdata"): only(Role.coordinator),
    ("POST", "/henvisninger/{referral_id}/{action:referral_action}"): only(
        Role.coordinator, Role.caseworker
    ),
    ("GET", "/henvisninger/{referral_id}/ret"): only(Role.caseworker),
    ("POST", "/henvisninger/{referral_id}/ret"): only(Role.caseworker),
    ("GET", "/mentorer"): only(Role.coordinator, Role.admin),
    ("GET", "/mentorer/{mentor_id}"): only(Role.coordinator, Role.admin, Role.mentor),
    ("POST", "/mentorer/{mentor_id}/fravaer"): only(Role.coordinator, Role.admin),
    ("GET", "/mentorer/ny"): only(Role.coordinator, Role.admin),
    ("POST", "/mentorer/ny"): only(Role.coordinator, Role.admin),
    ("GET", "/mentorer/{mentor_id}/ret"): only(Role.coordinator, Role.admin),
    ("POST", "/mentorer/{mentor_id}/ret"): only(Role.coordinator, Role.admin),
    ("GET", "/satser"): only(Role.coordinator, Role.admin, Role.finance),
    ("POST", "/satser"): only(Role.coordinator, Role.admin, Role.finance),
    ("GET", "/min-profil"): only(Role.mentor),
    ("POST", "/min-profil"): only(Role.mentor),
    ("GET", "/fravaer"): only(Role.coordinator, Role.admin, Role.mentor),
    ("GET", "/kontakter"): only(Role.coordinator, Role.admin, Role.mentor),
    ("POST", "/kontakter"): only(Role.coordinator),
    ("POST", "/kontakter/{contact_id}"): only(Role.coordinator),
    ("POST", "/kontakter/{contact_id}/slet"): only(Role.coordinator),
    ("GET", "/kriseplan"): only(Role.coordinator, Role.admin, Role.mentor),
    ("POST", "/kriseplan"): only(Role.coordinator),
    # logbook and time (issue 5): API
    ("POST", "/api/v1/referrals/{referral_id}/logbook"): only(Role.mentor),
    ("GET", "/api/v1/referrals/{referral_id}/logbook"): only(
        Role.mentor, Role.coordinator, Role.caseworker, Role.admin
    ),
    ("GET", "/api/v1/logbook/{entry_id}"): only(
        Role.mentor, Role.coordinator, Role.caseworker, Role.admin
    ),
    ("PUT", "/api/v1/logbook/{entry_id}"): ALL,  # always 405
    ("PATCH", "/api/v1/logbook/{entry_id}"): ALL,  # always 405
    ("DELETE", "/api/v1/logbook/{entry_id}"): ALL,  # always 405
    ("POST", "/api/v1/logbook/{entry_id}/amendments"): only(Role.mentor, Role.coordinator),
    ("POST", "/api/v1/logbook/{entry_id}/shown"): only(Role.mentor, Role.coordinator),
    ("POST", "/api/v1/time-entries"): only(Role.mentor, Role.coordinator),
    ("GET", "/api/v1/time-entries"): only(Role.mentor, Role.coordinator),
    ("PATCH", "/api/v1/time-entries/{entry_id}"): only(Role.mentor, Role.coordinator),
    ("DELETE", "/api/v1/time-entries/{entry_id}"): only(Role.mentor, Role.coordinator),
    ("POST", "/api/v1/training-expenses"): only(Role.coordinator),
    ("POST", "/api/v1/month-approvals"): only(Role.coordinator),
    ("GET", "/api/v1/month-approvals"): only(Role.coordinator),
    ("POST", "/api/v1/month-approvals/{approval_id}/reopen"): only(Role.coordinator),
    ("GET", "/api/v1/citizens/{citizen_id}/access-export"): only(Role.coordinator, Role.admin),
    # notifications and scheduled jobs (issue 7)
    ("GET", "/notifikationer"): ALL,
    ("POST", "/notifikationer/alle-laest"): ALL,
    ("POST", "/notifikationer/indstillinger"): ALL,
    ("POST", "/notifikationer/{notification_id}/laest"): ALL,
    ("GET", "/admin/planlagte-job"): only(Role.admin),
    ("POST", "/admin/planlagte-job/{name}/koer-nu"): only(Role.admin),
    ("GET", "/api/v1/notifications"): ALL,
    ("POST", "/api/v1/notifications/{notification_id}/read"): ALL,
    # logbook and time (issue 5): pages
    ("GET", "/mine-borgere"): only(Role.mentor),
    ("GET", "/logboeger"): only(Role.coordinator, Role.caseworker, Role.admin),
    ("GET", "/logbog/{referral_id}"): only(
        Role.mentor, Role.coordinator, Role.caseworker, Role.admin
    ),
    ("POST", "/logbog/{referral_id}"): only(Role.mentor),
    ("POST", "/logbog/notat/{entry_id}/ret"): only(Role.mentor, Role.coordinator),
    ("POST", "/logbog/notat/{entry_id}/vist"): only(Role.mentor, Role.coordinator),
    ("GET", "/borgere/{citizen_id}/aktindsigt"): only(Role.coordinator, Role.admin),
    ("GET", "/tid"): only(Role.mentor, Role.coordinator),
    ("POST", "/tid"): only(Role.mentor, Role.coordinator),
    ("POST", "/tid/registrering/{entry_id}"): only(Role.mentor, Role.coordinator),
    ("POST", "/tid/registrering/{entry_id}/slet"): only(Role.mentor, Role.coordinator),
    ("GET", "/tid/godkendelser"): only(Role.coordinator),
    ("POST", "/tid/godkendelser"): only(Role.coordinator),
    ("POST", "/tid/godkendelser/{approval_id}/genaabn"): only(Role.coordinator),
    # refund and key figures (issue 6): API
    ("GET", "/api/v1/reports/refund"): only(Role.finance, Role.coordinator),
    ("GET", "/api/v1/reports/refund.xlsx"): only(Role.finance, Role.coordinator),
    ("POST", "/api/v1/refund-claims"): only(Role.finance, Role.coordinator),
    ("GET", "/api/v1/refund-claims"): only(Role.finance, Role.coordinator),
    ("GET", "/api/v1/refund-claims/{claim_id}.xlsx"): only(Role.finance, Role.coordinator),
    ("GET", "/api/v1/refund-rules"): only(Role.admin, Role.finance, Role.coordinator),
    ("POST", "/api/v1/refund-rules"): only(Role.admin),
    ("GET", "/api/v1/reports/key-figures"): only(Role.coordinator, Role.admin, Role.finance),
    # refund and key figures (issue 6): pages
    ("GET", "/refusion"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/regneark"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/csv"): only(Role.finance, Role.coordinator),
    ("POST", "/refusion/eksporter"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/eksporter/{job_id}"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/eksporter/{job_id}/status"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/eksporter/{job_id}/hent"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/krav"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/krav/nyt"): only(Role.finance, Role.coordinator),
    ("POST", "/refusion/krav"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/krav/{claim_id}"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/krav/{claim_id}/status"): only(Role.finance, Role.coordinator),
    ("POST", "/refusion/krav/{claim_id}/genopbyg"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/krav/{claim_id}/regneark"): only(Role.finance, Role.coordinator),
    ("GET", "/refusion/regler"): only(Role.admin),
    ("POST", "/refusion/regler"): only(Role.admin),
    ("GET", "/noegletal"): only(Role.coordinator, Role.admin, Role.finance),
    ("GET", "/noegletal/regneark"): only(Role.coordinator, Role.admin, Role.finance),
    # matching (issue 4): API
    ("GET", "/api/v1/referrals/{referral_id}/suggestions"): only(Role.coordinator),
    ("POST", "/api/v1/matching/plan"): only(Role.coordinator),
    ("POST", "/api/v1/referrals/{referral_id}/assignment"): only(Role.coordinator),
    ("POST", "/api/v1/citizens/{citizen_id}/exclusions"): only(Role.coordinator),
    ("GET", "/api/v1/citizens/{citizen_id}/exclusions"): only(Role.coordinator),
    ("GET", "/api/v1/matching/weights"): only(Role.coordinator),
    ("PUT", "/api/v1/matching/weights"): only(Role.coordinator),
    # matching (issue 4): pages
    ("POST", "/matchning/henvisninger/{referral_id}/tildel"): only(Role.coordinator),
    ("POST", "/matchning/henvisninger/{referral_id}/forny"): only(Role.coordinator),
    ("GET", "/matchning/aftaler/{agreement_id}"): only(
        Role.coordinator, Role.admin, Role.caseworker, Role.mentor
    ),
    ("GET", "/matchning/plan"): only(Role.coordinator),
    ("POST", "/matchning/plan"): only(Role.coordinator),
    ("GET", "/matchning/vaegte"): only(Role.coordinator),
    ("POST", "/matchning/vaegte"): only(Role.coordinator),
    ("GET", "/matchning/afloesning"): only(Role.coordinator),
    ("GET", "/matchning/afloesning/{absence_id}"): only(Role.coordinator),
    ("POST", "/matchning/afloesning/{absence_id}"): only(Role.coordinator),
    ("GET", "/matchning/borgere/{citizen_id}/udelukkelser"): only(Role.coordinator),
    ("POST", "/matchning/borgere/{citizen_id}/udelukkelser"): only(Role.coordinator),
}
