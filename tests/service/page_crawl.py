"""Render every GET page of the app, as every demo role, on demo data.

`crawl(app, db)` seeds the demo, logs each demo user in and fetches every GET page route
with each real id of its path parameters (plus a few query variants), through a client that
calls itself `evil.example` behind a TLS proxy. Returns {(role, url): html} of the HTML
answers. Used by the tests that scan rendered pages (inline code, absolute URLs).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from reports import exports
from reports.models import RefundClaim
from service.audit.service import Actor
from service.auth.models import User
from service.core.background import BackgroundTask
from service.corps.models import Absence, Citizen, Mentor, MentorAgreement, Referral
from service.demo import seed as demo
from tests.conftest import page_login

HOST = "evil.example"
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": HOST}
# Downloads and JSON polls: not pages.
NOT_PAGES = ("/workbook", "/csv", "/download", "/status")


def _ids(db: Session, model, limit: int = 3) -> list[int]:
    return list(db.exec(select(model.id).order_by(col(model.id)).limit(limit)).all())


def _referral_ids(db: Session) -> list[int]:
    """One referral of each status (each renders its own buttons and sections), and the
    demo mentor's (the mentor's own logbook has the forms)."""
    rows = set(db.exec(select(func.min(Referral.id)).group_by(Referral.status)).all())
    email = next(e for e, _name, role in demo.DEMO_USERS if role == "mentor")
    mine = (
        select(func.min(Referral.id))
        .join(Mentor, col(Mentor.id) == Referral.mentor_id)
        .join(User, col(User.id) == Mentor.user_id)
        .where(User.email == email)
    )
    rows |= {i for i in db.exec(mine).all() if i is not None}
    return sorted(rows)


def page_routes(app) -> dict[str, list[str]]:
    """Path → path parameters of the GET routes that render pages (not API or downloads)."""
    found = {}
    for top in app.routes:
        for route in getattr(top, "effective_route_contexts", lambda t=top: [t])():
            if "GET" in (getattr(route, "methods", None) or ()):
                found[route.path] = sorted(route.param_convertors)
    for path in list(found):
        if path.startswith(("/api/", "/openapi", "/docs/")) or path.endswith(NOT_PAGES):
            del found[path]
    return found


def concrete_urls(app, db: Session) -> list[str]:
    """Every page route with each real id of each of its path parameters."""
    finance = db.exec(select(User).where(User.role == "finance")).first()
    today = date.today()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = today.replace(day=1) - timedelta(days=1)
    exports.start_job(session=db, actor=Actor(finance), start=first, end=last)
    db.flush()
    ids = {
        "referral_id": _referral_ids(db),
        "mentor_id": _ids(db, Mentor),
        "agreement_id": _ids(db, MentorAgreement),
        "absence_id": _ids(db, Absence),
        "citizen_id": _ids(db, Citizen, 2),
        "claim_id": _ids(db, RefundClaim),
        "job_id": _ids(db, BackgroundTask),
    }
    urls = []
    for path, params in sorted(page_routes(app).items()):
        unknown = [p for p in params if p not in ids]
        assert not unknown, f"{path}: add ids for {unknown} to the crawl"
        for values in itertools.product(*(ids[p] for p in params)):
            url = path
            for name, value in zip(params, values, strict=True):
                url = url.replace("{" + name + "}", str(value))
            urls.append(url)
    period = f"from={first.isoformat()}&to={last.isoformat()}"
    urls += [
        f"/refusion?{period}",
        f"/refusion/krav/nyt?{period}",
        f"/noegletal?month={first:%Y-%m}",
        f"/tid?start={(today - timedelta(days=today.weekday())).isoformat()}",
        f"/tid/godkendelser?month={first:%Y-%m}",
        "/notifikationer?unread=1",
        "/findes-ikke",
    ]
    return urls


def crawl(app, db: Session) -> dict[tuple[str, str], str]:
    """{(role, url): html} of every page that answered HTML, for every demo role."""
    passwords = demo.seed(db)
    db.flush()
    urls = concrete_urls(app, db)
    pages: dict[tuple[str, str], str] = {}
    for email, _name, role in demo.DEMO_USERS:
        client = TestClient(app, base_url=f"http://{HOST}", follow_redirects=False)
        client.headers.update(PROXY_HEADERS)
        pages[("anonymous", "/log-ind")] = client.get("/log-ind").text
        page_login(client, db.exec(select(User).where(User.email == email)).one(), passwords[email])
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (role, url, response.status_code)
            if response.headers.get("content-type", "").startswith("text/html"):
                pages[(role, url)] = response.text
    return pages
