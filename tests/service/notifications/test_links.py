"""Every notification the code can create links to a page that opens for its recipient."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from logbook.notices import observation_needs_caseworker
from reports.models import RefundRuleRecord
from service.audit.service import Actor
from service.core import clock
from service.corps import notices as events
from service.corps.matching import assign
from service.corps.models import Absence, CoverAssignment
from service.jobs.registry import JOBS
from service.notifications.inbox import AUDIT_LINK, link_label, notify
from service.notifications.models import Notification
from tests.conftest import csrf_token
from tests.factories import make_mentor, make_referral
from tests.service.jobs.conftest import add_logbook, add_time, utc

TODAY = date(2026, 6, 15)  # a Monday
KINDS = {
    "referral_submitted",
    "referral_returned",
    "mentor_assigned",
    "observation",
    "agreement_expiring",
    "cover_confirmed",
    "unmatched_referral",
    "stale_logbook",
    "ending_referral",
    "hours_budget",
    "refund_draft",
    "key_figures",
    "time_reminder",
}

NOTIFYING_JOBS = (
    "unmatched_referrals",
    "stale_logbooks",
    "ending_referrals",
    "expiring_agreements",
    "hours_budget",
    "monthly_refund_draft",
    "monthly_key_figures",
    "weekly_time_reminder",
)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def every_kind(db, users) -> None:
    """A small world in which each producer of notifications has something to say."""
    caseworker, coordinator = users["caseworker"], users["coordinator"]
    mentor = make_mentor(db, user=users["mentor"])
    db.add(
        RefundRuleRecord(
            valid_from=date(2019, 1, 1),
            rate=Decimal("0.5"),
            refundable_categories=["citizen_contact"],
        )
    )
    # Active, ending within 14 days, no logbook entry, 80 % of June's hours used.
    active = make_referral(db, caseworker, mentor=mentor, end_date=TODAY + timedelta(days=10))
    add_time(db, active, date(2026, 6, 1), 600)
    waiting = make_referral(db, caseworker, submitted_at=utc(2026, 5, 1, 9))  # waits for a mentor
    events.referral_submitted(db, waiting)
    returned = make_referral(db, caseworker, status="returned")
    events.referral_returned(db, returned)
    written = make_referral(db, caseworker, mentor=mentor)
    entry = add_logbook(db, written, TODAY, mentor.user_id, ["health_relapse"])
    observation_needs_caseworker(db, written, entry.id, ["health_relapse"])
    accepted = make_referral(db, caseworker, status="accepted")
    assign(
        db,
        actor=Actor(coordinator),
        referral_id=accepted.id,
        mentor_id=make_mentor(db).id,
        today=TODAY,
    )
    events.agreement_expiring(db, accepted, accepted.end_date)  # names its newest agreement
    substitute = make_mentor(db)
    absence = Absence(mentor_id=mentor.id, start=TODAY, end=TODAY + timedelta(5), kind="sick")
    db.add(absence)
    db.flush()
    cover = CoverAssignment(
        absence_id=absence.id,
        referral_id=active.id,
        substitute_mentor_id=substitute.id,
        start=absence.start,
        end=absence.end,
        confirmed_by=coordinator.id,
    )
    db.add(cover)
    db.flush()
    events.cover_confirmed(
        db,
        active,
        cover_id=cover.id,
        substitute_mentor_id=substitute.id,
        start=cover.start,
        end=cover.end,
    )
    for name in NOTIFYING_JOBS:
        JOBS[name].run(db, TODAY)
    db.flush()


def test_every_kind_links_to_a_page_its_recipient_can_open(db, users, pages):
    every_kind(db, users)
    rows = list(db.exec(select(Notification).order_by(Notification.id)).all())
    assert {n.kind for n in rows} == KINDS
    clients = {}
    wrong = []
    for n in rows:
        assert n.link.startswith("/"), (n.kind, n.link)
        if n.user_id not in clients:
            clients[n.user_id] = pages(db.get(type(users["admin"]), n.user_id))
        client = clients[n.user_id]
        opened = client.post(
            f"/notifikationer/{n.id}/laest", data={"csrf_token": csrf_token(client), "open": "1"}
        )
        if opened.status_code != 303 or opened.headers["location"] != n.link:
            wrong.append((n.kind, n.link, "open", opened.status_code))
            continue
        page = client.get(n.link)
        if page.status_code != 200 or "text/html" not in page.headers["content-type"]:
            wrong.append((n.kind, n.link, page.status_code))
    assert not wrong


def test_an_old_english_referral_link_still_opens_the_referral(db, users, pages):
    referral = make_referral(db, users["caseworker"])
    notify(
        db,
        user_ids=[users["caseworker"].id],
        kind="test",
        text="Gammel",
        referral_id=referral.id,
        link=f"/referrals/{referral.id}",
        dedup_key="old",
    )
    [note] = db.exec(select(Notification)).all()
    client = pages("caseworker")
    opened = client.post(
        f"/notifikationer/{note.id}/laest", data={"csrf_token": csrf_token(client), "open": "1"}
    )
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/henvisninger/{referral.id}"
    assert client.get(opened.headers["location"]).status_code == 200


# Where each kind leads, what its open button says, and the word of its text that names it.
REFERRAL = (r"/henvisninger/(\d+)", "Åbn henvisning nr. {0}", "envisning nr. {0}")
AGREEMENT = (r"/matchning/aftaler/\d+", "Åbn mentoraftalen", "entoraftale")
LOGBOOK = (r"/logbog/\d+", "Åbn logbogen", "logbogen")
TARGETS = {
    "referral_submitted": REFERRAL,
    "referral_returned": REFERRAL,
    "unmatched_referral": REFERRAL,
    "ending_referral": REFERRAL,
    "hours_budget": REFERRAL,
    "mentor_assigned": AGREEMENT,
    "agreement_expiring": AGREEMENT,
    "observation": (r"/logbog/\d+#entry-\d+", "Åbn logbogsnotatet", "logbogsnotat"),
    "cover_confirmed": LOGBOOK,
    "stale_logbook": LOGBOOK,
    "refund_draft": (r"/refusion\?from=[\d-]+&to=[\d-]+", "Åbn refusionsopgørelsen", "Refusion"),
    "key_figures": (r"/noegletal\?month=[\d-]+", "Åbn nøgletal", "Nøgletal"),
    "time_reminder": (r"/tid", "Åbn tidsregistrering", "registrere"),
}


def test_every_text_is_plain_danish_and_its_button_names_where_it_leads(db, users, pages):
    """Issue 13, item 7: no raw paths in texts; "Åbn henvisning nr. 12" opened the agreement."""
    every_kind(db, users)
    rows = list(db.exec(select(Notification).order_by(Notification.id)).all())
    assert set(TARGETS) == KINDS
    buttons = {}
    for user_id in {n.user_id for n in rows}:
        client = pages(db.get(type(users["admin"]), user_id))
        page = BeautifulSoup(client.get("/notifikationer").text, "html.parser")
        for item in page.select("#notifications li"):
            button = item.select_one("form input[name=open] ~ button")
            buttons[int(item["id"].removeprefix("notification-"))] = button.get_text(strip=True)
    wrong = []
    for n in rows:
        pattern, label, named = TARGETS[n.kind]
        match = re.fullmatch(pattern, n.link)
        groups = match.groups() if match else ()
        if "/" in n.text or re.search(r"\d{4}-\d{2}-\d{2}|\d\d\.\d\d\.\d{4}", n.text):
            wrong.append((n.kind, "text", n.text))
        if not match or buttons.get(n.id) != label.format(*groups):
            wrong.append((n.kind, n.link, buttons.get(n.id)))
        if named.format(*groups) not in n.text:
            wrong.append((n.kind, "names", n.text))
    assert not wrong


def test_a_broken_journal_links_to_the_audit_trail():
    assert link_label(AUDIT_LINK) == "Åbn logning"
    assert link_label("/henvisninger/12") == "Åbn henvisning nr. 12"
    assert link_label("/matchning/aftaler/5") == "Åbn mentoraftalen"
    assert link_label("/et/andet/sted") == "Åbn"


def test_an_old_text_with_a_path_is_shown_in_plain_danish(db, users, pages):
    referral = make_referral(db, users["caseworker"])
    notify(
        db,
        user_ids=[users["caseworker"].id],
        kind="mentor_assigned",
        text=f"Henvisning nr. {referral.id} har fået en mentor. Se aftalen: /matchning/aftaler/5",
        referral_id=referral.id,
        link="/matchning/aftaler/5",
        dedup_key="old-text",
    )
    page = BeautifulSoup(pages("caseworker").get("/notifikationer").text, "html.parser")
    [item] = page.select("#notifications li")
    text = item.select_one("p").get_text()
    assert "/" not in text and text.endswith("har fået en mentor. Mentoraftalen er klar.")
    assert item.select_one("form input[name=open] ~ button").get_text(strip=True) == (
        "Åbn mentoraftalen"
    )
