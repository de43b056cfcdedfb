"""Study ``cost-concentration``: entanglement pins every visible cost near its value at I/d_V.

Claim C1 of arXiv:2010.15968 made visible: for random parameters θ, the cost C(θ) = f(ρ_V(θ))
concentrates around C* = f(I/d_V) (= Tr(O)/d_V for a linear objective) as n_H grows, because
|Tr(Oρ_V) − Tr(O)/d_V| ≤ ‖O‖_∞ ‖ρ_V − I/d_V‖₁ (Hölder) and ρ_V → I/d_V under volume-law
entanglement (canonical typicality, Popescu, Short & Winter, arXiv:quant-ph/0511225). Area-law
(``bounded_cut``) and ``decoupled`` circuits are the controls.

Per instance the table records C(θ), the deviation |C − C*|, for linear objectives the bound
‖O‖·‖ρ_V − I/d_V‖₁, and S(ρ_V). The figures show the distribution of C − C* against n_H, the
fraction of parameter space within ε of C* (with the Chebyshev floor 1 − Var_Haar[C]/ε² from the
Haar variance, :func:`ebp.theory.haar_expectation_variance`), Var[C] against its Haar value, and
every sample's deviation against its bound.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from pydantic import Field

from ..ansatz import ANSATZ
from ..experiment import Study, StudyConfig, Task, distinct, hidden_sizes, sorted_floats
from ..landscape import Linear, cost_deviation_bound
from ..quantum_info import reduced_density_matrix, von_neumann_entropy
from ..report import THEORY_COLOR, model_color, model_label, new_figure
from ..sim import simulate
from ..theory import haar_expectation_variance
from ._figures import figure, figures
from ._visible import OBJECTIVE_LABELS, ObjectiveName, visible_objective

__all__ = ["STUDY", "CostConcentrationConfig", "make_figures", "points", "quick_config", "run_task"]

ModelName = Literal["brickwork", "hardware_efficient", "bounded_cut", "decoupled"]
MAX_QUBITS = 20


class CostConcentrationConfig(StudyConfig):
    """Hyperparameters of the cost-concentration study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        models: ``brickwork``, ``hardware_efficient`` (volume law), ``bounded_cut``
            (area law), ``decoupled``.
        objectives: Visible objectives (see
            :func:`ebp.studies._visible.visible_objective`); all on the same states.
        n_visible: Visible qubits.
        n_hidden: Hidden register sizes.
        samples: Random parameter vectors per point.
        layers_per_qubit: Circuits get ``layers_per_qubit × n`` layers.
        cut_gates: Gates across the cut of ``bounded_cut``.
        epsilons: Tolerances ε of the "fraction within ε of C*" figure.
    """

    models: Annotated[tuple[ModelName, ...], distinct("model")] = (
        "brickwork",
        "hardware_efficient",
        "bounded_cut",
        "decoupled",
    )
    objectives: Annotated[tuple[ObjectiveName, ...], distinct("objective")] = (
        "local_pauli",
        "global_projector",
        "random_observable",
        "thermal_fidelity",
    )
    n_visible: int = Field(1, ge=1, le=6)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(MAX_QUBITS - 1)] = tuple(range(1, 12))
    samples: int = Field(500, ge=4, le=100_000)
    layers_per_qubit: int = Field(3, ge=1, le=100)
    cut_gates: int = Field(1, ge=1, le=100)
    epsilons: Annotated[tuple[float, ...], sorted_floats(0, 10, "epsilon", open_interval=True)] = (
        0.02,
        0.05,
        0.1,
    )


def quick_config() -> CostConcentrationConfig:
    """n_H = 1 … 6 with 300 samples (about a minute on two cores)."""
    return CostConcentrationConfig(n_hidden=(1, 2, 3, 4, 5, 6), samples=300)


def points(config: CostConcentrationConfig):
    """One task per (model, n_H); every objective is measured on the task's states."""
    for model in config.models:
        for n_h in config.n_hidden:
            yield {
                "model": model,
                "n_visible": config.n_visible,
                "n_hidden": n_h,
                "layers": config.layers_per_qubit * (config.n_visible + n_h),
                "samples": config.samples,
                "cut_gates": config.cut_gates if model == "bounded_cut" else None,
                "objectives": tuple(config.objectives),
                "study_seed": config.seed,
            }


