"""The quantum Boltzmann machine: a parametrised Hamiltonian on V + H and its Gibbs state.

.. math:: H(θ) = \\sum_k s_k θ_k P_k,\\qquad
          ρ(θ) = \\frac{e^{−βH(θ)}}{\\operatorname{Tr} e^{−βH(θ)}},\\qquad
          σ_V(θ) = \\operatorname{Tr}_H ρ(θ),

with P_k Pauli strings on n = n_V + n_H qubits (visible wires 0 … n_V−1 first, big-endian), θ the
trainable parameters and s_k fixed scale factors (1 by default; a coupling strength g scales the
V–H terms only, :meth:`QBM.with_coupling`). The model is trained through its visible marginal
σ_V, as in M. H. Amin et al., Phys. Rev. X 8, 021050 (2018), arXiv:1601.02036 and M. Kieferová and
N. Wiebe, Phys. Rev. A 96, 062327 (2017), arXiv:1612.05204; the hidden units are what makes σ_V
mixed and, when they are strongly entangled with V, flat (arXiv:2010.15968).

A :class:`QBM` implements the model protocol of :mod:`ebp.train` (``n_visible``, ``n_params``,
``rho_visible``, ``value_and_gradient``, ``random_parameters``, ``diagnostics``), so the same
trainer runs circuits and QBMs. Everything is dense (2ⁿ × 2ⁿ); models whose working memory would
exceed :data:`MEMORY_LIMIT_BYTES` are refused when they are built.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import numpy as np

from .._checks import check_int
from .._chunks import chunk_size, chunk_slices
from .._precision import require_x64
from ..landscape import Evaluation, Objective, as_objective
from ..quantum_info import distance_to_maximally_mixed, von_neumann_entropy
from ._gibbs import (
    Spectrum,
    at_temperature,
    gibbs_matrix,
    gradient_operator,
    hidden_marginal_from,
    spectral_entropy_bits,
    thermal_spectrum,
    visible_marginal_from,
)
from ._terms import check_terms, pauli_sum, pauli_traces, term_class

__all__ = [
    "MEMORY_LIMIT_BYTES",
    "QBM",
    "evaluate_temperatures",
    "gibbs_state",
    "memory_estimate",
    "visible_marginal",
]

MEMORY_LIMIT_BYTES = 8 * 2**30
"""Largest working memory (bytes) one QBM instance may need; bigger models are refused."""

CHUNK_BYTES = 2**30
"""Working memory of one batch chunk; batches are evaluated in chunks of about this size."""

WORK_MATRICES = 10
"""Dense d × d complex128 matrices held at once while one instance is evaluated (H, U, A, K, Γ,
the eigensolver's workspace and temporaries); the basis of :func:`memory_estimate`."""


def memory_estimate(n_qubits: int) -> int:
    """Bytes of working memory for one instance on ``n_qubits``: 10 · 16 · 4ⁿ (complex128)."""
    return WORK_MATRICES * 16 * 4 ** int(n_qubits)


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.3g} GB"


def check_beta(beta: Any) -> float:
    """β as a float, or a ValueError/TypeError saying what is allowed (finite, ≥ 0)."""
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)):
        raise TypeError(f"beta must be a real number; got {type(beta).__name__}.")
    beta = float(beta)
    if not math.isfinite(beta) or beta < 0:
        raise ValueError(f"beta (inverse temperature) must be finite and >= 0; got {beta!r}.")
    return beta


@partial(jax.jit, static_argnums=0)
def _objective_step(objective: Objective, rho):
    return objective.value_and_derivative(rho)


