"""Matching pages: suggestions and one-click assignment, plan, weights, agreement, renewal."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from sqlmodel import select

from service.auth.models import User
from service.corps.models import Citizen, Mentor, MentorAgreement, Referral
from tests.conftest import csrf_token, make_user
from tests.factories import make_referral
from tests.service.corps.matching.conftest import accepted, mentor


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_referral_page_shows_ranked_suggestions_and_assigns(pages, db, users):
    referral = accepted(db, users)
    top = mentor(db)
    second = mentor(db, district="Odense")
    client = pages("coordinator")
    page = soup(client.get(f"/henvisninger/{referral.id}"))
    items = page.select("#suggestions li.suggestion")
    assert [int(li["data-mentor"]) for li in items] == [top.id, second.id]
    first = items[0]
    assert "Samme distrikt" in first.select_one(".breakdown").get_text()
    assert sum(int(td.get_text()) for td in first.select("td.points")) == int(first["data-score"])
    assert first.select_one("textarea[name=reason]") is None
    assert items[1].select_one("textarea[name=reason]") is not None
    url = f"/matchning/henvisninger/{referral.id}/tildel"
    refused = post(client, url, mentor_id=str(second.id), reason="")
    assert refused.status_code == 422
    error = soup(refused).select_one(f"#error-reason-{second.id}")
    assert error and "Skriv hvorfor" in error.get_text()
    done = post(client, url, mentor_id=str(second.id), reason="Borgeren kender mentoren")
    assert done.status_code == 303
    db.refresh(referral)
    assert referral.status == "active" and referral.mentor_id == second.id
    page = soup(client.get(f"/henvisninger/{referral.id}"))
    assert page.select_one("#suggestions") is None
    assert "Borgeren kender mentoren" in page.select_one("#history").get_text()
    assert page.select_one("#agreements a")


def test_suggestions_are_for_the_coordinator_only(pages, db, users):
    referral = accepted(db, users)
    mentor(db)
    page = soup(pages("caseworker").get(f"/henvisninger/{referral.id}"))
    assert page.select_one("#suggestions") is None


def test_agreement_page_and_renewal(api, pages, db, users):
    referral = accepted(db, users, tasks_can=[], end_date=date(2027, 3, 31))
    chosen = mentor(db)
    body = (
        api("coordinator")
        .post(f"/api/v1/referrals/{referral.id}/assignment", json={"mentor_id": chosen.id})
        .json()
    )
    first_id = body["agreement_id"]
    page = pages("caseworker").get(f"/matchning/aftaler/{first_id}")
    assert page.status_code == 200
    html = soup(page)
    assert html.select_one("#goal").get_text() == referral.job_goal
    assert html.select_one("#mentor-contact").get_text().strip().endswith("@test.dk")
    assert "15. juni 2026" in html.select_one("#period").get_text()
    assert "Klagevejledning" in page.text and "Ankestyrelsen" in page.text
    stranger = make_user(db, "caseworker")
    assert pages(stranger).get(f"/matchning/aftaler/{first_id}").status_code == 404
    client = pages("coordinator")
    renewed = post(client, f"/matchning/henvisninger/{referral.id}/forny")
    assert renewed.status_code == 303
    shown = client.get(renewed.headers["location"]).text
    assert "15. december 2026 – 31. marts 2027" in shown and "15.12.2026" not in shown
    rows = db.exec(
        select(MentorAgreement)
        .where(MentorAgreement.referral_id == referral.id)
        .order_by(MentorAgreement.id)
    ).all()
    assert len(rows) == 2
    old, new = rows
    assert new.supersedes_id == old.id
    assert (old.valid_from, old.valid_to) == (date(2026, 6, 15), date(2026, 12, 14))
    assert (new.valid_from, new.valid_to) == (date(2026, 12, 15), date(2027, 3, 31))  # capped


def test_plan_page_accepts_rows_and_reports_those_that_became_infeasible(pages, db, users):
    one, two = accepted(db, users), accepted(db, users)
    a = mentor(db, max_caseload=1)
    b = mentor(db, max_caseload=1, district="Odense")
    client = pages("coordinator")
    page = soup(client.get("/matchning/plan"))
    assert int(page.select_one("#total-score").get_text()) >= int(
        page.select_one("#greedy-total").get_text().split()[0]
    )
    assert "optimal" in page.select_one("#gap").get_text()
    rows = {
        int(tr["data-referral"]): int(tr["data-mentor"]) for tr in page.select("#plan tbody tr")
    }
    assert set(rows) == {one.id, two.id}
    assert db.get(Referral, one.id).status == "accepted"  # showing a plan commits nothing
    # Meanwhile someone gives the mentor planned for `two` another citizen.
    make_referral(db, users["caseworker"], mentor=db.get(Mentor, rows[two.id]))
    response = client.post(
        "/matchning/plan",
        data={
            "csrf_token": csrf_token(client),
            "row": [f"{one.id}:{rows[one.id]}", f"{two.id}:{rows[two.id]}"],
        },
    )
    assert response.status_code == 200
    result = soup(response)
    assert result.select_one(f'#plan-result li.assigned[data-referral="{one.id}"]')
    refused = result.select_one(f'#plan-result li.refused[data-referral="{two.id}"]')
    assert refused and "Maksimalt antal borgere" in refused.get_text()
    db.expire_all()
    assert db.get(Referral, one.id).status == "active"
    assert db.get(Referral, two.id).status == "accepted"
    assert {a.id, b.id} >= set(rows.values())


def test_plan_result_names_the_citizen_and_the_mentor(pages, db, users):
    referral = accepted(db, users)
    chosen = mentor(db)
    client = pages("coordinator")
    response = post(client, "/matchning/plan", row=f"{referral.id}:{chosen.id}")
    assert response.status_code == 200
    citizen = db.get(Citizen, referral.citizen_id)
    mentor_user = db.get(User, chosen.user_id)
    item = soup(response).select_one(f'#plan-result li.assigned[data-referral="{referral.id}"]')
    assert item is not None
    assert item.get_text().startswith(f"{citizen.name} → {mentor_user.name}:")
    assert "Henvisning" not in item.get_text()


def test_plan_page_without_rows_is_422(pages):
    client = pages("coordinator")
    assert post(client, "/matchning/plan").status_code == 422


def test_weights_page(pages, db):
    client = pages("coordinator")
    page = soup(client.get("/matchning/vaegte"))
    assert (
        page.select_one("label[for=field-target_groups]")
        .get_text()
        .startswith("Erfaring med målgruppen")
    )
    fields = {
        "target_groups": "10",
        "focus_roles": "4",
        "background": "3",
        "gender": "5",
        "district": "6",
        "continuity": "8",
        "balance": "5",
    }
    bad = post(client, "/matchning/vaegte", **{**fields, "district": "200"})
    assert bad.status_code == 422 and "helt tal fra 0 til 100" in bad.text
    good = post(client, "/matchning/vaegte", **{**fields, "district": "20"})
    assert good.status_code == 303
    page = soup(client.get("/matchning/vaegte"))
    assert page.select_one("#field-district")["value"] == "20"
