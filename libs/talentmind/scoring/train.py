"""Train and cross-validate the ``performance`` models on the MIT Interview dataset.

    python -m talentmind.scoring.train --data ../shared/datasets/mit-interview --out libs/talentmind/scoring/models

Method (numpy only, deterministic):

* Features: ``language_features.lexical_features`` of the candidate's answers (``transcript.mit_transcript``). The
  dataset has no word timings; its per-answer ``duration``, ``numPause`` and ``TotDurPause`` (Praat, from the audio)
  give the timing features we can also compute from word timings at inference: ``speech_rate_wpm`` (transcript words
  per minute of answer time), ``pause_ratio`` and ``pauses_per_min`` (see ``fluency_from_totals``).
* Folds: 5-fold cross-validation grouped by person (``pN`` and ``ppN`` are one person and always share a fold), the
  persons shuffled with a fixed seed.
* Model: ridge regression on standardised features. The standardisation and the penalty are chosen on the training
  folds only: the penalty by an inner grouped 5-fold cross-validation (lowest mean squared error; on a tie, the
  stronger penalty), the means and standard deviations from the training folds.
* Reported per target and feature set: Pearson r, Spearman rho and mean absolute error of the pooled out-of-fold
  predictions for the fixed seed, and the mean and standard deviation of Pearson r over ``--repeats`` other shuffles.
* Shipped models: the feature sets named in ``SHIPPED``, fitted on all interviews (penalty chosen by grouped
  cross-validation on all of them), written as ``performance_<target>.json`` (with the speaking rate) and
  ``performance_<target>_lexical.json`` (words only, for transcripts without timings).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from talentmind.scoring.language_features import (
    LEXICAL_FEATURES,
    TimingTotals,
    fluency_from_totals,
    lexical_features,
    syllable_count,
    tokens,
)
from talentmind.scoring.performance import FEATURE_Z_LIMIT, PerformanceModel, save_model
from talentmind.scoring.transcript import mit_transcript

Array = NDArray[np.float64]

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "datasets" / "mit-interview"
DEFAULT_OUT = Path(__file__).resolve().parent / "models"

TARGETS: dict[str, str] = {"overall": "Overall", "excited": "Excited"}
"""Model name → column of ``scores.csv``."""
SEED = 20150415
"""Seed of the person shuffle that makes the folds (the MIT paper's arXiv month, nothing more)."""
FOLDS = 5
ALPHAS: tuple[float, ...] = tuple(float(a) for a in np.logspace(-2, 4, 13))
"""Ridge penalties tried by the inner cross-validation (on standardised features)."""

SMALL_FEATURES: tuple[str, ...] = ("log_words", "type_token_ratio", "filler_rate", "team_rate", "first_person_rate")
"""A handful of lexical features fixed before looking at results, after what Naim et al. (2015) report drives the
ratings: saying more and more varied words, fewer fillers, "we" rather than "I"."""
RATE = "speech_rate_spm"
"""The speaking rate used by the models: syllables rather than words per minute, so that languages with longer words
(Russian) are not read as slower speech."""
TIMING_FEATURES: tuple[str, ...] = (RATE, "pause_ratio", "pauses_per_min")
"""Timing features the dataset allows (``long_pauses_per_min`` would need each pause's length). The pauses are Praat's
(silences in the audio), which word-timing gaps only approximate."""
COMPACT_LEXICAL: tuple[str, ...] = ("log_mean_answer_words", "filler_rate")
"""The two lexical features with the strongest single relation to ``Overall`` in an exploratory look at the same 100
interviews (so the compact sets' figures are somewhat optimistic; see the validation document)."""
STYLE_FEATURES: tuple[str, ...] = (
    "filler_rate",
    "hesitation_rate",
    "log_words_per_sentence",
    "talk_share",
    "log_mean_answer_words",
    "formality_rate",
    "informality_rate",
    "others_rate",
)
"""How the candidate speaks, from the words alone: disfluency (fillers, hesitations), elaboration (words per sentence,
prepositions and relative clauses against casual particles), how much of the talk is theirs and how fully they answer,
and attention to other people. Chosen as one set for every human target (see ``docs/scoring_validation.md``)."""
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "style": STYLE_FEATURES,
    "lexical-all": LEXICAL_FEATURES,
    "lexical-small": SMALL_FEATURES,
    "compact-lexical": COMPACT_LEXICAL,
    "lexical-all+rate": (*LEXICAL_FEATURES, RATE),
    "lexical-small+rate": (*SMALL_FEATURES, RATE),
    "compact": (RATE, *COMPACT_LEXICAL),
    "compact-wpm": ("speech_rate_wpm", *COMPACT_LEXICAL),
    "rate-only": (RATE,),
    "lexical-all+timing": (*LEXICAL_FEATURES, *TIMING_FEATURES),
    "lexical-small+timing": (*SMALL_FEATURES, *TIMING_FEATURES),
    "compact+pauses": (RATE, *COMPACT_LEXICAL, "pause_ratio", "pauses_per_min"),
}
SHIPPED: dict[str, str] = {"": "compact", "_lexical": "style"}
"""File suffix → feature set of the shipped models: ``performance_<target>.json`` for interviews with timings, and
``performance_<target>_lexical.json`` for typed transcripts without them (see ``docs/scoring_validation.md``)."""


