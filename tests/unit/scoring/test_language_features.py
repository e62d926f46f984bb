"""Language and fluency features on small Russian and English examples; the transcript parsers."""

from __future__ import annotations

import math

import pytest

from talentmind.scoring.language_features import (
    ALL_FEATURES,
    FEATURE_DOCS,
    FLUENCY_FEATURES,
    LEXICAL_FEATURES,
    PAUSE_MIN_S,
    TimingTotals,
    extract_features,
    filler_count,
    fluency_features,
    fluency_from_totals,
    lexical_features,
    moving_type_token_ratio,
    ownership_count,
    qa_overlap,
    qa_stem,
    star_components,
    syllable_count,
    tokens,
)
from talentmind.scoring.transcript import Answer, answers_from_turns, is_backchannel, mit_transcript


def features(text: str, question: str = "") -> dict[str, float]:
    return lexical_features([Answer(question, text)])


def joined(text: str) -> str:
    return " " + " ".join(tokens(text)) + " "


# --- tokens ------------------------------------------------------------------------------------------------------


def test_tokens_latin_cyrillic_hyphens_and_numbers() -> None:
    assert tokens("Во-первых, Я ВЁЛ проект: 50 000 $ и 12,5%! I'm done, don’t worry.") == [
        "во-первых", "я", "вел", "проект", "50", "000", "и", "12,5", "i'm", "done", "don't", "worry",
    ]  # fmt: skip


def test_syllables() -> None:
    assert syllable_count("руководил") == 4
    assert syllable_count("я") == 1
    assert syllable_count("team") == 1
    assert syllable_count("make") == 1
    assert syllable_count("table") == 2
    assert syllable_count("organization") == 5
    assert syllable_count("2019") == 4


# --- ownership and team ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Я руководил командой",
        "Я руководила командой из пяти человек",
        "я сам решил эту проблему",
        "Я организовала конференцию",
        "I led the team",
        "I personally decided to rewrite it",
        "I built the pipeline",
    ],
)
def test_ownership_counts_first_person_actions(text: str) -> None:
    assert ownership_count(joined(text)) == 1
    assert features(text)["ownership_rate"] > 0


@pytest.mark.parametrize(
    "text",
    ["Мы руководили командой", "The team decided", "I think the whole group built it", "Im the one who organized it"],
)
def test_ownership_needs_a_first_person_subject_close_to_the_verb(text: str) -> None:
    assert ownership_count(joined(text)) == 0


def test_team_words_in_both_languages() -> None:
    assert features("Мы с командой и нашими коллегами")["team_rate"] == pytest.approx(100 * 4 / 6)
    assert features("We and our team worked together")["team_rate"] == pytest.approx(100 * 4 / 6)


def test_first_person() -> None:
    assert features("Я думаю, мне это нравится")["first_person_rate"] == pytest.approx(100 * 2 / 5)
    assert features("I think my idea is good")["first_person_rate"] == pytest.approx(100 * 2 / 6)


# --- fillers, hedges, numbers ------------------------------------------------------------------------------------


def test_english_fillers_count_like_only_as_a_filler() -> None:
    assert filler_count(joined("Uh so um it was, like, you know, uhmm hard")) == 5
    assert filler_count(joined("I like Python and would like to learn Rust")) == 0
    assert features("uh um uh ok")["filler_rate"] == pytest.approx(75.0)


def test_russian_fillers() -> None:
    assert filler_count(joined("Ну, э-э, короче, это было, типа, сложно, как бы")) == 5
    assert filler_count(joined("Ну э короче типа")) == 4
    assert filler_count(joined("Я написал сервис на Go")) == 0


def test_hedges_in_both_languages() -> None:
    assert features("Maybe I guess it was kind of hard, sort of")["hedge_rate"] == pytest.approx(100 * 4 / 10)
    assert features("Наверное, это как бы вроде сработало")["hedge_rate"] == pytest.approx(100 * 3 / 6)
    assert features("I did it and it worked")["hedge_rate"] == 0


def test_numbers_and_results() -> None:
    ru = features("Я увеличил выручку на 20% за три месяца и сократил расходы вдвое")
    assert ru["number_rate"] == pytest.approx(100 * 4 / 12)  # 20, %, три, вдвое
    assert ru["result_rate"] == pytest.approx(100 * 2 / 12)  # увеличил, сократил
    en = features("We increased revenue by 30% and reduced costs by $50 000, twenty percent")
    assert en["number_rate"] == pytest.approx(100 * 7 / 13)  # 30, %, $, 50, 000, twenty, percent
    assert en["result_rate"] == pytest.approx(100 * 2 / 13)
    assert features("I like it")["number_rate"] == 0


