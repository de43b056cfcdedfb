"""Study ``qbm-coupling``: how the V–H coupling strength and the hidden size flatten a QBM.

The QBM part of Ortiz Marrero, Kieferová & Wiebe, arXiv:2010.15968: a QBM's visible marginal
σ_V = Tr_H e^{−βH}/Z becomes insensitive to the parameters when V and H are strongly and
generically coupled, but not for weak or local, structured couplings. At fixed β the study scales
the V–H terms of a Hamiltonian by g (H = H_V + H_H + g·H_VH; :meth:`ebp.qbm.QBM.with_coupling`) and
records, per random instance, as functions of g and n_H:

* ‖σ_V − I/d_V‖₁ (full trace norm) and the mutual information I(V:H) of ρ in bits;
* the exact gradient of S(η‖σ_V) (bits; η the thermal target of
  :func:`ebp.studies.qbm_typicality.target_objective`): its ∞-norm (also per term class), 2-norm
  and RMS over terms.

Models (coefficients θ_k ~ N(0, ``field_std``²) for one-qubit terms and N(0, ``coupling_std``²)
otherwise, the same θ for every g of an instance):

``ising``   the transverse-field Ising chain with longitudinal fields
            (:func:`ebp.qbm.transverse_field_ising`): one V–H bond, a local structured coupling;
``random``  all-to-all random 2-local couplings (:func:`ebp.qbm.k_local`): every visible qubit
            couples to every hidden one through all nine Pauli pairs.

g = 0 decouples V exactly (σ_V is the Gibbs state of H_V, I(V:H) = 0).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from pydantic import Field, model_validator

from ..experiment import (
    Study,
    StudyConfig,
    Task,
    derive_seed,
    distinct,
    hidden_sizes,
    sorted_floats,
)
from ..qbm import TERM_CLASSES, gaussian_parameters, k_local, transverse_field_ising
from ..report import new_figure
from ._bands import band, sequential_colors, spread
from ._figures import figure, figures
from .qbm_typicality import MAX_QUBITS, target_objective

__all__ = ["STUDY", "QBMCouplingConfig", "make_figures", "points", "quick_config", "run_task"]

ModelName = Literal["ising", "random"]
MODEL_TITLES = {"ising": "Ising chain (structured)", "random": "random all-to-all"}
METRICS = (
    ("distance_to_mixed", "$\\|\\sigma_V - I/d_V\\|_1$"),
    ("mutual_information", "$I(V{:}H)$ [bits]"),
    ("grad_inf_norm", "$\\|\\nabla_\\theta S(\\eta\\|\\sigma_V)\\|_\\infty$, all terms"),
    ("grad_inf_coupling", "max $|\\partial S/\\partial\\theta_k|$ over V–H terms"),
)


class QBMCouplingConfig(StudyConfig):
    """Hyperparameters of the qbm-coupling study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        models: ``ising`` (structured, local) and/or ``random`` (all-to-all random
            2-local).
        n_visible: Visible qubits.
        n_hidden: Hidden register sizes; n_V + n_H <= 12.
        couplings: V–H coupling strengths g (>= 0).
        beta: Inverse temperature.
        field_std: Standard deviation of the one-qubit coefficients.
        coupling_std: Standard deviation of the multi-qubit coefficients.
        instances: Random instances per (model, n_H); each is evaluated at every g.
        big_from: Points with n_V + n_H >= ``big_from`` use ``big_instances`` instances.
        big_instances: Instances per point from ``big_from`` qubits on.
        target_beta: β of the thermal target on V.
    """

    models: Annotated[tuple[ModelName, ...], distinct("model")] = ("ising", "random")
    n_visible: int = Field(1, ge=1, le=3)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(MAX_QUBITS - 1)] = (1, 2, 3, 5, 7, 9, 11)
    couplings: Annotated[tuple[float, ...], sorted_floats(0, 1e3, "coupling g")] = (
        0.0,
        0.25,
        0.5,
        1.0,
        2.0,
        4.0,
    )
    beta: float = Field(1.0, ge=0, le=1e4, allow_inf_nan=False)
    field_std: float = Field(1.0, ge=0, le=1e3, allow_inf_nan=False)
    coupling_std: float = Field(1.0, ge=0, le=1e3, allow_inf_nan=False)
    instances: int = Field(20, ge=2, le=100_000)
    big_from: int = Field(11, ge=2, le=MAX_QUBITS + 1)
    big_instances: int = Field(5, ge=2, le=100_000)
    target_beta: float = Field(1.0, ge=0, le=1e4, allow_inf_nan=False)

    @model_validator(mode="after")
    def _fits(self) -> QBMCouplingConfig:
        if self.n_visible + max(self.n_hidden) > MAX_QUBITS:
            raise ValueError(
                f"n_visible + n_hidden must be <= {MAX_QUBITS} (dense QBMs); got "
                f"n_visible = {self.n_visible}, n_hidden up to {max(self.n_hidden)}"
            )
        return self


def quick_config() -> QBMCouplingConfig:
    """n_H in {1, 2, 3, 5, 7}, g in {0, 0.25, 1, 4}, 20 instances (seconds on two cores)."""
    return QBMCouplingConfig(
        n_hidden=(1, 2, 3, 5, 7), couplings=(0.0, 0.25, 1.0, 4.0), instances=20
    )


def points(config: QBMCouplingConfig):
    """One task per (model, n_H); every g is evaluated on the task's instances."""
    for model in config.models:
        for n_h in config.n_hidden:
            big = config.n_visible + n_h >= config.big_from
            yield {
                "model": model,
                "n_visible": config.n_visible,
                "n_hidden": n_h,
                "couplings": tuple(config.couplings),
                "beta": config.beta,
                "field_std": config.field_std,
                "coupling_std": config.coupling_std,
                "instances": config.big_instances if big else config.instances,
                "target_beta": config.target_beta,
                "study_seed": config.seed,
            }


