"""The scheduled jobs: name → (function of (session, today), schedule, description).

Each body lives in its domain; this list names the jobs, their cron fields (Europe/Copenhagen)
and what they do. `mentorkorps jobs list|run` and the scheduler read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlmodel import Session

from logbook import followup as logbook_followup
from reports import followup as reports_followup
from service.audit.verify import verify_journal
from service.corps import followup as corps_followup
from service.notifications.journal import journal_broken
from service.notifications.mail import email_digest
from service.retention.rules import retention


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Session, date], str]  # returns a one-line outcome
    cron: dict  # APScheduler cron trigger fields
    description: str


WEEKDAYS = {"day_of_week": "mon-fri"}
# The first seven days of the month: a monthly run missed on the 1st still happens (once).
FIRST_WEEK = {"day": "1-7"}

JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("unmatched_referrals", corps_followup.unmatched_referrals,
            {**WEEKDAYS, "hour": 7, "minute": 0},
            "Henvisninger uden mentor i mere end 5 arbejdsdage → koordinatorer"),
        Job("stale_logbooks", logbook_followup.stale_logbooks,
            {**WEEKDAYS, "hour": 7, "minute": 5},
            "Aktive forløb uden logbogsnotat i 14 dage → mentor og koordinatorer"),
        Job("ending_referrals", corps_followup.ending_referrals,
            {**WEEKDAYS, "hour": 7, "minute": 10},
            "Henvisninger der slutter inden for 14 dage → sagsbehandler og koordinatorer"),
        Job("expiring_agreements", corps_followup.expiring_agreements,
            {"hour": 7, "minute": 12},
            "Mentoraftaler der udløber inden for 14 dage → koordinatorer og sagsbehandler"),
        Job("hours_budget", logbook_followup.hours_budget,
            {**WEEKDAYS, "hour": 7, "minute": 15},
            "Månedens timeforbrug på 80 % af de bevilgede timer → mentor og sagsbehandler"),
        Job("monthly_refund_draft", reports_followup.monthly_refund_draft,
            {**FIRST_WEEK, "hour": 7, "minute": 20},
            "Sidste måneds refusionsopgørelse klar som udkast → økonomi"),
        Job("monthly_key_figures", reports_followup.monthly_key_figures,
            {**FIRST_WEEK, "hour": 7, "minute": 25},
            "Sidste måneds nøgletal → koordinatorer"),
        Job("weekly_time_reminder", logbook_followup.weekly_time_reminder,
            {"day_of_week": "mon-wed", "hour": 8, "minute": 0},
            "Mentorer uden tidsregistrering i sidste arbejdsuge → mentoren"),
        Job("email_digest", email_digest, {"hour": 16, "minute": 0},
            "Daglig e-mail-oversigt til brugere, der har valgt den (når SMTP er sat op)"),
        Job("verify_journal", partial(verify_journal, alert=journal_broken),
            {"hour": 2, "minute": 30},
            "Kontrol af hash-kæderne i logningen og logbøgerne → administratorer ved brud"),
        Job("retention", retention, {"hour": 3, "minute": 30},
            "Sletter forløb afsluttet for mere end RETENTION_YEARS år siden (ikke refusionskrav) "
            "og læse-/søgerækker i auditloggen ældre end ACCESS_LOG_MONTHS måneder; "
            "udløbne tællere af mislykkede login"),
    )
}  # fmt: skip