def test_connectives_plans_negations_and_enthusiasm() -> None:
    assert features("Во-первых, затем, в итоге")["structure_rate"] == pytest.approx(100 * 3 / 4)
    assert features("First we planned, then finally shipped")["structure_rate"] == pytest.approx(100 * 3 / 6)
    assert features("Потому что было поздно, поэтому ушли")["causal_rate"] == pytest.approx(100 * 2 / 6)
    assert features("It failed because therefore")["causal_rate"] == pytest.approx(100 * 2 / 4)
    assert features("Я планирую через год, в следующем году")["plan_rate"] == pytest.approx(100 * 3 / 7)
    assert features("I will plan it next year")["plan_rate"] == pytest.approx(100 * 3 / 6)
    assert features("Я не знаю, никогда нет")["negation_rate"] == pytest.approx(100 * 3 / 5)
    assert features("I don't know, never")["negation_rate"] == pytest.approx(100 * 2 / 4)
    assert features("Мне интересно, я увлекаюсь и мне нравится")["positive_rate"] == pytest.approx(100 * 3 / 7)
    assert features("I am excited and passionate, I love it")["positive_rate"] == pytest.approx(100 * 3 / 8)


# --- answers as a whole ------------------------------------------------------------------------------------------


def test_star_structure() -> None:
    en = star_components(
        "Last year at my internship we had a deadline problem. I organized daily checks, and as a result we "
        "shipped on time."
    )
    assert en == {"situation": True, "task": True, "action": True, "result": True}
    ru = star_components(
        "В прошлом году на проекте была задача ускорить релизы. Я внедрил автотесты, в итоге релизы стали вдвое чаще."
    )
    assert ru == {"situation": True, "task": True, "action": True, "result": True}
    assert star_components("It is fine.") == {"situation": False, "task": False, "action": False, "result": False}
    short = features("Fine, thanks")
    assert short["star_structure"] == 0


def test_question_answer_overlap() -> None:
    assert qa_overlap("Tell me about your leadership experience?", "My leadership experience: I led a team") == 1.0
    assert qa_overlap("Расскажите о вашем опыте руководства", "Опыт руководителя у меня небольшой") == 1.0
    assert qa_overlap("Why should we hire you?", "The weather is nice") == 0.0
    assert qa_overlap("", "anything") is None
    assert qa_stem("опыте") == qa_stem("опыт") == "опыт"
    assert qa_stem("hired") == qa_stem("hire")


def test_type_token_ratio_does_not_fall_with_length() -> None:
    assert moving_type_token_ratio([]) == 0
    assert moving_type_token_ratio(["a", "b", "a", "b"]) == 0.5
    varied = [f"w{i}" for i in range(200)]
    assert moving_type_token_ratio(varied) == 1.0
    repeated = ["a", "b"] * 200
    assert moving_type_token_ratio(repeated) == pytest.approx(2 / 50)


def test_lengths() -> None:
    answers = [Answer("q1", "one two three"), Answer("q2", "four five six seven eight")]
    result = lexical_features(answers)
    assert result["log_words"] == pytest.approx(math.log1p(8))
    assert result["log_mean_answer_words"] == pytest.approx(math.log1p(4))


def test_every_feature_is_named_and_documented() -> None:
    assert set(FEATURE_DOCS) == set(ALL_FEATURES)
    assert all(doc.strip() for doc in FEATURE_DOCS.values())
    assert set(lexical_features([Answer("q", "text")])) == set(LEXICAL_FEATURES)


def test_nothing_said_gives_zeros() -> None:
    assert set(lexical_features([]).values()) == {0.0}
    assert extract_features([]) == lexical_features([])


# --- fluency -----------------------------------------------------------------------------------------------------


def test_fluency_from_word_timings() -> None:
    words = [(0.0, 0.5, "I"), (0.5, 1.0, "led"), (2.0, 2.5, "the"), (2.6, 3.0, "team"), (4.5, 6.0, "successfully")]
    answer = Answer("Leadership?", "I led the team successfully", 0.0, 6.0, words)
    result = fluency_features([answer])
    assert set(result) == set(FLUENCY_FEATURES)
    assert result["speech_rate_wpm"] == pytest.approx(5 / 6 * 60)
    assert result["speech_rate_spm"] == pytest.approx((1 + 1 + 1 + 1 + 4) / 6 * 60)
    # Gaps: 0, 1.0, 0.1, 1.5 → pauses of at least PAUSE_MIN_S: 1.0 and 1.5, both long.
    assert PAUSE_MIN_S <= 1.0
    assert result["pause_ratio"] == pytest.approx(2.5 / 6)
    assert result["pauses_per_min"] == pytest.approx(2 / 6 * 60)
    assert result["long_pauses_per_min"] == pytest.approx(2 / 6 * 60)


