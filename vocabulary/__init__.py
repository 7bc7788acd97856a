"""Every code's Danish label, defined once: the words a person reads for a stored code.

Codes (`active`, `citizen_contact`, `time_entry`, ...) are English and stored; a page,
workbook, CSV file, e-mail or access document shows the label from here, never the code.
This package is pure (no database, no web, no application) and sits below every other
layer, so the pure cores (`matching`, `reports.core`) and the application share one word
for one thing. Other modules re-export these dicts under their old names; none defines its
own (tests/test_vocabulary.py).

- `corps`: citizens, mentors, referrals (statuses, actions, focus roles, outcomes, ...).
- `logbook`: logbook entries and time registration (kinds, observations, time categories).
- `system`: users' roles, the audit trail (actions, purposes, record kinds), scheduled jobs.
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

Code = TypeVar("Code", bound=Hashable)


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: first letter lower-case, acronyms kept."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def label(labels: Mapping[Code, str], code: Code | None) -> str:
    """The label of `code`, or the code itself when it has none (never an error on a page)."""
    if code is None:
        return ""
    return labels.get(code, str(code))
