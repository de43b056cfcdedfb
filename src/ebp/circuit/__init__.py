"""What a model *is*: immutable circuits on visible + hidden qubits, the gate registry, OpenQASM
export and import (OpenQASM 3/2, Qiskit, PennyLane), the visible light cone (docs/circuits.md)."""

from ._circuit import MAX_QUBITS, Circuit, CircuitBuilder, Operation
from ._factors import Exp, Fixed, PauliExp
from ._gates import GATES, GateSpec, pauli_matrix, su4_matrix
from ._import import CircuitImportError
from ._light_cone import LightCone, LightConeTooLargeError, visible_light_cone
from ._pennylane_import import PennyLaneImportError, from_pennylane
from ._qasm import to_qasm
from ._qasm_import import QasmImportError, from_qasm
from ._qiskit_import import QiskitImportError, from_qiskit
from ._registry import GateDefinitionError, InverseRule, inverse_rule, register_gate

__all__ = [
    "GATES",
    "MAX_QUBITS",
    "Circuit",
    "CircuitBuilder",
    "CircuitImportError",
    "Exp",
    "Fixed",
    "GateDefinitionError",
    "GateSpec",
    "InverseRule",
    "LightCone",
    "LightConeTooLargeError",
    "Operation",
    "PauliExp",
    "PennyLaneImportError",
    "QasmImportError",
    "QiskitImportError",
    "from_pennylane",
    "from_qasm",
    "from_qiskit",
    "inverse_rule",
    "pauli_matrix",
    "register_gate",
    "su4_matrix",
    "to_qasm",
    "visible_light_cone",
]
