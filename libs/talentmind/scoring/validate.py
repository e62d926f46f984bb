"""Train the competency models, cross-validate every score against the human ratings, and write the report.

    python -m talentmind.scoring.validate [--data DIR] [--repeats 20] [--no-write]

(``make validate-scorer`` runs ``talentmind.scoring.train`` for the performance models first, then this.)

* Targets (``docs/scoring.md``): each labelled competency predicts the mean of the z-scored aggregated traits in
  ``TARGET_TRAITS`` (``traits.csv`` of the shared MIT set); ``performance`` predicts ``Overall``.
* Folds: grouped by person (``pN`` and ``ppN`` together), the ``train`` module's seed, plus ``--repeats`` reshuffles.
  Everything a score needs from data (ridge weights, the reference means and spreads of the blend) is fitted inside
  the training folds only.
* Writes ``models/competency_<c>.json``, ``models/competency_calibration.json`` and ``docs/scoring_validation.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.behaviour import TYPICAL_LEVEL, BehaviourScorer
from talentmind.scoring.competencies import (
    BEHAVIOUR_WEIGHT,
    CALIBRATION_PATH,
    HUMAN_WEIGHT,
    LABELLED,
    SHRINK_WORDS,
    Calibration,
    CompetencyCalibration,
    human_model_path,
    normal_cdf,
)
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.interview import InterviewScorer
from talentmind.scoring.language_features import lexical_features, tokens
from talentmind.scoring.levelled import HOLDOUT_DIR, LevelledReport, run_levelled
from talentmind.scoring.performance import PerformanceModel, save_model
from talentmind.scoring.train import (
    DEFAULT_DATA,
    FOLDS,
    SEED,
    STYLE_FEATURES,
    Array,
    Ridge,
    _round,
    _sha256,
    cross_validated_predictions,
    fit_ridge,
    grouped_folds,
    pearson,
    person_of,
)
from talentmind.scoring.transcript import mit_transcript

REPO_ROOT = Path(__file__).resolve().parents[3]
DOC_PATH = REPO_ROOT / "docs" / "scoring_validation.md"
TARGET_TRAITS: dict[str, tuple[str, ...]] = {
    "communication": ("StructuredAnswers", "EngagingTone", "NoFillers"),
    "stress_tolerance": ("Calm", "NotStressed", "NotAwkward"),
    "empathy": ("Friendly", "Colleague"),
    "logic": ("StructuredAnswers", "Focused"),
    "performance": ("Overall",),
}
MIN_SHRINK_WORDS, MAX_SHRINK_WORDS = 100.0, 3000.0
COMPETENCY_ALPHA = 10.0
"""Ridge penalty of the competency models (8 standardised features, ~80 training interviews per fold). Fixed rather
than chosen by an inner cross-validation: with 40 persons per training set the inner choice is noisy and often picks
the near-constant model; the table shows both."""


@dataclass(frozen=True)
class Dataset:
    participants: list[str]
    persons: list[int]
    features: Array
    words: Array
    behaviour: dict[str, Array]
    embeddings: Array
    targets: dict[str, Array]
    extra: dict[str, Array]

    answer_evidence: list[Array]
    half_features: tuple[Array, Array]
    """The style features of each interview's odd and of its even answers (for the split-half reliability)."""

    def pooled_behaviour(self, rows: NDArray[np.int64]) -> Array:
        """The levels of the single answers in the given interviews above the typical level, in one array."""
        return np.concatenate([self.answer_evidence[int(i)] for i in rows])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def zscore(values: Array) -> Array:
    return np.asarray((values - values.mean()) / (values.std() or 1.0), dtype=np.float64)


def target_values(ratings: Sequence[Mapping[str, float]], traits: Sequence[str]) -> Array:
    """The mean of the z-scored traits (z over the given rows)."""
    return np.asarray(np.mean([zscore(np.array([r[t] for r in ratings])) for t in traits], axis=0), dtype=np.float64)


