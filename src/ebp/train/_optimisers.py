"""Optimisers: gradient descent through optax, and the gradient-free methods.

Every optimiser is a small frozen value with a ``name`` and one method,
``minimise(oracle, x0, rng)``, that queries the :class:`~ebp.train._oracle.Oracle` (which charges
the budget and raises ``BudgetExhausted`` when it is spent) and calls ``oracle.record(x)`` after
each iteration. They loop until the budget ends; methods that converge on their own
(Nelder–Mead, Powell, COBYLA) restart from where they stopped, so every method spends the same
budget. Randomness comes only from ``rng``.

* gradient descent: any optax ``GradientTransformation`` (:func:`adam`, :func:`sgd` with
  momentum, or :func:`gradient_descent` for your own);
* Nelder–Mead, Powell, COBYLA: ``scipy.optimize.minimize``;
* CMA-ES: the ``cma`` package (Hansen), ask/tell with the population evaluated as one batch;
* SPSA: Spall's simultaneous-perturbation stochastic approximation, IEEE TAC 37, 332 (1992),
  with the standard gains a_k = a/(k+1+A)^0.602, c_k = c/(k+1)^0.101 (Spall, IEEE TAES 34, 817
  (1998));
* random search: the best of random model initialisations, the floor every method should beat.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ._oracle import Oracle

__all__ = [
    "CMAES",
    "GradientDescent",
    "OPTIMISERS",
    "Optimiser",
    "RandomSearch",
    "SPSA",
    "ScipyMinimiser",
    "adam",
    "cma_es",
    "cobyla",
    "get_optimiser",
    "gradient_descent",
    "nelder_mead",
    "powell",
    "random_search",
    "sgd",
    "spsa",
]


class Optimiser:
    """Base class; see the module docstring."""

    name = "optimiser"
    family = "gradient-free"

    def minimise(self, oracle: Oracle, x0: np.ndarray, rng: np.random.Generator) -> None:
        """Query ``oracle`` from ``x0`` until its budget is spent, calling ``oracle.record(x)``
        after each iteration; randomness only from ``rng``."""
        raise NotImplementedError  # pragma: no cover

    def fingerprint(self) -> str:
        """What a checkpoint stores to recognise the optimiser."""
        return repr(self)


@dataclass(frozen=True)
class GradientDescent(Optimiser):
    """Gradient descent with an optax transform, ``x ← x + update(∇L)`` each step.

    Attributes:
        make: ``() -> optax.GradientTransformation`` (built per run, so state never leaks).
        label: the name shown in tables and checked by checkpoints.
        compiled: whether the step (transform and update) is compiled, once per optimiser
            object and shared by all its runs (about 1.7 ms per step eagerly, tens of µs
            compiled); needs a transform JAX can trace. :func:`adam` and :func:`sgd` set it and
            return the same object for the same hyperparameters.
    """

    make: Callable[[], Any] = field(repr=False)
    label: str = "gradient-descent"
    compiled: bool = False
    family = "gradient"

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.label

    def fingerprint(self) -> str:
        return self.label

    def minimise(self, oracle, x0, rng):
        import jax.numpy as jnp

        tx = self.make()
        step = _compiled_step(self, tx) if self.compiled else _step(tx)
        x = jnp.asarray(x0, dtype=jnp.float64)
        state = tx.init(x)
        while True:
            g = jnp.asarray(oracle.gradient(np.asarray(x)))
            x, state = step(g, state, x)
            oracle.record(np.asarray(x))


def _step(tx) -> Callable:
    """``(g, state, x) -> (x + update, state)`` for the optax transform ``tx``."""
    import optax

    def step(g, state, x):
        updates, state = tx.update(g, state, x)
        return optax.apply_updates(x, updates), state

    return step


_COMPILED_STEPS: dict[GradientDescent, Callable] = {}


def _compiled_step(optimiser: GradientDescent, tx) -> Callable:
    """:func:`_step` compiled, one per optimiser object (equal objects share ``make``, so their
    transforms are the same), so runs after the first reuse it."""
    import jax

    if optimiser not in _COMPILED_STEPS:
        _COMPILED_STEPS[optimiser] = jax.jit(_step(tx))
    return _COMPILED_STEPS[optimiser]


def gradient_descent(transform, label: str = "custom-optax") -> GradientDescent:
    """Gradient descent with any optax transform (or a zero-argument factory of one).

    ``label`` names the run; a checkpoint can only check the label, not the transform's
    hyperparameters, so give different transforms different labels.
    """
    import optax

    if isinstance(transform, optax.GradientTransformation):
        return GradientDescent(lambda: transform, label)
    if callable(transform):
        return GradientDescent(transform, label)
    raise TypeError(f"expected an optax GradientTransformation; got {type(transform).__name__}.")


def _positive(name: str, value: float) -> float:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number; got {value!r}.")
    return float(value)


def adam(learning_rate: float = 0.05) -> GradientDescent:
    """Adam (Kingma & Ba, arXiv:1412.6980) through ``optax.adam``."""
    return _adam(_positive("learning_rate", learning_rate))


def sgd(learning_rate: float = 0.1, momentum: float = 0.9) -> GradientDescent:
    """Stochastic gradient descent with (heavy-ball) momentum through ``optax.sgd``."""
    lr = _positive("learning_rate", learning_rate)
    if not (isinstance(momentum, (int, float)) and 0 <= momentum < 1):
        raise ValueError(f"momentum must be in [0, 1); got {momentum!r}.")
    return _sgd(lr, float(momentum))


# The same object for the same hyperparameters: it keys the compiled step (_compiled_step).
@lru_cache(maxsize=64)
def _adam(lr: float) -> GradientDescent:
    import optax

    return GradientDescent(lambda: optax.adam(lr), f"adam(lr={lr:g})", compiled=True)


@lru_cache(maxsize=64)
def _sgd(lr: float, momentum: float) -> GradientDescent:
    import optax

    return GradientDescent(
        lambda: optax.sgd(lr, momentum=momentum or None),
        f"sgd(lr={lr:g},momentum={momentum:g})",
        compiled=True,
    )


@dataclass(frozen=True)
class ScipyMinimiser(Optimiser):
    """``scipy.optimize.minimize`` with a gradient-free method, restarted until the budget ends.

    Attributes:
        method: ``"Nelder-Mead"``, ``"Powell"`` or ``"COBYLA"``.
        step: initial exploration scale (simplex edge, trust-region radius, line-search span).
    """

    method: str
    step: float = 0.5

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.method.lower()

    def minimise(self, oracle, x0, rng):
        from scipy.optimize import minimize

        x = np.asarray(x0, dtype=np.float64)
        n = len(x)
        while True:
            options: dict[str, Any] = {"maxiter": 10**9}
            if self.method == "Nelder-Mead":
                simplex = np.vstack([x, x + self.step * np.eye(n)])
                options.update(initial_simplex=simplex, maxfev=10**9, xatol=1e-8, fatol=1e-10)
            elif self.method == "COBYLA":
                options.update(rhobeg=self.step, tol=1e-8)
            elif self.method == "Powell":
                options.update(maxfev=10**9, xtol=1e-6, ftol=1e-10, direc=self.step * np.eye(n))
            before = oracle.spent
            res = minimize(
                oracle.loss,
                x,
                method=self.method,
                options=options,
                callback=lambda *a, **k: oracle.record(_callback_x(a, k)),
            )
            x = np.asarray(res.x, dtype=np.float64)
            oracle.record(x)
            if oracle.spent == before:  # pragma: no cover - a restart that cannot move
                return


def _callback_x(args, kwargs) -> np.ndarray:
    """scipy passes either ``intermediate_result`` (an OptimizeResult) or ``xk``."""
    arg = kwargs.get("intermediate_result", args[0] if args else None)
    return np.asarray(getattr(arg, "x", arg), dtype=np.float64)


def nelder_mead(step: float = 0.5) -> ScipyMinimiser:
    """Nelder–Mead simplex (scipy), initial simplex edge ``step``."""
    return ScipyMinimiser("Nelder-Mead", _positive("step", step))


def powell(step: float = 0.5) -> ScipyMinimiser:
    """Powell's conjugate-direction method (scipy), initial directions of length ``step``."""
    return ScipyMinimiser("Powell", _positive("step", step))


