"""The gate set: one registry entry per gate name, holding its size and its matrix as data.

Conventions
-----------
* Rotations are ``R_P(θ) = exp(−iθP/2)`` for P ∈ {X, Y, Z, XX, YY, ZZ} (the convention of
  Nielsen & Chuang, Qiskit and PennyLane).
* ``PauliRot(θ; c, P) = exp(−iθ·c·P)`` for any Pauli string P (no factor ½: the coefficient ``c``
  is part of the gate, as in the paper's ``exp(−iθ_j J_j P_j)``).
* ``SU4`` is a general two-qubit block with 15 parameters covering all of SU(4) (up to a global
  phase) through the Cartan (KAK) decomposition, arXiv:quant-ph/0209120:

  .. math:: U(θ) = (R(θ_9..θ_{11}) ⊗ R(θ_{12}..θ_{14}))\\, e^{−i(θ_6 XX + θ_7 YY + θ_8 ZZ)}
            \\,(R(θ_0..θ_2) ⊗ R(θ_3..θ_5)),\\qquad R(a,b,c) = R_Z(a) R_Y(b) R_Z(c).

* Matrices act on the gate's wires in the order given, big-endian (first wire = most significant).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import jax.numpy as jnp
import numpy as np

__all__ = ["GateSpec", "GATES", "pauli_matrix", "su4_matrix", "PAULI_LETTERS"]

PAULI_LETTERS = "IXYZ"

_I = np.eye(2, dtype=complex)
_X = np.array([[0, 1], [1, 0]], dtype=complex)
_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
_Z = np.array([[1, 0], [0, -1]], dtype=complex)
_PAULI = {"I": _I, "X": _X, "Y": _Y, "Z": _Z}


def pauli_matrix(label: str) -> np.ndarray:
    """Dense matrix of a Pauli string such as ``"XZ"`` (first letter = first wire)."""
    out = np.ones((1, 1), dtype=complex)
    for letter in label:
        out = np.kron(out, _PAULI[letter])
    return out


@dataclass(frozen=True)
class GateSpec:
    """What the simulator and the exporters need to know about one gate.

    Attributes:
        name: registry key, upper case (``"RX"``).
        n_wires: number of wires, or ``None`` when it is set per operation (PauliRot, Unitary).
        n_params: number of trainable parameters.
        diagonal: True when the matrix is diagonal in the computational basis for every θ.
        matrix: ``matrix(theta, data) -> (2**k, 2**k)`` complex array; ``theta`` has shape
            ``(n_params,)``, ``data`` is the operation's fixed data (or ``None``). Written in
            ``jax.numpy`` so it can be differentiated and batched.
        pauli: for Pauli rotations, the Pauli string P of ``exp(−iθ·c·P)`` with c = ``coeff``.
        coeff: the fixed coefficient of the rotation (½ for RX…RZZ).
    """

    name: str
    n_wires: int | None
    n_params: int
    diagonal: bool
    matrix: Callable
    pauli: str | None = None
    coeff: float | None = None


def _fixed(m: np.ndarray) -> Callable:
    return lambda theta, data, _m=m: jnp.asarray(_m)


def _pauli_rotation(theta, coeff: float, label: str):
    """exp(−iθ·c·P) = cos(θc) I − i sin(θc) P, valid because P² = I."""
    angle = theta[0] * coeff
    p = pauli_matrix(label)
    return jnp.cos(angle) * jnp.eye(p.shape[0]) - 1j * jnp.sin(angle) * jnp.asarray(p)


def _rot(label: str) -> Callable:
    return lambda theta, data: _pauli_rotation(theta, 0.5, label)


def _euler_zyz(a, b, c):
    """R_Z(a) R_Y(b) R_Z(c), a general SU(2) element."""
    rz = lambda t: jnp.diag(jnp.stack([jnp.exp(-0.5j * t), jnp.exp(0.5j * t)]))
    cb, sb = jnp.cos(b / 2), jnp.sin(b / 2)
    ry = jnp.stack([jnp.stack([cb, -sb]), jnp.stack([sb, cb])]).astype(rz(a).dtype)
    return rz(a) @ ry @ rz(c)


def su4_matrix(theta, data=None):
    """The 15-parameter KAK block (see module docstring)."""
    first = jnp.kron(_euler_zyz(*theta[0:3]), _euler_zyz(*theta[3:6]))
    core = (
        _pauli_rotation(theta[6:7], 1.0, "XX")
        @ _pauli_rotation(theta[7:8], 1.0, "YY")
        @ _pauli_rotation(theta[8:9], 1.0, "ZZ")
    )
    last = jnp.kron(_euler_zyz(*theta[9:12]), _euler_zyz(*theta[12:15]))
    return last @ core @ first


_S = np.diag([1, 1j])
_T = np.diag([1, np.exp(1j * np.pi / 4)])
_H = np.array([[1, 1], [1, -1]], dtype=complex) / np.sqrt(2)
_CNOT = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=complex)
_CZ = np.diag([1, 1, 1, -1]).astype(complex)
_SWAP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex)

GATES: dict[str, GateSpec] = {
    "H": GateSpec("H", 1, 0, False, _fixed(_H)),
    "X": GateSpec("X", 1, 0, False, _fixed(_X)),
    "Y": GateSpec("Y", 1, 0, False, _fixed(_Y)),
    "Z": GateSpec("Z", 1, 0, True, _fixed(_Z)),
    "S": GateSpec("S", 1, 0, True, _fixed(_S)),
    "T": GateSpec("T", 1, 0, True, _fixed(_T)),
    "CNOT": GateSpec("CNOT", 2, 0, False, _fixed(_CNOT)),
    "CZ": GateSpec("CZ", 2, 0, True, _fixed(_CZ)),
    "SWAP": GateSpec("SWAP", 2, 0, False, _fixed(_SWAP)),
    "RX": GateSpec("RX", 1, 1, False, _rot("X"), pauli="X", coeff=0.5),
    "RY": GateSpec("RY", 1, 1, False, _rot("Y"), pauli="Y", coeff=0.5),
    "RZ": GateSpec("RZ", 1, 1, True, _rot("Z"), pauli="Z", coeff=0.5),
    "RXX": GateSpec("RXX", 2, 1, False, _rot("XX"), pauli="XX", coeff=0.5),
    "RYY": GateSpec("RYY", 2, 1, False, _rot("YY"), pauli="YY", coeff=0.5),
    "RZZ": GateSpec("RZZ", 2, 1, True, _rot("ZZ"), pauli="ZZ", coeff=0.5),
    # PauliRot: data = (coeff, label); the diagonal flag is decided per operation.
    "PAULIROT": GateSpec(
        "PAULIROT", None, 1, False, lambda theta, data: _pauli_rotation(theta, data[0], data[1])
    ),
    "SU4": GateSpec("SU4", 2, 15, False, su4_matrix),
    # Unitary: data = the matrix itself.
    "UNITARY": GateSpec("UNITARY", None, 0, False, lambda theta, data: jnp.asarray(np.asarray(data, dtype=complex))),
}
