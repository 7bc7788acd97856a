"""Passwords too common or repetitive are refused everywhere a password is set (issue 11, 8)."""

from __future__ import annotations

import secrets

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from service.audit.service import Actor
from service.auth import accounts
from service.auth.models import User
from service.auth.passwords import password_problem
from service.core.errors import Invalid
from tests.conftest import PASSWORD

WEAK = [
    " " * 12,
    "123456789012",
    "aaaaaaaaaaaa",
    "passwordpassword",
    "abcdefghijkl",
    "qwertyuiopas",
    "mentorkorps2026",
    "a" * 150,
]
WEAK_MESSAGE = "Adgangskoden er for let at gætte"


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_with_a_danish_message(password):
    assert WEAK_MESSAGE in (password_problem(password) or "")


def test_the_test_password_and_the_demo_passwords_pass():
    assert password_problem(PASSWORD) is None
    for role in ("admin", "coordinator", "caseworker", "mentor", "finance"):
        assert password_problem(f"demo-{role}-{secrets.token_hex(4)}") is None
    assert password_problem(f"demo-mentor-{secrets.token_hex(8)}") is None


def test_length_is_capped_at_200():
    strong = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789-") for _ in range(201))
    assert password_problem(strong[:200]) is None
    assert password_problem(strong) == "Adgangskoden må højst være 200 tegn."


@pytest.mark.parametrize("password", ["123456789012", " " * 12, "passwordpassword"])
def test_api_create_user_refuses_a_weak_password_naming_the_field(api, password):
    response = api("admin").post(
        "/api/v1/users",
        json={"email": "ny@test.dk", "name": "Ny", "role": "mentor", "password": password},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "password"


def test_api_short_password_is_still_422(api):
    response = api("admin").post(
        "/api/v1/users",
        json={"email": "ny@test.dk", "name": "Ny", "role": "mentor", "password": "kort"},
    )
    assert response.status_code == 422


def test_admin_page_refuses_a_weak_and_a_too_long_password(pages, db):
    admin = pages("admin")
    for password, message in [
        ("aaaaaaaaaaaa", WEAK_MESSAGE),
        ("x9-" * 70, "højst være 200 tegn"),
    ]:
        response = admin.post(
            "/admin/brugere",
            data={
                "email": "ny@test.dk",
                "name": "Ny",
                "role": "mentor",
                "password": password,
                "csrf_token": admin.cookies["mk_csrf"],
            },
        )
        assert response.status_code == 422
        error = BeautifulSoup(response.text, "html.parser").select_one("#error-password")
        assert message in error.text
    assert db.exec(select(User).where(User.email == "ny@test.dk")).first() is None


def test_admin_page_reset_refuses_a_weak_password(pages, users, db):
    admin = pages("admin")
    before = users["mentor"].password_hash
    response = admin.post(
        f"/admin/brugere/{users['mentor'].id}/adgangskode",
        data={"password": "123456789012", "csrf_token": admin.cookies["mk_csrf"]},
    )
    assert response.status_code == 303
    page = admin.get("/admin/brugere")
    assert WEAK_MESSAGE in page.text
    db.expire_all()
    assert db.get(User, users["mentor"].id).password_hash == before


def test_service_reset_refuses_a_weak_password(db, users):
    with pytest.raises(Invalid) as refused:
        accounts.reset_password(
            db, user=users["mentor"], password="passwordpassword", actor=Actor(None)
        )
    assert refused.value.field == "password"
