"""A candidate's culture profile inferred from what they said in their interviews.

The scorer leaves, per interview, :class:`CultureSignals` (``scoring/culture_signals.py``): for each of the 54
items how strongly the candidate's own sentences resemble what someone who values it says (the item's ``cues``,
in a multilingual sentence-embedding space), and the sentences behind each dimension. :func:`infer_profile`
pools the interviews (weighted by their sentences) and turns the items' order into a forced Q-sort, the same shape
a candidate's own sort has, so the fit is computed the same way.

This is a weaker source than the candidate's own sort, and says so: its ``confidence`` is at most
``MAX_CONFIDENCE`` and grows with the sentences heard; no human-rated data on people's values exists here to
validate it against (``docs/culture.md``). It answers "what did this person talk about valuing", not "who is this
person"; quotes show the words behind every dimension.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from talentmind.culture.catalogue import DIMENSIONS, ITEM_IDS
from talentmind.culture.profiles import FORCED_DISTRIBUTION, RATING_MAX

# An inferred profile never claims more than half the confidence of the candidate's own sort.
MAX_CONFIDENCE = 0.5
# Candidate sentences for full confidence, and the fewest to infer anything from.
FULL_CONFIDENCE_SENTENCES = 60
MIN_SENTENCES = 8
QUOTES_PER_DIMENSION = 2


@dataclass(frozen=True)
class CultureQuote:
    """A sentence of the candidate behind a dimension: ``item`` the item it resembles, ``strength`` by how much."""

    text: str
    item: str
    strength: float
    answer: int
    interview_id: str | None = None


@dataclass(frozen=True)
class CultureSignals:
    """One interview's evidence per item (relative: above or below the candidate's own average) and its quotes."""

    sentences: int
    items: dict[str, float]
    quotes: dict[str, list[CultureQuote]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "sentences": self.sentences,
            "items": {i: round(v, 4) for i, v in self.items.items()},
            "quotes": {
                d: [{"text": q.text, "item": q.item, "strength": q.strength, "answer": q.answer} for q in quotes]
                for d, quotes in self.quotes.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], interview_id: str | None = None) -> CultureSignals:
        return cls(
            sentences=int(data["sentences"]),
            items={i: float(v) for i, v in data["items"].items()},
            quotes={
                d: [
                    CultureQuote(q["text"], q["item"], float(q["strength"]), int(q["answer"]), interview_id)
                    for q in quotes
                ]
                for d, quotes in data.get("quotes", {}).items()
            },
        )


@dataclass(frozen=True)
class InferredProfile:
    ratings: dict[str, float]  # a forced Q-sort, 1..9
    confidence: float
    sentences: int
    interviews: int
    quotes: dict[str, list[CultureQuote]]


def infer_profile(signals: Sequence[CultureSignals]) -> InferredProfile | None:
    """The candidate's profile from their interviews' signals, or None when they said too little (fewer than
    ``MIN_SENTENCES`` sentences in all)."""
    heard = [s for s in signals if s.sentences > 0 and len(s.items) == len(ITEM_IDS)]
    sentences = sum(s.sentences for s in heard)
    if sentences < MIN_SENTENCES:
        return None
    pooled = {i: sum(s.items[i] * s.sentences for s in heard) / sentences for i in ITEM_IDS}
    quotes = {
        d: sorted((q for s in heard for q in s.quotes.get(d, [])), key=lambda q: -q.strength)[:QUOTES_PER_DIMENSION]
        for d in DIMENSIONS
    }
    return InferredProfile(
        ratings=forced_sort(pooled),
        confidence=round(MAX_CONFIDENCE * min(1.0, sentences / FULL_CONFIDENCE_SENTENCES), 2),
        sentences=sentences,
        interviews=len(heard),
        quotes=quotes,
    )


def forced_sort(values: Mapping[str, float]) -> dict[str, float]:
    """Items ordered by value, highest first, dealt into the Q-sort's categories 9..1 (2-4-6-9-12-9-6-4-2); equal
    values keep the catalogue order."""
    order = sorted(ITEM_IDS, key=lambda i: (-values[i], ITEM_IDS.index(i)))
    categories = [RATING_MAX - k for k, count in enumerate(FORCED_DISTRIBUTION) for _ in range(count)]
    return {item_id: float(category) for item_id, category in zip(order, categories, strict=True)}
