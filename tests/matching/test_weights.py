"""Weights: defaults, labels, validation and the background-fit table."""

import pytest

from matching.labels import BACKGROUND_AREAS, TARGET_GROUPS
from matching.weights import (
    BACKGROUND_FIT,
    CRITERIA,
    CRITERION_LABELS,
    DEFAULT_WEIGHTS,
    relevant_backgrounds,
    validate_weights,
)


class TestDefaults:
    def test_criteria_are_ordered_and_all_weighted_and_labelled(self):
        assert CRITERIA == (
            "target_groups",
            "focus_roles",
            "background",
            "gender",
            "district",
            "continuity",
            "balance",
        )
        assert set(DEFAULT_WEIGHTS) == set(CRITERIA) == set(CRITERION_LABELS)

    def test_defaults_are_valid(self):
        assert validate_weights(DEFAULT_WEIGHTS) == DEFAULT_WEIGHTS


class TestValidateWeights:
    def test_partial_weights_are_filled_from_defaults(self):
        result = validate_weights({"district": 0})
        assert result == {**DEFAULT_WEIGHTS, "district": 0}

    def test_does_not_change_the_defaults(self):
        validate_weights({"gender": 99})
        assert DEFAULT_WEIGHTS["gender"] == 5

    def test_bounds_are_inclusive(self):
        assert validate_weights({"gender": 0, "district": 100})["district"] == 100

    def test_unknown_key_is_named(self):
        with pytest.raises(ValueError, match="age"):
            validate_weights({"age": 3})

    @pytest.mark.parametrize("value", [-1, 101, 2.5, "5", True, None])
    def test_rejects_values_that_are_not_ints_0_to_100(self, value):
        with pytest.raises(ValueError, match="gender"):
            validate_weights({"gender": value})


class TestBackgroundFit:
    def test_every_target_group_maps_to_known_background_areas(self):
        assert set(BACKGROUND_FIT) == set(TARGET_GROUPS)
        for areas in BACKGROUND_FIT.values():
            assert areas and areas <= set(BACKGROUND_AREAS)

    @pytest.mark.parametrize(
        ("group", "area"),
        [
            ("substance_abuse", "substance_abuse"),
            ("psychosis", "psychiatry"),
            ("personality_disorder", "social_psychiatry"),
            ("autism", "disability"),
            ("cognitive_disability", "special_school"),
            ("youth_without_education", "education"),
            ("pain", "health"),
            ("physical_illness", "health"),
        ],
    )
    def test_named_fits(self, group, area):
        assert area in BACKGROUND_FIT[group]

    def test_relevant_backgrounds_is_the_union(self):
        assert relevant_backgrounds(frozenset({"pain", "autism"})) == {
            "health",
            "disability",
            "special_school",
        }
        assert relevant_backgrounds(frozenset()) == frozenset()