@dataclass(frozen=True)
class Interview:
    """One interview of the dataset: its id (``p1``, ``pp1``), person, features and human ratings."""

    participant: str
    person: int
    features: Mapping[str, float]
    ratings: Mapping[str, float]


def person_of(participant: str) -> int:
    """The person of an interview id: ``p12`` and ``pp12`` are both person 12."""
    match = re.fullmatch(r"p{1,2}(\d+)", participant.strip().lower())
    if match is None:
        raise ValueError(f"not an MIT interview id: {participant!r}")
    return int(match.group(1))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_dataset(data_dir: Path) -> list[Interview]:
    """Interviews with transcript, ratings and answer timings, in ``scores.csv`` order."""
    transcripts = {r["participant"].strip().lower(): r["transcript"] for r in _rows(data_dir / "transcripts.csv")}
    durations: dict[str, list[float]] = {}
    for row in _rows(data_dir / "prosodic_features.csv"):
        match = re.fullmatch(r"(p{1,2}\d+)q\d+", row["participant&question"].strip().lower())
        if match is None:
            raise ValueError(f"unexpected prosodic row id {row['participant&question']!r}")
        sums = durations.setdefault(match.group(1), [0.0, 0.0, 0.0])
        sums[0] += float(row["duration"])
        sums[1] += float(row["numPause"])
        sums[2] += float(row["TotDurPause:3"])
    interviews = []
    for row in _rows(data_dir / "scores.csv"):
        participant = row["Participant"].strip().lower()
        answers = mit_transcript(transcripts[participant])
        features = lexical_features(answers)
        if participant in durations:
            seconds, pauses, pause_seconds = durations[participant]
            answer_tokens = [t for a in answers for t in tokens(a.text)]
            totals = TimingTotals(
                words=len(answer_tokens),
                seconds=seconds,
                syllables=sum(syllable_count(t) for t in answer_tokens),
                pauses=round(pauses),
                pause_seconds=pause_seconds,
            )
            features.update(fluency_from_totals(totals))
        ratings = {name: float(row[column]) for name, column in TARGETS.items()}
        interviews.append(Interview(participant, person_of(participant), features, ratings))
    return interviews


def grouped_folds(groups: Sequence[int], k: int = FOLDS, seed: int = SEED) -> list[NDArray[np.int64]]:
    """Test indices of ``k`` folds; all items of a group share a fold. Groups are shuffled with ``seed`` and dealt
    round-robin, so fold sizes differ by at most one group."""
    unique = sorted(set(groups))
    if len(unique) < k:
        raise ValueError(f"{len(unique)} groups cannot make {k} folds")
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[g]: i % k for i, g in enumerate(order)}
    assignment = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(assignment == fold) for fold in range(k)]


@dataclass(frozen=True)
class Ridge:
    """A fitted ridge regression on standardised features."""

    means: Array
    stds: Array
    coefficients: Array
    intercept: float
    alpha: float

    def predict(self, x: Array) -> Array:
        return np.asarray(self.intercept + standardised(x, self.means, self.stds) @ self.coefficients, dtype=np.float64)


def standardised(x: Array, means: Array, stds: Array) -> Array:
    """``(x − mean) / std`` clipped to ±``FEATURE_Z_LIMIT``, as the shipped models apply it."""
    return np.asarray(np.clip((x - means) / stds, -FEATURE_Z_LIMIT, FEATURE_Z_LIMIT), dtype=np.float64)


