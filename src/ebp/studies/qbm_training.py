"""Study ``qbm-training``: training QBMs with more hidden units, from a random start or pretrained.

The QBM side of claims C4 and C7 of arXiv:2010.15968. A QBM whose visible units are generically
and strongly coupled to many hidden ones starts with σ_V near I/d_V, where every visible loss is
flat; :mod:`ebp.qbm.pretrain` starts instead from V decoupled from H (σ_V the Gibbs state of the
visible terms) and switches the coupling on afterwards. The study trains, at equal budget,

* on **quantum** data: a random rank-``target_rank`` mixed state η on V
  (:func:`ebp.train.random_mixed_state`), loss S(η‖σ_V) in bits;
* on **classical** data: a distribution q over visible bit strings, ``thermal``
  (:func:`ebp.train.thermal_distribution`, a random Ising Boltzmann distribution) or ``sparse``
  (:func:`ebp.train.random_sparse_distribution`), loss KL(q‖p) in bits with p(x) = ⟨x|σ_V|x⟩;

QBMs of two families with the V–H coupling scale g (:meth:`ebp.qbm.QBM.with_coupling`):

``restricted``  fields X, Z on every qubit and ZZ couplings only between V and H
                (:func:`ebp.qbm.restricted`): the visible units are correlated only through H;
``random``      all-to-all 2-local (:func:`ebp.qbm.k_local`, k = 2);

for growing n_H, from the random start θ (one-qubit terms N(0, ``field_std``²), the others
N(0, ``coupling_std``²), :func:`ebp.qbm.gaussian_parameters`) and with each strategy of
:data:`ebp.qbm.pretrain.STRATEGIES` from the same draw. Training is exact (Adam); the budget is
``budget_steps`` full gradients, i.e. ``2 · n_params · budget_steps`` circuit-equivalent
evaluations, so a phase training fewer parameters takes more steps.

Rows: those of :func:`ebp.studies._training.result_rows`, with the curve rows extended by
‖σ_V − I/d_V‖₁ (``distance_to_mixed``) and I(V:H) in bits (``mutual_information``), and the
summary row by their initial and final values. Figures: the final loss vs n_H per strategy,
family and target kind; the loss, I(V:H) and ‖σ_V − I/d_V‖₁ trajectories at the largest n_H.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from pydantic import Field, model_validator

from ..experiment import Study, StudyConfig, Task, distinct, hidden_sizes, task_seed
from ..qbm import QBM, gaussian_parameters, k_local, restricted
from ..qbm.pretrain import STRATEGIES
from ..qbm.pretrain import run as run_strategy
from ..report import new_figure
from ..train import (
    LearningTask,
    adam,
    generative_task,
    quantum_data_task,
    random_mixed_state,
    random_sparse_distribution,
    thermal_distribution,
)
from ._figures import figure, figures
from ._training import CURVE_POINTS, result_rows

__all__ = [
    "STUDY",
    "QBMTrainingConfig",
    "build_model",
    "learning_task",
    "make_figures",
    "points",
    "quick_config",
    "run_task",
    "strategy_summary",
]

MAX_QUBITS = 12
"""Largest n_V + n_H trained here (dense Gibbs states; a 12-qubit step takes minutes)."""

FamilyName = Literal["restricted", "random"]
TargetName = Literal["quantum", "thermal", "sparse"]
if TYPE_CHECKING:  # a Literal built at run time is not a static type
    StrategyName = str
else:
    StrategyName = Literal[tuple(STRATEGIES)]
TRACKED = ("distance_to_mixed", "mutual_information")
"""Model diagnostics carried into the rows (curve values; initial/final in the summary)."""
TARGET_TITLES = {
    "quantum": "mixed state, $S(\\eta\\|\\sigma_V)$",
    "thermal": "thermal distribution, KL",
    "sparse": "sparse distribution, KL",
}
FAMILY_TITLES = {"restricted": "restricted QBM", "random": "all-to-all 2-local QBM"}
STRATEGY_COLORS = {"random": "#4d4d4d", "visible-first": "#1b9e77", "grow-coupling": "#d95f02"}


class QBMTrainingConfig(StudyConfig):
    """Hyperparameters of the qbm-training study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        families: ``restricted`` and/or ``random`` (all-to-all 2-local).
        targets: ``quantum`` (mixed state, relative entropy), ``thermal`` and/or
            ``sparse`` (distributions, KL).
        strategies: Names in :data:`ebp.qbm.pretrain.STRATEGIES` (``random`` is the
            baseline).
        n_visible: Visible qubits.
        n_hidden: Hidden register sizes; n_V + n_H <= 12.
        coupling: Scale g of the V–H terms.
        beta: Inverse temperature of the QBM.
        field_std: Standard deviation of the random start's one-qubit terms.
        coupling_std: Standard deviation of the random start's other terms.
        target_rank: Rank of the quantum target.
        target_beta: β of the thermal distribution.
        sparse_support: Strings carrying the sparse distribution.
        budget_steps: Budget in full gradients of the model (2 · n_params evaluations each).
        learning_rate: Adam's step size.
        fraction: Pretraining: budget share of the early phases.
        weak: Pretraining: the V–H start of ``visible-first``.
        stages: Pretraining: the number of stages of ``grow-coupling``.
        seeds: Repetitions (each: a new target and a new random start, shared by the
            strategies).
    """

    families: Annotated[tuple[FamilyName, ...], distinct("family")] = ("restricted", "random")
    targets: Annotated[tuple[TargetName, ...], distinct("target")] = ("quantum", "thermal")
    strategies: Annotated[tuple[StrategyName, ...], distinct("strategy")] = tuple(STRATEGIES)
    n_visible: int = Field(2, ge=1, le=4)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(MAX_QUBITS - 1)] = (1, 2, 4, 6, 8)
    coupling: float = Field(1.0, ge=0, le=1e3, allow_inf_nan=False)
    beta: float = Field(1.0, gt=0, le=1e3, allow_inf_nan=False)
    field_std: float = Field(0.1, ge=0, le=1e3, allow_inf_nan=False)
    coupling_std: float = Field(1.0, ge=0, le=1e3, allow_inf_nan=False)
    target_rank: int = Field(2, ge=1, le=16)
    target_beta: float = Field(1.0, ge=0, le=1e3, allow_inf_nan=False)
    sparse_support: int = Field(3, ge=1, le=16)
    budget_steps: float = Field(100, gt=0, le=1e6)
    learning_rate: float = Field(0.05, gt=0, le=10)
    fraction: float = Field(0.5, gt=0, lt=1)
    weak: float = Field(0.01, ge=0, le=10, allow_inf_nan=False)
    stages: int = Field(4, ge=2, le=20)
    seeds: int = Field(3, ge=1, le=1000)

    @model_validator(mode="after")
    def _fits(self) -> QBMTrainingConfig:
        big = [h for h in self.n_hidden if self.n_visible + h > MAX_QUBITS]
        if big:
            raise ValueError(
                f"n_visible + n_hidden must be <= {MAX_QUBITS} (dense QBMs); "
                f"n_hidden {big} is too large for n_visible = {self.n_visible}"
            )
        d_v = 2**self.n_visible
        if "quantum" in self.targets and self.target_rank > d_v:
            raise ValueError(f"target_rank must be <= 2**n_visible = {d_v}; got {self.target_rank}")
        if "sparse" in self.targets and self.sparse_support > d_v:
            raise ValueError(
                f"sparse_support must be <= 2**n_visible = {d_v}; got {self.sparse_support}"
            )
        return self


def quick_config() -> QBMTrainingConfig:
    """Both families, n_V = 2, n_H = 1, 2, 3 (≤ 5 qubits), 40 full gradients, 2 seeds."""
    return QBMTrainingConfig(n_hidden=(1, 2, 3), budget_steps=40, seeds=2)


def points(config: QBMTrainingConfig):
    """One task per (family, target, n_H, repetition, strategy).

    The target depends on (target kind, repetition) only, so every n_H and family learns the
    same data; the random start on (family, target, n_H, repetition), shared by the strategies.
    """
    for family in config.families:
        for target in config.targets:
            for n_h in config.n_hidden:
                for rep in range(config.seeds):
                    data_seed = task_seed(config.seed, {"target": target, "repetition": rep})
                    init_seed = task_seed(
                        config.seed,
                        {"family": family, "target": target, "n_hidden": n_h, "repetition": rep},
                    )
                    for strategy in config.strategies:
                        yield {
                            "family": family,
                            "target": target,
                            "strategy": strategy,
                            "n_visible": config.n_visible,
                            "n_hidden": n_h,
                            "coupling": config.coupling,
                            "beta": config.beta,
                            "field_std": config.field_std,
                            "coupling_std": config.coupling_std,
                            "target_rank": config.target_rank,
                            "target_beta": config.target_beta,
                            "sparse_support": config.sparse_support,
                            "budget_steps": config.budget_steps,
                            "learning_rate": config.learning_rate,
                            "fraction": config.fraction,
                            "weak": config.weak,
                            "stages": config.stages,
                            "repetition": rep,
                            "data_seed": data_seed,
                            "init_seed": init_seed,
                        }


def build_model(
    family: str, n_visible: int, n_hidden: int, *, coupling: float = 1.0, beta: float = 1.0
) -> QBM:
    """The study's QBM: ``restricted`` (XZ fields, V–H ZZ) or ``random`` (all 2-local terms)."""
    if family == "restricted":
        return restricted(n_visible, n_hidden, coupling=coupling, beta=beta)
    if family == "random":
        return k_local(n_visible, n_hidden, k=2, coupling=coupling, beta=beta)
    raise ValueError(f"unknown QBM family {family!r}; allowed: restricted, random.")


