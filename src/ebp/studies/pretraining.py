"""Study ``pretraining``: strategies that start or schedule training around the plateau.

Claim C7 of arXiv:2010.15968. The same hard task — learn a random visible product state with a
deep brickwork (volume law) at a fixed shot budget — from uniform random θ and with each
strategy of :mod:`ebp.train.pretrain` (small-angle and identity-block starts, generative
pretraining with S(σ‖ρ_V) or the sandwiched Rényi divergence, a decoupled start whose V|H gates
are switched on later, layerwise growth, an entanglement-regularised first phase), over many
seeds. Every strategy spends the same budget.

Figures: the final-loss distribution per strategy, the budget needed to reach the target, and
the loss and S(ρ_V) trajectories (median over seeds) against the budget spent; the table
``pretraining_summary.csv`` gives each strategy's margin over random initialisation in units of
the seed-to-seed spread, for the final loss and for the budget needed to reach the target.

What to expect: strategies that start with little V|H entanglement reach the target far sooner
than random initialisation. With noisy gradients, the *final* loss is set by the noise floor of
the last phase (Adam moves every coordinate by about its learning rate per step, whatever the
signal), and each new phase restarts the optimiser, which can kick a pretrained iterate back up;
a smaller learning rate for the last phase keeps more of the gain.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field

from ..experiment import Study, StudyConfig, Task, distinct, hidden_sizes, task_seed
from ..report import THEORY_COLOR, new_figure
from ..train.pretrain import STRATEGIES
from ..train.pretrain import run as run_strategy
from ._figures import figure, figures
from ._training import (
    ModelName,
    OptimiserName,
    StrategyName,
    build_circuit,
    make_optimiser,
    result_rows,
    study_task,
)

__all__ = [
    "STUDY",
    "PretrainingConfig",
    "make_figures",
    "points",
    "quick_config",
    "run_task",
    "strategy_summary",
]


class PretrainingConfig(StudyConfig):
    """Hyperparameters of the pretraining study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        task: Learning task (:func:`ebp.train.make_task`).
        model: The volume-law circuit family (``brickwork``).
        n_visible: Visible qubits.
        n_hidden: Hidden register sizes.
        layers_per_qubit: Circuits get ``layers_per_qubit × n`` layers.
        strategies: Names in :data:`ebp.train.pretrain.STRATEGIES` (``random`` is the
            baseline).
        optimiser: Optimiser of every phase.
        shots: Shots per estimate.
        budget: Total shots per run.
        learning_rate: For adam / sgd.
        seeds: Runs per strategy.
    """

    task: str = "state"
    model: ModelName = "brickwork"
    n_visible: int = Field(1, ge=1, le=4)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(12)] = (6,)
    layers_per_qubit: int = Field(1, ge=1, le=20)
    strategies: Annotated[tuple[StrategyName, ...], distinct("strategy")] = tuple(STRATEGIES)
    optimiser: OptimiserName = "adam"
    shots: int = Field(10, ge=2, le=10**6)
    budget: float = Field(5e5, gt=0, le=1e12)
    learning_rate: float = Field(0.05, gt=0, le=10)
    seeds: int = Field(8, ge=1, le=1000)


def quick_config() -> PretrainingConfig:
    """n_H = 6, every strategy, 3 seeds (a few minutes on two cores)."""
    return PretrainingConfig(seeds=3)


def points(config: PretrainingConfig):
    """One task per (n_H, repetition, strategy); repetition r uses the same data for every
    strategy (``data_seed``), so strategies are compared on identical problems."""
    for n_h in config.n_hidden:
        for rep in range(config.seeds):
            data_seed = task_seed(config.seed, {"n_hidden": n_h, "repetition": rep})
            for strategy in config.strategies:
                yield {
                    "strategy": strategy,
                    "model": config.model,
                    "task": config.task,
                    "n_visible": config.n_visible,
                    "n_hidden": n_h,
                    "layers": config.layers_per_qubit * (config.n_visible + n_h),
                    "optimiser": config.optimiser,
                    "shots": config.shots,
                    "budget": config.budget,
                    "learning_rate": config.learning_rate,
                    "repetition": rep,
                    "data_seed": data_seed,
                }


def run_task(task: Task) -> list[dict[str, Any]]:
    """Run one strategy once; rows as in :func:`ebp.studies._training.result_rows`."""
    p = task.params
    circuit = build_circuit(p["model"], p["n_visible"], p["n_hidden"], p["layers"])
    learning = study_task(p["task"], p["n_visible"], p["n_hidden"], p["data_seed"])
    result = run_strategy(
        p["strategy"],
        circuit,
        learning,
        make_optimiser(p["optimiser"], p["learning_rate"]),
        budget=p["budget"],
        shots=p["shots"],
        seed=p["data_seed"],
    )
    labels = {
        "strategy": p["strategy"],
        "model": p["model"],
        "n_visible": p["n_visible"],
        "n_hidden": p["n_hidden"],
        "layers": p["layers"],
        "optimiser": p["optimiser"],
        "repetition": p["repetition"],
        "seed": p["data_seed"],
        "target": learning.target,
    }
    return result_rows(result, labels)


def _margin(table: pd.DataFrame, mean: str, std: str, sign: float) -> list[float]:
    """(baseline − strategy) / the larger of the two spreads, for each row; sign = +1 when
    smaller is better."""
    out = []
    for _, row in table.iterrows():
        base = table[(table["n_hidden"] == row["n_hidden"]) & (table["strategy"] == "random")]
        if base.empty:
            out.append(math.nan)
            continue
        spread = max(float(base[std].iloc[0]), float(row[std]))
        gap = sign * (float(base[mean].iloc[0]) - float(row[mean]))
        out.append(gap / spread if spread > 0 else math.copysign(math.inf, gap) if gap else 0.0)
    return out


def strategy_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per (n_H, strategy) over seeds: final loss (mean, std), success rate, the budget spent
    to first reach the target (runs that never reach it count as the whole budget, which
    favours the baseline), the fraction that reached it, and the margins over random
    initialisation in units of the larger seed-to-seed spread (> 1: better by more than the
    spread)."""
    runs = df[df["kind"] == "run"].copy()
    runs["ttt"] = runs["time_to_target"].astype(float).fillna(runs["cost"].astype(float))
    g = runs.groupby(["n_hidden", "strategy"])
    table = pd.DataFrame(
        {
            "mean_loss": g["loss"].mean(),
            "std_loss": g["loss"].std(ddof=1),
            "success_rate": g["success"].mean(),
            "mean_time_to_target": g["ttt"].mean(),
            "std_time_to_target": g["ttt"].std(ddof=1),
            "reached_target": g["time_to_target"].apply(lambda t: float(t.notna().mean())),
            "runs": g["loss"].count(),
        }
    ).reset_index()
    table["margin_loss"] = _margin(table, "mean_loss", "std_loss", 1.0)
    table["margin_time_to_target"] = _margin(
        table, "mean_time_to_target", "std_time_to_target", 1.0
    )
    return table