def fit_ridge(x: Array, y: Array, alpha: float) -> Ridge:
    """Standardise ``x`` with its own means and standard deviations (a constant column gets std 1) and solve the ridge
    normal equations ``(ZᵀZ + αI) β = Zᵀ(y − ȳ)``; the intercept is ``ȳ``."""
    means = x.mean(axis=0)
    stds = x.std(axis=0)
    stds = np.where(stds > 1e-12, stds, 1.0)
    z = standardised(x, means, stds)
    y_mean = float(y.mean())
    beta = np.asarray(np.linalg.solve(z.T @ z + alpha * np.eye(z.shape[1]), z.T @ (y - y_mean)), dtype=np.float64)
    return Ridge(means, stds, beta, y_mean, alpha)


def choose_alpha(x: Array, y: Array, groups: Sequence[int], seed: int, alphas: Sequence[float] = ALPHAS) -> float:
    """The penalty with the lowest grouped cross-validated mean squared error on ``(x, y)``; ties go to the stronger
    penalty."""
    folds = grouped_folds(groups, FOLDS, seed)
    best_alpha, best_error = alphas[-1], math.inf
    for alpha in sorted(alphas, reverse=True):
        predicted = np.empty_like(y)
        for test in folds:
            train = np.setdiff1d(np.arange(len(y)), test)
            predicted[test] = fit_ridge(x[train], y[train], alpha).predict(x[test])
        error = float(np.mean((predicted - y) ** 2))
        if error < best_error - 1e-12:
            best_alpha, best_error = alpha, error
    return best_alpha


def cross_validated_predictions(x: Array, y: Array, groups: Sequence[int], seed: int) -> tuple[Array, list[float]]:
    """Out-of-fold predictions of nested grouped cross-validation, and the penalty chosen in each outer fold."""
    predicted = np.empty_like(y)
    alphas = []
    group_array = np.asarray(groups)
    for index, test in enumerate(grouped_folds(groups, FOLDS, seed)):
        train = np.setdiff1d(np.arange(len(y)), test)
        alpha = choose_alpha(x[train], y[train], group_array[train].tolist(), seed + 1 + index)
        predicted[test] = fit_ridge(x[train], y[train], alpha).predict(x[test])
        alphas.append(alpha)
    return predicted, alphas


def pearson(a: Array, b: Array) -> float:
    """Pearson correlation; 0 when either side is constant."""
    a, b = a - a.mean(), b - b.mean()
    denominator = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / denominator if denominator > 0 else 0.0


def _ranks(a: Array) -> Array:
    order = np.argsort(a, kind="stable")
    ranks = np.empty(len(a))
    ranks[order] = np.arange(len(a), dtype=np.float64)
    for value in np.unique(a):  # ties share their mean rank
        tied = a == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(a: Array, b: Array) -> float:
    """Spearman rank correlation (Pearson on ranks, ties averaged)."""
    return pearson(_ranks(a), _ranks(b))


@dataclass(frozen=True)
class CVResult:
    """Cross-validation of one target with one feature set."""

    target: str
    feature_set: str
    pearson: float
    spearman: float
    mae: float
    pearson_repeats_mean: float
    pearson_repeats_sd: float
    alphas: tuple[float, ...]


def matrix(interviews: Sequence[Interview], names: Sequence[str]) -> Array:
    """Interviews × features; raises ``KeyError`` naming an interview that lacks a feature."""
    rows = []
    for interview in interviews:
        missing = [n for n in names if n not in interview.features]
        if missing:
            raise KeyError(f"{interview.participant} lacks {', '.join(missing)}")
        rows.append([interview.features[n] for n in names])
    return np.asarray(rows, dtype=np.float64)


def evaluate(interviews: Sequence[Interview], target: str, feature_set: str, repeats: int) -> CVResult:
    """Nested grouped cross-validation of one target and feature set (fixed seed, plus ``repeats`` reshuffles)."""
    names = FEATURE_SETS[feature_set]
    x = matrix(interviews, names)
    y = np.array([i.ratings[target] for i in interviews])
    groups = [i.person for i in interviews]
    predicted, alphas = cross_validated_predictions(x, y, groups, SEED)
    repeated = [
        pearson(cross_validated_predictions(x, y, groups, SEED + 1000 * r)[0], y) for r in range(1, repeats + 1)
    ]
    return CVResult(
        target=target,
        feature_set=feature_set,
        pearson=pearson(predicted, y),
        spearman=spearman(predicted, y),
        mae=float(np.mean(np.abs(predicted - y))),
        pearson_repeats_mean=float(np.mean(repeated)) if repeated else math.nan,
        pearson_repeats_sd=float(np.std(repeated)) if repeated else math.nan,
        alphas=tuple(alphas),
    )


