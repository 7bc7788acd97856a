"""The logbook (append-only entries with amendments) and time registration."""
