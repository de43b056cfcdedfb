"""The gate set: every gate ebp knows, each defined by one :func:`register_gate` call.

Conventions
-----------
* Matrices act on the gate's wires in the order given, big-endian (first wire = most significant
  bit); for controlled gates the control(s) come first, as in OpenQASM.
* Rotations are ``R_P(θ) = exp(−iθP/2)`` (Nielsen & Chuang, Qiskit, PennyLane); ``P(λ)`` is
  ``diag(1, e^{iλ})``; ``U3(θ, φ, λ) = P(φ) R_Y(θ) P(λ)`` is OpenQASM's builtin ``U`` (and
  Qiskit's ``UGate``/``U3Gate``; OpenQASM 3's ``stdgates.inc`` ``u3``/``u2`` differ from it by a
  global phase e^{−i(φ+λ)/2}, which no quantity ebp computes depends on).
* ``PAULIROT(θ; c, P) = exp(−iθ·c·P)`` for any Pauli string P (the coefficient c is part of the
  gate, as in the paper's ``exp(−iθ_j J_j P_j)``).
* ``SU4`` is a general two-qubit block with 15 parameters covering SU(4) up to a global phase
  through the Cartan (KAK) decomposition, arXiv:quant-ph/0209120:

  .. math:: U(θ) = (R(θ_9..θ_{11}) ⊗ R(θ_{12}..θ_{14}))\\, e^{−i(θ_6 XX + θ_7 YY + θ_8 ZZ)}
            \\,(R(θ_0..θ_2) ⊗ R(θ_3..θ_5)),\\qquad R(a,b,c) = R_Z(a) R_Y(b) R_Z(c).

* ``GPHASE(γ) = e^{iγ}`` is a global phase; it is stored on one wire (any) and written
  ``gphase(γ);`` in OpenQASM.

To add a gate, add one :func:`register_gate` call below: the matrix, shift rule, inverse, kernel
kind, QASM import/export and the contract tests follow from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._factors import PAULI_LETTERS, Exp, Fixed, PauliExp, pauli_matrix
from ._registry import GATES, GateSpec, InverseRule, register_gate

if TYPE_CHECKING:
    import jax

__all__ = ["GATES", "PAULI_LETTERS", "GateSpec", "pauli_matrix", "su4_matrix"]

_I = np.eye(2)
_N1: NDArray[np.float64] = np.diag([0.0, 1.0])  # |1⟩⟨1|, the control projector
_X, _Y, _Z = (pauli_matrix(p) for p in "XYZ")
_H = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
_SX = np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]]) / 2


def _controlled(u: np.ndarray, n_controls: int = 1) -> np.ndarray:
    """|0…0⟩⟨0…0| ⊗ I + … + |1…1⟩⟨1…1| ⊗ u (controls first)."""
    d = u.shape[0]
    out = np.eye(d * 2**n_controls, dtype=complex)
    out[-d:, -d:] = u
    return out


def _on_target(g: np.ndarray) -> np.ndarray:
    """A generator acting on the target when the control is |1⟩: |1⟩⟨1| ⊗ g."""
    return np.kron(_N1, g)


def _fixed(name, matrix, qasm, n_wires, definition=None, doc=""):
    register_gate(
        name,
        n_wires=n_wires,
        factors=(Fixed(matrix),),
        qasm=qasm,
        qasm_definition=definition,
        doc=doc,
    )


# ----------------------------------------------------------------------------- fixed gates
_fixed("ID", _I, ("id",), 1, doc="identity")
_fixed("H", _H, ("h",), 1)
_fixed("X", _X, ("x",), 1)
_fixed("Y", _Y, ("y",), 1)
_fixed("Z", _Z, ("z",), 1)
_fixed("S", np.diag([1, 1j]), ("s",), 1)
_fixed("SDG", np.diag([1, -1j]), ("sdg",), 1)
_fixed("T", np.diag([1, np.exp(1j * np.pi / 4)]), ("t",), 1)
_fixed("TDG", np.diag([1, np.exp(-1j * np.pi / 4)]), ("tdg",), 1)
_fixed("SX", _SX, ("sx",), 1, doc="√X")
_fixed("SXDG", _SX.conj().T, ("sxdg",), 1, definition="s a; h a; s a; gphase(-pi/4);")
_fixed("CNOT", _controlled(_X), ("cx", "CX", "cnot"), 2)
_fixed("CY", _controlled(_Y), ("cy",), 2)
_fixed("CZ", _controlled(_Z), ("cz",), 2)
_fixed("CH", _controlled(_H), ("ch",), 2)
_fixed("SWAP", np.eye(4)[[0, 2, 1, 3]], ("swap",), 2)
_fixed("CCX", _controlled(_X, 2), ("ccx", "toffoli"), 3)
_fixed("CSWAP", _controlled(np.eye(4)[[0, 2, 1, 3]]), ("cswap", "fredkin"), 3)
_fixed("CCZ", _controlled(_Z, 2), ("ccz",), 3, definition="h c; ccx a, b, c; h c;")
_fixed(
    "ISWAP",
    np.array([[1, 0, 0, 0], [0, 0, 1j, 0], [0, 1j, 0, 0], [0, 0, 0, 1]]),
    ("iswap",),
    2,
    definition="s a; s b; h a; cx a, b; cx b, a; h b;",
)
_fixed(
    "ECR",
    (np.kron(_X, _I) - np.kron(_Y, _X)) / np.sqrt(2),
    ("ecr",),
    2,
    definition="rzx(pi/4) a, b; x a; rzx(-pi/4) a, b;",
    doc="echoed cross-resonance, (X⊗I − Y⊗X)/√2",
)

# ----------------------------------------------------------------------------- Pauli rotations
for _name, _label, _def in (
    ("RX", "X", None),
    ("RY", "Y", None),
    ("RZ", "Z", None),
    ("RXX", "XX", "h a; h b; cx a, b; rz(theta) b; cx a, b; h a; h b;"),
    (
        "RYY",
        "YY",
        ("rx(pi/2) a; rx(pi/2) b; cx a, b; rz(theta) b; cx a, b; rx(-pi/2) a; rx(-pi/2) b;"),
    ),
    ("RZZ", "ZZ", "cx a, b; rz(theta) b; cx a, b;"),
    ("RZX", "ZX", "h b; cx a, b; rz(theta) b; cx a, b; h b;"),
):
    register_gate(
        _name,
        n_wires=len(_label),
        params=("theta",),
        qasm=(_name.lower(),),
        factors=(PauliExp(0, 0.5, _label),),
        qasm_definition=_def,
    )

# ----------------------------------------------------------------------------- phases, U
register_gate(
    "GPHASE",
    n_wires=1,
    params=("gamma",),
    qasm=("gphase",),
    qasm_qubits=0,
    factors=(Exp(0, -_I),),
    doc="global phase e^{iγ}",
)
register_gate(
    "P",
    n_wires=1,
    params=("lambda",),
    qasm=("p", "phase", "u1"),
    factors=(Exp(0, -_N1),),
    doc="diag(1, e^{iλ})",
)
register_gate(
    "U3",
    n_wires=1,
    params=("theta", "phi", "lambda"),
    qasm=("U", "u3", "u"),
    factors=(Exp(2, -_N1), PauliExp(0, 0.5, "Y"), Exp(1, -_N1)),
    doc="P(φ) R_Y(θ) P(λ), OpenQASM's builtin U",
)
register_gate(
    "U2",
    n_wires=1,
    params=("phi", "lambda"),
    qasm=("u2",),
    factors=(Exp(1, -_N1), Fixed(_H @ _Z), Exp(0, -_N1)),
    inverse=lambda data: InverseRule("U2", ((1, -1.0, np.pi), (0, -1.0, np.pi))),
    doc="U3(π/2, φ, λ); U2(φ, λ)† = U2(π − λ, π − φ)",
)

# ----------------------------------------------------------------------------- controlled
register_gate(
    "CP",
    n_wires=2,
    params=("lambda",),
    qasm=("cp", "cphase", "cu1"),
    factors=(Exp(0, -np.kron(_N1, _N1)),),
)
for _name, _p in (("CRX", _X), ("CRY", _Y), ("CRZ", _Z)):
    register_gate(
        _name,
        n_wires=2,
        params=("theta",),
        qasm=(_name.lower(),),
        factors=(Exp(0, _on_target(_p / 2)),),
    )
register_gate(
    "CU",
    n_wires=2,
    params=("theta", "phi", "lambda", "gamma"),
    qasm=("cu",),
    factors=(
        Exp(2, -np.kron(_N1, _N1)),
        Exp(0, _on_target(_Y / 2)),
        Exp(1, -np.kron(_N1, _N1)),
        Exp(3, -np.kron(_N1, _I)),
    ),
    doc="controlled e^{iγ} U3(θ, φ, λ)",
)
register_gate(
    "CU3",
    n_wires=2,
    params=("theta", "phi", "lambda"),
    qasm=("cu3",),
    factors=(Exp(2, -np.kron(_N1, _N1)), Exp(0, _on_target(_Y / 2)), Exp(1, -np.kron(_N1, _N1))),
    qasm_definition="cu(theta, phi, lambda, 0) a, b;",
    doc="controlled U3(θ, φ, λ) (OpenQASM 2's qelib1.inc)",
)

register_gate(
    "XY",
    n_wires=2,
    params=("theta",),
    qasm=("xy",),
    factors=(Exp(0, (np.kron(_X, _X) + np.kron(_Y, _Y)) / 4),),
    qasm_definition="rxx(theta/2) a, b; ryy(theta/2) a, b;",
    doc="XY (XX+YY) interaction exp(−iθ(XX+YY)/4); PennyLane's IsingXY(−θ)",
)

# ----------------------------------------------------------------------------- ebp blocks
_SU4_WORD = (  # time order: first Euler triples, then the XX/YY/ZZ core, then the last triples
    PauliExp(2, 0.5, "ZI"),
    PauliExp(5, 0.5, "IZ"),
    PauliExp(1, 0.5, "YI"),
    PauliExp(4, 0.5, "IY"),
    PauliExp(0, 0.5, "ZI"),
    PauliExp(3, 0.5, "IZ"),
    PauliExp(8, 1.0, "ZZ"),
    PauliExp(7, 1.0, "YY"),
    PauliExp(6, 1.0, "XX"),
    PauliExp(11, 0.5, "ZI"),
    PauliExp(14, 0.5, "IZ"),
    PauliExp(10, 0.5, "YI"),
    PauliExp(13, 0.5, "IY"),
    PauliExp(9, 0.5, "ZI"),
    PauliExp(12, 0.5, "IZ"),
)
register_gate(
    "SU4",
    n_wires=2,
    params=tuple(f"theta{k}" for k in range(15)),
    qasm=("su4",),
    factors=_SU4_WORD,
    qasm_definition=(
        "rz(theta2) a; ry(theta1) a; rz(theta0) a; rz(theta5) b; ry(theta4) b; "
        "rz(theta3) b; rzz(2*theta8) a, b; ryy(2*theta7) a, b; rxx(2*theta6) a, b; "
        "rz(theta11) a; ry(theta10) a; rz(theta9) a; rz(theta14) b; ry(theta13) b; "
        "rz(theta12) b;"
    ),
    doc="15-parameter KAK block",
)


def _check_pauli_data(wires, data):
    if not (isinstance(data, tuple) and len(data) == 2):
        raise TypeError("PAULIROT needs data=(coeff, label), e.g. (0.5, 'XZ').")
    coeff, label = data
    label = str(label).upper()
    if len(label) != len(wires) or not set(label) <= set(PAULI_LETTERS):
        raise ValueError(
            f"Pauli label {label!r} must have one letter from I, X, Y, Z per wire "
            f"({len(wires)} wires)."
        )
    if not np.isfinite(coeff):
        raise ValueError(f"Pauli rotation coefficient must be finite; got {coeff}.")
    return (float(coeff), label)


register_gate(
    "PAULIROT",
    n_wires=None,
    params=("theta",),
    factors=lambda data: (PauliExp(0, data[0], data[1]),),
    check_data=_check_pauli_data,
    doc="exp(−iθ·c·P), data = (c, P)",
)


def _check_unitary_data(wires, data):
    m = np.asarray(data, dtype=complex)
    d = 2 ** len(wires)
    if m.shape != (d, d):
        raise ValueError(f"a unitary on {len(wires)} wire(s) must be {d}x{d}; got shape {m.shape}.")
    if not np.allclose(m.conj().T @ m, np.eye(d), atol=1e-10):
        raise ValueError("matrix is not unitary (U†U differs from I by more than 1e-10).")
    return tuple(tuple(complex(x) for x in row) for row in m)  # hashable, comparable


register_gate(
    "UNITARY",
    n_wires=None,
    factors=lambda data: (Fixed(data),),
    check_data=_check_unitary_data,
    doc="a fixed unitary, data = its matrix",
)


def su4_matrix(theta: ArrayLike, data: Any = None) -> jax.Array:
    """The 15-parameter KAK block (see the module docstring): a ``(4, 4)`` unitary in
    ``jax.numpy`` at ``theta`` of shape ``(15,)``."""
    return GATES["SU4"].matrix(theta)
