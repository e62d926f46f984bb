"""How well an interview matches a vacancy.

``match = (1 − PERFORMANCE_SHARE) · Σ wᵢ·scoreᵢ / Σ wᵢ + PERFORMANCE_SHARE · performance``, with the vacancy's
competency weights ``wᵢ`` (competencies it does not weigh count 0). A vacancy without weights (or with all weights
zero) has ``match = performance``: with nothing said about what the job needs, the overall impression is the
best estimate. Half of the match always comes from ``performance`` because it is the part validated against
human ratings; the weighted competencies say *what kind* of strong the candidate is.
"""

from __future__ import annotations

from collections.abc import Mapping

PERFORMANCE_SHARE = 0.5


def interview_match(scores: Mapping[str, float], performance: float, weights: Mapping[str, float] | None) -> float:
    total = sum(w for w in (weights or {}).values() if w > 0)
    if total <= 0:
        return round(performance, 4)
    weighted = sum(scores.get(c, 0.0) * w for c, w in (weights or {}).items() if w > 0) / total
    return round((1 - PERFORMANCE_SHARE) * weighted + PERFORMANCE_SHARE * performance, 4)
