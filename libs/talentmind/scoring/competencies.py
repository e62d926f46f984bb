"""Competency scores: human-validated predictions plus behavioural evidence, as percentiles of a reference population.

Each of the six scores is ``Φ((w_h · z_human + w_b · z_behaviour − mean) / sd)``:

* ``z_human``: for communication, stress_tolerance, empathy and logic, a ridge regression (``models/competency_*.json``,
  run on torch by ``linear_heads``) from interpretable style features of the candidate's words to the human raters'
  judgement of that competency on the MIT interviews (``docs/scoring.md`` defines each target), standardised by the
  reference population. Leadership and planning have no human label: ``w_h = 0``.
* ``z_behaviour``: the competency's behavioural evidence (``behaviour.py``), standardised the same way.
* ``mean``/``sd``: of the blend over the reference population (the 100 shared MIT interviews), so a score is the
  candidate's percentile among them under a normal fit: 0.5 is typical, 0.84 one standard deviation above.

The weights and reference numbers live in ``models/competency_calibration.json`` (written by
``python -m talentmind.scoring.validate``, with the cross-validated agreement that each score's ``band`` and
``validity`` report).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.behaviour import BehaviourScorer, SentenceEvidence
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.language_features import lexical_features, tokens
from talentmind.scoring.linear_heads import LinearHeads
from talentmind.scoring.performance import MODELS_DIR, PerformanceModel, load_model
from talentmind.scoring.transcript import Answer

CALIBRATION_PATH = MODELS_DIR / "competency_calibration.json"
LABELLED: tuple[str, ...] = ("communication", "stress_tolerance", "empathy", "logic")
"""Competencies with a human target in the training data (the others follow behavioural anchors only)."""
HUMAN_WEIGHT = 1.0
BEHAVIOUR_WEIGHT = 0.5
"""Blend of the labelled competencies, fixed before validation: the human-validated part leads; behaviour makes the
competency that a story shows move (on the MIT interviews alone it adds little, see the validation document)."""
SHRINK_WORDS = 400.0
"""The style features are rates: over a few sentences they are noisy. The human part's z is shrunk toward the
population (z · words / (words + k)), so one short answer cannot look like an extreme interview. ``k`` is fitted per
competency from the split-half reliability of its model on the MIT interviews (``CompetencyCalibration.shrink_words``:
the words at which half of the predicted spread is signal); this is the default for a calibration without one."""
Z_LIMIT = 4.0
"""Each part's z is clipped to ±4 before blending: far outside the reference population a linear model says little."""
CALIBRATION_FORMAT = "talentmind.competency-calibration/1"
EVIDENCE_HALF = 1.0
"""Answers fully about a competency after which its behavioural evidence counts as half reliable (``confidence``)."""
UNLABELLED_VALIDITY = 0.8
"""The validity credited to leadership and planning, which have no human label: checked only on our own levelled
answers (the asked competency moves most, levels ordered), so below a labelled score that agreed with raters at
r ≥ 0.5."""


def shrink(words: float, k: float = SHRINK_WORDS) -> float:
    return words / (words + k)


def human_model_path(competency: str) -> Path:
    return MODELS_DIR / f"competency_{competency}.json"


@dataclass(frozen=True)
class Quote:
    competency: str
    text: str
    answer_index: int
    start: float | None
    end: float | None
    strength: float


@dataclass(frozen=True)
class CompetencyCalibration:
    """Reference numbers of one competency's blend (see the module docstring)."""

    human_weight: float
    behaviour_weight: float
    human_mean: float = 0.0
    human_std: float = 1.0
    behaviour_mean: float = 0.0
    behaviour_std: float = 1.0
    blend_mean: float = 0.0
    blend_std: float = 1.0
    validity_r: float | None = None
    band: float | None = None
    shrink_words: float = SHRINK_WORDS

    def blend(self, human: float | None, behaviour: float, words: float) -> float:
        """``(w_h · shrink(words) · z_human + w_b · z_behaviour − mean) / sd``: the score's z in the reference
        population (each part clipped to ±``Z_LIMIT``)."""
        z_h = (human - self.human_mean) / self.human_std if human is not None else 0.0
        z_h = _clip(z_h * shrink(words, self.shrink_words))
        z_b = _clip((behaviour - self.behaviour_mean) / self.behaviour_std)
        return (self.human_weight * z_h + self.behaviour_weight * z_b - self.blend_mean) / self.blend_std


@dataclass(frozen=True)
class Calibration:
    competencies: dict[str, CompetencyCalibration]
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != CALIBRATION_FORMAT:
            raise ValueError(f"{path}: not a {CALIBRATION_FORMAT} file")
        return cls(
            {c: CompetencyCalibration(**data["competencies"][c]) for c in COMPETENCIES}, data.get("metadata", {})
        )

    def to_json(self) -> str:
        payload = {
            "format": CALIBRATION_FORMAT,
            "competencies": {
                c: {k: (round(v, 6) if isinstance(v, float) else v) for k, v in vars(cal).items()}
                for c, cal in self.competencies.items()
            },
            "metadata": dict(self.metadata),
        }
        return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class CompetencyScores:
    scores: dict[str, float]
    confidence: dict[str, float]
    human: dict[str, float]
    behaviour: dict[str, float]
    evidence: dict[str, list[Quote]] = field(default_factory=dict)