@dataclass(frozen=True)
class QBM:
    """A quantum Boltzmann machine H(θ) = Σ_k s_k θ_k P_k on n_visible + n_hidden qubits.

    Attributes:
        n_visible: visible qubits (wires ``0 … n_visible−1``), ≥ 1.
        n_hidden: hidden qubits (the following wires), ≥ 0.
        terms: Pauli strings P_k, one letter per qubit (``"ZIX"``: Z on wire 0, X on wire 2).
        beta: inverse temperature β ≥ 0 (β = 0 gives ρ = I/d for every θ).
        scales: fixed factors s_k (default all 1); builders set the V–H ones to the coupling g.

    Example::

        model = QBM(1, 1, ("ZI", "IZ", "XX", "ZZ"), beta=2.0)
        ev = model.value_and_gradient(model.random_parameters(np.random.default_rng(0)),
                                      ebp.landscape.relative_entropy(np.diag([0.9, 0.1])))
    """

    n_visible: int
    n_hidden: int
    terms: tuple[str, ...]
    beta: float = 1.0
    scales: tuple[float, ...] | None = None

    def __post_init__(self):
        n_v = check_int("n_visible", self.n_visible, minimum=1, brief=True)
        n_h = check_int("n_hidden", self.n_hidden, minimum=0, brief=True)
        n = n_v + n_h
        need = memory_estimate(n)
        if need > MEMORY_LIMIT_BYTES:
            raise ValueError(
                f"a QBM on {n} qubits is evaluated with dense {2**n} x {2**n} complex matrices: "
                f"about {_gb(need)} of working memory per instance ({WORK_MATRICES} matrices), "
                f"above the limit of {_gb(MEMORY_LIMIT_BYTES)}; "
                f"use at most {max_qubits()} qubits in total."
            )
        terms = check_terms(self.terms, n)
        if self.scales is None:
            scales = (1.0,) * len(terms)
        else:
            if isinstance(self.scales, str) or not hasattr(self.scales, "__len__"):
                raise TypeError(
                    f"scales must be a tuple of floats; got {type(self.scales).__name__}."
                )
            if len(self.scales) != len(terms):
                raise ValueError(
                    f"scales must have one entry per term ({len(terms)}); got {len(self.scales)}."
                )
            scales = tuple(float(s) for s in self.scales)
            if not all(math.isfinite(s) for s in scales):
                raise ValueError("scales must be finite real numbers.")
        object.__setattr__(self, "n_visible", n_v)
        object.__setattr__(self, "n_hidden", n_h)
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "beta", check_beta(self.beta))
        object.__setattr__(self, "scales", scales)

    # ---------------------------------------------------------------- description
    @property
    def n_qubits(self) -> int:
        """n_visible + n_hidden."""
        return self.n_visible + self.n_hidden

    @property
    def n_params(self) -> int:
        """Number of trainable parameters (one per term)."""
        return len(self.terms)

    @property
    def dim(self) -> int:
        """Hilbert-space dimension 2ⁿ."""
        return 2**self.n_qubits

    @property
    def term_classes(self) -> tuple[str, ...]:
        """``"visible"``, ``"coupling"`` or ``"hidden"`` per term (see :func:`term_class`)."""
        return tuple(term_class(t, self.n_visible) for t in self.terms)

    def with_coupling(self, g: float) -> QBM:
        """The same model with the scale of every V–H coupling term set to ``g``."""
        g = float(g)
        if not math.isfinite(g):
            raise ValueError(f"the coupling strength g must be finite; got {g!r}.")
        assert self.scales is not None  # filled in on construction
        scales = tuple(g if c == "coupling" else s for c, s in zip(self.term_classes, self.scales))
        return dataclasses.replace(self, scales=scales)

    def with_beta(self, beta: float) -> QBM:
        """The same model at inverse temperature ``beta``."""
        return dataclasses.replace(self, beta=beta)

    # ---------------------------------------------------------------- numerics
    def check_params(self, params) -> np.ndarray:
        """``params`` as a float array of shape ``(..., n_params)``, or a clear error."""
        p = np.asarray(params)
        if np.iscomplexobj(p) or not (np.issubdtype(p.dtype, np.number) or p.dtype == bool):
            raise TypeError(f"QBM parameters must be real numbers; got dtype {p.dtype}.")
        if p.ndim == 0 or p.shape[-1] != self.n_params:
            raise ValueError(
                f"expected parameters of shape (..., {self.n_params}) for this QBM "
                f"({self.n_params} terms); got shape {p.shape}."
            )
        if p.size == 0:
            raise ValueError(f"got an empty batch of parameters (shape {p.shape}).")
        p = p.astype(np.float64)
        if not np.all(np.isfinite(p)):
            raise ValueError("QBM parameters contain NaN or infinity.")
        return p

    def _chunks(self, params):
        p = self.check_params(params)
        batch = p.shape[:-1]
        flat = p.reshape(-1, self.n_params)
        size = chunk_size(CHUNK_BYTES, memory_estimate(self.n_qubits))
        return batch, [flat[part] for part in chunk_slices(flat.shape[0], size)]

    def hamiltonian(self, params) -> np.ndarray:
        """H(θ) = Σ_k s_k θ_k P_k as dense matrices, shape ``(..., 2ⁿ, 2ⁿ)``."""
        batch, parts = self._chunks(params)
        scales = np.asarray(self.scales)
        out = [pauli_sum(self.terms, part * scales) for part in parts]
        return np.concatenate(out).reshape(batch + (self.dim, self.dim))

    def _spectrum(self, params) -> Spectrum:
        """Thermal spectrum (:class:`Spectrum`) of a flat batch ``(B, n_params)``."""
        p = self.check_params(params).reshape(-1, self.n_params)
        return thermal_spectrum(pauli_sum(self.terms, p * np.asarray(self.scales)), self.beta)

    def gibbs_state(self, params) -> np.ndarray:
        """ρ(θ) = e^{−βH}/Z, shape ``(..., 2ⁿ, 2ⁿ)`` (see :func:`gibbs_state`)."""
        batch, parts = self._chunks(params)
        out = [gibbs_matrix(self._spectrum(part)) for part in parts]
        return np.concatenate(out).reshape(batch + (self.dim, self.dim))

    def rho_visible(self, params, *, initial_state=None) -> np.ndarray:
        """σ_V(θ) = Tr_H ρ(θ), shape ``(..., d_V, d_V)``."""
        _no_initial_state(initial_state)
        batch, parts = self._chunks(params)
        out = [visible_marginal_from(self._spectrum(part), self.n_visible) for part in parts]
        d_v = 2**self.n_visible
        return np.concatenate(out).reshape(batch + (d_v, d_v))

    def value_and_gradient(self, params, objective, *, initial_state=None) -> Evaluation:
        """f(σ_V(θ)) and its exact gradient ∂f/∂θ_k, batched over leading axes of ``params``.

        ∂f/∂θ_k = s_k Tr(Γ P_k) with Γ from the Fréchet derivative of e^{−βH} (divided
        differences on the spectrum, exact also at degenerate eigenvalues; see
        :mod:`ebp.qbm._gibbs`). ``objective`` is any :class:`ebp.landscape.Objective` on the
        visible qubits (relative entropy, fidelity, …, :func:`ebp.landscape.kl_divergence`) or
        anything :func:`ebp.landscape.linear` reads.

        Returns:
            :class:`ebp.landscape.Evaluation` of numpy arrays: cost ``(...)``, gradient
                ``(..., n_params)``, rho_visible ``(..., d_V, d_V)``.
        """
        _no_initial_state(initial_state)
        return self._evaluate(params, objective, with_diagnostics=False)[0]

    def evaluate(self, params, objective) -> tuple[Evaluation, dict[str, np.ndarray]]:
        """:meth:`value_and_gradient` and :meth:`diagnostics` from one eigendecomposition.

        Returns ``(evaluation, diagnostics)`` with each diagnostic an array of the batch shape.
        """
        return self._evaluate(params, objective, with_diagnostics=True)

    def _evaluate(self, params, objective, *, with_diagnostics: bool):
        return self._evaluate_at(params, objective, (self.beta,), with_diagnostics)[0]

    def _evaluate_at(self, params, objective, betas, with_diagnostics: bool):
        """[(Evaluation, diagnostics or None) per β], one eigendecomposition per instance."""
        require_x64("the objective of a complex128 visible state")
        obj = as_objective(objective, self.n_visible)
        batch, parts = self._chunks(params)
        scales = np.asarray(self.scales)
        out: list[tuple[list, list, list, list]] = [([], [], [], []) for _ in betas]
        for part in parts:
            energies, vectors = np.linalg.eigh(pauli_sum(self.terms, part * scales))
            for beta, acc in zip(betas, out):
                self._accumulate(
                    at_temperature(energies, vectors, beta), obj, acc, with_diagnostics
                )
        return [self._collect(acc, batch, with_diagnostics) for acc in out]

    def _accumulate(self, s: Spectrum, obj: Objective, acc, with_diagnostics: bool) -> None:
        costs, grads, rhos, diags = acc
        scales = np.asarray(self.scales)
        sigma = visible_marginal_from(s, self.n_visible)
        f, g = _objective_step(obj, sigma)
        gamma = gradient_operator(s, np.asarray(g), sigma)
        grads.append(np.real(pauli_traces(self.terms, gamma)) * scales)
        del gamma
        costs.append(np.asarray(f, dtype=np.float64))
        rhos.append(sigma)
        if with_diagnostics:
            diags.append(self._diagnostics(s, sigma))

    def _collect(self, acc, batch, with_diagnostics: bool):
        costs, grads, rhos, diags = acc
        d_v = 2**self.n_visible
        ev = Evaluation(
            np.concatenate(costs).reshape(batch),
            np.concatenate(grads).reshape(batch + (self.n_params,)),
            np.concatenate(rhos).reshape(batch + (d_v, d_v)),
        )
        if not with_diagnostics:
            return ev, None
        keys = diags[0].keys()
        return ev, {k: np.concatenate([d[k] for d in diags]).reshape(batch) for k in keys}

    def _diagnostics(self, s: Spectrum, sigma_v: np.ndarray) -> dict[str, np.ndarray]:
        s_v = von_neumann_entropy(sigma_v)
        s_all = spectral_entropy_bits(s)
        if self.n_hidden:
            s_h = von_neumann_entropy(hidden_marginal_from(s, self.n_visible))
            mutual = np.maximum(s_v + s_h - s_all, 0.0)
        else:
            mutual = np.zeros_like(s_v)
        distance = 2 * distance_to_maximally_mixed(sigma_v)  # the full one-norm
        return {
            "distance_to_mixed": distance,
            "mutual_information": mutual,
            "entropy_visible": s_v,
            "entropy": s_all,
        }

    def random_parameters(self, rng: np.random.Generator) -> np.ndarray:
        """θ_k ~ N(0, 0.1²) i.i.d.: a weakly coupled, high-temperature-like start."""
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"rng must be a numpy.random.Generator (np.random.default_rng(seed)); got "
                f"{type(rng).__name__}."
            )
        return rng.normal(0.0, 0.1, self.n_params)

    def diagnostics(self, params) -> dict[str, float]:
        """Numbers to track for ONE parameter vector ``(n_params,)``.

        * ``distance_to_mixed`` = ‖σ_V − I/d_V‖₁ (the full trace norm, twice the trace distance);
        * ``mutual_information`` = I(V:H) = S(σ_V) + S(σ_H) − S(ρ) in bits (0 without hidden
          units);
        * ``entropy_visible`` = S(σ_V) and ``entropy`` = S(ρ), in bits.
        """
        p = self.check_params(params)
        if p.shape != (self.n_params,):
            raise ValueError(
                f"diagnostics takes one parameter vector of shape ({self.n_params},); "
                f"got shape {p.shape}."
            )
        s = self._spectrum(p[None])
        values = self._diagnostics(s, visible_marginal_from(s, self.n_visible))
        return {k: float(v[0]) for k, v in values.items()}


