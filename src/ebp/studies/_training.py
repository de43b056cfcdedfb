"""Shared pieces of the training studies: one seeded training run → tidy rows, and plots.

A run's rows are one ``kind="run"`` summary (final exact loss, success, S(ρ_V) at start and end,
budget spent) and up to :data:`CURVE_POINTS` ``kind="curve"`` rows (loss and S(ρ_V) against the
budget spent), so a study table holds both the statistics and the curves behind them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..ansatz import ANSATZ
from ..circuit import Circuit
from ..report import model_color, model_label
from ..train import FitResult, adam, get_optimiser, make_task, sgd
from ..train.pretrain import STRATEGIES
from ._bands import error_bars, wilson_interval

__all__ = [
    "CURVE_POINTS",
    "ModelName",
    "OptimiserName",
    "StrategyName",
    "build_circuit",
    "make_optimiser",
    "plot_success_rates",
    "result_rows",
    "run_labels",
    "study_task",
]

CURVE_POINTS = 40
"""Curve rows kept per run (evenly spaced in budget)."""

ModelName = Literal["brickwork", "bounded_cut", "hardware_efficient", "decoupled"]
OptimiserName = Literal[
    "adam", "sgd", "spsa", "cma-es", "nelder-mead", "cobyla", "powell", "random-search"
]
if TYPE_CHECKING:  # a Literal built at run time is not a static type
    StrategyName = str
else:
    StrategyName = Literal[tuple(STRATEGIES)]


def build_circuit(
    model: str, n_visible: int, n_hidden: int, layers: int, cut_gates: int = 1
) -> Circuit:
    """The study's circuit: ``bounded_cut`` gets ``cut_gates`` gates across the cut."""
    if model == "bounded_cut":
        return ANSATZ[model](n_visible, n_hidden, layers, cut_gates=min(cut_gates, layers))
    return ANSATZ[model](n_visible, n_hidden, layers)


def make_optimiser(name: str, learning_rate: float):
    """Gradient optimisers get the study's learning rate; the others their defaults."""
    if name == "adam":
        return adam(learning_rate)
    if name == "sgd":
        return sgd(learning_rate)
    return get_optimiser(name)


def study_task(name: str, n_visible: int, n_hidden: int, seed: int):
    """The learning task ``name`` (:func:`ebp.train.make_task`) with its data from ``seed``."""
    return make_task(name, n_visible, n_hidden, seed=seed)


def run_labels(
    params: dict[str, Any], circuit: Circuit, target: str, seed: int, optimiser: str, **settings
) -> dict[str, Any]:
    """The labels of one circuit training run, in the order of the study tables' columns:
    model, its size (``n_visible``, ``n_hidden``, ``layers`` from the task's ``params``;
    ``n_params``), ``optimiser`` and its ``settings``, ``repetition``, ``seed``, ``target``."""
    return {
        "model": params["model"],
        "n_visible": params["n_visible"],
        "n_hidden": params["n_hidden"],
        "layers": params["layers"],
        "n_params": circuit.n_params,
        "optimiser": optimiser,
        **settings,
        "repetition": params["repetition"],
        "seed": seed,
        "target": target,
    }


def result_rows(result: FitResult, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary row and the thinned curve rows of one run, each carrying ``labels``."""
    curve = result.curve
    ttt = result.time_to_target()
    summary = {
        **labels,
        "kind": "run",
        "loss": result.loss,
        "success": bool(result.success),
        "initial_loss": float(curve["loss"].dropna().iloc[0])
        if curve["loss"].notna().any()
        else math.nan,
        "entropy": result.entropy,
        "initial_entropy": float(curve["entropy"].iloc[0]),
        "accuracy": result.accuracy,
        "cost": result.cost,
        "time_to_target": ttt if math.isfinite(ttt) else None,
        "configurations": result.configurations,
        "steps": int(len(curve)),
    }
    keep = np.unique(np.linspace(0, len(curve) - 1, min(CURVE_POINTS, len(curve))).astype(int))
    rows = [summary]
    for i in keep:
        c = curve.iloc[i]
        rows.append(
            {
                **labels,
                "kind": "curve",
                "cost": float(c["cost"]),
                "loss": float(c["loss"]) if pd.notna(c["loss"]) else None,
                "entropy": float(c["entropy"]),
                "phase": str(c.get("phase", "")),
            }
        )
    return rows


def plot_success_rates(ax, runs: pd.DataFrame) -> None:
    """Success rate against n_H, one line per model (shifted sideways a little so equal rates
    stay visible), with 95% Wilson intervals as error bars."""
    models = list(dict.fromkeys(runs["model"]))
    for j, model in enumerate(models):
        g = runs[runs["model"] == model].groupby("n_hidden")["success"]
        k, n = g.sum(), g.count()
        rate = (k / n).to_numpy(dtype=float)
        lo, hi = np.array([wilson_interval(int(a), int(b)) for a, b in zip(k, n)]).T
        shift = 0.08 * (j - (len(models) - 1) / 2)
        ax.errorbar(
            k.index + shift,
            rate,
            yerr=error_bars(rate, lo, hi),
            marker="o",
            ms=4,
            capsize=2,
            color=model_color(model),
            label=model_label(model),
        )
    ax.set_xlabel("hidden qubits $n_H$")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(-0.05, 1.05)
