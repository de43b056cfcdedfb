"""Gibbs states through the spectrum, with the ground energy shifted out, and their derivative.

For a Hermitian H = U diag(E) U† (eigenvalues ascending, E₀ the smallest) and β ≥ 0,

.. math:: ρ = \\frac{e^{−βH}}{Z} = U \\operatorname{diag}(p) U^†,\\qquad
          p_i = \\frac{w_i}{\\sum_j w_j},\\quad w_i = e^{−β(E_i − E_0)} ∈ (0, 1],

so nothing overflows however large β‖H‖ is (w₀ = 1 and the normalisation Σ_j w_j ≥ 1).

The derivative of ρ along a direction P (the Fréchet derivative of the matrix exponential,
R. Bhatia, *Matrix Analysis* (Springer, 1997), Thm. V.3.3; Daleckii–Krein) is, in the eigenbasis,

.. math:: U^†\\,∂_P ρ\\,U = K ∘ (U^† P U) − \\operatorname{Tr}(ρP)\\,\\operatorname{diag}(K),\\qquad
          K_{ij} = \\frac{e^{−βE_i} − e^{−βE_j}}{Z\\,(E_i − E_j)},\\quad K_{ii} = −β p_i,

the second term being the derivative of the normalisation 1/Z. With a_i = −β(E_i − E₀) and
δ = |a_i − a_j| the divided difference is evaluated as

.. math:: K_{ij} = −\\frac{β}{\\sum_k w_k}\\; e^{\\max(a_i, a_j)}
          \\;\\frac{−\\operatorname{expm1}(−δ)}{δ},

whose last factor tends to 1 as δ → 0, so exactly and nearly degenerate eigenvalues need no
special case and there is no cancellation.

For a function f of the visible marginal σ_V = Tr_H ρ with derivative G = f′(σ_V), the chain rule
gives ∂f/∂θ_k = Tr((G ⊗ I_H) ∂_{P_k} ρ) = Tr(Γ P_k) with the single operator

.. math:: Γ = U \\big(K ∘ (A − \\operatorname{Tr}(Gσ_V)\\,I)\\big) U^†,\\qquad A = U^†(G ⊗ I_H)U,

so one eigendecomposition and three matrix products give the gradient along every term.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "Spectrum",
    "at_temperature",
    "thermal_spectrum",
    "gibbs_matrix",
    "visible_marginal_from",
    "hidden_marginal_from",
    "spectral_entropy_bits",
    "divided_differences",
    "gradient_operator",
]


class Spectrum(NamedTuple):
    """The thermal spectrum of a batch of Hamiltonians.

    Attributes:
        energies: ``(B, d)`` eigenvalues, ascending.
        vectors: ``(B, d, d)`` eigenvectors (columns).
        shifted: ``(B, d)`` a_i = −β(E_i − E₀) ≤ 0.
        norm: ``(B,)`` Σ_i e^{a_i} ≥ 1 (the partition function is Z = norm · e^{−βE₀}).
        probabilities: ``(B, d)`` p_i = e^{a_i}/norm.
        beta: the inverse temperature.
    """

    energies: np.ndarray
    vectors: np.ndarray
    shifted: np.ndarray
    norm: np.ndarray
    probabilities: np.ndarray
    beta: float


def thermal_spectrum(h: np.ndarray, beta: float) -> Spectrum:
    """Eigendecomposition of Hermitian ``h`` ``(B, d, d)`` and the Gibbs weights at ``beta``."""
    energies, vectors = np.linalg.eigh(h)
    return at_temperature(energies, vectors, beta)


def at_temperature(energies: np.ndarray, vectors: np.ndarray, beta: float) -> Spectrum:
    """The :class:`Spectrum` at ``beta`` of an eigendecomposition (ascending ``energies``)."""
    shifted = -beta * (energies - energies[:, :1])
    weights = np.exp(shifted)
    norm = weights.sum(axis=-1)
    return Spectrum(energies, vectors, shifted, norm, weights / norm[:, None], float(beta))


def _mixed(b: int, d: int) -> np.ndarray:
    return np.broadcast_to(np.eye(d, dtype=complex) / d, (b, d, d)).copy()


def gibbs_matrix(s: Spectrum) -> np.ndarray:
    """ρ = U diag(p) U†, ``(B, d, d)``, Hermitian to rounding; exactly I/d at β = 0."""
    u = s.vectors
    if s.beta == 0:
        return _mixed(*u.shape[:2])
    rho = (u * s.probabilities[:, None, :]) @ np.conj(np.swapaxes(u, -1, -2))
    return (rho + np.conj(np.swapaxes(rho, -1, -2))) / 2


def _weighted(s: Spectrum) -> np.ndarray:
    return s.vectors * np.sqrt(s.probabilities)[:, None, :]


def visible_marginal_from(s: Spectrum, n_visible: int) -> np.ndarray:
    """σ_V = Tr_H ρ = Σ_i p_i Tr_H |u_i⟩⟨u_i| as M M† with M the (d_V, d_H·d) reshape of U√p
    (exactly I/d_V at β = 0)."""
    b, d = s.probabilities.shape
    if s.beta == 0:
        return _mixed(b, 2**n_visible)
    m = _weighted(s).reshape(b, 2**n_visible, -1)
    sigma = m @ np.conj(np.swapaxes(m, -1, -2))
    return (sigma + np.conj(np.swapaxes(sigma, -1, -2))) / 2


def hidden_marginal_from(s: Spectrum, n_visible: int) -> np.ndarray:
    """σ_H = Tr_V ρ, ``(B, d_H, d_H)``."""
    b, d = s.probabilities.shape
    d_v = 2**n_visible
    if s.beta == 0:
        return _mixed(b, d // d_v)
    m = _weighted(s).reshape(b, d_v, d // d_v, d).transpose(0, 2, 1, 3).reshape(b, d // d_v, -1)
    sigma = m @ np.conj(np.swapaxes(m, -1, -2))
    return (sigma + np.conj(np.swapaxes(sigma, -1, -2))) / 2


def spectral_entropy_bits(s: Spectrum) -> np.ndarray:
    """S(ρ) = −Σ p_i log₂ p_i from the shifted spectrum (log p_i = a_i − log norm), ``(B,)``."""
    log_p = s.shifted - np.log(s.norm)[:, None]
    terms = np.where(s.probabilities > 0, s.probabilities * log_p, 0.0)
    return -terms.sum(axis=-1) / np.log(2)


def divided_differences(s: Spectrum) -> np.ndarray:
    """K_ij of the module docstring, ``(B, d, d)``, real symmetric; K_ii = −β p_i."""
    a = s.shifted
    ai, aj = a[:, :, None], a[:, None, :]
    delta = np.abs(ai - aj)
    positive = delta > 0
    phi = np.where(positive, -np.expm1(-delta) / np.where(positive, delta, 1.0), 1.0)
    return -s.beta * np.exp(np.maximum(ai, aj)) * phi / s.norm[:, None, None]


def gradient_operator(s: Spectrum, g: np.ndarray, sigma_v: np.ndarray) -> np.ndarray:
    """Γ with Tr(Γ P) = Tr((G ⊗ I_H) ∂_P ρ) for every Hermitian direction P; ``(B, d, d)``.

    ``g`` and ``sigma_v`` are ``(B, d_V, d_V)``: the objective's derivative and σ_V.
    """
    u = s.vectors
    b, d, _ = u.shape
    d_v = g.shape[-1]
    gu = (g @ u.reshape(b, d_v, -1)).reshape(b, d, d)  # (G ⊗ I_H) U
    uh = np.conj(np.swapaxes(u, -1, -2))
    a = uh @ gu
    c = np.real(np.einsum("bij,bji->b", g, sigma_v))  # Tr(G σ_V) = Tr((G ⊗ I)ρ)
    idx = np.arange(d)
    a[:, idx, idx] -= c[:, None]
    n = divided_differences(s) * a
    return u @ n @ uh
