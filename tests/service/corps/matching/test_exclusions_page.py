"""The coordinator's exclusions page: list and add, Danish validation, reached from the referral."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.models import AuditEvent
from service.corps.models import MentorExclusion
from tests.conftest import csrf_token, make_user
from tests.service.corps.matching.conftest import accepted, mentor


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def url(referral):
    return f"/matchning/borgere/{referral.citizen_id}/udelukkelser"


def post(client, referral, **data):
    body = {"csrf_token": csrf_token(client), "henvisning": str(referral.id), **data}
    return client.post(url(referral), data=body)


def test_reached_from_the_referral_page_and_back(pages, db, users):
    referral = accepted(db, users)
    client = pages("coordinator")
    page = soup(client.get(f"/henvisninger/{referral.id}"))
    link = page.select_one("#exclusions-link a")
    assert link["href"].endswith(f"{url(referral)}?henvisning={referral.id}")
    target = soup(client.get(link["href"]))
    assert target.select_one("#no-exclusions")
    back = target.find("a", string="Tilbage til henvisningen")
    assert back["href"].endswith(f"/henvisninger/{referral.id}")
    assert (
        soup(pages("caseworker").get(f"/henvisninger/{referral.id}")).select_one("#exclusions-link")
        is None
    )


def test_add_lists_it_and_the_mentor_is_no_longer_suggested(pages, db, users):
    referral = accepted(db, users)
    keep = mentor(db, user=make_user(db, "mentor", name="Karl Beholdt"))
    drop = mentor(db, user=make_user(db, "mentor", name="Dorte Udelukket"))
    client = pages("coordinator")
    options = soup(client.get(url(referral))).select("#field-mentor_id option")
    assert {o.get_text() for o in options} >= {"Karl Beholdt", "Dorte Udelukket"}
    done = post(client, referral, mentor_id=str(drop.id), reason="Tidligere nabo; konflikt")
    assert done.status_code == 303
    assert done.headers["location"] == f"{url(referral)}?henvisning={referral.id}"
    page = soup(client.get(done.headers["location"]))
    row = page.select_one(f'#exclusions tr[data-mentor="{drop.id}"]')
    assert "Dorte Udelukket" in row.get_text() and "Tidligere nabo; konflikt" in row.get_text()
    assert str(drop.id) not in {o["value"] for o in page.select("#field-mentor_id option")}
    stored = db.exec(select(MentorExclusion)).one()
    assert (stored.mentor_id, stored.created_by) == (drop.id, users["coordinator"].id)
    audit = db.exec(select(AuditEvent).where(AuditEvent.entity == "mentor_exclusion")).all()
    assert {a.action for a in audit} >= {"create", "read"}
    suggested = soup(client.get(f"/henvisninger/{referral.id}")).select("li.suggestion")
    assert [int(li["data-mentor"]) for li in suggested] == [keep.id]


def test_danish_errors_keep_what_was_typed(pages, db, users):
    referral = accepted(db, users)
    some = mentor(db)
    client = pages("coordinator")
    no_mentor = post(client, referral, mentor_id="", reason="Konflikt")
    assert no_mentor.status_code == 422
    page = soup(no_mentor)
    assert "Vælg en mentor." in page.select_one("#error-mentor_id").get_text()
    assert page.select_one("#field-reason").get_text() == "Konflikt"
    no_reason = post(client, referral, mentor_id=str(some.id), reason="   ")
    assert no_reason.status_code == 422
    page = soup(no_reason)
    assert "Skriv begrundelsen" in page.select_one("#error-reason").get_text()
    assert page.select_one("#field-mentor_id option[selected]")["value"] == str(some.id)
    assert page.select_one("#error-summary")
    too_long = post(client, referral, mentor_id=str(some.id), reason="x" * 5001)
    assert too_long.status_code == 422, too_long.text
    assert "højst være 5000 tegn" in soup(too_long).select_one("#error-reason").get_text()
    unknown = post(client, referral, mentor_id="999999", reason="Konflikt")
    assert unknown.status_code == 422 and "Mentoren findes ikke." in unknown.text
    assert post(client, referral, mentor_id=str(some.id), reason="Konflikt").status_code == 303
    twice = post(client, referral, mentor_id=str(some.id), reason="Igen")
    assert twice.status_code == 409 and "allerede udelukket" in twice.text
    assert len(db.exec(select(MentorExclusion)).all()) == 1


def test_unknown_citizen_is_404(pages):
    assert pages("coordinator").get("/matchning/borgere/999999/udelukkelser").status_code == 404
