"""What a model *is*: immutable circuits on visible + hidden qubits, the gate set, QASM export."""

from ._circuit import MAX_QUBITS, Circuit, CircuitBuilder, Operation
from ._gates import GATES, GateSpec, pauli_matrix, su4_matrix
from ._qasm import to_qasm

__all__ = [
    "Circuit",
    "CircuitBuilder",
    "Operation",
    "GATES",
    "GateSpec",
    "MAX_QUBITS",
    "pauli_matrix",
    "su4_matrix",
    "to_qasm",
]
