from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from talentmind.culture import (
    ATTENTION_MIN_DIFFERENCE,
    DIMENSION_INFO,
    DIMENSIONS,
    FORCED_DISTRIBUTION,
    ITEM_IDS,
    ITEMS,
    MATCH_MAX_DIFFERENCE,
    ProfileError,
    aggregate,
    describe,
    dimension_scores,
    forced_sort,
    is_forced_distribution,
    item_label,
    items_of,
    parse_profile,
    person_organization_fit,
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
        assert item.text_en.strip() and item.text_ru.strip()
        assert any("а" <= ch.lower() <= "я" for ch in item.text_ru)
        assert item_label(item.id, "ru") == item.text_ru == item.text("ru-RU")
        assert item_label(item.id, "en") == item.text_en == item.text("de")
        # cues for inference in both languages
        assert any(any("а" <= ch.lower() <= "я" for ch in cue) for cue in item.cues)
        assert any(cue.isascii() for cue in item.cues)
    assert len({item.text_en for item in ITEMS}) == len({item.text_ru for item in ITEMS}) == 54
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


def problems_of(items: Mapping[str, object], **kw: Any) -> list[dict[str, str]]:
    with pytest.raises(ProfileError) as error:
        parse_profile(items, **kw)
    assert isinstance(error.value, ValueError)
    return error.value.problems


def test_a_rating_is_mapped_onto_the_qsort_scale_in_item_order() -> None:
    profile = {item_id: 1 + index % 5 for index, item_id in enumerate(reversed(ITEM_IDS))}
    parsed = parse_profile(profile, mode="rating", scale=[1, 5])
    assert parsed.mode == "rating" and list(parsed.ratings) == list(ITEM_IDS)
    assert {parsed.ratings[i] for i in ITEM_IDS} == {1.0, 3.0, 5.0, 7.0, 9.0}
    assert parse_profile(uniform(0), mode="rating", scale=[0, 10]).ratings["calm"] == 1.0
    assert parse_profile(uniform(7.5), mode="rating", scale=[5, 10]).ratings["calm"] == 5.0
    # without a mode: a rating on [1, 9], fractions allowed (the first version of the API)
    assert parse_profile(uniform(4.5)).ratings["calm"] == 4.5


def test_a_qsort_is_kept_as_it_is() -> None:
    parsed = parse_profile(q_sort(), mode="qsort")
    assert parsed.mode == "qsort" and parsed.ratings == q_sort()
    assert is_forced_distribution(parsed.ratings)


def test_validation_names_unknown_and_missing_items() -> None:
    profile = uniform(5) | {"charisma": 5.0, "bravado": 3.0}
    del profile["fairness"], profile["risk_taking"]
    problems = problems_of(profile)
    assert {"field": "items", "message": "unknown items: bravado, charisma (GET /v1/culture/items)"} in problems
    assert {"field": "items", "message": "missing items (2 of 54): risk_taking, fairness"} in problems


@pytest.mark.parametrize("bad", [0, 9.5, -3, float("nan"), float("inf"), True, "7", None])
def test_validation_names_out_of_range_ratings(bad: object) -> None:
    profile: dict[str, object] = dict(uniform(5))
    profile["calm"] = bad
    assert problems_of(profile) == [{"field": "items.calm", "message": "must be a number from 1 to 9"}]
    assert problems_of(dict(profile), mode="rating", scale=[1, 5]) == [
        {"field": "items.calm", "message": "must be a number from 1 to 5"}
    ]


@pytest.mark.parametrize("scale", [None, [5, 1], [3, 3], [1], [1, 2, 3], [0, 1000], ["1", "5"], [1, float("inf")]])
def test_a_rating_needs_a_sensible_scale(scale: object) -> None:
    problems = problems_of(uniform(3), mode="rating", scale=scale)
    assert [p["field"] for p in problems] == ["scale"]


def test_a_qsort_must_follow_the_forced_distribution() -> None:
    shifted = q_sort()
    shifted[ITEM_IDS[0]] = 8.0  # one item in category 9 instead of 2, five in 8 instead of 4
    assert problems_of(shifted, mode="qsort") == [
        {"field": "items", "message": "category 9 holds 1 items, the Q-sort takes 2"},
        {"field": "items", "message": "category 8 holds 5 items, the Q-sort takes 4"},
    ]
    assert next(p["message"] for p in problems_of(uniform(5), mode="qsort")) == (
        "category 9 holds 0 items, the Q-sort takes 2"
    )
    fractional = q_sort()
    fractional[ITEM_IDS[-1]] = 1.5
    assert problems_of(fractional, mode="qsort") == [
        {"field": f"items.{ITEM_IDS[-1]}", "message": "must be a whole category from 1 to 9"}
    ]
    assert [p["field"] for p in problems_of(q_sort(), mode="qsort", scale=[1, 9])] == ["scale"]
    assert [p["field"] for p in problems_of(q_sort(), mode="ranking")] == ["mode"]


def test_validation_reports_every_problem_at_once() -> None:
    profile = uniform(5) | {"charisma": 5.0, "tolerance": 10.0}
    del profile["autonomy"]
    with pytest.raises(ProfileError) as error:
        parse_profile(profile)
    message = str(error.value)
    assert "charisma" in message and "autonomy" in message and "tolerance" in message
    assert len(error.value.problems) == 3


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
    assert not is_forced_distribution({"calm": 5.0})


def test_identical_profiles_fit_one_and_reversed_zero_in_either_mode() -> None:
    ratings = parse_profile({i: 1 + k % 5 for k, i in enumerate(ITEM_IDS)}, mode="rating", scale=[1, 5]).ratings
    assert person_organization_fit(ratings, ratings).fit_score == 1.0
    reversed_ = {i: 10 - v for i, v in ratings.items()}
    assert person_organization_fit(ratings, reversed_).fit_score == 0.0
    # the correlation does not see the scale: the same answers on [1, 5] and on [0, 100] fit perfectly
    on_100 = parse_profile({i: (k % 5) * 25 for k, i in enumerate(ITEM_IDS)}, mode="rating", scale=[0, 100])
    assert person_organization_fit(ratings, on_100.ratings).fit_score == 1.0


def test_a_forced_sort_deals_items_into_the_distribution_by_value() -> None:
    values = {i: float(k) for k, i in enumerate(ITEM_IDS)}  # the last items highest
    sorted_ = forced_sort(values)
    assert is_forced_distribution(sorted_)
    assert sorted_[ITEM_IDS[-1]] == sorted_[ITEM_IDS[-2]] == 9.0 and sorted_[ITEM_IDS[0]] == 1.0
    assert is_forced_distribution(forced_sort(dict.fromkeys(ITEM_IDS, 0.0)))  # ties keep the catalogue order
    assert forced_sort(dict.fromkeys(ITEM_IDS, 0.0)) == {
        i: float(c) for i, c in zip(ITEM_IDS, sorted(q_sort().values(), reverse=True), strict=True)
    }


def test_survey_answers_aggregate_into_means_and_spreads() -> None:
    first, second = q_sort(), {i: 10 - v for i, v in q_sort().items()}
    company = aggregate([first, second, first])
    assert company.respondents == 3
    top = ITEM_IDS[0]  # 9, 1, 9
    assert company.ratings[top] == pytest.approx(19 / 3, abs=0.005)
    assert company.spread[top] == pytest.approx(float(np.std([9, 1, 9], ddof=1)), abs=0.005)
    middle = ITEM_IDS[27]  # category 5 in both
    assert company.ratings[middle] == 5.0 and company.spread[middle] == 0.0
    one = aggregate([first])
    assert one.ratings == first and one.spread == dict.fromkeys(ITEM_IDS, 0.0)
    assert one.agreement.level == "unknown" and one.agreement.shared_culture is None
    with pytest.raises(ValueError):
        aggregate([])


def noisy_sorts(n: int, noise: float, seed: int) -> list[dict[str, float]]:
    """``n`` respondents who share one view of the company, each with their own noise, as Q-sorts."""
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal(len(ITEM_IDS))
    return [
        forced_sort(dict(zip(ITEM_IDS, (shared + noise * rng.standard_normal(len(ITEM_IDS))).tolist(), strict=True)))
        for _ in range(n)
    ]


def test_agreement_is_the_mean_correlation_between_respondents() -> None:
    sorts = noisy_sorts(6, 0.5, seed=1)
    found = aggregate(sorts).agreement
    pairs = [np.corrcoef([a[i] for i in ITEM_IDS], [b[i] for i in ITEM_IDS])[0, 1] for k, a in enumerate(sorts)
             for b in sorts[k + 1 :]]  # fmt: skip
    assert found.mean_r == pytest.approx(float(np.mean(pairs)), abs=0.005)
    assert found.compared == 6
    assert found.reliability == pytest.approx(6 * found.mean_r / (1 + 5 * found.mean_r), abs=0.01)
    assert found.level == "strong" and found.shared_culture is True


def test_people_who_disagree_have_no_single_culture_and_are_told_so() -> None:
    rng = np.random.default_rng(2)
    strangers = [forced_sort(dict(zip(ITEM_IDS, rng.standard_normal(54).tolist(), strict=True))) for _ in range(8)]
    found = aggregate(strangers).agreement
    assert found.mean_r is not None and abs(found.mean_r) < 0.1
    assert found.level == "none" and found.shared_culture is False
    assert "no single culture" in found.summary("en")
    assert "единой культуры" in found.summary("ru")
    # constant ratings (everything a 5) say nothing about which items matter: left out of the comparison
    with_constant = aggregate([*noisy_sorts(3, 0.5, seed=3), uniform(5)]).agreement
    assert with_constant.compared == 3
    levels = {aggregate(noisy_sorts(6, noise, seed=4)).agreement.level for noise in (0.3, 1.2, 2.5, 10.0)}
    assert {"strong", "none"} <= levels
    for level in ("unknown", "strong", "moderate", "weak", "none"):
        agreement = culture_agreement(level)
        assert agreement.summary("en") != agreement.summary("ru")


def culture_agreement(level: str) -> Any:
    from talentmind.culture import Agreement

    return Agreement(compared=2, mean_r=0.0, reliability=0.0, level=level)


def test_docs_list_every_item_in_both_languages() -> None:
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "culture.md").read_text()
    for item in ITEMS:
        assert f"| `{item.id}` | {item.dimension}" in doc and item.text_en in doc and item.text_ru in doc, item.id
    for dimension in DIMENSION_INFO:
        assert f"| `{dimension.id}` | {dimension.phrase_en} | {dimension.phrase_ru} |" in doc
