"""Running a compiled program on one state, with an adjoint-method reverse pass.

Forward: ψ_L = U_L ⋯ U_1 ψ_0, scanning over layers of identical structure. The stages' small
operands (2×2 matrices, diagonals, cos/sin of rotation angles) are built for all layers at once
before the scan, so the scanned body only updates the state.

Reverse (``jax.custom_vjp``): with cotangent ψ̄_L, walk the stages backwards,

.. math::
    ψ_{k−1} = U_k^† ψ_k,\\qquad
    (\\bar U_k, \\bar ψ_{k−1}) = \\mathrm{vjp}(U_k ψ_{k−1})(\\bar ψ_k),

i.e. the state is *uncomputed* with inverse gates instead of being stored, so memory is O(2**n)
per instance whatever the depth (Jones & Gacon, arXiv:2009.02823; Luo et al., Yao.jl,
arXiv:1912.10877). The operand cotangents Ū_k are then pulled back to the parameters in one
vectorised step per segment.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from ._compile import Program, Segment
from ._kernels import apply_operand, fixed_diagonal, stage_operand, stage_vjp
from ._pauli_sequence import PauliSequence, backward_sequence, forward_sequence

__all__ = ["pullback_program", "run_program"]


def _operands(seg: Segment, params, cdtype):
    """Operands of every stage for every layer of ``seg``: leading axis = layer."""
    out = []
    for i, sig in enumerate(seg.stage_specs):
        thetas = tuple(params[jnp.asarray(s)] for s in seg.slots[i])  # each (L, n_params_op)
        coeffs = jnp.asarray(seg.coeffs[i], dtype=params.dtype)  # (L, n_ops)
        fixed = tuple(None if f is None else jnp.asarray(f) for f in seg.fixed[i])

        def build(th, co, fx, sig=sig):
            return stage_operand(sig, th, co, fx, cdtype)

        out.append(jax.vmap(build)(thetas, coeffs, fixed))
    return tuple(out)


def _fixed_phases(seg: Segment, n: int, cdtype):
    """Loop-invariant diagonals of the fixed gates in diagonal stages (None where not needed)."""
    out: list[jax.Array | None] = []
    for i, sig in enumerate(seg.stage_specs):
        if sig[0] != "diag" or not seg.uniform_fixed[i]:
            out.append(None)
            continue
        tables = tuple(jnp.diagonal(jnp.asarray(f[0])) for f in seg.fixed[i] if f is not None)
        out.append(fixed_diagonal(sig, tables, n, cdtype) if tables else None)
    return out


def _forward(program: Program, params, state):
    n = program.n_qubits
    for seg in program.segments:
        if isinstance(seg, PauliSequence):
            state = forward_sequence(seg, params, state, n)
            continue
        pre = _fixed_phases(seg, n, state.dtype)

        def body(psi, ops, seg=seg, pre=pre):
            for sig, op, fp in zip(seg.stage_specs, ops, pre):
                psi = apply_operand(sig, op, psi, n, fixed_phase=fp)
            return psi, None

        state, _ = jax.lax.scan(body, state, _operands(seg, params, state.dtype))
    return state


@partial(jax.custom_vjp, nondiff_argnums=(0,))
def run_program(program: Program, params, state):
    """Final state of ``program`` at ``params`` from ``state`` (single instance, no batch axes)."""
    return _forward(program, params, state)


def _fwd(program, params, state):
    out = _forward(program, params, state)
    return out, (params, out)


def _bwd(program, res, ct):
    params, psi = res
    n = program.n_qubits
    grad = jnp.zeros_like(params)
    for seg in reversed(program.segments):
        if isinstance(seg, PauliSequence):
            psi, ct, g = backward_sequence(seg, params, psi, ct, n)
            grad = grad + g
            continue
        operands, pullback = jax.vjp(partial(_operands, seg, cdtype=psi.dtype), params)
        pre = _fixed_phases(seg, n, psi.dtype)

        def body(carry, ops, seg=seg, pre=pre):
            psi, ct_psi = carry
            ct_ops = []
            for i in reversed(range(len(seg.stage_specs))):
                sig = seg.stage_specs[i]
                x = apply_operand(sig, ops[i], psi, n, adjoint=True, fixed_phase=pre[i])
                ct_psi, ct_op = stage_vjp(sig, ops[i], x, psi, ct_psi, n, seg.trainable[i], pre[i])
                ct_ops.append(ct_op)
                psi = x
            return (psi, ct_psi), tuple(reversed(ct_ops))

        (psi, ct), ct_operands = jax.lax.scan(body, (psi, ct), operands, reverse=True)
        grad = grad + pullback(ct_operands)[0]
    return grad, ct


run_program.defvjp(_fwd, _bwd)


def pullback_program(program: Program, params, final_state, state_cotangent):
    """∂L/∂θ from the final state and its cotangent: the reverse pass of :func:`run_program`
    alone (single instance), for objectives whose state cotangent is computed elsewhere."""
    return _bwd(program, (params, final_state), state_cotangent)[0]
