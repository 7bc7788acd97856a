"""Scoring many pairs at once gives exactly what `score_pair` gives pair by pair."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.encode import mentor_table
from matching.engine import rank, score_pair, suggest
from matching.model import Suggestion
from matching.vector import pair_matrices
from matching.weights import validate_weights
from tests.matching.factories import instances, mentor, need

ODD_HOURS = st.sampled_from([Decimal("0.3333333"), Decimal("1.1"), Decimal("2.25"), Decimal(3)])


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=5, max_mentors=6))
def test_matrices_equal_pair_by_pair_scoring(instance):
    needs, mentors, weights = instance
    valid = validate_weights(weights)
    feasible, score = pair_matrices(needs, mentor_table(mentors, valid["balance"]), valid)
    for i, wanted in enumerate(needs):
        for j, candidate in enumerate(mentors):
            found = score_pair(wanted, candidate, valid)
            assert feasible[i, j] == isinstance(found, Suggestion)
            if isinstance(found, Suggestion):
                assert score[i, j] == found.score


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=3, max_mentors=6), st.integers(0, 8))
def test_suggest_equals_ranking_every_pair(instance, limit):
    needs, mentors, weights = instance
    valid = validate_weights(weights)
    for wanted in needs:
        found = (score_pair(wanted, m, valid) for m in mentors)
        expected = rank(s for s in found if isinstance(s, Suggestion))[:limit]
        assert suggest(wanted, mentors, weights, limit) == expected


@settings(max_examples=100, deadline=None)
@given(ODD_HOURS, ODD_HOURS, ODD_HOURS, st.integers(0, 7), st.integers(1, 9))
def test_hours_and_balance_at_the_edges(weekly, used, asked, balance, top):
    pool = [
        mentor(1, weekly_hours=weekly + used, hours_in_use=used, max_caseload=top),
        mentor(2, weekly_hours=weekly, hours_in_use=used, max_caseload=top, caseload=top // 2),
        mentor(3, weekly_hours=asked, target_groups=frozenset({"xx", "pain"})),
    ]
    wanted = need(hours_per_week=asked, target_groups=frozenset({"xx"}), district="  ")
    weights = {"balance": balance}
    found = (score_pair(wanted, m, validate_weights(weights)) for m in pool)
    expected = rank(s for s in found if isinstance(s, Suggestion))
    assert suggest(wanted, pool, weights, limit=5) == expected
