"""Import from Qiskit (the ``ebp[qiskit]`` extra): ``from_qiskit(quantum_circuit, visible=...)``.

* qubits keep their register labels (``"q[3]"``); the visible ones come first;
* free parameters (``Parameter``, ``ParameterVector`` elements) become slots in Qiskit's own order
  (``circuit.parameters``, the order ``assign_parameters`` takes a list in), names kept;
* gates: the registry's, by their OpenQASM name (Qiskit's gate names are the OpenQASM names);
  any other gate is replaced by Qiskit's own definition of it, recursively (library blocks such
  as ``EfficientSU2`` included); global phases are kept (``GPHASE``);
* angles: a parameter, a number, or affine in one parameter (see :mod:`ebp.circuit._import`);
* barriers start a new layer, final measurements are ignored (both noted in ``circuit.notes``);
  resets, mid-circuit measurements and classical control are refused (:class:`QiskitImportError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._circuit import Circuit
from ._import import (
    Affine,
    CircuitAssembly,
    CircuitImportError,
    optional_import,
    resolve_visible,
    wire_order,
)
from ._registry import qasm_gate

__all__ = ["QiskitImportError", "from_qiskit"]

_CONTROL_FLOW = {
    "if_else",
    "while_loop",
    "for_loop",
    "switch_case",
    "break_loop",
    "continue_loop",
    "box",
}


class QiskitImportError(CircuitImportError):
    """A Qiskit circuit ebp cannot read (the message names the instruction and why)."""


def _angle(value, slots: dict) -> Affine:
    from qiskit.circuit import ParameterExpression

    if not isinstance(value, ParameterExpression):
        try:
            return Affine(float(value))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"angle {value!r} is not a number or a parameter expression") from exc
    params = list(value.parameters)
    if not params:
        return Affine(float(value.numeric().real if hasattr(value, "numeric") else value))
    if len(params) > 1:
        raise ValueError(f"angle {value} depends on {len(params)} parameters; ebp needs one")
    p = params[0]
    slope = value.gradient(p)
    if isinstance(slope, ParameterExpression) and slope.parameters:
        raise ValueError(f"angle {value} is not affine in {p.name}")
    a = float(slope)
    b = float(value.bind({p: 0.0}))
    return Affine(b, a, slots[p])


def _labels(qc) -> list[str]:
    out = []
    for i, q in enumerate(qc.qubits):
        regs = qc.find_bit(q).registers
        out.append(f"{regs[0][0].name}[{regs[0][1]}]" if regs else f"qubit{i}")
    return out


def _walk(
    qc, wires: list[int], asm: CircuitAssembly, slots: dict, measured: set, depth: int = 0
) -> None:
    if depth > 64:
        raise QiskitImportError("gate definitions nest more than 64 levels deep")
    if qc.global_phase:
        asm.gate("GPHASE", (wires[0],), [_angle(qc.global_phase, slots)])
    index = {q: k for k, q in enumerate(qc.qubits)}
    for inst in qc.data:
        op = inst.operation
        ws = tuple(wires[index[q]] for q in inst.qubits)
        name = op.name
        if name == "barrier":
            asm.layer()
            asm.note("barriers start a new layer")
            continue
        if name == "measure":
            measured.update(ws)
            asm.note("final measurements ignored (ebp works with the state before them)")
            continue
        if name == "delay":
            asm.note("delays ignored")
            continue
        if name == "reset":
            raise QiskitImportError("reset is not supported (ebp circuits are unitary)")
        if name in _CONTROL_FLOW or getattr(op, "condition", None) is not None:
            raise QiskitImportError(
                f"classical control ({name}) is not supported (ebp circuits are unitary)"
            )
        if measured.intersection(ws):
            raise QiskitImportError(
                f"gate {name} after a measurement (mid-circuit measurement) is not supported"
            )
        if len(inst.clbits):
            raise QiskitImportError(f"instruction {name} uses classical bits; not supported")
        spec = qasm_gate("gphase" if name == "global_phase" else name)
        if spec is not None and len(op.params) == spec.n_params:
            try:
                args = [_angle(v, slots) for v in op.params]
                asm.gate(spec.name, ws if ws else (wires[0],), args)
            except ValueError as exc:
                raise QiskitImportError(f"gate {name} on qubits {ws}: {exc}") from None
            continue
        definition = getattr(op, "definition", None)
        if definition is None:
            raise QiskitImportError(
                f"gate {name!r} is not in ebp's gate registry and Qiskit gives no definition of it"
            )
        _walk(definition, list(ws), asm, slots, measured, depth + 1)


def from_qiskit(
    quantum_circuit: Any,
    visible: str | int | Sequence[Any] | None = None,
    *,
    promote_angles: bool = False,
) -> Circuit:
    """Read a Qiskit ``QuantumCircuit`` into a :class:`Circuit` (see the module docstring).

    Args:
        quantum_circuit: the circuit (parametrised or bound).
        visible: the visible qubits: labels (``"q[0]"``), indices, or Qiskit ``Qubit`` objects;
            they become wires 0…n_v−1 in this order.
        promote_angles: make every numeric angle a parameter of its own (for bound circuits).

    Raises:
        ImportError: naming the extra to install when Qiskit is missing.
        QiskitImportError: naming the instruction and why it cannot be read.
    """
    qiskit = optional_import("qiskit", "qiskit")
    if not isinstance(quantum_circuit, qiskit.QuantumCircuit):
        raise TypeError(f"expected a qiskit QuantumCircuit; got {type(quantum_circuit).__name__}.")
    qc = quantum_circuit
    labels = _labels(qc)
    if visible is not None and not isinstance(visible, (str, int)):
        visible = [
            labels[qc.find_bit(v).index] if isinstance(v, qiskit.circuit.Qubit) else v
            for v in visible
        ]
    try:
        vis = resolve_visible(visible, labels, "qubit")
    except CircuitImportError as exc:
        raise QiskitImportError(str(exc)) from None
    asm = CircuitAssembly(len(labels), promote_angles=promote_angles)
    slots = {p: asm.new_param(p.name) for p in qc.parameters}
    _walk(qc, list(range(len(labels))), asm, slots, set())
    return asm.build(wire_order(vis, len(labels)), len(vis), labels)