def learning_task(
    target: str,
    n_visible: int,
    seed: int,
    *,
    rank: int = 2,
    target_beta: float = 1.0,
    support: int = 3,
) -> LearningTask:
    """The task of a target kind: ``quantum`` (S(η‖σ_V), success at 0.1 bits), ``thermal`` or
    ``sparse`` (KL, success at 0.1 bits)."""
    if target == "quantum":
        return quantum_data_task(
            random_mixed_state(n_visible, rank, seed),
            "relative_entropy",
            success=0.1,
            name="mixed-state",
        )
    if target == "thermal":
        return generative_task(
            thermal_distribution(n_visible, target_beta, seed), "kl", name="thermal-distribution"
        )
    if target == "sparse":
        return generative_task(
            random_sparse_distribution(n_visible, support, seed), "kl", name="sparse-distribution"
        )
    raise ValueError(f"unknown target {target!r}; allowed: quantum, thermal, sparse.")


def _options(p: dict[str, Any]) -> dict[str, Any]:
    if p["strategy"] == "visible-first":
        return {"fraction": p["fraction"], "weak": p["weak"]}
    if p["strategy"] == "grow-coupling":
        return {"fraction": p["fraction"], "stages": p["stages"]}
    return {}


def run_task(task: Task) -> list[dict[str, Any]]:
    """Train one QBM with one strategy; rows of :func:`ebp.studies._training.result_rows` plus
    the tracked diagnostics (:data:`TRACKED`)."""
    p = task.params
    model = build_model(
        p["family"], p["n_visible"], p["n_hidden"], coupling=p["coupling"], beta=p["beta"]
    )
    learning = learning_task(
        p["target"],
        p["n_visible"],
        p["data_seed"],
        rank=p["target_rank"],
        target_beta=p["target_beta"],
        support=p["sparse_support"],
    )
    x0 = gaussian_parameters(
        model, p["init_seed"], onsite_std=p["field_std"], offsite_std=p["coupling_std"]
    )
    result = run_strategy(
        p["strategy"],
        model,
        learning,
        adam(p["learning_rate"]),
        budget=2 * model.n_params * p["budget_steps"],
        seed=p["init_seed"],
        init=x0,
        **_options(p),
    )
    labels = {
        "family": p["family"],
        "target": p["target"],
        "loss_name": learning.loss_name,
        "strategy": p["strategy"],
        "n_visible": p["n_visible"],
        "n_hidden": p["n_hidden"],
        "n_params": model.n_params,
        "coupling": p["coupling"],
        "beta": p["beta"],
        "repetition": p["repetition"],
        "seed": p["init_seed"],
        "target_loss": learning.target,
    }
    rows = result_rows(result, labels)
    curve = result.curve
    # result_rows keeps these curve indices, in this order
    keep = np.unique(np.linspace(0, len(curve) - 1, min(CURVE_POINTS, len(curve))).astype(int))
    for row, i in zip(rows[1:], keep):
        row.update({k: float(curve[k].iloc[i]) for k in TRACKED})
    for k in TRACKED:
        rows[0][f"initial_{k}"] = float(curve[k].iloc[0])
        rows[0][k] = float(curve[k].iloc[-1])
    return rows