def run_task(task: Task) -> list[dict[str, Any]]:
    """Sample ``samples`` uniform random θ, simulate, and record each objective per instance."""
    p = task.params
    n_v, n_h = p["n_visible"], p["n_hidden"]
    builder = ANSATZ[p["model"]]
    if p["model"] == "bounded_cut":
        circuit = builder(n_v, n_h, p["layers"], cut_gates=p["cut_gates"])
    else:
        circuit = builder(n_v, n_h, p["layers"])
    rng = np.random.default_rng(task.seed)
    theta = rng.uniform(0.0, 2 * np.pi, size=(p["samples"], circuit.n_params))
    rho = np.asarray(reduced_density_matrix(simulate(circuit, theta), n_v))
    entropy = von_neumann_entropy(rho)
    d_v = 2**n_v
    rows: list[dict[str, Any]] = []
    for name in p["objectives"]:
        obj = visible_objective(name, n_v, p["study_seed"])
        cost = np.asarray(obj.value(rho))
        centre = float(obj.value(np.eye(d_v) / d_v))
        if isinstance(obj, Linear):
            _, bound = cost_deviation_bound(rho, obj)
            o = obj.observable
            d_h = 2**n_h
            var_haar = float(
                haar_expectation_variance(
                    np.trace(o).real * d_h, np.trace(o @ o).real * d_h, d_v * d_h
                )
            )
        else:
            bound, var_haar = np.full(len(cost), np.nan), np.nan
        rows.extend(
            {
                "model": p["model"],
                "objective": name,
                "n_visible": n_v,
                "n_hidden": n_h,
                "layers": p["layers"],
                "instance": i,
                "seed": task.seed,
                "cost": float(cost[i]),
                "cost_at_mixed": centre,
                "deviation": float(abs(cost[i] - centre)),
                "deviation_bound": float(bound[i]),
                "entropy_bits": float(entropy[i]),
                "cost_var_haar": var_haar,
            }
            for i in range(len(cost))
        )
    return rows


# --------------------------------------------------------------------------- figures
def _first_objective(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["objective"] == df["objective"].iloc[0]]


