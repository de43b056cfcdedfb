"""The flat engine's state passes in NumPy: nothing to compile, for few qubits.

The same stages as the compiled chunk programs of :mod:`ebp.sim._flat_engine` (a 4×4 matrix on a
neighbouring pair (a, a+1) per stage) run as NumPy matrix products. On a few qubits a stage is
a few microseconds of work, so the answer is ready long before XLA would have compiled the
programs (0.5–1.5 s). In steady state the two are close up to :data:`NUMPY_MAX_QUBITS` qubits
(see its docstring and ``docs/benchmarks.md``). Threads and BLAS: :mod:`ebp.sim._numpy_threads`.

Stage s acts on the state viewed as ψ[b, l, k, r] (l: the 2^a bits before the pair, k: the
pair, r: the 2^(n−2−a) bits after it):

.. math:: ψ'[b, l, o, r] = Σ_k M_s[b, o, k] ψ[b, l, k, r].

The reverse pass is the adjoint method (arXiv:2009.02823): with y the state after the stage and ψ̄
its cotangent (JAX's convention), x = M† y, x̄ = Mᵀ ψ̄ and M̄[o, i] = Σ_{l, r} ψ̄[l, o, r] x[l, i, r].
"""

from __future__ import annotations

import numpy as np

__all__ = ["NUMPY_MAX_QUBITS", "backward", "forward"]

NUMPY_MAX_QUBITS = 16
"""Widths up to which the flat engine runs its stages in NumPy rather than in compiled programs.

Measured on two cores (hardware-efficient ansatz, layers = n, steady state, NumPy time over
compiled time): 0.6–0.96 for batches of 4 and 16 at n = 12…17; for one state 0.7–1.1 at n ≤ 15
and 1.3 at n = 16 and 17, where a stage is bound by memory bandwidth and the compiled adjoint
kernels pass over the state fewer times. Against that, the compiled programs cost 0.5–1.5 s
of compilation per width before the first answer."""

_SMALL_AFTER = 4  # 2^(n−2−a) up to which one product with M ⊗ I beats 2^a small ones ...


def _by_kron(after: int, n: int) -> bool:
    """... provided M ⊗ I, (4·after)² entries per instance, is small beside the state (measured
    at n = 6 and 8, batch 100: the plain products win by up to 3× where it is not). The stage
    cotangent's Gram matrix needs no M ⊗ I and wins for every ``after`` ≤ _SMALL_AFTER."""
    return after <= _SMALL_AFTER and 16 * after * after <= 2 ** (n - 2)


def _apply(u: np.ndarray, psi: np.ndarray, a: int, n: int) -> np.ndarray:
    """(I ⊗ u ⊗ I) ψ for u (B, 4, 4) on positions (a, a+1) of ψ (B, 2**n)."""
    B, after = psi.shape[0], 2 ** (n - 2 - a)
    if _by_kron(after, n):
        # ψ'[b, l, (o, r)] = Σ_(k, s) ψ[b, l, (k, s)] (u ⊗ I)[b, (o, r), (k, s)]: one product per
        # instance instead of 2^a products of 4×4 by 4×after.
        eye = np.eye(after, dtype=u.dtype)
        kron_t = (np.swapaxes(u, -1, -2)[:, :, None, :, None] * eye[:, None, :]).reshape(
            B, 4 * after, 4 * after
        )
        return np.matmul(psi.reshape(B, -1, 4 * after), kron_t).reshape(B, -1)
    return np.matmul(u[:, None], psi.reshape(B, 2**a, 4, after)).reshape(B, -1)


def _stage_cotangent(ct: np.ndarray, x: np.ndarray, a: int, n: int) -> np.ndarray:
    """M̄[b, o, i] = Σ_{l, r} ψ̄[b, l, o, r] x[b, l, i, r] for ψ̄, x (B, 2**n)."""
    B, after = ct.shape[0], 2 ** (n - 2 - a)
    if after <= _SMALL_AFTER:
        # one Gram matrix G = ψ̄ᵀx over (l) of (B, 4·after, 4·after), then the trace over r
        gram = np.matmul(
            np.swapaxes(ct.reshape(B, -1, 4 * after), -1, -2), x.reshape(B, -1, 4 * after)
        )
        return np.einsum("borir->boi", gram.reshape(B, 4, after, 4, after))
    shape = (B, 2**a, 4, after)
    return np.matmul(ct.reshape(shape), np.swapaxes(x.reshape(shape), -1, -2)).sum(axis=1)


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
    transposed = np.swapaxes(mats, -1, -2)
    adjoint = np.conj(transposed)  # all stages at once: per stage, NumPy's call costs dominate
    for s, a in reversed(list(enumerate(first.tolist()))):
        psi = _apply(adjoint[s], psi, a, n)
        stage_ct[s] = _stage_cotangent(ct, psi, a, n)
        ct = _apply(transposed[s], ct, a, n)
    return psi, ct, stage_ct
