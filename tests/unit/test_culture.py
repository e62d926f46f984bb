from collections.abc import Mapping

import pytest

from talentmind.culture import (
    ATTENTION_MIN_DIFFERENCE,
    DIMENSION_INFO,
    DIMENSIONS,
    FORCED_DISTRIBUTION,
    ITEM_IDS,
    ITEMS,
    MATCH_MAX_DIFFERENCE,
    CultureProfileError,
    describe,
    dimension_scores,
    is_forced_distribution,
    item_label,
    items_of,
    person_organization_fit,
    validate_profile,
)


def uniform(rating: float) -> dict[str, float]:
    return dict.fromkeys(ITEM_IDS, rating)


def by_dimension(ratings: Mapping[str, float]) -> dict[str, float]:
    """Every item rated as its dimension says."""
    return {item.id: ratings[item.dimension] for item in ITEMS}


def q_sort() -> dict[str, float]:
    """A classic forced Q-sort: the first 2 items in category 9, the next 4 in 8, ... the last 2 in 1."""
    categories = [9 - index for index, count in enumerate(FORCED_DISTRIBUTION) for _ in range(count)]
    return {item_id: float(category) for item_id, category in zip(ITEM_IDS, categories, strict=True)}


def test_there_are_exactly_54_unique_items() -> None:
    assert len(ITEMS) == 54
    assert len(set(ITEM_IDS)) == 54
    assert all(item.id.isidentifier() and item.id == item.id.lower() for item in ITEMS)


def test_every_item_has_one_known_dimension_and_every_dimension_has_items() -> None:
    assert DIMENSIONS == ("innovation", "stability", "people", "results", "detail", "team", "competitiveness")
    assert {item.dimension for item in ITEMS} == set(DIMENSIONS)
    assert sum(len(items_of(dimension)) for dimension in DIMENSIONS) == 54
    assert all(len(items_of(dimension)) >= 3 for dimension in DIMENSIONS)
    with pytest.raises(ValueError):
        items_of("happiness")


def test_every_item_and_dimension_has_russian_and_english_text() -> None:
    assert [dimension.id for dimension in DIMENSION_INFO] == list(DIMENSIONS)
    for dimension in DIMENSION_INFO:
        assert dimension.phrase_en.strip() and dimension.phrase_ru.strip()
        assert any("а" <= ch.lower() <= "я" for ch in dimension.phrase_ru)
    for item in ITEMS:
        assert item.label_en.strip() and item.label_ru.strip()
        assert any("а" <= ch.lower() <= "я" for ch in item.label_ru)
        assert item_label(item.id, "ru") == item.label_ru
        assert item_label(item.id, "en") == item.label_en
    assert len({dimension.phrase_ru for dimension in DIMENSION_INFO}) == len(DIMENSIONS)
    assert len({dimension.phrase_en for dimension in DIMENSION_INFO}) == len(DIMENSIONS)


def test_describe_in_russian_and_english() -> None:
    assert describe(["results", "detail"], "ru") == ["Исполнительская дисциплина", "Аналитический подход"]
    assert describe(["team"], "ru-RU") == ["Командное взаимодействие"]
    assert describe(["team"], "en") == ["Teamwork"]
    assert describe(["team"], "de") == describe(["team"], "en")  # unknown language → English
    assert describe([], "ru") == []
    assert len(describe(list(DIMENSIONS), "ru")) == len(DIMENSIONS)
    with pytest.raises(ValueError, match="happiness"):
        describe(["happiness"], "en")


def test_validation_accepts_a_full_profile_in_item_order() -> None:
    profile = {item_id: 1 + index % 9 for index, item_id in enumerate(reversed(ITEM_IDS))}
    valid = validate_profile(profile)
    assert list(valid) == list(ITEM_IDS)
    assert all(isinstance(value, float) for value in valid.values())
    assert validate_profile(uniform(4.5))["calm"] == 4.5


def test_validation_names_unknown_items() -> None:
    profile = uniform(5) | {"charisma": 5.0, "bravado": 3.0}
    with pytest.raises(CultureProfileError, match="unknown items: bravado, charisma") as error:
        validate_profile(profile)
    assert error.value.unknown == ("bravado", "charisma")
    assert isinstance(error.value, ValueError)


def test_validation_names_missing_items() -> None:
    profile = uniform(5)
    del profile["fairness"], profile["risk_taking"]
    with pytest.raises(CultureProfileError, match="missing items: risk_taking, fairness") as error:
        validate_profile(profile)
    assert error.value.missing == ("risk_taking", "fairness")


@pytest.mark.parametrize("bad", [0, 9.5, -3, float("nan"), float("inf"), True, "7", None])
def test_validation_names_out_of_range_ratings(bad: object) -> None:
    profile: dict[str, object] = dict(uniform(5))
    profile["calm"] = bad
    with pytest.raises(CultureProfileError, match=r"1\.\.9: calm") as error:
        validate_profile(profile)  # type: ignore[arg-type]
    assert error.value.out_of_range == ("calm",)


def test_validation_reports_every_problem_at_once() -> None:
    profile = uniform(5) | {"charisma": 5.0, "tolerance": 10.0}
    del profile["autonomy"]
    with pytest.raises(CultureProfileError) as error:
        validate_profile(profile)
    message = str(error.value)
    assert "charisma" in message and "autonomy" in message and "tolerance" in message


