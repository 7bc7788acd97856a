"""The logbook's and time registration's fixed vocabularies (labels live in `vocabulary`)."""

from vocabulary import logbook

KINDS = logbook.ENTRY_KINDS
OBSERVATIONS = logbook.OBSERVATIONS  # the handbook's observations (p. 15)

# Observations the caseworker must notice: they stand out on every page.
NEEDS_CASEWORKER = frozenset({"health_relapse", "not_following_treatment", "lost_overview"})

PROGRESS = logbook.PROGRESS
CATEGORIES = logbook.TIME_CATEGORIES
CATEGORY_SHORT = logbook.TIME_CATEGORIES_SHORT
