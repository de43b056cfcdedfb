"""Gradient statistics over random parameters: variances, norms, cost concentration, Lipschitz.

Over S parameter vectors θ_s drawn from a stated distribution, with g_s = ∇C(θ_s) exact
(adjoint method, batched):

* per partial derivative: mean E[∂_k C] and variance Var[∂_k C];
* mean squared gradient norm E‖∇C‖² and the variance of the ∞-norm Var[max_k |∂_k C|] (the
  quantity of arXiv:2010.15968, Fig. 3b);
* cost concentration: Var[C(θ)];
* an *empirical Lipschitz constant* L̂ = max_s ‖g_s‖, then increased by a local maximisation of
  ‖∇C‖ started from the samples with the largest norms. Both are lower bounds on the true
  Lipschitz constant sup_θ ‖∇C(θ)‖ (the quantity bounded in claim C3 of arXiv:2010.15968).

Every scalar statistic comes with a percentile bootstrap confidence interval over the samples
(B. Efron & R. Tibshirani, *An Introduction to the Bootstrap*, 1993; ``scipy.stats.bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import check_count
from .._chunks import chunk_slices
from .._progress import Bar, show_progress
from ..circuit import Circuit
from ._evaluate import value_and_gradient, value_and_gradients
from ._objectives import as_objective

__all__ = [
    "DISTRIBUTIONS",
    "GradientStatistics",
    "bootstrap_interval",
    "gradient_statistics",
    "gradient_statistics_many",
    "probe_parameters",
    "sample_parameters",
]

DISTRIBUTIONS = ("uniform", "small_angle")
"""Built-in parameter distributions: θ_k ~ U[0, 2π) or θ_k ~ N(0, scale²); see also
:func:`identity_block_distribution`."""


def identity_block_distribution(block: Circuit, repeats: int = 1) -> Callable:
    """A ``distribution`` for circuits built by :func:`ebp.ansatz.identity_block` (block, repeats):
    θ_r ~ U[0, 2π) for each copy and θ'_r = m(θ_r), so every draw is the identity circuit
    (Grant et al., arXiv:1903.05076)."""
    from ..ansatz import identity_block_parameters

    def draw(rng: np.random.Generator, samples: int, n_params: int) -> np.ndarray:
        theta = rng.uniform(0.0, 2 * np.pi, size=(samples, repeats, block.n_params))
        return identity_block_parameters(block, theta, repeats)

    return draw


def sample_parameters(
    n_params: int, samples: int, seed: int, *, distribution="uniform", scale: float = 0.1
) -> np.ndarray:
    """Draw ``(samples, n_params)`` parameter vectors from ``numpy.random.default_rng(seed)``.

    ``distribution`` is ``"uniform"`` (θ ~ U[0, 2π), the default), ``"small_angle"``
    (θ ~ N(0, scale²), near the identity for rotation gates) or a callable
    ``draw(rng, samples, n_params) -> array`` such as :func:`identity_block_distribution`.
    """
    check_count("samples", samples)
    rng = np.random.default_rng(seed)
    if callable(distribution):
        out = np.asarray(distribution(rng, int(samples), int(n_params)), dtype=np.float64)
        if out.shape != (samples, n_params):
            raise ValueError(
                f"a custom distribution must return shape ({samples}, {n_params}); got {out.shape}."
            )
        return out
    if distribution == "uniform":
        return rng.uniform(0.0, 2 * np.pi, size=(samples, n_params))
    if distribution == "small_angle":
        if not scale > 0:
            raise ValueError(f"scale must be > 0 for small_angle draws; got {scale!r}.")
        return rng.normal(0.0, scale, size=(samples, n_params))
    raise ValueError(
        f"unknown distribution {distribution!r}; allowed: {', '.join(DISTRIBUTIONS)} "
        "or a callable draw(rng, samples, n_params)."
    )


def probe_parameters(
    circuit: Circuit, *, layer: int | None = None, register: str = "visible"
) -> tuple[int, ...]:
    """Parameter slots of the gates in one layer that touch a register.

    By default: the middle layer (``n_layers // 2``) and the gates acting on at least one visible
    wire. In a deep circuit these parameters sit between two (approximate) 2-designs, the
    setting of the closed form :func:`ebp.theory.two_design_gradient_variance`.
    """
    layers = circuit.layers()
    index = len(layers) // 2 if layer is None else layer
    if not -len(layers) <= index < len(layers):
        raise ValueError(f"layer must be in 0..{len(layers) - 1}; got {layer}.")
    if register not in ("visible", "hidden", "all"):
        raise ValueError(f"register must be 'visible', 'hidden' or 'all'; got {register!r}.")
    nv = circuit.n_visible

    def touches(wires) -> bool:
        if register == "all":
            return True
        return any((w < nv) == (register == "visible") for w in wires)

    slots = [s for op in layers[index] if touches(op.wires) for s in op.slots]
    return tuple(dict.fromkeys(slots))


def bootstrap_interval(
    data, statistic: Callable, *, confidence: float = 0.95, n_resamples: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over samples (axis 0 of each array).

    ``data`` is an array ``(S,)`` or a tuple of paired arrays ``(S,)``; ``statistic(*arrays,
    axis=-1)`` must be vectorised. Degenerate data (all resamples equal) give a point interval.
    """
    arrays = data if isinstance(data, tuple) else (data,)
    arrays = tuple(np.asarray(a, dtype=np.float64) for a in arrays)
    if arrays[0].shape[0] < 2:
        raise ValueError("a bootstrap interval needs at least 2 samples.")
    values = statistic(*arrays, axis=-1)
    if all(np.ptp(a) == 0 for a in arrays):
        return float(values), float(values)
    import scipy.stats  # here, not at module level: it adds ~0.3 s to `import ebp`

    res = scipy.stats.bootstrap(
        arrays,
        statistic,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        paired=len(arrays) > 1,
        vectorized=True,
        axis=-1,
        rng=np.random.default_rng(seed),
        batch=max(1, 2_000_000 // arrays[0].size),
    )
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def _var(x, axis=-1):
    return np.var(x, axis=axis, ddof=1)


def _mean(x, axis=-1):
    return np.mean(x, axis=axis)


def _max(x, axis=-1):
    return np.max(x, axis=axis)


def _mean_of_vars(*xs, axis=-1):
    return np.mean([np.var(x, axis=axis, ddof=1) for x in xs], axis=0)


@dataclass(frozen=True)
class GradientStatistics:
    """Results of :func:`gradient_statistics`; arrays are numpy, intervals are (low, high).

    Attributes:
        samples: number of parameter vectors S.
        distribution: how the parameters were drawn.
        confidence: level of the bootstrap intervals (every ``*_ci``).
        costs: C(θ_s), shape (S,).
        gradients: ∇C(θ_s), shape (S, n_params).
        rho_visible: ρ_V(θ_s), shape (S, d_V, d_V).
        grad_mean: per-parameter mean of ∂_k C, shape (n_params,).
        grad_var: per-parameter variance of ∂_k C (ddof=1), shape (n_params,).
        probe: parameter slots averaged in :attr:`probe_var`.
        probe_var: mean over the probe of Var[∂_k C].
        probe_var_ci: bootstrap interval of ``probe_var``.
        mean_sq_norm: E‖∇C‖².
        mean_sq_norm_ci: bootstrap interval of ``mean_sq_norm``.
        inf_norm_mean: mean of ‖∇C‖_∞.
        inf_norm_var: variance of ‖∇C‖_∞.
        inf_norm_var_ci: bootstrap interval of ``inf_norm_var``.
        cost_mean: mean of C (cost concentration).
        cost_var: variance of C.
        cost_var_ci: bootstrap interval of ``cost_var``.
        lipschitz_sampled: max_s ‖∇C(θ_s)‖.
        lipschitz_sampled_ci: bootstrap interval of ``lipschitz_sampled``.
        lipschitz: the largest gradient norm found, including the local maximisation.
        n_gradients: gradient vectors computed in total (samples + Lipschitz search).
    """

    samples: int
    distribution: str
    confidence: float
    costs: np.ndarray = field(repr=False)
    gradients: np.ndarray = field(repr=False)
    rho_visible: np.ndarray = field(repr=False)
    grad_mean: np.ndarray = field(repr=False)
    grad_var: np.ndarray = field(repr=False)
    probe: tuple[int, ...]
    probe_var: float
    probe_var_ci: tuple[float, float]
    mean_sq_norm: float
    mean_sq_norm_ci: tuple[float, float]
    inf_norm_mean: float
    inf_norm_var: float
    inf_norm_var_ci: tuple[float, float]
    cost_mean: float
    cost_var: float
    cost_var_ci: tuple[float, float]
    lipschitz_sampled: float
    lipschitz_sampled_ci: tuple[float, float]
    lipschitz: float
    n_gradients: int

    def summary(self) -> dict[str, float]:
        """The scalar statistics as a flat dict (``*_lo`` / ``*_hi`` for interval ends)."""
        out: dict[str, float] = {"samples": self.samples, "n_gradients": self.n_gradients}
        for name in ("probe_var", "mean_sq_norm", "inf_norm_var", "cost_var", "lipschitz_sampled"):
            out[name] = getattr(self, name)
            lo, hi = getattr(self, name + "_ci")
            out[name + "_lo"], out[name + "_hi"] = lo, hi
        out.update(
            inf_norm_mean=self.inf_norm_mean,
            cost_mean=self.cost_mean,
            lipschitz=self.lipschitz,
            grad_var_mean=float(np.mean(self.grad_var)),
        )
        return out

    def grad_var_ci(self, *, n_resamples: int = 1000, seed: int = 0) -> np.ndarray:
        """Per-parameter bootstrap intervals of Var[∂_k C], shape (2, n_params)."""
        out = np.empty((2, self.gradients.shape[1]))
        for k in range(self.gradients.shape[1]):
            out[:, k] = bootstrap_interval(
                self.gradients[:, k],
                _var,
                confidence=self.confidence,
                n_resamples=n_resamples,
                seed=seed,
            )
        return out


def _local_lipschitz(
    circuit, objective, starts, grads, steps, initial_state, dtype, step_size=0.1, eps=1e-4
):
    """Ascend ‖∇C‖ from each start: direction H·g from a central difference of exact gradients.

    ∇(½‖∇C‖²) = H ∇C, with H the Hessian; H u ≈ [∇C(θ+εu) − ∇C(θ−εu)]/(2ε) for u = ∇C/‖∇C‖.
    A step of length ``step_size`` along H u is kept when it increases the norm, otherwise the
    step is halved. Every call evaluates 2m points (m starts), so one compiled batch shape
    serves the whole search. Returns the best norm per start and the gradients computed.
    """
    theta = np.array(starts, dtype=np.float64)
    grads = np.array(grads, dtype=np.float64)
    m = len(theta)
    best = np.linalg.norm(grads, axis=1)
    size = np.full(m, step_size)

    def evaluate(points):
        return value_and_gradient(
            circuit, points, objective, initial_state=initial_state, dtype=dtype
        ).gradient

    for _ in range(steps):
        u = grads / np.maximum(best[:, None], 1e-300)
        both = evaluate(np.concatenate([theta + eps * u, theta - eps * u]))
        hu = (both[:m] - both[m:]) / (2 * eps)
        direction = hu / np.maximum(np.linalg.norm(hu, axis=1, keepdims=True), 1e-300)
        trial = theta + size[:, None] * direction
        g_trial = evaluate(np.concatenate([trial, trial]))[:m]
        n_trial = np.linalg.norm(g_trial, axis=1)
        better = n_trial > best
        theta[better], grads[better], best[better] = trial[better], g_trial[better], n_trial[better]
        size = np.where(better, size, size / 2)
    return best, 4 * m * steps


def gradient_statistics(
    circuit: Circuit,
    objective,
    samples: int = 1000,
    seed: int = 0,
    **options,
) -> GradientStatistics:
    """Gradient and cost statistics of C(θ) = f(ρ_V(θ)) over random θ (see module docstring).

    Args:
        circuit: the model.
        objective: an :class:`~ebp.landscape.Objective` or a visible observable.
        samples: number of parameter vectors S (>= 2).
        seed: seed of the parameter draws and of the bootstrap.
        **options: ``distribution``, ``scale`` (see :func:`sample_parameters`); ``probe``
            (parameter slots averaged into ``probe_var``, default :func:`probe_parameters`:
            middle layer, gates touching V); ``confidence`` and ``n_resamples`` of the bootstrap;
            ``lipschitz_starts``, ``lipschitz_steps`` (local maximisation of ‖∇C‖ from the
            samples of largest norm; 0 steps: sampled maximum only); ``initial_state``,
            ``dtype`` for the simulator; ``progress`` (a bar over the samples; default: in a
            terminal or notebook only). See :func:`gradient_statistics_many`.

    Returns:
        :class:`GradientStatistics`.
    """
    return gradient_statistics_many(circuit, [objective], samples, seed, **options)[0]


SAMPLE_CHUNK = 256
"""Parameter vectors evaluated per call in :func:`gradient_statistics_many` (one progress step)."""


def gradient_statistics_many(
    circuit: Circuit,
    objectives,
    samples: int = 1000,
    seed: int = 0,
    *,
    distribution="uniform",
    scale: float = 0.1,
    probe: tuple[int, ...] | None = None,
    confidence: float = 0.95,
    n_resamples: int = 1000,
    lipschitz_starts: int = 4,
    lipschitz_steps: int = 10,
    initial_state=None,
    dtype=None,
    progress=None,
) -> list[GradientStatistics]:
    """:func:`gradient_statistics` for several objectives on the same parameter draws and the
    same simulated states (one forward pass, one adjoint pass per objective).

    Args:
        circuit: the model.
        objectives: a sequence of :class:`~ebp.landscape.Objective` or visible observables.
        samples: number of parameter vectors S.
        seed: seed of the parameter draws and of the bootstrap.
        distribution: how parameters are drawn, see :func:`sample_parameters`.
        scale: standard deviation of the ``"small_angle"`` draws, see :func:`sample_parameters`.
        probe: parameter slots whose variances are averaged into ``probe_var``
            (default :func:`probe_parameters`: middle layer, gates touching V).
        confidence: level of the bootstrap intervals.
        n_resamples: bootstrap resamples.
        lipschitz_starts: the local maximisation of ‖∇C‖ starts from this many samples of
            largest norm.
        lipschitz_steps: steps of that maximisation (0: sampled maximum only).
        initial_state: passed to the simulator.
        dtype: passed to the simulator.
        progress: a progress bar over the samples (evaluated in chunks of
            :data:`SAMPLE_CHUNK`, with or without the bar): ``None`` (default) shows it in a
            terminal or notebook only, ``True``/``False`` force it.

    Returns:
        One :class:`GradientStatistics` per objective.
    """
    if not isinstance(circuit, Circuit):
        raise TypeError(f"expected an ebp Circuit; got {type(circuit).__name__}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}.")
    check_count("samples", samples, 2, why="variances need two")
    if circuit.n_params == 0:
        raise ValueError(
            "the circuit has no free parameters, so it has no gradient to analyse; for an "
            "imported parameter-free circuit (OpenQASM 2, a bound Qiskit circuit) import it with "
            "promote_angles=True (ebp.circuit.from_qasm / from_qiskit / from_pennylane) to make "
            "its rotation angles parameters."
        )
    objs = [as_objective(o, circuit.n_visible) for o in objectives]
    theta = sample_parameters(
        circuit.n_params, samples, seed, distribution=distribution, scale=scale
    )
    probe = probe_parameters(circuit) if probe is None else tuple(int(k) for k in probe)
    if not probe or any(not 0 <= k < circuit.n_params for k in probe):
        raise ValueError(
            f"probe must be non-empty slots in 0..{circuit.n_params - 1}; got {probe}."
        )
    parts = []
    with Bar(
        samples,
        f"gradient statistics ({circuit.n_qubits} qubits)",
        "samples",
        show_progress(progress),
    ) as bar:
        for piece in chunk_slices(samples, SAMPLE_CHUNK):
            parts.append(
                value_and_gradients(
                    circuit, theta[piece], objs, initial_state=initial_state, dtype=dtype
                )
            )
            bar.update(min(samples, piece.stop), phase="samples")
    evaluations = [
        type(chunks[0])(*(np.concatenate(field) for field in zip(*chunks)))
        for chunks in zip(*parts)
    ]
    out = []
    for obj, ev in zip(objs, evaluations):
        g, c = ev.gradient, ev.cost
        norms = np.linalg.norm(g, axis=1)
        inf_norms = np.max(np.abs(g), axis=1)
        ci: dict[str, Any] = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
        lipschitz, used = float(np.max(norms)), samples
        if lipschitz_steps > 0 and lipschitz_starts > 0:
            top = np.argsort(norms)[::-1][:lipschitz_starts]
            best, extra = _local_lipschitz(
                circuit, obj, theta[top], g[top], lipschitz_steps, initial_state, dtype
            )
            lipschitz, used = max(lipschitz, float(np.max(best))), used + extra
        out.append(
            GradientStatistics(
                samples=samples,
                distribution=distribution if isinstance(distribution, str) else "custom",
                confidence=confidence,
                costs=c,
                gradients=g,
                rho_visible=ev.rho_visible,
                grad_mean=np.mean(g, axis=0),
                grad_var=np.var(g, axis=0, ddof=1),
                probe=probe,
                probe_var=float(_mean_of_vars(*(g[:, k] for k in probe))),
                probe_var_ci=bootstrap_interval(tuple(g[:, k] for k in probe), _mean_of_vars, **ci),
                mean_sq_norm=float(np.mean(norms**2)),
                mean_sq_norm_ci=bootstrap_interval(norms**2, _mean, **ci),
                inf_norm_mean=float(np.mean(inf_norms)),
                inf_norm_var=float(_var(inf_norms)),
                inf_norm_var_ci=bootstrap_interval(inf_norms, _var, **ci),
                cost_mean=float(np.mean(c)),
                cost_var=float(_var(c)),
                cost_var_ci=bootstrap_interval(c, _var, **ci),
                lipschitz_sampled=float(np.max(norms)),
                lipschitz_sampled_ci=bootstrap_interval(norms, _max, **ci),
                lipschitz=lipschitz,
                n_gradients=int(used),
            )
        )
    return out
