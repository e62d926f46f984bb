"""Competency scores from behavioural evidence in the candidate's own words.

For every sentence the candidate said (four words or more) and every competency:

* ``strong`` = the highest cosine similarity to the competency's strong anchors, ``weak`` = the same for its weak
  anchors (``anchors.py``; multilingual sentence embeddings, so Russian and English are judged alike);
* the sentence's *margin* is ``strong − weak``; a sentence is *evidence* when ``strong ≥ EVIDENCE_MIN`` and the
  margin is positive;
* an answer to a question that asks for the competency ("Tell me about a time you led…") weighs up to twice as
  much (question–anchor similarity).

The raw score is the weighted mean margin of the ``TOP_K`` strongest sentences. It is mapped to [0, 1] with a
logistic curve whose centre and spread were calibrated on a reference population of interviews (the shared MIT
set: ``calibrate`` below; the numbers live in ``models/competency_calibration.json``), so 0.5 means "typical of
that population". Confidence grows with the amount of speech and of evidence: a two-minute interview does not
look as certain as a forty-minute one.

These competency scores are not fitted to human ratings (no labelled data for them exists here); ``performance``
is (see ``performance.py`` and ``docs/scoring.md``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.anchors import ANCHORS
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.neutral import neutralise
from talentmind.scoring.transcript import Answer

EVIDENCE_MIN = 0.35
TOP_K = 5
MIN_SENTENCE_WORDS = 4
QUESTION_BOOST = 1.0
CALIBRATION_PATH = Path(__file__).with_name("models") / "competency_calibration.json"
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\s*[\n;]\s*")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Sentence:
    answer_index: int
    text: str
    start: float | None
    end: float | None


@dataclass(frozen=True)
class Quote:
    competency: str
    text: str
    answer_index: int
    start: float | None
    end: float | None
    strength: float


@dataclass(frozen=True)
class CompetencyScores:
    scores: dict[str, float]
    confidence: dict[str, float]
    raw: dict[str, float]
    evidence: dict[str, list[Quote]] = field(default_factory=dict)


# Interpretable language cues per competency (feature, sign), from ``language_features``: they catch what the
# embedding misses when a sentence's topic dominates its meaning ("I led the bank's app" reads as banking).
CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "leadership": (("ownership_rate", 1.0), ("result_rate", 0.5)),
    "communication": (("structure_rate", 0.5), ("star_structure", 0.5), ("filler_rate", -1.0), ("hedge_rate", -0.5)),
    "empathy": (("team_rate", 1.0), ("positive_rate", 0.5)),
    "logic": (("causal_rate", 1.0), ("number_rate", 0.5), ("star_structure", 0.5)),
    "planning": (("plan_rate", 1.0), ("structure_rate", 0.5)),
    "stress_tolerance": (("hedge_rate", -1.0), ("negation_rate", -0.5), ("result_rate", 0.5)),
}
CUE_SHARE = 0.4


@dataclass(frozen=True)
class Calibration:
    centre: dict[str, float]
    spread: dict[str, float]
    feature_mean: dict[str, float] = field(default_factory=dict)
    feature_std: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        if not path.exists():  # before the first calibration: centre 0, spread 0.1, cues unscaled
            return cls({c: 0.0 for c in COMPETENCIES}, {c: 0.1 for c in COMPETENCIES})
        data = json.loads(path.read_text())
        return cls(data["centre"], data["spread"], data.get("feature_mean", {}), data.get("feature_std", {}))

    def save(self, path: Path = CALIBRATION_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            name: {k: round(v, 6) for k, v in getattr(self, name).items()}
            for name in ("centre", "spread", "feature_mean", "feature_std")
        }
        path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")

    def cue_score(self, competency: str, features: Mapping[str, float]) -> float | None:
        """The competency's language cues as a [0, 1] score (logistic of the weighted, clipped z-scores)."""
        total, weight = 0.0, 0.0
        for name, sign in CUES[competency]:
            if name in features and name in self.feature_mean:
                z = (features[name] - self.feature_mean[name]) / max(self.feature_std.get(name, 1.0), 1e-6)
                total += sign * max(-3.0, min(3.0, z))
                weight += abs(sign)
        if weight == 0:
            return None
        return 1.0 / (1.0 + math.exp(-1.5 * total / weight))


def sentences(answers: Sequence[Answer]) -> list[Sentence]:
    """The candidate's sentences of ``MIN_SENTENCE_WORDS`` words or more, with the answer they belong to.

    Times are the answer's (a sentence inside it is not timed separately)."""
    found: list[Sentence] = []
    for index, answer in enumerate(answers):
        for part in _SENTENCE.split(answer.text):
            part = part.strip()
            if len(_WORD.findall(part)) >= MIN_SENTENCE_WORDS:
                found.append(Sentence(index, part, answer.start, answer.end))
    return found