def load(data_dir: Path, encoder: SentenceEncoder, echo: Callable[[str], object]) -> Dataset:
    transcripts = {r["participant"].strip().lower(): r["transcript"] for r in _rows(data_dir / "transcripts.csv")}
    ratings = {r["participant"].strip().lower(): {k: float(v) for k, v in r.items() if k != "participant"}
               for r in _rows(data_dir / "traits.csv")}  # fmt: skip
    participants = sorted(ratings, key=lambda p: (person_of(p), p))
    answers = [mit_transcript(transcripts[p]) for p in participants]
    behaviour_scorer = BehaviourScorer(encoder)
    behaviour_rows, answer_evidence, pooled = [], [], []
    for index, a in enumerate(answers):
        evidence = behaviour_scorer.sentence_evidence(a)
        behaviour_rows.append(behaviour_scorer.scores(a, evidence))
        levels = behaviour_scorer.answer_levels(evidence).values()
        answer_evidence.append(np.array([level.level - TYPICAL_LEVEL for level in levels]))
        vectors = encoder.encode([s.sentence.text for s in evidence]) if evidence else np.zeros((1, 512))
        pooled.append(vectors.mean(axis=0))
        if (index + 1) % 25 == 0:
            echo(f"  embedded {index + 1}/{len(answers)} interviews")
    rows = [ratings[p] for p in participants]
    features = [lexical_features(a) for a in answers]
    halves = tuple(np.array([[lexical_features(a[start::2])[n] for n in STYLE_FEATURES] for a in answers])
                   for start in (0, 1))  # fmt: skip
    return Dataset(
        participants=participants,
        persons=[person_of(p) for p in participants],
        features=np.array([[f[n] for n in STYLE_FEATURES] for f in features]),
        words=np.array([float(sum(len(tokens(x.text)) for x in a)) for a in answers]),
        behaviour={c: np.array([b[c] for b in behaviour_rows]) for c in COMPETENCIES},
        embeddings=np.array(pooled, dtype=np.float64),
        answer_evidence=answer_evidence,
        half_features=(halves[0], halves[1]),
        targets={name: target_values(rows, traits) for name, traits in TARGET_TRAITS.items()},
        extra={"RecommendHiring": np.array([r["RecommendHiring"] for r in rows])},
    )


# --- The blend, fitted on a training set and applied to a test set --------------------------------------------------


def fit_calibration(
    human: Array | None,
    behaviour: Array,
    pooled_behaviour: Array,
    words: Array,
    validity_r: float | None = None,
    band: float | None = None,
    shrink_words: float = SHRINK_WORDS,
) -> CompetencyCalibration:
    """Reference numbers of the blend from a training population: ``human`` = the human model's in-sample predictions
    (None for a competency without a label), ``behaviour`` = this competency's interview evidence scores,
    ``pooled_behaviour`` = the evidence of each single answer for each of the six competencies in the same interviews.

    The behaviour part is standardised on that pooled answer scale, one scale for all six: a story moves the
    competency it is about most, whatever that competency's usual level in the reference population (the MIT
    candidates often talk about leading, seldom about planning; on a per-competency scale any mention of a plan would
    look extreme), and one strong story is a few standard deviations, not ten. A competency without a label is then
    ``Φ(z_behaviour)``, the level of the candidate's answers among single answers; a labelled one is standardised
    again as a blend, a percentile among interviews."""
    b_mean, b_std = 0.0, float(pooled_behaviour.std() or 1.0)
    if human is None:
        return CompetencyCalibration(0.0, 1.0, 0.0, 1.0, b_mean, b_std, 0.0, 1.0, validity_r, band)
    h_mean, h_std = float(human.mean()), float(human.std() or 1.0)
    partial = CompetencyCalibration(
        HUMAN_WEIGHT, BEHAVIOUR_WEIGHT, h_mean, h_std, b_mean, b_std, shrink_words=shrink_words
    )
    blend = np.array([partial.blend(h, b, n) for h, b, n in zip(human, behaviour, words, strict=True)])
    return CompetencyCalibration(
        HUMAN_WEIGHT, BEHAVIOUR_WEIGHT, h_mean, h_std, b_mean, b_std, float(blend.mean()), float(blend.std() or 1.0),
        validity_r, band, shrink_words,
    )  # fmt: skip


def split_half_words(ridge: Ridge, halves: tuple[Array, Array], words: Array) -> float:
    """The ``k`` of ``shrink``: from the correlation r of the model's predictions on the odd and on the even answers of
    the same interviews (each half has about words / 2), reliability(w) = w / (w + k) gives k = (w / 2)(1 − r) / r."""
    r = pearson(ridge.predict(halves[0]), ridge.predict(halves[1]))
    if not r > 0.05:
        return MAX_SHRINK_WORDS
    return float(min(MAX_SHRINK_WORDS, max(MIN_SHRINK_WORDS, words.mean() / 2 * (1 - r) / r)))


