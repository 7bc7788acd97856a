"""A job's schedule in Danish ("hverdage kl. 07.00") and its next run.

The registry keeps APScheduler's cron fields; people read them here. Only the fields and
values the registry uses are worded; anything else is refused, so a new schedule gets its
words before it reaches a page.
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from reports.core.danish import TIMEZONE

WEEKDAYS = {
    "mon": "mandag",
    "tue": "tirsdag",
    "wed": "onsdag",
    "thu": "torsdag",
    "fri": "fredag",
    "sat": "lørdag",
    "sun": "søndag",
}
WORDED = frozenset({"day_of_week", "day", "hour", "minute"})


def _weekdays(value: str) -> str:
    if value == "mon-fri":
        return "hverdage"
    first, _, last = value.partition("-")
    if last:
        return f"{WEEKDAYS[first]}–{WEEKDAYS[last]}"
    return f"hver {WEEKDAYS[first]}"


def _days(value: str) -> str:
    first, _, last = str(value).partition("-")
    return f"den {first}.–{last}. i måneden" if last else f"den {first}. i måneden"


def schedule_text(cron: dict) -> str:
    """The cron fields in Danish: "hverdage kl. 07.00", "den 1.–7. i måneden kl. 07.20"."""
    unknown = set(cron) - WORDED
    if unknown:
        raise ValueError(f"no Danish words for the cron fields {sorted(unknown)}")
    if "day_of_week" in cron:
        days = _weekdays(str(cron["day_of_week"]))
    elif "day" in cron:
        days = _days(str(cron["day"]))
    else:
        days = "hver dag"
    return f"{days} kl. {int(cron['hour']):02d}.{int(cron.get('minute', 0)):02d}"


def next_run(cron: dict, now: datetime) -> datetime | None:
    """When the schedule next fires after `now` (Europe/Copenhagen)."""
    trigger = CronTrigger(timezone=TIMEZONE, **cron)
    return trigger.get_next_fire_time(None, now.astimezone(TIMEZONE))