def test_fluency_from_answer_times_only_has_no_pauses() -> None:
    answer = Answer("q", "Я руководил командой", 10.0, 13.0)
    assert fluency_features([answer]) == {"speech_rate_wpm": 60.0, "speech_rate_spm": pytest.approx(8 / 3 * 60)}


def test_typed_transcript_has_no_fluency() -> None:
    answers = [Answer("q", "I led the team")]
    assert fluency_features(answers) == {}
    assert not set(extract_features(answers)) & set(FLUENCY_FEATURES)


def test_fluency_from_totals() -> None:
    assert fluency_from_totals(TimingTotals(words=100, seconds=0)) == {}
    assert fluency_from_totals(TimingTotals(words=150, seconds=60, syllables=210, pauses=6, pause_seconds=9)) == {
        "speech_rate_wpm": 150.0,
        "speech_rate_spm": 210.0,
        "pause_ratio": 0.15,
        "pauses_per_min": 6.0,
    }


# --- transcripts -------------------------------------------------------------------------------------------------

MIT_SAMPLE = (
    "Interviewer: So how are you doing?|Interviewee: Im pretty good.|"
    "Interviewer: Tell me about a time that you demonstrated leadership.|"
    "Interviewee: Ok uhm I led a team [Laughs] of five.|Interviewer:  mhhmm|Interviewee: We won.|"
    "And then we celebrated.|Interviewer: Why should we hire you?|Interviewee: Because I care.|"
    "Interviewer: Well thank you."
)


def test_mit_parser() -> None:
    answers = mit_transcript(MIT_SAMPLE)
    assert answers == [
        Answer("So how are you doing?", "Im pretty good."),
        Answer(
            "Tell me about a time that you demonstrated leadership.",
            "Ok uhm I led a team of five. We won. And then we celebrated.",
        ),
        Answer("Why should we hire you?", "Because I care."),
    ]
    assert all(a.start is None and a.end is None and a.words is None for a in answers)


def test_backchannels() -> None:
    assert is_backchannel("mhhmm")
    assert is_backchannel("Oh yes.")
    assert is_backchannel("Угу, понятно")
    assert not is_backchannel("Why?")
    assert not is_backchannel("Tell me about yourself.")


def test_answers_from_turns_pairs_each_answer_with_its_question() -> None:
    turns: list[dict[str, object]] = [
        {"speaker": "candidate", "text": "Здравствуйте!", "start": 0.0, "end": 1.0},
        {"speaker": "interviewer", "text": "Расскажите о своём опыте руководства.", "start": 1.0, "end": 4.0},
        {"speaker": "candidate", "text": "Я руководил командой.", "start": 4.5, "end": 6.0,
         "words": [[4.5, 4.7, "Я"], [4.8, 5.4, "руководил"], [5.5, 6.0, "командой."]]},
        {"speaker": "interviewer", "text": "угу", "start": 6.0, "end": 6.3},
        {"speaker": "candidate", "text": "Из пяти человек.", "start": 6.5, "end": 8.0,
         "words": [{"start": 6.5, "end": 6.7, "word": "Из"}, {"start": 6.8, "end": 7.2, "word": "пяти"},
                   {"start": 7.3, "end": 8.0, "word": "человек."}]},
        {"speaker": "interviewer", "text": "Why Python?"},
        {"speaker": "candidate", "text": "I like it."},
    ]  # fmt: skip
    answers = answers_from_turns(turns)
    assert [a.question for a in answers] == ["", "Расскажите о своём опыте руководства.", "Why Python?"]
    merged = answers[1]
    assert merged.text == "Я руководил командой. Из пяти человек."
    assert (merged.start, merged.end) == (4.5, 8.0)
    assert merged.words is not None and len(merged.words) == 6 and merged.words[3] == (6.5, 6.7, "Из")
    assert isinstance(merged.words, tuple)
    assert answers[2] == Answer("Why Python?", "I like it.")
    assert hash(merged)  # immutable and hashable


def test_answers_from_turns_rejects_unknown_speakers() -> None:
    with pytest.raises(ValueError, match="speaker"):
        answers_from_turns([{"speaker": "moderator", "text": "hi"}])


def test_answer_keeps_word_timings_only_when_every_part_has_them() -> None:
    answers = answers_from_turns(
        [
            {"speaker": "interviewer", "text": "Why?"},
            {"speaker": "candidate", "text": "Because", "start": 0, "end": 1, "words": [[0, 1, "Because"]]},
            {"speaker": "candidate", "text": "it works", "start": 1, "end": 2},
        ]
    )
    assert answers == [Answer("Why?", "Because it works", 0.0, 2.0, None)]
