"""The levelled answer set (``tests/fixtures/scoring/levelled/``): what the scores must do on answers we wrote at three
levels for each competency, in English and Russian (issue 9's targets), and the held-out set written blind to the
scorer (``levelled-holdout/``), which guards against a regression without being a target the scorer was tuned to."""

from __future__ import annotations

import pytest

from talentmind.scoring.interview import InterviewScorer
from talentmind.scoring.levelled import (
    HOLDOUT_DIR,
    LANGUAGES,
    LEVELLED_DIR,
    LevelledReport,
    load_levelled,
    run_levelled,
)

TARGET_SHARE = 0.8
"""Levels ordered, and the competency asked about moving most, in at least 80% of the scenarios per language."""


@pytest.fixture(scope="module")
def scorer() -> InterviewScorer:
    return InterviewScorer()


@pytest.fixture(scope="module")
def levelled(scorer: InterviewScorer) -> LevelledReport:
    return run_levelled(scorer)


@pytest.fixture(scope="module")
def holdout(scorer: InterviewScorer) -> LevelledReport:
    return run_levelled(scorer, HOLDOUT_DIR)


def test_the_sets_cover_six_competencies_in_both_languages() -> None:
    # The blind writer's strong answers run longer (in Russian up to 1.8 times the weak one): reported, not hidden.
    for directory, scenarios, spread in ((LEVELLED_DIR, 5, 1.3), (HOLDOUT_DIR, 3, 1.8)):
        for competency, data in load_levelled(directory).items():
            assert data["competency"] == competency
            assert len(data["scenarios"]) == scenarios and data["stuffing"]
            for entry in data["scenarios"]:
                for lang in LANGUAGES:
                    words = [len(entry[lang][level].split()) for level in ("strong", "generic", "weak")]
                    # Similar lengths, so that length cannot be what orders the levels.
                    assert max(words) <= spread * min(words), (entry["id"], lang, words)


@pytest.mark.parametrize("language", LANGUAGES)
def test_levels_are_ordered(levelled: LevelledReport, language: str) -> None:
    share = levelled.share(levelled.ordered, language, levelled.scenarios)
    assert share >= TARGET_SHARE, levelled.failures


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_competency_asked_about_moves_most(levelled: LevelledReport, language: str) -> None:
    share = levelled.share(levelled.asked_moves_most, language, levelled.scenarios)
    assert share >= TARGET_SHARE, levelled.failures


@pytest.mark.parametrize("language", LANGUAGES)
def test_buzzwords_score_no_higher_than_a_generic_answer(levelled: LevelledReport, language: str) -> None:
    assert levelled.stuffing_not_above_generic[language] == levelled.stuffing[language], levelled.failures


def test_russian_and_english_versions_score_alike(levelled: LevelledReport) -> None:
    """Measured: about 80% of the 612 (answer, competency) pairs within 0.1, none beyond 0.4. The gaps come from the
    style features of the human-validated part (fitted on English; their Russian word lists are translations), see
    docs/scoring_validation.md. This guards the level reached; the issue's aim, all pairs within 0.1, is not met."""
    assert levelled.parity_within / levelled.parity_pairs >= 0.75
    assert levelled.parity_max < 0.45


def test_the_blind_set_stays_near_the_targets(holdout: LevelledReport) -> None:
    """The held-out answers were written without sight of the scorer and never tuned on (measured: levels ordered in
    89% per language, the asked competency moving most in 78% (en) and 72% (ru), one stuffing answer of twelve above
    the generic level). A regression guard below those numbers, not the issue's target."""
    for language in LANGUAGES:
        assert holdout.share(holdout.ordered, language, holdout.scenarios) >= 0.75, holdout.failures
        assert holdout.share(holdout.asked_moves_most, language, holdout.scenarios) >= 0.6, holdout.failures
    assert sum(holdout.stuffing_not_above_generic.values()) >= sum(holdout.stuffing.values()) - 2
