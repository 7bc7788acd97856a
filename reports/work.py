"""The refund's background work: big workbook exports and claim workbooks, on one runner.

`service.core.background` holds the table and the runner; this maps each kind of task the
refund queues to the function that does it, priced at the serving app's default rate. Pages
run a queued task after their response (`run`); the app at startup and the scheduler's tick
resume what a dead process left (`resume`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from reports import claim_builds, exports
from reports.claims import CLAIM_WORKBOOK
from service.core import background
from service.core.background import Factory


def handlers(default_rate: Decimal) -> dict[str, background.Handler]:
    """The function that does each kind of task (looked up when called, so tests can wrap it)."""
    return {
        exports.KIND: partial(exports.build, default_rate=default_rate),
        CLAIM_WORKBOOK: partial(claim_builds.build_claim_workbook, default_rate=default_rate),
    }


def run(factory: Factory, task_id: int, default_rate: Decimal) -> None:
    """Run a queued task (after the request that queued it has committed)."""
    background.run_task(factory, task_id, handlers(default_rate))


def resume(
    factory: Factory,
    default_rate: Decimal,
    *,
    wait: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """Run again every task a run left silent for STALE_AFTER; the ids run."""
    return background.resume(factory, handlers(default_rate), wait=wait, sleep=sleep)


def resume_in_background(factory: Factory, default_rate: Decimal) -> threading.Thread | None:
    """At startup: resume in a thread when some task is left queued or running."""
    return background.resume_in_background(factory, handlers(default_rate))
