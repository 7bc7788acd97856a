"""Printing a load run: the figures per scenario and kind, the ratios to the bare routes, the
write check, and the issue's goals (issue 16) as PASS or MISS."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.loadkit.stats import SLOW, Recorder
from bench.loadkit.verify import Check

READ, INSERT = "bare read", "bare insert"
SINGLE = "GET one referral (API)"
# Scenario alone → (the bare route it is compared with, the goal's least ratio of req/s).
GOALS = {
    SINGLE: (READ, 0.6),
    "mentors list (API)": (READ, 0.4),
    "logbook page": (READ, 0.4),
    "logbook POST (API)": (INSERT, 0.5),
}


@dataclass
class Measured:
    label: str
    users: int
    single: dict[str, Recorder] = field(default_factory=dict)  # one user: bare read, SINGLE
    alone: dict[str, Recorder] = field(default_factory=dict)  # each kind alone, all users
    mixed: Recorder | None = None
    checks: list[Check] = field(default_factory=list)
    sessions: int = 0  # sign-ins before the scenarios (API tokens and page sessions)
    refused: list[str] = field(default_factory=list)  # sign-ins refused, then tried again
    server_errors: dict[str, Counter] = field(default_factory=dict)  # server → logged errors

    def scenarios(self) -> Iterator[tuple[str, int, Recorder]]:
        for name, rec in self.single.items():
            yield f"{name}, 1 user", 1, rec
        for name, rec in self.alone.items():
            yield name, self.users, rec
        if self.mixed is not None:
            yield "mixed", self.users, self.mixed


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def print_figures(m: Measured) -> None:
    print(f"\n[{m.label}] figures (latencies in ms; ratio = req/s over the bare route's)")
    print(
        f"  {'scenario':<26} {'kind':<24} {'users':>5} {'done':>6} {'req/s':>8} "
        f"{'p50':>8} {'p95':>8} {'p99':>8} {'>2s':>4} {'errors':>6}  ratio"
    )
    for scenario, users, rec in m.scenarios():
        for name, kind in rec.kinds.items():
            ratio = ""
            if scenario in GOALS and name == scenario:
                base = m.alone[GOALS[scenario][0]]
                ratio = f"{rec.rate(name) / base.rate(GOALS[scenario][0]):.2f}×"
            print(
                f"  {scenario:<26.26} {name:<24.24} {users:>5} {kind.good:>6} "
                f"{rec.rate(name):>8.1f} {_ms(kind.percentile(50))} {_ms(kind.percentile(95))} "
                f"{_ms(kind.percentile(99))} {kind.slow:>4} {kind.errors:>6}  {ratio}"
            )
            if kind.failures:
                details = ", ".join(f"{k} × {v}" for k, v in sorted(kind.failures.items()))
                print(f"  {'':<26} {'':<24} errors: {details}")
    print(
        f"  sign-ins before the scenarios: {m.sessions}, refused and tried again: {len(m.refused)}"
    )
    for why, count in Counter(m.refused).most_common():
        print(f"    {count} × {why}")
    for server, errors in m.server_errors.items():
        print(f"  {server} server logged {sum(errors.values())} exception(s)")
        for line, count in errors.most_common(4):
            print(f"    {count} × {line}")
    for check in m.checks:
        print(
            f"  stored writes, {check.table:<8}: {check.acked} acknowledged, "
            f"{check.stored_once} stored exactly once under their id; missing {check.missing}, "
            f"duplicated {check.duplicated}, other id {check.wrong_id}; "
            f"{check.unacked} stored without an acknowledgement"
        )


def goals(m: Measured) -> list[tuple[str, str, bool]]:
    """(goal, measured, met) for each of the issue's goals on this engine."""
    rows = []
    for name, (base_name, least) in GOALS.items():
        if name not in m.alone or base_name not in m.alone:
            continue
        rec, base = m.alone[name], m.alone[base_name]
        ratio = rec.rate(name) / max(base.rate(base_name), 1e-9)
        rows.append((f"{name} ≥ {least}× {base_name} req/s", f"{ratio:.2f}×", ratio >= least))
        if name == SINGLE:
            p95 = rec.kinds[name].percentile(95) / max(base.kinds[base_name].percentile(95), 1e-9)
            rows.append((f"{name} p95 ≤ 2× {base_name} p95", f"{p95:.2f}×", p95 <= 2))
    if SINGLE in m.single and READ in m.single:
        p50 = m.single[SINGLE].kinds[SINGLE].percentile(50)
        base50 = m.single[READ].kinds[READ].percentile(50)
        ratio = p50 / max(base50, 1e-9)
        rows.append(
            (
                f"single user: {SINGLE} p50 ≤ 2× {READ} p50",
                f"{ratio:.2f}× ({p50 * 1000:.1f} / {base50 * 1000:.1f} ms)",
                ratio <= 2,
            )
        )
    errors = sum(k.errors for _, _, rec in m.scenarios() for k in rec.kinds.values())
    errors += len(m.refused)
    slow = sum(k.slow for _, _, rec in m.scenarios() for k in rec.kinds.values())
    rows.append(("0 errors (every scenario and sign-in)", str(errors), errors == 0))
    rows.append((f"0 requests over {SLOW:.0f} s (every scenario)", str(slow), slow == 0))
    if m.checks:
        stored = all(check.ok for check in m.checks)
        detail = ", ".join(f"{c.table} {c.stored_once}/{c.acked}" for c in m.checks)
        rows.append(("every acknowledged write stored exactly once", detail, stored))
    return rows


def print_goals(m: Measured) -> int:
    """Print the goals; return how many were missed."""
    print(f"\n[{m.label}] goals (issue 16)")
    missed = 0
    for goal, measured, met in goals(m):
        missed += not met
        print(f"  {'PASS' if met else 'MISS'}  {goal:<58} {measured}")
    return missed
