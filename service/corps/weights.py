"""The coordinator's matching weights: stored per criterion, the engine's defaults otherwise."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from matching.weights import CRITERIA, DEFAULT_WEIGHTS, MAX_WEIGHT, validate_weights
from service.audit.service import Actor, record
from service.core.clock import utcnow
from service.core.errors import Invalid
from service.corps.models import MatchingWeight


def stored(session: Session) -> dict[str, MatchingWeight]:
    """The stored weight rows by criterion (criteria without a row use the default)."""
    return {row.criterion: row for row in session.exec(select(MatchingWeight))}


def current_weights(session: Session) -> dict[str, int]:
    """The weights in force: the defaults overlaid with the stored ones."""
    rows = {k: v.weight for k, v in stored(session).items() if k in DEFAULT_WEIGHTS}
    return validate_weights(rows)


def set_weights(session: Session, *, actor: Actor, weights: Mapping[str, object]) -> dict[str, int]:
    """Change the given weights (others keep their value); audited with before and after."""
    for key, value in weights.items():
        try:
            validate_weights({key: value})
        except ValueError:
            if key not in DEFAULT_WEIGHTS:
                raise Invalid(f"Ukendt kriterium: {key}.", field=key) from None
            raise Invalid(
                f"Vægten skal være et helt tal mellem 0 og {MAX_WEIGHT}.", field=key
            ) from None
    before = current_weights(session)
    rows = stored(session)
    changed = {}
    now = utcnow()
    for key in CRITERIA:
        if key not in weights or weights[key] == before[key]:
            continue
        row = rows.get(key) or MatchingWeight(criterion=key, weight=0)
        row.weight = int(weights[key])  # type: ignore[call-overload]
        row.updated_by = actor.id
        row.updated_at = now
        session.add(row)
        changed[key] = {"before": before[key], "after": row.weight}
    session.flush()
    if changed:
        record(
            session,
            actor,
            "update",
            purpose="matching",
            entity="matching_weight",
            detail={"changes": changed},
        )
    return current_weights(session)