_PALETTE = [
    "#4d4d4d",
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#1f78b4",
]


def _colors(strategies) -> dict[str, str]:
    return {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(strategies)}


@figure("pretraining_final_loss.png")
def _fig_final(df: pd.DataFrame, config: PretrainingConfig):
    runs = df[df["kind"] == "run"]
    strategies = list(dict.fromkeys(runs["strategy"]))
    colors = _colors(strategies)
    sizes = sorted(runs["n_hidden"].unique())
    fig, axes = new_figure(1, len(sizes), width=max(4.0, 0.7 * len(strategies)), height=3.8)
    rng = np.random.default_rng(0)  # jitter of the points only
    for ax, n_h in zip(axes[0], sizes):
        s = runs[runs["n_hidden"] == n_h]
        for i, strat in enumerate(strategies):
            y = s[s["strategy"] == strat]["loss"].to_numpy()
            ax.scatter(
                i + rng.uniform(-0.15, 0.15, len(y)), y, s=12, color=colors[strat], alpha=0.8
            )
            if len(y):
                ax.hlines(np.median(y), i - 0.3, i + 0.3, color=colors[strat], lw=2)
        ax.axhline(
            float(s["target"].iloc[0]), color=THEORY_COLOR, ls="--", lw=1, label="success threshold"
        )
        ax.set_xticks(range(len(strategies)), strategies, rotation=40, ha="right", fontsize=8)
        ax.set_yscale("log")
        ax.set_title(f"$n_H = {n_h}$", fontsize=9)
    axes[0, 0].set_ylabel("final loss (exact); bar = median")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", fontsize=7)  # off the data
    return fig


