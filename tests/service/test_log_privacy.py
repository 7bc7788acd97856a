"""No CPR number, health information or logbook text in the server log (issue 11, defect 4).

A real uvicorn server on a committed database; the database is made to fail the app's
writes (a concurrent insert of the same CPR, a duplicate logbook text, and on PostgreSQL a
backend terminated mid-write). Every logger is captured at DEBUG, SQLAlchemy's and uvicorn's
included, and the personal data the requests carried must appear nowhere.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from service.core import migrate
from service.core.db import make_engine, session_scope
from service.core.logscrub import describe, format_exception, install, scrub
from service.web.app import create_app
from tests.conftest import app_settings, make_user
from tests.factories import make_mentor, make_referral
from tests.service.committed_db import ENGINES, empty_database

CPR = "2406851237"
CPR_KILLED = "1207934421"
HEALTH = "Hemmelig helbredstekst: angst og søvnproblemer efter ulykken"
HEALTH_KILLED = "Hemmelig helbredstekst nummer to: kronisk smerte"
LOGBOOK = "Hemmelig logbogstekst: borgeren fortalte om sin behandling"
SECRETS = [CPR, "240685-1237", CPR_KILLED, HEALTH, HEALTH_KILLED, LOGBOOK, "søvnproblemer"]

RACE_SQLITE = f"""
CREATE TRIGGER race_citizen BEFORE INSERT ON citizen
WHEN NEW.cpr = '{CPR}' AND NEW.district <> 'race'
BEGIN
    INSERT INTO citizen (cpr, name, phone, email, address, district, created_at)
    VALUES (NEW.cpr, NEW.name, '', '', '', 'race', NEW.created_at);
END
"""  # noqa: S608 (constants of the test)
RACE_POSTGRESQL = [
    """
CREATE FUNCTION race_citizen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO citizen (cpr, name, phone, email, address, district, created_at)
    VALUES (NEW.cpr, NEW.name, '', '', '', 'race', NEW.created_at);
    RETURN NEW;
END $$""",
    f"""CREATE TRIGGER race_citizen BEFORE INSERT ON citizen FOR EACH ROW
WHEN (NEW.cpr = '{CPR}' AND NEW.district <> 'race') EXECUTE FUNCTION race_citizen()""",
    """
CREATE FUNCTION kill_my_backend() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_terminate_backend(pg_backend_pid());
    PERFORM pg_sleep(5);
    RETURN NEW;
END $$""",
    f"""CREATE TRIGGER kill_my_backend BEFORE INSERT ON referral FOR EACH ROW
WHEN (NEW.health_information = '{HEALTH_KILLED}') EXECUTE FUNCTION kill_my_backend()""",
]


def referral_body(cpr: str, health: str) -> dict:
    return {
        "citizen": {"cpr": cpr, "name": "Eva Jensen", "district": "Aarhus C"},
        "job_goal": "Fleksjob i detailhandlen",
        "sub_goals": [{"title": "Møde stabilt 2 dage om ugen"}],
        "focus_roles": ["personal_support"],
        "granted_hours_per_week": "3.00",
        "start_date": "2026-01-05",
        "end_date": "2026-12-31",
        "consent_information_exchange": True,
        "health_information": health,
    }


@contextmanager
def served(app):
    """Serve the app with uvicorn on a free port; yield its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)


