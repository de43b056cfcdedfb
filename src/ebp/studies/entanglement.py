"""Study ``entanglement``: is the visible|hidden volume law typical, and how close is ρ_V to I/d_V?

Claims C1 and C2 of Ortiz Marrero, Kieferová & Wiebe, "Entanglement induced barren plateaus",
arXiv:2010.15968. For pure states |ψ⟩ on n = n_V + n_H qubits from several ensembles — Haar
random states, GUE time evolution e^{−iHt}|0…0⟩, and random-parameter circuits — the study
measures, per instance, across the V|H cut:

* the entanglement entropy S(ρ_V) = −Tr ρ_V log₂ ρ_V and the Rényi-2 entropy −log₂ Tr ρ_V²;
* the trace distance T = ½‖ρ_V − I/d_V‖₁ and the quantum-Pinsker bound
  ‖ρ_V − I/d_V‖₁ ≤ √(2 ln 2 (log₂ d_V − S(ρ_V))) (so T is at most half of it);

and sets them against closed forms: Page's mean entropy of a Haar state (D. N. Page,
Phys. Rev. Lett. 71, 1291 (1993), arXiv:gr-qc/9305007), the maximum min(n_V, n_H) bits, the
typicality bound E[T] ≤ ½√(d_V/d_H) (arXiv:2010.15968; Popescu, Short & Winter, Nat. Phys. 2, 754
(2006), arXiv:quant-ph/0511225), and the area-law cap S(ρ_V) ≤ 2k bits of a circuit with k
two-qubit gates across the cut.

Beside the pure-state ensembles, the trace-distance figure shows a quantum Boltzmann machine: the
visible marginal σ_V = Tr_H e^{−βH}/Z of the normalised random 2-local QBM of
:func:`ebp.qbm.paper_qbm` (model ``qbm``; rows from
:func:`ebp.studies.qbm_typicality.qbm_trace_distance_rows`). σ_V is mixed, so its
``entropy_bits`` is S(σ_V), not an entanglement entropy, and it has no Page value.

Four experiments, tagged in the ``experiment`` column of the results:

``profile``    every model, n = n_min … n_max (GUE: n ≤ ``gue_n_max``), every split
               n_V = 1 … n−1, ``samples`` instances (split-free ensembles: the same states
               measured across every cut).
``histogram``  d_V = 2 (n_V = 1), n_H in ``hist_n_hidden``, ``hist_samples`` instances.
``depth``      circuit models at n = ``depth_n``, n_V = ⌊n/2⌋, layers in ``depths`` (the same
               instances grown layer by layer); the bounded-cut model once per (layers, k) for
               k in ``depth_cut_gates``.
``qbm``        the QBM (if ``qbm`` is in ``models``): n_V = 1, n = n_min … min(n_max,
               ``qbm_n_max``), ``qbm_samples`` instances at β = ``qbm_beta``.

Run it with ``ebp run entanglement [--quick]`` or, in Python::

    from ebp.studies import get_study, run_study
    study = get_study("entanglement")
    df, figures = run_study(study, study.quick_config(), "out/")
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Annotated, Any, Literal

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullLocator
from pydantic import Field, model_validator

from .._chunks import chunk_size, chunk_slices, padded_total
from ..ansatz import ANSATZ
from ..experiment import Study, StudyConfig, Task, derive_seed, distinct, sorted_ints
from ..quantum_info import (
    entanglement_entropy,
    gue_evolution,
    haar_state,
    pinsker_bound,
    trace_distance_to_maximally_mixed,
)
from ..report import THEORY_COLOR, model_color, model_label, new_figure
from ..sim import simulate
from ..theory import mean_trace_distance_bound, page_entropy
from ._bands import band, error_bars, sequential_colors, spread
from ._figures import figure, figures
from .qbm_typicality import MAX_QUBITS as QBM_MAX_QUBITS
from .qbm_typicality import qbm_trace_distance_rows

__all__ = ["STUDY", "EntanglementConfig", "make_figures", "points", "quick_config", "run_task"]

ModelName = Literal[
    "haar",
    "gue",
    "hardware_efficient",
    "brickwork",
    "pauli_network",
    "bounded_cut",
    "decoupled",
    "qbm",
]
StateModelName = Literal[
    "haar", "gue", "hardware_efficient", "brickwork", "pauli_network", "bounded_cut", "decoupled"
]
STATE_MODELS: tuple[ModelName, ...] = ("haar", "gue")
"""Models that produce states directly, without a circuit (no ``layers``)."""
CIRCUIT_MODELS: tuple[ModelName, ...] = (
    "hardware_efficient",
    "brickwork",
    "pauli_network",
    "bounded_cut",
    "decoupled",
)
"""Models built by an :data:`ebp.ansatz.ANSATZ` builder with uniform random angles."""
QBM_MODEL: Literal["qbm"] = "qbm"
"""The QBM ensemble: a Gibbs state's visible marginal, measured at n_V = 1 only (experiment
``qbm``)."""
ALL_MODELS = STATE_MODELS + CIRCUIT_MODELS + (QBM_MODEL,)
SPLIT_DEPENDENT = ("bounded_cut", "decoupled")
"""Ansätze whose gate list depends on where the V|H cut is; the others are built once per n
(with the split n_V = 1; their gates do not depend on it) and measured across every cut."""
DEFAULT_MODELS = tuple(m for m in ALL_MODELS if m != "decoupled")
"""Every model but ``decoupled`` (no gate across the cut: S(ρ_V) = 0 by construction)."""
MAX_QUBITS = 14

COLUMNS = (
    "experiment", "model", "n_qubits", "n_visible", "n_hidden", "layers", "cut_gates",
    "instance", "seed", "entropy_bits", "renyi2_bits", "trace_distance", "pinsker_bound",
    "max_entropy_bits", "page_entropy", "mean_trace_distance_bound",
)  # fmt: skip
"""Columns of the results table, in order (one row per instance)."""


class EntanglementConfig(StudyConfig):
    """Hyperparameters of the entanglement study (a :class:`~ebp.experiment.StudyConfig`).

    Attributes:
        models: Ensembles to study, from ``haar``, ``gue``, ``hardware_efficient``,
            ``brickwork``, ``pauli_network``, ``bounded_cut``, ``decoupled``, and ``qbm`` (the
            random QBM, in the trace-distance figure only).
        n_min: Smallest qubit number of the profile sweep, ``2 <= n_min <= n_max``.
        n_max: Largest qubit number of the profile sweep, ``n_max <= 14``.
        samples: Instances per grid point in the profile and depth sweeps (``>= 2``).
        layers: Circuit layers in the profile and histogram sweeps; ``None`` means n
            layers (depth linear in n, enough for a brickwork to approach a 2-design,
            arXiv:1208.0692).
        pauli_layers: Layers of ``pauli_network`` in those sweeps; 1 is the paper's model (one
            layer already holds 3n + 9n(n−1)/2 gates).
        cut_gates: Gates across the cut of ``bounded_cut`` in the profile and histogram
            sweeps.
        hist_models: Models of the T histograms at d_V = 2 (those not in ``models`` are
            skipped; pure-state models only).
        hist_n_hidden: Hidden sizes of the T histograms (each 1 … 13).
        hist_samples: Instances per histogram.
        depth_n: Qubits of the entanglement-growth sweep (balanced split).
        depths: Layer counts of the entanglement-growth sweep.
        depth_cut_gates: The k values of ``bounded_cut`` in the entanglement-growth sweep (points
            with k > layers are skipped).
        gue_time: Evolution time t of the ``gue`` ensemble.
        gue_n_max: GUE points are run only for n <= gue_n_max
            (``ebp.quantum_info.gue_evolution`` samples n = 12 states in about a millisecond each).
        qbm_n_max: The QBM points are n = n_min … min(n_max, qbm_n_max) with n_V = 1 (at most
            12 qubits, dense Gibbs states).
        qbm_samples: QBM instances per point.
        qbm_beta: Inverse temperature of the QBMs (‖H‖ = 1).
    """

    models: Annotated[tuple[ModelName, ...], distinct("model", choices=ALL_MODELS)] = DEFAULT_MODELS
    n_min: int = Field(2, ge=2, le=MAX_QUBITS)
    n_max: int = Field(12, ge=2, le=MAX_QUBITS)
    samples: int = Field(200, ge=2, le=100_000)
    layers: int | None = Field(None, ge=1, le=1000)
    pauli_layers: int = Field(1, ge=1, le=1000)
    cut_gates: int = Field(1, ge=0, le=1000)
    hist_models: tuple[StateModelName, ...] = ("haar", "brickwork")
    hist_n_hidden: Annotated[tuple[int, ...], sorted_ints(1, MAX_QUBITS - 1, "n_hidden")] = (
        1,
        3,
        5,
        7,
        9,
        11,
    )
    hist_samples: int = Field(1000, ge=2, le=100_000)
    depth_n: int = Field(8, ge=2, le=MAX_QUBITS)
    depths: Annotated[tuple[int, ...], sorted_ints(1, 1000, "depth")] = (1, 2, 4, 8, 16)
    depth_cut_gates: Annotated[tuple[int, ...], sorted_ints(0, 1000, "cut-gate count")] = (0, 1, 2)
    gue_time: float = Field(10.0, gt=0, allow_inf_nan=False)
    gue_n_max: int = Field(12, ge=2, le=MAX_QUBITS)
    qbm_n_max: int = Field(11, ge=2, le=QBM_MAX_QUBITS)
    qbm_samples: int = Field(20, ge=2, le=100_000)
    qbm_beta: float = Field(1.0, ge=0, le=1e4, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ranges(self) -> EntanglementConfig:
        if self.n_min > self.n_max:
            raise ValueError(f"n_min must be <= n_max; got n_min={self.n_min}, n_max={self.n_max}")
        if "bounded_cut" in self.models and self.cut_gates > self._min_profile_layers():
            raise ValueError(
                f"cut_gates={self.cut_gates} exceeds the smallest circuit depth of the sweep "
                f"({self._min_profile_layers()} layers); bounded_cut needs cut_gates <= layers"
            )
        return self

    def _min_profile_layers(self) -> int:
        smallest_n = min([self.n_min] + [1 + h for h in self.hist_n_hidden])
        return self.layers if self.layers is not None else smallest_n


def quick_config() -> EntanglementConfig:
    """A small config (148 s from a fresh install on two cores).

    n = 2 … 5 with 50 samples, 200-instance histograms for n_H = 1, 3, 5, and depths 1–8 at
    n = 6 with k = 1, 2 cut gates. Compiling each distinct circuit (~1–3 s) dominates the time.
    """
    return EntanglementConfig(
        n_min=2,
        n_max=5,
        samples=50,
        hist_n_hidden=(1, 3, 5),
        hist_samples=200,
        depth_n=6,
        depths=(1, 2, 4, 8),
        depth_cut_gates=(1, 2),
    )


# --------------------------------------------------------------------------- tasks


def _circuit_layers(model: str, n: int, config: EntanglementConfig) -> int:
    if model == "pauli_network":
        return config.pauli_layers
    return config.layers if config.layers is not None else n


def _point(experiment, model, n, cuts, samples, config, layers=None, cut_gates=None) -> dict:
    """A grid point; ``cuts`` are the n_V values measured on the same states."""
    cuts = tuple(int(c) for c in cuts)
    split = None
    if model in CIRCUIT_MODELS:
        layers = _circuit_layers(model, n, config) if layers is None else layers
        split = cuts[0] if model in SPLIT_DEPENDENT else 1
    else:
        layers = None
    if model == "bounded_cut" and cut_gates is None:
        cut_gates = config.cut_gates
    if model == "decoupled":
        cut_gates = 0
    return {
        "experiment": experiment,
        "model": model,
        "n_qubits": n,
        "split": split,
        "cuts": cuts,
        "layers": layers,
        "cut_gates": cut_gates,
        "samples": samples,
        "gue_time": config.gue_time if model == "gue" else None,
    }


def _profile_points(model: str, n: int, samples: int, config: EntanglementConfig):
    if model in SPLIT_DEPENDENT:  # the circuit itself depends on where the cut is
        return [_point("profile", model, n, (n_v,), samples, config) for n_v in range(1, n)]
    return [_point("profile", model, n, range(1, n), samples, config)]


def points(config: EntanglementConfig) -> list[dict[str, Any]]:
    """The grid: one task per (experiment, model, n, layers, cut_gates) ensemble.

    A task draws ``samples`` states once and measures them across each cut in its ``cuts``: all
    of n_V = 1 … n−1 when the ensemble does not depend on the split (Haar, GUE, and the
    split-free ansätze, whose gate list is the same for every split — one compilation and one
    GUE diagonalisation per n instead of n−1), a single cut for ``bounded_cut``/``decoupled``.
    In the depth experiment each split-free ansatz is one *trajectory* task (the same instances
    grown layer by layer through every depth, see :func:`_ensembles`); ``bounded_cut`` places its
    k cut gates according to the total depth, so it gets one task per (layers, k) with k <= layers.
    GUE points with n > ``gue_n_max`` are skipped. The QBM gets one task per n (n_V = 1).
    """
    points: list[dict] = []
    keep = lambda m, n: m != "gue" or n <= config.gue_n_max  # noqa: E731
    model: ModelName  # shared by the loops below
    for model in (m for m in config.models if m != QBM_MODEL):
        for n in range(config.n_min, config.n_max + 1):
            if keep(model, n):
                points.extend(_profile_points(model, n, config.samples, config))
    for model in (m for m in config.hist_models if m in config.models):
        for n_h in config.hist_n_hidden:
            if keep(model, 1 + n_h):
                p = _point("histogram", model, 1 + n_h, (1,), config.hist_samples, config)
                points.append(p)
    n, n_v = config.depth_n, config.depth_n // 2
    for model in (m for m in config.models if m in CIRCUIT_MODELS and config.depths):
        if model not in SPLIT_DEPENDENT:  # one trajectory through all depths
            points.append(_point("depth", model, n, (n_v,), config.samples, config, config.depths))
            continue
        ks = config.depth_cut_gates if model == "bounded_cut" else (0,)
        for layers, k in itertools.product(config.depths, ks):
            if k <= layers:
                points.append(_point("depth", model, n, (n_v,), config.samples, config, layers, k))
    if QBM_MODEL in config.models:
        for n in range(config.n_min, min(config.n_max, config.qbm_n_max) + 1):
            points.append(
                {
                    "experiment": "qbm",
                    "model": QBM_MODEL,
                    "n_qubits": n,
                    "cuts": (1,),
                    "samples": config.qbm_samples,
                    "beta": config.qbm_beta,
                }
            )
    return points


def _build(p: dict[str, Any], layers: int, circuit_ss: np.random.SeedSequence):
    model, n, n_v = p["model"], p["n_qubits"], p["split"]
    if model == "pauli_network":
        network_seed = derive_seed(circuit_ss)
        return ANSATZ[model](n_v, n - n_v, layers, seed=network_seed)
    if model == "bounded_cut":
        return ANSATZ[model](n_v, n - n_v, layers, cut_gates=p["cut_gates"])
    return ANSATZ[model](n_v, n - n_v, layers)


def _ensembles(p: dict[str, Any], seed: int) -> list[tuple[int | None, jax.Array]]:
    """``[(layers, states)]`` for one grid point; states of shape (samples, 2**n), vectorised.

    A tuple ``layers = (L_1 < L_2 < …)`` is a depth trajectory: the same instances are grown one
    layer at a time, U_L = V(θ_L)…V(θ_1), with i.i.d. angles per layer, and recorded at each L_i.
    For the split-free ansätze every layer has the same gates, so this is distributed exactly
    like a fresh L-layer circuit, and one compiled layer serves every depth.
    """
    model, n, samples = p["model"], p["n_qubits"], p["samples"]
    if model == "haar":
        return [(None, haar_state(n, seed, batch=(samples,)))]
    if model == "gue":
        return [(None, gue_evolution(n, seed, t=p["gue_time"], batch=(samples,)))]
    circuit_ss, params_ss = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(params_ss)
    draw = lambda c: rng.uniform(0.0, 2 * np.pi, size=(samples, c.n_params))  # noqa: E731
    layers = p["layers"]
    if isinstance(layers, int):
        circuit = _build(p, layers, circuit_ss)
        return [(layers, simulate(circuit, draw(circuit)))]
    one_layer = _build(p, 1, circuit_ss)
    out: list[tuple[int | None, jax.Array]] = []
    state = None
    for depth in range(1, max(layers) + 1):
        state = simulate(one_layer, draw(one_layer), initial_state=state)
        if depth in layers:
            out.append((depth, state))
    return out


@functools.partial(jax.jit, static_argnums=1)
def _measure(states, n_visible: int):
    """(S, S₂, T, Pinsker) per instance, one compiled function per (batch shape, cut)."""
    return (
        entanglement_entropy(states, n_visible),
        entanglement_entropy(states, n_visible, alpha=2),
        trace_distance_to_maximally_mixed(states, n_visible),
        pinsker_bound(states, n_visible),
    )


_MEASURE_BYTES = 2**30


def _measure_batched(states, n_visible: int) -> list[np.ndarray]:
    """:func:`_measure` over equal-sized chunks of the instances, as numpy arrays.

    The Schmidt spectrum comes from ``jnp.linalg.svd``, which on CPU allocates a
    max(d_V, d_H)² complex workspace per instance even without singular vectors (67 GB for
    1000 instances at n = 12, n_V = 1); chunks keep that under ~1 GiB. The last chunk is padded
    so that one compiled function serves all chunks.
    """
    total, n = states.shape[0], states.shape[-1].bit_length() - 1
    d = 2 ** max(n_visible, n - n_visible)
    chunk = chunk_size(_MEASURE_BYTES, 16 * d * d)
    if total <= chunk:
        return [np.asarray(a) for a in _measure(states, n_visible)]
    pad = padded_total(total, chunk) - total
    if pad:
        states = jnp.concatenate([states, jnp.repeat(states[-1:], pad, axis=0)])
    parts = [_measure(states[piece], n_visible) for piece in chunk_slices(total + pad, chunk)]
    return [np.concatenate([np.asarray(p[k]) for p in parts])[:total] for k in range(4)]


def run_task(task: Task) -> list[dict[str, Any]]:
    """Sample one ensemble and measure every instance across every cut of the task.

    Pure in ``(task.point, task.seed)``. QBM tasks return
    :func:`ebp.studies.qbm_typicality.qbm_trace_distance_rows` (instance i from
    ``SeedSequence([task.seed, n_H, i])``). Circuit angles are i.i.d. uniform on [0, 2π) from
    ``numpy.random.default_rng``; the Pauli network's random Hamiltonian and the angles use
    independent children of ``SeedSequence(task.seed)``; Haar and GUE states use ``task.seed``
    as their JAX seed. Per cut n_V it records S(ρ_V) and S₂(ρ_V) in bits, T = ½‖ρ_V − I/d_V‖₁,
    the Pinsker bound √(2 ln 2 (n_V − S)) ≥ 2T, and the theory values of the row.

    Returns:
        One row (a dict) per (cut, instance) with the columns :data:`COLUMNS`.
    """
    p = task.params
    if p.get("model") not in ALL_MODELS:
        raise ValueError(f"unknown model {p.get('model')!r}; allowed: {', '.join(ALL_MODELS)}.")
    if p["model"] == QBM_MODEL:  # σ_V of a Gibbs state: T, S(σ_V), S₂(σ_V) and Pinsker
        return qbm_trace_distance_rows(
            1, (p["n_qubits"] - 1,), p["samples"], task.seed, beta=p["beta"]
        )
    n = p["n_qubits"]
    rows: list[dict[str, Any]] = []
    for (layers, states), n_v in itertools.product(_ensembles(p, task.seed), p["cuts"]):
        n_h = n - n_v
        s1, s2, td, pb = _measure_batched(states, n_v)
        fixed = {
            "experiment": p["experiment"],
            "model": p["model"],
            "n_qubits": n,
            "n_visible": n_v,
            "n_hidden": n_h,
            "layers": layers,
            "cut_gates": p["cut_gates"],
        }
        theory = {
            "max_entropy_bits": float(min(n_v, n_h)),
            "page_entropy": float(page_entropy(n_v, n_h)),
            "mean_trace_distance_bound": float(mean_trace_distance_bound(n_v, n_h)),
        }
        rows.extend(
            {
                **fixed,
                "instance": i,
                "seed": task.seed,
                "entropy_bits": float(s1[i]),
                "renyi2_bits": float(s2[i]),
                "trace_distance": float(td[i]),
                "pinsker_bound": float(pb[i]),
                **theory,
            }
            for i in range(p["samples"])
        )
    return rows


# --------------------------------------------------------------------------- figures


def _shade(color: str, amount: float) -> tuple[float, float, float]:
    """Mix ``color`` with white (amount > 0) or black (amount < 0)."""
    rgb = np.asarray(to_rgb(color))
    target = np.ones(3) if amount > 0 else np.zeros(3)
    return tuple(rgb + abs(amount) * (target - rgb))


def _panels(k: int, **kw):
    """A grid of up to three panels per row for ``k`` models; unused panels hidden."""
    ncols = min(3, k)
    nrows = math.ceil(k / ncols)
    fig, axes = new_figure(nrows, ncols, width=4.6, height=3.6, **kw)
    for ax in axes.flat[k:]:
        ax.set_visible(False)
    return fig, axes


def _integer_xticks(ax) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _experiment(df: pd.DataFrame, *names: str) -> pd.DataFrame | None:
    """The rows of the named experiments, in that order; None if there are none."""
    parts = [df[df["experiment"] == e] for e in names]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return None
    return parts[0] if len(names) == 1 else pd.concat(parts, ignore_index=True)


@figure("entropy_vs_nvisible.png")
def _fig_profile(df: pd.DataFrame, config: EntanglementConfig):
    """S(ρ_V) vs n_V for a few n, one panel per model, Page curve dashed, maximum dotted."""
    if (df := _experiment(df, "profile")) is None:
        return None
    models = list(dict.fromkeys(df["model"]))
    fig, axes = _panels(len(models), sharex=True, sharey=True)
    ns = spread(sorted(df["n_qubits"].unique().tolist()), 5)
    colors = sequential_colors(ns)
    st = band(df[df["n_qubits"].isin(ns)], ["model", "n_qubits", "n_visible"], "entropy_bits")
    for ax, model in zip(axes.flat, models):
        for n in ns:
            s = st[(st["model"] == model) & (st["n_qubits"] == n)].sort_values("n_visible")
            nv = np.arange(1, n)
            ax.plot(nv, page_entropy(nv, n - nv), "--", color=colors[n], lw=1.2)
            ax.plot(nv, np.minimum(nv, n - nv), ":", color=colors[n], lw=0.9, alpha=0.7)
            ax.errorbar(s["n_visible"], s["mean"], yerr=s["std"].fillna(0), fmt="o",
                        color=colors[n], ms=4)  # fmt: skip
        ax.set_title(model_label(model))
        _integer_xticks(ax)
    for ax in axes[-1]:
        ax.set_xlabel("visible qubits $n_V$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$S(\\rho_V)$ [bits]")
    handles = [Line2D([], [], color=colors[n], marker="o", ls="", label=f"n = {n}") for n in ns]
    handles += [
        Line2D([], [], color=THEORY_COLOR, ls="--", label="Page mean (Haar), same colour per n"),
        Line2D([], [], color=THEORY_COLOR, ls=":", label="maximum $\\min(n_V, n_H)$ bits"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 5))
    fig.suptitle("Entanglement entropy across the V|H cut (markers: mean ± 1 s.d. over instances)")
    return fig


@figure("entropy_balanced.png")
def _fig_balanced(df: pd.DataFrame, config: EntanglementConfig):
    """S(ρ_V) at the balanced cut vs n, all models in one panel, against Page and the maximum."""
    if (df := _experiment(df, "profile")) is None:
        return None
    bal = df[df["n_visible"] == df["n_qubits"] // 2]
    st = band(bal, ["model", "n_qubits"], "entropy_bits")
    fig, axes = new_figure(width=7.4, height=4.8)
    ax = axes[0, 0]
    ns = np.arange(bal["n_qubits"].min(), bal["n_qubits"].max() + 1)
    ax.plot(ns, ns // 2, ":", color=THEORY_COLOR, drawstyle="steps-mid",
            label="maximum $\\lfloor n/2 \\rfloor$ bits")  # fmt: skip
    ax.plot(ns, page_entropy(ns // 2, ns - ns // 2), "--", color="black", label="Page mean (Haar)")
    models = list(dict.fromkeys(bal["model"]))
    for j, model in enumerate(models):
        s = st[st["model"] == model].sort_values("n_qubits")
        dx = 0.06 * (j - (len(models) - 1) / 2)  # small offsets keep error bars apart
        ax.errorbar(s["n_qubits"] + dx, s["mean"], yerr=s["std"].fillna(0), fmt="o-",
                    color=model_color(model), label=model_label(model), ms=4, lw=1)  # fmt: skip
    _integer_xticks(ax)
    ax.set_xlabel("qubits $n$ (balanced cut $n_V = \\lfloor n/2 \\rfloor$)")
    ax.set_ylabel("$S(\\rho_V)$ [bits]")
    ax.set_title("Volume law at the balanced cut (mean ± 1 s.d. over instances)")
    ax.legend(loc="upper left")
    return fig


DODGE = 0.018
"""T and its Pinsker bound are drawn at d_H·2^(∓δ), δ = DODGE × (log₂ range of d_H): about 12 pt
apart on a panel, side by side instead of on top of each other."""


@figure("trace_distance_vs_dhidden.png")
def _fig_trace_distance(df: pd.DataFrame, config: EntanglementConfig):
    """The paper's plot: T at d_V = 2 vs d_H, log-log, with ½√(d_V/d_H) and the Pinsker bound
    (experiments ``profile`` and ``qbm``)."""
    if (df := _experiment(df, "profile", "qbm")) is None:
        return None
    d1 = df[df["n_visible"] == 1].copy()
    d1["d_hidden"] = 2.0 ** d1["n_hidden"]
    d1["pinsker_half"] = d1["pinsker_bound"] / 2
    td = band(d1, ["model", "d_hidden"], "trace_distance")
    pk = band(d1, ["model", "d_hidden"], "pinsker_half")
    models = list(dict.fromkeys(d1["model"]))
    fig, axes = _panels(len(models), sharex=True, sharey=True)
    dh = np.geomspace(d1["d_hidden"].min(), d1["d_hidden"].max(), 50)
    shift = 2.0 ** (DODGE * max(1.0, np.log2(dh[-1] / dh[0])))
    for ax, model in zip(axes.flat, models):
        c = model_color(model)
        t = td[td["model"] == model].sort_values("d_hidden")
        q = pk[pk["model"] == model].sort_values("d_hidden")
        ax.plot(dh, 0.5 * np.sqrt(2.0 / dh), "-", color=THEORY_COLOR, lw=1.4)
        # side by side at each d_H, so that neither marker hides the other
        ax.plot(q["d_hidden"] * shift, q["mean"], "--", color=c, marker="s", mfc="none", ms=5)
        ax.errorbar(
            t["d_hidden"] / shift,
            t["mean"],
            yerr=error_bars(t["mean"], t["q16"], t["q84"]),
            fmt="o",
            color=c,
            ms=5,
        )
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_title(model_label(model))
    for ax in axes[-1]:
        ax.set_xlabel("hidden dimension $d_H = 2^{n_H}$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$T = \\frac{1}{2}\\|\\rho_V - I/2\\|_1$")
    handles = [
        Line2D([], [], color=THEORY_COLOR, ls="-", lw=1.4,
               label="typicality bound on $E[T]$: $\\frac{1}{2}\\sqrt{d_V/d_H}$"),
        Line2D([], [], color=THEORY_COLOR, marker="o", ls="",
               label="$T$: mean, bar = 16–84 % of instances"),
        Line2D([], [], color=THEORY_COLOR, ls="--", marker="s", mfc="none",
               label="Pinsker bound / 2: mean of $\\frac{1}{2}\\sqrt{2\\ln 2\\,(1 - S(\\rho_V))}$"
                     " (drawn right of T)"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=3)
    fig.suptitle("Distance of the visible qubit ($d_V = 2$) from the maximally mixed state "
                 "vs $d_H$")  # fmt: skip
    return fig


@figure("trace_distance_histograms.png")
def _fig_histograms(df: pd.DataFrame, config: EntanglementConfig):
    """Histograms of T at d_V = 2 for growing n_H, one panel per model, log-spaced bins."""
    if (df := _experiment(df, "histogram")) is None:
        return None
    models = list(dict.fromkeys(df["model"]))
    fig, axes = new_figure(1, len(models), width=5.4, height=4.2, sharey=True)
    nhs = sorted(df["n_hidden"].unique().tolist())
    colors = sequential_colors(nhs)
    positive = df["trace_distance"][df["trace_distance"] > 0]
    lo = max(positive.quantile(0.001) if len(positive) else 1e-4, 1e-6)
    bins = np.geomspace(lo, 0.5, 40)
    for ax, model in zip(axes.flat, models):
        for h in nhs:
            t = df[(df["model"] == model) & (df["n_hidden"] == h)]["trace_distance"].clip(lower=lo)
            ax.hist(t, bins=bins, histtype="stepfilled", alpha=0.2, color=colors[h])
            ax.hist(t, bins=bins, histtype="step", color=colors[h], lw=1.3,
                    label=f"$n_H$ = {h}  ({len(t)} instances)")  # fmt: skip
            ax.axvline(mean_trace_distance_bound(1, h), color=colors[h], ls="--", lw=1.1)
        ax.set_xscale("log")
        ax.set_xlabel("$T = \\frac{1}{2}\\|\\rho_V - I/2\\|_1$  (log scale)")
        ax.set_title(model_label(model))
        ax.legend(loc="upper left", fontsize=8)
    axes[0, 0].set_ylabel("instances per bin")
    fig.suptitle("Trace distance at $d_V = 2$ shrinks as $n_H$ grows "
                 "(dashed: bound $\\frac{1}{2}\\sqrt{2/d_H}$ on the mean)")  # fmt: skip
    return fig


@figure("entropy_vs_depth.png")
def _fig_depth(df: pd.DataFrame, config: EntanglementConfig):
    """S(ρ_V) vs layers at the balanced cut; Page and the 2k-bit caps of bounded_cut drawn."""
    if (df := _experiment(df, "depth")) is None:
        return None
    n, n_v = int(df["n_qubits"].iloc[0]), int(df["n_visible"].iloc[0])
    max_bits = min(n_v, n - n_v)
    st = band(df, ["model", "cut_gates", "layers"], "entropy_bits")
    fig, axes = new_figure(width=7.2, height=5.0)
    ax = axes[0, 0]
    ax.axhline(page_entropy(n_v, n - n_v), color="black", ls="--", label="Page mean (Haar)")
    ax.axhline(max_bits, color=THEORY_COLOR, ls=":", label=f"maximum {max_bits} bits")
    markers = "xv^Ds*"
    for model in dict.fromkeys(df["model"]):
        s = st[st["model"] == model]
        if model not in SPLIT_DEPENDENT:
            s = s.sort_values("layers")
            ax.errorbar(s["layers"], s["mean"], yerr=s["std"].fillna(0), fmt="o-",
                        color=model_color(model), label=model_label(model), ms=5)  # fmt: skip
            continue
        ks = sorted(s["cut_gates"].dropna().astype(int).unique().tolist())
        for j, k in enumerate(ks):
            sk = s[s["cut_gates"] == k].sort_values("layers")
            c = _shade(model_color(model), 0.5 * (j - (len(ks) - 1) / 2) / max(1, len(ks) - 1))
            ax.errorbar(sk["layers"], sk["mean"], yerr=sk["std"].fillna(0), fmt="-",
                        marker=markers[j % len(markers)], color=c, ms=6,
                        label=f"{model_label(model)}, k = {k} (cap 2k = {2 * k} bits)")  # fmt: skip
            if 0 < 2 * k < max_bits + 0.4:
                ax.axhline(2 * k, color=c, ls="-.", lw=1.0)
    ax.set_xscale("log", base=2)
    layers = sorted(df["layers"].dropna().astype(int).unique().tolist())
    ax.set_xticks(layers, [str(v) for v in layers])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("circuit layers (log scale)")
    ax.set_ylabel("$S(\\rho_V)$ [bits]")
    ax.set_ylim(-0.15, max_bits + 0.4)
    ax.set_title(f"Entanglement growth with depth: n = {n}, $n_V$ = {n_v} (mean ± 1 s.d.)\n"
                 "dash-dot: area-law cap $S \\leq 2k$ bits for k gates across the cut",
                 fontsize=11)  # fmt: skip
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


make_figures = figures(
    _fig_profile, _fig_balanced, _fig_trace_distance, _fig_histograms, _fig_depth
)


STUDY = Study(
    name="entanglement",
    description=(
        "C1-C2: V|H entanglement of Haar, GUE and random circuits vs Page's curve; "
        "trace distance of rho_V to I/d_V vs d_H, with a random QBM beside them"
    ),
    config_model=EntanglementConfig,
    quick_config=quick_config,
    points=points,
    run_task=run_task,
    make_figures=make_figures,
)
