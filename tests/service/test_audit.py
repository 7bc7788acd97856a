"""The audit trail: written with the change, gone with a rollback, never editable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from service.audit.models import AuditEvent
from service.audit.service import Actor, AuditFilter, citizen_trail, record, search
from service.auth import accounts


def audit_rows(db, **where):
    query = select(AuditEvent)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return db.exec(query).all()


class TestWrittenWithTheChange:
    def test_creating_a_user_writes_one_row(self, api, db, users):
        response = api("admin").post(
            "/api/v1/users",
            json={
                "email": "ny@test.dk",
                "name": "Ny",
                "role": "mentor",
                "password": "ny-lang-adgangskode",
            },
        )
        assert response.status_code == 201
        rows = audit_rows(db, action="create", entity="user", entity_id=response.json()["id"])
        assert len(rows) == 1
        assert rows[0].user_id == users["admin"].id and rows[0].purpose == "administration"
        assert rows[0].ip  # from where

    def test_a_failed_request_leaves_no_row(self, api, db, users):
        before = len(audit_rows(db, action="create"))
        response = api("admin").post(
            "/api/v1/users",
            json={
                "email": users["mentor"].email,
                "name": "Dublet",
                "role": "mentor",
                "password": "ny-lang-adgangskode",
            },
        )
        assert response.status_code == 409
        assert len(audit_rows(db, action="create")) == before

    def test_rows_vanish_when_the_transaction_rolls_back(self, db):
        savepoint = db.begin_nested()
        accounts.create_user(
            db,
            email="rul@test.dk",
            name="Rul",
            role="mentor",
            password="rul-lang-adgangskode",
            actor=Actor(None, "test"),
        )
        db.flush()
        assert len(audit_rows(db, action="create")) == 1
        savepoint.rollback()
        assert audit_rows(db, action="create") == []

    def test_a_read_of_citizen_data_is_one_query_away(self, db, users):
        actor = Actor(users["coordinator"], "10.0.0.1")
        record(db, actor, "read", purpose="casework", entity="referral", entity_id=3, citizen_id=42)
        record(
            db,
            actor,
            "export",
            purpose="citizen_access",
            entity="citizen",
            entity_id=42,
            citizen_id=42,
        )
        record(db, actor, "read", purpose="casework", entity="referral", entity_id=4, citizen_id=43)
        db.flush()
        trail = citizen_trail(db, 42)
        assert [(r.action, r.purpose) for r in trail] == [
            ("read", "casework"),
            ("export", "citizen_access"),
        ]
        assert len(search(db, AuditFilter(user_id=users["coordinator"].id))) == 3


class TestAppendOnly:
    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE audit_event SET action = 'read'",
            "DELETE FROM audit_event",
        ],
    )
    def test_the_database_refuses_changes(self, db, users, statement):
        record(db, Actor(users["admin"]), "read", purpose="casework", entity="x")
        db.flush()
        savepoint = db.begin_nested()
        with pytest.raises(sa.exc.DatabaseError):
            db.connection().execute(sa.text(statement))
        savepoint.rollback()
        assert audit_rows(db, entity="x")

    def test_the_app_has_no_route_that_changes_audit_rows(self, app):
        paths = {getattr(r, "path", "") for r in app.routes}
        assert not any("audit" in p for p in paths if p.startswith("/api/"))


class TestAuditPage:
    def test_bad_filter_gets_a_danish_message(self, pages):
        page = pages("admin").get("/admin/logning", params={"since": "i går"})
        assert page.status_code == 422
        assert "Fra dato skal være en gyldig dato." in page.text