class CompetencyScorer:
    def __init__(self, encoder: SentenceEncoder, calibration: Calibration | None = None) -> None:
        self.encoder = encoder
        self.calibration = calibration or Calibration.load()
        self._strong = {c: self._encode(ANCHORS[c].strong) for c in COMPETENCIES}
        self._weak = {c: self._encode(ANCHORS[c].weak) for c in COMPETENCIES}
        self._questions = {c: self._encode(ANCHORS[c].questions) for c in COMPETENCIES}

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        # Names and grammatical gender are taken out before meaning is compared (see neutral.py).
        return self.encoder.encode([neutralise(t) for t in texts])

    def raw_scores(self, answers: Sequence[Answer]) -> tuple[dict[str, float], dict[str, list[Quote]], int]:
        """Uncalibrated scores, the evidence quotes, and how many sentences were judged."""
        said = sentences(answers)
        if not said:
            return {c: 0.0 for c in COMPETENCIES}, {c: [] for c in COMPETENCIES}, 0
        vectors = self._encode([s.text for s in said])
        questions = self._encode([a.question or "-" for a in answers])
        raw: dict[str, float] = {}
        evidence: dict[str, list[Quote]] = {}
        for c in COMPETENCIES:
            strong = (vectors @ self._strong[c].T).max(axis=1)
            weak = (vectors @ self._weak[c].T).max(axis=1)
            asked = np.clip((questions @ self._questions[c].T).max(axis=1) - 0.3, 0.0, 0.7) / 0.7
            weight = 1.0 + QUESTION_BOOST * asked[[s.answer_index for s in said]]
            margin = strong - weak
            order = np.argsort(-(margin * weight), kind="stable")[:TOP_K]
            raw[c] = float(np.average(margin[order], weights=weight[order]))
            evidence[c] = [
                Quote(c, said[i].text, said[i].answer_index, said[i].start, said[i].end, round(float(strong[i]), 3))
                for i in order
                if strong[i] >= EVIDENCE_MIN and margin[i] > 0
            ]
        return raw, evidence, len(said)

    def score(self, answers: Sequence[Answer], features: Mapping[str, float] | None = None) -> CompetencyScores:
        """Scores from evidence sentences, blended (``CUE_SHARE``) with the language cues in ``features``."""
        raw, evidence, judged = self.raw_scores(answers)
        words = sum(len(_WORD.findall(a.text)) for a in answers)
        scores, confidence = {}, {}
        for c in COMPETENCIES:
            z = (raw[c] - self.calibration.centre[c]) / max(self.calibration.spread[c], 1e-6)
            semantic = 1.0 / (1.0 + math.exp(-z)) if judged else 0.5
            cue = self.calibration.cue_score(c, features) if features and judged else None
            blended = semantic if cue is None else (1 - CUE_SHARE) * semantic + CUE_SHARE * cue
            scores[c] = round(blended, 4)
            confidence[c] = round(evidence_confidence(words, len(evidence[c])), 3)
        return CompetencyScores(scores, confidence, raw, evidence)


def evidence_confidence(candidate_words: int, evidence_count: int) -> float:
    """0 with nothing said; about 0.15 for a two-minute interview (~250 words); near 1 for forty minutes with
    several evidence sentences."""
    amount = 1.0 - math.exp(-candidate_words / 1500.0)
    support = min(1.0, 0.4 + 0.2 * evidence_count)
    return amount * support


def calibrate(scorer: CompetencyScorer, interviews: Sequence[Sequence[Answer]]) -> Calibration:
    """Centre each competency's logistic curve on the population median and scale it by the spread (IQR/1.35 ≈
    one standard deviation), so typical interviews score about 0.5 and most fall between 0.2 and 0.8; and record
    the population's mean and standard deviation of each language cue."""
    from talentmind.scoring.language_features import extract_features

    raws = [scorer.raw_scores(answers)[0] for answers in interviews]
    centre, spread = {}, {}
    for c in COMPETENCIES:
        values = np.array([r[c] for r in raws])
        q1, q2, q3 = np.percentile(values, [25, 50, 75])
        centre[c] = float(q2)
        spread[c] = float(max((q3 - q1) / 1.35, 1e-3))
    cue_names = sorted({name for cues in CUES.values() for name, _ in cues})
    features = [extract_features(answers) for answers in interviews]
    mean = {n: float(np.mean([f[n] for f in features])) for n in cue_names}
    std = {n: max(float(np.std([f[n] for f in features])), 1e-6) for n in cue_names}
    return Calibration(centre, spread, mean, std)
