"""Substitutes for an absent mentor's citizens."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from matching.cover import NO_CAPACITY, NO_SUBSTITUTE, cover_plan
from tests.matching.factories import START, mentor, need

PERIOD = (date(2026, 7, 1), date(2026, 7, 21))


def chosen(result) -> dict[int, int | None]:
    return {c.referral_id: c.substitute_id for c in result}


class TestCoverPlan:
    def test_never_the_absent_mentor(self):
        result = cover_plan(1, PERIOD, [need(1)], [mentor(1), mentor(2)], {})
        assert chosen(result) == {1: 2}
        assert result[0].reason == "Afløser i perioden 01.07.2026–21.07.2026"

    @pytest.mark.parametrize("day", [PERIOD[0], date(2026, 7, 10), PERIOD[1]])
    def test_skips_mentors_absent_on_any_day_of_the_period(self, day):
        pool = [mentor(2, absences=((day, day),)), mentor(3)]
        assert chosen(cover_plan(1, PERIOD, [need(1)], pool, {})) == {1: 3}

    def test_absence_before_the_period_does_not_matter(self):
        before = PERIOD[0] - timedelta(days=1)
        pool = [mentor(2, absences=((START, before),))]
        assert chosen(cover_plan(1, PERIOD, [need(1)], pool, {})) == {1: 2}

    def test_counts_substitutes_already_given(self):
        needs = [need(1), need(2), need(3)]
        pool = [mentor(2, max_caseload=1), mentor(3, max_caseload=3, weekly_hours=Decimal(3))]
        result = cover_plan(1, PERIOD, needs, pool, {})
        assert chosen(result) == {1: 2, 2: 3, 3: None}
        assert result[2].reason == NO_CAPACITY
        assert (result[2].score, result[2].breakdown) == (0, ())

    def test_balance_spreads_the_load(self):
        pool = [mentor(2), mentor(3)]
        result = cover_plan(1, PERIOD, [need(1), need(2)], pool, {})
        assert chosen(result) == {1: 2, 2: 3}

    def test_nobody_qualifies(self):
        wanted = need(1, required_languages=frozenset({"so"}))
        result = cover_plan(1, PERIOD, [wanted], [mentor(2)], {})
        assert chosen(result) == {1: None}
        assert result[0].reason == NO_SUBSTITUTE

    def test_respects_exclusions_and_scores_continuity(self):
        wanted = need(1, excluded_mentor_ids=frozenset({2}), previous_mentor_ids=frozenset({1, 4}))
        pool = [mentor(2), mentor(3), mentor(4)]
        [suggestion] = cover_plan(1, PERIOD, [wanted], pool, {})
        assert suggestion.substitute_id == 4
        assert "continuity" in {c.criterion for c in suggestion.breakdown}
        assert suggestion.score == sum(c.points for c in suggestion.breakdown)

    def test_referral_order_and_mentor_order_do_not_matter(self):
        needs = [need(i, hours_per_week=Decimal(i)) for i in (3, 1, 2)]
        pool = [mentor(i, max_caseload=2, weekly_hours=Decimal(5)) for i in (5, 2, 4)]
        first = cover_plan(1, PERIOD, needs, pool, {})
        assert [c.referral_id for c in first] == [1, 2, 3]
        assert cover_plan(1, PERIOD, needs[::-1], pool[::-1], {}) == first

    def test_period_must_not_end_before_it_starts(self):
        with pytest.raises(ValueError, match="period"):
            cover_plan(1, (PERIOD[1], PERIOD[0]), [need(1)], [mentor(2)], {})
