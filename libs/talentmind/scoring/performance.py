"""The ``performance`` estimate: a ridge regression from interpretable features to a human interview rating.

The model predicts a rating on the raters' 1–7 scale from standardised features (``z = (x − mean) / std``, with the
means and standard deviations of the training data) and reports it in [0, 1] as ``(rating − 1) / 6``, clipped. A feature
the input lacks (fluency features of a typed transcript) counts as average (``z = 0``), so it moves nothing.

Models are small JSON files written by ``python -m talentmind.scoring.train``: ``models/performance_overall.json``
for the ``Overall`` rating (the default; it uses the speaking rate, so it needs timings), ``..._overall_lexical.json``
for transcripts without timings, and the same two for ``Excited``. ``docs/scoring_validation.md`` says how they were
trained and how well they agree with human raters.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from talentmind.scoring.language_features import extract_features
from talentmind.scoring.transcript import Answer

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL_PATH = MODELS_DIR / "performance_overall.json"
"""The default ``performance`` model: predicts the human ``Overall`` rating."""
EXCITED_MODEL_PATH = MODELS_DIR / "performance_excited.json"
"""The same features trained on the human ``Excited`` rating."""
LEXICAL_MODEL_PATH = MODELS_DIR / "performance_overall_lexical.json"
"""The ``Overall`` model for transcripts without timings (words only; weaker, see the validation document)."""
EXCITED_LEXICAL_MODEL_PATH = MODELS_DIR / "performance_excited_lexical.json"
"""The ``Excited`` model for transcripts without timings."""
FEATURE_Z_LIMIT = 3.0
"""Each standardised feature is clipped to ±3 before the linear model: a value far outside the training interviews
(one short answer that talks only about other people) says no more than a value at the edge of what was seen, instead
of extrapolating the line."""
FORMAT = "talentmind.performance-model/1"
"""Identifies the JSON layout, checked on load."""


class ModelFileError(ValueError):
    """A model file that is not a valid performance model."""


@dataclass(frozen=True)
class PerformanceModel:
    """A linear model on standardised features that predicts a rating on ``[scale_min, scale_max]``."""

    target: str
    feature_names: tuple[str, ...]
    means: tuple[float, ...]
    stds: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    scale_min: float = 1.0
    scale_max: float = 7.0
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        n = len(self.feature_names)
        if not (len(self.means) == len(self.stds) == len(self.coefficients) == n):
            raise ValueError("feature_names, means, stds and coefficients must have the same length")
        if len(set(self.feature_names)) != n:
            raise ValueError("feature names must be unique")
        if any(not s > 0 for s in self.stds):
            raise ValueError("standard deviations must be positive")
        if not self.scale_max > self.scale_min:
            raise ValueError("scale_max must exceed scale_min")
        values = (*self.means, *self.stds, *self.coefficients, self.intercept, self.scale_min, self.scale_max)
        if not all(math.isfinite(v) for v in values):
            raise ValueError("model numbers must be finite")

    def standardise(self, features: Mapping[str, float]) -> dict[str, float]:
        """``z`` per model feature, clipped to ±``FEATURE_Z_LIMIT``; a missing or non-finite feature is average (0)."""
        z: dict[str, float] = {}
        for name, mean, std in zip(self.feature_names, self.means, self.stds, strict=True):
            value = features.get(name)
            raw = (float(value) - mean) / std if value is not None and math.isfinite(value) else 0.0
            z[name] = max(-FEATURE_Z_LIMIT, min(FEATURE_Z_LIMIT, raw))
        return z

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        """How many rating points each feature moves the prediction away from the average interview."""
        z = self.standardise(features)
        return {name: c * z[name] for name, c in zip(self.feature_names, self.coefficients, strict=True)}

    def predict_rating(self, features: Mapping[str, float]) -> float:
        """The predicted rating on the model's scale, clipped to ``[scale_min, scale_max]``."""
        rating = self.intercept + sum(self.contributions(features).values())
        return min(max(rating, self.scale_min), self.scale_max)

    def predict(self, features: Mapping[str, float]) -> float:
        """The predicted rating mapped to [0, 1]: ``(rating − scale_min) / (scale_max − scale_min)``, clipped."""
        return (self.predict_rating(features) - self.scale_min) / (self.scale_max - self.scale_min)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form written by ``save_model``."""
        return {
            "format": FORMAT,
            "target": self.target,
            "scale": [self.scale_min, self.scale_max],
            "intercept": self.intercept,
            "features": [
                {"name": name, "mean": mean, "std": std, "coefficient": coefficient}
                for name, mean, std, coefficient in zip(
                    self.feature_names, self.means, self.stds, self.coefficients, strict=True
                )
            ],
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PerformanceModel:
        """The model from ``to_dict``'s form; raises ``ModelFileError`` if it is not one."""
        if data.get("format") != FORMAT:
            raise ModelFileError(f"not a {FORMAT} model: format {data.get('format')!r}")
        try:
            features = data["features"]
            scale_min, scale_max = data["scale"]
            return cls(
                target=str(data["target"]),
                feature_names=tuple(str(f["name"]) for f in features),
                means=tuple(float(f["mean"]) for f in features),
                stds=tuple(float(f["std"]) for f in features),
                coefficients=tuple(float(f["coefficient"]) for f in features),
                intercept=float(data["intercept"]),
                scale_min=float(scale_min),
                scale_max=float(scale_max),
                metadata=dict(data.get("metadata") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"invalid performance model: {exc}") from exc


def model_json(model: PerformanceModel) -> str:
    """The model as canonical JSON text (sorted keys, two-space indent, trailing newline): same model, same bytes."""
    return json.dumps(model.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_model(model: PerformanceModel, path: str | Path) -> None:
    """Write the model as canonical JSON (``model_json``)."""
    Path(path).write_text(model_json(model), encoding="utf-8")


def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> PerformanceModel:
    """Read a model written by ``save_model``; raises ``ModelFileError`` for a file that is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{path}: not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelFileError(f"{path}: not a JSON object")
    return PerformanceModel.from_dict(data)


@lru_cache(maxsize=4)
def default_model(path: Path = DEFAULT_MODEL_PATH) -> PerformanceModel:
    """The model at ``path``, loaded once per process."""
    return load_model(path)


def covers(model: PerformanceModel, features: Mapping[str, float]) -> bool:
    """Whether every feature of the model is present (and finite) in ``features``."""
    return all(math.isfinite(features.get(name, math.nan)) for name in model.feature_names)


def performance(answers: Sequence[Answer], model: PerformanceModel | None = None) -> float:
    """The ``performance`` estimate in [0, 1] for the candidate's answers.

    Without an explicit model: the default ``Overall`` model when the answers have the timings it needs (the speaking
    rate), else the words-only ``Overall`` model (``LEXICAL_MODEL_PATH``)."""
    features = extract_features(answers)
    if model is None:
        model = default_model()
        if not covers(model, features):
            model = default_model(LEXICAL_MODEL_PATH)
    return model.predict(features)