def cobyla(step: float = 0.5) -> ScipyMinimiser:
    """COBYLA, linear-approximation trust region (scipy), initial radius ``step``."""
    return ScipyMinimiser("COBYLA", _positive("step", step))


@dataclass(frozen=True)
class CMAES(Optimiser):
    """CMA-ES (``cma`` package) with initial step ``sigma0`` and population ``popsize``
    (default 4 + ⌊3 ln n⌋); the mean of the search distribution is the recorded iterate."""

    sigma0: float = 0.5
    popsize: int | None = None
    name = "cma-es"

    def minimise(self, oracle, x0, rng):
        import cma

        opts = {
            "verbose": -9,
            "seed": int(rng.integers(1, 2**31 - 1)),
            "maxiter": 10**9,
            "tolfun": 0,
            "tolx": 0,
            "tolfunhist": 0,
            "tolstagnation": 10**9,
            "randn": lambda *shape: rng.standard_normal(shape),
        }
        if self.popsize is not None:
            opts["popsize"] = int(self.popsize)
        es = cma.CMAEvolutionStrategy(np.asarray(x0, dtype=np.float64), self.sigma0, opts)
        while True:
            candidates = np.asarray(es.ask())
            values = oracle.losses(candidates)
            es.tell(list(candidates), values.tolist())
            oracle.record(np.asarray(es.mean), float(np.min(values)))


