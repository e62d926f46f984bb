"""The performance model (JSON round trip, predictions in [0, 1]) and the training procedure (grouped folds, ridge,
no leakage, determinism)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from talentmind.scoring.language_features import extract_features
from talentmind.scoring.performance import (
    DEFAULT_MODEL_PATH,
    EXCITED_LEXICAL_MODEL_PATH,
    EXCITED_MODEL_PATH,
    FEATURE_Z_LIMIT,
    LEXICAL_MODEL_PATH,
    MODELS_DIR,
    ModelFileError,
    PerformanceModel,
    covers,
    load_model,
    model_json,
    performance,
    save_model,
)
from talentmind.scoring.train import (
    DEFAULT_DATA,
    FEATURE_SETS,
    SHIPPED,
    cross_validated_predictions,
    fit_ridge,
    grouped_folds,
    load_dataset,
    main,
    pearson,
    person_of,
    spearman,
)
from talentmind.scoring.transcript import Answer, answers_from_turns

needs_data = pytest.mark.skipif(not (DEFAULT_DATA / "scores.csv").is_file(), reason=f"no dataset at {DEFAULT_DATA}")

MODEL = PerformanceModel(
    target="Overall",
    feature_names=("speech_rate_spm", "filler_rate"),
    means=(220.0, 5.0),
    stds=(30.0, 2.5),
    coefficients=(0.3, -0.15),
    intercept=5.0,
    metadata={"note": "test"},
)

EN_ANSWERS = [
    Answer("Tell me about yourself.", "I study computer science and I love building things with my team."),
    Answer("Tell me about a time you demonstrated leadership.",
           "Last year I led a team of five. We had to ship a release in two weeks, so first I split the work, "
           "then we reviewed daily, and as a result we shipped on time and reduced bugs by 30%."),
]  # fmt: skip
RU_ANSWERS = [
    Answer("Расскажите о себе.", "Ну, э, я разработчик, как бы, работаю пять лет."),
    Answer("Расскажите о случае, когда вы руководили командой.",
           "В прошлом году я руководил командой из шести человек. Нужно было запустить продукт, поэтому я "
           "организовал планирование, и в итоге мы сократили сроки на 20%."),
]  # fmt: skip


# --- model ---------------------------------------------------------------------------------------------------------


def test_json_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    save_model(MODEL, path)
    loaded = load_model(path)
    assert loaded == MODEL
    assert loaded.metadata == {"note": "test"}
    assert path.read_text(encoding="utf-8") == model_json(loaded)  # same model, same bytes
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "talentmind.performance-model/1"


def test_predictions_map_the_rating_to_0_1() -> None:
    assert MODEL.predict_rating({"speech_rate_spm": 220.0, "filler_rate": 5.0}) == pytest.approx(5.0)
    assert MODEL.predict({"speech_rate_spm": 220.0, "filler_rate": 5.0}) == pytest.approx(4 / 6)
    assert MODEL.predict({"speech_rate_spm": 250.0, "filler_rate": 5.0}) == pytest.approx(5.3 / 6 - 1 / 6)
    assert MODEL.contributions({"speech_rate_spm": 250.0, "filler_rate": 2.5}) == pytest.approx(
        {"speech_rate_spm": 0.3, "filler_rate": 0.15}
    )
    extreme = PerformanceModel("Overall", ("x",), (0.0,), (1.0,), (2.0,), 4.0)
    assert extreme.predict({"x": 1.6}) == 1.0
    assert extreme.predict({"x": -1.6}) == 0.0


def test_features_far_outside_the_training_range_count_as_the_edge() -> None:
    """A standardised feature is clipped to ±3: far outside what the model saw, it says no more than the edge."""
    at_edge = MODEL.predict({"speech_rate_spm": 220.0 + FEATURE_Z_LIMIT * 30.0})
    assert MODEL.predict({"speech_rate_spm": 1e9}) == pytest.approx(at_edge)
    assert MODEL.predict({"speech_rate_spm": 1e9}) < 1.0
    assert MODEL.predict({"speech_rate_spm": -1e9}) == pytest.approx(
        MODEL.predict({"speech_rate_spm": 220.0 - FEATURE_Z_LIMIT * 30.0})
    )


def test_missing_or_nan_features_count_as_average() -> None:
    assert MODEL.predict({}) == pytest.approx(4 / 6)
    assert MODEL.predict({"speech_rate_spm": math.nan, "unrelated": 3.0}) == pytest.approx(4 / 6)
    assert covers(MODEL, {"speech_rate_spm": 1.0, "filler_rate": 1.0})
    assert not covers(MODEL, {"filler_rate": 1.0})


def test_invalid_models_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        PerformanceModel("Overall", ("a",), (0.0,), (0.0,), (1.0,), 4.0)
    with pytest.raises(ValueError):
        PerformanceModel("Overall", ("a", "b"), (0.0,), (1.0,), (1.0,), 4.0)
    path = tmp_path / "bad.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ModelFileError):
        load_model(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ModelFileError):
        load_model(path)
    path.write_text('{"format": "talentmind.performance-model/1", "target": "Overall"}', encoding="utf-8")
    with pytest.raises(ModelFileError):
        load_model(path)


@pytest.mark.parametrize(
    "path", [DEFAULT_MODEL_PATH, EXCITED_MODEL_PATH, LEXICAL_MODEL_PATH, EXCITED_LEXICAL_MODEL_PATH]
)
def test_shipped_models_load_and_predict_in_range(path: Path) -> None:
    model = load_model(path)
    assert model.target in ("Overall", "Excited")
    assert (model.scale_min, model.scale_max) == (1.0, 7.0)
    assert model.metadata["interviews"] == 100 and model.metadata["persons"] == 50
    for answers in (EN_ANSWERS, RU_ANSWERS, []):
        assert 0.0 <= model.predict(extract_features(answers)) <= 1.0


def test_shipped_model_files_are_the_ones_listed() -> None:
    assert sorted(p.name for p in MODELS_DIR.glob("performance_*.json")) == sorted(
        f"performance_{target}{suffix}.json" for target in ("overall", "excited") for suffix in SHIPPED
    )


def test_performance_picks_the_model_the_timings_allow() -> None:
    typed = performance(EN_ANSWERS)
    assert typed == load_model(LEXICAL_MODEL_PATH).predict(extract_features(EN_ANSWERS))
    timed = answers_from_turns(
        [
            {"speaker": "interviewer", "text": "Tell me about a time you demonstrated leadership."},
            {"speaker": "candidate", "text": EN_ANSWERS[1].text, "start": 10.0, "end": 25.0},
        ]
    )
    value = performance(timed)
    assert 0.0 <= value <= 1.0
    assert value == performance(timed, load_model(DEFAULT_MODEL_PATH))
    assert performance(timed) == value  # deterministic
    assert 0.0 <= performance(RU_ANSWERS) <= 1.0


def test_more_fluent_answers_score_higher() -> None:
    model = load_model(DEFAULT_MODEL_PATH)
    base = {"speech_rate_spm": 220.0, "log_mean_answer_words": 4.6, "filler_rate": 5.0}
    assert model.predict({**base, "speech_rate_spm": 260.0}) > model.predict(base)
    assert model.predict({**base, "filler_rate": 12.0}) < model.predict(base)


# --- training ------------------------------------------------------------------------------------------------------


def test_person_of() -> None:
    assert person_of("p12") == person_of("PP12") == 12
    with pytest.raises(ValueError):
        person_of("q1")


def test_grouped_folds_never_split_a_person() -> None:
    ids = [f"p{n}" for n in range(1, 60, 2)] + [f"pp{n}" for n in range(1, 60, 2)]
    groups = [person_of(i) for i in ids]
    folds = grouped_folds(groups, 5, seed=7)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(ids)))
    for fold in folds:
        persons_in = {groups[i] for i in fold}
        persons_out = {groups[i] for other in folds if other is not fold for i in other}
        assert not persons_in & persons_out
    sizes = sorted(len(f) for f in folds)
    assert sizes[-1] - sizes[0] <= 2  # one person (two interviews) at most
    assert [f.tolist() for f in grouped_folds(groups, 5, seed=7)] == [f.tolist() for f in folds]
    assert [f.tolist() for f in grouped_folds(groups, 5, seed=8)] != [f.tolist() for f in folds]


def test_ridge_recovers_a_linear_relation() -> None:
    rng = np.random.default_rng(0)
    # Uniform, so that no value lies beyond the ±3 SD where standardised features are clipped.
    x = rng.uniform(-1.7, 1.7, size=(200, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, -1.0]
    y = 2.0 + 0.5 * (x[:, 0]) - 0.03 * (x[:, 1] - 5.0) + rng.normal(scale=0.01, size=200)
    ridge = fit_ridge(x, y, alpha=1e-6)
    assert ridge.coefficients / ridge.stds == pytest.approx([0.5, -0.03, 0.0], abs=0.01)
    assert ridge.predict(x) == pytest.approx(y, abs=0.05)
    strong = fit_ridge(x, y, alpha=1e6)
    assert np.abs(strong.coefficients).max() < 0.01  # heavy penalty → the mean


def test_correlations_match_numpy() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=50), rng.normal(size=50)
    assert pearson(a, b) == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert spearman(a, np.exp(a)) == pytest.approx(1.0)
    assert spearman(np.array([1.0, 1.0, 2.0]), np.array([1.0, 2.0, 3.0])) == pytest.approx(math.sqrt(3) / 2)
    assert pearson(a, np.zeros(50)) == 0.0


def test_cross_validation_does_not_see_the_test_fold() -> None:
    """Changing the ratings of the interviews in one test fold must not change the predictions for them: the
    standardisation, the penalty and the coefficients come from the other folds only."""
    rng = np.random.default_rng(2)
    groups = [n for n in range(30) for _ in range(2)]
    x = rng.normal(size=(60, 4))
    y = x @ np.array([0.5, -0.2, 0.0, 0.1]) + rng.normal(scale=0.5, size=60)
    seed = 11
    predicted, alphas = cross_validated_predictions(x, y, groups, seed)
    assert len(alphas) == 5
    test = grouped_folds(groups, 5, seed)[0]
    changed = y.copy()
    changed[test] = rng.normal(scale=100, size=len(test))
    again, _ = cross_validated_predictions(x, changed, groups, seed)
    assert again[test] == pytest.approx(predicted[test], abs=0, rel=0)


@needs_data
def test_dataset_folds_keep_pn_and_ppn_together() -> None:
    interviews = load_dataset(DEFAULT_DATA)
    assert len(interviews) == 100 and len({i.person for i in interviews}) == 50
    groups = [i.person for i in interviews]
    for fold in grouped_folds(groups):
        ids = {interviews[i].participant for i in fold}
        for participant in ids:
            n = person_of(participant)
            assert {f"p{n}", f"pp{n}"} <= ids
    for interview in interviews:
        for names in FEATURE_SETS.values():
            assert all(math.isfinite(interview.features[n]) for n in names)


@needs_data
def test_training_is_deterministic_and_matches_the_shipped_models(tmp_path: Path) -> None:
    lines: list[str] = []
    for run in ("a", "b"):
        assert main(["--data", str(DEFAULT_DATA), "--out", str(tmp_path / run), "--repeats", "0"], lines.append) == 0
    for name in sorted(p.name for p in MODELS_DIR.glob("performance_*.json")):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        assert first == (MODELS_DIR / name).read_bytes(), f"{name} is stale: run python -m talentmind.scoring.train"
    assert any("Pearson r" in line for line in lines)