@pytest.fixture
def capture_everything(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "uvicorn", "psycopg"):
        caplog.set_level(logging.DEBUG, logger=name)
    for name in ("uvicorn.error", "uvicorn.access", "service", "fastapi"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.mark.parametrize("kind", ENGINES)
def test_failed_writes_leave_no_personal_data_in_the_log(kind, tmp_path, capture_everything, capfd):
    with empty_database(kind, tmp_path) as url:
        engine = make_engine(url, pool_size=2)
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            caseworker = make_user(session, "caseworker")
            mentor_user = make_user(session, "mentor")
            referral = make_referral(session, caseworker, mentor=make_mentor(session, mentor_user))
            ids = (caseworker.id, caseworker.token_version, mentor_user.id, referral.id)
            mentor_version = mentor_user.token_version
        with engine.begin() as connection:
            for statement in [RACE_SQLITE] if kind == "sqlite" else RACE_POSTGRESQL:
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql("CREATE UNIQUE INDEX one_text ON logbook_version (text)")
        capture_everything.clear()  # the test's own setup above is not the app's logging
        capfd.readouterr()
        app = create_app(app_settings(), engine=engine, check_schema=False)
        tokens = app.state.tokens
        caseworker_auth = {"Authorization": f"Bearer {tokens.issue_api_token(ids[0], ids[1])}"}
        mentor_auth = {"Authorization": f"Bearer {tokens.issue_api_token(ids[2], mentor_version)}"}
        entry = {"occurred_on": "2026-06-10", "kind": "phone", "text": LOGBOOK}
        with (
            served(app) as base,
            httpx.Client(base_url=base, timeout=30, headers={"Connection": "close"}) as client,
        ):
            raced = client.post(
                "/api/v1/referrals", json=referral_body(CPR, HEALTH), headers=caseworker_auth
            )
            looked_up = client.get(f"/api/v1/referrals?cpr={CPR}", headers=caseworker_auth)
            logbook = f"/api/v1/referrals/{ids[3]}/logbook"
            first = client.post(logbook, json=entry, headers=mentor_auth)
            duplicate = client.post(logbook, json=entry, headers=mentor_auth)
            killed = None
            if kind == "postgresql":
                killed = client.post(
                    "/api/v1/referrals",
                    json=referral_body(CPR_KILLED, HEALTH_KILLED),
                    headers=caseworker_auth,
                )
        engine.dispose()

    assert raced.status_code not in (200, 201), raced.text
    assert looked_up.status_code == 200 and first.status_code == 201, first.text
    assert duplicate.status_code not in (200, 201), duplicate.text
    if killed is not None:
        assert killed.status_code not in (200, 201), killed.text
    logged = capture_everything.text + "".join(capfd.readouterr())
    assert "IntegrityError" in logged  # the failures were logged, only without their data
    assert "/api/v1/referrals?cpr=" in logged  # and so was the access log
    leaked = [s for s in SECRETS if s in logged]
    assert not leaked, f"personal data in the log: {leaked}"


def test_a_driver_message_is_reduced_to_class_and_sqlstate(engine):
    """PostgreSQL's DETAIL names the duplicate key's value; SQLAlchemy adds the parameters."""
    with engine.connect() as connection, connection.begin():
        connection.exec_driver_sql("CREATE TEMPORARY TABLE t (cpr varchar(10) UNIQUE, note text)")
        insert = sa.text("INSERT INTO t (cpr, note) VALUES (:cpr, :note)")
        connection.execute(insert, {"cpr": CPR, "note": HEALTH})
        with pytest.raises(sa.exc.IntegrityError) as caught:
            connection.execute(insert, {"cpr": CPR, "note": HEALTH})
        if engine.dialect.name == "postgresql":  # the server's DETAIL names the value
            assert CPR in str(caught.value)
        line, text = describe(caught.value), format_exception(caught.value)
    assert line.startswith("sqlalchemy.exc.IntegrityError (SQLSTATE ")
    assert "23505" in line or "SQLITE_CONSTRAINT" in line
    assert CPR not in text and HEALTH not in text and "DETAIL" not in text
    assert "Traceback" in text


def test_scrub_masks_cpr_numbers_and_keeps_the_rest():
    assert scrub("GET /x?cpr=0101901234 and 010190-1234 200") == (
        "GET /x?cpr=********** and ********** 200"
    )
    assert scrub("id 12345 at 2026-12-01") == "id 12345 at 2026-12-01"
    assert "Key" not in scrub("duplicate key\nDETAIL:  Key (cpr)=(1) already exists.\nnext")


def test_a_malformed_log_call_does_not_raise_where_it_logs(caplog):
    install()
    logging.getLogger("service.test").warning("%d rows for %s", "0101901234")
    assert "0101901234" not in caplog.text and "arguments hidden" in caplog.text