# --------------------------------------------------------------------------- analysis
def strategy_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per (family, target, n_H, strategy): mean and s.d. of the final loss over repetitions,
    success rate, final I(V:H), and the gain over ``random`` in units of the larger s.d.
    (positive: lower loss than random)."""
    runs = df[df["kind"] == "run"]
    keys = ["family", "target", "n_hidden", "strategy"]
    g = runs.groupby(keys)
    table = pd.DataFrame(
        {
            "mean_loss": g["loss"].mean(),
            "std_loss": g["loss"].std(ddof=1),
            "success_rate": g["success"].mean(),
            "mutual_information": g["mutual_information"].mean(),
            "runs": g["loss"].count(),
        }
    ).reset_index()
    margins = []
    for _, row in table.iterrows():
        base = table[
            (table["family"] == row["family"])
            & (table["target"] == row["target"])
            & (table["n_hidden"] == row["n_hidden"])
            & (table["strategy"] == "random")
        ]
        if base.empty:
            margins.append(math.nan)
            continue
        spread = max(float(base["std_loss"].iloc[0]), float(row["std_loss"]))
        gap = float(base["mean_loss"].iloc[0]) - float(row["mean_loss"])
        if not spread > 0:  # one repetition, or identical losses
            margins.append(0.0 if gap == 0 else math.copysign(math.inf, gap))
        else:
            margins.append(gap / spread)
    table["margin_over_random"] = margins
    return table


# --------------------------------------------------------------------------- figures
def _color(strategy: str) -> str:
    return STRATEGY_COLORS.get(strategy, "#7570b3")


def _panels(runs: pd.DataFrame):
    return list(dict.fromkeys(runs["family"])), list(dict.fromkeys(runs["target"]))


@figure("qbm_training_final_loss.png")
def _fig_final(df: pd.DataFrame, config: QBMTrainingConfig):
    runs = df[df["kind"] == "run"]
    families, targets = _panels(runs)
    strategies = list(dict.fromkeys(runs["strategy"]))
    fig, axes = new_figure(len(families), len(targets), width=4.2, height=3.3, sharex=True)
    offsets = {s: 0.08 * (i - (len(strategies) - 1) / 2) for i, s in enumerate(strategies)}
    for r, family in enumerate(families):
        for c, target in enumerate(targets):
            ax = axes[r, c]
            s = runs[(runs["family"] == family) & (runs["target"] == target)]
            for strat in strategies:
                t = s[s["strategy"] == strat]
                if t.empty:
                    continue
                ax.scatter(
                    t["n_hidden"] + offsets[strat], t["loss"], s=9, alpha=0.45, color=_color(strat)
                )
                med = t.groupby("n_hidden")["loss"].median()
                ax.plot(med.index + offsets[strat], med.values, "o-", ms=4, color=_color(strat))
            ax.axhline(float(s["target_loss"].iloc[0]), color="#555555", ls="--", lw=1)
            ax.set_yscale("log")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if r == 0:
                ax.set_title(TARGET_TITLES.get(target, target), fontsize=10)
            if r == len(families) - 1:
                ax.set_xlabel("hidden qubits $n_H$")
        axes[r, 0].set_ylabel(f"{FAMILY_TITLES.get(family, family)}\nfinal loss [bits]")
    handles = [Line2D([], [], color=_color(s), marker="o", ms=4, label=s) for s in strategies]
    handles.append(Line2D([], [], color="#555555", ls="--", label="success threshold"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)
    d = runs.iloc[0]
    fig.suptitle(
        f"QBM training at equal budget, $n_V$ = {int(d['n_visible'])}, "
        f"β = {d['beta']:g}, g = {d['coupling']:g} (dots: runs; line: median)",
        fontsize=11,
    )
    return fig


_TRAJECTORY_COLUMNS = (
    ("loss", "loss [bits]", True),
    ("mutual_information", "$I(V{:}H)$ [bits]", False),
    ("distance_to_mixed", "$\\|\\sigma_V - I/d_V\\|_1$", False),
)


@figure("qbm_training_trajectories.png")
def _fig_trajectories(df: pd.DataFrame, config: QBMTrainingConfig):
    """At the largest n_H: median over repetitions of each tracked column against the budget
    fraction spent, one row of panels per (family, target)."""
    curves = df[df["kind"] == "curve"]
    n_h = int(curves["n_hidden"].max())
    curves = curves[curves["n_hidden"] == n_h]
    pairs = list(dict.fromkeys(zip(curves["family"], curves["target"])))
    strategies = list(dict.fromkeys(curves["strategy"]))
    fig, axes = new_figure(len(pairs), len(_TRAJECTORY_COLUMNS), width=3.8, height=2.9, sharex=True)
    grid = np.linspace(0.0, 1.0, 60)
    for r, (family, target) in enumerate(pairs):
        s = curves[(curves["family"] == family) & (curves["target"] == target)]
        for c, (col, label, log) in enumerate(_TRAJECTORY_COLUMNS):
            ax = axes[r, c]
            for strat in strategies:
                runs = []
                for _, run in s[s["strategy"] == strat].groupby("repetition"):
                    y = run[col].astype(float).ffill().bfill().to_numpy()
                    x = run["cost"].to_numpy(dtype=float)
                    if len(x) and np.isfinite(y).all() and x[-1] > 0:
                        runs.append(np.interp(grid, x / x[-1], y))
                if runs:
                    ax.plot(grid, np.median(runs, axis=0), color=_color(strat), lw=1.4)
            if log:
                ax.set_yscale("log")
            if r == 0:
                ax.set_title(label, fontsize=10)
            if r == len(pairs) - 1:
                ax.set_xlabel("budget fraction spent")
        axes[r, 0].set_ylabel(f"{family}\n{target}", fontsize=9)
    handles = [Line2D([], [], color=_color(s), label=s) for s in strategies]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)
    fig.suptitle(f"Trajectories at $n_H$ = {n_h} (median over repetitions)", fontsize=11)
    return fig


@figure("qbm_training_summary.csv")
def _summary(df: pd.DataFrame, config: QBMTrainingConfig) -> pd.DataFrame:
    return strategy_summary(df)


make_figures = figures(_fig_final, _fig_trajectories, _summary)


STUDY = Study(
    name="qbm-training",
    description=(
        "QBM training on quantum (relative entropy) and classical (KL) targets vs n_H: random "
        "start vs visible-first and grown-coupling pretraining, with I(V:H) along the way"
    ),
    config_model=QBMTrainingConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
