"""A live server on a fresh, migrated SQLite database with demo data, and headless Chromium."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from playwright.sync_api import expect
from sqlalchemy import Engine

from service.auth.models import Role
from service.core import migrate
from service.core.db import make_engine, session_scope
from service.demo import seed as demo
from service.web.app import create_app
from tests.conftest import app_settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@dataclass
class LiveServer:
    url: str
    logins: dict[Role, str]  # role → e-mail
    passwords: dict[str, str]  # e-mail → password
    engine: Engine
    app: object


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_demo(folder) -> Iterator[LiveServer]:
    """Serve a fresh, migrated SQLite database with demo data on a free port."""
    engine = make_engine(f"sqlite:///{folder / 'live.sqlite3'}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        passwords = demo.seed(session)
    logins = {role: email for email, _name, role in demo.DEMO_USERS}
    app = create_app(app_settings(), engine=engine)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", logins, passwords, engine, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    with serve_demo(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required under CI=true but missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


def login(page, server: LiveServer, role: Role) -> None:
    """Log in through the login form as the demo user of `role`."""
    email = server.logins[role]
    page.goto(f"{server.url}/log-ind")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(server.passwords[email])
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{server.url}/")


def open_from_menu(page, label: str) -> None:
    """Open a main-menu entry as a person would: its group's submenu first, if it has one."""
    menu = page.get_by_role("navigation", name="Hovedmenu")
    named = page.get_by_role("link", name=label, exact=True, include_hidden=True)
    entry = menu.locator("a.nav-link").and_(named)
    if not entry.is_visible():
        menu.locator(".submenu", has=named).locator("button").click()
    entry.click()
