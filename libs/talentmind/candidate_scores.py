"""How a candidate's scores combine across their completed interviews.

Each competency, ``match`` and ``performance`` is the plain mean over the completed interviews that have it. A
candidate interviewed twice is judged on both conversations equally; no interview counts more for being recent,
because a later interview for another vacancy is not better evidence of the same skill.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import fmean


@dataclass(frozen=True)
class InterviewResult:
    match: float | None
    performance: float | None
    scores: Mapping[str, float] | None


@dataclass(frozen=True)
class CandidateAggregate:
    interviews: int
    match: float | None
    performance: float | None
    scores: dict[str, float] | None = field(default=None)

    def criterion(self, name: str) -> float | None:
        if name == "match":
            return self.match
        if name == "performance":
            return self.performance
        return (self.scores or {}).get(name)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 4) if present else None


def aggregate(results: list[InterviewResult]) -> CandidateAggregate:
    if not results:
        return CandidateAggregate(0, None, None, None)
    names = sorted({name for r in results for name in (r.scores or {})})
    scores = {name: _mean((r.scores or {}).get(name) for r in results) for name in names}
    return CandidateAggregate(
        interviews=len(results),
        match=_mean(r.match for r in results),
        performance=_mean(r.performance for r in results),
        scores={k: v for k, v in scores.items() if v is not None} or None,
    )
