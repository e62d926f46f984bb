"""A candidate's culture profile inferred from their words (scoring/culture_signals.py + culture/inference.py).

The fixture has two candidates written for opposite values (innovation and freedom; stability and rules), each in
English and in Russian, and the Q-sort each would give (``tests/fixtures/culture/candidates.json``). No human-rated
data on people's values exists here, so this checks direction, not accuracy: the profile inferred from the words
agrees with the Q-sort written for the same values, and disagrees with the other one, in both languages.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from talentmind.culture import (
    ITEM_IDS,
    CultureSignals,
    InferredProfile,
    dimension_scores,
    infer_profile,
    is_forced_distribution,
    person_organization_fit,
)
from talentmind.culture.inference import MAX_CONFIDENCE, MIN_SENTENCES
from talentmind.scoring.culture_signals import CultureReader
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.transcript import answers_from_turns
from tests.conftest import ROOT

FIXTURE: dict[str, Any] = json.loads((ROOT / "tests" / "fixtures" / "culture" / "candidates.json").read_text())
CANDIDATES: dict[str, Any] = FIXTURE["candidates"]


@pytest.fixture(scope="module")
def reader() -> CultureReader:
    return CultureReader(SentenceEncoder())


def signals(reader: CultureReader, turns: list[list[str]]) -> CultureSignals:
    return reader.signals(answers_from_turns([{"speaker": s, "text": t} for s, t in turns]))


def inferred(reader: CultureReader, name: str, language: str) -> InferredProfile:
    profile = infer_profile([signals(reader, CANDIDATES[name]["turns"][language])])
    assert profile is not None
    return profile


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_inferred_profile_agrees_in_direction_with_the_candidate_s_own_qsort(
    reader: CultureReader, language: str
) -> None:
    innovator, steady = inferred(reader, "innovator", language), inferred(reader, "steady", language)
    own = {name: CANDIDATES[name]["qsort"] for name in CANDIDATES}
    r = {
        (who, sort): person_organization_fit(own[sort], profile.ratings).correlation
        for who, profile in (("innovator", innovator), ("steady", steady))
        for sort in own
    }
    print(language, r)
    assert r["innovator", "innovator"] > 0.15 and r["steady", "steady"] > 0.15
    assert r["innovator", "steady"] < 0 and r["steady", "innovator"] < 0
    # and by dimension: the innovator's innovation above the steady one's, stability the other way round
    a, b = dimension_scores(innovator.ratings), dimension_scores(steady.ratings)
    assert a["innovation"] > b["innovation"] + 0.15 and b["stability"] > a["stability"] + 0.15
    assert max(a, key=a.__getitem__) == "innovation" and max(b, key=b.__getitem__) == "stability"


def test_the_same_words_in_russian_and_english_give_much_the_same_profile(reader: CultureReader) -> None:
    for name in CANDIDATES:
        en, ru = inferred(reader, name, "en"), inferred(reader, name, "ru")
        r = person_organization_fit(en.ratings, ru.ratings).correlation
        assert r is not None and r > 0.6, (name, r)


def test_an_inferred_profile_is_a_qsort_with_a_stated_lower_confidence_and_its_quotes(reader: CultureReader) -> None:
    profile = inferred(reader, "innovator", "en")
    assert is_forced_distribution(profile.ratings) and set(profile.ratings) == set(ITEM_IDS)
    assert 0 < profile.confidence <= MAX_CONFIDENCE
    assert profile.sentences == 12 and profile.interviews == 1
    quotes = profile.quotes["innovation"]
    said = " ".join(text for _, text in CANDIDATES["innovator"]["turns"]["en"])
    assert quotes and all(q.text in said for q in quotes)
    assert quotes[0].strength >= quotes[-1].strength
    # more of the same kind of talk raises the confidence, never past the cap
    more = infer_profile([signals(reader, CANDIDATES["innovator"]["turns"][lang]) for lang in ("en", "ru")] * 3)
    assert more is not None and profile.confidence < more.confidence <= MAX_CONFIDENCE


def test_repeating_oneself_or_buzzwords_do_not_move_the_profile(reader: CultureReader) -> None:
    turns = CANDIDATES["steady"]["turns"]["en"]
    once = signals(reader, turns)
    twice = signals(reader, turns + turns)
    assert twice.sentences == once.sentences and twice.items == once.items
    buzz = [
        ["interviewer", "Tell me about yourself."],
        ["candidate", "I am innovative, agile and disruptive. I am a creative and flexible person. "
                      "I am very innovative and always agile. Я инновационный, гибкий и креативный человек."],
    ]  # fmt: skip
    found = signals(reader, buzz)
    assert found.sentences <= 1  # the self-claim filter takes out three of the four
    assert infer_profile([found]) is None


def test_too_little_said_infers_nothing(reader: CultureReader) -> None:
    short = CANDIDATES["innovator"]["turns"]["en"][:2]
    found = signals(reader, short)
    assert 0 < found.sentences < MIN_SENTENCES
    assert infer_profile([found]) is None
    assert infer_profile([]) is None


def test_signals_survive_the_database_round_trip(reader: CultureReader) -> None:
    found = signals(reader, CANDIDATES["innovator"]["turns"]["ru"])
    back = CultureSignals.from_json(json.loads(json.dumps(found.to_json())), interview_id="int_1")
    assert back.sentences == found.sentences
    assert back.items == pytest.approx(found.items, abs=1e-4)
    assert all(q.interview_id == "int_1" for quotes in back.quotes.values() for q in quotes)
