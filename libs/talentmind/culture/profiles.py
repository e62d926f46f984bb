"""Culture profiles: parsing the two answer modes, and aggregating many respondents into one company profile.

A profile holds all 54 items on the Q-sort's 1..9 scale (9 = most characteristic of the company, or most wanted
by the candidate). It comes in one of two modes:

* ``qsort``: every item in one of nine categories with the forced distribution 2-4-6-9-12-9-6-4-2, as in the
  original instrument: the respondent has to choose what matters most, so every profile has the same spread;
* ``rating``: every item rated on a scale (``[1, 5]``, ``[0, 10]``, ...), mapped linearly onto 1..9. Easier to
  answer; profiles of people who rate everything high correlate all the same, since fit is a correlation.

A body without ``mode`` is a rating on [1, 9] (the first version of the API). Validation is strict and names every
problem (unknown ids, missing ids, values out of range, categories over or under their quota).

A company's profile is the mean of its respondents' profiles, item by item, with the spread (standard deviation)
per item. Agreement between respondents is the mean correlation between their profiles (the same measure as fit):
an organisation whose people describe it differently has no single culture, and the API says so. The levels follow
Cohen's conventions for a correlation (0.1 small, 0.3 medium, 0.5 large); they are ours, not the instrument's.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any

import numpy as np

from talentmind.culture.catalogue import DIMENSIONS, ITEM_IDS, ITEMS, ITEMS_BY_ID, normalize_language

RATING_MIN = 1
RATING_MAX = 9
# Items per Q-sort category 1..9 in the original forced distribution (sums to 54).
FORCED_DISTRIBUTION: tuple[int, ...] = (2, 4, 6, 9, 12, 9, 6, 4, 2)
MODES: tuple[str, ...] = ("qsort", "rating")
# A rating scale's ends must lie within this (a percentage is the widest scale anyone uses).
SCALE_LIMIT = 100.0

# Agreement levels by the mean correlation between respondents' profiles (Cohen's 0.1 / 0.3 / 0.5).
AGREEMENT_LEVELS: tuple[tuple[float, str], ...] = ((0.5, "strong"), (0.3, "moderate"), (0.1, "weak"))
SHARED_CULTURE_MIN_R = 0.3

AGREEMENT_SUMMARY: dict[str, dict[str, str]] = {
    "unknown": {
        "en": "One respondent so far: agreement between people cannot be measured yet.",
        "ru": "Пока ответил один человек: согласие между сотрудниками ещё нельзя оценить.",
    },
    "strong": {
        "en": "Respondents describe the company in much the same way: a shared culture.",
        "ru": "Сотрудники описывают компанию почти одинаково: культура общая.",
    },
    "moderate": {
        "en": "Respondents broadly agree on what the company is like: a shared culture with differences.",
        "ru": "Сотрудники в целом сходятся в том, какая у компании культура, хотя и с различиями.",
    },
    "weak": {
        "en": "Respondents agree little: the profile is an average of different views, not a single culture.",
        "ru": "Сотрудники мало согласны друг с другом: профиль усредняет разные взгляды, единой культуры нет.",
    },
    "none": {
        "en": "Respondents do not agree on what the company is like: there is no single culture to fit.",
        "ru": "Сотрудники не согласны в том, какая у компании культура: единой культуры, с которой сравнивать, нет.",
    },
}


class ProfileError(ValueError):
    """A profile that cannot be used. ``problems`` has one ``{"field", "message"}`` per thing wrong."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("invalid culture profile: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Profile:
    """One respondent's (or one candidate's) answers on the 1..9 scale, in catalogue order."""

    ratings: dict[str, float]
    mode: str  # "qsort" | "rating"


@dataclass(frozen=True)
class Agreement:
    """How much respondents agree. ``mean_r`` is the mean correlation between their profiles (None below two
    profiles with any variance), ``reliability`` the Spearman-Brown reliability of the mean profile."""

    compared: int
    mean_r: float | None
    reliability: float | None
    level: str  # "strong" | "moderate" | "weak" | "none" | "unknown"

    @property
    def shared_culture(self) -> bool | None:
        return None if self.mean_r is None else self.mean_r >= SHARED_CULTURE_MIN_R

    def summary(self, language: str) -> str:
        return AGREEMENT_SUMMARY[self.level][normalize_language(language)]


@dataclass(frozen=True)
class CompanyProfile:
    """The aggregate of ``respondents`` profiles: the mean and the spread (SD) of every item, on 1..9."""

    ratings: dict[str, float]
    spread: dict[str, float]
    respondents: int
    agreement: Agreement


def parse_profile(items: Mapping[str, Any], *, mode: str | None = None, scale: Sequence[Any] | None = None) -> Profile:
    """A profile from an API body's ``mode``, ``scale`` and ``items``, or :class:`ProfileError` naming everything
    that is wrong."""
    if mode is None:
        mode, scale = "rating", (RATING_MIN, RATING_MAX) if scale is None else scale
    if mode not in MODES:
        raise ProfileError([{"field": "mode", "message": f"must be one of {', '.join(MODES)}"}])
    problems = _id_problems(items)
    if mode == "qsort":
        if scale is not None:
            problems.append({"field": "scale", "message": "a Q-sort has no scale: its categories are 1..9"})
        problems += _qsort_problems(items)
        if problems:
            raise ProfileError(problems)
        return Profile({i: float(items[i]) for i in ITEM_IDS}, "qsort")
    low, high = _scale(scale, problems)
    for item_id in ITEM_IDS:
        if item_id in items and not _number_in(items[item_id], low, high):
            problems.append(
                {"field": f"items.{item_id}", "message": f"must be a number from {_fmt(low)} to {_fmt(high)}"}
            )
    if problems:
        raise ProfileError(problems)
    span = high - low
    return Profile(
        {i: RATING_MIN + (float(items[i]) - low) * (RATING_MAX - RATING_MIN) / span for i in ITEM_IDS}, "rating"
    )


