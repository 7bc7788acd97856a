"""The matching block of the referral page (`matching/_referral_block.html`).

Apart from service/pages/matching.py, which re-renders the referral page when an
assignment fails, so that the two page modules do not import each other.
"""

from __future__ import annotations

from matching.weights import CRITERION_LABELS
from service.audit.service import Actor, record
from service.auth.models import Role
from service.corps import agreements, matching
from service.corps.models import Referral
from service.web.forms import Form


def referral_block(session, actor: Actor, referral: Referral, assign: Form | None) -> dict:
    """Context of `matching/_referral_block.html`: suggestions, agreements, the renew button;
    `assign`: the assignment form a coordinator sent, shown again with its errors."""
    block: dict = {
        "suggestions": [],
        "names": {},
        "agreements": agreements.agreements_of(session, referral.id),
        "may_renew": actor.role == Role.coordinator
        and referral.status in ("active", "paused")
        and referral.mentor_id is not None,
        "show_suggestions": actor.role == Role.coordinator and referral.status == "accepted",
        "may_exclude": actor.role == Role.coordinator and referral.status != "closed",
        "error_mentor": getattr(assign, "mentor_id", None),
        "errors": assign.errors if assign else {},
        "typed_reason": assign.get("reason", "") if assign else "",
        "labels": CRITERION_LABELS,
    }
    if block["show_suggestions"]:
        found = matching.suggestions_for(session, referral, limit=5)
        record(
            session,
            actor,
            "read",
            purpose="matching",
            entity="referral",
            entity_id=referral.id,
            citizen_id=referral.citizen_id,
        )
        block["suggestions"] = found
        block["names"] = matching.mentor_names(session, [s.mentor_id for s in found])
    return {"matching": block}