@figure("cost_distribution.png")
def _fig_distribution(df: pd.DataFrame, config: CostConcentrationConfig):
    sub = _first_objective(df)
    models = list(dict.fromkeys(sub["model"]))
    fig, axes = new_figure(1, len(models), width=3.6, height=3.6, sharey=True)
    for ax, model in zip(axes[0], models):
        s = sub[sub["model"] == model]
        sizes = sorted(s["n_hidden"].unique())
        data = [
            (s[s["n_hidden"] == h]["cost"] - s[s["n_hidden"] == h]["cost_at_mixed"]).to_numpy()
            for h in sizes
        ]
        parts = ax.violinplot(data, positions=sizes, widths=0.8, showextrema=False)
        for body in parts["bodies"]:
            body.set_facecolor(model_color(model))
            body.set_alpha(0.6)
        ax.axhline(0.0, color=THEORY_COLOR, lw=0.8, ls="--")
        ax.set_title(model_label(model))
        ax.set_xlabel("hidden qubits $n_H$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0, 0].set_ylabel(f"$C - C^*$, {OBJECTIVE_LABELS[sub['objective'].iloc[0]]}")
    return fig


@figure("cost_fraction_within_eps.png")
def _fig_fraction(df: pd.DataFrame, config: CostConcentrationConfig):
    sub = _first_objective(df)
    fig, axes = new_figure(width=5.2, height=4.6)  # 0.8 in for the legend below
    ax = axes[0, 0]
    styles = ["-", "--", ":", "-."]
    for k, eps in enumerate(config.epsilons):
        for model in dict.fromkeys(sub["model"]):
            s = sub[sub["model"] == model]
            frac = s.groupby("n_hidden")["deviation"].apply(lambda x, e=eps: np.mean(x <= e))
            ax.plot(
                frac.index,
                frac.values,
                styles[k % 4],
                marker="o",
                ms=3,
                color=model_color(model),
                label=model_label(model) if k == 0 else None,
            )
        haar = sub.groupby("n_hidden")["cost_var_haar"].first()
        if haar.notna().all():
            ax.plot(
                haar.index,
                np.clip(1 - haar.values / eps**2, 0, 1),
                styles[k % 4],
                color=THEORY_COLOR,
                lw=1,
                label=f"Haar Chebyshev floor, ε = {eps:g}",
            )
    ax.set_xlabel("hidden qubits $n_H$")
    ax.set_ylabel("fraction of θ with $|C - C^*| \\leq \\varepsilon$")
    ax.set_title(
        f"{OBJECTIVE_LABELS[sub['objective'].iloc[0]]}; line style = ε "
        f"({', '.join(f'{e:g}' for e in config.epsilons)})",
        fontsize=9,
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(-0.02, 1.02)
    fig.legend(
        *ax.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7
    )  # below the panel: the fractions rise to 1 where an in-axes legend would sit
    return fig


@figure("cost_variance.png")
def _fig_variance(df: pd.DataFrame, config: CostConcentrationConfig):
    objectives = list(dict.fromkeys(df["objective"]))
    fig, axes = new_figure(1, len(objectives), width=3.8, height=3.6, sharey=True)
    for ax, obj in zip(axes[0], objectives):
        s = df[df["objective"] == obj]
        for model in dict.fromkeys(s["model"]):
            var = s[s["model"] == model].groupby("n_hidden")["cost"].var()
            ax.plot(
                var.index,
                var.values,
                "o-",
                ms=3,
                color=model_color(model),
                label=model_label(model),
            )
        haar = s.groupby("n_hidden")["cost_var_haar"].first()
        if haar.notna().all():
            ax.plot(haar.index, haar.values, "--", color=THEORY_COLOR, label="Haar closed form")
        ax.set_yscale("log", base=2)
        ax.set_title(OBJECTIVE_LABELS[obj], fontsize=9)
        ax.set_xlabel("hidden qubits $n_H$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0, 0].set_ylabel("Var$[C(\\theta)]$")
    axes[0, 0].legend(fontsize=7)
    return fig


@figure("cost_deviation_bound.png")
def _fig_bound(df: pd.DataFrame, config: CostConcentrationConfig):
    s = df[df["deviation_bound"].notna()]
    if s.empty:
        return None
    fig, axes = new_figure(width=4.6, height=4.2)
    ax = axes[0, 0]
    for model in dict.fromkeys(s["model"]):
        t = s[s["model"] == model]
        ax.scatter(
            t["deviation_bound"],
            t["deviation"],
            s=3,
            alpha=0.3,
            color=model_color(model),
            label=model_label(model),
            rasterized=True,
        )
    top = float(s["deviation_bound"].max())
    ax.plot([0, top], [0, top], "--", color=THEORY_COLOR, label="bound $= $ deviation")
    ax.set_xlabel("$\\|O\\|_\\infty \\, \\|\\rho_V - I/d_V\\|_1$")
    ax.set_ylabel("$|\\mathrm{Tr}(O\\rho_V) - \\mathrm{Tr}(O)/d_V|$")
    ax.set_title("Entanglement pins the cost (linear objectives, all samples)", fontsize=9)
    ax.legend(fontsize=7, markerscale=4)
    return fig


make_figures = figures(_fig_distribution, _fig_fraction, _fig_variance, _fig_bound)


STUDY = Study(
    name="cost-concentration",
    description=(
        "Distribution of C(θ) vs n_H, fraction of θ within ε of C* = f(I/d_V), and the bound "
        "‖O‖·‖ρ_V − I/d_V‖₁ (claim C1)"
    ),
    config_model=CostConcentrationConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