@figure("pretraining_time_to_target.png")
def _fig_time(df: pd.DataFrame, config: PretrainingConfig):
    runs = df[df["kind"] == "run"]
    strategies = list(dict.fromkeys(runs["strategy"]))
    colors = _colors(strategies)
    fig, axes = new_figure(width=max(4.0, 0.7 * len(strategies)), height=3.6)
    ax = axes[0, 0]
    n_h = max(runs["n_hidden"])
    s = runs[runs["n_hidden"] == n_h]
    budget = float(s["cost"].max())
    for i, strat in enumerate(strategies):
        t = s[s["strategy"] == strat]["time_to_target"]
        reached = t.dropna().to_numpy(dtype=float)
        ax.scatter(np.full(len(reached), i), reached, s=14, color=colors[strat])
        missed = int(t.isna().sum())
        if missed:
            ax.scatter([i], [budget * 1.15], marker="^", s=20, color=colors[strat])
            ax.annotate(
                f"{missed}×",
                (i, budget * 1.15),
                textcoords="offset points",
                xytext=(5, -3),
                fontsize=7,
            )
    ax.axhline(budget, color=THEORY_COLOR, ls="--", lw=1, label="budget (▲ = never reached)")
    ax.set_xticks(range(len(strategies)), strategies, rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("shots spent to reach the target")
    ax.set_title(f"Time to target, $n_H = {n_h}$", fontsize=9)
    fig.legend(loc="outside upper center", fontsize=7)  # off the data
    return fig


@figure("pretraining_trajectories.png")
def _fig_trajectories(df: pd.DataFrame, config: PretrainingConfig):
    curves = df[df["kind"] == "curve"]
    n_h = max(curves["n_hidden"])
    curves = curves[curves["n_hidden"] == n_h]
    strategies = list(dict.fromkeys(curves["strategy"]))
    colors = _colors(strategies)
    fig, axes = new_figure(1, 2, width=5.0, height=3.8)
    grid = np.linspace(0, float(curves["cost"].max()), 60)
    for strat in strategies:
        s = curves[curves["strategy"] == strat]
        for ax, col in zip(axes[0], ("loss", "entropy")):
            runs = [
                np.interp(grid, r["cost"], r[col].astype(float).ffill().bfill())
                for _, r in s.groupby("repetition")
                if r[col].notna().any()
            ]
            if runs:
                ax.plot(grid, np.median(runs, axis=0), color=colors[strat], lw=1.4, label=strat)
    axes[0, 1].axhline(config.n_visible, color=THEORY_COLOR, ls="--", lw=1)
    axes[0, 0].set_yscale("log")
    axes[0, 0].set_ylabel("loss (exact), median over seeds")
    axes[0, 1].set_ylabel(r"$S(\rho_V)$ [bits], median over seeds")
    for ax in axes[0]:
        ax.set_xlabel("shots spent")
    fig.legend(
        *axes[0, 0].get_legend_handles_labels(),
        loc="outside lower center",
        ncols=min(4, len(strategies)),
        fontsize=7,
    )  # below the panels, off the data
    fig.suptitle(f"Trajectories at $n_H = {n_h}$ ({config.model})", fontsize=10)
    return fig


@figure("pretraining_summary.csv")
def _summary(df: pd.DataFrame, config: PretrainingConfig) -> pd.DataFrame:
    return strategy_summary(df)


make_figures = figures(_fig_final, _fig_time, _fig_trajectories, _summary)


STUDY = Study(
    name="pretraining",
    description=(
        "Random initialisation vs pretraining strategies on the same volume-law task at equal "
        "budget: final loss, time to target, S(ρ_V) trajectories (claim C7)"
    ),
    config_model=PretrainingConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
