"""One interview's assessment: competencies with evidence, performance, match, red flags and the report.

``InterviewScorer.assess`` is the whole scoring step, a pure function of the transcript and the vacancy (plus the
models it loads once): the same transcript always gives the same result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from talentmind.competencies import COMPETENCIES
from talentmind.culture import CultureSignals
from talentmind.scoring.competencies import CompetencyScorer, Quote
from talentmind.scoring.culture_signals import CultureReader
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.language_features import extract_features
from talentmind.scoring.match import interview_match
from talentmind.scoring.performance import (
    LEXICAL_MODEL_PATH,
    PerformanceModel,
    covers,
    default_model,
)
from talentmind.scoring.red_flags import RedFlag, detect_red_flags
from talentmind.scoring.report import Report, build_report
from talentmind.scoring.transcript import Answer, answers_from_turns

# How much fluency (speaking rate, fillers, from word timings) moves communication when audio exists.
FLUENCY_SHARE = 0.2
EVIDENCE_PER_COMPETENCY = 3


@dataclass(frozen=True)
class VacancyTerms:
    weights: Mapping[str, float] | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None


@dataclass(frozen=True)
class InterviewAssessment:
    answers: list[Answer]
    scores: dict[str, float]
    confidence: dict[str, float]
    performance: float
    performance_model: str
    match: float
    evidence: dict[str, list[Quote]]
    features: dict[str, float]
    red_flags: list[RedFlag]
    report: Report
    report_language: str
    culture: CultureSignals | None = None  # what the candidate's words say about the culture they value

    def evidence_json(self) -> dict[str, Any]:
        """What ``GET /v1/interviews/{id}`` shows as ``evidence``: per competency its confidence and quotes."""
        return {
            c: {
                "confidence": self.confidence[c],
                "quotes": [
                    {"text": q.text, "answer": q.answer_index, "start": q.start, "end": q.end, "strength": q.strength}
                    for q in self.evidence[c][:EVIDENCE_PER_COMPETENCY]
                ],
            }
            for c in COMPETENCIES
        }


class InterviewScorer:
    def __init__(
        self,
        encoder: SentenceEncoder | None = None,
        competencies: CompetencyScorer | None = None,
        timed_model: PerformanceModel | None = None,
        words_model: PerformanceModel | None = None,
    ) -> None:
        self.encoder = encoder or SentenceEncoder()
        self.competencies = competencies or CompetencyScorer(self.encoder)
        self.timed_model = timed_model or default_model()
        self.words_model = words_model or default_model(LEXICAL_MODEL_PATH)
        self.culture = CultureReader(self.encoder)

    def assess(
        self, turns: Sequence[Mapping[str, object]], *, vacancy: VacancyTerms | None = None, report_language: str = "en"
    ) -> InterviewAssessment:
        vacancy = vacancy or VacancyTerms()
        answers = answers_from_turns(turns)
        features = extract_features(answers)
        timed = covers(self.timed_model, features)
        model = self.timed_model if timed else self.words_model
        perf = round(model.predict(features), 4) if answers else 0.0
        competency = self.competencies.score(answers, features)
        scores = dict(competency.scores)
        if timed and "communication" in scores:
            scores["communication"] = round(
                (1 - FLUENCY_SHARE) * scores["communication"] + FLUENCY_SHARE * fluency_score(features), 4
            )
        match = interview_match(scores, perf, vacancy.weights)
        flags = detect_red_flags(
            [a.text for a in answers],
            [a.question for a in answers],
            vacancy_min=vacancy.salary_min,
            vacancy_max=vacancy.salary_max,
            vacancy_currency=vacancy.salary_currency,
        )
        report = build_report(scores, competency.confidence, match, flags, report_language)
        return InterviewAssessment(
            answers=answers,
            scores=scores,
            confidence=dict(competency.confidence),
            performance=perf,
            performance_model="timed" if timed else "words",
            match=match,
            evidence=dict(competency.evidence),
            features=features,
            red_flags=flags,
            report=report,
            report_language="ru" if report_language.lower().startswith("ru") else "en",
            culture=self.culture.signals(answers),
        )


def fluency_score(features: Mapping[str, float]) -> float:
    """Fluency in [0, 1] from the speaking rate (syllables per minute, best around 180–280) and fillers."""
    rate = features.get("speech_rate_spm", 0.0)
    pace = max(0.0, 1.0 - abs(rate - 230.0) / 150.0)
    fillers = features.get("filler_rate", 0.0)
    return round(max(0.0, min(1.0, 0.7 * pace + 0.3 * max(0.0, 1.0 - fillers / 8.0))), 4)
