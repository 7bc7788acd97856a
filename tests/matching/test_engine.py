"""Hard constraints, criteria and ranking for one referral."""

from datetime import timedelta
from decimal import Decimal

import pytest

from matching.engine import evaluate, hard_violations, suggest
from matching.model import Criterion, Suggestion, Violation
from matching.weights import DEFAULT_WEIGHTS
from tests.matching.factories import NO_BALANCE, START, mentor, need

ONLY = dict.fromkeys(DEFAULT_WEIGHTS, 0)


def only(key: str, weight: int) -> dict[str, int]:
    return {**ONLY, key: weight}


class TestHardViolations:
    def test_fit_mentor_has_none(self):
        assert hard_violations(need(), mentor()) == ()

    def test_inactive(self):
        assert hard_violations(need(), mentor(active=False)) == ("Mentoren er inaktiv",)

    @pytest.mark.parametrize("offset", [0, -2])
    def test_absent_on_start_date(self, offset):
        day = START + timedelta(days=offset)
        found = hard_violations(need(), mentor(absences=((day, day + timedelta(days=2)),)))
        assert found == ("Fravær på startdatoen",)

    @pytest.mark.parametrize("days", [(-5, -1), (1, 9)])
    def test_absence_around_start_date_is_fine(self, days):
        first, last = (START + timedelta(days=d) for d in days)
        assert hard_violations(need(), mentor(absences=((first, last),))) == ()

    def test_caseload_full(self):
        found = hard_violations(need(), mentor(max_caseload=4, caseload=4))
        assert found == ("Maksimalt antal borgere er nået",)

    def test_last_free_place_is_fine(self):
        assert hard_violations(need(), mentor(max_caseload=4, caseload=3)) == ()

    def test_hours_exceeded(self):
        busy = mentor(weekly_hours=Decimal(10), hours_in_use=Decimal("7.5"))
        assert hard_violations(need(), busy) == ("Ugentlige timer vil blive overskredet",)

    def test_hours_exactly_used_up_is_fine(self):
        busy = mentor(weekly_hours=Decimal(10), hours_in_use=Decimal(7))
        assert hard_violations(need(), busy) == ()

    def test_missing_language_is_named_in_danish(self):
        wanted = need(required_languages=frozenset({"da", "ar"}))
        assert hard_violations(wanted, mentor()) == ("Taler ikke: arabisk",)

    def test_several_missing_languages_and_unknown_codes(self):
        wanted = need(required_languages=frozenset({"ku", "tr", "xx"}))
        assert hard_violations(wanted, mentor()) == ("Taler ikke: kurdisk, tyrkisk og xx",)

    def test_excluded(self):
        found = hard_violations(need(excluded_mentor_ids=frozenset({1})), mentor(1))
        assert found == ("Borgeren må ikke have denne mentor",)

    def test_all_reasons_together(self):
        worst = mentor(
            active=False,
            absences=((START, START),),
            caseload=10,
            hours_in_use=Decimal(20),
            languages=frozenset(),
        )
        wanted = need(required_languages=frozenset({"da"}), excluded_mentor_ids=frozenset({1}))
        assert len(hard_violations(wanted, worst)) == 6


