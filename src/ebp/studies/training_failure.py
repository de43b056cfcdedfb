"""Study ``training-failure``: gradient descent (and the rest) fail under volume-law entanglement.

Claim C4 (and C5) of arXiv:2010.15968. The task has a solution at every size: learn a random
pure product state on the visible qubit(s), which any circuit reaches by disentangling V from H.
From uniform random θ a deep brickwork starts with ρ_V ≈ I/d_V, where gradients are
~2^{−n_H/2} (:mod:`ebp.landscape`); at a fixed shot budget the parameter-shift estimates drown
in shot noise as n_H grows and training stalls. ``bounded_cut`` (one gate across the V|H cut,
S(ρ_V) ≤ 2 bits, area law) has the same depth, nearly the same parameter count and the same
budget, and keeps succeeding. Each optimiser runs with N shots per estimate and, for those in
``exact``, with exact gradients (same number of circuit evaluations).

Figures: success rate (with Wilson intervals) and final loss against n_H per model and
optimiser, and loss / S(ρ_V) curves against the budget spent.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any

import pandas as pd
from matplotlib.ticker import MaxNLocator
from pydantic import Field

from ..experiment import Study, StudyConfig, Task, distinct, hidden_sizes
from ..report import THEORY_COLOR, model_color, model_label, new_figure
from ..train import fit
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

__all__ = ["STUDY", "TrainingFailureConfig", "make_figures", "points", "quick_config", "run_task"]

MAX_QUBITS = 14


class TrainingFailureConfig(StudyConfig):
    """Hyperparameters of the training-failure study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        task: Learning task (:func:`ebp.train.make_task`); ``state`` has a solution at every
            size.
        models: ``brickwork`` (volume law) and ``bounded_cut`` (area law) by default.
        n_visible: Visible register size.
        n_hidden: Hidden register sizes.
        layers_per_qubit: Circuits get ``layers_per_qubit × n`` layers (deep: the volume-law
            regime).
        cut_gates: Gates across the cut of ``bounded_cut``.
        optimisers: Optimisers run with ``shots`` per estimate.
        exact: Optimisers also run with exact values/gradients (same number of
            circuit evaluations).
        shots: Shots per estimate.
        budget: Total shots per run (exact runs get ``budget / shots`` circuit evaluations).
        learning_rate: For adam / sgd.
        seeds: Runs per point (different data, start, noise).
    """

    task: str = "state"
    models: Annotated[tuple[ModelName, ...], distinct("model")] = ("brickwork", "bounded_cut")
    n_visible: int = Field(1, ge=1, le=4)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(MAX_QUBITS - 1)] = (1, 2, 3, 4, 5, 6)
    layers_per_qubit: int = Field(2, ge=1, le=20)
    cut_gates: int = Field(1, ge=1, le=20)
    optimisers: Annotated[tuple[OptimiserName, ...], distinct("optimiser")] = (
        "adam",
        "spsa",
        "cma-es",
        "nelder-mead",
    )
    exact: tuple[OptimiserName, ...] = ("adam",)
    shots: int = Field(10, ge=2, le=10**6)
    budget: float = Field(5e5, gt=0, le=1e12)
    learning_rate: float = Field(0.1, gt=0, le=10)
    seeds: int = Field(8, ge=1, le=1000)


def quick_config() -> TrainingFailureConfig:
    """n_H = 1…4, Adam with shots and exact, 3 seeds (a few minutes on two cores)."""
    return TrainingFailureConfig(n_hidden=(1, 2, 3, 4), optimisers=("adam",), seeds=3)


def points(config: TrainingFailureConfig):
    """One task per (model, n_H, optimiser, shots/exact, repetition)."""
    runs = [(o, "shots") for o in config.optimisers] + [(o, "exact") for o in config.exact]
    for model, n_h, (opt, mode), rep in itertools.product(
        config.models, config.n_hidden, runs, range(config.seeds)
    ):
        yield {
            "model": model,
            "n_visible": config.n_visible,
            "n_hidden": n_h,
            "layers": config.layers_per_qubit * (config.n_visible + n_h),
            "cut_gates": config.cut_gates if model == "bounded_cut" else None,
            "optimiser": opt,
            "mode": mode,
            "task": config.task,
            "shots": config.shots,
            "budget": config.budget,
            "learning_rate": config.learning_rate,
            "repetition": rep,
        }


def run_task(task: Task) -> list[dict[str, Any]]:
    """Train once; rows as in :func:`ebp.studies._training.result_rows`."""
    p = task.params
    circuit = build_circuit(
        p["model"], p["n_visible"], p["n_hidden"], p["layers"], p["cut_gates"] or 1
    )
    learning = study_task(p["task"], p["n_visible"], p["n_hidden"], task.seed)
    exact = p["mode"] == "exact"
    result = fit(
        circuit,
        learning,
        make_optimiser(p["optimiser"], p["learning_rate"]),
        budget=p["budget"] / p["shots"] if exact else p["budget"],
        shots=None if exact else p["shots"],
        seed=task.seed,
    )
    labels = run_labels(p, circuit, learning.target, task.seed, p["optimiser"], mode=p["mode"])
    return result_rows(result, labels)


# --------------------------------------------------------------------------- figures
def _runs(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["kind"] == "run"]


def _columns(runs: pd.DataFrame) -> list[tuple[str, str]]:
    return list(dict.fromkeys(zip(runs["optimiser"], runs["mode"])))


def _title(opt: str, mode: str, config) -> str:
    return f"{opt}, {'exact' if mode == 'exact' else f'{config.shots} shots'}"


@figure("training_success.png")
def _fig_success(df: pd.DataFrame, config: TrainingFailureConfig):
    runs = _runs(df)
    cols = _columns(runs)
    fig, axes = _grid(len(cols))
    for ax, (opt, mode) in zip(axes.flat, cols):
        s = runs[(runs["optimiser"] == opt) & (runs["mode"] == mode)]
        plot_success_rates(ax, s)
        ax.set_title(_title(opt, mode, config), fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel("success rate (95% Wilson interval)")
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"Fixed budget of {config.budget:.3g} shots per run", fontsize=10)
    return fig


LOSS_FLOOR = 1e-15
"""Final losses below this (float64 rounding; exact runs can end at −1e-16) are drawn at it."""


def _grid(k: int):
    """Panels for ``k`` optimiser/mode columns, at most three per row (unused ones hidden)."""
    ncols = min(3, k)
    fig, axes = new_figure(-(-k // ncols), ncols, width=3.6, height=3.4, sharey=True)
    for ax in axes.flat[k:]:
        ax.set_visible(False)
    return fig, axes


@figure("training_final_loss.png")
def _fig_loss(df: pd.DataFrame, config: TrainingFailureConfig):
    runs = _runs(df)
    cols = _columns(runs)
    fig, axes = _grid(len(cols))
    for ax, (opt, mode) in zip(axes.flat, cols):
        s = runs[(runs["optimiser"] == opt) & (runs["mode"] == mode)]
        for j, model in enumerate(dict.fromkeys(s["model"])):
            t = s[s["model"] == model]
            shift = 0.08 * (j - 0.5)
            # exact runs end at rounding level (even slightly below 0): drawn at the floor
            loss = t["loss"].clip(lower=LOSS_FLOOR)
            ax.scatter(t["n_hidden"] + shift, loss, s=8, alpha=0.5, color=model_color(model))
            med = loss.groupby(t["n_hidden"]).median()
            ax.plot(
                med.index + shift,
                med.values,
                "-",
                color=model_color(model),
                label=f"{model_label(model)} (median)",
            )
        ax.axhline(
            float(s["target"].iloc[0]), color=THEORY_COLOR, ls="--", lw=1, label="success threshold"
        )
        ax.set_yscale("log")
        ax.set_title(_title(opt, mode, config), fontsize=9)
        ax.set_xlabel("hidden qubits $n_H$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes[:, 0]:
        ax.set_ylabel(f"final loss (exact; below {LOSS_FLOOR:.0e} shown at it)")
    axes[0, 0].legend(fontsize=7)
    return fig


@figure("training_curves.png")
def _fig_curves(df: pd.DataFrame, config: TrainingFailureConfig):
    curves = df[df["kind"] == "curve"]
    opt, mode = _columns(_runs(df))[0]
    curves = curves[(curves["optimiser"] == opt) & (curves["mode"] == mode)]
    sizes = sorted(curves["n_hidden"].unique())
    pick = [sizes[0], sizes[-1]] if len(sizes) > 1 else sizes
    fig, axes = new_figure(2, len(pick), width=4.2, height=3.0, sharex="col")
    for j, n_h in enumerate(pick):
        s = curves[curves["n_hidden"] == n_h]
        for model in dict.fromkeys(s["model"]):
            for _, run in s[s["model"] == model].groupby("repetition"):
                axes[0, j].plot(
                    run["cost"], run["loss"], lw=0.8, alpha=0.7, color=model_color(model)
                )
                axes[1, j].plot(
                    run["cost"], run["entropy"], lw=0.8, alpha=0.7, color=model_color(model)
                )
            axes[0, j].plot([], [], color=model_color(model), label=model_label(model))
        axes[1, j].axhline(
            config.n_visible, color=THEORY_COLOR, ls="--", lw=1, label=r"$\log_2 d_V$"
        )
        axes[0, j].set_yscale("log")
        axes[0, j].set_title(f"$n_H = {n_h}$ · {_title(opt, mode, config)}", fontsize=9)
        axes[1, j].set_xlabel("shots spent" if mode == "shots" else "circuit evaluations")
    axes[0, 0].set_ylabel("loss (exact)")
    axes[1, 0].set_ylabel(r"$S(\rho_V)$ [bits]")
    axes[0, 0].legend(fontsize=7)
    axes[1, 0].legend(fontsize=7)
    return fig


make_figures = figures(_fig_success, _fig_loss, _fig_curves)


STUDY = Study(
    name="training-failure",
    description=(
        "Success rate and final loss vs n_H at a fixed shot budget: volume-law brickwork fails, "
        "area-law bounded_cut trains (claims C4, C5)"
    ),
    config_model=TrainingFailureConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
