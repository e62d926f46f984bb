"""The whole assessment on Russian and English transcripts: evidence, determinism, invariance, match, report."""

from __future__ import annotations

import pytest

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.interview import InterviewAssessment, InterviewScorer, VacancyTerms
from talentmind.scoring.match import interview_match
from talentmind.scoring.neutral import neutralise

EN = [
    {"speaker": "interviewer", "text": "Tell me about a time you demonstrated leadership?", "start": 0, "end": 3},
    {"speaker": "candidate", "start": 3, "end": 40, "text": (
        "Last year I led a team of five engineers at Northwind. I decided how we would split the migration and "
        "assigned clear owners. Because the database was the bottleneck, I analysed the load and we reduced "
        "latency by 40 percent. I mentored two junior developers and helped them grow.")},
    {"speaker": "interviewer", "text": "How do you handle pressure and tight deadlines?", "start": 41, "end": 44},
    {"speaker": "candidate", "start": 44, "end": 70, "text": (
        "When production failed at night, I stayed calm and handled it step by step. I made a plan with "
        "milestones and we delivered on time. Next year I plan to grow into a team lead.")},
]  # fmt: skip
RU = [
    {"speaker": "interviewer", "text": "Расскажите о случае, когда вы проявили лидерство?", "start": 0, "end": 3},
    {"speaker": "candidate", "start": 3, "end": 40, "text": (
        "В прошлом году я руководил командой из пяти инженеров в Сбербанке. Я решил, как разделить миграцию, и "
        "назначил ответственных. Поскольку узким местом была база данных, я проанализировал нагрузку, и мы "
        "сократили задержку на 40 процентов. Я был наставником для двух младших разработчиков.")},
    {"speaker": "interviewer", "text": "Как вы справляетесь с давлением и жёсткими сроками?", "start": 41, "end": 44},
    {"speaker": "candidate", "start": 44, "end": 70, "text": (
        "Когда ночью упал продакшен, я сохранял спокойствие и действовал по шагам. Я составил план с "
        "контрольными точками, и мы сдали проект в срок. В следующем году я планирую стать тимлидом.")},
]  # fmt: skip
WEAK = [
    {"speaker": "interviewer", "text": "Tell me about a time you demonstrated leadership?"},
    {
        "speaker": "candidate",
        "text": "I guess I just did what my manager told me. Someone else made the decisions, "
        "I only followed. I don't really plan, I just see what happens.",
    },
]


@pytest.fixture(scope="module")
def scorer() -> InterviewScorer:
    return InterviewScorer()


def test_scores_are_in_range_with_evidence_in_both_languages(scorer: InterviewScorer) -> None:
    for turns in (EN, RU):
        result = scorer.assess(turns)
        assert set(result.scores) == set(COMPETENCIES)
        assert all(0.0 <= v <= 1.0 for v in result.scores.values())
        assert 0.0 <= result.performance <= 1.0 and 0.0 <= result.match <= 1.0
        quotes = result.evidence_json()["leadership"]["quotes"]
        assert quotes and all(q["text"] in turns[1]["text"] for q in quotes)
        assert result.scores["leadership"] > 0.5 and result.scores["planning"] > 0.5


def test_russian_and_english_versions_score_alike(scorer: InterviewScorer) -> None:
    en, ru = scorer.assess(EN), scorer.assess(RU)
    for c in COMPETENCIES:
        assert abs(en.scores[c] - ru.scores[c]) < 0.3, (c, en.scores[c], ru.scores[c])


def test_strong_answers_beat_weak_ones(scorer: InterviewScorer) -> None:
    strong, weak = scorer.assess(EN), scorer.assess(WEAK)
    assert strong.scores["leadership"] > weak.scores["leadership"] + 0.2
    assert strong.scores["planning"] > weak.scores["planning"] + 0.2


def test_deterministic(scorer: InterviewScorer) -> None:
    a, b = scorer.assess(RU), scorer.assess(RU)
    assert (a.scores, a.performance, a.match, a.confidence) == (b.scores, b.performance, b.match, b.confidence)


def _swap(turns: list[dict[str, object]], pairs: dict[str, str]) -> list[dict[str, object]]:
    swapped = []
    for turn in turns:
        text = str(turn["text"])
        for a, b in pairs.items():
            text = text.replace(a, b)
        swapped.append({**turn, "text": text})
    return swapped


def _moved(a: InterviewAssessment, b: InterviewAssessment) -> float:
    diffs = [abs(a.scores[c] - b.scores[c]) for c in COMPETENCIES]
    return max([*diffs, abs(a.performance - b.performance), abs(a.match - b.match)])


def test_names_and_gender_do_not_move_scores(scorer: InterviewScorer) -> None:
    en = [*EN, {"speaker": "candidate", "text": "My name is John Smith, he said I was a good man and my wife agrees."}]
    en_swapped = _swap(en, {"John Smith": "Aisha Okafor", " he ": " she ", "man": "woman", "wife": "husband"})
    assert _moved(scorer.assess(en), scorer.assess(en_swapped)) < 0.02
    ru = [*RU, {"speaker": "candidate", "text": "Меня зовут Дмитрий Соколов, и я всегда был готов помочь коллегам."}]
    ru_swapped = _swap(
        ru,
        {
            "Дмитрий Соколов": "Гульнара Ахметова",
            "был готов": "была готова",
            "руководил": "руководила",
            "решил": "решила",
            "назначил": "назначила",
            "сохранял": "сохраняла",
            "действовал": "действовала",
            "составил": "составила",
        },
    )
    assert _moved(scorer.assess(ru), scorer.assess(ru_swapped)) < 0.02


def test_neutralise() -> None:
    assert neutralise("Я руководила командой, Анна была готова.") == "Я руководил командой, X был готов."
    assert neutralise("She told Mr Brown her plan.") == "They told X them plan."


def test_short_interviews_are_less_certain(scorer: InterviewScorer) -> None:
    short = scorer.assess(EN[:2])
    long = scorer.assess(EN * 20)
    assert all(short.confidence[c] < long.confidence[c] for c in COMPETENCIES)
    # One leadership story: some confidence in leadership, little in what the answer did not talk about.
    assert 0.3 < short.confidence["leadership"] < 0.6
    assert short.confidence["planning"] < 0.1 and short.confidence["empathy"] < 0.1


def test_match_formula() -> None:
    scores = {"leadership": 1.0, "logic": 0.0}
    assert interview_match(scores, 0.6, None) == 0.6
    assert interview_match(scores, 0.6, {"leadership": 0, "logic": 0}) == 0.6
    assert interview_match(scores, 0.6, {"leadership": 3, "logic": 1}) == pytest.approx(0.5 * 0.75 + 0.5 * 0.6)


def test_vacancy_terms_drive_match_and_red_flags(scorer: InterviewScorer) -> None:
    turns = [
        *EN,
        {"speaker": "interviewer", "text": "What are your salary expectations?"},
        {"speaker": "candidate", "text": "I expect around 300k rubles a month."},
    ]
    plain = scorer.assess(turns, report_language="ru")
    assert plain.match == plain.performance and plain.red_flags == []
    terms = VacancyTerms(weights={"leadership": 1.0}, salary_min=150_000, salary_max=200_000, salary_currency="RUB")
    rich = scorer.assess(turns, vacancy=terms, report_language="ru")
    assert rich.match == interview_match(rich.scores, rich.performance, {"leadership": 1.0})
    assert [f.kind for f in rich.red_flags] == ["salary_above_range"]
    assert "Высокие зарплатные ожидания" in rich.report.risks and rich.report.recommendation != "recommended"
