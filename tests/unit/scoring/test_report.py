import math

import pytest

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.red_flags import RED_FLAG_KINDS, RedFlag, RedFlagKind
from talentmind.scoring.report import (
    BLOCKING_FLAGS,
    MAX_RISKS,
    MAX_STRENGTHS,
    MIN_CONFIDENCE,
    NOT_RECOMMENDED_BELOW,
    RECOMMENDED_MIN_COMPATIBILITY,
    RED_FLAG_PHRASES,
    RISK_MAX_SCORE,
    RISK_PHRASES,
    STRENGTH_MIN_SCORE,
    STRENGTH_PHRASES,
    Report,
    build_report,
    recommend,
    risk_phrase,
    strength_phrase,
)

SURE = dict.fromkeys(COMPETENCIES, 0.9)


def _flag(kind: RedFlagKind) -> RedFlag:
    return RedFlag(kind=kind, quote="quote", detail={})


def _scores(**values: float) -> dict[str, float]:
    scores = dict.fromkeys(COMPETENCIES, 0.5)
    scores.update(values)
    return scores


# --- phrases -------------------------------------------------------------------------------------------------------


def test_every_phrase_exists_in_both_languages() -> None:
    assert set(STRENGTH_PHRASES) == set(COMPETENCIES)
    assert set(RISK_PHRASES) == set(COMPETENCIES)
    assert set(RED_FLAG_PHRASES) == set(RED_FLAG_KINDS)
    phrases = [*STRENGTH_PHRASES.values(), *RISK_PHRASES.values(), *RED_FLAG_PHRASES.values()]
    for phrase in phrases:
        assert phrase.en.strip() and phrase.ru.strip()
        assert phrase.en != phrase.ru
        assert any("а" <= ch.lower() <= "я" or ch.lower() == "ё" for ch in phrase.ru), phrase.ru
        assert phrase.en.isascii(), phrase.en
        assert len(phrase.en) <= 60 and len(phrase.ru) <= 60  # short phrases
    assert len({p.en for p in phrases}) == len(phrases)
    assert len({p.ru for p in phrases}) == len(phrases)


def test_contract_phrases() -> None:
    assert strength_phrase("logic", "ru") == "Системное мышление"
    assert strength_phrase("planning", "en") == "Plans systematically"
    assert strength_phrase("leadership", "ru") == "Берёт ответственность и ведёт команду"
    assert risk_phrase("leadership", "en") == "Few examples of leadership"
    assert risk_phrase("salary_above_range", "ru") == "Высокие зарплатные ожидания"
    assert risk_phrase("long_notice_period", "en") == "Long notice period"
    assert risk_phrase("negative_about_former_employer", "ru") == "Негативно отзывается о прошлом работодателе"
    with pytest.raises(ValueError):
        strength_phrase("salary_above_range", "en")
    with pytest.raises(ValueError):
        risk_phrase("charisma", "en")


@pytest.mark.parametrize(
    ("language", "russian"),
    [("ru", True), ("RU", True), ("ru-RU", True), ("ru_RU", True), ("en", False), ("en-US", False), ("de", False),
     ("", False)],
)  # fmt: skip
def test_language(language: str, russian: bool) -> None:
    report = build_report(_scores(logic=0.9), SURE, 0.8, [_flag("long_notice_period")], language)
    if russian:
        assert report.strengths == ["Системное мышление"]
        assert report.risks == ["Долгий срок выхода"]
    else:
        assert report.strengths == ["Structured reasoning"]
        assert report.risks == ["Long notice period"]


# --- selection -----------------------------------------------------------------------------------------------------


def test_strengths_highest_first_at_most_three() -> None:
    scores = _scores(leadership=0.7, communication=0.95, empathy=0.8, logic=0.66, planning=0.9)
    report = build_report(scores, SURE, 0.8, [], "en")
    assert report.strength_keys == ["communication", "planning", "empathy"]
    assert len(report.strengths) == MAX_STRENGTHS == 3
    assert report.strengths == [strength_phrase(key, "en") for key in report.strength_keys]


def test_strength_threshold_inclusive() -> None:
    report = build_report(_scores(logic=STRENGTH_MIN_SCORE, planning=0.6499), SURE, 0.8, [], "en")
    assert report.strength_keys == ["logic"]


def test_low_confidence_is_neither_strength_nor_risk() -> None:
    scores = _scores(leadership=0.95, empathy=0.1)
    confidence = {**SURE, "leadership": 0.39, "empathy": 0.2}
    report = build_report(scores, confidence, 0.8, [], "en")
    assert report.strength_keys == []
    assert report.risk_keys == []
    at_threshold = build_report(scores, dict.fromkeys(COMPETENCIES, MIN_CONFIDENCE), 0.8, [], "en")
    assert at_threshold.strength_keys == ["leadership"]
    assert at_threshold.risk_keys == ["empathy"]


def test_missing_confidence_counts_as_none() -> None:
    report = build_report(_scores(leadership=0.9, empathy=0.1), {}, 0.8, [], "en")
    assert report.strength_keys == [] and report.risk_keys == []


