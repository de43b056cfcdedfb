"""Import from PennyLane (the ``ebp[pennylane]`` extra): ``from_pennylane(qnode, visible, args)``.

* qubits are the tape's wire labels (device wires for a QNode); the visible ones come first;
* parameters: every element of the QNode's numeric arguments ``args`` becomes a slot, in argument
  order (row-major inside arrays), named after the function's argument (``weights[0,1,2]``, ``x``);
  for a tape, its trainable parameters (``p0``, ``p1`` …). Which gate angle depends on which
  parameter, and how (a·x + b), is read exactly with ``jax.jacfwd`` of the angles with respect to
  the arguments, and checked at a second random point (a nonlinear dependence is refused);
* gates: the registry's under PennyLane's names; any other operation (templates such as
  ``StronglyEntanglingLayers``, ``Rot``) through PennyLane's own decomposition, recursively;
* measurements are ignored (noted); mid-circuit measurements and conditionals are refused.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._precision import x64_scope
from ._circuit import Circuit
from ._import import (
    Affine,
    CircuitAssembly,
    CircuitImportError,
    optional_import,
    resolve_visible,
    wire_order,
)

__all__ = ["PennyLaneImportError", "from_pennylane"]

# PennyLane operation name -> (ebp gate, sign of the angle); GlobalPhase(φ) is e^{−iφ}
_NAMES = {
    "Identity": ("ID", 1),
    "Hadamard": ("H", 1),
    "PauliX": ("X", 1),
    "PauliY": ("Y", 1),
    "PauliZ": ("Z", 1),
    "S": ("S", 1),
    "T": ("T", 1),
    "SX": ("SX", 1),
    "CNOT": ("CNOT", 1),
    "CY": ("CY", 1),
    "CZ": ("CZ", 1),
    "CH": ("CH", 1),
    "SWAP": ("SWAP", 1),
    "ISWAP": ("ISWAP", 1),
    "ECR": ("ECR", 1),
    "Toffoli": ("CCX", 1),
    "CSWAP": ("CSWAP", 1),
    "RX": ("RX", 1),
    "RY": ("RY", 1),
    "RZ": ("RZ", 1),
    "PhaseShift": ("P", 1),
    "U1": ("P", 1),
    "U2": ("U2", 1),
    "U3": ("U3", 1),
    "IsingXX": ("RXX", 1),
    "IsingYY": ("RYY", 1),
    "IsingZZ": ("RZZ", 1),
    "CRX": ("CRX", 1),
    "CRY": ("CRY", 1),
    "CRZ": ("CRZ", 1),
    "ControlledPhaseShift": ("CP", 1),
    "GlobalPhase": ("GPHASE", -1),
}
_REFUSED = {
    "MidMeasureMP": "mid-circuit measurement",
    "Conditional": "classical control",
    "MidMeasure": "mid-circuit measurement",
}


class PennyLaneImportError(CircuitImportError):
    """A PennyLane circuit ebp cannot read (the message names the operation and why)."""


def _flatten(ops, out):
    """Registry operations (name, wires, angles), decomposing everything else."""
    for op in ops:
        name = op.name
        if name in _REFUSED:
            raise PennyLaneImportError(
                f"{_REFUSED[name]} ({name}) is not supported (ebp circuits are unitary)"
            )
        if name in _NAMES and (name != "GlobalPhase" or len(op.parameters) == 1):
            out.append((name, op.wires.tolist(), list(op.parameters)))
            continue
        if not op.has_decomposition:
            raise PennyLaneImportError(
                f"operation {name!r} is not in ebp's gate registry and PennyLane gives no "
                "decomposition of it"
            )
        _flatten(op.decomposition(), out)
    return out


def _names_of(qnode, args) -> list[str]:
    try:
        params = list(inspect.signature(qnode.func).parameters)
    except (TypeError, ValueError, AttributeError):
        params = []
    names = []
    for k, a in enumerate(args):
        base = params[k] if k < len(params) else f"arg{k}"
        arr = np.asarray(a)
        if arr.ndim == 0:
            names.append(base)
        else:
            names += [f"{base}[{','.join(map(str, idx))}]" for idx in np.ndindex(arr.shape)]
    return names


def from_pennylane(
    tape_or_qnode: Any,
    visible: Any = None,
    *,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    promote_angles: bool = False,
) -> Circuit:
    """Read a PennyLane QNode (called with ``args``) or tape into a :class:`Circuit`.

    Args:
        tape_or_qnode: a ``QNode`` or a ``QuantumScript``/``QuantumTape``.
        visible: the visible wires (PennyLane wire labels, or indices into the tape's wires).
        args: the QNode's positional arguments; their numeric elements become the parameters.
        kwargs: keyword arguments passed through unchanged (not parameters).
        promote_angles: make every numeric angle a parameter of its own.

    Raises:
        ImportError: naming the extra to install when PennyLane is missing.
        PennyLaneImportError: naming the operation and why it cannot be read.
    """
    qml = optional_import("pennylane", "pennylane")
    import jax
    import jax.numpy as jnp

    kwargs = dict(kwargs or {})
    if isinstance(tape_or_qnode, qml.QNode):
        qnode = tape_or_qnode
        shapes = [np.shape(a) for a in args]
        sizes = [int(np.prod(s)) for s in shapes]
        x0 = (
            np.concatenate([np.asarray(a, dtype=float).reshape(-1) for a in args])
            if args
            else np.zeros(0)
        )
        names = _names_of(qnode, args)

        def tape_at(x):
            parts, start = [], 0
            for s, n in zip(shapes, sizes):
                parts.append(x[start : start + n].reshape(s))
                start += n
            return qml.workflow.construct_tape(qnode)(*parts, **kwargs)
    elif isinstance(tape_or_qnode, qml.tape.QuantumScript):
        tape0 = tape_or_qnode
        idx = sorted(tape0.trainable_params)
        x0 = np.asarray([float(np.real(v)) for v in tape0.get_parameters(trainable_only=True)])
        names = [f"p{k}" for k in range(len(idx))]

        def tape_at(x):
            return tape0.bind_new_parameters(list(x), idx) if idx else tape0
    else:
        raise TypeError(f"expected a PennyLane QNode or tape; got {type(tape_or_qnode).__name__}.")

    tape = tape_at(x0)
    wires = tape.wires.tolist()
    ops = _flatten(tape.operations, [])
    if any(getattr(m, "mv", None) is not None for m in tape.measurements):
        raise PennyLaneImportError("mid-circuit measurement results are not supported")

    def angles(x):
        flat = _flatten(tape_at(x).operations, [])
        vals = [jnp.asarray(v, dtype=jnp.float64).reshape(()) for _, _, ps in flat for v in ps]
        return jnp.stack(vals) if vals else jnp.zeros(0)

    with x64_scope():  # float64 angles whatever the caller's 64-bit setting
        a0 = np.asarray(angles(jnp.asarray(x0)))
        jac = (
            np.asarray(jax.jacfwd(angles)(jnp.asarray(x0)))
            if x0.size and a0.size
            else np.zeros((a0.size, x0.size))
        )
    offset = a0 - jac @ x0
    x1 = x0 + np.random.default_rng(0).uniform(-1, 1, x0.size)
    if x0.size and not np.allclose(
        np.asarray(angles(jnp.asarray(x1))), jac @ x1 + offset, atol=1e-9
    ):
        raise PennyLaneImportError(
            "a gate angle depends on the arguments nonlinearly; ebp needs "
            "each angle to be a·x + b in one argument element"
        )
    try:
        vis = resolve_visible(visible, wires, "wire")
    except CircuitImportError as exc:
        raise PennyLaneImportError(str(exc)) from None
    asm = CircuitAssembly(len(wires), promote_angles=promote_angles)
    for n in names:
        asm.new_param(n)
    k = 0
    for name, ws, ps in ops:
        gate, sign = _NAMES[name]
        args_ = []
        for _ in ps:
            row = jac[k]
            nz = np.flatnonzero(np.abs(row) > 1e-12)
            if nz.size > 1:
                raise PennyLaneImportError(
                    f"an angle of {name} on wires {ws} depends on "
                    f"{nz.size} parameters; ebp needs one"
                )
            a = (
                Affine(sign * float(offset[k]), sign * float(row[nz[0]]), int(nz[0]))
                if nz.size
                else Affine(sign * float(a0[k]))
            )
            args_.append(a)
            k += 1
        target = tuple(wires.index(w) for w in ws) or (0,)
        try:
            asm.gate(gate, target, args_)
        except ValueError as exc:
            raise PennyLaneImportError(f"{name} on wires {ws}: {exc}") from None
    if tape.measurements:
        asm.note("measurements ignored (ebp works with the state before them)")
    return asm.build(wire_order(vis, len(wires)), len(vis), wires)
