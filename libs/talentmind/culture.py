"""Culture profiles and person-organisation fit, after the Organizational Culture Profile (OCP).

Source: C. A. O'Reilly III, J. Chatman and D. F. Caldwell (1991), "People and Organizational Culture: A Profile
Comparison Approach to Assessing Person-Organization Fit", Academy of Management Journal 34(3), 487-516. The seven
dimensions (innovation, stability, respect for people, outcome orientation, attention to detail, team orientation,
aggressiveness) are the organisational-culture factors of that paper, also used by J. A. Chatman and K. A. Jehn (1994),
Academy of Management Journal 37(3), 522-553. Here they are called innovation, stability, people, results, detail,
team and competitiveness, as in the API.

Method
------
* The OCP has 54 value statements (``ITEMS``). A profile rates each of them from 1 (least characteristic / least
  desired) to 9 (most characteristic / most desired). The original instrument is a forced Q-sort into nine categories
  of 2-4-6-9-12-9-6-4-2 items; ratings are accepted as any number in [1, 9] (an organisation's profile is usually the
  mean of several informants' sorts, so fractions are normal), and ``is_forced_distribution`` tells whether a profile
  has the classic shape. ``validate_profile`` requires all 54 items.
* ``dimension_scores``: per dimension, the plain mean rating of its items, mapped linearly from [1, 9] to [0, 1].
  Every item belongs to exactly one dimension. Items that define a factor in the published solution are placed on
  it; the others (about half of the 54 load on no factor) are placed on the closest dimension by content, marked
  ``# closest`` below. Items that load *negatively* on a factor (being careful on innovation; low conflict and social
  responsibility against aggressiveness) are placed on the dimension they express positively, since a score is an
  unweighted mean of positively keyed items. All reported numbers are rounded half up to 2 decimals.
* ``person_organization_fit``: as in the paper, fit is the Pearson correlation r of the organisation's and the
  person's 54-item profiles, reported as ``(r + 1) / 2`` in [0, 1]. A constant profile (all items rated the same)
  has no variance, so r is undefined; it carries no information about fit and is reported as the neutral 0.5
  (``FitResult.correlation`` is then None).
* ``matches`` / ``attention`` compare the two profiles dimension by dimension, by the absolute difference of the
  (rounded) dimension scores: see ``MATCH_MAX_DIFFERENCE``, ``ATTENTION_MIN_DIFFERENCE``, ``MAX_MATCHES`` and
  ``MAX_ATTENTION``. ``describe`` turns dimension ids into phrases for people, in Russian or English.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

# Dimension ids, in the order of the API contract (GET /v1/culture/profile).
DIMENSIONS: tuple[str, ...] = ("innovation", "stability", "people", "results", "detail", "team", "competitiveness")

RATING_MIN = 1
RATING_MAX = 9
ITEM_COUNT = 54
# Items per Q-sort category 1..9 in the original forced distribution (sums to 54).
FORCED_DISTRIBUTION: tuple[int, ...] = (2, 4, 6, 9, 12, 9, 6, 4, 2)

# A dimension "matches" when the two scores differ by at most this much, and "needs attention" from this much up.
# Dimension scores are in [0, 1]; 0.15 is a little more than one Q-sort category (1/8 = 0.125), 0.25 is two.
MATCH_MAX_DIFFERENCE = 0.15
ATTENTION_MIN_DIFFERENCE = 0.25
MAX_MATCHES = 2
MAX_ATTENTION = 2

LANGUAGES: tuple[str, ...] = ("en", "ru")


class CultureProfileError(ValueError):
    """A culture profile that cannot be used: unknown items, missing items or ratings outside [1, 9]."""

    def __init__(
        self,
        message: str,
        *,
        unknown: tuple[str, ...] = (),
        missing: tuple[str, ...] = (),
        out_of_range: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.unknown = unknown
        self.missing = missing
        self.out_of_range = out_of_range


@dataclass(frozen=True)
class CultureItem:
    """One OCP value statement."""

    id: str
    label_en: str
    label_ru: str
    dimension: str


@dataclass(frozen=True)
class Dimension:
    """One culture dimension and the phrase people read for it (in ``matches`` and ``attention``)."""

    id: str
    phrase_en: str
    phrase_ru: str


@dataclass(frozen=True)
class FitResult:
    """Person-organisation fit.

    ``fit_score`` is (r + 1) / 2 in [0, 1]; ``correlation`` is r, or None where a profile is constant.
    ``matches`` and ``attention`` are dimension ids, closest first and farthest first; ``differences`` holds the
    absolute difference of the two dimension scores for every dimension, in contract order.
    """

    fit_score: float
    correlation: float | None
    matches: tuple[str, ...]
    attention: tuple[str, ...]
    differences: dict[str, float] = field(default_factory=dict)


DIMENSION_INFO: tuple[Dimension, ...] = (
    Dimension("innovation", "Openness to innovation", "Открытость к инновациям"),
    Dimension("stability", "Stability and predictability", "Стабильность и предсказуемость"),
    Dimension("people", "Respect for people", "Уважение к людям"),
    Dimension("results", "Execution discipline", "Исполнительская дисциплина"),
    Dimension("detail", "Analytical approach", "Аналитический подход"),
    Dimension("team", "Teamwork", "Командное взаимодействие"),
    Dimension("competitiveness", "Competitive drive", "Конкурентный настрой"),
)

# The 54 OCP items in the order of the published list (O'Reilly et al., 1991). Items without a comment load on
# their dimension's factor in the published solution; "# closest" marks items that load on none (or load
# negatively elsewhere) and were placed by content.
ITEMS: tuple[CultureItem, ...] = (
    CultureItem("flexibility", "Flexibility", "Гибкость", "innovation"),  # closest
    CultureItem("adaptability", "Adaptability", "Адаптивность", "innovation"),  # closest
    CultureItem("stability", "Stability", "Стабильность", "stability"),
    CultureItem("predictability", "Predictability", "Предсказуемость", "stability"),
    CultureItem("being_innovative", "Being innovative", "Инновационность", "innovation"),
    CultureItem(
        "quick_to_take_opportunities",
        "Being quick to take advantage of opportunities",
        "Быстрое использование возможностей",
        "innovation",
    ),
    CultureItem(
        "willingness_to_experiment", "A willingness to experiment", "Готовность экспериментировать", "innovation"
    ),
    CultureItem("risk_taking", "Risk taking", "Готовность рисковать", "innovation"),
    # Loads negatively on innovation; as a positively keyed item it belongs with stability.
    CultureItem("being_careful", "Being careful", "Осторожность", "stability"),  # closest
    CultureItem("autonomy", "Autonomy", "Самостоятельность", "innovation"),  # closest
    CultureItem("rule_oriented", "Being rule oriented", "Следование правилам", "stability"),
    CultureItem("analytical", "Being analytical", "Аналитичность", "detail"),
    CultureItem("attention_to_detail", "Paying attention to detail", "Внимание к деталям", "detail"),
    CultureItem("precise", "Being precise", "Точность", "detail"),
    CultureItem("team_oriented", "Being team oriented", "Ориентация на команду", "team"),
    CultureItem("sharing_information", "Sharing information freely", "Свободный обмен информацией", "team"),  # closest
    CultureItem(
        "single_culture",
        "Emphasizing a single culture throughout the organization",
        "Единая культура во всей организации",
        "team",
    ),  # closest
    CultureItem("people_oriented", "Being people oriented", "Ориентация на людей", "people"),
    CultureItem("fairness", "Fairness", "Справедливость", "people"),
    CultureItem(
        "respect_for_individual_rights", "Respect for the individual's rights", "Уважение прав личности", "people"
    ),
    CultureItem("tolerance", "Tolerance", "Терпимость", "people"),
    CultureItem("informality", "Informality", "Неформальность отношений", "team"),  # closest
    CultureItem("easy_going", "Being easy going", "Непринуждённость", "team"),  # closest
    CultureItem("calm", "Being calm", "Спокойствие", "stability"),  # closest
    CultureItem("supportive", "Being supportive", "Поддержка", "people"),  # closest
    CultureItem("aggressive", "Being aggressive", "Напористость", "competitiveness"),
    CultureItem("decisiveness", "Decisiveness", "Решительность", "results"),  # closest
    CultureItem("action_orientation", "Action orientation", "Ориентация на действие", "results"),
    CultureItem("taking_initiative", "Taking initiative", "Проявление инициативы", "results"),  # closest
    CultureItem("reflective", "Being reflective", "Вдумчивость", "detail"),  # closest
    CultureItem("achievement_orientation", "Achievement orientation", "Ориентация на достижения", "results"),
    CultureItem("demanding", "Being demanding", "Требовательность", "results"),  # closest
    CultureItem(
        "individual_responsibility", "Taking individual responsibility", "Личная ответственность", "results"
    ),  # closest
    CultureItem(
        "high_performance_expectations",
        "Having high expectations for performance",
        "Высокие требования к результативности",
        "results",
    ),
    CultureItem(
        "professional_growth",
        "Opportunities for professional growth",
        "Возможности профессионального роста",
        "people",
    ),  # closest
    CultureItem(
        "high_pay_for_performance", "High pay for good performance", "Высокая оплата за хорошие результаты", "results"
    ),  # closest
    CultureItem("employment_security", "Security of employment", "Гарантия занятости", "stability"),
    CultureItem(
        "praise_for_performance", "Offers praise for good performance", "Признание хороших результатов", "people"
    ),  # closest
    # Loads negatively on aggressiveness; as a positively keyed item it belongs with stability.
    CultureItem("low_conflict", "Low level of conflict", "Низкий уровень конфликтов", "stability"),  # closest
    CultureItem(
        "confronting_conflict", "Confronting conflict directly", "Открытое обсуждение конфликтов", "competitiveness"
    ),  # closest
    CultureItem("developing_friends", "Developing friends at work", "Дружеские отношения на работе", "team"),  # closest
    CultureItem("fitting_in", "Fitting in", "Вписываться в коллектив", "team"),  # closest
    CultureItem("collaboration", "Working in collaboration with others", "Совместная работа с другими", "team"),
    CultureItem("enthusiasm_for_job", "Enthusiasm for the job", "Увлечённость работой", "results"),  # closest
    CultureItem("working_long_hours", "Working long hours", "Долгий рабочий день", "results"),  # closest
    CultureItem(
        "not_constrained_by_rules",
        "Not being constrained by many rules",
        "Свобода от множества правил",
        "innovation",
    ),
    CultureItem("emphasis_on_quality", "An emphasis on quality", "Акцент на качестве", "detail"),  # closest
    CultureItem(
        "distinctiveness", "Being distinctive, different from others", "Непохожесть на других", "competitiveness"
    ),  # closest
    CultureItem("good_reputation", "Having a good reputation", "Хорошая репутация", "competitiveness"),  # closest
    # Loads negatively on aggressiveness; as a positively keyed item it belongs with respect for people.
    CultureItem(
        "socially_responsible", "Being socially responsible", "Социальная ответственность", "people"
    ),  # closest
    CultureItem("results_oriented", "Being results oriented", "Ориентация на результат", "results"),
    CultureItem(
        "clear_guiding_philosophy",
        "Having a clear guiding philosophy",
        "Чёткая руководящая философия",
        "stability",
    ),  # closest
    CultureItem("competitive", "Being competitive", "Конкурентность", "competitiveness"),
    CultureItem("highly_organized", "Being highly organized", "Высокая организованность", "detail"),  # closest
)

ITEM_IDS: tuple[str, ...] = tuple(item.id for item in ITEMS)
_ITEMS_BY_ID: dict[str, CultureItem] = {item.id: item for item in ITEMS}
_DIMENSIONS_BY_ID: dict[str, Dimension] = {dimension.id: dimension for dimension in DIMENSION_INFO}


def items_of(dimension: str) -> tuple[CultureItem, ...]:
    """The items of one dimension, in OCP order."""
    if dimension not in _DIMENSIONS_BY_ID:
        raise ValueError(f"unknown culture dimension: {dimension}")
    return tuple(item for item in ITEMS if item.dimension == dimension)


def normalize_language(language: str) -> str:
    """``"ru"`` for Russian (``ru``, ``RU``, ``ru-RU``, ``ru_RU``), ``"en"`` for anything else."""
    base = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else "en"


def item_label(item_id: str, language: str) -> str:
    """The label of an OCP item in ``"ru"`` or ``"en"`` (any other language gives English)."""
    item = _ITEMS_BY_ID.get(item_id)
    if item is None:
        raise ValueError(f"unknown culture item: {item_id}")
    return item.label_ru if normalize_language(language) == "ru" else item.label_en


def describe(dimensions: Iterable[str], language: str) -> list[str]:
    """Phrases for dimension ids (as in ``FitResult.matches``) in ``"ru"`` or ``"en"``; unknown language → English."""
    ids = list(dimensions)
    unknown = [dimension for dimension in ids if dimension not in _DIMENSIONS_BY_ID]
    if unknown:
        raise ValueError(f"unknown culture dimensions: {', '.join(unknown)}")
    russian = normalize_language(language) == "ru"
    return [_DIMENSIONS_BY_ID[d].phrase_ru if russian else _DIMENSIONS_BY_ID[d].phrase_en for d in ids]


def validate_profile(ratings: Mapping[str, float]) -> dict[str, float]:
    """All 54 ratings as floats in OCP item order, or ``CultureProfileError`` naming every problem found."""
    unknown = tuple(sorted(key for key in ratings if key not in _ITEMS_BY_ID))
    missing = tuple(item_id for item_id in ITEM_IDS if item_id not in ratings)
    out_of_range = tuple(item_id for item_id in ITEM_IDS if item_id in ratings and not _is_rating(ratings[item_id]))
    if unknown or missing or out_of_range:
        problems = []
        if unknown:
            problems.append(f"unknown items: {', '.join(unknown)}")
        if missing:
            problems.append(f"missing items: {', '.join(missing)}")
        if out_of_range:
            problems.append(f"ratings not a number in {RATING_MIN}..{RATING_MAX}: {', '.join(out_of_range)}")
        raise CultureProfileError(
            "invalid culture profile: " + "; ".join(problems),
            unknown=unknown,
            missing=missing,
            out_of_range=out_of_range,
        )
    return {item_id: float(ratings[item_id]) for item_id in ITEM_IDS}


def is_forced_distribution(profile: Mapping[str, float]) -> bool:
    """True when a valid profile is a classic OCP Q-sort: whole ratings, 2-4-6-9-12-9-6-4-2 items per category."""
    values = validate_profile(profile).values()
    if any(not value.is_integer() for value in values):
        return False
    counts = Counter(int(value) for value in values)
    return all(counts[category] == expected for category, expected in enumerate(FORCED_DISTRIBUTION, RATING_MIN))


def dimension_scores(profile: Mapping[str, float]) -> dict[str, float]:
    """Mean rating per dimension mapped from [1, 9] to [0, 1], rounded to 2 decimals, in contract order."""
    ratings = validate_profile(profile)
    return {dimension: _round2(_to_unit(_dimension_mean(ratings, dimension))) for dimension in DIMENSIONS}


def person_organization_fit(org_profile: Mapping[str, float], person_profile: Mapping[str, float]) -> FitResult:
    """Fit of a person's 54-item profile to an organisation's: (Pearson r + 1) / 2, plus matches and attention.

    ``matches``: up to ``MAX_MATCHES`` dimensions whose scores differ by at most ``MATCH_MAX_DIFFERENCE``, closest
    first. ``attention``: up to ``MAX_ATTENTION`` dimensions whose scores differ by at least
    ``ATTENTION_MIN_DIFFERENCE``, farthest first. Differences are taken between the rounded dimension scores (the
    numbers people see) and rounded to 2 decimals; ties keep the contract order of the dimensions.
    """
    org = validate_profile(org_profile)
    person = validate_profile(person_profile)
    r = _pearson([org[i] for i in ITEM_IDS], [person[i] for i in ITEM_IDS])
    fit_score = 0.5 if r is None else _round2((r + 1.0) / 2.0)

    org_scores = dimension_scores(org)
    person_scores = dimension_scores(person)
    differences = {d: _round2(abs(org_scores[d] - person_scores[d])) for d in DIMENSIONS}
    closest_first = sorted(DIMENSIONS, key=lambda d: differences[d])
    farthest_first = sorted(DIMENSIONS, key=lambda d: -differences[d])
    matches = tuple(d for d in closest_first if differences[d] <= MATCH_MAX_DIFFERENCE)[:MAX_MATCHES]
    attention = tuple(d for d in farthest_first if differences[d] >= ATTENTION_MIN_DIFFERENCE)[:MAX_ATTENTION]
    return FitResult(fit_score=fit_score, correlation=r, matches=matches, attention=attention, differences=differences)


def _is_rating(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    number = float(value)
    return math.isfinite(number) and RATING_MIN <= number <= RATING_MAX


def _dimension_mean(ratings: Mapping[str, float], dimension: str) -> float:
    values = [ratings[item.id] for item in ITEMS if item.dimension == dimension]
    return sum(values) / len(values)


def _to_unit(rating: float) -> float:
    return (rating - RATING_MIN) / (RATING_MAX - RATING_MIN)


def _round2(value: float) -> float:
    """Round half up to 2 decimals, on the shortest decimal form of the float (0.625 → 0.63, 0.285 → 0.29)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson correlation, or None when either series has no variance."""
    n = len(xs)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = sum(d * d for d in dx)
    syy = sum(d * d for d in dy)
    if sxx == 0.0 or syy == 0.0:
        return None
    r = sum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))
