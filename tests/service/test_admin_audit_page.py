"""The admin's audit trail page speaks names and Danish record kinds, and filters by them."""

from __future__ import annotations

from bs4 import BeautifulSoup

from service.audit.service import Actor, record
from tests.conftest import make_user
from tests.factories import make_citizen, make_mentor, make_referral


def rows(page) -> list[dict[str, str]]:
    assert page.status_code == 200, page.text[:500]
    table = BeautifulSoup(page.text, "html.parser").select_one("#audit")
    assert table is not None
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    return [
        dict(zip(heads, (td.get_text(" ", strip=True) for td in tr.select("td")), strict=True))
        for tr in table.select("tbody tr")
        if len(tr.select("td")) == len(heads)
    ]


def test_the_post_column_names_the_record_and_the_citizen(pages, db, users):
    nadia = make_citizen(db, name="Nadia Rasmussen")
    referral = make_referral(db, users["caseworker"], citizen=nadia)
    mentor = make_mentor(db, make_user(db, "mentor", name="Mette Mentor"))
    actor = Actor(users["coordinator"])
    record(db, actor, "read", purpose="casework", entity="referral", entity_id=referral.id,
           citizen_id=nadia.id)  # fmt: skip
    record(db, actor, "update", purpose="casework", entity="time_entry", entity_id=100,
           citizen_id=nadia.id)  # fmt: skip
    record(db, actor, "update", purpose="administration", entity="mentor", entity_id=mentor.id)
    record(db, actor, "update", purpose="administration", entity="user",
           entity_id=users["mentor"].id)  # fmt: skip
    record(db, actor, "create", purpose="refund", entity="refund_claim", entity_id=4)
    db.flush()
    found = rows(pages("admin").get("/admin/logning", params={"bruger": "coordinator"}))
    posts = [r["Post"] for r in found]  # newest first
    assert posts == [
        "Refusionskrav nr. 4",
        f"Bruger: {users['mentor'].name}",
        "Mentor: Mette Mentor",
        "Tidsregistrering: Nadia Rasmussen",
        "Henvisning: Nadia Rasmussen",
    ]
    assert [r["Borger"] for r in found] == ["", "", "", "Nadia Rasmussen", "Nadia Rasmussen"]


def test_filters_by_citizen_name_or_cpr_and_by_user_name(pages, db, users):
    nadia = make_citizen(db, name="Nadia Rasmussen")
    ole = make_citizen(db, name="Ole Sørensen")
    coordinator, caseworker = Actor(users["coordinator"]), Actor(users["caseworker"])
    record(db, coordinator, "read", purpose="casework", entity="citizen", entity_id=nadia.id,
           citizen_id=nadia.id)  # fmt: skip
    record(db, caseworker, "read", purpose="casework", entity="citizen", entity_id=ole.id,
           citizen_id=ole.id)  # fmt: skip
    db.flush()
    admin = pages("admin")

    def posts(**params) -> list[str]:
        return [r["Post"] for r in rows(admin.get("/admin/logning", params=params))
                if r["Handling"] == "Læst"]  # fmt: skip

    assert posts(borger="nadia") == ["Borger: Nadia Rasmussen"]
    assert posts(borger="RASM nad") == ["Borger: Nadia Rasmussen"]
    assert posts(borger="sør") == ["Borger: Ole Sørensen"]
    cpr = ole.cpr
    assert posts(borger=f"{cpr[:6]}-{cpr[6:]}") == ["Borger: Ole Sørensen"]
    assert posts(borger=cpr[:6]) == []  # a partial CPR is no name and matches nobody
    assert posts(borger="Ingen Sådan") == []
    assert posts(bruger=users["caseworker"].name.lower()) == ["Borger: Ole Sørensen"]
    assert posts(bruger="ukendt person") == []


def test_a_citizen_filter_is_audited_as_a_search(pages, db, users):
    make_citizen(db, name="Nadia Rasmussen")
    db.flush()
    admin = pages("admin")
    assert rows(admin.get("/admin/logning", params={"borger": "Nadia"})) == []
    searches = [r for r in rows(admin.get("/admin/logning")) if r["Handling"] == "Søgt"]
    assert [(r["Post"], r["Formål"]) for r in searches] == [("Borger", "Administration")]


def test_the_filter_form_asks_for_names_not_ids(pages):
    page = BeautifulSoup(pages("admin").get("/admin/logning").text, "html.parser")
    labels = [label.get_text(" ", strip=True) for label in page.select("form.audit-filter label")]
    assert any(text.startswith("Borger") for text in labels)
    assert any(text.startswith("Bruger") for text in labels)
    assert not page.select("input[name=citizen_id], input[name=user_id]")
    assert "id" not in " ".join(labels).lower().split()