def apply(cal: CompetencyCalibration, human: Array | None, behaviour: Array, words: Array) -> Array:
    humans = human if human is not None else [None] * len(behaviour)
    return np.array(
        [normal_cdf(cal.blend(None if h is None else float(h), float(b), float(n)))
         for h, b, n in zip(humans, behaviour, words, strict=True)]
    )  # fmt: skip


def fixed_ridge_predictions(x: Array, y: Array, groups: Sequence[int], seed: int, alpha: float) -> Array:
    predicted = np.empty_like(y)
    for test in grouped_folds(groups, FOLDS, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        predicted[test] = fit_ridge(x[train], y[train], alpha).predict(x[test])
    return predicted


def oof_scores(data: Dataset, competency: str, seed: int) -> tuple[Array, Array | None]:
    """Out-of-fold shipped scores of one competency (and of its human part alone, for labelled ones)."""
    n = len(data.participants)
    scores, human_only = np.empty(n), (np.empty(n) if competency in LABELLED else None)
    behaviour = data.behaviour[competency]

    for test in grouped_folds(data.persons, FOLDS, seed):
        train = np.setdiff1d(np.arange(n), test)
        pooled = data.pooled_behaviour(train)
        if competency in LABELLED:
            y = data.targets[competency]
            ridge = fit_ridge(data.features[train], y[train], COMPETENCY_ALPHA)
            h_train, h_test = ridge.predict(data.features[train]), ridge.predict(data.features[test])
            k = split_half_words(ridge, (data.half_features[0][train], data.half_features[1][train]), data.words[train])
            cal = fit_calibration(h_train, behaviour[train], pooled, data.words[train], shrink_words=k)
            scores[test] = apply(cal, h_test, behaviour[test], data.words[test])
            assert human_only is not None
            human_only[test] = h_test
        else:
            cal = fit_calibration(None, behaviour[train], pooled, data.words[train])
            scores[test] = apply(cal, None, behaviour[test], data.words[test])
    return scores, human_only


def partial_r(x: Array, y: Array, control: Array) -> float:
    """Correlation of x and y with ``control`` regressed out of both."""

    def residual(v: Array) -> Array:
        design = np.column_stack([np.ones_like(control), control])
        beta, *_ = np.linalg.lstsq(design, v, rcond=None)
        return np.asarray(v - design @ beta, dtype=np.float64)

    return pearson(residual(x), residual(y))


def rater_ceiling(data_dir: Path, traits: Sequence[str]) -> float:
    """How well one rater agrees with the mean of the others on the target: Pearson r over (interview, rater) pairs of
    the rater's target (traits z-scored over all single ratings) against the other raters' mean."""
    rows = _rows(data_dir / "traits_raters.csv")
    single = target_values([{t: float(r[t]) for t in traits} for r in rows], traits)
    by_interview: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_interview.setdefault(r["participant"].strip().lower(), []).append(i)
    mine, others = [], []
    for indices in by_interview.values():
        for i in indices:
            rest = [single[j] for j in indices if j != i]
            if rest:
                mine.append(single[i])
                others.append(statistics.fmean(rest))
    return pearson(np.array(mine), np.array(others))


# --- The report ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    score: str
    method: str
    r_fixed: float
    r_mean: float
    r_sd: float


def repeated(fn: Callable[[int], Array], y: Array, repeats: int) -> tuple[float, float, float]:
    fixed = pearson(fn(SEED), y)
    values = [pearson(fn(SEED + 1000 * r), y) for r in range(1, repeats + 1)] or [fixed]
    return fixed, float(np.mean(values)), float(np.std(values))


def _methods(data: Dataset, score: str, y: Array, log_words: Array) -> dict[str, Callable[[int], Array]]:
    """The ways of predicting one target that the report compares, each a function of the fold seed."""
    groups = data.persons

    def word_count(seed: int) -> Array:
        return fixed_ridge_predictions(log_words, y, groups, seed, 1.0)

    def embeddings(seed: int) -> Array:
        return cross_validated_predictions(data.embeddings, y, groups, seed)[0]

    def style_inner(seed: int) -> Array:
        return cross_validated_predictions(data.features, y, groups, seed)[0]

    def style_fixed(seed: int) -> Array:
        return fixed_ridge_predictions(data.features, y, groups, seed, COMPETENCY_ALPHA)

    methods: dict[str, Callable[[int], Array]] = {
        "word count alone (ridge)": word_count,
        "pooled sentence embeddings (ridge, 512-d)": embeddings,
        "style features, penalty by inner CV": style_inner,
        f"style features, α = {COMPETENCY_ALPHA:g}": style_fixed,
    }
    if score in LABELLED:

        def behaviour(seed: int) -> Array:
            return data.behaviour[score]

        def shipped(seed: int) -> Array:
            return oof_scores(data, score, seed)[0]

        methods["behavioural evidence alone (anchors)"] = behaviour
        methods["**shipped score** (style + evidence)"] = shipped
    return methods


def validity_rows(data: Dataset, repeats: int) -> list[Row]:
    rows: list[Row] = []
    log_words = np.log1p(data.words)[:, None]
    for score in (*LABELLED, "performance"):
        y = data.targets[score]
        methods = _methods(data, score, y, log_words)
        for method, fn in methods.items():
            fixed, mean, sd = repeated(fn, y, repeats)
            rows.append(Row(score, method, fixed, mean, sd))
    return rows


def fit_shipped(data: Dataset, data_dir: Path, rows: Sequence[Row], out: Path) -> Calibration:
    calibrations: dict[str, CompetencyCalibration] = {}
    everyone = np.arange(len(data.participants))
    for c in COMPETENCIES:
        behaviour = data.behaviour[c]
        if c in LABELLED:
            y = data.targets[c]
            ridge = fit_ridge(data.features, y, COMPETENCY_ALPHA)
            shipped = next(r for r in rows if r.score == c and r.method.startswith("**shipped"))
            oof, _ = oof_scores(data, c, SEED)
            band = float(np.percentile(np.abs(oof - np.array([normal_cdf(v) for v in zscore(y)])), 80))
            model = PerformanceModel(
                target=" + ".join(TARGET_TRAITS[c]) + " (mean of z-scores)",
                feature_names=STYLE_FEATURES,
                means=tuple(_round(v) for v in ridge.means),
                stds=tuple(_round(v) for v in ridge.stds),
                coefficients=tuple(_round(v) for v in ridge.coefficients),
                intercept=_round(ridge.intercept),
                scale_min=-4.0,
                scale_max=4.0,
                metadata={
                    "dataset": "MIT Interview dataset (Naim et al., IEEE FG 2015), shared part: traits.csv",
                    "dataset_sha256": {n: _sha256(data_dir / n) for n in ("traits.csv", "transcripts.csv")},
                    "interviews": len(data.participants),
                    "persons": len(set(data.persons)),
                    "ridge_alpha": COMPETENCY_ALPHA,
                    "cv_pearson_r_shipped_score": _round(shipped.r_mean),
                    "command": "python -m talentmind.scoring.validate",
                },
            )
            save_model(model, out / human_model_path(c).name)
            human = ridge.predict(data.features)
            k = split_half_words(ridge, data.half_features, data.words)
            calibrations[c] = fit_calibration(
                human, behaviour, data.pooled_behaviour(everyone), data.words, _round(shipped.r_mean), _round(band), k
            )
        else:
            calibrations[c] = fit_calibration(None, behaviour, data.pooled_behaviour(everyone), data.words)
    rounded = {
        c: CompetencyCalibration(**{k: (_round(v) if isinstance(v, float) else v) for k, v in vars(cal).items()})
        for c, cal in calibrations.items()
    }
    calibration = Calibration(
        rounded, {"reference": "the 100 shared MIT interviews", "command": "make validate-scorer"}
    )
    (out / CALIBRATION_PATH.name).write_text(calibration.to_json(), encoding="utf-8")
    return calibration


def _fmt(v: float) -> str:
    return f"{v:.2f}".replace("-", "−")


def render(
    data: Dataset,
    rows: Sequence[Row],
    ceilings: Mapping[str, float],
    levelled: LevelledReport,
    holdout: LevelledReport,
    repeats: int,
) -> str:
    out = [
        "# Validating the scores against human ratings",
        "",
        "Written by `make validate-scorer` (`python -m talentmind.scoring.validate`); do not edit by hand. What each",
        "score means is in `docs/scoring.md`; the model card is `docs/model-card.md`.",
        "",
        f"Data: the shared MIT interviews, {len(data.participants)} interviews of {len(set(data.persons))} persons, "
        "words only (the manual transcripts; no timing, no audio). Folds: 5, grouped by person (`pN` and `ppN` never",
        f"split). r = Pearson r of out-of-fold predictions with the target: with the fixed seed, and mean ± SD over "
        f"{repeats} reshuffles of the persons into folds.",
        "",
        "## Agreement with the human targets",
        "",
        "| score | method | r (fixed seed) | r (reshuffles) |",
        "| --- | --- | ---: | ---: |",
    ]
    for r in rows:
        out.append(f"| {r.score} | {r.method} | {_fmt(r.r_fixed)} | {_fmt(r.r_mean)} ± {r.r_sd:.2f} |")
    out += ["", "Rater ceiling: Pearson r of one rater's target with the mean of the other raters' (all pairs).", ""]
    out += ["| score | target | rater ceiling |", "| --- | --- | ---: |"]
    for score, traits in TARGET_TRAITS.items():
        out.append(f"| {score} | {' + '.join(traits)} | {_fmt(ceilings[score])} |")
    out += ["", "## Length", ""]
    out += ["| score | r with word count | r with target | partial r with target, word count held constant |"]
    out += ["| --- | ---: | ---: | ---: |"]
    shipped = {c: oof_scores(data, c, SEED)[0] for c in COMPETENCIES}
    perf = cross_validated_predictions(data.features, data.targets["performance"], data.persons, SEED)[0]
    for c in COMPETENCIES:
        y = data.targets.get(c)
        line = f"| {c} | {_fmt(pearson(shipped[c], data.words))} | "
        if y is not None:
            line += f"{_fmt(pearson(shipped[c], y))} | {_fmt(partial_r(shipped[c], y, data.words))} |"
        else:
            line += "(no label) | (no label) |"
        out.append(line)
    y = data.targets["performance"]
    out.append(
        f"| performance | {_fmt(pearson(perf, data.words))} | {_fmt(pearson(perf, y))} | "
        f"{_fmt(partial_r(perf, y, data.words))} |"
    )
    out += [
        "",
        "`performance` (words only) against `RecommendHiring`: "
        f"r = {_fmt(pearson(perf, data.extra['RecommendHiring']))} (fixed seed).",
        "",
        "## How the scores move together, beside the people's ratings",
        "",
        "Out-of-fold scores (fixed seed), Pearson r between scores; in brackets the same pair of human targets.",
        "",
        "| | " + " | ".join(COMPETENCIES) + " |",
        "| --- |" + " ---: |" * len(COMPETENCIES),
    ]
    for a in COMPETENCIES:
        cells = []
        for b in COMPETENCIES:
            cell = _fmt(pearson(shipped[a], shipped[b]))
            if a in LABELLED and b in LABELLED:
                cell += f" ({_fmt(pearson(data.targets[a], data.targets[b]))})"
            cells.append(cell)
        out.append(f"| {a} | " + " | ".join(cells) + " |")
    out += [
        "",
        "## Levelled answers (`tests/fixtures/scoring/levelled/`)",
        "",
        "Each answer is scored as a one-question interview. The behavioural word lists were written and extended",
        "while looking at these answers, so this set is what the scorer was shaped around; the held-out set below",
        "was not.",
        "",
        levelled.markdown(),
        "",
        "## Held-out levelled answers (`tests/fixtures/scoring/levelled-holdout/`)",
        "",
        "Written in the same form by writers who saw neither the scorer's code nor its word lists, after the",
        "scorer was frozen, and never tuned on: three scenarios and one stuffing answer per competency.",
        "",
        holdout.markdown(),
        "",
    ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None, echo: Callable[[str], object] = print) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH.parent, help="where the model files go")
    parser.add_argument("--doc", type=Path, default=DOC_PATH)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    encoder = SentenceEncoder()
    echo(f"loading {args.data}")
    data = load(args.data, encoder, echo)
    rows = validity_rows(data, args.repeats)
    for r in rows:
        echo(f"{r.score:<17} {r.method:<45} {r.r_fixed:+.3f}  {r.r_mean:+.3f} ± {r.r_sd:.3f}")
    ceilings = {s: rater_ceiling(args.data, t) for s, t in TARGET_TRAITS.items()}
    echo("rater ceilings: " + json.dumps({k: round(v, 3) for k, v in ceilings.items()}))
    if args.no_write:
        return 0
    fit_shipped(data, args.data, rows, args.out)
    scorer = InterviewScorer(encoder)
    levelled, holdout = run_levelled(scorer), run_levelled(scorer, HOLDOUT_DIR)
    echo(levelled.markdown())
    echo(holdout.markdown())
    args.doc.write_text(render(data, rows, ceilings, levelled, holdout, args.repeats) + "\n", encoding="utf-8")
    echo(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
