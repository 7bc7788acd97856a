"""Benchmark: refund workbooks with 10k, 100k and 300k generated entries.

Each size runs in a fresh interpreter. Speed runs are untraced and report seconds and
entries/second; tracemalloc slows Python ~4×, so it runs
on the sizes in --trace-sizes (default 10k and 30k to stay near two minutes; pass
--trace-sizes 10000,300000 for the full check, ~5 min on a busy 2-core box). The
machine-independent figure is the ratio of the largest peak to the smallest: ≈ 1 = flat.
Run: .venv/bin/python bench/bench_workbook.py
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.core.money import CATEGORIES
from reports.core.refund import DEFAULT_RULE, CitizenTotals, build_report
from reports.core.tables import EntryRow
from reports.core.workbook import WorkbookMeta, write_refund_workbook

SIZES = (10_000, 100_000, 300_000)
CITIZENS = 500
START = date(2026, 1, 1)


def entries(count: int) -> Iterator[EntryRow]:
    """Lazily generated entries, each with its own note (nothing shared or cached)."""
    rng = random.Random(count)
    for i in range(count):
        citizen = i % CITIZENS
        yield EntryRow(
            date=START + timedelta(days=i % 90),
            cpr=f"{citizen:010d}",
            citizen_name=f"Borger {citizen}",
            mentor_name=f"Mentor {citizen % 40}",
            category=CATEGORIES[i % 5],
            minutes=rng.randint(5, 240),
            rate_ore=rng.choice((35_000, 40_000, 42_550)),
            note=f"Samtale nr. {i} om job, bolig og helbred – {rng.random():.12f}",
        )


def report():
    """A report for the benchmark's citizens (its numbers need not match the entries)."""
    minutes = dict.fromkeys(CATEGORIES, 60)
    citizens = [
        CitizenTotals(c, f"{c:010d}", f"Borger {c}", minutes, 240 * 40_000) for c in range(CITIZENS)
    ]
    return build_report(START, date(2026, 3, 31), DEFAULT_RULE, citizens, 800_000)


def measure(count: int, traced: bool) -> dict:
    """Write one workbook in this process; seconds, peaks and file size."""
    the_report, meta = report(), WorkbookMeta(datetime.now(UTC), "Benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "refusion.xlsx")
        if traced:
            tracemalloc.start()
        began = time.perf_counter()
        write_refund_workbook(path, the_report, entries(count), meta)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        tracemalloc.stop()
        return {"seconds": seconds, "peak": peak, "size": os.path.getsize(path)}


def in_child(count: int, traced: bool) -> dict:
    """Run measure() in a fresh interpreter, so runs cannot share memory high-water marks."""
    args = [sys.executable, __file__, "--child", str(count)] + (["--traced"] if traced else [])
    done = subprocess.run(args, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout)


def main() -> None:
    """Speed for every size, then tracemalloc peaks and their ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int)
    parser.add_argument("--traced", action="store_true")
    parser.add_argument("--trace-sizes", default="10000,30000")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.traced)))
        return
    print("speed (untraced, fresh process each):")
    for count in SIZES:
        r = in_child(count, traced=False)
        print(
            f"  {count:>7,} entries: {r['seconds']:6.1f} s, "
            f"{count / r['seconds']:7,.0f} entries/s, file {r['size'] / 2**20:4.1f} MiB"
        )
    print("memory (tracemalloc on):")
    peaks = {}
    for count in sorted(int(s) for s in args.trace_sizes.split(",")):
        r = in_child(count, traced=True)
        peaks[count] = r["peak"]
        print(
            f"  {count:>7,} entries: tracemalloc peak {r['peak'] / 2**20:6.3f} MiB "
            f"({r['seconds']:.1f} s traced)"
        )
    low, high = min(peaks), max(peaks)
    print(f"  tracemalloc peak ratio {high:,} / {low:,}: {peaks[high] / peaks[low]:.2f} (1 = flat)")


if __name__ == "__main__":
    main()
