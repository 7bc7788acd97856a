"""Login, tokens, lock-out and CSRF."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import select

from service.audit.models import AuditEvent
from service.web.app import create_app
from tests.conftest import PASSWORD, app_settings, csrf_token, joined_session, make_user, page_login


def token_for(client, email, password):
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


class TestTokenEndpoint:
    def test_right_password_gives_bearer_token(self, client, users):
        response = token_for(client, users["coordinator"].email, PASSWORD)
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        me = client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        assert me.json()["email"] == users["coordinator"].email

    def test_wrong_password_is_401_and_audited(self, client, users, db):
        response = token_for(client, users["mentor"].email, "wrong-password-123")
        assert response.status_code == 401
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "failed_login")).all()
        assert [r.user_id for r in rows] == [users["mentor"].id]

    def test_unknown_email_is_401_and_audited_with_what_was_typed(self, client, users, db):
        response = token_for(client, "nobody@test.dk", "wrong-password-123")
        assert response.status_code == 401
        row = db.exec(select(AuditEvent).where(AuditEvent.action == "failed_login")).one()
        assert row.user_id is None and row.actor == "nobody@test.dk"

    def test_missing_fields_are_422(self, client):
        assert client.post("/api/v1/auth/token", data={}).status_code == 422

    def test_garbage_token_is_401(self, client):
        response = client.get("/api/v1/users/me", headers={"Authorization": "Bearer nonsense"})
        assert response.status_code == 401

    def test_no_token_is_401(self, client):
        assert client.get("/api/v1/users/me").status_code == 401


class TestLockout:
    def test_five_failures_lock_for_thirty_minutes_then_429(self, client, users, db):
        email = users["caseworker"].email
        for _ in range(5):
            assert token_for(client, email, "wrong-password-123").status_code == 401
        locked = token_for(client, email, PASSWORD)
        assert locked.status_code == 429
        retry = int(locked.headers["Retry-After"])
        assert 29 * 60 <= retry <= 30 * 60
        assert "locked_until" in locked.json()

    def test_success_resets_the_count(self, client, users):
        email = users["caseworker"].email
        for _ in range(4):
            token_for(client, email, "wrong-password-123")
        assert token_for(client, email, PASSWORD).status_code == 200
        for _ in range(4):
            token_for(client, email, "wrong-password-123")
        assert token_for(client, email, PASSWORD).status_code == 200

    def test_admin_can_unblock(self, client, users, pages):
        email = users["mentor"].email
        for _ in range(5):
            token_for(client, email, "wrong-password-123")
        assert token_for(client, email, PASSWORD).status_code == 429
        admin = pages("admin")
        response = admin.post(
            f"/admin/brugere/{users['mentor'].id}/laas-op",
            data={"csrf_token": admin.cookies["mk_csrf"]},
        )
        assert response.status_code == 303
        assert token_for(client, email, PASSWORD).status_code == 200

    def test_locked_page_login_shows_danish_message(self, client, users):
        email = users["finance"].email
        for _ in range(5):
            token_for(client, email, "wrong-password-123")
        token = csrf_token(client)
        response = client.post(
            "/log-ind", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 429
        assert (
            "spærret" in BeautifulSoup(response.text, "html.parser").select_one("#login-error").text
        )


def client_at(app, address: str) -> TestClient:
    return TestClient(
        app, base_url="http://testserver", follow_redirects=False, client=(address, 1)
    )


class TestLockByAccountAndAddress:
    def test_a_lock_from_elsewhere_does_not_lock_the_owner_out(self, app, users):
        attacker, office = client_at(app, "203.0.113.7"), client_at(app, "198.51.100.2")
        email = users["admin"].email
        for _ in range(5):
            assert token_for(attacker, email, "wrong-password-123").status_code == 401
        assert token_for(attacker, email, PASSWORD).status_code == 429
        assert token_for(office, email, PASSWORD).status_code == 200

    def test_the_lock_keys_on_the_email_as_typed_normalised(self, client, users):
        for _ in range(5):
            token_for(client, "  CaseWorker@Test.DK ", "wrong-password-123")
        assert token_for(client, users["caseworker"].email, PASSWORD).status_code == 429

    def test_unknown_email_is_answered_exactly_like_a_real_one(self, app, users):
        def answers(email, address):
            c = client_at(app, address)
            out = []
            for _ in range(7):
                r = token_for(c, email, "wrong-password-123")
                body = r.json()
                out.append(
                    (r.status_code, body["detail"], sorted(body), "Retry-After" in r.headers)
                )
            return out

        real = answers(users["mentor"].email, "192.0.2.1")
        unknown = answers("nobody@test.dk", "192.0.2.2")
        assert real == unknown
        assert [code for code, *_ in real] == [401] * 5 + [429] * 2

    def test_locked_attempts_are_audited(self, client, users, db):
        email = users["mentor"].email
        for _ in range(6):
            token_for(client, email, "wrong-password-123")
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "failed_login")).all()
        reasons = [r.detail["reason"] for r in rows]
        assert reasons == ["bad_credentials"] * 5 + ["locked"]
        assert {r.user_id for r in rows} == {users["mentor"].id}

    def test_locked_count_counts_existing_accounts_and_unblock_lifts_every_address(
        self, app, users, db, pages
    ):
        from service.auth import accounts

        for address in ("192.0.2.10", "192.0.2.11"):
            c = client_at(app, address)
            for email in (users["finance"].email, "ghost@test.dk"):
                for _ in range(5):
                    token_for(c, email, "wrong-password-123")
        assert accounts.locked_count(db) == 1
        admin = pages("admin")
        listing = BeautifulSoup(admin.get("/admin/brugere").text, "html.parser")
        row = next(tr for tr in listing.select("#users tbody tr") if "finance@" in tr.text)
        assert "Spærret til" in row.text and "Lås op" in row.text
        response = admin.post(
            f"/admin/brugere/{users['finance'].id}/laas-op",
            data={"csrf_token": admin.cookies["mk_csrf"]},
        )
        assert response.status_code == 303
        assert accounts.locked_count(db) == 0
        for address in ("192.0.2.10", "192.0.2.11"):
            c = client_at(app, address)
            assert token_for(c, users["finance"].email, PASSWORD).status_code == 200


class TestAddressThrottle:
    def test_twenty_failures_from_one_address_throttle_it_whatever_accounts(self, app, users):
        sprayer, other = client_at(app, "203.0.113.50"), client_at(app, "203.0.113.51")
        emails = [users["mentor"].email] * 4 + [users["coordinator"].email] * 4
        emails += [f"guess-{n}@test.dk" for n in range(12)]
        for n, email in enumerate(emails):
            assert token_for(sprayer, email, "wrong-password-123").status_code == 401, n
        refused = token_for(sprayer, users["caseworker"].email, PASSWORD)
        assert refused.status_code == 429
        assert 14 * 60 <= int(refused.headers["Retry-After"]) <= 15 * 60
        assert refused.json()["detail"] == "Too many failed logins from this address"
        assert token_for(other, users["caseworker"].email, PASSWORD).status_code == 200

    def test_the_login_page_says_so_in_danish_with_retry_after(self, app, users):
        sprayer = client_at(app, "203.0.113.60")
        for n in range(20):
            token_for(sprayer, f"guess-{n}@test.dk", "wrong-password-123")
        token = csrf_token(sprayer)
        response = sprayer.post(
            "/log-ind",
            data={"email": users["mentor"].email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        text = BeautifulSoup(response.text, "html.parser").select_one("#login-error").text
        assert "For mange mislykkede forsøg fra din adresse" in text

    def test_the_throttle_can_be_turned_off(self, engine, connection, users):
        app = create_app(
            app_settings(login_address_max_failures=0),
            engine=engine,
            session_factory=lambda: joined_session(connection),
            check_schema=False,
        )
        c = TestClient(app, base_url="http://testserver", follow_redirects=False)
        for n in range(25):
            assert token_for(c, f"guess-{n}@test.dk", "wrong-password-123").status_code == 401
        assert token_for(c, users["mentor"].email, PASSWORD).status_code == 200


class TestLoginPage:
    def test_wrong_password_shows_danish_message_and_keeps_email(self, client, users):
        token = csrf_token(client)
        response = client.post(
            "/log-ind",
            data={
                "email": users["mentor"].email,
                "password": "nope-nope-nope",
                "csrf_token": token,
            },
        )
        assert response.status_code == 401
        soup = BeautifulSoup(response.text, "html.parser")
        assert soup.select_one("#login-error").text.strip() == "Forkert e-mail eller adgangskode."
        assert soup.select_one("#field-email")["value"] == users["mentor"].email

    def test_login_sets_httponly_samesite_session_and_rotates(self, client, users):
        first = page_login(client, users["mentor"])
        cookie = first.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookie if c.startswith("mk_session="))
        assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
        old = client.cookies["mk_session"]
        page_login(client, users["mentor"])
        assert client.cookies["mk_session"] != old
        stale = client.__class__(client.app, base_url="http://testserver", follow_redirects=False)
        stale.cookies.set("mk_session", old)
        assert stale.get("/").status_code == 303  # the old session id no longer works

    def test_post_without_csrf_token_is_refused(self, client, users):
        client.get("/log-ind")
        response = client.post(
            "/log-ind", data={"email": users["mentor"].email, "password": PASSWORD}
        )
        assert response.status_code == 403
        assert "mk_session" not in client.cookies

    def test_csrf_token_must_match_cookie(self, pages, users):
        admin = pages("admin")
        response = admin.post(
            "/admin/brugere",
            data={
                "email": "x@test.dk",
                "name": "X",
                "role": "mentor",
                "password": "long-enough-password",
                "csrf_token": "forged",
            },
        )
        assert response.status_code == 403

    def test_logout_ends_session(self, pages):
        mentor = pages("mentor")
        assert mentor.get("/").status_code == 200
        response = mentor.post("/log-ud", data={"csrf_token": mentor.cookies["mk_csrf"]})
        assert response.status_code == 303
        assert mentor.get("/").status_code == 303

    def test_idle_session_expires(self, app, pages, db):
        from datetime import timedelta

        from service.auth.models import WebSession

        mentor = pages("mentor")
        for row in db.exec(select(WebSession)).all():
            row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
            db.add(row)
        db.flush()
        response = mentor.get("/")
        assert response.status_code == 303 and response.headers["location"].startswith("/log-ind")

    def test_password_reset_revokes_tokens(self, client, users, api, db):
        from service.audit.service import Actor
        from service.auth import accounts

        coordinator = api("coordinator")
        assert coordinator.get("/api/v1/users/me").status_code == 200
        accounts.reset_password(
            db, user=users["coordinator"], password="another-long-password", actor=Actor(None)
        )
        db.flush()
        assert coordinator.get("/api/v1/users/me").status_code == 401

    def test_next_never_leaves_the_site(self, client, db):
        user = make_user(db, "mentor")
        token = csrf_token(client)
        response = client.post(
            "/log-ind",
            data={
                "email": user.email,
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example",
            },
        )
        assert response.headers["location"] == "/"
