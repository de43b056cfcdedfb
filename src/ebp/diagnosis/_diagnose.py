"""Diagnose a circuit's trainability on its visible light cone, exactly, at random parameters.

Everything is computed on :func:`ebp.circuit.visible_light_cone` of the circuit: ρ_V depends on
those gates only, so a wide shallow circuit costs what its cone costs, and every number is the
full circuit's (the parameters outside the cone have exactly zero gradient). At S parameter
vectors drawn as the circuit's users would (θ_k ~ U[0, 2π) by default):

* entanglement after each of up to ``entropy_points`` layers: mean S(ρ_V) in bits against Page's
  value S_Page(n_V, n_H) (:func:`ebp.theory.page_entropy`) and the maximum log₂ d_V;
* concentration: E‖ρ_V − I/d_V‖₁ and, per objective O, the largest possible deviation of
  Tr(O ρ_V) from its maximally mixed value Tr(O)/d_V, by Hölder's inequality

  .. math:: |\\mathrm{Tr}\\,O(ρ_V − I/d_V)| ≤ \\tfrac12(λ_{\\max} − λ_{\\min})\\,‖ρ_V − I/d_V‖_1,

  against the largest deviation measured;
* gradients (exact, adjoint method, :func:`ebp.landscape.gradient_statistics_many`): Var[∂_k C]
  per parameter, the dead parameters, the empirical Lipschitz constant, and the mean variance
  against its 2-design value for the whole circuit (:mod:`ebp.diagnosis._rules`);
* shots: a parameter-shift component ∂C = r[C(θ+s) − C(θ−s)] estimated from N shots per shifted
  circuit has variance ≤ 2 r² ‖O‖²/N (a single shot of O has variance ≤ ‖O‖²); resolving a
  component of the typical size √Var[∂C] (standard error equal to it) takes

  .. math:: N = 2 r^2 ‖O‖^2 / \\mathrm{Var}[∂C], \\qquad r = ½ \\text{ (Pauli rotations)};

* with ``builder(n_hidden) -> Circuit``: Var[∂C] at each size of ``hidden_sizes``, the fit
  log₂ Var = a + b·n_H (:func:`ebp.landscape.fit_scaling`) and its extrapolation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .._checks import check_count, is_int
from .._chunks import chunk_size, chunk_slices
from ..circuit import Circuit, visible_light_cone
from ..landscape import (
    fit_scaling,
    gradient_statistics_many,
    linear,
    sample_parameters,
    two_design_probe_variance,
)
from ..quantum_info import entanglement_entropy
from ..sim import simulate
from ..theory import mean_trace_distance_bound_lubkin, page_entropy
from ._result import (
    Concentration,
    Diagnosis,
    EntropyPoint,
    GradientEvidence,
    Scaling,
)
from ._rules import CONFIDENCE, SLOPE_POINTS, Z, verdict

__all__ = ["SHIFT_FACTOR", "default_observables", "diagnose"]

SHIFT_FACTOR = 0.5
"""r of the parameter-shift rule for Pauli rotations e^{−iθP/2}: ∂C = ½[C(θ+π/2) − C(θ−π/2)]."""

STATE_BYTES = 128 * 2**20
"""Bytes of output states held at once while measuring entropies."""

BOOTSTRAP_RESAMPLES = 1000
"""Bootstrap resamples behind every gradient-variance interval (percentile endpoints of a 95 %
interval need of the order of a thousand)."""

ZERO_VARIANCE = 1e-24
"""A live parameter whose gradient variance is below this is reported as numerically flat."""

REMEDIES = (
    (
        (
            "Bound the V-H coupling: a fixed number of gates across the cut keeps "
            "S(rho_V) <= 2 bits per gate at any n_hidden"
        ),
        ("ebp.ansatz.bounded_cut (ebp.ansatz.decoupled for none); study gradient-scaling"),
    ),
    (
        "Start with V and H decoupled, then switch the coupling on",
        "ebp.train.pretrain.decoupled_start; study pretraining",
    ),
    (
        "Start near the identity",
        ("ebp.train.pretrain.small_angle, ebp.train.pretrain.identity_blocks; study pretraining"),
    ),
    (
        "Fit rho_V first with a nonlinear loss (relative entropy), then the task's loss",
        "ebp.train.pretrain.generative; study pretraining",
    ),
    ("Grow the circuit layer by layer", "ebp.train.pretrain.layerwise; study pretraining"),
    (
        "Penalise S(rho_V) in a first phase",
        ("ebp.train.pretrain.entanglement_regularised; study pretraining"),
    ),
)
"""What ebp offers against an entanglement-induced plateau: (what, where)."""


def default_observables(n_visible: int) -> tuple[str, ...]:
    """Every single-qubit Pauli on the visible wires: ``X0 Y0 Z0 X1 …``."""
    return tuple(f"{p}{w}" for w in range(n_visible) for p in "XYZ")


def _prefix(circuit: Circuit, n_gates: int) -> Circuit:
    """The first ``n_gates`` gates of ``circuit`` (same parameter vector and layer marks)."""
    starts = tuple(s for s in circuit.layer_starts if s < n_gates) or (0,)
    return Circuit(
        circuit.n_visible, circuit.n_hidden, circuit.operations[:n_gates], circuit.n_params, starts
    )


def _checkpoints(circuit: Circuit, points: int) -> list[tuple[int, int]]:
    """(layers, gates) after which S(ρ_V) is measured: up to ``points`` layer ends, evenly
    spaced with the last included; a circuit with fewer layers than ``points`` is measured
    every k gates instead (``layers`` then counts the layers begun)."""
    total = len(circuit.operations)
    ends = [*circuit.layer_starts[1:], total]
    if len(ends) >= points:
        picks = sorted({round(x) for x in np.linspace(1, len(ends), points)})
        return [(k, ends[k - 1]) for k in picks]
    gates = sorted({round(x) for x in np.linspace(1, total, min(points, total))})
    return [(sum(s < g for s in circuit.layer_starts), g) for g in gates]


def _entropies(circuit: Circuit, theta: np.ndarray) -> np.ndarray:
    """S(ρ_V) in bits at each row of the original parameters ``theta``, on the light cone."""
    cone = visible_light_cone(circuit)
    reduced = cone.reduce_params(theta)
    if cone.circuit.n_hidden == 0:  # nothing entangles V with H: ρ_V is pure
        return np.zeros(len(theta))
    chunk = chunk_size(STATE_BYTES, 16 * 2**cone.circuit.n_qubits)
    out = []
    for piece in chunk_slices(len(theta), chunk):
        states = simulate(cone.circuit, reduced[piece])
        out.append(np.asarray(entanglement_entropy(states, cone.circuit.n_visible)))
    return np.concatenate(out)


def _entropy_profile(circuit: Circuit, theta: np.ndarray, points: int) -> list[EntropyPoint]:
    page = float(page_entropy(circuit.n_visible, circuit.n_hidden))
    out = []
    for n_layers, n_gates in _checkpoints(circuit, points):
        s = _entropies(_prefix(circuit, n_gates), theta)
        out.append(
            EntropyPoint(
                layer=n_layers,
                gates=n_gates,
                mean=float(np.mean(s)),
                std=float(np.std(s, ddof=1)),
                page=page,
                maximum=float(circuit.n_visible),
            )
        )
    return out


def _spectrum(label: str, n_visible: int) -> tuple[np.ndarray, float, float]:
    obj = linear(label, n_visible)
    o = np.asarray(obj.observable)
    w = np.linalg.eigvalsh(o)
    return o, float(w[-1] - w[0]), float(np.max(np.abs(w)))


def _two_design(circuit: Circuit, label: str, slots) -> float | None:
    """Mean 2-design Var[∂_k C] over ``slots`` of the whole circuit, or None where undefined."""
    try:
        value = two_design_probe_variance(circuit, label, tuple(int(s) for s in slots))
    except (ValueError, TypeError, OverflowError):
        return None
    return value if np.isfinite(value) and value > 0 else None


def visible_probe(circuit: Circuit) -> tuple[int, ...]:
    """Parameter slots of the gates that act on a visible wire (every layer): those whose
    gradient the V|H entanglement suppresses directly (arXiv:2010.15968, claim C3)."""
    nv = circuit.n_visible
    slots = [s for op in circuit.operations if min(op.wires) < nv for s in op.slots]
    return tuple(dict.fromkeys(slots))


def _shots(var: float, norm: float) -> float | None:
    return 2 * SHIFT_FACTOR**2 * norm**2 / var if var > 0 else None


def _check(circuit, samples, seed, entropy_points, observable):
    if not isinstance(circuit, Circuit):
        raise TypeError(
            f"expected an ebp Circuit; got {type(circuit).__name__}. Import one with "
            "ebp.circuit.from_qasm / from_qiskit / from_pennylane."
        )
    check_count("samples", samples, 2, why="variances need two")
    if not is_int(seed):
        raise ValueError(f"seed must be an int; got {seed!r}.")
    if (
        isinstance(entropy_points, bool)
        or not isinstance(entropy_points, int)
        or entropy_points < 1
    ):
        raise ValueError(f"entropy_points must be an int >= 1; got {entropy_points!r}.")
    if circuit.n_params == 0:
        raise ValueError(
            "the circuit has no free parameters, so there is no gradient to diagnose; import a "
            "parameter-free circuit with promote_angles=True to make its angles parameters."
        )
    if observable is not None and not isinstance(observable, str):
        raise TypeError(
            "observable must be a Pauli string on the visible wires such as "
            f"'Z0' or 'Z0 Z1'; got {type(observable).__name__}."
        )


def _gradients(
    circuit: Circuit,
    labels: Sequence[str],
    samples: int,
    seed: int,
    distribution,
    scale: float,
    lipschitz_steps: int,
):
    """Gradient statistics of each objective on the circuit's cone, at draws of the full θ."""
    cone = visible_light_cone(circuit)
    theta = sample_parameters(
        circuit.n_params, samples, seed, distribution=distribution, scale=scale
    )
    reduced = cone.reduce_params(theta)
    stats = (
        gradient_statistics_many(
            cone.circuit,
            list(labels),
            samples,
            seed,
            distribution=lambda rng, s, k: reduced,
            probe=visible_probe(cone.circuit) or None,
            lipschitz_steps=lipschitz_steps,
            confidence=CONFIDENCE,
            n_resamples=BOOTSTRAP_RESAMPLES,
            progress=False,
        )
        if cone.circuit.n_params
        else None
    )
    return cone, theta, stats


