"""The fitted linear models of the scorer, evaluated together on torch (CUDA when present, else the CPU).

Every supervised model of the scorer is a ridge regression on standardised features (``performance.PerformanceModel``,
stored as JSON in ``models/``). ``LinearHeads`` stacks several of them into one ``(features → heads)`` matrix product
in float64, so the same features give the same numbers on a GPU and on the CPU (a test compares them where a GPU
exists). The weights come from the package's files; nothing is downloaded.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

import torch

from talentmind.scoring.performance import FEATURE_Z_LIMIT, PerformanceModel

DEVICE_ENV = "TM_SCORER_DEVICE"
"""``cpu``, ``cuda`` or ``auto`` (default): where the scorer's models run."""


def pick_device(preference: str | None = None) -> torch.device:
    """``cuda`` when asked for or when ``auto`` finds a GPU, else ``cpu``."""
    wanted = (preference or os.environ.get(DEVICE_ENV) or "auto").lower()
    if wanted == "cpu":
        return torch.device("cpu")
    if wanted == "cuda" or (wanted == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


class LinearHeads(torch.nn.Module):
    """Several linear models over the union of their features: ``y = intercept + W · clip((x − mean) / std)``.

    A feature a model does not use has weight 0 for it; a feature missing from the input counts as average (z = 0),
    as ``PerformanceModel`` does. Outputs are on each model's own scale, not clipped."""

    weights: torch.Tensor
    means: torch.Tensor
    stds: torch.Tensor
    intercepts: torch.Tensor

    def __init__(self, models: Mapping[str, PerformanceModel], device: torch.device | None = None) -> None:
        super().__init__()
        self.names = tuple(models)
        self.feature_names = tuple(sorted({f for m in models.values() for f in m.feature_names}))
        index = {f: i for i, f in enumerate(self.feature_names)}
        n_heads, n_features = len(self.names), len(self.feature_names)
        weights = torch.zeros((n_heads, n_features), dtype=torch.float64)
        means = torch.zeros((n_heads, n_features), dtype=torch.float64)
        stds = torch.ones((n_heads, n_features), dtype=torch.float64)
        intercepts = torch.zeros(n_heads, dtype=torch.float64)
        for h, name in enumerate(self.names):
            model = models[name]
            intercepts[h] = model.intercept
            for f, mean, std, coefficient in zip(
                model.feature_names, model.means, model.stds, model.coefficients, strict=True
            ):
                weights[h, index[f]] = coefficient
                means[h, index[f]] = mean
                stds[h, index[f]] = std
        self.device = device or pick_device()
        self.register_buffer("weights", weights.to(self.device))
        self.register_buffer("means", means.to(self.device))
        self.register_buffer("stds", stds.to(self.device))
        self.register_buffer("intercepts", intercepts.to(self.device))

    def vectors(self, rows: Sequence[Mapping[str, float]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Feature values and a mask of the present (finite) ones, ``(rows, features)``."""
        values = torch.zeros((len(rows), len(self.feature_names)), dtype=torch.float64)
        present = torch.zeros_like(values, dtype=torch.bool)
        for r, row in enumerate(rows):
            for f, name in enumerate(self.feature_names):
                value = row.get(name)
                if value is not None and math.isfinite(value):
                    values[r, f] = float(value)
                    present[r, f] = True
        return values.to(self.device), present.to(self.device)

    def forward(self, values: torch.Tensor, present: torch.Tensor) -> torch.Tensor:
        # (rows, 1, features) against (heads, features): z per head, 0 where the feature is missing.
        z = ((values.unsqueeze(1) - self.means) / self.stds).clamp(-FEATURE_Z_LIMIT, FEATURE_Z_LIMIT)
        z = torch.where(present.unsqueeze(1), z, torch.zeros_like(z))
        return self.intercepts + (z * self.weights).sum(dim=-1)

    @torch.no_grad()
    def predict(self, rows: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
        """Each row's prediction of every head, as plain floats."""
        if not rows:
            return []
        output = self(*self.vectors(rows)).cpu().tolist()
        return [dict(zip(self.names, out, strict=True)) for out in output]
