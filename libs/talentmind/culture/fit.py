"""Person-organisation fit: the correlation of two 54-item profiles, as in the Organizational Culture Profile.

Fit is the Pearson correlation r of the company's and the person's profiles, reported as ``(r + 1) / 2`` in
[0, 1]: identical profiles give 1.0, reversed ones 0.0. A profile with no variance (one rating for everything)
has no correlation; it carries no information about fit and is reported as the neutral 0.5 (``correlation``
None). ``matches`` and ``attention`` compare the two profiles dimension by dimension by the absolute difference of
the (rounded) dimension scores: up to ``MAX_MATCHES`` within ``MATCH_MAX_DIFFERENCE``, closest first, and up to
``MAX_ATTENTION`` from ``ATTENTION_MIN_DIFFERENCE`` up, farthest first; ties keep the contract's order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from talentmind.culture.catalogue import DIMENSIONS, ITEM_IDS
from talentmind.culture.profiles import dimension_scores, round2

# Dimension scores are in [0, 1]; 0.15 is a little more than one Q-sort category (1/8 = 0.125), 0.25 is two.
MATCH_MAX_DIFFERENCE = 0.15
ATTENTION_MIN_DIFFERENCE = 0.25
MAX_MATCHES = 2
MAX_ATTENTION = 2


@dataclass(frozen=True)
class FitResult:
    """``fit_score`` (r + 1) / 2; ``correlation`` r or None; ``matches``/``attention`` dimension ids;
    ``company``/``person`` the two sides' dimension scores and ``differences`` their absolute differences."""

    fit_score: float
    correlation: float | None
    matches: tuple[str, ...]
    attention: tuple[str, ...]
    differences: dict[str, float] = field(default_factory=dict)
    company: dict[str, float] = field(default_factory=dict)
    person: dict[str, float] = field(default_factory=dict)


def person_organization_fit(company: Mapping[str, float], person: Mapping[str, float]) -> FitResult:
    """Fit of a person's 54-item profile (1..9) to the company's."""
    r = pearson([float(company[i]) for i in ITEM_IDS], [float(person[i]) for i in ITEM_IDS])
    fit_score = 0.5 if r is None else round2((r + 1.0) / 2.0)
    company_scores, person_scores = dimension_scores(company), dimension_scores(person)
    differences = {d: round2(abs(company_scores[d] - person_scores[d])) for d in DIMENSIONS}
    closest_first = sorted(DIMENSIONS, key=lambda d: differences[d])
    farthest_first = sorted(DIMENSIONS, key=lambda d: -differences[d])
    return FitResult(
        fit_score=fit_score,
        correlation=None if r is None else round(r, 4),
        matches=tuple(d for d in closest_first if differences[d] <= MATCH_MAX_DIFFERENCE)[:MAX_MATCHES],
        attention=tuple(d for d in farthest_first if differences[d] >= ATTENTION_MIN_DIFFERENCE)[:MAX_ATTENTION],
        differences=differences,
        company=company_scores,
        person=person_scores,
    )


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson correlation, or None when either series has no variance."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    dx, dy = [x - mean_x for x in xs], [y - mean_y for y in ys]
    sxx, syy = sum(d * d for d in dx), sum(d * d for d in dy)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    r = sum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))