def _round(value: float) -> float:
    """12 significant digits: the JSON stays byte-identical across BLAS builds that differ in the last bits."""
    return float(f"{value:.12g}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fit_model(
    interviews: Sequence[Interview], target: str, feature_set: str, cv: CVResult, data_dir: Path
) -> PerformanceModel:
    """The shipped model: ridge on all interviews, the penalty chosen by grouped cross-validation on all of them."""
    names = FEATURE_SETS[feature_set]
    x = matrix(interviews, names)
    y = np.array([i.ratings[target] for i in interviews])
    groups = [i.person for i in interviews]
    ridge = fit_ridge(x, y, choose_alpha(x, y, groups, SEED))
    return PerformanceModel(
        target=TARGETS[target],
        feature_names=tuple(names),
        means=tuple(_round(v) for v in ridge.means),
        stds=tuple(_round(v) for v in ridge.stds),
        coefficients=tuple(_round(v) for v in ridge.coefficients),
        intercept=_round(ridge.intercept),
        metadata={
            "dataset": "MIT Interview dataset (Naim et al., IEEE FG 2015), shared part",
            "dataset_sha256": {
                name: _sha256(data_dir / name) for name in ("scores.csv", "transcripts.csv", "prosodic_features.csv")
            },
            "interviews": len(interviews),
            "persons": len(set(groups)),
            "feature_set": feature_set,
            "ridge_alpha": _round(ridge.alpha),
            "cv": {
                "folds": FOLDS,
                "grouped_by": "person (pN and ppN together)",
                "seed": SEED,
                "pearson_r": _round(cv.pearson),
                "spearman_rho": _round(cv.spearman),
                "mae": _round(cv.mae),
            },
            "command": "python -m talentmind.scoring.train",
        },
    )


def _table(results: Sequence[CVResult], repeats: int) -> str:
    header = f"{'target':<8} {'features':<22} {'n':>3} {'Pearson r':>9} {'Spearman':>8} {'MAE':>6}"
    header += f"  r over {repeats} reshuffles" if repeats else ""
    lines = [header]
    for r in results:
        line = (
            f"{r.target:<8} {r.feature_set:<22} {len(FEATURE_SETS[r.feature_set]):>3} "
            f"{r.pearson:>9.3f} {r.spearman:>8.3f} {r.mae:>6.3f}"
        )
        if repeats:
            line += f"  {r.pearson_repeats_mean:.3f} ± {r.pearson_repeats_sd:.3f}"
        lines.append(line)
    return "\n".join(lines)


def _coefficients(model: PerformanceModel) -> str:
    ordered = sorted(zip(model.feature_names, model.coefficients, strict=True), key=lambda p: -abs(p[1]))
    return "\n".join(f"  {name:<22} {coefficient:+.3f}" for name, coefficient in ordered)


def main(argv: Sequence[str] | None = None, echo: Callable[[str], object] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the mit-interview folder (default: %(default)s)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the JSON models go (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=20, help="reshuffled cross-validations for r's spread")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    args = parser.parse_args(argv)

    interviews = load_dataset(args.data)
    persons = len({i.person for i in interviews})
    echo(f"{len(interviews)} interviews of {persons} persons; {FOLDS}-fold CV grouped by person, seed {SEED}")
    results = [
        evaluate(interviews, target, feature_set, args.repeats) for target in TARGETS for feature_set in FEATURE_SETS
    ]
    echo(_table(results, args.repeats))
    if args.no_write:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for target in TARGETS:
        for suffix, feature_set in SHIPPED.items():
            cv = next(r for r in results if r.target == target and r.feature_set == feature_set)
            model = fit_model(interviews, target, feature_set, cv, args.data)
            path = args.out / f"performance_{target}{suffix}.json"
            save_model(model, path)
            echo(
                f"{path}: {TARGETS[target]} ~ {feature_set}, alpha {model.metadata['ridge_alpha']}, "
                f"intercept {model.intercept:.3f}; standardised coefficients (rating points per SD):"
            )
            echo(_coefficients(model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
