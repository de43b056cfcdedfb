"""Identity-block circuits (Grant, Wossnig, Ostaszewski & Benedetti, Quantum 3, 214 (2019),
arXiv:1903.05076): a block B(θ) followed by its mirror B(θ')†, gate by gate in reverse order.

At θ' = m(θ) — :func:`identity_block_parameters` — every block is exactly the identity, so a
circuit *starts* at U = I whatever θ is, with non-vanishing gradients; training then moves θ and
θ' apart. The inverse of each gate comes from the gate registry (:func:`ebp.circuit.inverse_rule`):
a gate at parameters θ'_j = s_j·θ_{π(j)} + o_j, e.g.

* rotations exp(−iθcP): θ' = −θ;
* SU4 = L·C·F (``ebp.circuit`` KAK form, R(a,b,c) = R_Z(a)R_Y(b)R_Z(c)): U† = F†C†L† with
  R(a,b,c)† = R(−c,−b,−a) and C(x,y,z)† = C(−x,−y,−z) (the XX, YY, ZZ factors commute);
* fixed gates: their inverse gate (H → H, S → SDG) or their adjoint as a fixed unitary.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_count
from ..circuit import Circuit, CircuitBuilder, inverse_rule

__all__ = ["identity_block", "identity_block_parameters"]


def _check_repeats(repeats) -> int:
    return check_count("repeats", repeats)


def _inverse(op):
    rule = inverse_rule(op.spec, op.data)
    if rule is None:
        raise ValueError(
            f"gate {op.name} has no registered inverse of its own form; identity blocks need one."
        )
    return rule


def identity_block(block: Circuit, repeats: int = 1) -> Circuit:
    """``repeats`` copies of [B(θ_r), B(θ'_r)†], each copy with its own parameters.

    Parameters are laid out per copy as (θ_r: ``block.n_params``, θ'_r: one fresh slot per
    parameter of every mirrored gate). Layers: the block's layers, then one layer per mirrored
    block layer (in reverse order).
    """
    if not isinstance(block, Circuit):
        raise TypeError(f"expected an ebp Circuit; got {type(block).__name__}.")
    repeats = _check_repeats(repeats)
    b = CircuitBuilder(block.n_visible, block.n_hidden)
    for _ in range(repeats):
        own = b.new_slots(block.n_params)
        offset = own[0] if own else 0
        for layer in block.layers():
            b.layer()
            for op in layer:
                b.gate(
                    op.name,
                    op.wires,
                    slots=tuple(offset + s for s in op.slots) or None,
                    data=op.data,
                )
        for layer in reversed(block.layers()):
            b.layer()
            for op in reversed(layer):
                _append_inverse(b, op)
    return b.build()


def _append_inverse(b: CircuitBuilder, op) -> None:
    rule = _inverse(op)
    b.gate(rule.gate, op.wires, data=rule.data)


def identity_block_parameters(block: Circuit, theta, repeats: int = 1) -> np.ndarray:
    """Parameters of :func:`identity_block` (block, repeats) at which every copy is the identity.

    Args:
        block: the block circuit B.
        theta: block parameters, shape ``(..., repeats, block.n_params)`` or, for one copy,
            ``(..., block.n_params)``.
        repeats: number of copies.

    Returns:
        Array ``(..., n_params)`` of the identity-block circuit: each copy's θ_r followed by
            θ'_r = m(θ_r).
    """
    repeats = _check_repeats(repeats)
    t = np.asarray(theta, dtype=np.float64)
    if repeats == 1 and (t.ndim == 1 or t.shape[-2:-1] != (1,)):
        t = t[..., None, :]
    if t.ndim < 2 or t.shape[-2:] != (repeats, block.n_params):
        raise ValueError(
            f"theta must have shape (..., {repeats}, {block.n_params}) for {repeats} copies of a "
            f"{block.n_params}-parameter block; got {np.asarray(theta).shape}."
        )
    mirror_index, mirror_sign, mirror_offset = [], [], []
    for layer in reversed(block.layers()):
        for op in reversed(layer):
            for src, sign, offset in _inverse(op).params:
                mirror_index.append(op.slots[src] if src is not None else 0)
                mirror_sign.append(sign if src is not None else 0.0)
                mirror_offset.append(offset)
    idx, sign = np.asarray(mirror_index, dtype=int), np.asarray(mirror_sign)
    offset = np.asarray(mirror_offset)
    parts = []
    for r in range(repeats):
        parts.append(t[..., r, :])
        parts.append(t[..., r, :][..., idx] * sign + offset)
    return np.concatenate(parts, axis=-1)