def _clip(z: float) -> float:
    return max(-Z_LIMIT, min(Z_LIMIT, z))


def normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def load_human_models() -> dict[str, PerformanceModel]:
    return {c: load_model(human_model_path(c)) for c in LABELLED}


class CompetencyScorer:
    def __init__(
        self,
        encoder: SentenceEncoder,
        calibration: Calibration | None = None,
        human_models: Mapping[str, PerformanceModel] | None = None,
        heads: LinearHeads | None = None,
    ) -> None:
        self.behaviour = BehaviourScorer(encoder)
        self.calibration = calibration or Calibration.load()
        self.heads = heads or LinearHeads(human_models or load_human_models())

    def parts(
        self, answers: Sequence[Answer], features: Mapping[str, float] | None = None
    ) -> tuple[dict[str, float], dict[str, float], list[SentenceEvidence]]:
        """The human-model predictions (labelled competencies), the behaviour scores and the sentence evidence.
        ``features``: the answers' ``lexical_features`` when the caller has them already."""
        human, behaviour, _, evidence = self._parts(answers, features)
        return human, behaviour, evidence

    def _parts(
        self, answers: Sequence[Answer], features: Mapping[str, float] | None
    ) -> tuple[dict[str, float], dict[str, float], dict[str, float], list[SentenceEvidence]]:
        evidence = self.behaviour.sentence_evidence(answers)
        behaviour, weights = self.behaviour.scores_and_weights(answers, evidence)
        if not answers:
            return {}, behaviour, weights, evidence
        human = self.heads.predict([features if features is not None else lexical_features(answers)])[0]
        return human, behaviour, weights, evidence

    def score(self, answers: Sequence[Answer], features: Mapping[str, float] | None = None) -> CompetencyScores:
        """The six scores with their confidence and evidence; ``features`` as in ``parts``."""
        human, behaviour, weights, sentence_evidence = self._parts(answers, features)
        # Words observed, not English-equivalent length: the shrink is about how noisy rates over this text are.
        words = sum(len(tokens(a.text)) for a in answers)
        # What each answer alone says to the human models: the per-answer share of the fitted model's judgement.
        per_answer = self.heads.predict([lexical_features([a]) for a in answers]) if answers else []
        scores, confidence, quotes = {}, {}, {}
        for c in COMPETENCIES:
            cal = self.calibration.competencies[c]
            scores[c] = round(normal_cdf(cal.blend(human.get(c), behaviour[c], words)), 4) if answers else 0.5
            quotes[c] = _quotes(c, cal, sentence_evidence, per_answer)
            confidence[c] = round(evidence_confidence(cal, words, weights[c]), 3)
        return CompetencyScores(scores, confidence, human, behaviour, quotes)


def _quotes(
    competency: str,
    cal: CompetencyCalibration,
    evidence: Sequence[SentenceEvidence],
    per_answer: Sequence[Mapping[str, float]],
) -> list[Quote]:
    """Sentences ranked by how much they raise the score: their behaviour value plus, for a labelled competency, what
    their answer alone tells the human model; only sentences that raise it, best first."""
    ranked: list[tuple[float, SentenceEvidence]] = []
    for item in evidence:
        if item.self_claim:
            continue
        lift = cal.behaviour_weight * item.value(competency) / cal.behaviour_std
        answer_view = per_answer[item.sentence.answer_index].get(competency) if per_answer else None
        if answer_view is not None and cal.human_weight:
            z = max(0.0, (answer_view - cal.human_mean) / cal.human_std)
            lift += cal.human_weight * z * shrink(50.0, cal.shrink_words)
        if item.value(competency) > 0 and lift > 0:
            ranked.append((lift, item))
    ranked.sort(key=lambda pair: -pair[0])
    return [
        Quote(
            competency,
            item.sentence.text,
            item.sentence.answer_index,
            item.sentence.start,
            item.sentence.end,
            round(item.value(competency), 3),
        )
        for _, item in ranked
    ]


def evidence_confidence(cal: CompetencyCalibration, words: float, answers_about: float) -> float:
    """How far the score can be trusted, in [0, 1]: its validity times the reliability of what it rests on.

    * reliability of the behaviour part: ``n / (n + EVIDENCE_HALF)``, n = the answers about the competency (each
      weighted by how much it is about it and by its question's focus): half after ``EVIDENCE_HALF`` such answers;
    * reliability of the human part (labelled competencies): ``words / (words + k)``, the split-half reliability of
      its model (``CompetencyCalibration.shrink_words``); the two are mixed with the blend's weights;
    * validity: how well the score agreed with human raters in cross-validation, r / 0.5 capped at 1, or
      ``UNLABELLED_VALIDITY`` for leadership and planning, which have no human label."""
    behaviour = answers_about / (answers_about + EVIDENCE_HALF)
    if cal.human_weight:
        human = shrink(words, cal.shrink_words)
        reliability = (cal.human_weight * human + cal.behaviour_weight * behaviour) / (
            cal.human_weight + cal.behaviour_weight
        )
    else:
        reliability = behaviour
    validity = UNLABELLED_VALIDITY if cal.validity_r is None else min(1.0, max(0.0, cal.validity_r) / 0.5)
    return validity * reliability
