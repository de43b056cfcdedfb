"""Study ``gradient-free-failure``: cost differences sink below shot noise as n_H grows.

Claim C5 of arXiv:2010.15968. A gradient-free optimiser moves by *comparing* estimated costs of
candidate points. Under volume-law entanglement C(θ) concentrates around C(I/d_V) (claim C1), so
the difference ΔC = C(θ + σz₁) − C(θ + σz₂) between two candidates at the scale σ an optimiser
explores shrinks like 2^{−n_H/2}, while the shot noise of the estimated difference,
σ_N = √((v₁ + v₂)/N) with v the single-shot variance of each estimate, does not. Once |ΔC| < σ_N
the comparison is a coin flip and the method wanders.

Two parts:

* ``kind="pair"`` rows: for random θ and Gaussian candidates around it, the exact |ΔC|, the
  shot-noise level σ_N for ``shots`` shots, and their ratio;
* ``kind="run"`` rows: each gradient-free method (SPSA, CMA-ES, Nelder–Mead, COBYLA, Powell,
  random search) trained at a fixed shot budget, with success against n_H (volume-law brickwork
  and area-law bounded_cut at the same depth).

Figures: the distribution of |ΔC|/σ_N against n_H, the fraction of resolvable comparisons, and
the success rate of each method.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from pydantic import Field, field_validator

from ..experiment import Study, StudyConfig, Task, distinct, hidden_sizes
from ..report import THEORY_COLOR, model_color, model_label, new_figure
from ..train import CircuitModel, LinearEstimator, fit
from ._figures import figure, figures
from ._training import (
    ModelName,
    OptimiserName,
    build_circuit,
    make_optimiser,
    plot_success_rates,
    result_rows,
    run_labels,
    study_task,
)

__all__ = [
    "STUDY",
    "GradientFreeFailureConfig",
    "make_figures",
    "points",
    "quick_config",
    "run_task",
]


class GradientFreeFailureConfig(StudyConfig):
    """Hyperparameters of the gradient-free-failure study (a
    :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        task: Learning task (its loss must be linear in ρ_V so shots can measure it).
        models: Circuit families.
        n_visible: Visible register size.
        n_hidden: Hidden register sizes.
        layers_per_qubit: Circuits get ``layers_per_qubit × n`` layers.
        cut_gates: Gates across the cut of ``bounded_cut``.
        pairs: Candidate pairs per (model, n_H) for the cost-difference distribution.
        step: Exploration scale σ of the candidates θ + σz, z ~ N(0, I) (CMA-ES's initial
            σ).
        methods: Gradient-free optimisers trained at the fixed budget (empty: pairs
            only).
        shots: Shots per estimate.
        budget: Total shots per training run.
        seeds: Training runs per (model, n_H, method).
    """

    task: str = "state"
    models: Annotated[tuple[ModelName, ...], distinct("model")] = ("brickwork", "bounded_cut")
    n_visible: int = Field(1, ge=1, le=4)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(13)] = (1, 2, 3, 4, 5, 6, 7, 8)
    layers_per_qubit: int = Field(1, ge=1, le=20)
    cut_gates: int = Field(1, ge=1, le=20)
    pairs: int = Field(500, ge=10, le=100_000)
    step: float = Field(0.5, gt=0, le=10)
    methods: tuple[OptimiserName, ...] = (
        "spsa",
        "cma-es",
        "nelder-mead",
        "cobyla",
        "powell",
        "random-search",
    )
    shots: int = Field(100, ge=2, le=10**6)
    budget: float = Field(4e5, gt=0, le=1e12)
    seeds: int = Field(4, ge=1, le=1000)

    @field_validator("methods")
    @classmethod
    def _gradient_free(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(v)) != len(v) or {"adam", "sgd"} & set(v):
            raise ValueError(f"methods must be distinct gradient-free optimisers; got {list(v)}")
        return v


def quick_config() -> GradientFreeFailureConfig:
    """n_H = 1…6 for the pairs; SPSA, Nelder–Mead and random search trained at n_H = 1…6 with 2
    seeds (a few minutes on two cores)."""
    return GradientFreeFailureConfig(
        n_hidden=(1, 2, 3, 4, 5, 6),
        pairs=300,
        methods=("spsa", "nelder-mead", "random-search"),
        seeds=2,
        budget=1e5,
    )


def points(config: GradientFreeFailureConfig):
    """One ``pairs`` task per (model, n_H), and one training task per (model, n_H, method,
    repetition)."""
    for model in config.models:
        for n_h in config.n_hidden:
            base = {
                "model": model,
                "n_visible": config.n_visible,
                "n_hidden": n_h,
                "layers": config.layers_per_qubit * (config.n_visible + n_h),
                "cut_gates": config.cut_gates if model == "bounded_cut" else None,
                "task": config.task,
                "shots": config.shots,
            }
            yield {**base, "part": "pairs", "pairs": config.pairs, "step": config.step}
            for method in config.methods:
                for rep in range(config.seeds):
                    yield {
                        **base,
                        "part": "train",
                        "method": method,
                        "budget": config.budget,
                        "repetition": rep,
                    }


def _pairs(task: Task, circuit, learning) -> list[dict[str, Any]]:
    p = task.params
    rng = np.random.default_rng(task.seed)
    model = CircuitModel(circuit)
    estimator = LinearEstimator(learning.terms[0].objective.observable)
    lam = estimator.eigenvalues
    theta = np.stack([model.random_parameters(rng) for _ in range(p["pairs"])])
    a = theta + p["step"] * rng.standard_normal(theta.shape)
    b = theta + p["step"] * rng.standard_normal(theta.shape)
    probs = [estimator.probabilities(model.rho_visible(x)) for x in (a, b)]
    costs = [q @ lam for q in probs]
    variances = [q @ lam**2 - c**2 for q, c in zip(probs, costs)]
    noise = np.sqrt(np.clip(variances[0] + variances[1], 0, None) / p["shots"])
    delta = np.abs(costs[0] - costs[1])
    return [
        {
            "kind": "pair",
            "model": p["model"],
            "n_visible": p["n_visible"],
            "n_hidden": p["n_hidden"],
            "layers": p["layers"],
            "shots": p["shots"],
            "step": p["step"],
            "pair": i,
            "delta": float(delta[i]),
            "noise": float(noise[i]),
            "ratio": float(delta[i] / noise[i]) if noise[i] > 0 else None,
        }
        for i in range(p["pairs"])
    ]


def run_task(task: Task) -> list[dict[str, Any]]:
    """Either sample candidate pairs or train one gradient-free run."""
    p = task.params
    circuit = build_circuit(
        p["model"], p["n_visible"], p["n_hidden"], p["layers"], p["cut_gates"] or 1
    )
    learning = study_task(p["task"], p["n_visible"], p["n_hidden"], task.seed)
    if p["part"] == "pairs":
        return _pairs(task, circuit, learning)
    result = fit(
        circuit,
        learning,
        make_optimiser(p["method"], 0.1),
        budget=p["budget"],
        shots=p["shots"],
        seed=task.seed,
    )
    return result_rows(result, run_labels(p, circuit, learning.target, task.seed, p["method"]))


# --------------------------------------------------------------------------- figures
@figure("gradient_free_cost_differences.png")
def _fig_ratio(df: pd.DataFrame, config: GradientFreeFailureConfig):
    pairs = df[df["kind"] == "pair"]
    if pairs.empty:
        return None
    models = list(dict.fromkeys(pairs["model"]))
    fig, axes = new_figure(1, len(models) + 1, width=3.6, height=3.6)
    for ax, model in zip(axes[0], models):
        s = pairs[pairs["model"] == model]
        sizes = sorted(s["n_hidden"].unique())
        data = [
            np.log10(np.maximum(s[s["n_hidden"] == h]["ratio"].dropna().to_numpy(), 1e-6))
            for h in sizes
        ]
        parts = ax.violinplot(
            data, positions=sizes, widths=0.8, showextrema=False, showmedians=True
        )
        for body in parts["bodies"]:
            body.set_facecolor(model_color(model))
            body.set_alpha(0.6)
        ax.axhline(0.0, color=THEORY_COLOR, ls="--", lw=1, label=r"$|\Delta C| = \sigma_N$")
        ax.set_title(model_label(model), fontsize=9)
        ax.set_xlabel("hidden qubits $n_H$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0, 0].set_ylabel(r"$\log_{10}(|\Delta C| / \sigma_N)$")
    axes[0, 0].legend(fontsize=7)
    ax = axes[0, -1]
    for model in models:
        s = pairs[pairs["model"] == model]
        frac = s.groupby("n_hidden")["ratio"].apply(lambda r: float(np.mean(r > 1)))
        ax.plot(
            frac.index, frac.values, "o-", ms=4, color=model_color(model), label=model_label(model)
        )
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("hidden qubits $n_H$")
    ax.set_ylabel(r"fraction with $|\Delta C| > \sigma_N$")
    ax.set_title(f"Resolvable comparisons, N = {int(pairs['shots'].iloc[0])} shots", fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7)
    return fig


@figure("gradient_free_success.png")
def _fig_success(df: pd.DataFrame, config: GradientFreeFailureConfig):
    runs = df[df["kind"] == "run"]
    if runs.empty:
        return None
    methods = list(dict.fromkeys(runs["optimiser"]))
    fig, axes = new_figure(1, len(methods), width=3.2, height=3.4, sharey=True)
    for ax, method in zip(axes[0], methods):
        s = runs[runs["optimiser"] == method]
        plot_success_rates(ax, s)
        ax.set_title(method, fontsize=9)
    axes[0, 0].set_ylabel("success rate (95% Wilson interval)")
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(
        f"{config.shots} shots per estimate, {config.budget:.3g} shots per run", fontsize=10
    )
    return fig


make_figures = figures(_fig_ratio, _fig_success)


STUDY = Study(
    name="gradient-free-failure",
    description=(
        "Cost differences between candidate points vs shot noise as n_H grows, and the success "
        "of SPSA, CMA-ES, Nelder-Mead, COBYLA, Powell and random search (claim C5)"
    ),
    config_model=GradientFreeFailureConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
