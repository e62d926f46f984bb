"""The six soft-skill competencies TalentMind scores, each in [0, 1]."""

from __future__ import annotations

from typing import Literal

COMPETENCIES: tuple[str, ...] = ("leadership", "communication", "empathy", "logic", "planning", "stress_tolerance")
Competency = Literal["leadership", "communication", "empathy", "logic", "planning", "stress_tolerance"]

# What POST /v1/candidates/compare can rank by.
COMPARE_CRITERIA: tuple[str, ...] = ("match", "performance", *COMPETENCIES)