def diagnose(
    circuit: Circuit,
    observable: str | None = None,
    samples: int = 200,
    seed: int = 0,
    builder: Callable[[int], Circuit] | None = None,
    *,
    hidden_sizes: Sequence[int] = (1, 2, 3, 4, 5),
    extrapolate_to: int | None = None,
    distribution: str | Callable = "uniform",
    scale: float = 0.1,
    entropy_points: int = 8,
    lipschitz_steps: int = 5,
    name: str = "",
) -> Diagnosis:
    """Measure how trainable ``circuit`` is and give a verdict (see the module docstring).

    Args:
        circuit: the model; its ``n_visible`` wires are V, the rest H.
        observable: a Pauli string on V (``"Z0"``, ``"Z0 Z1"``); default: every single-qubit
            Pauli on V, the verdict taken for the one with the largest gradients.
        samples: parameter vectors S (>= 2).
        seed: seed of the parameter draws (and of the bootstrap intervals).
        builder: ``builder(n_hidden) -> Circuit`` for the scaling with n_hidden (same n_visible).
        hidden_sizes: the n_hidden values the builder is measured at (>= 3 distinct); the slope
            is fitted on the largest :data:`~ebp.diagnosis.SLOPE_POINTS` of them.
        extrapolate_to: n_hidden to extrapolate the fitted variance to (default: the circuit's
            own n_hidden when it is above the largest size measured, else twice that size).
        distribution: how parameters are drawn (:func:`ebp.landscape.sample_parameters`):
            ``"uniform"``, ``"small_angle"`` or a callable.
        scale: standard deviation of the ``"small_angle"`` draws, θ ~ N(0, scale²).
        entropy_points: layers at which S(ρ_V) is measured (evenly spaced, the last included).
        lipschitz_steps: steps of the local maximisation of ‖∇C‖ (0: sampled maximum only).
        name: what the circuit is called in the report.

    Returns:
        :class:`Diagnosis`.

    Raises:
        TypeError: for an argument of the wrong kind.
        ValueError: for an argument of the wrong size or value.
        LightConeTooLargeError: for a light cone too wide to simulate.
    """
    _check(circuit, samples, seed, entropy_points, observable)
    labels = (observable,) if observable is not None else default_observables(circuit.n_visible)
    spectra = {label: _spectrum(label, circuit.n_visible) for label in labels}
    cone, theta, stats = _gradients(
        circuit, labels, samples, seed, distribution, scale, lipschitz_steps
    )
    live = np.asarray(cone.params, dtype=int)
    profile = _entropy_profile(circuit, theta, entropy_points)
    d_v = 2**circuit.n_visible

    evidence = []
    rho = None
    for label, st in zip(labels, stats or [None] * len(labels)):
        o, spread, norm = _spectrum(label, circuit.n_visible) if st is None else spectra[label]
        if st is None:  # no parameter in the cone: every gradient is exactly zero
            evidence.append(
                GradientEvidence(
                    label,
                    spread,
                    norm,
                    (0.0,) * circuit.n_params,
                    0.0,
                    (0.0, 0.0),
                    None,
                    None,
                    0.0,
                    None,
                    0.0,
                    0.0,
                    0,
                )
            )
            continue
        rho = st.rho_visible
        full_var = cone.expand_gradient(st.grad_var)
        mean_var = float(st.probe_var)
        design = _two_design(circuit, label, live[list(st.probe)])
        mixed = np.trace(o).real / d_v
        deviation = float(np.max(np.abs(st.costs - mixed)))
        evidence.append(
            GradientEvidence(
                observable=label,
                spread=spread,
                norm=norm,
                variance=tuple(float(v) for v in full_var),
                mean_variance=mean_var,
                mean_variance_ci=(float(st.probe_var_ci[0]), float(st.probe_var_ci[1])),
                two_design=design,
                haar_ratio=None if design is None else mean_var / design,
                lipschitz=float(st.lipschitz),
                shots=_shots(mean_var, norm),
                cost_variance=float(st.cost_var),
                max_deviation=deviation,
                flat=int(np.sum(st.grad_var < ZERO_VARIANCE)),
            )
        )
    if rho is None:
        states = simulate(cone.circuit, cone.reduce_params(theta)[:1])
        m = np.asarray(states).reshape(1, d_v, -1)
        rho = m @ np.conj(np.swapaxes(m, -1, -2))
    w = np.linalg.eigvalsh(rho)
    norms = np.sum(np.abs(w - 1.0 / d_v), axis=-1)
    mean_norm = float(np.mean(norms))
    # one state when no parameter is in the cone: ρ_V is then the same at every θ
    half = Z * float(np.std(norms, ddof=1)) / np.sqrt(len(norms)) if len(norms) > 1 else 0.0
    concentration = Concentration(
        mean_trace_norm=mean_norm,
        trace_norm_ci=(mean_norm - half, mean_norm + half),
        max_trace_norm=float(np.max(norms)),
        haar_trace_norm=2.0
        * float(mean_trace_distance_bound_lubkin(circuit.n_visible, circuit.n_hidden)),
        deviation_bounds=tuple(0.5 * e.spread * float(np.mean(norms)) for e in evidence),
    )
    best = max(evidence, key=lambda e: e.mean_variance)
    scaling = None
    if builder is not None:
        scaling = _scaling(
            builder,
            best.observable,
            circuit,
            samples,
            seed,
            hidden_sizes,
            extrapolate_to,
            distribution,
            scale,
        )
    final = profile[-1]
    page_fraction = final.mean / final.page if final.page > 0 else None
    ratio = None
    if best.two_design is not None:
        lo, hi = best.mean_variance_ci
        ratio = (best.haar_ratio, lo / best.two_design, hi / best.two_design)
    result, reason, readings = verdict(
        haar_ratio=ratio,
        trace_norm=(mean_norm, *concentration.trace_norm_ci),
        haar_trace_norm=concentration.haar_trace_norm,
        n_visible=circuit.n_visible,
        n_hidden=circuit.n_hidden,
        slope=None
        if scaling is None
        else (
            scaling.slope,
            scaling.slope_err,
            scaling.theory_slope,
            float(max(scaling.fit_n_hidden) - min(scaling.fit_n_hidden)),
        ),
    )
    return Diagnosis(
        name=name,
        n_visible=circuit.n_visible,
        n_hidden=circuit.n_hidden,
        n_gates=len(circuit.operations),
        n_layers=circuit.n_layers,
        n_params=circuit.n_params,
        cone_qubits=cone.circuit.n_qubits,
        cone_gates=len(cone.circuit.operations),
        dead_params=tuple(int(k) for k in cone.dead_params),
        samples=int(samples),
        seed=int(seed),
        distribution=distribution if isinstance(distribution, str) else "custom",
        entropy=tuple(profile),
        page_fraction=page_fraction,
        concentration=concentration,
        gradients=tuple(evidence),
        headline=best.observable,
        scaling=scaling,
        readings=readings,
        verdict=result,
        reason=reason,
        remedies=REMEDIES if result != "trainable" else (),
    )


