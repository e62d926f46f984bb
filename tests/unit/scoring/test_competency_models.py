"""The fitted competency models: torch heads agree with the JSON models, calibration loads, behaviour rules hold."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
import torch

from talentmind.competencies import COMPETENCIES
from talentmind.scoring import train, validate
from talentmind.scoring.behaviour import concreteness, is_self_claim
from talentmind.scoring.competencies import LABELLED, Calibration, load_human_models, normal_cdf
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.linear_heads import LinearHeads, pick_device
from talentmind.scoring.performance import MODELS_DIR
from talentmind.scoring.train import DEFAULT_DATA


def _random_rows(names: tuple[str, ...], n: int, seed: int) -> list[dict[str, float]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        row = {name: rng.uniform(-2.0, 8.0) for name in names if rng.random() > 0.1}  # some features missing
        rows.append(row)
    return rows


def test_heads_on_torch_equal_the_json_models() -> None:
    models = load_human_models()
    heads = LinearHeads(models, torch.device("cpu"))
    rows = _random_rows(heads.feature_names, 50, seed=7)
    for row, predicted in zip(rows, heads.predict(rows), strict=True):
        for name, model in models.items():
            expected = model.intercept + sum(model.contributions(row).values())
            assert math.isclose(predicted[name], expected, rel_tol=1e-12, abs_tol=1e-12)


def test_a_missing_feature_counts_as_average() -> None:
    models = load_human_models()
    heads = LinearHeads(models, torch.device("cpu"))
    (empty,) = heads.predict([{}])
    assert empty == pytest.approx({name: m.intercept for name, m in models.items()}, abs=1e-12)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine (CPU-only CI)")
def test_cuda_and_cpu_give_the_same_scores() -> None:
    models = load_human_models()
    rows = _random_rows(LinearHeads(models, torch.device("cpu")).feature_names, 200, seed=11)
    on_cpu = LinearHeads(models, torch.device("cpu")).predict(rows)
    on_gpu = LinearHeads(models, torch.device("cuda")).predict(rows)
    for a, b in zip(on_cpu, on_gpu, strict=True):
        assert a == pytest.approx(b, abs=1e-9)


def test_device_preference() -> None:
    assert pick_device("cpu").type == "cpu"
    assert pick_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_calibration_covers_every_competency_and_says_how_valid_it_is() -> None:
    calibration = Calibration.load()
    assert set(calibration.competencies) == set(COMPETENCIES)
    for c, cal in calibration.competencies.items():
        assert cal.behaviour_std > 0 and cal.blend_std > 0
        if c in LABELLED:
            assert cal.human_weight > 0 and cal.validity_r is not None and cal.band is not None
        else:  # no human label: the behavioural scale alone
            assert cal.human_weight == 0 and cal.validity_r is None


def test_the_blend_rises_with_both_parts_and_is_a_percentile() -> None:
    cal = Calibration.load().competencies["communication"]
    low = normal_cdf(cal.blend(cal.human_mean - cal.human_std, cal.behaviour_mean, 700))
    mid = normal_cdf(cal.blend(cal.human_mean, cal.behaviour_mean, 700))
    high_h = normal_cdf(cal.blend(cal.human_mean + cal.human_std, cal.behaviour_mean, 700))
    high_b = normal_cdf(cal.blend(cal.human_mean, cal.behaviour_mean + cal.behaviour_std, 700))
    assert 0 < low < mid < high_h < 1
    assert mid < high_b < 1


@pytest.mark.parametrize(
    "sentence",
    [
        "I am a natural leader and leadership is my passion.",
        "My greatest strength is my communication skills.",
        "I'm an extremely empathetic and caring person.",
        "Я прирождённый лидер, лидерство — моя страсть.",
        "Моя сильная сторона — аналитическое мышление.",
    ],
)
def test_a_self_claim_is_not_evidence(sentence: str) -> None:
    assert is_self_claim(sentence)
    assert concreteness(sentence) == 0.0


@pytest.mark.parametrize(
    ("story", "habit", "vague"),
    [
        (
            "Last March I split the migration into five steps and we finished two weeks early.",
            "I usually try to split big migrations into steps.",
            "I guess the migration kind of worked out somehow.",
        ),
        (
            "В марте я разбил миграцию на пять шагов, и мы закончили на две недели раньше.",
            "Обычно я стараюсь разбивать большие миграции на шаги.",
            "Наверное, миграция как-то в итоге получилась, вроде бы.",
        ),
    ],
)
def test_a_past_action_with_specifics_is_more_concrete_than_a_habit_or_a_hedge(
    story: str, habit: str, vague: str
) -> None:
    assert concreteness(story) > concreteness(habit) > concreteness(vague)


@pytest.mark.skipif(not DEFAULT_DATA.exists(), reason="the shared MIT interviews (../shared/datasets) are absent")
def test_the_shipped_models_are_what_validation_fits(tmp_path: Path) -> None:
    """The committed competency models and calibration are stale unless refitting them on the shared data gives the
    same numbers (``make validate-scorer`` rewrites them); the cross-validated r and band depend on the number of
    reshuffles, so they are left out of the comparison."""
    data = validate.load(DEFAULT_DATA, SentenceEncoder(), lambda _: None)
    shipped_method = "**shipped score** (style + evidence)"
    rows = []
    for c in LABELLED:
        r = train.pearson(validate.oof_scores(data, c, train.SEED)[0], data.targets[c])
        rows.append(validate.Row(c, shipped_method, r, r, 0.0))
    validate.fit_shipped(data, DEFAULT_DATA, rows, tmp_path)
    for c in LABELLED:
        fitted = json.loads((tmp_path / f"competency_{c}.json").read_text())
        committed = json.loads((MODELS_DIR / f"competency_{c}.json").read_text())
        assert fitted["features"] == committed["features"], f"competency_{c}.json is stale: make validate-scorer"
        assert fitted["intercept"] == committed["intercept"]
    fitted_cal = json.loads((tmp_path / "competency_calibration.json").read_text())["competencies"]
    committed_cal = json.loads((MODELS_DIR / "competency_calibration.json").read_text())["competencies"]
    for c in COMPETENCIES:
        for key in set(committed_cal[c]) - {"validity_r", "band"}:
            assert fitted_cal[c][key] == committed_cal[c][key], f"{c}.{key} is stale: make validate-scorer"
