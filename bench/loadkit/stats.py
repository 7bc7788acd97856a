"""Timing requests per kind, running simulated users for a bounded time, and the figures."""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.loadkit.client import Answer, Client

SLOW = 2.0  # seconds: a request slower than this counts against the goals


@dataclass
class Kind:
    """What one kind of request did in one scenario."""

    seconds: list[float] = field(default_factory=list)  # latency of each good answer
    on_time: int = 0  # good answers that arrived within the scenario's time (for req/s)
    statuses: Counter = field(default_factory=Counter)  # every answer's status, failures too
    failures: Counter = field(default_factory=Counter)  # "HTTP 500", "timeout", …
    slow: int = 0

    @property
    def good(self) -> int:
        return len(self.seconds)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the good answers' latencies, in seconds (0 if none)."""
        if not self.seconds:
            return 0.0
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


@dataclass
class Recorder:
    """Every request of one scenario, per kind, and the scenario's wall time."""

    kinds: dict[str, Kind] = field(default_factory=dict)
    deadline: float = math.inf  # no request starts after it (perf_counter time)
    window: float = 0.0  # seconds the scenario ran (to its deadline, or its request budget)
    requests: int = 0

    def kind(self, name: str) -> Kind:
        return self.kinds.setdefault(name, Kind())

    def rate(self, name: str) -> float:
        """Good answers per second that arrived within the scenario's time."""
        return self.kinds[name].on_time / self.window if self.window else 0.0

    async def call(
        self,
        name: str,
        client: Client,
        method: str,
        path: str,
        *,
        json: dict | None = None,
        expect: int = 200,
    ) -> Answer | None:
        """One request, timed and counted; the answer when it had the expected status.
        None without a request once the scenario's time is up."""
        start = time.perf_counter()
        if start >= self.deadline:
            return None
        kind = self.kind(name)
        self.requests += 1
        try:
            if json is not None:
                answer = await client.post_json(path, json)
            else:
                answer = await client.request(method, path)
        except TimeoutError:
            kind.failures["timeout"] += 1
            kind.slow += 1
            return None
        except (OSError, EOFError, asyncio.IncompleteReadError) as error:
            kind.failures[f"connection: {type(error).__name__}"] += 1
            return None
        end = time.perf_counter()
        took = end - start
        kind.statuses[answer.status] += 1
        if took > SLOW:
            kind.slow += 1
        if answer.status != expect:
            kind.failures[f"HTTP {answer.status}"] += 1
            return None
        kind.seconds.append(took)
        kind.on_time += end <= self.deadline
        return answer


# One simulated user's next action: it makes one or more requests through the recorder.
Step = Callable[[Recorder], Awaitable[None]]


async def run_users(steps: list[Step], seconds: float, max_requests: int) -> Recorder:
    """Run every user's step in a loop, all at once, until the time or the request budget is
    spent. Requests in flight then finish and count for latency and errors; req/s counts the
    answers that arrived in time (as wrk does)."""
    start = time.perf_counter()
    recorder = Recorder(deadline=start + seconds)

    async def user(step: Step) -> None:
        while time.perf_counter() < recorder.deadline and recorder.requests < max_requests:
            await step(recorder)

    await asyncio.gather(*(user(step) for step in steps))
    recorder.window = min(seconds, time.perf_counter() - start)
    return recorder
