"""The flat engine's state passes in NumPy: nothing to compile, for few qubits.

The same stages as the compiled chunk programs of :mod:`ebp.sim._flat_engine` (a 4×4 matrix on a
neighbouring pair (a, a+1) per stage) run as NumPy matrix products. On a few qubits a stage is
a few microseconds of work, so the answer is ready long before XLA would have compiled the
programs (0.5–1 s); measured in ``benchmarks/bench_peers.py``, NumPy is also the faster of the
two in steady state up to :data:`NUMPY_MAX_QUBITS` qubits (see ``docs/benchmarks.md``).

Stage s acts on the state viewed as ψ[b, l, k, r] (l: the 2^a bits before the pair, k: the
pair, r: the 2^(n−2−a) bits after it):

.. math:: ψ'[b, l, o, r] = Σ_k M_s[b, o, k] ψ[b, l, k, r].

The reverse pass is the adjoint method (arXiv:2009.02823): with y the state after the stage and ψ̄
its cotangent (JAX's convention), x = M† y, x̄ = Mᵀ ψ̄ and M̄[o, i] = Σ_{l, r} ψ̄[l, o, r] x[l, i, r].
"""

from __future__ import annotations

import numpy as np

__all__ = ["NUMPY_MAX_QUBITS", "backward", "forward"]

NUMPY_MAX_QUBITS = 10
"""Widths up to which the flat engine runs its stages in NumPy rather than in compiled programs."""

_KRON_MAX_AFTER = 2  # for 2^(n−2−a) ≤ this, one product with M ⊗ I is faster than many small ones


def _apply(u: np.ndarray, psi: np.ndarray, a: int, n: int) -> np.ndarray:
    """(I ⊗ u ⊗ I) ψ for u (B, 4, 4) on positions (a, a+1) of ψ (B, 2**n)."""
    B, after = psi.shape[0], 2 ** (n - 2 - a)
    if after <= _KRON_MAX_AFTER:
        # ψ'[b, l, (o, r)] = Σ_(k, s) ψ[b, l, (k, s)] (u ⊗ I)[b, (o, r), (k, s)]: one product per
        # instance instead of 2^a products of 4×4 by 4×after.
        eye = np.eye(after, dtype=u.dtype)
        kron_t = (np.swapaxes(u, -1, -2)[:, :, None, :, None] * eye[:, None, :]).reshape(
            B, 4 * after, 4 * after
        )
        return np.matmul(psi.reshape(B, -1, 4 * after), kron_t).reshape(B, -1)
    return np.matmul(u[:, None], psi.reshape(B, 2**a, 4, after)).reshape(B, -1)


def _pair_major(psi: np.ndarray, a: int, n: int) -> np.ndarray:
    """ψ as (B, 4, 2^(n−2)) with the pair's index first."""
    B = psi.shape[0]
    return psi.reshape(B, 2**a, 4, 2 ** (n - 2 - a)).transpose(0, 2, 1, 3).reshape(B, 4, -1)


def forward(psi: np.ndarray, mats: np.ndarray, first: np.ndarray, n: int) -> np.ndarray:
    """ψ (B, 2**n) through the stages ``mats`` (S, B, 4, 4) on pairs (first[s], first[s] + 1)."""
    for u, a in zip(mats, first.tolist()):
        psi = _apply(u, psi, a, n)
    return psi


def backward(
    psi: np.ndarray, ct: np.ndarray, mats: np.ndarray, first: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reverse pass from the final state ``psi`` and its cotangent ``ct`` (both (B, 2**n)):
    ``(initial state, its cotangent, stage cotangents M̄ (S, B, 4, 4))``."""
    stage_ct = np.empty_like(mats)
    for s, a in reversed(list(enumerate(first.tolist()))):
        u_transpose = np.swapaxes(mats[s], -1, -2)
        psi = _apply(np.conj(u_transpose), psi, a, n)
        stage_ct[s] = np.matmul(_pair_major(ct, a, n), np.swapaxes(_pair_major(psi, a, n), -1, -2))
        ct = _apply(u_transpose, ct, a, n)
    return psi, ct, stage_ct
