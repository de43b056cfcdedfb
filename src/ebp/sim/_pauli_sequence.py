"""Long runs of Pauli rotations as one scanned loop with the Pauli string as *data*.

A layer of the paper's ``pauli_network`` holds 3n + 9n(n−1)/2 rotations on different wires;
unrolled, each would be its own compiled kernel and compile time would grow with n². Here every
rotation exp(−iaP) is one step of a ``lax.scan`` whose operands are the bit masks of P:

.. math:: P = i^{n_Y} X^{m_x} Z^{m_z},\\qquad
          (Pψ)[b] = i^{n_Y} (−1)^{|(b ⊕ m_x) ∧ m_z|} ψ[b ⊕ m_x]

(Y = iXZ on each wire; m_x marks the X/Y wires, m_z the Z/Y wires, n_Y counts the Y's; bit
``n−1−w`` of the basis index is wire w, big-endian). A step is ψ ← cos(a)ψ − i sin(a)Pψ, with
the adjoint step and the gradient ā = Im Σ ψ̄ ⊙ (P y) as in :mod:`ebp.sim._kernels`.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["PauliSequence", "backward_sequence", "forward_sequence", "pauli_sequence"]


@dataclass(frozen=True)
class PauliSequence:
    """Rotations exp(−iθ_{slot}·coeff·P) in time order; P given by (xmask, zmask, n_y)."""

    slots: np.ndarray  # (S,) int32
    coeffs: np.ndarray  # (S,) float64
    xmask: np.ndarray  # (S,) int32
    zmask: np.ndarray  # (S,) int32
    n_y: np.ndarray  # (S,) int32


def pauli_sequence(ops, n: int) -> PauliSequence:
    """Encode Pauli-rotation operations (``op.pauli`` set) for a scan."""
    slots, coeffs, xm, zm, ny = [], [], [], [], []
    for op in ops:
        mx = mz = y = 0
        for w, p in zip(op.wires, op.pauli):
            bit = 1 << (n - 1 - w)
            if p in "XY":
                mx |= bit
            if p in "ZY":
                mz |= bit
            y += p == "Y"
        slots.append(op.slots[0])
        coeffs.append(op.coeff)
        xm.append(mx)
        zm.append(mz)
        ny.append(y)
    return PauliSequence(
        np.asarray(slots, dtype=np.int32),
        np.asarray(coeffs, dtype=np.float64),
        np.asarray(xm, dtype=np.int32),
        np.asarray(zm, dtype=np.int32),
        np.asarray(ny, dtype=np.int32),
    )


def _apply_pauli(x, mx, mz, ny, n, transpose=False):
    """P x (or Pᵀx = (−1)^{n_Y} P x) for masks given as traced integers."""
    b = jax.lax.iota(jnp.int32, 2**n)
    src = b ^ mx
    sign = 1 - 2 * (jax.lax.population_count(src & mz) & 1)
    ny = jnp.where(transpose, -ny, ny)  # Pᵀ = (−1)^{n_Y} P: i^{n_Y} → (−i)^{n_Y}
    phase = jnp.asarray([1, 1j, -1, -1j], dtype=x.dtype)[ny % 4]
    return phase * sign.astype(x.real.dtype) * jnp.take(x, src, unique_indices=True)


def _angles(seq: PauliSequence, params):
    return params[jnp.asarray(seq.slots)] * jnp.asarray(seq.coeffs, dtype=params.dtype)


def _xs(seq: PauliSequence, angles):
    return angles, jnp.asarray(seq.xmask), jnp.asarray(seq.zmask), jnp.asarray(seq.n_y)


def forward_sequence(seq: PauliSequence, params, state, n: int):
    """ψ ← ∏ exp(−ia_s P_s) ψ, in time order."""

    def step(psi, x):
        a, mx, mz, ny = x
        return jnp.cos(a) * psi - 1j * jnp.sin(a) * _apply_pauli(psi, mx, mz, ny, n), None

    out, _ = jax.lax.scan(step, state, _xs(seq, _angles(seq, params)))
    return out


def backward_sequence(seq: PauliSequence, params, psi, ct, n: int):
    """Adjoint pass: returns (ψ before the sequence, its cotangent, gradient w.r.t. params)."""
    angles, pullback = jax.vjp(lambda p: _angles(seq, p), params)

    def step(carry, x):
        y, ct_y = carry
        a, mx, mz, ny = x
        c, s = jnp.cos(a), jnp.sin(a)
        py = _apply_pauli(y, mx, mz, ny, n)
        ct_a = jnp.imag(jnp.sum(ct_y * py)).astype(a.dtype)
        x_in = c * y + 1j * s * py  # U† y, as P² = I
        ct_x = c * ct_y - 1j * s * _apply_pauli(ct_y, mx, mz, ny, n, transpose=True)
        return (x_in, ct_x), ct_a

    (psi, ct), ct_angles = jax.lax.scan(step, (psi, ct), _xs(seq, angles), reverse=True)
    return psi, ct, pullback(ct_angles)[0]