class TestCriteria:
    def breakdown(self, wanted, candidate, weights):
        result = evaluate(wanted, candidate, weights)
        assert isinstance(result, Suggestion)
        assert result.score == sum(c.points for c in result.breakdown)
        return result.breakdown

    def test_target_groups_per_matching_group(self):
        wanted = need(target_groups=frozenset({"social_anxiety", "adhd", "pain"}))
        candidate = mentor(target_groups=frozenset({"social_anxiety", "adhd", "psychosis"}))
        found = self.breakdown(wanted, candidate, only("target_groups", 10))
        assert found == (Criterion("target_groups", 20, "Erfaring med ADHD og social angst"),)

    def test_single_target_group_explanation(self):
        wanted = need(target_groups=frozenset({"social_anxiety"}))
        candidate = mentor(target_groups=frozenset({"social_anxiety"}))
        [found] = self.breakdown(wanted, candidate, only("target_groups", 10))
        assert found.explanation == "Erfaring med social angst"

    def test_focus_roles_per_matching_role(self):
        wanted = need(focus_roles=frozenset({"system_guide", "motivation"}))
        candidate = mentor(roles=frozenset({"system_guide"}))
        found = self.breakdown(wanted, candidate, only("focus_roles", 4))
        assert found == (Criterion("focus_roles", 4, "Rolle: systemguide"),)

    def test_two_roles_explanation(self):
        wanted = need(focus_roles=frozenset({"system_guide", "personal_support"}))
        candidate = mentor(roles=frozenset({"system_guide", "personal_support"}))
        [found] = self.breakdown(wanted, candidate, only("focus_roles", 4))
        assert found.points == 8
        assert found.explanation == "Roller: personlig vejleder og støtte og systemguide"

    def test_background_per_relevant_area(self):
        wanted = need(target_groups=frozenset({"psychosis"}))
        candidate = mentor(background_areas=frozenset({"psychiatry", "health", "business"}))
        found = self.breakdown(wanted, candidate, only("background", 3))
        assert found == (Criterion("background", 3, "Baggrund: psykiatri"),)

    def test_background_without_target_groups_scores_nothing(self):
        candidate = mentor(background_areas=frozenset({"psychiatry"}))
        assert self.breakdown(need(), candidate, only("background", 3)) == ()

    def test_gender(self):
        wanted = need(preferred_gender="female")
        found = self.breakdown(wanted, mentor(gender="female"), only("gender", 5))
        assert found == (Criterion("gender", 5, "Foretrukket køn"),)
        assert self.breakdown(wanted, mentor(gender="male"), only("gender", 5)) == ()

    def test_no_gender_preference_scores_nothing(self):
        assert self.breakdown(need(), mentor(gender="female"), only("gender", 5)) == ()

    def test_district_ignores_case_and_spacing(self):
        wanted = need(district="Aarhus  C")
        found = self.breakdown(wanted, mentor(district="aarhus c"), only("district", 6))
        assert found == (Criterion("district", 6, "Samme distrikt"),)
        assert self.breakdown(wanted, mentor(district="Viby J"), only("district", 6)) == ()

    def test_unknown_districts_never_match(self):
        assert self.breakdown(need(), mentor(), only("district", 6)) == ()

    def test_continuity(self):
        wanted = need(previous_mentor_ids=frozenset({1}))
        found = self.breakdown(wanted, mentor(1), only("continuity", 8))
        assert found == (Criterion("continuity", 8, "Har været borgerens mentor før"),)
        assert self.breakdown(wanted, mentor(2), only("continuity", 8)) == ()

    def test_balance_full_capacity_gives_full_weight(self):
        found = self.breakdown(need(), mentor(), only("balance", 5))
        assert found == (Criterion("balance", 5, "Ledig kapacitet 20 t/uge og 10 pladser"),)

    def test_balance_uses_the_scarcer_of_hours_and_places(self):
        candidate = mentor(
            weekly_hours=Decimal(20),
            hours_in_use=Decimal("7.5"),
            max_caseload=10,
            caseload=8,
        )
        found = self.breakdown(need(), candidate, only("balance", 5))
        assert found == (Criterion("balance", 1, "Ledig kapacitet 12,5 t/uge og 2 pladser"),)

    def test_balance_rounds_half_up(self):
        candidate = mentor(max_caseload=10, caseload=7)
        [found] = self.breakdown(need(), candidate, only("balance", 5))
        assert found.points == 2  # 5 * 0.3 = 1.5

    def test_zero_weights_give_an_empty_breakdown(self):
        rich = mentor(1, gender="female", target_groups=frozenset({"pain"}))
        wanted = need(preferred_gender="female", target_groups=frozenset({"pain"}))
        assert evaluate(wanted, rich, ONLY) == Suggestion(1, 0, ())

    def test_breakdown_follows_criteria_order(self):
        rich = mentor(
            1,
            gender="female",
            district="Viby J",
            target_groups=frozenset({"pain"}),
            roles=frozenset({"motivation"}),
            background_areas=frozenset({"health"}),
        )
        wanted = need(
            preferred_gender="female",
            district="Viby J",
            target_groups=frozenset({"pain"}),
            focus_roles=frozenset({"motivation"}),
            previous_mentor_ids=frozenset({1}),
        )
        result = evaluate(wanted, rich, DEFAULT_WEIGHTS)
        assert [c.criterion for c in result.breakdown] == list(DEFAULT_WEIGHTS)
        assert result.score == 10 + 4 + 3 + 5 + 6 + 8 + 5


class TestEvaluate:
    def test_violation_carries_all_reasons(self):
        result = evaluate(need(), mentor(7, active=False, caseload=10), DEFAULT_WEIGHTS)
        assert result == Violation(7, ("Mentoren er inaktiv", "Maksimalt antal borgere er nået"))

    def test_validates_weights(self):
        with pytest.raises(ValueError, match="speed"):
            evaluate(need(), mentor(), {"speed": 1})


class TestSuggest:
    def test_ranks_best_first_and_skips_violations(self):
        wanted = need(target_groups=frozenset({"pain"}))
        pool = [
            mentor(1),
            mentor(2, target_groups=frozenset({"pain"})),
            mentor(3, target_groups=frozenset({"pain"}), active=False),
        ]
        assert [s.mentor_id for s in suggest(wanted, pool, NO_BALANCE)] == [2, 1]

    def test_ties_go_to_the_lower_mentor_id(self):
        pool = [mentor(9), mentor(4), mentor(6)]
        assert [s.mentor_id for s in suggest(need(), pool, DEFAULT_WEIGHTS)] == [4, 6, 9]

    def test_limit(self):
        pool = [mentor(i) for i in range(1, 10)]
        assert len(suggest(need(), pool, DEFAULT_WEIGHTS)) == 5
        assert len(suggest(need(), pool, DEFAULT_WEIGHTS, limit=2)) == 2
        assert suggest(need(), pool, DEFAULT_WEIGHTS, limit=0) == []

    def test_nobody_fits(self):
        assert suggest(need(), [mentor(active=False)], DEFAULT_WEIGHTS) == []