def cma_es(sigma0: float = 0.5, popsize: int | None = None) -> CMAES:
    """CMA-ES (Hansen & Ostermeier, Evol. Comput. 9, 159 (2001)) through ``cma``."""
    if popsize is not None and (not isinstance(popsize, int) or popsize < 2):
        raise ValueError(f"popsize must be an int >= 2 or None; got {popsize!r}.")
    return CMAES(_positive("sigma0", sigma0), popsize)


@dataclass(frozen=True)
class SPSA(Optimiser):
    """SPSA: x ← x − a_k ĝ, ĝ = [L(x + c_kΔ) − L(x − c_kΔ)]/(2c_k) · Δ, Δ ∈ {±1}^n.

    Two loss evaluations per step whatever the dimension.
    """

    a: float = 0.2
    c: float = 0.2
    stability: float = 10.0
    alpha: float = 0.602
    gamma: float = 0.101
    name = "spsa"

    def minimise(self, oracle, x0, rng):
        x = np.asarray(x0, dtype=np.float64).copy()
        k = 0
        while True:
            ak = self.a / (k + 1 + self.stability) ** self.alpha
            ck = self.c / (k + 1) ** self.gamma
            delta = rng.choice([-1.0, 1.0], size=len(x))
            pair = oracle.losses(np.stack([x + ck * delta, x - ck * delta]))
            x = x - ak * (pair[0] - pair[1]) / (2 * ck) * delta
            k += 1
            oracle.record(x, float(pair.mean()))


def spsa(a: float = 0.2, c: float = 0.2, stability: float = 10.0) -> SPSA:
    """SPSA with gains a/(k+1+A)^0.602 and c/(k+1)^0.101 (A = ``stability``)."""
    return SPSA(_positive("a", a), _positive("c", c), float(stability))


@dataclass(frozen=True)
class RandomSearch(Optimiser):
    """Evaluate random model initialisations in batches; keep the best estimate."""

    batch: int = 8
    name = "random-search"

    def minimise(self, oracle, x0, rng):
        best_x, best = np.asarray(x0, dtype=np.float64), math.inf
        while True:
            xs = np.stack([oracle.random_point(rng) for _ in range(self.batch)])
            values = oracle.losses(xs)
            i = int(np.argmin(values))
            if values[i] < best:
                best_x, best = xs[i], float(values[i])
            oracle.record(best_x, best)


def random_search(batch: int = 8) -> RandomSearch:
    """Random search over the model's random initialisations."""
    if not isinstance(batch, int) or batch < 1:
        raise ValueError(f"batch must be an int >= 1; got {batch!r}.")
    return RandomSearch(batch)


OPTIMISERS: dict[str, Callable[[], Optimiser]] = {
    "adam": adam,
    "sgd": sgd,
    "nelder-mead": nelder_mead,
    "powell": powell,
    "cobyla": cobyla,
    "cma-es": cma_es,
    "spsa": spsa,
    "random-search": random_search,
}
"""Optimisers by name, each with its default settings."""


def get_optimiser(name, **settings) -> Optimiser:
    """An optimiser by name (see :data:`OPTIMISERS`), or pass an :class:`Optimiser` through."""
    if isinstance(name, Optimiser):
        return name
    try:
        factory = OPTIMISERS[name]
    except (KeyError, TypeError):
        known = ", ".join(OPTIMISERS)
        raise ValueError(f"unknown optimiser {name!r}; known optimisers: {known}.") from None
    return factory(**settings)