def _no_initial_state(initial_state) -> None:
    if initial_state is not None:
        raise ValueError(
            "a QBM has no input state (its state is the Gibbs state e^{-beta H}/Z); "
            "initial_state must be None."
        )


def max_qubits() -> int:
    """The largest total qubit number whose :func:`memory_estimate` fits the limit."""
    n = 1
    while memory_estimate(n + 1) <= MEMORY_LIMIT_BYTES:
        n += 1
    return n


def _check_model(model) -> QBM:
    if not isinstance(model, QBM):
        raise TypeError(f"expected an ebp.qbm.QBM; got {type(model).__name__}.")
    return model


def gibbs_state(model: QBM, params) -> np.ndarray:
    """ρ(θ) = e^{−βH(θ)}/Tr e^{−βH(θ)}, batched over leading axes of ``params``.

    Computed as U diag(p) U† with p_i ∝ e^{−β(E_i − E₀)}: finite for any β‖H‖ (see
    :mod:`ebp.qbm._gibbs`).
    """
    return _check_model(model).gibbs_state(params)


def visible_marginal(model: QBM, params) -> np.ndarray:
    """σ_V = Tr_H ρ(θ), shape ``(..., d_V, d_V)``."""
    return _check_model(model).rho_visible(params)


def evaluate_temperatures(
    model: QBM, params, objective, betas
) -> list[tuple[Evaluation, dict[str, np.ndarray]]]:
    """:meth:`QBM.evaluate` at several inverse temperatures from one eigendecomposition of H(θ).

    The model's own β is ignored. Returns one ``(evaluation, diagnostics)`` pair per β, in order.
    """
    model = _check_model(model)
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__iter__"):
        raise TypeError(f"betas must be a sequence of numbers; got {type(betas).__name__}.")
    betas = tuple(check_beta(b) for b in betas)
    if not betas:
        raise ValueError("give at least one inverse temperature.")
    return model._evaluate_at(params, objective, betas, True)
