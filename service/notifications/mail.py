"""E-mail for notifications through SMTP (plain-text Danish), only when SMTP_HOST is set.

Users with `email_digest` get one daily mail (the `email_digest` job); everyone else gets
their new notifications mailed by the scheduler's outbox tick (every few minutes) and after
each job run. Rows are claimed (`emailed_at` set and committed) before sending and released
again when the SMTP server refuses: at most one mail per notification. Notifications older
than a day when first seen are not mailed (no flood when SMTP is switched on late).
Mails hold the notification texts only: no CPR number (scrubbed again), no health data.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.auth.models import User
from service.notifications.models import Notification
from service.notifications.service import scrub
from service.settings import Settings, get_settings
from service.types import utcnow

log = logging.getLogger(__name__)
FRESH_FOR = timedelta(days=1)
FOOTER = (
    "\n\nLog ind på Mentorkorps for at se dine notifikationer.\n"
    "Denne e-mail er sendt automatisk og kan ikke besvares.\n"
)


def enabled(settings: Settings | None = None) -> bool:
    return bool((settings or get_settings()).smtp_host)


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text UTF-8 mail through the configured SMTP server."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = scrub(subject)
    message.set_content(scrub(body), charset="utf-8")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        smtp.send_message(message)


def _body(rows: list[Notification]) -> str:
    lines = [f"- {row.text}" for row in rows]
    return "Du har nye notifikationer i Mentorkorps:\n\n" + "\n".join(lines) + FOOTER


def _pending(session: Session, *, digest: bool, now: datetime):
    rows = session.exec(
        select(Notification, User)
        .join(User, col(User.id) == Notification.user_id)
        .where(
            col(Notification.emailed_at).is_(None),
            col(Notification.read_at).is_(None),
            col(Notification.created_at) >= now - FRESH_FOR,
            col(User.active).is_(True),
            col(User.email_digest).is_(digest),
        )
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    grouped: defaultdict[int, list[Notification]] = defaultdict(list)
    for notification, user in rows:
        by_user[user.id] = (user, grouped[user.id])
        grouped[user.id].append(notification)
    return list(by_user.values())


def _set_emailed(session: Session, ids: list[int], value: datetime | None, *, only_unset: bool):
    statement = sa.update(Notification).where(col(Notification.id).in_(ids))
    if only_unset:
        statement = statement.where(col(Notification.emailed_at).is_(None))
    return session.execute(statement.values(emailed_at=value)).rowcount


def deliver_pending(
    scope: Callable[[], AbstractContextManager[Session]], settings: Settings | None = None
) -> int:
    """Mail each non-digest user their new notifications (one mail per user); return mails sent."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        return 0
    now = utcnow()
    with scope() as session:
        batches = [(u.email, [n.id for n in rows], _body(rows), len(rows)) for u, rows in
                   _pending(session, digest=False, now=now)]  # fmt: skip
        claimed = []
        for email, ids, body, count in batches:
            if _set_emailed(session, ids, now, only_unset=True) == len(ids):
                claimed.append((email, ids, body, count))
    sent = 0
    for email, ids, body, count in claimed:
        subject = (
            "Mentorkorps: ny notifikation"
            if count == 1
            else f"Mentorkorps: {count} nye notifikationer"
        )
        try:
            send_mail(settings, email, subject, body)
            sent += 1
        except (OSError, smtplib.SMTPException) as error:
            log.warning("e-mail til bruger kunne ikke sendes: %s", error)
            with scope() as session:
                _set_emailed(session, ids, None, only_unset=False)
    return sent


def send_digests(session: Session, settings: Settings | None = None) -> str:
    """The daily digest: one mail per digest user with their unread, unmailed notifications."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        return "email_digest: e-mail er ikke sat op (SMTP_HOST); intet sendt"
    now = utcnow()
    sent, failed = 0, 0
    for user, rows in _pending(session, digest=True, now=now):
        ids = [row.id for row in rows]
        subject = f"Mentorkorps: dagens oversigt ({len(rows)} notifikationer)"
        try:
            send_mail(settings, user.email, subject, _body(rows))
        except (OSError, smtplib.SMTPException) as error:
            log.warning("e-mail-oversigt kunne ikke sendes: %s", error)
            failed += 1
            continue
        _set_emailed(session, ids, now, only_unset=True)
        sent += 1
    return f"email_digest: {sent} oversigter sendt" + (f", {failed} fejlede" if failed else "")