def _scaling(
    builder, label, circuit, samples, seed, hidden_sizes, extrapolate_to, distribution, scale
) -> Scaling:
    sizes = sorted({int(n) for n in hidden_sizes})
    if len(sizes) < 3 or sizes[0] < 0:
        raise ValueError(
            f"hidden_sizes needs at least 3 distinct n_hidden >= 0; got {tuple(hidden_sizes)}."
        )
    variances, errors, designs = [], [], []
    for n_hidden in sizes:
        c = builder(n_hidden)
        if not isinstance(c, Circuit) or c.n_visible != circuit.n_visible:
            raise TypeError(
                f"builder({n_hidden}) must return a Circuit with n_visible = "
                f"{circuit.n_visible}; got {c!r:.80}."
            )
        cone, _, stats = _gradients(c, (label,), samples, seed, distribution, scale, 0)
        if stats is None:
            raise ValueError(f"builder({n_hidden}) has no parameter in its visible light cone.")
        variances.append(float(stats[0].probe_var))
        lo, hi = stats[0].probe_var_ci
        errors.append((hi - lo) / (2 * 1.959964))  # 95 % interval -> standard error
        designs.append(_two_design(c, label, np.asarray(cone.params)[list(stats[0].probe)]))
    if min(variances) <= 0:
        raise ValueError("a gradient variance is exactly zero: no scaling fit on a log scale.")
    tail = slice(-SLOPE_POINTS, None)
    known = [d for d in designs[tail] if d is not None]
    theory = known if len(known) == len(designs[tail]) else None
    err = np.asarray(errors[tail])
    fit = fit_scaling(
        sizes[tail], variances[tail], theory=theory, y_err=err if np.all(err > 0) else None
    )
    target = extrapolate_to
    if target is None:
        target = circuit.n_hidden if circuit.n_hidden > sizes[-1] else 2 * sizes[-1]
    predicted = float(fit.predict(target))
    return Scaling(
        observable=label,
        n_hidden=tuple(sizes),
        variance=tuple(variances),
        variance_err=tuple(errors),
        fit_n_hidden=tuple(sizes[tail]),
        two_design=tuple(designs),
        slope=fit.slope,
        slope_err=fit.slope_err,
        intercept=fit.intercept,
        theory_slope=fit.theory_slope,
        extrapolate_to=int(target),
        extrapolated_variance=predicted,
        extrapolated_shots=_shots(predicted, _spectrum(label, circuit.n_visible)[2]),
    )
