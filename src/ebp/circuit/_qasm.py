"""OpenQASM 3 export, written from the gate registry.

Parameters become an ``input array[float[64], P] theta`` (or numbers, when values are given). A
gate is written under its first OpenQASM name; gates outside ``stdgates.inc`` (``rxx``, ``ecr``,
``su4`` …) get a ``gate`` definition from their registration. A Pauli rotation exp(−iθcP) is a
gate ``pauli_<p>(t)`` = exp(−i(t/2)P) (basis change, parity ladder, ``rz(t)``) called with
``t = 2cθ``; a fixed single-qubit unitary becomes ``U(θ, φ, λ)`` plus a global phase. Layers are
separated by ``barrier`` over the whole register (read back as layer boundaries by
:func:`ebp.circuit.from_qasm`); the comment on the qubit declaration, ``// visible q[0..k]``,
records the visible qubits (``from_qasm`` reads it when ``visible`` is not given; a comment, so
that every OpenQASM reader accepts the program). Qubit ``q[i]`` is wire ``i`` (big-endian in ebp,
as OpenQASM lists qubits by index).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._gates import GATES

if TYPE_CHECKING:
    from ._circuit import Circuit

__all__ = ["to_qasm"]

_OPERANDS = "abcdefghijklmnopqrstuvwxyz"


def pauli_gate_name(label: str) -> str:
    """Name of the exported gate exp(−i(t/2)P) for the Pauli string ``label``."""
    return f"pauli_{label.lower()}"


def pauli_gate_definition(label: str) -> str:
    """``gate pauli_<p>(t) a, b, … { … }`` = exp(−i(t/2)P): basis change to Z, parity ladder,
    ``rz(t)``, undo (Nielsen & Chuang §4.7.3)."""
    qs = [f"q{i}" for i in range(len(label))]
    act = [(p, q) for p, q in zip(label, qs) if p != "I"]
    if not act:
        body = ["gphase(-t/2);"]
    else:
        pre, post = [], []
        for p, q in act:
            if p == "X":
                pre.append(f"h {q};")
                post.append(f"h {q};")
            elif p == "Y":
                pre.append(f"rx(pi/2) {q};")
                post.append(f"rx(-pi/2) {q};")
        ws = [q for _, q in act]
        ladder = [f"cx {a}, {b};" for a, b in itertools.pairwise(ws)]
        body = pre + ladder + [f"rz(t) {ws[-1]};"] + ladder[::-1] + post
    return f"gate {pauli_gate_name(label)}(t) {', '.join(qs)} {{ {' '.join(body)} }}"


def _zyz(u: np.ndarray) -> tuple[float, float, float, float]:
    """u = e^{iα} U(θ, φ, λ) with OpenQASM's U(θ, φ, λ) = P(φ) R_Y(θ) P(λ)."""
    det = np.linalg.det(u)
    alpha = np.angle(det) / 2
    v = u * np.exp(-1j * alpha)  # in SU(2): v = RZ(φ) RY(θ) RZ(λ)
    theta = 2 * np.arctan2(abs(v[1, 0]), abs(v[0, 0]))
    s = np.angle(v[1, 1]) if abs(v[1, 1]) > 1e-12 else 0.0
    d = np.angle(v[1, 0]) if abs(v[1, 0]) > 1e-12 else 0.0
    if abs(v[1, 1]) <= 1e-12:
        s = d
    if abs(v[1, 0]) <= 1e-12:
        d = s
    phi, lam = s + d, s - d
    # RZ(φ) RY(θ) RZ(λ) = e^{−i(φ+λ)/2} U(θ, φ, λ)
    return float(alpha - (phi + lam) / 2), float(phi), float(theta), float(lam)


def _definitions(names: list[str]) -> list[str]:
    """``gate`` definitions of the registered gates used, dependencies first."""
    defined = {GATES[n].qasm[0]: n for n in GATES if GATES[n].qasm_definition}
    out, done = [], set()

    def add(name: str) -> None:
        if name in done:
            return
        done.add(name)
        spec = GATES[name]
        body = spec.qasm_definition
        assert body is not None  # only gates with a definition are added
        for word in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", body):
            if word in defined:
                add(defined[word])
        # positional names that sort in order: some readers (qiskit-qasm3-import) bind gate
        # parameters in sorted-name order
        names = {p: f"t{k:02d}" for k, p in enumerate(spec.param_names)}
        body = re.sub(r"[A-Za-z_][A-Za-z_0-9]*", lambda m: names.get(m.group(0), m.group(0)), body)
        params = f"({', '.join(names.values())})" if names else ""
        qubits = ", ".join(_OPERANDS[: spec.n_wires])
        out.append(f"gate {spec.qasm[0]}{params} {qubits} {{ {body} }}")

    for n in names:
        if GATES[n].qasm_definition:
            add(n)
    return out


def to_qasm(circuit: Circuit, params: Sequence[float] | None = None) -> str:
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
        values = np.asarray(params, dtype=float).reshape(-1)
        if values.size != circuit.n_params:
            raise ValueError(f"expected {circuit.n_params} parameter values; got {values.size}.")

        def th(k):
            return repr(float(values[k]))
    else:

        def th(k):
            return f"theta[{k}]"

    body: list[str] = []
    used: list[str] = []
    labels: list[str] = []
    starts = set(circuit.layer_starts[1:])
    everything = ", ".join(f"q[{w}]" for w in range(circuit.n_qubits))
    for i, op in enumerate(circuit.operations):
        if i in starts:
            body.append(f"barrier {everything};")
        qs = ", ".join(f"q[{w}]" for w in op.wires)
        spec = op.spec
        if op.name == "PAULIROT":
            coeff, label = op.data
            if label not in labels:
                labels.append(label)
            body.append(f"{pauli_gate_name(label)}({2 * coeff!r}*{th(op.slots[0])}) {qs};")
        elif op.name == "UNITARY":
            if len(op.wires) != 1:
                raise ValueError(
                    f"cannot export a fixed {len(op.wires)}-qubit unitary to OpenQASM 3; only "
                    "single-qubit fixed unitaries are decomposed."
                )
            alpha, phi, theta, lam = _zyz(np.array(op.data, dtype=complex))
            body += [f"U({theta!r}, {phi!r}, {lam!r}) {qs};", f"gphase({alpha!r});"]
        else:
            if op.name not in used:
                used.append(op.name)
            args = f"({', '.join(th(s) for s in op.slots)})" if op.slots else ""
            operands = qs if spec.qasm_qubits != 0 else ""
            body.append(f"{spec.qasm[0]}{args}{' ' if operands else ''}{operands};")

    lines = ["OPENQASM 3.0;", 'include "stdgates.inc";']
    lines += _definitions(used)
    lines += [pauli_gate_definition(label) for label in labels]
    if params is None and circuit.n_params:
        lines.append(f"input array[float[64], {circuit.n_params}] theta;")
    hidden = (
        f"hidden q[{circuit.n_visible}..{circuit.n_qubits - 1}]"
        if circuit.n_hidden
        else "no hidden"
    )
    lines.append(
        f"qubit[{circuit.n_qubits}] q;  // visible q[0..{circuit.n_visible - 1}], {hidden}"
    )
    return "\n".join(lines + body) + "\n"
