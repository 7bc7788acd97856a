"""Refund rules (rate and refundable categories from a date): the admin's list and additions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from reports.core.danish import long_date
from reports.core.money import CATEGORIES, NEVER_REFUNDABLE
from reports.core.refund import RefundRule
from reports.models import RefundClaim, RefundRuleRecord
from service.audit.service import Actor, record
from service.core.errors import Conflict, Invalid

PURPOSE = "refund"
REFUNDABLE_CHOICES = tuple(c for c in CATEGORIES if c not in NEVER_REFUNDABLE)


def refuse_claimed_rule(session: Session, valid_from: date) -> None:
    """Refuse a refund rule from `valid_from` if a claim ends on or after that day.

    A recomputed report of a claimed period must equal the claim, and a rule applies to
    every entry from its first day.
    """
    claimed = session.exec(
        select(RefundClaim).where(RefundClaim.period_to >= valid_from).order_by(col(RefundClaim.id))
    ).first()
    if claimed is not None:
        raise Invalid(
            f"Reglen ville gælde for refusionskrav nr. {claimed.id}, der allerede er afregnet "
            f"(til {long_date(claimed.period_to)}). Vælg en senere dato.",
            field="valid_from",
        )


def list_rules(*, session: Session) -> list[RefundRuleRecord]:
    """Every rule, newest valid_from first."""
    return list(
        session.exec(select(RefundRuleRecord).order_by(col(RefundRuleRecord.valid_from).desc()))
    )


def parse_rate(text: str | Decimal) -> Decimal:
    """A rate as "0.50", "0,50" or "50 %" → Decimal in 0..1 with at most 4 decimals."""
    if isinstance(text, Decimal):
        rate = text
    else:
        raw = str(text or "").strip().replace(",", ".")
        percent = raw.endswith("%")
        try:
            rate = Decimal(raw.rstrip("%").strip())
        except InvalidOperation:
            raise Invalid("Skriv satsen som et tal, fx 0,50 eller 50 %.", field="rate") from None
        if percent:
            rate = rate / 100
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise Invalid("Satsen skal være mellem 0 og 1 (0 % og 100 %).", field="rate")
    if rate != rate.quantize(Decimal("0.0001")):
        raise Invalid("Satsen må højst have fire decimaler.", field="rate")
    return rate.quantize(Decimal("0.0001"))


def add_rule(
    *,
    session: Session,
    actor: Actor,
    valid_from: date,
    rate: Decimal | str,
    refundable_categories: Iterable[str],
) -> RefundRuleRecord:
    """Add a rule in force from valid_from (own transport is never refundable); audited."""
    value = parse_rate(rate)
    wanted = set(refundable_categories)
    categories = [c for c in CATEGORIES if c in wanted]
    unknown = wanted - set(CATEGORIES)
    if unknown:
        raise Invalid(
            f"Ukendte kategorier: {', '.join(sorted(unknown))}.", field="refundable_categories"
        )
    if set(categories) & NEVER_REFUNDABLE:
        raise Invalid(
            "Mentorens egen transport kan aldrig refunderes.", field="refundable_categories"
        )
    RefundRule(valid_from, value, frozenset(categories))  # the pure rule's own checks
    refuse_claimed_rule(session, valid_from)
    if session.exec(
        select(RefundRuleRecord).where(RefundRuleRecord.valid_from == valid_from)
    ).first():
        raise Conflict(f"Der findes allerede en regel gældende fra {long_date(valid_from)}.")
    rule = RefundRuleRecord(
        valid_from=valid_from,
        rate=value,
        refundable_categories=categories,
        created_by=actor.id,
    )
    session.add(rule)
    session.flush()
    record(
        session,
        actor,
        "create",
        purpose=PURPOSE,
        entity="refund_rule",
        entity_id=rule.id,
        detail={
            "valid_from": valid_from.isoformat(),
            "rate": format(value, "f"),
            "refundable_categories": categories,
        },
    )
    session.flush()
    return rule