def test_missing_competencies_are_skipped() -> None:
    report = build_report({"logic": 0.9, "planning": 0.2}, SURE, 0.6, [], "en")
    assert report.strength_keys == ["logic"]
    assert report.risk_keys == ["planning"]


def test_risks_lowest_first_threshold_inclusive() -> None:
    scores = _scores(leadership=0.3, communication=RISK_MAX_SCORE, empathy=0.1, logic=0.36)
    report = build_report(scores, SURE, 0.6, [], "en")
    assert report.risk_keys == ["empathy", "leadership", "communication"]
    assert report.risks == ["Little attention to other people's needs", "Few examples of leadership",
                            "Struggles to express ideas clearly"]  # fmt: skip


def test_red_flags_first_each_kind_once_at_most_four() -> None:
    flags = [
        _flag("negative_about_former_employer"),
        _flag("salary_above_range"),
        _flag("negative_about_former_employer"),
        _flag("long_notice_period"),
    ]
    scores = _scores(leadership=0.3, empathy=0.1, planning=0.2)
    report = build_report(scores, SURE, 0.6, flags, "ru")
    assert report.risk_keys == [
        "salary_above_range",
        "long_notice_period",
        "negative_about_former_employer",
        "empathy",
    ]
    assert len(report.risks) == MAX_RISKS == 4
    assert report.risks == [
        "Высокие зарплатные ожидания",
        "Долгий срок выхода",
        "Негативно отзывается о прошлом работодателе",
        "Мало внимания к потребностям других",
    ]


def test_ties_keep_competency_order() -> None:
    scores = dict.fromkeys(COMPETENCIES, 0.8)
    report = build_report(scores, SURE, 0.8, [], "en")
    assert report.strength_keys == list(COMPETENCIES[:3])
    low = build_report(dict.fromkeys(COMPETENCIES, 0.2), SURE, 0.8, [], "en")
    assert low.risk_keys == list(COMPETENCIES[:4])


def test_empty_report() -> None:
    assert build_report({}, {}, None, [], "en") == Report("consider", [], [], [], [])


# --- recommendation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compatibility", "expected"),
    [
        (1.0, "recommended"),
        (0.74, "recommended"),
        (RECOMMENDED_MIN_COMPATIBILITY, "recommended"),
        (0.6999, "consider"),
        (0.5, "consider"),
        (NOT_RECOMMENDED_BELOW, "consider"),
        (0.4499, "not_recommended"),
        (0.0, "not_recommended"),
        (None, "consider"),
    ],
)
def test_recommendation_thresholds(compatibility: float | None, expected: str) -> None:
    assert recommend(compatibility) == expected
    assert build_report(_scores(), SURE, compatibility, [], "en").recommendation == expected


def test_threshold_constants() -> None:
    assert (RECOMMENDED_MIN_COMPATIBILITY, NOT_RECOMMENDED_BELOW) == (0.70, 0.45)
    assert (STRENGTH_MIN_SCORE, RISK_MAX_SCORE, MIN_CONFIDENCE) == (0.65, 0.35, 0.4)
    assert {"salary_above_range", "negative_about_former_employer"} == BLOCKING_FLAGS


@pytest.mark.parametrize("kind", ["salary_above_range", "negative_about_former_employer"])
def test_blocking_flags_hold_back_recommended(kind: RedFlagKind) -> None:
    assert recommend(0.9, [_flag(kind)]) == "consider"
    assert recommend(0.3, [_flag(kind)]) == "not_recommended"


def test_long_notice_does_not_block() -> None:
    assert recommend(0.9, [_flag("long_notice_period")]) == "recommended"


def test_contract_example_shape() -> None:
    scores = _scores(logic=0.82, planning=0.78, empathy=0.3)
    report = build_report(scores, SURE, 0.74, [_flag("salary_above_range")], "ru")
    assert report.recommendation == "consider"
    assert report.strengths == ["Системное мышление", "Системное планирование"]
    assert report.risks == ["Высокие зарплатные ожидания", "Мало внимания к потребностям других"]
    assert report.strength_keys == ["logic", "planning"]
    assert report.risk_keys == ["salary_above_range", "empathy"]


# --- validation ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-0.1, 1.1, math.nan, math.inf])
def test_values_outside_unit_interval_rejected(bad: float) -> None:
    with pytest.raises(ValueError):
        build_report(_scores(logic=bad), SURE, 0.5, [], "en")
    with pytest.raises(ValueError):
        build_report(_scores(), {"logic": bad}, 0.5, [], "en")
    with pytest.raises(ValueError):
        build_report(_scores(), SURE, bad, [], "en")


def test_unknown_competency_rejected() -> None:
    with pytest.raises(ValueError, match="charisma"):
        build_report({"charisma": 0.9}, SURE, 0.5, [], "en")


def test_deterministic() -> None:
    scores = _scores(leadership=0.9, planning=0.9, empathy=0.2)
    flags = [_flag("long_notice_period")]
    assert build_report(scores, SURE, 0.71, flags, "en") == build_report(scores, SURE, 0.71, flags, "en")
