"""The access document (aktindsigt) is worded for the citizen and linked from the pages that
show the citizen's course to a coordinator or an admin (issue 13, item 5)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup

from logbook.models import LogbookEntry, LogbookVersion
from service.audit.service import Actor, record
from service.corps.models import ReferralEvent
from tests.factories import make_citizen, make_referral, make_time_entry
from vocabulary import corps, logbook, system

SETS = [
    labels
    for module in (corps, logbook, system)
    for name, labels in vars(module).items()
    if name.isupper() and isinstance(labels, dict) and name != "ROLE_AREAS"
] + list(corps.ROLE_AREAS.values())
LABEL_WORDS = {str(text).casefold() for labels in SETS for text in labels.values()}
# Every code a stored record may carry, except those spelled like a Danish word or label
# ("job", "mentor", "administration") and two-letter language codes ("da", "de").
CODES = sorted(
    {
        code
        for labels in SETS
        for code in labels
        if isinstance(code, str) and len(code) > 2 and code.casefold() not in LABEL_WORDS
    }
)


def text_of(response) -> str:
    assert response.status_code == 200, response.text[:300]
    main = BeautifulSoup(response.text, "html.parser").select_one("main") or BeautifulSoup(
        response.text, "html.parser"
    )
    return main.get_text(" ", strip=True)


@pytest.fixture
def course(db, users, mentor):
    citizen = make_citizen(
        db, name="Nadia Rasmussen", address="Nørregade 4, 8000 Aarhus C", district="Aarhus C"
    )
    referral = make_referral(
        db,
        users["caseworker"],
        citizen=citizen,
        mentor=mentor,
        considerations="Tåler ikke store forsamlinger",
        focus_areas=["housing", "waking_up"],
        tasks_can=["gp_visits"],
        tasks_cannot=["treatment"],
    )
    db.add(ReferralEvent(referral_id=referral.id, from_status=None, to_status="submitted"))
    db.add(ReferralEvent(referral_id=referral.id, from_status="submitted", to_status="accepted"))
    entry = LogbookEntry(
        referral_id=referral.id,
        author_id=users["mentor"].id,
        occurred_on=date(2026, 6, 1),
        kind="three_party_meeting",
        observations=["health_relapse"],
        sub_goal_ids=[],
        progress=None,
    )
    db.add(entry)
    db.flush()
    db.add(
        LogbookVersion(entry_id=entry.id, version=1, text="Vi mødtes", author_id=entry.author_id)
    )
    make_time_entry(db, referral, date(2026, 6, 1), minutes=90, category="professional_dialogue")
    actor = Actor(users["coordinator"])
    for entity, entity_id in (
        ("citizen", citizen.id),
        ("referral", referral.id),
        ("mentor_agreement", 5),
        ("time_entry", 7),
        ("logbook_entry", entry.id),
    ):
        record(db, actor, "read", purpose="casework", entity=entity, entity_id=entity_id,
               citizen_id=citizen.id)  # fmt: skip
    db.flush()
    return referral


def test_the_document_has_no_code_words_ids_or_english_numbers(pages, course):
    text = text_of(pages("coordinator").get(f"/borgere/{course.citizen_id}/aktindsigt"))
    assert len(CODES) > 50
    found = [code for code in CODES if re.search(rf"\b{re.escape(code)}\b", text)]
    assert found == []
    assert re.search(r"#\d", text) is None
    for english in ("citizen 1", "referral 1", "Status: active", "→", "3.00"):
        assert english not in text
    assert "3,00 timer om ugen" in text
    assert "Aktiv" in text and "Status ændret fra »Modtaget« til »Godkendt«" in text
    assert "Særlige hensyn Tåler ikke store forsamlinger" in text and "Overvejelser" not in text
    assert "Trepartsmøde" in text and "Helbredsmæssigt tilbagefald" in text
    assert "Opfølgning, dialog og undersøgelse med andre fagprofessionelle" in text
    assert "1,50 t" in text
    assert "Henvisning: modtaget" in text and "Borger: Nadia Rasmussen" in text
    assert "Mentoraftale" in text and "Logbogsnotat: fra 1. juni 2026" in text


def test_the_address_does_not_repeat_the_district(pages, course):
    page = BeautifulSoup(
        pages("coordinator").get(f"/borgere/{course.citizen_id}/aktindsigt").text, "html.parser"
    )
    terms = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True) for dt in page("dt")}
    assert terms["Adresse"] == "Nørregade 4, 8000 Aarhus C"


def test_a_district_missing_from_the_address_is_added_once(pages, db, users):
    citizen = make_citizen(db, name="Ole Sørensen", address="Hovedgaden 1", district="Tranbjerg")
    referral = make_referral(db, users["caseworker"], citizen=citizen)
    page = BeautifulSoup(
        pages("admin").get(f"/borgere/{referral.citizen_id}/aktindsigt").text, "html.parser"
    )
    terms = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True) for dt in page("dt")}
    assert terms["Adresse"] == "Hovedgaden 1, Tranbjerg"


def access_link(response):
    assert response.status_code == 200, response.text[:300]
    return BeautifulSoup(response.text, "html.parser").select_one("#access-link a")


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_referral_and_logbook_pages_link_the_document(pages, course, role):
    client = pages(role)
    for path in (f"/henvisninger/{course.id}", f"/logbog/{course.id}"):
        link = access_link(client.get(path))
        assert link is not None, path
        assert link["href"] == f"/borgere/{course.citizen_id}/aktindsigt"
        assert client.get(link["href"]).status_code == 200


def test_no_link_for_those_who_may_not_open_it(pages, course):
    assert access_link(pages("caseworker").get(f"/henvisninger/{course.id}")) is None
    assert access_link(pages("mentor").get(f"/logbog/{course.id}")) is None
