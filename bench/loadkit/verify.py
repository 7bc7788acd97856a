"""Proof that every acknowledged write is stored exactly once.

For each table written (logbook entries with their first version's text, time entries with
their note, the bare rows) the run's unique texts are read back from the database: each text
the server acknowledged must be there once, under the id the answer gave. Texts stored
without an acknowledgement (a write whose answer was lost or late) are counted too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from service.core.db import make_engine

QUERIES = {
    "logbook": "SELECT e.id, v.text FROM logbook_entry e JOIN logbook_version v"
    " ON v.entry_id = e.id AND v.version = 1 WHERE v.text LIKE :marker",
    "time": "SELECT id, note FROM time_entry WHERE note LIKE :marker",
    "bare": "SELECT id, text FROM bench_bare_row WHERE text LIKE :marker",
}


@dataclass
class Check:
    table: str
    acked: int
    stored_once: int  # acknowledged, and stored exactly once under the acknowledged id
    missing: int  # acknowledged, not found
    duplicated: int  # acknowledged, stored more than once
    wrong_id: int  # acknowledged, stored once under another id
    unacked: int  # stored, but never acknowledged

    @property
    def ok(self) -> bool:
        return self.stored_once == self.acked


def check_writes(url: str, tag: str, acked: list[tuple[str, int, str]]) -> list[Check]:
    engine = make_engine(url, pool_size=1)
    marker = f"loadbench {tag} %"
    checks = []
    try:
        with engine.connect() as connection:
            for table, query in QUERIES.items():
                mine = {text: id_ for kind, id_, text in acked if kind == table}
                if not mine and table == "bare":
                    continue
                stored = connection.execute(sa.text(query), {"marker": marker}).all()
                counts = Counter(text for _, text in stored)
                ids = {text: id_ for id_, text in stored}
                checks.append(
                    Check(
                        table=table,
                        acked=len(mine),
                        stored_once=sum(
                            1 for t, i in mine.items() if counts[t] == 1 and ids[t] == i
                        ),
                        missing=sum(1 for t in mine if counts[t] == 0),
                        duplicated=sum(1 for t in mine if counts[t] > 1),
                        wrong_id=sum(1 for t, i in mine.items() if counts[t] == 1 and ids[t] != i),
                        unacked=sum(1 for t in counts if t not in mine),
                    )
                )
    finally:
        engine.dispose()
    return checks
