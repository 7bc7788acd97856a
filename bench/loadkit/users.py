"""The simulated users: their sign-ins (API tokens, page sessions) and what each one does.

Every simulated user is one `Client` (one connection, one session of its own among the
signed-in ones). Each write carries a unique text (`loadbench <tag> <kind> <user> <n>`), and
every write the server acknowledged is kept in `Workload.acked`, to be found in the database
afterwards exactly once.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from dataclasses import dataclass, field

from bench.loadkit.client import Client
from bench.loadkit.plan import DEMO_MENTOR, Plan
from bench.loadkit.stats import Recorder, Step
from service.core import clock

HOST = "127.0.0.1"
COORDINATOR = "koordinator@demo.mentorkorps.dk"
FINANCE = "okonomi@demo.mentorkorps.dk"
SIGN_IN_AT_ONCE = 4  # password hashing is costly: sign in a few at a time
SIGN_IN_TRIES = 5  # a refused sign-in (e.g. 503) is tried again; the refusals are reported


class Refused(Exception):
    """A sign-in answered with another status than success."""


@dataclass
class Sessions:
    """Signed-in sessions per use: API headers (bearer token) or page cookies."""

    mentor_api: list[dict[str, str]]
    coordinator_api: list[dict[str, str]]
    coordinator_pages: list[dict[str, str]]
    finance_pages: list[dict[str, str]]
    refused: list[str]  # sign-ins refused before one succeeded (not part of any scenario)

    @property
    def count(self) -> int:
        pools = [self.mentor_api, self.coordinator_api, self.coordinator_pages, self.finance_pages]
        return sum(len(pool) for pool in pools)


async def api_headers(port: int, email: str, password: str) -> dict[str, str]:
    client = Client(HOST, port)
    form = {"username": email, "password": password}
    answer = await client.post_form("/api/v1/auth/token", form)
    await client.close()
    if answer.status != 200:
        raise Refused(f"API sign-in: HTTP {answer.status} {answer.body[:100]!r}")
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def page_cookies(port: int, email: str, password: str) -> dict[str, str]:
    client = Client(HOST, port)
    await client.get("/log-ind")
    form = {
        "email": email,
        "password": password,
        "next": "/",
        "csrf_token": client.cookies["mk_csrf"],
    }
    answer = await client.post_form("/log-ind", form)
    await client.close()
    if answer.status != 303:
        raise Refused(f"page sign-in: HTTP {answer.status} {answer.body[:100]!r}")
    return dict(client.cookies)


async def sign_in(port: int, logins: dict[str, str], users: int) -> Sessions:
    """One session per simulated user of the mixed scenario (25 mentors, 20 coordinators and
    5 finance users for 50), and a coordinator API token per coordinator."""
    mentors, coordinators, finance = shares(users)
    gate = asyncio.Semaphore(SIGN_IN_AT_ONCE)
    refused: list[str] = []

    async def one(how, email: str) -> dict[str, str]:
        async with gate:
            for attempt in range(1, SIGN_IN_TRIES + 1):
                try:
                    return await how(port, email, logins[email])
                except Refused as error:
                    refused.append(str(error))
                    if attempt == SIGN_IN_TRIES:
                        raise
                    await asyncio.sleep(0.5 * attempt)
        raise AssertionError("unreachable")

    async def many(how, email: str, count: int) -> list[dict[str, str]]:
        return list(await asyncio.gather(*(one(how, email) for _ in range(count))))

    return Sessions(
        mentor_api=await many(api_headers, DEMO_MENTOR, mentors),
        coordinator_api=await many(api_headers, COORDINATOR, coordinators),
        coordinator_pages=await many(page_cookies, COORDINATOR, coordinators),
        finance_pages=await many(page_cookies, FINANCE, finance),
        refused=refused,
    )


def shares(users: int) -> tuple[int, int, int]:
    """(mentors, coordinators, finance) of `users` simulated users: 50 %, 40 %, the rest."""
    mentors = max(1, users // 2)
    coordinators = max(1, users * 2 // 5)
    return mentors, coordinators, max(1, users - mentors - coordinators)


@dataclass
class Workload:
    plan: Plan
    app_port: int = 0  # set while that server runs (one server at a time)
    bare_port: int = 0
    sessions: Sessions = field(default_factory=lambda: Sessions([], [], [], [], []))
    tag: str = field(default_factory=lambda: secrets.token_hex(3))
    acked: list[tuple[str, int, str]] = field(default_factory=list)  # (table, id, text)
    _serial: itertools.count = field(default_factory=itertools.count)
    _open: list[Client] = field(default_factory=list)

    def _client(self, port: int, pool: list[dict[str, str]] | None = None, n: int = 0,
                cookies: bool = False) -> Client:  # fmt: skip
        auth = pool[n % len(pool)] if pool else {}
        client = (
            Client(HOST, port, cookies=dict(auth)) if cookies else Client(HOST, port, dict(auth))
        )
        self._open.append(client)
        return client

    async def close(self) -> None:
        """Close every connection the last scenario opened."""
        await asyncio.gather(*(client.close() for client in self._open))
        self._open.clear()

    def _text(self, kind: str, user: int) -> str:
        return f"loadbench {self.tag} {kind} {user} {next(self._serial)}"

    def _referral(self, n: int) -> int:
        return self.plan.referral_ids[n % len(self.plan.referral_ids)]

    # -- one kind of request per step -------------------------------------------------------

    def read_referral(self, user: int, name: str = "GET one referral (API)") -> Step:
        client = self._client(self.app_port, self.sessions.coordinator_api, user, False)
        turns = itertools.count(user)

        async def step(rec: Recorder) -> None:
            await rec.call(name, client, "GET", f"/api/v1/referrals/{self._referral(next(turns))}")

        return step

    def mentors_list(self, user: int) -> Step:
        client = self._client(self.app_port, self.sessions.coordinator_api, user, False)

        async def step(rec: Recorder) -> None:
            await rec.call("mentors list (API)", client, "GET", "/api/v1/mentors")

        return step

    def logbook_page(self, user: int) -> Step:
        client = self._client(self.app_port, self.sessions.coordinator_pages, user, True)
        turns = itertools.count(user)

        async def step(rec: Recorder) -> None:
            path = f"/logbog/{self._referral(next(turns))}"
            await rec.call("logbook page", client, "GET", path)

        return step

    def logbook_post(self, user: int, client: Client | None = None) -> Step:
        client = client or self._client(self.app_port, self.sessions.mentor_api, user, False)
        turns = itertools.count(user)

        async def step(rec: Recorder) -> None:
            referral_id, text = self._referral(next(turns)), self._text("logbook", user)
            payload: dict[str, object] = {
                "occurred_on": clock.today().isoformat(),
                "kind": "conversation",
                "text": text,
                "sub_goal_ids": [],
                "observations": [],
                "progress": None,
                "shown_to_citizen": False,
            }
            path = f"/api/v1/referrals/{referral_id}/logbook"
            answer = await rec.call(
                "logbook POST (API)", client, "POST", path, json=payload, expect=201
            )
            if answer is not None:
                self.acked.append(("logbook", answer.json()["id"], text))

        return step

    def time_post(self, user: int, client: Client) -> Step:
        async def step(rec: Recorder) -> None:
            text = self._text("time", user)
            referral_id, day = self.plan.take_minute(next(self._serial))
            payload = {
                "referral_id": referral_id,
                "date": day.isoformat(),
                "minutes": 1,
                "category": "administration",
                "note": text,
            }
            answer = await rec.call(
                "time entry POST (API)",
                client,
                "POST",
                "/api/v1/time-entries",
                json=payload,
                expect=201,
            )
            if answer is not None:
                self.acked.append(("time", answer.json()["id"], text))

        return step

    def bare_read(self, user: int) -> Step:
        client = self._client(self.bare_port)
        turns = itertools.count(user)

        async def step(rec: Recorder) -> None:
            path = f"/bare/referrals/{self._referral(next(turns))}"
            await rec.call("bare read", client, "GET", path)

        return step

    def bare_insert(self, user: int) -> Step:
        client = self._client(self.bare_port)

        async def step(rec: Recorder) -> None:
            text = self._text("bare", user)
            answer = await rec.call(
                "bare insert", client, "POST", "/bare/rows", json={"text": text}, expect=201
            )
            if answer is not None:
                self.acked.append(("bare", answer.json()["id"], text))

        return step

    # -- the people of the mixed scenario ---------------------------------------------------

    def mentor(self, user: int) -> Step:
        """A mentor: a logbook entry, then a time entry, and again."""
        client = self._client(self.app_port, self.sessions.mentor_api, user, False)
        write_entry, write_time = self.logbook_post(user, client), self.time_post(user, client)

        async def step(rec: Recorder) -> None:
            await write_entry(rec)
            await write_time(rec)

        return step

    def coordinator(self, user: int) -> Step:
        """A coordinator opening pages: a logbook, a referral, the mentors, the referrals."""
        client = self._client(self.app_port, self.sessions.coordinator_pages, user, True)
        turns = itertools.count(user)

        async def step(rec: Recorder) -> None:
            referral_id = self._referral(next(turns))
            await rec.call("logbook page", client, "GET", f"/logbog/{referral_id}")
            await rec.call("referral page", client, "GET", f"/henvisninger/{referral_id}")
            await rec.call("mentors page", client, "GET", "/mentorer")
            await rec.call("referral list page", client, "GET", "/henvisninger")

        return step

    def finance(self, user: int) -> Step:
        """Finance previewing last month's refund."""
        client = self._client(self.app_port, self.sessions.finance_pages, user, True)
        period = f"from={self.plan.refund_from.isoformat()}&to={self.plan.refund_to.isoformat()}"

        async def step(rec: Recorder) -> None:
            await rec.call("refund preview page", client, "GET", f"/refusion?{period}")

        return step

    def mixed(self, users: int) -> list[Step]:
        mentors, coordinators, finance = shares(users)
        return (
            [self.mentor(n) for n in range(mentors)]
            + [self.coordinator(n) for n in range(coordinators)]
            + [self.finance(n) for n in range(finance)]
        )
