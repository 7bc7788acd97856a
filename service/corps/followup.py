"""The corps' follow-up jobs: referrals waiting for a mentor or ending, agreements expiring.

Each is a function of (session, today) returning a one-line outcome (`service.jobs.registry`
schedules them). Every notification carries a dedup key naming the job, its subject and the
episode (a referral's submission date, its end date, an agreement): a rerun for the same day,
or any later day of the same episode, notifies nobody twice. Working days follow the Danish
calendar (`service.core.workdays`).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from reports.core.danish import local_date, long_date
from service.auth.models import Role
from service.core.workdays import working_days_between
from service.corps.models import MentorAgreement, Referral
from service.corps.notices import agreement_expiring, referral_label
from service.notifications.inbox import (
    notify,
    referral_link,
    upper_first,
    user_ids_with_role,
)

UNMATCHED_AFTER_WORKING_DAYS = 5
ENDING_WITHIN_DAYS = 14


def unmatched_referrals(session: Session, today: date) -> str:
    """Submitted or accepted referrals without a mentor for > 5 working days → coordinators."""
    rows = session.exec(
        select(Referral).where(
            col(Referral.status).in_(("submitted", "accepted")), col(Referral.mentor_id).is_(None)
        )
    ).all()
    coordinators = user_ids_with_role(session, Role.coordinator)
    due, created = 0, 0
    for referral in rows:
        since = local_date(referral.submitted_at)
        waited = working_days_between(since, today)
        if waited <= UNMATCHED_AFTER_WORKING_DAYS:
            continue
        due += 1
        label = referral_label(session, referral)
        created += notify(
            session,
            user_ids=coordinators,
            kind="unmatched_referral",
            text=f"{upper_first(label)} har ventet på en mentor i {waited} arbejdsdage.",
            referral_id=referral.id,
            link=referral_link(referral.id),
            dedup_key=f"unmatched_referrals:r{referral.id}:{since.isoformat()}",
        )
    return f"unmatched_referrals: {due} henvisninger uden mentor; {created} notifikationer"


def ending_referrals(session: Session, today: date) -> str:
    """Referrals (not closed) ending within 14 days → their caseworker and coordinators."""
    rows = session.exec(
        select(Referral).where(
            Referral.status != "closed",
            col(Referral.end_date) >= today,
            col(Referral.end_date) <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
    ).all()
    coordinators = user_ids_with_role(session, Role.coordinator)
    created = 0
    for referral in rows:
        label = referral_label(session, referral)
        created += notify(
            session,
            user_ids=[referral.caseworker_id, *coordinators],
            kind="ending_referral",
            text=f"{upper_first(label)} slutter {long_date(referral.end_date)}.",
            referral_id=referral.id,
            link=referral_link(referral.id),
            dedup_key=f"ending_referrals:r{referral.id}:{referral.end_date.isoformat()}",
        )
    return f"ending_referrals: {len(rows)} henvisninger slutter snart; {created} notifikationer"


def expiring_agreements(session: Session, today: date) -> str:
    """Current mentor agreements ending within 14 days → coordinators and the caseworker.

    The current agreement is the newest of each active or paused referral (a renewal
    supersedes the old one, which then expires quietly). Once per agreement.
    """
    newest = (
        select(sa.func.max(MentorAgreement.id))
        .join(Referral, col(Referral.id) == MentorAgreement.referral_id)
        .where(col(Referral.status).in_(("active", "paused")))
        .group_by(col(MentorAgreement.referral_id))
    )
    rows = session.exec(
        select(MentorAgreement, Referral)
        .join(Referral, col(Referral.id) == MentorAgreement.referral_id)
        .where(
            col(MentorAgreement.id).in_(newest),
            col(MentorAgreement.valid_to) >= today,
            col(MentorAgreement.valid_to) <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .order_by(col(MentorAgreement.id))
    ).all()
    created = 0
    for agreement, referral in rows:
        created += agreement_expiring(
            session, referral, agreement.valid_to, agreement_id=agreement.id
        )
    return f"expiring_agreements: {len(rows)} mentoraftaler udløber snart; {created} notifikationer"
