"""The commit rule: a request commits when it answers below 400 and rolls back otherwise.

Pages never roll back themselves: a page that refuses a form after a service has already
flushed rows answers 422 with the form again, and the session dependency undoes the rows.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlmodel import select

from service.audit.models import AuditEvent
from service.audit.service import Actor, record
from service.auth.models import Role
from service.corps import contacts
from service.corps.models import Contact
from service.pages.contacts import ContactForm, _list_page
from service.web.guard import SessionDep, requires
from service.web.routing import AnswerRoute, Router
from service.web.templates import redirect, refuse
from tests.conftest import csrf_token

NAME = "Halvt Skrevet"


def _write(session, actor: Actor) -> None:
    contacts.create_contact(session, actor=actor, name=NAME, category="social_centre", phone="1")
    session.flush()


@pytest.fixture
def writer(app, pages):
    """A coordinator on an app with pages that write a contact and then answer as told."""
    router = Router(prefix="/test-commit")

    @router.post("/{answer}")
    def write_then(
        answer: str,
        request: Request,
        session: SessionDep,
        actor: Actor = Depends(requires(Role.coordinator)),
        form: ContactForm = Depends(ContactForm.from_request),
    ):
        _write(session, actor)
        if answer == "saved":
            return redirect(request, "/kontakter", "Gemt.")
        if answer == "refused":
            return refuse(request, "/kontakter", "Afvist.")
        if answer == "shown":  # the re-rendered page showed a citizen's data
            record(session, actor, "read", purpose="casework", entity="x", citizen_id=99)
        form.error("name", "Navnet er afvist.")
        return _list_page(request, session, actor, form)

    before = len(app.router.routes)
    app.include_router(router)
    client = pages("coordinator")
    client.post_as = lambda answer: client.post(
        f"/test-commit/{answer}", data={"name": NAME, "csrf_token": csrf_token(client)}
    )
    yield client
    # The app is shared by the worker's tests: take the test route away again.
    del app.router.routes[before:]
    app.openapi_schema = None


def _written(db) -> list[Contact]:
    return list(db.exec(select(Contact).where(Contact.name == NAME)))


def test_a_re_rendered_form_leaves_no_half_written_rows(writer, db):
    response = writer.post_as("form")
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#error-name").get_text(strip=True).endswith("Navnet er afvist.")
    assert page.select_one("#field-name")["value"] == NAME  # what was typed, shown again
    assert _written(db) == []


def test_an_answer_below_400_commits(writer, db):
    assert writer.post_as("saved").status_code == 303
    assert len(_written(db)) == 1


def test_a_refusal_redirect_rolls_back(writer, db):
    response = writer.post_as("refused")
    assert response.status_code == 303
    assert _written(db) == []


def test_what_a_rolled_back_page_showed_stays_in_the_audit_trail(writer, db):
    assert writer.post_as("shown").status_code == 422
    assert _written(db) == []
    reads = db.exec(select(AuditEvent).where(AuditEvent.citizen_id == 99)).all()
    assert [(r.action, r.entity) for r in reads] == [("read", "x")]
    creates = db.exec(select(AuditEvent).where(AuditEvent.entity == "contact")).all()
    assert creates == []  # the refused change's own audit row went with it


def test_every_route_tells_the_session_how_it_answered(app):
    routes = [
        route
        for top in app.routes
        for route in getattr(top, "effective_route_contexts", lambda t=top: [t])()
    ]
    api_routes = [r for r in routes if isinstance(getattr(r, "original_route", r), APIRoute)]
    assert len(api_routes) > 100
    assert all(isinstance(getattr(r, "original_route", r), AnswerRoute) for r in api_routes)
