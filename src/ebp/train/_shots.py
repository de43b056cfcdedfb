"""Unbiased N-shot estimates of losses and their parameter-shift gradients.

Outcomes are sampled from the true outcome probabilities of the exact visible state, so an
estimate is exactly what N repetitions of the circuit and a measurement would give.

* A loss linear in ρ_V, f = Tr(Oρ) with O = Σ_a λ_a |e_a⟩⟨e_a|: measure in O's eigenbasis,
  p_a = ⟨e_a|ρ|e_a⟩, counts n ~ Multinomial(N, p), estimate f̂ = Σ_a λ_a n_a / N.
  Unbiased, Var f̂ = Var_p(λ)/N.
* MMD² = (p − q)ᵀK(p − q) over computational-basis outcomes: with counts n of N samples from p,

  .. math:: \\widehat{\\mathrm{MMD}^2} = \\frac{n^T K n − \\sum_x n_x K_{xx}}{N(N−1)}
            − \\frac{2}{N}\\, n^T K q + q^T K q,

  the U-statistic of Gretton et al., JMLR 13, 723 (2012): unbiased.
* Gradients by the parameter-shift rule ∂_k f = c_k [f(θ + s_k e_k) − f(θ − s_k e_k)]; for a
  linear f each term is estimated with N fresh shots. For MMD², ∂_k MMD² = 2 (∂_k p)ᵀK(p − q),
  estimated from independent samples of p₊, p₋ and p (shared over k):
  2 c_k [(n₊ − n₋)/N]ᵀ K (n₀/N − q) (Liu & Wang, PRA 98, 062324 (2018)); unbiased because the
  samples are independent.

Each estimator says how many circuit configurations one value or one gradient needs
(``configs_value``, ``configs_gradient``), which is what the budget is charged.
"""

from __future__ import annotations

import numpy as np

from ..landscape import MMD, Linear

__all__ = ["Estimator", "LinearEstimator", "MMDEstimator", "estimator_for"]


def _probabilities(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.real(p), 0.0, None)
    return p / p.sum(axis=-1, keepdims=True)


class Estimator:
    """Base: N-shot estimates from exact visible states ``rho`` of shape (..., d, d)."""

    configs_value = 1

    def configs_gradient(self, n_shifted: int) -> int:
        """Circuit configurations one gradient over ``n_shifted`` parameters needs (θ ± s_k e_k
        for each)."""
        return 2 * n_shifted

    def value(self, rho: np.ndarray, shots: int, rng: np.random.Generator) -> np.ndarray:
        """An unbiased ``shots``-shot estimate of the loss at the visible states ``rho``."""
        raise NotImplementedError  # pragma: no cover

    def gradient(self, rho0, rho_plus, rho_minus, coeffs, shots, rng) -> np.ndarray:
        """An unbiased ``shots``-shot parameter-shift gradient: ``rho0`` the state at θ,
        ``rho_plus`` / ``rho_minus`` at θ ± s_k e_k (stacked over k), ``coeffs`` the c_k."""
        raise NotImplementedError  # pragma: no cover


class LinearEstimator(Estimator):
    """f = Tr(Oρ), measured in the eigenbasis of O."""

    def __init__(self, observable: np.ndarray):
        self.eigenvalues, self.basis = np.linalg.eigh(np.asarray(observable, dtype=complex))

    def probabilities(self, rho: np.ndarray) -> np.ndarray:
        """p_a = ⟨e_a|ρ|e_a⟩ for the eigenvectors e_a of O."""
        v = self.basis
        p = np.einsum("ia,...ij,ja->...a", v.conj(), rho, v)
        return _probabilities(p)

    def value(self, rho, shots, rng):
        """f̂ = Σ_a λ_a n_a / N from counts n ~ Multinomial(N, p)."""
        counts = rng.multinomial(shots, self.probabilities(rho))
        return counts @ self.eigenvalues / shots

    def gradient(self, rho0, rho_plus, rho_minus, coeffs, shots, rng):
        """c_k [f̂(θ + s_k e_k) − f̂(θ − s_k e_k)], each term with fresh shots (``rho0`` unused)."""
        return coeffs * (self.value(rho_plus, shots, rng) - self.value(rho_minus, shots, rng))


class MMDEstimator(Estimator):
    """MMD² of the computational-basis distribution against q, U-statistic estimate."""

    def __init__(self, kernel: np.ndarray, target: np.ndarray):
        self.kernel = np.asarray(kernel, dtype=float)
        self.target = np.asarray(target, dtype=float)
        self._kq = self.kernel @ self.target
        self._qkq = float(self.target @ self._kq)

    def configs_gradient(self, n_shifted: int) -> int:
        """2 per shifted parameter, plus the unshifted circuit whose samples are shared over k."""
        return 2 * n_shifted + 1

    def _counts(self, rho, shots, rng):
        p = _probabilities(np.diagonal(rho, axis1=-2, axis2=-1))
        return rng.multinomial(shots, p).astype(float)

    def value(self, rho, shots, rng):
        """The U-statistic estimate of MMD² (needs ``shots`` >= 2)."""
        if shots < 2:
            raise ValueError(f"the unbiased MMD estimate needs shots >= 2; got {shots}.")
        n = self._counts(rho, shots, rng)
        pair = np.einsum("...x,xy,...y->...", n, self.kernel, n) - n @ np.diag(self.kernel)
        return pair / (shots * (shots - 1)) - 2 * (n @ self._kq) / shots + self._qkq

    def gradient(self, rho0, rho_plus, rho_minus, coeffs, shots, rng):
        """2 c_k [(n₊ − n₋)/N]ᵀ K (n₀/N − q) from independent samples of p₊, p₋ and p."""
        n0 = self._counts(rho0, shots, rng) / shots
        diff = (self._counts(rho_plus, shots, rng) - self._counts(rho_minus, shots, rng)) / shots
        return 2 * coeffs * (diff @ (self.kernel @ n0 - self._kq))


def estimator_for(objective) -> Estimator | None:
    """The unbiased estimator of an objective, or None if it has none."""
    if isinstance(objective, Linear):
        return LinearEstimator(objective.observable)
    if isinstance(objective, MMD):
        return MMDEstimator(objective.kernel, objective.q)
    return None
