"""OpenQASM 3 export.

Parameters become an ``input array[float[64], P] theta`` (or numbers, when values are given). Gates
outside ``stdgates.inc`` are written as gate definitions (``rxx``, ``ryy``, ``rzz``) or decomposed:
a Pauli rotation exp(−iθcP) becomes a basis change, a CNOT ladder and ``rz(2cθ)``; the SU4 block
becomes its KAK factors; a fixed single-qubit unitary becomes ``U(θ, φ, λ)`` plus a global phase.
Qubit ``q[i]`` is wire ``i`` (big-endian in ebp, as OpenQASM lists qubits by index).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["to_qasm"]

_STD = {"H": "h", "X": "x", "Y": "y", "Z": "z", "S": "s", "T": "t", "CNOT": "cx", "CZ": "cz",
        "SWAP": "swap", "RX": "rx", "RY": "ry", "RZ": "rz", "RXX": "rxx", "RYY": "ryy", "RZZ": "rzz"}

_HEADER_DEFS = """gate rxx(a) p, q { h p; h q; cx p, q; rz(a) q; cx p, q; h p; h q; }
gate ryy(a) p, q { rx(pi/2) p; rx(pi/2) q; cx p, q; rz(a) q; cx p, q; rx(-pi/2) p; rx(-pi/2) q; }
gate rzz(a) p, q { cx p, q; rz(a) q; cx p, q; }"""


def _pauli_rotation_lines(label: str, wires, angle: str) -> list[str]:
    """exp(−i(angle/2)·P) via basis change to Z, parity ladder, rz(angle)."""
    act = [(p, w) for p, w in zip(label, wires) if p != "I"]
    if not act:
        return [f"gphase(-({angle})/2);"]
    pre, post = [], []
    for p, w in act:
        if p == "X":
            pre.append(f"h q[{w}];"); post.append(f"h q[{w}];")
        elif p == "Y":
            pre.append(f"rx(pi/2) q[{w}];"); post.append(f"rx(-pi/2) q[{w}];")
    ws = [w for _, w in act]
    ladder = [f"cx q[{a}], q[{b}];" for a, b in zip(ws[:-1], ws[1:])]
    return pre + ladder + [f"rz({angle}) q[{ws[-1]}];"] + ladder[::-1] + post


def _zyz(u: np.ndarray) -> tuple[float, float, float, float]:
    """u = e^{iα} RZ(φ) RY(θ) RZ(λ)."""
    det = np.linalg.det(u)
    alpha = np.angle(det) / 2
    v = u * np.exp(-1j * alpha)
    theta = 2 * np.arctan2(abs(v[1, 0]), abs(v[0, 0]))
    s = np.angle(v[1, 1]) if abs(v[1, 1]) > 1e-12 else 0.0
    d = np.angle(v[1, 0]) if abs(v[1, 0]) > 1e-12 else 0.0
    if abs(v[1, 1]) <= 1e-12:
        s = d
    if abs(v[1, 0]) <= 1e-12:
        d = s
    phi, lam = s + d, s - d
    return float(alpha), float(phi), float(theta), float(lam)


def to_qasm(circuit, params: Sequence[float] | None = None) -> str:
    """Write ``circuit`` as an OpenQASM 3 program.

    Args:
        circuit: an :class:`ebp.circuit.Circuit`.
        params: parameter values to bind; if omitted the program declares
            ``input array[float[64], n_params] theta``.

    Raises:
        ValueError: for a fixed unitary on two or more wires (no portable decomposition is
            written) or a wrong number of parameter values.
    """
    if params is not None:
        params = np.asarray(params, dtype=float).reshape(-1)
        if params.size != circuit.n_params:
            raise ValueError(f"expected {circuit.n_params} parameter values; got {params.size}.")
        th = lambda k: repr(float(params[k]))
    else:
        th = lambda k: f"theta[{k}]"

    lines = ["OPENQASM 3.0;", 'include "stdgates.inc";', _HEADER_DEFS]
    if params is None and circuit.n_params:
        lines.append(f"input array[float[64], {circuit.n_params}] theta;")
    lines.append(f"qubit[{circuit.n_qubits}] q;  // visible q[0..{circuit.n_visible - 1}], "
                 f"hidden q[{circuit.n_visible}..{circuit.n_qubits - 1}]")
    for op in circuit.operations:
        qs = ", ".join(f"q[{w}]" for w in op.wires)
        if op.name in ("RX", "RY", "RZ", "RXX", "RYY", "RZZ"):
            lines.append(f"{_STD[op.name]}({th(op.slots[0])}) {qs};")
        elif op.name in _STD:
            lines.append(f"{_STD[op.name]} {qs};")
        elif op.name == "PAULIROT":
            coeff, label = op.data
            lines += _pauli_rotation_lines(label, op.wires, f"{2 * coeff!r}*{th(op.slots[0])}")
        elif op.name == "SU4":
            a, b = op.wires
            t = [th(s) for s in op.slots]
            for w, k in ((a, 0), (b, 3)):
                lines += [f"rz({t[k + 2]}) q[{w}];", f"ry({t[k + 1]}) q[{w}];", f"rz({t[k]}) q[{w}];"]
            lines += [f"rzz(2*{t[8]}) {qs};", f"ryy(2*{t[7]}) {qs};", f"rxx(2*{t[6]}) {qs};"]
            for w, k in ((a, 9), (b, 12)):
                lines += [f"rz({t[k + 2]}) q[{w}];", f"ry({t[k + 1]}) q[{w}];", f"rz({t[k]}) q[{w}];"]
        elif op.name == "UNITARY":
            if len(op.wires) != 1:
                raise ValueError(
                    f"cannot export a fixed {len(op.wires)}-qubit unitary to OpenQASM 3; only "
                    "single-qubit fixed unitaries are decomposed."
                )
            alpha, phi, theta, lam = _zyz(np.asarray(op.data))
            w = op.wires[0]
            lines += [f"rz({lam!r}) q[{w}];", f"ry({theta!r}) q[{w}];", f"rz({phi!r}) q[{w}];",
                      f"gphase({alpha!r});"]
        else:  # pragma: no cover - registry and exporter are kept in step by the tests
            raise ValueError(f"no OpenQASM 3 form for gate {op.name}.")
    return "\n".join(lines) + "\n"
