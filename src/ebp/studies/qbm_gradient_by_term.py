"""Study ``qbm-gradient-by-term``: which QBM terms lose their gradient as hidden units are added.

The QBM theorem of arXiv:2010.15968: when the eigenbasis of H is drawn from a unitary 2-design,
the gradient of the relative entropy along a term h_V ⊗ h_H is at most, up to constants,

.. math:: \\sqrt{\\frac{d_V}{d_H}\\Big(\\frac{(\\operatorname{Tr} h_H)^2}{d_V \\operatorname{Tr}
          h_H^2} + 1\\Big)},

i.e. √(1 + d_V/d_H) for visible-only terms (h_H = I: no suppression) and √(d_V/d_H) for terms
traceless on H — V–H couplings and hidden-only terms — which get exponentially small gradients
(:func:`ebp.qbm.two_design_gradient_scale`).

Per random instance the study computes the exact gradient of S(η‖σ_V) (bits; η the thermal
target of :func:`ebp.studies.qbm_typicality.target_objective`) along every term and summarises it
per term class (``visible``, ``coupling``, ``hidden``, :func:`ebp.qbm.term_class`): mean, RMS
and maximum of |∂S/∂θ_k|. The bound drawn is the exact covariance bound
β·½(λ_max − λ_min)(G) of :func:`ebp.qbm.covariance_gradient_bound` (G = f′(σ_V)), alone and times
the two-design scale.

Models: ``paper`` — the normalised random 2-local QBM (:func:`ebp.qbm.paper_qbm`, ‖H‖ = 1), whose
eigenbasis is generic; ``ising`` — the transverse-field Ising chain
(:func:`ebp.qbm.transverse_field_ising` with longitudinal fields, coefficients N(0, 1)), a local,
structured contrast.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from pydantic import Field, model_validator

from ..experiment import Study, StudyConfig, Task, derive_seed, distinct, hidden_sizes
from ..qbm import (
    TERM_CLASSES,
    gaussian_parameters,
    paper_qbm,
    transverse_field_ising,
    two_design_gradient_scale,
)
from ..report import THEORY_COLOR, new_figure
from ._bands import band
from ._figures import figure, figures
from .qbm_typicality import MAX_QUBITS, target_objective

__all__ = ["STUDY", "QBMGradientByTermConfig", "make_figures", "points", "quick_config", "run_task"]

ModelName = Literal["paper", "ising"]
MODEL_TITLES = {"paper": "normalised random 2-local QBM", "ising": "transverse-field Ising chain"}
CLASS_COLORS = {"visible": "#0072B2", "coupling": "#D55E00", "hidden": "#009E73"}
CLASS_LABELS = {
    "visible": "visible-only $h_V \\otimes I$",
    "coupling": "V–H coupling",
    "hidden": "hidden-only $I \\otimes h_H$",
}


class QBMGradientByTermConfig(StudyConfig):
    """Hyperparameters of the qbm-gradient-by-term study (a
    :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        models: ``paper`` and/or ``ising``.
        n_visible: Visible qubits.
        n_hidden: Hidden register sizes; n_V + n_H <= 12.
        beta: Inverse temperature of the QBM.
        instances: Random instances per (model, n_H).
        big_from: Points with n_V + n_H >= ``big_from`` use ``big_instances`` instances.
        big_instances: Instances per point from ``big_from`` qubits on.
        target_beta: β of the thermal target on V.
    """

    models: Annotated[tuple[ModelName, ...], distinct("model")] = ("paper", "ising")
    n_visible: int = Field(1, ge=1, le=3)
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(MAX_QUBITS - 1)] = tuple(range(1, 12))
    beta: float = Field(1.0, ge=0, le=1e4, allow_inf_nan=False)
    instances: int = Field(50, ge=2, le=100_000)
    big_from: int = Field(11, ge=2, le=MAX_QUBITS + 1)
    big_instances: int = Field(10, ge=2, le=100_000)
    target_beta: float = Field(1.0, ge=0, le=1e4, allow_inf_nan=False)

    @model_validator(mode="after")
    def _fits(self) -> QBMGradientByTermConfig:
        if self.n_visible + max(self.n_hidden) > MAX_QUBITS:
            raise ValueError(
                f"n_visible + n_hidden must be <= {MAX_QUBITS} (dense QBMs); got "
                f"n_visible = {self.n_visible}, n_hidden up to {max(self.n_hidden)}"
            )
        return self


def quick_config() -> QBMGradientByTermConfig:
    """n_H = 1 … 7 with 20 instances per point (a few seconds on two cores)."""
    return QBMGradientByTermConfig(n_hidden=tuple(range(1, 8)), instances=20)


def points(config: QBMGradientByTermConfig):
    """One task per (model, n_H)."""
    for model in config.models:
        for n_h in config.n_hidden:
            big = config.n_visible + n_h >= config.big_from
            yield {
                "model": model,
                "n_visible": config.n_visible,
                "n_hidden": n_h,
                "beta": config.beta,
                "instances": config.big_instances if big else config.instances,
                "target_beta": config.target_beta,
                "study_seed": config.seed,
            }


def _instance(model_name: str, n_v: int, n_h: int, beta: float, seed: int):
    if model_name == "paper":
        return paper_qbm(n_v, n_h, seed=seed, beta=beta)
    if model_name == "ising":
        model = transverse_field_ising(n_v, n_h, longitudinal=True, beta=beta)
        return model, gaussian_parameters(model, seed, onsite_std=1.0, offsite_std=1.0)
    raise ValueError(f"unknown model {model_name!r}; allowed: paper, ising.")


def run_task(task: Task) -> list[dict[str, Any]]:
    """Per instance (seed ``SeedSequence([task.seed, i])``) and term class: mean, RMS and max of
    |∂S/∂θ_k|, the covariance bound and the two-design scale."""
    p = task.params
    n_v, n_h, beta = p["n_visible"], p["n_hidden"], p["beta"]
    objective = target_objective(n_v, p["study_seed"], p["target_beta"])
    rows = []
    for i in range(p["instances"]):
        seed = derive_seed(task.seed, i)
        model, theta = _instance(p["model"], n_v, n_h, beta, seed)
        ev = model.value_and_gradient(theta, objective)
        _, g = objective.value_and_derivative(ev.rho_visible)
        w = np.linalg.eigvalsh(np.asarray(g))
        covariance = beta * 0.5 * float(w[-1] - w[0])
        classes = np.array(model.term_classes)
        grad = np.abs(ev.gradient)
        for cls in TERM_CLASSES:
            mask = classes == cls
            if not mask.any():
                continue
            first = model.terms[int(np.flatnonzero(mask)[0])]
            scale = two_design_gradient_scale(first, n_v)
            rows.append(
                {
                    "model": p["model"],
                    "n_visible": n_v,
                    "n_hidden": n_h,
                    "beta": beta,
                    "instance": i,
                    "seed": seed,
                    "term_class": cls,
                    "n_terms": int(mask.sum()),
                    "mean_abs_gradient": float(grad[mask].mean()),
                    "rms_gradient": float(np.sqrt(np.mean(grad[mask] ** 2))),
                    "max_abs_gradient": float(grad[mask].max()),
                    "covariance_bound": covariance,
                    "two_design_scale": scale,
                    "two_design_bound": covariance * scale,
                    "cost": float(ev.cost),
                }
            )
    return rows


# --------------------------------------------------------------------------- figures
def _fig(df: pd.DataFrame, column: str, ylabel: str):
    models = list(dict.fromkeys(df["model"]))
    fig, axes = new_figure(1, len(models), width=5.0, height=4.2, sharey=True)
    for ax, model in zip(axes[0], models):
        s = df[df["model"] == model]
        for cls in TERM_CLASSES:
            c = s[s["term_class"] == cls]
            if c.empty:
                continue
            b = band(c, "n_hidden", column)
            ax.fill_between(
                b["n_hidden"], b["q16"], b["q84"], color=CLASS_COLORS[cls], alpha=0.2, lw=0
            )
            ax.plot(
                b["n_hidden"],
                b["mean"],
                "o-",
                ms=4,
                color=CLASS_COLORS[cls],
                label=CLASS_LABELS[cls],
            )
            bound = c.groupby("n_hidden")["two_design_bound"].mean()
            ls = "--" if cls == "visible" else ":"
            ax.plot(bound.index, bound.values, ls, color=THEORY_COLOR, lw=1.3)
        cov = s.groupby("n_hidden")["covariance_bound"].mean()
        ax.plot(cov.index, cov.values, "-", color=THEORY_COLOR, lw=0.8, alpha=0.6)
        ax.set_yscale("log", base=2)
        ax.set_title(f"{MODEL_TITLES.get(model, model)}, β = {s['beta'].iloc[0]:g}", fontsize=10)
        ax.set_xlabel(f"hidden qubits $n_H$ ($n_V = {int(s['n_visible'].iloc[0])}$)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0, 0].set_ylabel(ylabel)
    handles, _ = axes[0, 0].get_legend_handles_labels()
    handles += [
        Line2D(
            [],
            [],
            color=THEORY_COLOR,
            lw=0.8,
            alpha=0.6,
            label="covariance bound $\\beta\\,\\frac{1}{2}(\\lambda_{max}-\\lambda_{min})(G)$",
        ),
        Line2D(
            [],
            [],
            color=THEORY_COLOR,
            ls="--",
            label="× $\\sqrt{1 + d_V/d_H}$ (2-design, visible-only)",
        ),
        Line2D(
            [],
            [],
            color=THEORY_COLOR,
            ls=":",
            label="× $\\sqrt{d_V/d_H}$ (2-design, traceless on H)",
        ),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
    fig.suptitle(
        "Relative-entropy gradient per term class (mean over instances, band 16–84 %)", fontsize=11
    )
    return fig


_DERIVATIVE = "$|\\partial S(\\eta\\|\\sigma_V)/\\partial\\theta_k|$ in class"


@figure("qbm_gradient_by_term.png")
def _fig_mean(df: pd.DataFrame, config: QBMGradientByTermConfig):
    """Class mean of |∂S/∂θ_k|, with the bounds drawn."""
    return _fig(df, "mean_abs_gradient", "mean " + _DERIVATIVE)


@figure("qbm_gradient_by_term_max.png")
def _fig_max(df: pd.DataFrame, config: QBMGradientByTermConfig):
    """Class maximum of |∂S/∂θ_k|, with the bounds drawn."""
    return _fig(df, "max_abs_gradient", "max " + _DERIVATIVE)


make_figures = figures(_fig_mean, _fig_max)


STUDY = Study(
    name="qbm-gradient-by-term",
    description=(
        "QBM gradient |∂S/∂θ_k| per term class (visible-only, V–H coupling, hidden-only) vs n_H, "
        "against the 2-design bound √((d_V/d_H)(Tr(h_H)²/(d_V Tr h_H²) + 1))"
    ),
    config_model=QBMGradientByTermConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
