"""Study ``gradient-scaling``: gradients and Lipschitz constants shrink like 1/d_H (claim C3).

Claims C1 and C3 of Ortiz Marrero, Kieferová & Wiebe, arXiv:2010.15968: for any bounded objective
f(ρ_V) of the visible units, once V and H are volume-law entangled the gradient of C(θ) and the
Lipschitz constant of C decay with the hidden dimension d_H. For each circuit and objective, over
``samples`` uniform random parameter vectors, a task measures (via
:func:`ebp.landscape.gradient_statistics_many`, exact adjoint gradients, bootstrap intervals):

* Var[∂_k C] averaged over the *probe* — the parameters of the middle layer's gates that touch V —
  against the 2-design closed form (:func:`ebp.landscape.two_design_probe_variance`, McClean et
  al., arXiv:1803.11173) for linear objectives;
* Var[‖∇C‖_∞] (the paper's Fig. 3b quantity), E‖∇C‖², Var[C] (cost concentration, against the
  Haar value :func:`ebp.theory.haar_expectation_variance` for linear objectives), and the
  empirical Lipschitz constant (largest sampled ‖∇C‖ improved by a local maximisation);
* S(ρ_V) and ½‖ρ_V − I/d_V‖₁ of the same states, against Page's value and ½√(d_V/d_H).

Objectives on V: ``local_pauli`` (Z on wire 0), ``global_projector`` (|0…0⟩⟨0…0|),
``random_observable`` (U diag(λ) U†, λ ∈ [−1, 1]) and ``thermal_fidelity`` (the paper's objective:
fidelity with the Gibbs state at β = 1 of a random 2-local Hamiltonian with ‖Ĥ‖ = 1).

Experiments (column ``experiment``):

``n_hidden``  every model, n_V in ``n_visible``, n_H = 1 … n_max − n_V (n_max for n_V = 1,
              ``n_max_multi_visible`` otherwise), ``layers_per_qubit`` × n layers.
``depth``     n_V = 1, n_H = ``depth_n_hidden``, layers in ``depths``: the crossover to the
              2-design value as S(ρ_V) saturates Page's value.
``paper``     the paper's Fig. 3b: ``pauli_network`` with the thermal-fidelity objective,
              ``paper_samples`` instances, n_V = 1, n_H in ``paper_n_hidden``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from pydantic import Field, model_validator

from .._format import plus_minus
from ..ansatz import ANSATZ
from ..experiment import Study, StudyConfig, Task, derive_seed, distinct, sorted_ints
from ..landscape import Linear, gradient_statistics_many, two_design_probe_variance
from ..quantum_info import distance_to_maximally_mixed, von_neumann_entropy
from ..report import THEORY_COLOR, model_color, model_label, new_figure
from ..theory import haar_expectation_variance, mean_trace_distance_bound, page_entropy
from ._bands import error_bars, log2_fit
from ._figures import figure, figures
from ._visible import OBJECTIVE_LABELS, OBJECTIVES, ObjectiveName, visible_objective

__all__ = ["STUDY", "GradientScalingConfig", "make_figures", "points", "quick_config", "run_task"]

ModelName = Literal["brickwork", "hardware_efficient", "bounded_cut", "decoupled", "pauli_network"]
MAX_QUBITS = 20


class GradientScalingConfig(StudyConfig):
    """Hyperparameters of the gradient-scaling study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        models: Ansätze of the ``n_hidden`` experiment: ``brickwork`` and
            ``hardware_efficient`` (volume law), ``bounded_cut`` (area law, ``cut_gates`` blocks
            across V|H), ``decoupled``, and ``pauli_network`` (the paper's model).
        objectives: Visible objectives, from ``local_pauli``, ``global_projector``,
            ``random_observable``, ``thermal_fidelity``; all are evaluated on the same states.
        n_visible: Visible register sizes of the ``n_hidden`` experiment.
        n_max: Largest total qubit number for n_V = 1.
        n_max_multi_visible: Largest total qubit number for n_V >= 2.
        samples: Parameter vectors per point.
        layers_per_qubit: Circuits get ``layers_per_qubit × n`` layers (3 brings the middle of
            a brickwork close to a 2-design on both sides; ``pauli_network`` always has 1 layer, as
            in the paper).
        cut_gates: Gates across the cut of ``bounded_cut``.
        depth_n_hidden: Hidden qubits of the depth experiment at n_V = 1.
        depths: Layer counts of the depth experiment.
        depth_models: Models of the depth experiment.
        paper_n_hidden: Hidden sizes of the paper's Fig. 3b experiment (``pauli_network``,
            thermal fidelity).
        paper_samples: Parameter vectors per point of that experiment.
        lipschitz_steps: Steps of the local maximisation of ‖∇C‖ (0: sampled maximum only).
        lipschitz_starts: Samples of largest ‖∇C‖ that maximisation starts from.
        bootstrap_resamples: Resamples of the bootstrap intervals.

    The study seed fixes the targets, the observables and every task seed.
    """

    models: Annotated[tuple[ModelName, ...], distinct("model", allow_empty=True)] = (
        "brickwork",
        "hardware_efficient",
        "bounded_cut",
        "decoupled",
    )
    objectives: Annotated[tuple[ObjectiveName, ...], distinct("objective", allow_empty=True)] = (
        OBJECTIVES
    )
    n_visible: Annotated[tuple[int, ...], sorted_ints(1, 6, "n_visible")] = (1, 2, 3)
    n_max: int = Field(16, ge=2, le=MAX_QUBITS)
    n_max_multi_visible: int = Field(12, ge=3, le=MAX_QUBITS)
    samples: int = Field(200, ge=4, le=100_000)
    layers_per_qubit: int = Field(3, ge=1, le=100)
    cut_gates: int = Field(1, ge=1, le=100)
    depth_n_hidden: int = Field(7, ge=1, le=MAX_QUBITS - 1)
    depths: Annotated[tuple[int, ...], sorted_ints(1, 1000, "depth")] = (
        1,
        2,
        3,
        4,
        6,
        8,
        12,
        16,
        24,
    )
    depth_models: Annotated[tuple[ModelName, ...], distinct("model", allow_empty=True)] = (
        "brickwork",
        "hardware_efficient",
    )
    paper_n_hidden: Annotated[tuple[int, ...], sorted_ints(1, 1000, "n_hidden")] = tuple(
        range(1, 12)
    )
    paper_samples: int = Field(1000, ge=4, le=100_000)
    lipschitz_steps: int = Field(3, ge=0, le=1000)
    lipschitz_starts: int = Field(2, ge=1, le=1000)
    bootstrap_resamples: int = Field(1000, ge=10, le=100_000)

    @model_validator(mode="after")
    def _ranges(self) -> GradientScalingConfig:
        if not self.objectives:
            raise ValueError(f"choose at least one objective from {', '.join(OBJECTIVES)}")
        big = [h for h in self.paper_n_hidden if h + 1 > MAX_QUBITS]
        if big:
            raise ValueError(f"paper_n_hidden must keep n <= {MAX_QUBITS}; got {big}")
        if self.cut_gates > self.layers_per_qubit * 2:
            raise ValueError("cut_gates must be <= the smallest depth, 2 × layers_per_qubit")
        return self


def quick_config() -> GradientScalingConfig:
    """A small config for a first look (356 s from a fresh install on two cores).

    n_V = 1 up to n = 6 and n_V = 2 up to n = 4, 200 samples; depths 1–12 at n = 5; the paper's
    experiment for n_H = 1 … 5 with 300 instances, and the default local search for the
    Lipschitz constant.
    """
    return GradientScalingConfig(
        n_visible=(1, 2),
        n_max=6,
        n_max_multi_visible=4,
        samples=200,
        depth_n_hidden=4,
        depths=(1, 2, 4, 8, 12),
        paper_n_hidden=(1, 2, 3, 4, 5),
        paper_samples=300,
        bootstrap_resamples=300,
    )


# --------------------------------------------------------------------------- tasks
def _point(
    experiment: str,
    model: str,
    n_v: int,
    n_h: int,
    layers: int,
    samples: int,
    objectives: tuple[str, ...],
    cut_gates: int | None,
) -> dict[str, Any]:
    return {
        "experiment": experiment,
        "model": model,
        "n_visible": n_v,
        "n_hidden": n_h,
        "layers": layers,
        "samples": samples,
        "objectives": tuple(objectives),
        "cut_gates": cut_gates if model == "bounded_cut" else (0 if model == "decoupled" else None),
    }


def points(config: GradientScalingConfig) -> list[dict[str, Any]]:
    """One task per (experiment, model, n_V, n_H, layers); all objectives share its states.

    Each point carries the study-level settings that change its numbers, so they enter its seed.
    """
    grid = []
    for n_v in config.n_visible:
        n_top = config.n_max if n_v == 1 else config.n_max_multi_visible
        for model in config.models:
            for n_h in range(1, n_top - n_v + 1):
                layers = 1 if model == "pauli_network" else config.layers_per_qubit * (n_v + n_h)
                grid.append(
                    _point(
                        "n_hidden",
                        model,
                        n_v,
                        n_h,
                        layers,
                        config.samples,
                        config.objectives,
                        config.cut_gates,
                    )
                )
    for model in config.depth_models:
        if model == "pauli_network":
            continue
        for layers in config.depths:
            cut = min(config.cut_gates, layers)
            grid.append(
                _point(
                    "depth",
                    model,
                    1,
                    config.depth_n_hidden,
                    layers,
                    config.samples,
                    config.objectives,
                    cut,
                )
            )
    for n_h in config.paper_n_hidden:
        grid.append(
            _point(
                "paper",
                "pauli_network",
                1,
                n_h,
                1,
                config.paper_samples,
                ("thermal_fidelity",),
                None,
            )
        )
    shared = {
        "lipschitz_steps": config.lipschitz_steps,
        "lipschitz_starts": config.lipschitz_starts,
        "bootstrap_resamples": config.bootstrap_resamples,
        "study_seed": config.seed,
    }
    return [{**p, **shared} for p in grid]


def _circuit(p: dict[str, Any], seed: int):
    model, n_v, n_h, layers = p["model"], p["n_visible"], p["n_hidden"], p["layers"]
    if model == "pauli_network":
        return ANSATZ[model](n_v, n_h, layers, seed=seed)
    if model == "bounded_cut":
        return ANSATZ[model](n_v, n_h, layers, cut_gates=p["cut_gates"])
    return ANSATZ[model](n_v, n_h, layers)


def run_task(task: Task) -> list[dict[str, Any]]:
    """Gradient statistics of every objective of the task on one shared set of samples.

    Pure in ``(task.point, task.seed)``: the Pauli network's Hamiltonian and the parameter draws
    use independent children of ``SeedSequence(task.seed)``. One row per objective.
    """
    p = task.params
    net_seed, draw_seed = map(derive_seed, np.random.SeedSequence(task.seed).spawn(2))
    circuit = _circuit(p, net_seed)
    n_v, n_h = p["n_visible"], p["n_hidden"]
    objectives = [visible_objective(name, n_v, p["study_seed"]) for name in p["objectives"]]
    stats = gradient_statistics_many(
        circuit,
        objectives,
        p["samples"],
        draw_seed,
        n_resamples=p["bootstrap_resamples"],
        lipschitz_steps=p["lipschitz_steps"],
        lipschitz_starts=p["lipschitz_starts"],
    )
    rho = stats[0].rho_visible
    entropy, distance = von_neumann_entropy(rho), distance_to_maximally_mixed(rho)
    d, d_v = 2 ** (n_v + n_h), 2**n_v
    fixed = {
        "experiment": p["experiment"],
        "model": p["model"],
        "n_visible": n_v,
        "n_hidden": n_h,
        "n_qubits": n_v + n_h,
        "layers": p["layers"],
        "cut_gates": p["cut_gates"],
        "n_params": circuit.n_params,
        "probe_size": len(stats[0].probe),
        "seed": task.seed,
        "entropy_mean": float(np.mean(entropy)),
        "page_entropy": float(page_entropy(n_v, n_h)),
        "trace_distance_mean": float(np.mean(distance)),
        "trace_distance_bound": float(mean_trace_distance_bound(n_v, n_h)),
    }
    rows = []
    for name, obj, st in zip(p["objectives"], objectives, stats):
        theory = {"probe_var_2design": math.nan, "cost_var_haar": math.nan}
        if isinstance(obj, Linear):
            o = obj.observable
            d_h = d // d_v
            theory["probe_var_2design"] = two_design_probe_variance(circuit, obj, st.probe)
            theory["cost_var_haar"] = float(
                haar_expectation_variance(np.trace(o).real * d_h, np.trace(o @ o).real * d_h, d)
            )
        rows.append({**fixed, "objective": name, **st.summary(), **theory})
    return rows


# --------------------------------------------------------------------------- figures
def _fit_label(x, y, lo, hi) -> tuple[str, Any]:
    """Legend text with the fitted slope of log₂ y (weighted by the bootstrap intervals)."""
    fit = log2_fit(x, y, lo, hi)
    if fit is None:
        return "", None
    return f" (slope {plus_minus(fit.slope, fit.slope_err)})", fit


def _errorbar(ax, rows: pd.DataFrame, x: str, column: str, **kw):
    """``rows[column]`` against ``rows[x]`` with its 95 % interval ``column_lo``/``column_hi``."""
    y = rows[column]
    ax.errorbar(
        rows[x], y, yerr=error_bars(y, rows[f"{column}_lo"], rows[f"{column}_hi"]), capsize=2, **kw
    )


def _fig_scaling(df: pd.DataFrame, column: str, ylabel: str, theory: str | None):
    sub = df[(df["experiment"] == "n_hidden") & (df["objective"] == df["objective"].iloc[0])]
    if sub.empty:
        return None
    nvs = sorted(sub["n_visible"].unique())
    fig, axes = new_figure(1, len(nvs), width=4.6, height=3.8, sharey=True)
    for ax, n_v in zip(axes[0], nvs):
        for model in dict.fromkeys(sub["model"]):
            s = sub[(sub["n_visible"] == n_v) & (sub["model"] == model)].sort_values("n_hidden")
            if s.empty:
                continue
            text, _ = _fit_label(s["n_hidden"], s[column], s[column + "_lo"], s[column + "_hi"])
            _errorbar(
                ax,
                s,
                "n_hidden",
                column,
                fmt="o-",
                ms=4,
                lw=1,
                color=model_color(model),
                label=model_label(model) + text,
            )
            if theory and model == "brickwork":
                ax.plot(
                    s["n_hidden"],
                    s[theory],
                    "--",
                    color=THEORY_COLOR,
                    lw=1.3,
                    label="2-design closed form",
                )
        ax.set_yscale("log", base=2)
        ax.set_title(
            f"$n_V = {n_v}$, objective: {OBJECTIVE_LABELS[sub['objective'].iloc[0]]}", fontsize=9
        )
        ax.set_xlabel("hidden qubits $n_H$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        # below its panel (the fitted slopes differ per panel): never on top of the data
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False)
    axes[0, 0].set_ylabel(ylabel)
    return fig


@figure("gradient_variance_n_hidden.png")
def _fig_variance(df: pd.DataFrame, config: GradientScalingConfig):
    """Probe Var[∂C] vs n_H per model and n_V, first objective, 2-design closed form dashed,
    fitted slopes in the legend."""
    return _fig_scaling(df, "probe_var", "probe Var$[\\partial_k C]$", "probe_var_2design")


@figure("gradient_variance_objectives.png")
def _fig_objectives(df: pd.DataFrame, config: GradientScalingConfig):
    """The same for every objective (volume-law models)."""
    sub = df[(df["experiment"] == "n_hidden") & (df["n_visible"] == df["n_visible"].min())]
    models = [m for m in ("brickwork", "hardware_efficient") if m in set(sub["model"])]
    if sub.empty or not models:
        return None
    fig, axes = new_figure(1, len(models), width=4.8, height=3.8, sharey=True)
    markers = dict(zip(OBJECTIVES, "osD^"))
    for ax, model in zip(axes[0], models):
        for k, obj in enumerate(dict.fromkeys(sub["objective"])):
            s = sub[(sub["model"] == model) & (sub["objective"] == obj)].sort_values("n_hidden")
            text, _ = _fit_label(
                s["n_hidden"], s["probe_var"], s["probe_var_lo"], s["probe_var_hi"]
            )
            color = f"C{k}"
            _errorbar(
                ax,
                s,
                "n_hidden",
                "probe_var",
                fmt=markers[obj] + "-",
                ms=4,
                lw=1,
                color=color,
                label=OBJECTIVE_LABELS[obj] + text,
            )
            if s["probe_var_2design"].notna().all():
                ax.plot(s["n_hidden"], s["probe_var_2design"], "--", color=color, lw=1, alpha=0.8)
        ax.set_yscale("log", base=2)
        ax.set_title(f"{model_label(model)}, $n_V = {int(sub['n_visible'].iloc[0])}$")
        ax.set_xlabel("hidden qubits $n_H$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=7)
    axes[0, 0].set_ylabel("probe Var$[\\partial_k C]$ (dashed: 2-design)")
    return fig


@figure("lipschitz_n_hidden.png")
def _fig_lipschitz(df: pd.DataFrame, config: GradientScalingConfig):
    """Empirical Lipschitz constant (sampled maximum, bootstrap interval) vs n_H."""
    return _fig_scaling(
        df, "lipschitz_sampled", "empirical Lipschitz constant $\\max\\|\\nabla C\\|$", None
    )


@figure("gradient_variance_depth.png")
def _fig_depth(df: pd.DataFrame, config: GradientScalingConfig):
    """Probe variance and S(ρ_V) vs depth, with the 2-design and Page values."""
    sub = df[df["experiment"] == "depth"]
    if sub.empty:
        return None
    obj = sub["objective"].iloc[0]
    sub = sub[sub["objective"] == obj]
    fig, axes = new_figure(1, 2, width=5.0, height=3.8)
    ax, ax2 = axes[0]
    for model in dict.fromkeys(sub["model"]):
        s = sub[sub["model"] == model].sort_values("layers")
        _errorbar(
            ax,
            s,
            "layers",
            "probe_var",
            fmt="o-",
            ms=4,
            lw=1,
            color=model_color(model),
            label=model_label(model),
        )
        ax2.plot(
            s["layers"],
            s["entropy_mean"],
            "o-",
            ms=4,
            lw=1,
            color=model_color(model),
            label=model_label(model),
        )
        if model == "brickwork" and s["probe_var_2design"].notna().all():
            ax.plot(
                s["layers"],
                s["probe_var_2design"],
                "--",
                color=THEORY_COLOR,
                label="2-design closed form",
            )
    n_v, n_h = int(sub["n_visible"].iloc[0]), int(sub["n_hidden"].iloc[0])
    ax2.axhline(float(page_entropy(n_v, n_h)), ls="--", color=THEORY_COLOR, label="Page (Haar)")
    ax.set_yscale("log", base=2)
    for a in (ax, ax2):
        a.set_xscale("log", base=2)
        a.set_xlabel("layers")
        a.legend(fontsize=7)
    ax.set_ylabel(f"probe Var$[\\partial_k C]$, {OBJECTIVE_LABELS[obj]}")
    ax2.set_ylabel("mean $S(\\rho_V)$ [bits]")
    fig.suptitle(f"Crossover with depth at $n_V = {n_v}$, $n_H = {n_h}$", fontsize=10)
    return fig


@figure("paper_inf_norm_variance.png")
def _fig_paper(df: pd.DataFrame, config: GradientScalingConfig):
    """Var[‖∇C‖_∞] vs n_H with the exponential fit."""
    s = df[df["experiment"] == "paper"].sort_values("n_hidden")
    if s.empty:
        return None
    fig, axes = new_figure(width=5.0, height=3.8)
    ax = axes[0, 0]
    text, fit = _fit_label(
        s["n_hidden"], s["inf_norm_var"], s["inf_norm_var_lo"], s["inf_norm_var_hi"]
    )
    _errorbar(
        ax,
        s,
        "n_hidden",
        "inf_norm_var",
        fmt="o",
        ms=5,
        color=model_color("pauli_network"),
        label=f"{model_label('pauli_network')}, {int(s['samples'].iloc[0])} instances",
    )
    if fit is not None:
        x = np.linspace(s["n_hidden"].min(), s["n_hidden"].max(), 50)
        ax.plot(
            x,
            fit.predict(x),
            "-",
            color=THEORY_COLOR,
            lw=1.2,
            label=f"fit $\\propto 2^{{{fit.slope:.2f}\\, n_H}}$" + text,
        )
    ax.set_yscale("log", base=2)
    ax.set_xlabel("hidden qubits $n_H$ ($n_V = 1$)")
    ax.set_ylabel("Var$[\\|\\nabla C\\|_\\infty]$")
    ax.set_title("Fidelity to a thermal state (arXiv:2010.15968, Fig. 3b)", fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=7)
    return fig


make_figures = figures(_fig_variance, _fig_objectives, _fig_lipschitz, _fig_depth, _fig_paper)


STUDY = Study(
    name="gradient-scaling",
    description=(
        "Var[∂C], Var[‖∇C‖∞] and empirical Lipschitz constants vs n_H and depth, volume vs area "
        "law, with 2-design lines (claims C1, C3)"
    ),
    config_model=GradientScalingConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
