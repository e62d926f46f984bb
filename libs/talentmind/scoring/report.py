"""The candidate report: recommendation, strengths and risks as short phrases in the organisation's language.

Selection rules (constants below)
---------------------------------
* Strengths: competencies scored at least ``STRENGTH_MIN_SCORE`` (0.65) with confidence at least
  ``MIN_CONFIDENCE`` (0.4), highest score first, at most ``MAX_STRENGTHS`` (3).
* Risks: first the red flags the candidate stated (``red_flags.RED_FLAG_KINDS`` order, each kind once), then
  competencies scored at most ``RISK_MAX_SCORE`` (0.35) with confidence at least ``MIN_CONFIDENCE``, lowest score
  first; at most ``MAX_RISKS`` (4) in all. A score without enough confidence (little evidence) is neither a strength
  nor a risk: the report says only what the interview supports. A competency without a confidence has confidence 0.
* Ties keep the order of ``talentmind.competencies.COMPETENCIES``.

Recommendation
--------------
* ``recommended``: compatibility ≥ ``RECOMMENDED_MIN_COMPATIBILITY`` (0.70) and no ``BLOCKING_FLAGS`` red flag
  (salary far above the range, negative talk about a former employer). A long notice period is a risk to weigh, not
  a reason to hold back the recommendation.
* ``not_recommended``: compatibility < ``NOT_RECOMMENDED_BELOW`` (0.45).
* ``consider``: everything else, including compatibility ≥ 0.70 with a blocking flag, and an unknown compatibility
  (None): without a fit or match figure the report does not decide.

Language: ``ru``, ``RU``, ``ru-RU``, ``ru_RU`` give Russian; anything else gives English. Every phrase exists in both
languages. ``strength_keys`` and ``risk_keys`` name what each phrase stands for (a competency or a red-flag kind), in
the same order as the phrases, so the caller can attach the evidence (the competency's quotes, the flag's quote).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from talentmind.competencies import COMPETENCIES
from talentmind.culture import normalize_language
from talentmind.scoring.red_flags import RED_FLAG_KINDS, RedFlag, RedFlagKind

Recommendation = Literal["recommended", "consider", "not_recommended"]

RECOMMENDED_MIN_COMPATIBILITY = 0.70
NOT_RECOMMENDED_BELOW = 0.45
STRENGTH_MIN_SCORE = 0.65
RISK_MAX_SCORE = 0.35
MIN_CONFIDENCE = 0.4
MAX_STRENGTHS = 3
MAX_RISKS = 4
# Red flags that keep a candidate from "recommended" however well they fit.
BLOCKING_FLAGS: frozenset[RedFlagKind] = frozenset({"salary_above_range", "negative_about_former_employer"})


@dataclass(frozen=True)
class Phrase:
    en: str
    ru: str

    def text(self, language: str) -> str:
        return self.ru if normalize_language(language) == "ru" else self.en


STRENGTH_PHRASES: Mapping[str, Phrase] = {
    "leadership": Phrase("Takes ownership and leads people", "Берёт ответственность и ведёт команду"),
    "communication": Phrase("Communicates clearly and persuasively", "Ясно и убедительно излагает мысли"),
    "empathy": Phrase("Attentive to people and their needs", "Внимание к людям и их потребностям"),
    "logic": Phrase("Structured reasoning", "Системное мышление"),
    "planning": Phrase("Plans systematically", "Системное планирование"),
    "stress_tolerance": Phrase("Stays calm under pressure", "Сохраняет спокойствие под давлением"),
}
RISK_PHRASES: Mapping[str, Phrase] = {
    "leadership": Phrase("Few examples of leadership", "Мало примеров лидерства"),
    "communication": Phrase("Struggles to express ideas clearly", "Сложности с ясным изложением мыслей"),
    "empathy": Phrase("Little attention to other people's needs", "Мало внимания к потребностям других"),
    "logic": Phrase("Inconsistent reasoning", "Непоследовательная аргументация"),
    "planning": Phrase("Weak planning", "Слабое планирование"),
    "stress_tolerance": Phrase("Struggles under pressure", "Трудно переносит давление"),
}
RED_FLAG_PHRASES: Mapping[str, Phrase] = {
    "salary_above_range": Phrase("High salary expectations", "Высокие зарплатные ожидания"),
    "long_notice_period": Phrase("Long notice period", "Долгий срок выхода"),
    "negative_about_former_employer": Phrase(
        "Speaks negatively about a former employer", "Негативно отзывается о прошлом работодателе"
    ),
}


@dataclass(frozen=True)
class Report:
    recommendation: Recommendation
    strengths: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    strength_keys: list[str] = field(default_factory=list)
    risk_keys: list[str] = field(default_factory=list)


def strength_phrase(competency: str, language: str) -> str:
    """The strength phrase for a competency, in Russian or English."""
    if competency not in STRENGTH_PHRASES:
        raise ValueError(f"unknown competency: {competency}")
    return STRENGTH_PHRASES[competency].text(language)


def risk_phrase(key: str, language: str) -> str:
    """The risk phrase for a competency or a red-flag kind, in Russian or English."""
    phrase = RISK_PHRASES.get(key) or RED_FLAG_PHRASES.get(key)
    if phrase is None:
        raise ValueError(f"unknown risk: {key}")
    return phrase.text(language)


def recommend(compatibility: float | None, flags: Sequence[RedFlag] = ()) -> Recommendation:
    """``recommended`` / ``consider`` / ``not_recommended`` from compatibility and red flags (module docstring)."""
    if compatibility is None:
        return "consider"
    _check_unit("compatibility", compatibility)
    if compatibility < NOT_RECOMMENDED_BELOW:
        return "not_recommended"
    if compatibility >= RECOMMENDED_MIN_COMPATIBILITY and not any(flag.kind in BLOCKING_FLAGS for flag in flags):
        return "recommended"
    return "consider"


def build_report(
    scores: Mapping[str, float],
    confidence: Mapping[str, float],
    compatibility: float | None,
    flags: Sequence[RedFlag],
    language: str,
) -> Report:
    """The report for one candidate; see the module docstring for the rules. Raises ValueError on unknown
    competencies or values outside [0, 1]."""
    unknown = sorted(set(scores) - set(COMPETENCIES))
    if unknown:
        raise ValueError(f"unknown competencies: {', '.join(unknown)}")
    for name, value in scores.items():
        _check_unit(f"score of {name}", value)
    for name, value in confidence.items():
        _check_unit(f"confidence of {name}", value)
    unknown_flags = sorted({flag.kind for flag in flags} - set(RED_FLAG_KINDS))
    if unknown_flags:
        raise ValueError(f"unknown red flags: {', '.join(unknown_flags)}")

    order = {name: index for index, name in enumerate(COMPETENCIES)}
    confident = [name for name in COMPETENCIES if name in scores and confidence.get(name, 0.0) >= MIN_CONFIDENCE]
    strong = sorted(
        (name for name in confident if scores[name] >= STRENGTH_MIN_SCORE),
        key=lambda name: (-scores[name], order[name]),
    )[:MAX_STRENGTHS]
    weak = sorted(
        (name for name in confident if scores[name] <= RISK_MAX_SCORE),
        key=lambda name: (scores[name], order[name]),
    )
    stated = {flag.kind for flag in flags}
    risk_keys: list[str] = [kind for kind in RED_FLAG_KINDS if kind in stated]
    risk_keys = [*risk_keys, *weak][:MAX_RISKS]

    return Report(
        recommendation=recommend(compatibility, flags),
        strengths=[strength_phrase(name, language) for name in strong],
        risks=[risk_phrase(key, language) for key in risk_keys],
        strength_keys=strong,
        risk_keys=risk_keys,
    )


def _check_unit(what: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{what} must be a number in [0, 1], got {value!r}")
