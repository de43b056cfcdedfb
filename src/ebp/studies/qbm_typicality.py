"""Study ``qbm-typicality``: the visible marginal of a random QBM and its gradients vs n_H.

The QBM curves of Ortiz Marrero, Kieferová & Wiebe, arXiv:2010.15968: for the normalised random
2-local QBM (:func:`ebp.qbm.paper_qbm`: on-site coefficients N(0, 0.1²), off-site N(0, 1), H
divided by its operator norm) on n_V visible and n_H hidden qubits, at inverse temperature β,
each instance records

* the trace distance T = ½‖σ_V − I/d_V‖₁ of the visible marginal σ_V = Tr_H e^{−βH}/Z from the
  maximally mixed state, next to the typicality scale ½√(d_V/d_H) of a Haar random pure state
  (:func:`ebp.theory.mean_trace_distance_bound`; Popescu, Short & Winter, arXiv:quant-ph/0511225),
  which a Gibbs state is not bound by but which sets the reference;
* the exact gradient of the relative entropy S(η‖σ_V) (bits) to the paper's thermal target η on
  V (:func:`ebp.landscape.thermal_state` at β = ``target_beta``) with respect to the normalised
  coefficients θ = J/‖Ĥ‖, its ∞-norm and 2-norm;
* I(V:H) and S(σ_V) in bits.

Figures: T vs d_H (log-log, mean with 16–84 % band, ½√(d_V/d_H) drawn), histograms of T over
``hist_instances`` instances at a few n_H, and Var[‖∇S‖_∞] vs n_H with an exponential fit
(:func:`ebp.landscape.fit_scaling`, weights from bootstrap intervals).

:func:`qbm_trace_distance_rows` produces the same model's T in the row format of the
``entanglement`` study, for its trace-distance figure.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from pydantic import Field, model_validator

from .._format import plus_minus
from ..experiment import Study, StudyConfig, Task, derive_seed, sorted_floats, sorted_ints
from ..landscape import Objective, bootstrap_interval, relative_entropy, thermal_state
from ..qbm import evaluate_temperatures, paper_qbm
from ..report import THEORY_COLOR, new_figure
from ..theory import mean_trace_distance_bound
from ._bands import band, error_bars, log2_fit, sequential_colors
from ._figures import figure, figures

__all__ = [
    "STUDY",
    "QBMTypicalityConfig",
    "make_figures",
    "points",
    "qbm_trace_distance_rows",
    "quick_config",
    "run_task",
    "target_objective",
]

MAX_QUBITS = 12
"""Largest total size of a dense QBM in these studies (see :data:`ebp.qbm.MEMORY_LIMIT_BYTES`)."""

BETA_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_SIZES = sorted_ints(1, MAX_QUBITS - 1, "n_hidden")


def target_objective(n_visible: int, study_seed: int, target_beta: float) -> Objective:
    """S(η‖σ_V) in bits with η the paper's thermal target on V (random 2-local Ĥ with ‖Ĥ‖ = 1,
    at β = ``target_beta``); η depends only on (study seed, n_V)."""
    seed = derive_seed(study_seed, n_visible, 11, bits=32)
    return relative_entropy(thermal_state(n_visible, seed=seed, beta=target_beta))


class QBMTypicalityConfig(StudyConfig):
    """Hyperparameters of the qbm-typicality study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        n_visible: Visible qubits (1 gives the paper's d_V = 2).
        n_hidden: Hidden register sizes; n_V + n_H <= 12.
        betas: Inverse temperatures (‖H‖ = 1); one eigendecomposition per instance
            serves all of them.
        instances: Random QBMs per n_H.
        big_from: Grid points with n_V + n_H >= ``big_from`` use ``big_instances`` instances
            (a 12-qubit instance costs about a minute on two cores).
        big_instances: Instances per grid point from ``big_from`` qubits on.
        hist_n_hidden: n_H values whose T histogram is drawn.
        hist_instances: Least number of instances of each T histogram.
        target_beta: β of the thermal target η on V.
        bootstrap_resamples: Resamples of the bootstrap intervals of Var[‖∇S‖_∞].

    The study seed fixes the target and every task seed.
    """

    n_visible: int = Field(1, ge=1, le=3)
    n_hidden: Annotated[tuple[int, ...], _SIZES] = tuple(range(1, 12))
    betas: Annotated[tuple[float, ...], sorted_floats(0, 1e4, "beta")] = (1.0, 5.0)
    instances: int = Field(200, ge=4, le=100_000)
    big_from: int = Field(11, ge=2, le=MAX_QUBITS + 1)
    big_instances: int = Field(20, ge=4, le=100_000)
    hist_n_hidden: Annotated[tuple[int, ...], _SIZES] = (1, 3, 5, 7)
    hist_instances: int = Field(1000, ge=4, le=100_000)
    target_beta: float = Field(1.0, ge=0, le=1e4, allow_inf_nan=False)
    bootstrap_resamples: int = Field(1000, ge=10, le=100_000)

    @model_validator(mode="after")
    def _fits(self) -> QBMTypicalityConfig:
        if not self.n_hidden:
            raise ValueError("give at least one n_hidden")
        too_big = [
            h
            for h in set(self.n_hidden) | set(self.hist_n_hidden)
            if self.n_visible + h > MAX_QUBITS
        ]
        if too_big:
            raise ValueError(
                f"n_visible + n_hidden must be <= {MAX_QUBITS} (dense QBMs); "
                f"n_hidden {sorted(too_big)} is too large for n_visible = "
                f"{self.n_visible}"
            )
        return self

    def instances_at(self, n_hidden: int) -> int:
        """Instances run at ``n_hidden``."""
        base = self.big_instances if self.n_visible + n_hidden >= self.big_from else self.instances
        return max(base, self.hist_instances) if n_hidden in self.hist_n_hidden else base


def quick_config() -> QBMTypicalityConfig:
    """n_H = 1 … 7 (≤ 8 qubits), 100 instances, 300-instance histograms at n_H = 1, 3, 5, 7
    (about 15 s on two busy cores)."""
    return QBMTypicalityConfig(
        n_hidden=tuple(range(1, 8)),
        instances=100,
        hist_n_hidden=(1, 3, 5, 7),
        hist_instances=300,
        bootstrap_resamples=300,
    )


def points(config: QBMTypicalityConfig):
    """One task per n_H (every β measured on the same instances)."""
    for n_h in sorted(set(config.n_hidden) | set(config.hist_n_hidden)):
        yield {
            "n_visible": config.n_visible,
            "n_hidden": n_h,
            "betas": tuple(config.betas),
            "instances": config.instances_at(n_h),
            "histogram": n_h in config.hist_n_hidden,
            "curve": n_h in config.n_hidden,
            "target_beta": config.target_beta,
            "study_seed": config.seed,
        }


def run_task(task: Task) -> list[dict[str, Any]]:
    """Draw ``instances`` paper QBMs (instance i from ``SeedSequence([task.seed, i])``) and
    record, per instance and β, T, I(V:H), S(σ_V), the cost and the gradient norms."""
    p = task.params
    n_v, n_h = p["n_visible"], p["n_hidden"]
    objective = target_objective(n_v, p["study_seed"], p["target_beta"])
    bound = float(mean_trace_distance_bound(n_v, n_h))
    rows = []
    for i in range(p["instances"]):
        seed = derive_seed(task.seed, i)
        model, theta = paper_qbm(n_v, n_h, seed=seed)
        for beta, (ev, diag) in zip(
            p["betas"], evaluate_temperatures(model, theta, objective, p["betas"])
        ):
            grad = np.abs(ev.gradient)
            rows.append(
                {
                    "n_visible": n_v,
                    "n_hidden": n_h,
                    "d_hidden": 2**n_h,
                    "beta": float(beta),
                    "instance": i,
                    "seed": seed,
                    "histogram": p["histogram"],
                    "curve": p["curve"],
                    "trace_distance": 0.5 * float(diag["distance_to_mixed"]),
                    "typicality_scale": bound,
                    "mutual_information": float(diag["mutual_information"]),
                    "entropy_visible": float(diag["entropy_visible"]),
                    "cost": float(ev.cost),
                    "grad_inf_norm": float(grad.max()),
                    "grad_norm": float(np.linalg.norm(grad)),
                    "n_params": model.n_params,
                }
            )
    return rows


def qbm_trace_distance_rows(
    n_visible: int, n_hidden_values, instances: int, seed: int, *, beta: float = 1.0
) -> list[dict[str, Any]]:
    """Rows for the ``entanglement`` study's trace-distance figure: the paper QBM's σ_V.

    One row per (n_H, instance) with the columns of :data:`ebp.studies.entanglement.COLUMNS`,
    ``experiment = "qbm"`` and ``model = "qbm"``. σ_V is mixed, so ``entropy_bits`` is S(σ_V)
    (not an entanglement entropy), ``pinsker_bound`` is √(2 ln 2 (n_V − S(σ_V))) ≥ ‖σ_V − I/d_V‖₁
    (it holds for any state), and the Page value is left empty. Instance i at n_H uses
    ``paper_qbm(n_visible, n_H, seed=SeedSequence([seed, n_H, i]))``.
    """
    rows = []
    for n_h in n_hidden_values:
        n_h = int(n_h)
        for i in range(int(instances)):
            inst = derive_seed(seed, n_h, i)
            model, theta = paper_qbm(n_visible, n_h, seed=inst, beta=beta)
            sigma = model.rho_visible(theta)
            d_v = sigma.shape[-1]
            w = np.clip(np.linalg.eigvalsh(sigma), 0.0, 1.0)
            s1 = float(-np.sum(w * np.log2(np.where(w > 0, w, 1.0))))
            s2 = float(-np.log2(np.sum(w**2)))
            td = 0.5 * float(np.sum(np.abs(w - 1.0 / d_v)))
            pinsker = math.sqrt(max(2 * math.log(2) * (n_visible - s1), 0.0))
            rows.append(
                {
                    "experiment": "qbm",
                    "model": "qbm",
                    "n_qubits": n_visible + n_h,
                    "n_visible": n_visible,
                    "n_hidden": n_h,
                    "layers": None,
                    "cut_gates": None,
                    "instance": i,
                    "seed": inst,
                    "entropy_bits": s1,
                    "renyi2_bits": s2,
                    "trace_distance": td,
                    "pinsker_bound": pinsker,
                    "max_entropy_bits": float(min(n_visible, n_h)),
                    "page_entropy": math.nan,
                    "mean_trace_distance_bound": float(mean_trace_distance_bound(n_visible, n_h)),
                }
            )
    return rows


# --------------------------------------------------------------------------- figures
def _beta_color(betas: list[float], beta: float) -> str:
    return BETA_COLORS[betas.index(beta) % len(BETA_COLORS)]


@figure("qbm_trace_distance_vs_dhidden.png")
def _fig_trace_distance(df: pd.DataFrame, config: QBMTypicalityConfig):
    s = df[df["curve"]]
    betas = sorted(s["beta"].unique().tolist())
    d_v = 2 ** int(s["n_visible"].iloc[0])
    fig, axes = new_figure(width=5.6, height=4.2)
    ax = axes[0, 0]
    dh = np.geomspace(s["d_hidden"].min(), s["d_hidden"].max(), 50)
    ax.plot(
        dh,
        0.5 * np.sqrt(d_v / dh),
        "-",
        color=THEORY_COLOR,
        label="$\\frac{1}{2}\\sqrt{d_V/d_H}$ (Haar typicality scale)",
    )
    for beta in betas:
        b = band(s[s["beta"] == beta], "d_hidden", "trace_distance")
        c = _beta_color(betas, beta)
        ax.fill_between(b["d_hidden"], b["q16"], b["q84"], color=c, alpha=0.2, lw=0)
        ax.plot(b["d_hidden"], b["mean"], "o-", color=c, ms=4, label=f"QBM, β = {beta:g}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("hidden dimension $d_H = 2^{n_H}$")
    ax.set_ylabel(f"$T = \\frac{{1}}{{2}}\\|\\sigma_V - I/{d_v}\\|_1$")
    ax.set_title("Normalised random 2-local QBM: mean, band 16–84 % of instances", fontsize=10)
    ax.legend(fontsize=8)
    return fig


@figure("qbm_trace_distance_histograms.png")
def _fig_histograms(df: pd.DataFrame, config: QBMTypicalityConfig):
    s = df[df["histogram"]]
    if s.empty:
        return None
    betas = sorted(s["beta"].unique().tolist())
    nhs = sorted(s["n_hidden"].unique().tolist())
    colors = sequential_colors(nhs)
    positive = s["trace_distance"][s["trace_distance"] > 0]
    lo = max(float(positive.quantile(0.001)) if len(positive) else 1e-6, 1e-8)
    hi = max(float(s["trace_distance"].max()) * 1.2, lo * 10)
    bins = np.geomspace(lo, hi, 40)
    d_v = 2 ** int(s["n_visible"].iloc[0])
    fig, axes = new_figure(1, len(betas), width=5.0, height=4.0, sharey=True)
    for ax, beta in zip(axes[0], betas):
        for h in nhs:
            t = s[(s["beta"] == beta) & (s["n_hidden"] == h)]["trace_distance"].clip(lower=lo)
            ax.hist(t, bins=bins, histtype="stepfilled", alpha=0.2, color=colors[h])
            ax.hist(
                t,
                bins=bins,
                histtype="step",
                color=colors[h],
                lw=1.3,
                label=f"$n_H$ = {h} ({len(t)} instances)",
            )
            ax.axvline(0.5 * math.sqrt(d_v / 2**h), color=colors[h], ls="--", lw=1.0)
        ax.set_xscale("log")
        ax.set_xlabel(f"$T = \\frac{{1}}{{2}}\\|\\sigma_V - I/{d_v}\\|_1$ (log scale)")
        ax.set_title(f"β = {beta:g}", fontsize=10)
        ax.legend(fontsize=7, loc="upper left")
    axes[0, 0].set_ylabel("instances per bin")
    fig.suptitle(
        "Random QBM: distribution of T (dashed: $\\frac{1}{2}\\sqrt{d_V/d_H}$)", fontsize=11
    )
    return fig


def _variance_table(df: pd.DataFrame, resamples: int) -> pd.DataFrame:
    rows = []
    for (beta, n_h), g in df[df["curve"]].groupby(["beta", "n_hidden"]):
        x = g["grad_inf_norm"].to_numpy()
        lo, hi = bootstrap_interval(
            x, lambda a, axis=-1: np.var(a, axis=axis, ddof=1), n_resamples=resamples, seed=int(n_h)
        )
        rows.append(
            {
                "beta": beta,
                "n_hidden": n_h,
                "var": float(np.var(x, ddof=1)),
                "lo": lo,
                "hi": hi,
                "count": len(x),
            }
        )
    return pd.DataFrame(rows)


@figure("qbm_gradient_variance.png")
def _fig_gradient_variance(df: pd.DataFrame, config: QBMTypicalityConfig):
    table = _variance_table(df, config.bootstrap_resamples)
    betas = sorted(table["beta"].unique().tolist())
    fig, axes = new_figure(width=5.6, height=4.2)
    ax = axes[0, 0]
    for beta in betas:
        t = table[table["beta"] == beta].sort_values("n_hidden")
        c = _beta_color(betas, beta)
        ax.errorbar(
            t["n_hidden"],
            t["var"],
            yerr=error_bars(t["var"], t["lo"], t["hi"]),
            fmt="o",
            color=c,
            ms=4,
            capsize=2,
        )
        fit = log2_fit(t["n_hidden"], t["var"], t["lo"], t["hi"])
        if fit is not None:
            x = np.linspace(t["n_hidden"].min(), t["n_hidden"].max(), 50)
            pm = plus_minus(fit.slope, fit.slope_err, sign=False).replace("±", r"\pm")
            ax.plot(
                x,
                fit.predict(x),
                "-",
                color=c,
                lw=1.2,
                label=f"β = {beta:g}: fit $\\propto 2^{{({pm})\\, n_H}}$",
            )
        else:
            ax.plot([], [], "o", color=c, label=f"β = {beta:g}")
    ax.set_yscale("log", base=2)
    ax.set_xlabel(f"hidden qubits $n_H$ ($n_V = {config.n_visible}$)")
    ax.set_ylabel("Var$[\\|\\nabla_\\theta S(\\eta\\|\\sigma_V)\\|_\\infty]$")
    ax.set_title(
        "Random QBM, relative entropy to a thermal target (bars: 95 % bootstrap)", fontsize=9
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    return fig


def _flags(df: pd.DataFrame) -> pd.DataFrame:
    """The ``curve`` and ``histogram`` columns as booleans (a CSV round trip may lose that)."""
    return df.assign(curve=df["curve"].astype(bool), histogram=df["histogram"].astype(bool))


make_figures = figures(_fig_trace_distance, _fig_histograms, _fig_gradient_variance, prepare=_flags)


STUDY = Study(
    name="qbm-typicality",
    description=(
        "Random normalised 2-local QBM: T(σ_V, I/d_V) vs d_H against ½√(d_V/d_H), its histogram, "
        "and Var of the gradient's ∞-norm vs n_H with an exponential fit"
    ),
    config_model=QBMTypicalityConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
