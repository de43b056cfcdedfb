"""Bounds on QBM gradients and the Golden–Thompson upper bound on the likelihood loss.

**Covariance bound (exact, every term).** By Duhamel's formula the gradient of f(σ_V) along a
term s_k θ_k P_k is a Kubo–Mori covariance,

.. math:: ∂_k f = −β s_k \\Big(∫_0^1 \\operatorname{Tr}\\big((G⊗I) ρ^{s} P_k ρ^{1−s}\\big)\\,ds
          − ⟨G⊗I⟩_ρ ⟨P_k⟩_ρ\\Big),

and the Cauchy–Schwarz inequality for the Kubo–Mori inner product (whose variance is at most the
ordinary variance: the logarithmic mean is below the arithmetic mean) together with
Var(A) ≤ (λ_max − λ_min)²/4 (Bhatia–Davis) gives, for a Pauli string P_k,

.. math:: |∂_k f| ≤ β\\,|s_k|\\,\\tfrac12\\big(λ_{\\max}(G) − λ_{\\min}(G)\\big).

**Two-design scale.** arXiv:2010.15968 (QBM section) shows that, for an eigenbasis of H drawn
from a unitary 2-design, the gradient along a term h_V ⊗ h_H is suppressed, up to constants, by

.. math:: \\sqrt{\\frac{d_V}{d_H}\\Big(\\frac{(\\operatorname{Tr} h_H)^2}{d_V \\operatorname{Tr}
          h_H^2} + 1\\Big)},

which is √(1 + d_V/d_H) = O(1) for visible-only terms (h_H = I) and √(d_V/d_H) for terms
traceless on H (V–H couplings and hidden-only terms): exponentially small in n_H.
:func:`two_design_gradient_scale` evaluates it; studies draw it times the covariance bound.

**Golden–Thompson bound.** For classical data q over visible basis states, Amin et al. (Phys.
Rev. X 8, 021050 (2018), arXiv:1601.02036) bound P_v = Tr(Λ_v e^{−βH})/Z from below by
Z_v/Z, Z_v = Tr e^{−βH_v} with the *clamped* Hamiltonian H_v = ⟨v|H|v⟩ on H (Golden–Thompson,
Tr e^{A+B} ≤ Tr e^A e^B), so the negative log-likelihood is bounded above by

.. math:: \\tilde L = −Σ_v q_v \\log_2 \\frac{Z_v}{Z} ≥ −Σ_v q_v \\log_2 P_v,\\qquad
          ∂_k \\tilde L = \\frac{β s_k}{\\ln 2}\\Big(Σ_v q_v ⟨P_k⟩_{v} − ⟨P_k⟩_ρ\\Big),

⟨·⟩_v the expectation in |v⟩⟨v| ⊗ e^{−βH_v}/Z_v. This is the gradient of a **bound**, not of the
loss. For terms off-diagonal on V (X or Y on a visible qubit) the clamped expectation is 0, so
the bound only drives ⟨P_k⟩_ρ to 0 and cannot learn such terms (Amin et al.; Kieferová &
Wiebe, Phys. Rev. A 96, 062327 (2017), arXiv:1612.05204).
"""

from __future__ import annotations

import math

import numpy as np

from ..landscape import Evaluation, as_distribution, as_objective
from ._gibbs import gibbs_matrix, visible_marginal_from
from ._model import QBM, _check_model, _objective_step
from ._terms import hidden_trace_ratio, pauli_sum, pauli_traces

__all__ = ["covariance_gradient_bound", "golden_thompson_bound", "two_design_gradient_scale"]


def two_design_gradient_scale(term: str, n_visible: int) -> float:
    """√((d_V/d_H)(Tr(h_H)²/(d_V Tr h_H²) + 1)) for the Pauli term h_V ⊗ h_H (module docstring).

    Example: ``two_design_gradient_scale("ZI", 1) == sqrt(1.5)``, ``("ZX", 1) -> 1``.
    """
    ratio = hidden_trace_ratio(term, n_visible)
    n_h = len(term) - n_visible
    return math.sqrt(2.0 ** (n_visible - n_h) * (ratio + 1.0))


def covariance_gradient_bound(model: QBM, params, objective) -> np.ndarray:
    """β|s_k|·½(λ_max(G) − λ_min(G)) per term, G = f′(σ_V(θ)): an upper bound on |∂_k f|.

    Shape ``(..., n_params)``, batched like ``params``.
    """
    model = _check_model(model)
    obj = as_objective(objective, model.n_visible)
    sigma = model.rho_visible(params)
    _, g = _objective_step(obj, sigma.reshape((-1,) + sigma.shape[-2:]))
    w = np.linalg.eigvalsh(np.asarray(g))
    spread = (w[:, -1] - w[:, 0]).reshape(sigma.shape[:-2])
    return model.beta * 0.5 * spread[..., None] * np.abs(np.asarray(model.scales))


def _log_partition(h: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """(log Tr e^{−βh}, e^{−βh}/Tr e^{−βh}) for Hermitian ``h`` (..., m, m), shift-stabilised."""
    e, u = np.linalg.eigh(h)
    a = -beta * (e - e[..., :1])
    w = np.exp(a)
    norm = w.sum(axis=-1)
    tau = (u * (w / norm[..., None])[..., None, :]) @ np.conj(np.swapaxes(u, -1, -2))
    return -beta * e[..., 0] + np.log(norm), tau


def golden_thompson_bound(model: QBM, params, q) -> Evaluation:
    """The Golden–Thompson upper bound L̃ ≥ NLL (bits) and its gradient (module docstring).

    Args:
        model: a :class:`QBM`.
        params: ``(..., n_params)``.
        q: data probabilities over the 2^{n_V} visible basis states.

    Returns:
        :class:`ebp.landscape.Evaluation` with cost L̃ (the **bound**, not the loss), its
            gradient, and σ_V.
    """
    model = _check_model(model)
    q = np.asarray(as_distribution(q))
    d_v, d_h = 2**model.n_visible, 2**model.n_hidden
    if q.shape[0] != d_v:
        raise ValueError(f"q must have {d_v} entries (2**n_visible); got {q.shape[0]}.")
    p = model.check_params(params)
    batch = p.shape[:-1]
    flat = p.reshape(-1, model.n_params)
    scales = np.asarray(model.scales)
    costs, grads, rhos = [], [], []
    for theta in flat:
        h = pauli_sum(model.terms, (theta * scales)[None])[0]
        s = model._spectrum(theta[None])
        log_z = -model.beta * s.energies[0, 0] + math.log(s.norm[0])
        blocks = h.reshape(d_v, d_h, d_v, d_h)[np.arange(d_v), :, np.arange(d_v), :]
        log_zv, tau = _log_partition(blocks, model.beta)
        clamped = np.zeros((d_v, d_h, d_v, d_h), dtype=complex)
        for v in range(d_v):
            clamped[v, :, v, :] = q[v] * tau[v]
        diff = clamped.reshape(1, model.dim, model.dim) - gibbs_matrix(s)
        traces = np.real(pauli_traces(model.terms, diff))[0]
        grads.append(model.beta * scales * traces / math.log(2))
        costs.append(-float(np.sum(q * (log_zv - log_z))) / math.log(2))
        rhos.append(visible_marginal_from(s, model.n_visible)[0])
    return Evaluation(
        np.asarray(costs).reshape(batch),
        np.asarray(grads).reshape(batch + (model.n_params,)),
        np.asarray(rhos).reshape(batch + (d_v, d_v)),
    )
