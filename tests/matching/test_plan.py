"""Planning many referrals at once, and the greedy baseline."""

from decimal import Decimal

import numpy as np
import pytest

import matching.plan as plan_module
from matching.engine import suggest
from matching.plan import NO_CAPACITY, NO_FEASIBLE, greedy, plan
from matching.subproblem import Result
from matching.weights import DEFAULT_WEIGHTS
from tests.matching.factories import mentor, need

ZERO = dict.fromkeys(DEFAULT_WEIGHTS, 0)
ONLY_GROUPS = {**ZERO, "target_groups": 10}


def groups(*names: str) -> frozenset[str]:
    return frozenset(names)


def placed(result) -> dict[int, int]:
    return {a.referral_id: a.mentor_id for a in result.assignments}


class TestPlan:
    def test_everyone_placed_when_capacity_allows(self):
        result = plan([need(1), need(2)], [mentor(1), mentor(2)], {})
        assert placed(result).keys() == {1, 2}
        assert result.unassigned == ()
        assert result.optimal and result.gap == 0.0 and result.solver == "highs"

    def test_scores_are_the_plain_suggestion_scores(self):
        needs = [need(1, target_groups=groups("pain")), need(2)]
        pool = [mentor(1, target_groups=groups("pain")), mentor(2, caseload=5)]
        result = plan(needs, pool, {})
        for assignment in result.assignments:
            wanted = next(n for n in needs if n.id == assignment.referral_id)
            scores = {s.mentor_id: s.score for s in suggest(wanted, pool, {})}
            assert assignment.score == scores[assignment.mentor_id]
        assert result.total_score == sum(a.score for a in result.assignments)

    def test_beats_greedy_when_the_first_referral_would_take_the_scarce_mentor(self):
        needs = [
            need(1, target_groups=groups("pain", "adhd")),
            need(2, target_groups=groups("pain", "trauma"), excluded_mentor_ids=frozenset({2})),
        ]
        pool = [
            mentor(1, target_groups=groups("pain", "adhd", "trauma"), max_caseload=1),
            mentor(2, target_groups=groups("pain"), max_caseload=1),
        ]
        baseline = greedy(needs, pool, ONLY_GROUPS)
        assert placed(baseline) == {1: 1}
        assert baseline.total_score == 20
        assert baseline.unassigned[0].reason == NO_CAPACITY
        result = plan(needs, pool, ONLY_GROUPS)
        assert placed(result) == {1: 2, 2: 1}
        assert (result.total_score, result.greedy_total) == (30, 20)

    def test_respects_weekly_hours(self):
        needs = [need(i, hours_per_week=Decimal(4)) for i in (1, 2, 3)]
        result = plan(needs, [mentor(1, weekly_hours=Decimal("8.5"))], {})
        assert len(result.assignments) == 2
        assert [u.reason for u in result.unassigned] == [NO_CAPACITY]

    def test_zero_score_matches_are_still_made(self):
        result = plan([need(1), need(2)], [mentor(1)], ZERO)
        assert len(result.assignments) == 2 and result.total_score == 0

    def test_prefers_the_higher_total_over_more_assignments(self):
        needs = [
            need(1, hours_per_week=Decimal(2)),
            need(2, hours_per_week=Decimal(2)),
            need(3, hours_per_week=Decimal(5), target_groups=groups("pain", "adhd", "trauma")),
        ]
        pool = [mentor(1, weekly_hours=Decimal(5), target_groups=groups("pain", "adhd", "trauma"))]
        assert placed(plan(needs, pool, ONLY_GROUPS)) == {3: 1}

    def test_among_equal_totals_assigns_more_referrals(self):
        needs = [
            need(1, hours_per_week=Decimal(6), target_groups=groups("pain", "adhd")),
            need(2, target_groups=groups("pain")),
            need(3, target_groups=groups("pain")),
        ]
        pool = [mentor(1, weekly_hours=Decimal(6), target_groups=groups("pain", "adhd"))]
        assert placed(greedy(needs, pool, ONLY_GROUPS)) == {1: 1}
        assert placed(plan(needs, pool, ONLY_GROUPS)) == {2: 1, 3: 1}

    def test_reasons_for_unassigned(self):
        needs = [need(1), need(2, required_languages=groups("so"))]
        result = plan(needs, [mentor(1, max_caseload=0)], {})
        assert [(u.referral_id, u.reason) for u in result.unassigned] == [
            (1, NO_FEASIBLE),
            (2, NO_FEASIBLE),
        ]
        assert result.total_score == 0 and result.optimal

    def test_empty(self):
        result = plan([], [], {})
        assert (result.assignments, result.unassigned, result.total_score) == ((), (), 0)

    def test_duplicate_ids_are_rejected(self):
        with pytest.raises(ValueError, match="mentor"):
            plan([need(1)], [mentor(1), mentor(1)], {})
        with pytest.raises(ValueError, match="referral"):
            greedy([need(1), need(1)], [mentor(1)], {})

    def test_unknown_weight_is_rejected(self):
        with pytest.raises(ValueError, match="luck"):
            plan([need(1)], [mentor(1)], {"luck": 1})

    def test_hours_with_many_decimals_never_exceed_capacity(self):
        third = Decimal("0.3333333333")
        needs = [need(i, hours_per_week=third) for i in (1, 2, 3, 4)]
        result = plan(needs, [mentor(1, weekly_hours=Decimal(1))], {})
        assert len(result.assignments) == 3
        assert result.total_score >= result.greedy_total


class TestFallbackToGreedy:
    def scarce(self):
        needs = [need(1, target_groups=groups("pain")), need(2)]
        return needs, [mentor(1, max_caseload=1, target_groups=groups("pain"))]

    def test_no_incumbent_returns_greedy_without_a_gap(self, monkeypatch):
        monkeypatch.setattr(plan_module, "solve", lambda *a: Result(None, 0, None, False))
        needs, pool = self.scarce()
        result = plan(needs, pool, ONLY_GROUPS)
        assert result.solver == "greedy" and result.gap is None and not result.optimal
        assert placed(result) == placed(greedy(needs, pool, ONLY_GROUPS))

    def test_worse_incumbent_returns_greedy_with_an_honest_gap(self, monkeypatch):
        # Greedy places referral 1 for 10 points: objective 10 * 3 + 1 = 31.
        monkeypatch.setattr(plan_module, "solve", lambda *a: Result(np.full(2, -1), 0, 62.0, False))
        needs, pool = self.scarce()
        result = plan(needs, pool, ONLY_GROUPS)
        assert result.solver == "greedy" and result.total_score == 10
        assert result.gap == pytest.approx((62 - 31) / 31) and not result.optimal

    def test_greedy_proven_optimal_by_the_bound(self, monkeypatch):
        monkeypatch.setattr(plan_module, "solve", lambda *a: Result(None, 0, 31.0, False))
        needs, pool = self.scarce()
        result = plan(needs, pool, ONLY_GROUPS)
        assert result.solver == "greedy" and result.gap == 0.0 and result.optimal


class TestGreedy:
    def test_takes_referrals_in_id_order(self):
        needs = [need(2, target_groups=groups("pain")), need(1)]
        result = greedy(needs, [mentor(1, max_caseload=1)], ONLY_GROUPS)
        assert placed(result) == {1: 1}
        assert result.solver == "greedy" and result.gap is None and not result.optimal
        assert result.greedy_total == result.total_score