def forced_distribution_problems(counts: Mapping[int, int]) -> list[str]:
    """What is off in a Q-sort's category counts, e.g. ``category 9 holds 3 items, the Q-sort takes 2``."""
    return [
        f"category {category} holds {counts.get(category, 0)} items, the Q-sort takes {expected}"
        for category, expected in reversed(list(enumerate(FORCED_DISTRIBUTION, RATING_MIN)))
        if counts.get(category, 0) != expected
    ]


def is_forced_distribution(ratings: Mapping[str, float]) -> bool:
    """Whether 54 ratings have the classic Q-sort shape: whole categories 1..9 filled 2-4-6-9-12-9-6-4-2."""
    values = [ratings[i] for i in ITEM_IDS if i in ratings]
    if len(values) != len(ITEM_IDS) or any(not float(v).is_integer() for v in values):
        return False
    return not forced_distribution_problems(Counter(int(v) for v in values))


def dimension_scores(ratings: Mapping[str, float]) -> dict[str, float]:
    """Mean rating per dimension mapped from [1, 9] to [0, 1], rounded to 2 decimals, in contract order."""
    return {d: round2(to_unit(dimension_mean(ratings, d))) for d in DIMENSIONS}


def dimension_mean(ratings: Mapping[str, float], dimension: str) -> float:
    values = [ratings[item.id] for item in ITEMS if item.dimension == dimension]
    return sum(values) / len(values)


def aggregate(profiles: Sequence[Mapping[str, float]]) -> CompanyProfile:
    """The company profile of its respondents' profiles (on 1..9): mean and SD per item, and their agreement."""
    if not profiles:
        raise ValueError("no profiles to aggregate")
    matrix = np.array([[float(p[i]) for i in ITEM_IDS] for p in profiles], dtype=np.float64)
    means = matrix.mean(axis=0)
    spread = matrix.std(axis=0, ddof=1) if len(profiles) > 1 else np.zeros(len(ITEM_IDS))
    return CompanyProfile(
        ratings={i: round2(float(m)) for i, m in zip(ITEM_IDS, means, strict=True)},
        spread={i: round2(float(s)) for i, s in zip(ITEM_IDS, spread, strict=True)},
        respondents=len(profiles),
        agreement=agreement(matrix),
    )


def agreement(matrix: np.ndarray) -> Agreement:
    """Mean Pearson correlation over all pairs of rows (profiles), in O(n): with every row centred and scaled to
    unit length, the sum of the pairwise correlations is ``(|sum of rows|^2 - n) / 2``. Rows without variance
    (one rating for everything) say nothing about which items matter and are left out."""
    centred = matrix - matrix.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centred, axis=1)
    units = centred[norms > 1e-9] / norms[norms > 1e-9, None]
    n = len(units)
    if n < 2:
        return Agreement(n, None, None, "unknown")
    total = units.sum(axis=0)
    mean_r = float((total @ total - n) / (n * (n - 1)))
    mean_r = max(-1.0, min(1.0, mean_r))
    reliability = n * mean_r / (1 + (n - 1) * mean_r) if mean_r > 0 else 0.0
    level = next((name for floor, name in AGREEMENT_LEVELS if mean_r >= floor), "none")
    return Agreement(n, round2(mean_r), round2(reliability), level)


def to_unit(rating: float) -> float:
    return (rating - RATING_MIN) / (RATING_MAX - RATING_MIN)


def round2(value: float) -> float:
    """Half up to 2 decimals on the shortest decimal form of the float (0.625 → 0.63, 0.285 → 0.29)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _id_problems(items: Mapping[str, Any]) -> list[dict[str, str]]:
    problems = []
    unknown = sorted(key for key in items if key not in ITEMS_BY_ID)
    missing = [i for i in ITEM_IDS if i not in items]
    if unknown:
        problems.append({"field": "items", "message": f"unknown items: {', '.join(unknown)} (GET /v1/culture/items)"})
    if missing:
        problems.append({"field": "items", "message": f"missing items ({len(missing)} of 54): {', '.join(missing)}"})
    return problems


def _qsort_problems(items: Mapping[str, Any]) -> list[dict[str, str]]:
    problems, categories = [], []
    for item_id in ITEM_IDS:
        if item_id not in items:
            continue
        value = items[item_id]
        if not _number_in(value, RATING_MIN, RATING_MAX) or not float(value).is_integer():
            problems.append({"field": f"items.{item_id}", "message": "must be a whole category from 1 to 9"})
        else:
            categories.append(int(value))
    if not problems and len(categories) == len(ITEM_IDS):
        problems += [{"field": "items", "message": m} for m in forced_distribution_problems(Counter(categories))]
    return problems


def _scale(scale: Sequence[Any] | None, problems: list[dict[str, str]]) -> tuple[float, float]:
    if scale is None:
        problems.append({"field": "scale", "message": "a rating needs its scale, e.g. [1, 5]"})
        return RATING_MIN, RATING_MAX
    ends = list(scale)
    if (
        len(ends) != 2
        or not all(_number_in(end, -SCALE_LIMIT, SCALE_LIMIT) for end in ends)
        or float(ends[0]) >= float(ends[1])
    ):
        problems.append(
            {"field": "scale", "message": f"must be [low, high] with low < high, both within ±{_fmt(SCALE_LIMIT)}"}
        )
        return RATING_MIN, RATING_MAX
    return float(ends[0]), float(ends[1])


def _number_in(value: object, low: float, high: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    number = float(value)
    return math.isfinite(number) and low <= number <= high


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
