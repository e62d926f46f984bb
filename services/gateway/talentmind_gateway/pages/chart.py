"""Geometry of the competency radar chart, drawn as inline SVG by the template (nothing fetched at view time)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SIZE = 360
CENTER = SIZE / 2
RADIUS = 120.0
RINGS = (0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Axis:
    key: str
    x: float  # end of the axis line (score 1)
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor, so labels on the left end at their axis


@dataclass(frozen=True)
class Radar:
    size: int
    axes: list[Axis]
    rings: list[str]  # polygon points of each grid ring
    shape: str  # polygon points of the scores
    dots: list[tuple[float, float]]


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    # The first axis points up; the others follow clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return round(CENTER + RADIUS * fraction * math.cos(angle), 1), round(
        CENTER + RADIUS * fraction * math.sin(angle), 1
    )


def _points(values: Sequence[float]) -> str:
    return " ".join(f"{x},{y}" for x, y in (_point(i, len(values), v) for i, v in enumerate(values)))


def radar(keys: Sequence[str], scores: Sequence[float]) -> Radar:
    """The chart of ``scores`` (each in [0, 1], clamped) on one axis per key, in order."""
    count = len(keys)
    clamped = [min(1.0, max(0.0, s)) for s in scores]
    axes = []
    for i, key in enumerate(keys):
        x, y = _point(i, count, 1.0)
        lx, ly = _point(i, count, 1.16)
        anchor = "middle" if abs(lx - CENTER) < 1 else ("start" if lx > CENTER else "end")
        axes.append(Axis(key, x, y, lx, ly + 4, anchor))
    return Radar(
        size=SIZE,
        axes=axes,
        rings=[_points([ring] * count) for ring in RINGS],
        shape=_points(clamped),
        dots=[_point(i, count, v) for i, v in enumerate(clamped)],
    )
