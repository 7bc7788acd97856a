"""The bare stack the load benchmark compares the app with (`uvicorn bench.loadkit.bare:app`).

FastAPI `def` routes with a SQLModel session on the app's own database (DATABASE_URL) and
the app's engine settings (`make_engine`: pool, SQLite WAL and timeout), and nothing else: no
guard, no audit, no sessions, no templates, no middleware.

- `GET /bare/referrals/{id}` reads one referral row and returns it as JSON;
- `POST /bare/rows` `{"text"}` inserts one row into `bench_bare_row` and commits → `201 {"id"}`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import cache

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sqlmodel import Field, Session, SQLModel

from service.core.db import make_engine
from service.corps.models import Referral


class BareRow(SQLModel, table=True):
    __tablename__ = "bench_bare_row"

    id: int = Field(default=None, primary_key=True)
    text: str
    created_at: datetime


class RowIn(BaseModel):
    text: str


@cache
def engine():
    return make_engine(os.environ["DATABASE_URL"])


app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/bare/referrals/{referral_id}")
def read_referral(referral_id: int):
    with Session(engine()) as session:
        referral = session.get(Referral, referral_id)
        if referral is None:
            raise HTTPException(404)
        return referral.model_dump(mode="json")


@app.post("/bare/rows", status_code=201)
def insert_row(row: RowIn):
    with Session(engine()) as session:
        stored = BareRow(text=row.text, created_at=datetime.now(UTC))
        session.add(stored)
        session.commit()
        return {"id": stored.id}


def create_table(url: str) -> None:
    """Create `bench_bare_row` (the load run does this before it starts the bare server)."""
    setup = make_engine(url, pool_size=1)
    SQLModel.metadata.create_all(setup, tables=[BareRow.__table__])  # type: ignore[attr-defined]
    setup.dispose()
