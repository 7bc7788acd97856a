"""Caps on list lengths in API bodies and forms (422 naming the field past them).

Long lists reach `IN (...)` clauses, and PostgreSQL takes at most 65,535 bind parameters in
one statement; no real form or request comes near these.
"""

from __future__ import annotations

MAX_CHOICES = 50  # choices from a vocabulary, sub-goals, observations
MAX_IDS = 1000  # ids of records, e.g. the referrals of a matching plan