def _structure(name: str, n_v: int, n_h: int, beta: float):
    if name == "ising":
        return transverse_field_ising(n_v, n_h, longitudinal=True, beta=beta)
    if name == "random":
        return k_local(n_v, n_h, k=2, beta=beta)
    raise ValueError(f"unknown model {name!r}; allowed: ising, random.")


def run_task(task: Task) -> list[dict[str, Any]]:
    """Per instance (θ from ``SeedSequence([task.seed, i])``) and coupling g: the distance of σ_V
    from I/d_V, I(V:H), the cost and the gradient norms (overall and per term class)."""
    p = task.params
    n_v, n_h, beta = p["n_visible"], p["n_hidden"], p["beta"]
    objective = target_objective(n_v, p["study_seed"], p["target_beta"])
    base = _structure(p["model"], n_v, n_h, beta)
    classes = np.array(base.term_classes)
    rows = []
    for i in range(p["instances"]):
        seed = derive_seed(task.seed, i)
        theta = gaussian_parameters(
            base, seed, onsite_std=p["field_std"], offsite_std=p["coupling_std"]
        )
        for g in p["couplings"]:
            ev, diag = base.with_coupling(g).evaluate(theta, objective)
            grad = np.abs(ev.gradient)
            per_class = {
                f"grad_inf_{c}": float(grad[classes == c].max())
                if np.any(classes == c)
                else float("nan")
                for c in TERM_CLASSES
            }
            rows.append(
                {
                    "model": p["model"],
                    "n_visible": n_v,
                    "n_hidden": n_h,
                    "coupling": float(g),
                    "beta": beta,
                    "instance": i,
                    "seed": seed,
                    "distance_to_mixed": float(diag["distance_to_mixed"]),
                    "mutual_information": float(diag["mutual_information"]),
                    "entropy_visible": float(diag["entropy_visible"]),
                    "cost": float(ev.cost),
                    "grad_inf_norm": float(grad.max()),
                    "grad_norm": float(np.linalg.norm(grad)),
                    "grad_rms": float(np.sqrt(np.mean(grad**2))),
                    **per_class,
                }
            )
    return rows


# --------------------------------------------------------------------------- figures
def _fig_versus(df: pd.DataFrame, x: str, hue: str, xlabel: str, hue_label: str):
    """One row per model, one column per metric of :data:`METRICS`, vs ``x``; colour = ``hue``.

    Gradient panels are on a log scale; points with a zero mean (the V–H gradient at g = 0,
    exactly 0) are left out there.
    """
    hues = spread(sorted(df[hue].unique().tolist()), 4)
    colors = sequential_colors(hues)
    models = list(dict.fromkeys(df["model"]))
    fig, axes = new_figure(
        len(models), len(METRICS), width=3.9, height=3.2, sharex=True, sharey="col"
    )
    for row, model in enumerate(models):
        for ax, (column, label) in zip(axes[row], METRICS):
            log = column.startswith("grad")
            for h in hues:
                s = df[(df["model"] == model) & (df[hue] == h)]
                b = band(s, x, column)
                b = b[(b["mean"] > 0) if log else np.isfinite(b["mean"])]
                if b.empty:
                    continue
                ax.fill_between(b[x], b["q16"], b["q84"], color=colors[h], alpha=0.15, lw=0)
                ax.plot(b[x], b["mean"], "o-", ms=3, color=colors[h])
            if log:
                ax.set_yscale("log", base=2)
            if x == "n_hidden":
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            if row == 0:
                ax.set_title(label, fontsize=10)
            if row == len(models) - 1:
                ax.set_xlabel(xlabel)
        axes[row, 0].set_ylabel(MODEL_TITLES.get(model, model))
    handles = [
        Line2D([], [], color=colors[h], marker="o", ms=3, label=f"{hue_label} = {h:g}")
        for h in hues
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)
    d = df.iloc[0]
    fig.suptitle(
        f"QBM at β = {d['beta']:g}, $n_V$ = {int(d['n_visible'])}: mean over instances, "
        "band 16–84 %",
        fontsize=11,
    )
    return fig


@figure("qbm_coupling_vs_g.png")
def _fig_vs_coupling(df: pd.DataFrame, config: QBMCouplingConfig):
    """Against g, one colour per n_H; one row of panels per model."""
    return _fig_versus(df, "coupling", "n_hidden", "V–H coupling strength $g$", "$n_H$")


@figure("qbm_coupling_vs_nhidden.png")
def _fig_vs_hidden(df: pd.DataFrame, config: QBMCouplingConfig):
    """Against n_H, one colour per g; one row of panels per model."""
    return _fig_versus(df, "n_hidden", "coupling", "hidden qubits $n_H$", "$g$")


make_figures = figures(_fig_vs_coupling, _fig_vs_hidden)


STUDY = Study(
    name="qbm-coupling",
    description=(
        "QBM: ‖σ_V − I/d_V‖₁, I(V:H) and the gradient norm vs the V–H coupling g and n_H, for a "
        "structured (Ising chain) and a random all-to-all coupling"
    ),
    config_model=QBMCouplingConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
