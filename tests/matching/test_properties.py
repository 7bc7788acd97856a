"""Properties on random small instances where capacities bind."""

from collections import Counter
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.cover import cover_plan
from matching.engine import evaluate, hard_violations, suggest
from matching.model import Suggestion
from matching.plan import NO_FEASIBLE, greedy, plan
from tests.matching.factories import START, instances

FAST = settings(max_examples=150, deadline=None)


def feasible_scores(needs, mentors, weights) -> list[list[tuple[int, int]]]:
    """Per need (by id), its feasible (mentor index, score) pairs."""
    table = []
    for need in sorted(needs, key=lambda n: n.id):
        found = [(j, evaluate(need, m, weights)) for j, m in enumerate(mentors)]
        table.append([(j, s.score) for j, s in found if isinstance(s, Suggestion)])
    return table


def brute_force(needs, mentors, weights) -> tuple[int, int]:
    """Best (total score, assignments) over every assignment, unassigned included."""
    table = feasible_scores(needs, mentors, weights)
    ordered = sorted(needs, key=lambda n: n.id)
    slots = [m.max_caseload - m.caseload for m in mentors]
    free = [m.weekly_hours - m.hours_in_use for m in mentors]

    def best(i: int) -> tuple[int, int]:
        if i == len(ordered):
            return (0, 0)
        result = best(i + 1)
        for j, score in table[i]:
            if slots[j] > 0 and ordered[i].hours_per_week <= free[j]:
                slots[j] -= 1
                free[j] -= ordered[i].hours_per_week
                total, count = best(i + 1)
                result = max(result, (total + score, count + 1))
                slots[j] += 1
                free[j] += ordered[i].hours_per_week
        return result

    return best(0)


def assert_within_constraints(result, needs, mentors) -> None:
    by_need = {n.id: n for n in needs}
    by_mentor = {m.id: m for m in mentors}
    ids = [a.referral_id for a in result.assignments] + [u.referral_id for u in result.unassigned]
    assert sorted(ids) == sorted(by_need)
    hours: Counter = Counter()
    for a in result.assignments:
        mentor = by_mentor[a.mentor_id]
        assert hard_violations(by_need[a.referral_id], mentor) == ()
        suggestion = evaluate(by_need[a.referral_id], mentor, {})
        assert isinstance(suggestion, Suggestion) and suggestion.score >= 0
        hours[a.mentor_id] += by_need[a.referral_id].hours_per_week
    counts = Counter(a.mentor_id for a in result.assignments)
    for mentor_id, count in counts.items():
        mentor = by_mentor[mentor_id]
        assert mentor.caseload + count <= mentor.max_caseload
        assert mentor.hours_in_use + hours[mentor_id] <= mentor.weekly_hours
    assert result.total_score == sum(a.score for a in result.assignments)


class TestSuggestProperties:
    @FAST
    @given(instances())
    def test_suggestions_are_feasible_ranked_and_add_up(self, instance):
        needs, mentors, weights = instance
        for need in needs:
            found = suggest(need, mentors, weights, limit=10)
            by_id = {m.id: m for m in mentors}
            for suggestion in found:
                assert hard_violations(need, by_id[suggestion.mentor_id]) == ()
                assert suggestion.score == sum(c.points for c in suggestion.breakdown)
                assert all(c.points > 0 and c.explanation for c in suggestion.breakdown)
            keys = [(-s.score, s.mentor_id) for s in found]
            assert keys == sorted(keys)
            feasible = [m for m in mentors if not hard_violations(need, m)]
            assert len(found) == len(feasible)


class TestPlanProperties:
    @FAST
    @given(instances())
    def test_plan_is_feasible_optimal_and_explains_the_unassigned(self, instance):
        needs, mentors, weights = instance
        result = plan(needs, mentors, weights)
        assert_within_constraints(result, needs, mentors)
        assert (result.total_score, len(result.assignments)) == brute_force(needs, mentors, weights)
        assert result.optimal and result.gap == 0.0
        by_need = {n.id: n for n in needs}
        for item in result.unassigned:
            nobody = all(hard_violations(by_need[item.referral_id], m) for m in mentors)
            assert (item.reason == NO_FEASIBLE) == nobody

    @FAST
    @given(instances())
    def test_plan_is_never_below_greedy(self, instance):
        needs, mentors, weights = instance
        baseline = greedy(needs, mentors, weights)
        assert_within_constraints(baseline, needs, mentors)
        result = plan(needs, mentors, weights)
        assert result.greedy_total == baseline.total_score
        assert result.total_score >= baseline.total_score

    @FAST
    @given(instances(), st.randoms(use_true_random=False))
    def test_deterministic_whatever_the_input_order(self, instance, rnd):
        needs, mentors, weights = instance
        first = plan(needs, mentors, weights)
        assert plan(needs, mentors, weights) == first
        shuffled_needs, shuffled_mentors = list(needs), list(mentors)
        rnd.shuffle(shuffled_needs)
        rnd.shuffle(shuffled_mentors)
        assert plan(shuffled_needs, shuffled_mentors, weights) == first
        assert greedy(shuffled_needs, shuffled_mentors, weights) == greedy(needs, mentors, weights)
        for need in needs:
            assert suggest(need, shuffled_mentors, weights) == suggest(need, mentors, weights)


class TestCoverProperties:
    @FAST
    @given(instances(), st.integers(0, 6), st.integers(0, 4))
    def test_substitutes_are_present_feasible_and_within_capacity(self, instance, shift, length):
        needs, mentors, weights = instance
        absent_id = mentors[0].id
        period = (START + timedelta(days=shift), START + timedelta(days=shift + length))
        result = cover_plan(absent_id, period, needs, mentors, weights)
        assert [c.referral_id for c in result] == sorted(n.id for n in needs)
        by_mentor = {m.id: m for m in mentors}
        by_need = {n.id: n for n in needs}
        taken: Counter = Counter()
        hours: Counter = Counter()
        for item in result:
            assert item.score == sum(c.points for c in item.breakdown)
            if item.substitute_id is None:
                continue
            mentor = by_mentor[item.substitute_id]
            assert mentor.id != absent_id
            for first, last in mentor.absences:
                assert last < period[0] or first > period[1]
            covered = by_need[item.referral_id]
            assert mentor.active and mentor.id not in covered.excluded_mentor_ids
            assert covered.required_languages <= mentor.languages
            taken[mentor.id] += 1
            hours[mentor.id] += by_need[item.referral_id].hours_per_week
        for mentor_id, count in taken.items():
            mentor = by_mentor[mentor_id]
            assert mentor.caseload + count <= mentor.max_caseload
            assert mentor.hours_in_use + hours[mentor_id] <= mentor.weekly_hours