def test_dimension_scores_map_extremes_to_zero_and_one() -> None:
    assert dimension_scores(uniform(1)) == dict.fromkeys(DIMENSIONS, 0.0)
    assert dimension_scores(uniform(9)) == dict.fromkeys(DIMENSIONS, 1.0)
    assert dimension_scores(uniform(5)) == dict.fromkeys(DIMENSIONS, 0.5)
    assert list(dimension_scores(uniform(5))) == list(DIMENSIONS)


def test_dimension_scores_average_the_items_of_each_dimension() -> None:
    profile = uniform(1)
    detail = items_of("detail")
    for item in detail[: len(detail) // 2]:
        profile[item.id] = 9.0
    expected = round((len(detail) // 2) / len(detail), 2)
    assert dimension_scores(profile) == dict.fromkeys(DIMENSIONS, 0.0) | {"detail": expected}
    assert dimension_scores(by_dimension(dict.fromkeys(DIMENSIONS, 3) | {"team": 7}))["team"] == 0.75


def test_identical_profiles_fit_perfectly() -> None:
    profile = q_sort()
    result = person_organization_fit(profile, dict(profile))
    assert result.fit_score == 1.0
    assert result.correlation == pytest.approx(1.0)
    assert result.attention == ()
    assert result.differences == dict.fromkeys(DIMENSIONS, 0.0)


def test_reversed_profile_fits_not_at_all() -> None:
    org = q_sort()
    person = {item_id: 10 - rating for item_id, rating in org.items()}
    result = person_organization_fit(org, person)
    assert result.fit_score == 0.0
    assert result.correlation == pytest.approx(-1.0)


def test_fit_is_the_mapped_correlation() -> None:
    org = q_sort()
    person = dict(org)
    person[ITEM_IDS[0]], person[ITEM_IDS[-1]] = person[ITEM_IDS[-1]], person[ITEM_IDS[0]]  # swap 9 and 1
    result = person_organization_fit(org, person)
    assert result.correlation is not None and -1.0 < result.correlation < 1.0
    assert result.fit_score == pytest.approx((result.correlation + 1) / 2, abs=0.005)
    assert 0.0 < result.fit_score < 1.0


def test_constant_profile_has_neutral_fit() -> None:
    result = person_organization_fit(q_sort(), uniform(5))
    assert result.correlation is None
    assert result.fit_score == 0.5


def test_fit_validates_both_profiles() -> None:
    with pytest.raises(CultureProfileError, match="missing items"):
        person_organization_fit(q_sort(), {"calm": 5.0})


def test_matches_and_attention_pick_the_closest_and_farthest_dimensions() -> None:
    org = by_dimension(
        {"innovation": 5, "stability": 7, "people": 5, "results": 8, "detail": 8, "team": 8, "competitiveness": 3}
    )
    person = by_dimension(
        {"innovation": 6, "stability": 9, "people": 1, "results": 8, "detail": 8, "team": 2, "competitiveness": 4.5}
    )
    result = person_organization_fit(org, person)
    assert result.differences == {
        "innovation": 0.13,  # matches, but only the two closest are named
        "stability": 0.25,  # needs attention, but only the two farthest are named
        "people": 0.5,
        "results": 0.0,
        "detail": 0.0,
        "team": 0.75,
        "competitiveness": 0.19,  # neither
    }
    assert result.matches == ("results", "detail")
    assert result.attention == ("team", "people")
    assert describe(result.matches, "ru") == ["Исполнительская дисциплина", "Аналитический подход"]
    assert describe(result.attention, "ru") == ["Командное взаимодействие", "Уважение к людям"]


def test_thresholds_decide_what_is_named() -> None:
    org = by_dimension(dict.fromkeys(DIMENSIONS, 5))
    # Differences: 0.13 and 0.25 sit on the right side of the thresholds; 0.19 is neither.
    person = by_dimension(dict.fromkeys(DIMENSIONS, 6.5) | {"people": 6, "team": 7})
    result = person_organization_fit(org, person)
    assert result.differences["people"] <= MATCH_MAX_DIFFERENCE
    assert result.differences["team"] >= ATTENTION_MIN_DIFFERENCE
    assert result.matches == ("people",)
    assert result.attention == ("team",)

    far = by_dimension(dict.fromkeys(DIMENSIONS, 9))
    result = person_organization_fit(org, far)
    assert result.matches == ()
    assert result.attention == ("innovation", "stability")  # ties keep the contract order


def test_forced_distribution() -> None:
    assert sum(FORCED_DISTRIBUTION) == 54
    assert is_forced_distribution(q_sort())
    assert not is_forced_distribution(uniform(5))
    shifted = q_sort()
    shifted[ITEM_IDS[0]] = 8.0  # three items in category 8, one in 9
    assert not is_forced_distribution(shifted)
    fractional = q_sort()
    fractional[ITEM_IDS[-1]] = 1.5
    assert not is_forced_distribution(fractional)
    with pytest.raises(CultureProfileError):
        is_forced_distribution({"calm": 5.0})
