"""State-update kernels: each touches a single state vector of shape ``(2**n,)`` once.

The state is only ever *reshaped* (free) so that the gate's wires become axes of length 2; the
update is written as elementwise combinations of slices, which XLA fuses into one loop without
transposed copies. Batches come from ``jax.vmap`` one level up.

Every stage kind has three pieces: its *operand* (small arrays built from the parameters outside
the state loop), ``apply`` (ψ ← Uψ or U†ψ) and a hand-written ``vjp``. With JAX's convention for
a real-valued loss (cotangent ψ̄ = ∂L/∂ψ, no conjugation), for y = U x:

* ``x̄ = Uᵀ ȳ`` (one pass);
* dense U: ``Ū[o, i] = Σ ȳ_o x_i`` over the other wires (a 2**k × 2**k reduction);
* rotation e^{−iaG} with G² = I (Pauli rotations, Z-string phases): ∂y/∂a = −iGy, so
  ``ā = Im Σ ȳ ⊙ (G y)`` (one reduction).

Matrices act on their wires big-endian in the order the operation lists them.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ..circuit import GATES, pauli_matrix
from ._compile import OpSpec

__all__ = ["apply_operand", "fixed_diagonal", "stage_operand", "stage_vjp"]


def _split_shape(n: int, wires) -> tuple[tuple[int, ...], list[int]]:
    """Shape that exposes the sorted ``wires`` as length-2 axes, and the positions of those axes."""
    shape, axes, prev = [], [], -1
    for w in sorted(wires):
        shape += [2 ** (w - prev - 1), 2]
        axes.append(len(shape) - 1)
        prev = w
    shape.append(2 ** (n - prev - 1))
    return tuple(shape), axes


# ----------------------------------------------------------------------------- operands
def _op_matrix(spec: OpSpec, theta, coeff, fixed, dtype):
    """Dense matrix of one operation (2**k × 2**k)."""
    if spec.kind == "rot":
        a = theta[0] * coeff
        p = jnp.asarray(pauli_matrix(spec.label), dtype=dtype)
        return (jnp.cos(a) * jnp.eye(p.shape[0], dtype=dtype) - 1j * jnp.sin(a) * p).astype(dtype)
    if spec.kind == "param":
        return GATES[spec.label].matrix(theta, spec.data).astype(dtype)
    return fixed.astype(dtype)


def stage_operand(signature, thetas, coeffs, fixed, dtype):
    """The small arrays a stage needs, built from its parameters.

    * ``pauli``: the angle a = θ·c of e^{−iaP};
    * ``diag``: ``(angles, tables)``: angles a_k of the Z-string rotations e^{−ia_k Z_k}, and the
      diagonals of the fixed diagonal gates;
    * ``mat1`` / ``dense``: the matrix (product of the fused gates, first gate rightmost);
    * ``kron``: U_a ⊗ U_b of the fused single-qubit gates on each of its wires.
    """
    kind, wires, ops = signature
    real = jnp.finfo(dtype).dtype
    if kind == "pauli":
        return (thetas[0][0] * coeffs[0]).astype(real)
    if kind == "diag":
        angles = [thetas[j][0] * coeffs[j] for j, op in enumerate(ops) if op.kind == "rot"]
        tables = tuple(
            jnp.diagonal(fixed[j]).astype(dtype) for j, op in enumerate(ops) if op.kind != "rot"
        )
        return (jnp.stack(angles).astype(real) if angles else jnp.zeros(0, real)), tables
    if kind == "kron":  # U_a ⊗ U_b ⊗ … for the ops on each of the stage's wires
        u = None
        for w in wires:
            m = _product(
                [j for j, op in enumerate(ops) if op.wires == (w,)],
                ops,
                thetas,
                coeffs,
                fixed,
                dtype,
            )
            u = m if u is None else jnp.kron(u, m)
        return u
    return _product(range(len(ops)), ops, thetas, coeffs, fixed, dtype)


def _product(indices, ops, thetas, coeffs, fixed, dtype):
    """Matrix product of the listed ops, first op rightmost."""
    u = None
    for j in indices:
        m = _op_matrix(ops[j], thetas[j], coeffs[j], fixed[j], dtype)
        u = m if u is None else m @ u
    return u


# ----------------------------------------------------------------------------- dense
def _slices(x, wires, axes, shape):
    """All 2**k slices of x (reshaped) indexed by the basis pattern of ``wires`` (op order)."""
    k = len(wires)
    order = sorted(range(k), key=lambda i: wires[i])
    out = []
    for idx in range(2**k):
        sl: list[slice | int] = [slice(None)] * len(shape)
        for j, ax in enumerate(axes):
            sl[ax] = (idx >> (k - 1 - order[j])) & 1
        out.append(x[tuple(sl)])
    return out, order


def _apply_matrix(state, u, wires, n):
    """ψ ← U ψ for a k-qubit U on ``wires``, by slicing the exposed axes (no transposes)."""
    k = len(wires)
    shape, axes = _split_shape(n, wires)
    xs, order = _slices(state.reshape(shape), wires, axes, shape)
    outs = [sum(u[o, i] * xs[i] for i in range(2**k)) for o in range(2**k)]

    def assemble(level: int, idx: int):
        if level == k:
            return outs[idx]
        bit = k - 1 - order[level]
        return jnp.stack([assemble(level + 1, idx | (b << bit)) for b in (0, 1)], axis=level + 1)

    return assemble(0, 0).reshape(state.shape)


def _matrix_cotangent(x, ct, wires, n):
    """Ū[o, i] = Σ ȳ_o x_i over all other wires, as ONE variadic reduction.

    All (2**k)² sums are computed in a single pass over ``x`` and ``ȳ`` (XLA's variadic reduce);
    separate reductions would read the state (2**k)² times.
    """
    k = len(wires)
    shape, axes = _split_shape(n, wires)
    xs, _ = _slices(x.reshape(shape), wires, axes, shape)
    cs, _ = _slices(ct.reshape(shape), wires, axes, shape)
    prods = tuple(cs[o] * xs[i] for o in range(2**k) for i in range(2**k))
    zero = jnp.zeros((), x.dtype)
    sums = jax.lax.reduce(
        prods,
        (zero,) * len(prods),
        lambda a, b: tuple(u + v for u, v in zip(a, b)),
        tuple(range(prods[0].ndim)),
    )
    return jnp.stack(sums).reshape(2**k, 2**k)


# ----------------------------------------------------------------------------- diagonal
def _bits(n: int, wires):
    x = jax.lax.iota(jnp.int32, 2**n)
    return [((x >> (n - 1 - w)) & 1).astype(bool) for w in wires]


def _select_table(table, bits):
    """table[idx] with idx given by its bits (most significant first), as nested selects."""
    if not bits:
        return table[0]
    half = table.shape[0] // 2
    lo = _select_table(table[:half], bits[1:])
    hi = _select_table(table[half:], bits[1:])
    return jnp.where(bits[0], hi, lo)


def _z_sign_is_negative(n: int, label: str, wires):
    """Boolean vector: the Z-string eigenvalue s(x) is −1 (odd parity on its Z wires)."""
    zw = [w for w, p in zip(wires, label) if p == "Z"]
    if not zw:
        return None
    odd = None
    for b in _bits(n, zw):
        odd = b if odd is None else odd ^ b
    return odd


def fixed_diagonal(signature, tables, n, dtype):
    """Product of a diagonal stage's fixed gates as one length-2**n vector (or None).

    Computed once outside the layer loop when the fixed gates are the same in every layer.
    """
    fixed = [op for op in signature[2] if op.kind != "rot"]
    phase = None
    for table, op in zip(tables, fixed):
        f = _select_table(table.astype(dtype), _bits(n, op.wires))
        phase = f if phase is None else phase * f
    return phase


def _diag_phase(signature, operand, n, dtype, adjoint=False, fixed_phase=None):
    """The full diagonal ∏_k e^{∓ia_k s_k(x)} · ∏ fixed tables, as one fused expression."""
    _, _, ops = signature
    angles, tables = operand
    rot = [op for op in ops if op.kind == "rot"]
    if fixed_phase is None:
        fixed_phase = fixed_diagonal(signature, tables, n, dtype)
    phase = None
    if fixed_phase is not None:
        phase = jnp.conj(fixed_phase) if adjoint else fixed_phase
    for k, op in enumerate(rot):
        c, s = jnp.cos(angles[k]), jnp.sin(angles[k])
        s = -s if adjoint else s
        neg = _z_sign_is_negative(n, op.label, op.wires)
        f = (c - 1j * s).astype(dtype) if neg is None else jnp.where(neg, c + 1j * s, c - 1j * s)
        phase = f if phase is None else phase * f
    return jnp.ones((), dtype) if phase is None else phase.astype(dtype)


# ----------------------------------------------------------------------------- Pauli
def _apply_pauli_string(x, label: str, wires, n, transpose=False):
    """P x for a Pauli string (or Pᵀ x), via a flip of the X/Y axes and a phase per Y/Z axis."""
    act = sorted((w, p) for w, p in zip(wires, label) if p != "I")
    if not act:
        return x
    shape, axes = _split_shape(n, [w for w, _ in act])
    t = x.reshape(shape)
    flips = [ax for ax, (_, p) in zip(axes, act) if p in "XY"]
    if flips:
        t = jnp.flip(t, axis=flips)
    for ax, (_, p) in zip(axes, act):
        if p in "YZ":  # (Zx)[b] = (−1)^b x[b];  (Yx)[b] = ∓i x[1−b] (−i for b = 0)
            vals = [1, -1] if p == "Z" else ([1j, -1j] if transpose else [-1j, 1j])
            shp = [1] * len(shape)
            shp[ax] = 2
            t = t * jnp.asarray(vals, dtype=x.dtype).reshape(shp)
    return t.reshape(x.shape)


# ----------------------------------------------------------------------------- dispatch
def apply_operand(signature, operand, state, n: int, adjoint: bool = False, fixed_phase=None):
    """ψ ← Uψ (or U†ψ with ``adjoint``) for one fused stage; ``fixed_phase`` is the stage's
    precomputed :func:`fixed_diagonal`, if any."""
    kind, wires, ops = signature
    if kind == "pauli":
        c, s = jnp.cos(operand), jnp.sin(operand)
        s = -s if adjoint else s
        return c * state - 1j * s * _apply_pauli_string(state, ops[0].label, ops[0].wires, n)
    if kind == "diag":
        return state * _diag_phase(signature, operand, n, state.dtype, adjoint, fixed_phase)
    u = jnp.conj(operand).T if adjoint else operand
    return _apply_matrix(state, u, wires, n)


def stage_vjp(signature, operand, x, y, ct, n: int, trainable: bool, fixed_phase=None):
    """``(x̄, ū)`` for y = U(u) x with cotangent ȳ (see module docstring)."""
    kind, wires, ops = signature
    if kind == "pauli":
        op = ops[0]
        c, s = jnp.cos(operand), jnp.sin(operand)
        ct_x = c * ct - 1j * s * _apply_pauli_string(ct, op.label, op.wires, n, transpose=True)
        if not trainable:
            return ct_x, jnp.zeros_like(operand)
        gy = _apply_pauli_string(y, op.label, op.wires, n)
        return ct_x, jnp.imag(jnp.sum(ct * gy)).astype(operand.dtype)
    if kind == "diag":
        phase = _diag_phase(signature, operand, n, y.dtype, fixed_phase=fixed_phase)
        ct_x = ct * phase
        angles, tables = operand
        zero_tables = tuple(jnp.zeros_like(t) for t in tables)
        if not trainable or angles.shape[0] == 0:
            return ct_x, (jnp.zeros_like(angles), zero_tables)
        cy = ct * y
        ct_angles = []
        for op in (o for o in ops if o.kind == "rot"):
            neg = _z_sign_is_negative(n, op.label, op.wires)
            cys = cy if neg is None else jnp.where(neg, -cy, cy)
            ct_angles.append(jnp.imag(jnp.sum(cys)))
        return ct_x, (jnp.stack(ct_angles).astype(angles.dtype), zero_tables)
    ct_x = _apply_matrix(ct, operand.T, wires, n)
    if not trainable:
        return ct_x, jnp.zeros_like(operand)
    return ct_x, _matrix_cotangent(x, ct, wires, n)
