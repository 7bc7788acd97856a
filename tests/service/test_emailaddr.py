"""One e-mail address check for pages, API and CLI (issue 11, defect 6)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.service import Actor
from service.auth import accounts
from service.auth.models import User
from service.core.emailaddr import valid_email
from service.core.errors import Invalid
from tests.conftest import PASSWORD, csrf_token

HEADER_INJECTION = "evil@x.dk\r\nBcc: spy@evil.example"
BAD = [
    HEADER_INJECTION,
    "evil@x.dk\nBcc: spy@evil.example",
    "a b@x.dk",
    "no-at-sign",
    "two@@x.dk",
    "x@localhost",
    "",
    "   ",
    "x@x.dk\x00",
    "<x@x.dk>",
    "Eva <x@x.dk>",
]


@pytest.mark.parametrize("text", BAD)
def test_bad_addresses_are_invalid_naming_email(text):
    with pytest.raises(Invalid) as error:
        valid_email(text)
    assert error.value.field == "email"
    assert "e-mail" in error.value.message.lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eva@example.dk", "eva@example.dk"),
        ("  Eva.Jensen@Example.DK ", "eva.jensen@example.dk"),
        ("søren@æblegård.dk", "søren@æblegård.dk"),
        ("eva@example.dk\r\n", "eva@example.dk"),  # trimmed like any typed text
    ],
)
def test_good_addresses_are_normalised(text, expected):
    assert valid_email(text) == expected


def test_create_user_refuses_header_injection(db):
    with pytest.raises(Invalid) as error:
        accounts.create_user(
            db,
            email=HEADER_INJECTION,
            name="Eve",
            role="admin",
            password=PASSWORD,
            actor=Actor(None, "test"),
        )
    assert error.value.field == "email"


def test_admin_page_refuses_header_injection(pages, db):
    client = pages("admin")
    response = client.post(
        "/admin/brugere",
        data={
            "csrf_token": csrf_token(client),
            "email": HEADER_INJECTION,
            "name": "Eve",
            "role": "admin",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "e-mail" in page.select_one("#error-email").text.lower()
    assert db.exec(select(User).where(User.name == "Eve")).all() == []


def test_api_refuses_header_injection_naming_email(api, db):
    body = {"email": HEADER_INJECTION, "name": "Eve", "role": "admin", "password": PASSWORD}
    response = api("admin").post("/api/v1/users", json=body)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "email"]]
    assert db.exec(select(User).where(User.name == "Eve")).all() == []


def test_api_and_page_store_the_same_normal_form(api, pages, db):
    body = {"email": " Eva@Example.DK", "name": "Eva", "role": "finance", "password": PASSWORD}
    assert api("admin").post("/api/v1/users", json=body).status_code == 201
    assert db.exec(select(User).where(User.name == "Eva")).one().email == "eva@example.dk"


def test_mentor_account_form_uses_the_same_check(db):
    from service.corps.mentors import new_user_errors

    errors = new_user_errors(db, name="Mo", email=HEADER_INJECTION, password=PASSWORD)
    assert "email" in errors
