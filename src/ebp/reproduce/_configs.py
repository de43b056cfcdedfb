"""The study configs of a reproduction: overrides of each study's defaults, per mode.

``quick`` is sized for the whole reproduction to finish in minutes on two cores while every
claim keeps its statistics: at least three sizes under each slope, a volume-law model and its
area-law control wherever a claim names both, three or more seeds per training point. Compile
time per distinct circuit dominates small runs, so the quick grids keep few circuit shapes
rather than few samples. ``full`` runs every study's own defaults (sizes a workstation or a
Dask cluster handles; see the printed estimate).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from ..studies import get_study

__all__ = ["MODES", "OVERRIDES", "STUDY_ORDER", "Mode", "study_config"]

Mode = Literal["quick", "full"]
MODES: tuple[Mode, ...] = ("quick", "full")
"""The reproduction modes: small configs that run in minutes, or each study's full config."""

STUDY_ORDER: tuple[str, ...] = (
    "entanglement",
    "cost-concentration",
    "gradient-scaling",
    "training-failure",
    "gradient-free-failure",
    "pretraining",
    "qbm-typicality",
    "qbm-gradient-by-term",
    "qbm-coupling",
    "qbm-training",
)
"""Every study a claim needs, in the order they run (the claims' order)."""

OVERRIDES: dict[Mode, dict[str, dict[str, Any]]] = {
    "quick": {
        # C2: Haar and the deep brickwork at the balanced cut up to n = 7; C1: Pinsker on all.
        "entanglement": dict(
            models=("haar", "brickwork"),
            n_min=2,
            n_max=7,
            samples=60,
            hist_models=("haar", "brickwork"),
            hist_n_hidden=(1, 3, 5),
            hist_samples=200,
            depth_n=6,
            depths=(1, 2, 4, 8),
            depth_cut_gates=(1,),
        ),
        # C1: Var[C] for the volume-law brickwork and the area-law control, n_H = 1…5.
        "cost-concentration": dict(
            models=("brickwork", "bounded_cut"),
            n_hidden=(1, 2, 3, 4, 5),
            samples=300,
        ),
        # C3: Var[∂C] at n_V = 1, n_H = 1…5, both models, a linear and the paper's nonlinear
        # objective; the paper's Fig. 3b for n_H = 1…5. (The depth sweep is left to --full.)
        "gradient-scaling": dict(
            models=("brickwork", "bounded_cut"),
            objectives=("local_pauli", "thermal_fidelity"),
            n_visible=(1,),
            n_max=6,
            samples=200,
            depth_models=(),
            paper_n_hidden=(1, 2, 3, 4, 5),
            paper_samples=300,
            bootstrap_resamples=300,
        ),
        # C4: Adam with 10 shots, n_H = 1…4, 4 seeds per point (8 runs per pooled half).
        "training-failure": dict(
            n_hidden=(1, 2, 3, 4),
            optimisers=("adam",),
            exact=(),
            seeds=4,
        ),
        # C5: pairs at n_H = 1, 2, 5, 6; SPSA with 3 seeds per point.
        "gradient-free-failure": dict(
            n_hidden=(1, 2, 5, 6),
            pairs=300,
            methods=("spsa",),
            seeds=3,
            budget=1e5,
        ),
        # C7, circuits: three pretraining strategies against random starts at n_H = 6.
        "pretraining": dict(
            strategies=("random", "small-angle", "decoupled-start", "layerwise"),
            seeds=3,
        ),
        # C6: the random 2-local QBM, n_H = 1…6.
        "qbm-typicality": dict(
            n_hidden=(1, 2, 3, 4, 5, 6),
            betas=(1.0,),
            instances=60,
            hist_n_hidden=(1, 3, 5),
            hist_instances=200,
            bootstrap_resamples=300,
        ),
        "qbm-gradient-by-term": dict(n_hidden=(1, 2, 3, 4, 5, 6), instances=20),
        "qbm-coupling": dict(n_hidden=(1, 3, 5), couplings=(0.0, 0.25, 1.0, 4.0), instances=20),
        # C7, QBMs: random starts against QBM pretraining on the randomly coupled family.
        "qbm-training": dict(
            families=("random",),
            targets=("quantum",),
            n_hidden=(1, 2, 3),
            budget_steps=40,
            seeds=3,
        ),
    },
    "full": {name: {} for name in STUDY_ORDER},
}
"""Config fields set by a reproduction, per mode and study, over the study's defaults."""


def study_config(name: str, mode: Mode) -> BaseModel:
    """The validated config of study ``name`` in a ``mode`` reproduction."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}.")
    return get_study(name).config_model(**OVERRIDES[mode][name])
