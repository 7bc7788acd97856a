"""Users' roles, the audit trail and the scheduled jobs: codes and their Danish labels."""

USER_ROLES = {
    "admin": "Administrator",
    "coordinator": "Koordinator",
    "caseworker": "Sagsbehandler",
    "mentor": "Mentor",
    "finance": "Økonomi",
}

AUDIT_ACTIONS = {
    "read": "Læst",
    "search": "Søgt",
    "create": "Oprettet",
    "update": "Ændret",
    "delete": "Slettet",
    "transition": "Status ændret",
    "export": "Udtrukket",
    "run": "Kørt",
    "login": "Logget ind",
    "logout": "Logget ud",
    "failed_login": "Mislykket login",
}

AUDIT_PURPOSES = {
    "casework": "Sagsbehandling",
    "matching": "Matchning",
    "refund": "Refusion",
    "citizen_access": "Aktindsigt",
    "administration": "Administration",
    "authentication": "Log ind",
}

# What an audit row is about (its `entity`): the kind of record, as a person names it.
RECORD_KINDS = {
    "absence": "Fravær",
    "assignment": "Tildeling af mentor",
    "audit_event": "Logning",
    "caseload": "Mentorens borgere",
    "citizen": "Borger",
    "contact": "Kontakt",
    "cover_assignment": "Afløsning",
    "crisis_plan": "Kriseplan",
    "job": "Planlagt job",
    "key_figures": "Nøgletal",
    "logbook": "Logbog",
    "logbook_entry": "Logbogsnotat",
    "matching_weight": "Matchningsvægte",
    "mentor": "Mentor",
    "mentor_agreement": "Mentoraftale",
    "mentor_exclusion": "Udelukkelse fra matchning",
    "mentor_rate": "Timesats",
    "month_approval": "Godkendelse af måned",
    "referral": "Henvisning",
    "refund_claim": "Refusionskrav",
    "refund_report": "Refusionsopgørelse",
    "refund_rule": "Refusionsregel",
    "time_entry": "Tidsregistrering",
    "training_expense": "Udgift til uddannelse af mentorer",
    "user": "Bruger",
    "verify_run": "Kontrol af journalen",
}

# The scheduled jobs (service.jobs.registry), by their names for `mentorkorps jobs run`.
JOBS = {
    "unmatched_referrals": "Henvisninger uden mentor",
    "stale_logbooks": "Forløb uden nye logbogsnotater",
    "ending_referrals": "Forløb der snart slutter",
    "expiring_agreements": "Mentoraftaler der snart udløber",
    "hours_budget": "Timeforbrug tæt på det bevilgede",
    "monthly_refund_draft": "Månedens refusionsudkast",
    "monthly_key_figures": "Månedens nøgletal",
    "weekly_time_reminder": "Påmindelse om tidsregistrering",
    "email_digest": "Daglig e-mail-oversigt",
    "verify_journal": "Kontrol af journalen",
    "retention": "Sletning efter slettefristerne",
}

JOB_RUN_STATUSES = {"running": "Kører", "done": "Gennemført", "failed": "Fejlet"}

JOB_RUN_TRIGGERS = {"manual": "Startet i hånden", "schedule": "Efter planen"}
