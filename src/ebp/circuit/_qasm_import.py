"""OpenQASM 3 and OpenQASM 2 import, parsed by the ``openqasm3`` reference parser.

``from_qasm(source, visible=[...])`` reads a program (text or a path) into a :class:`Circuit`:

* qubits: ``qubit[n] q;``, ``qubit r;``, ``qreg q[n];``; the source qubit of each wire is kept
  (``"q[3]"``, ``"r"``); the ``visible`` ones come first, in the order given;
* parameters: ``input angle[..] x;``, ``input float[64] x;``, ``input array[float[64], n] x;``
  become slots in declaration order, named ``x`` / ``x[k]`` (``circuit.param_names``);
  ``const float c = …;`` (and float/angle/int variables declared with a value) name numbers;
* gates: those of the registry under their OpenQASM names (``stdgates.inc``, ``qelib1.inc``, the
  builtin ``U`` and ``gphase``, ``ctrl @`` of a gate whose controlled form is registered, ``inv @``
  of a gate with a registered inverse); a
  program's own ``gate`` definitions are expanded, unless the name is a registered gate and the
  body is that gate (checked numerically) — so ebp's own exports read back as written;
* ``barrier`` over every qubit starts a new layer; final measurements are ignored; both are
  recorded in ``circuit.notes``;
* refused with :class:`QasmImportError` (line and column): syntax errors, unknown gates, wrong
  arity, undeclared names, qubits out of range, resets, mid-circuit measurements, classical
  control, and any other statement ebp cannot represent.

A program written by :func:`ebp.circuit.to_qasm` says ``// visible q[0..k]`` on its qubit
declaration; ``visible`` defaults to those qubits (``pragma ebp visible N`` is read too), so
``from_qasm(c.to_qasm()) == c``.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._circuit import Circuit
from ._gates import GATES
from ._import import Affine, CircuitAssembly, CircuitImportError, resolve_visible, wire_order
from ._registry import inverse_rule, qasm_gate

__all__ = ["QasmImportError", "from_qasm"]

_CONSTANTS = {
    "pi": math.pi,
    "π": math.pi,
    "tau": 2 * math.pi,
    "τ": 2 * math.pi,
    "euler": math.e,
    "ℇ": math.e,
}
_FUNCTIONS = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "arcsin": math.asin,
    "arccos": math.acos,
    "arctan": math.atan,
}
_INCLUDES = {"stdgates.inc", "qelib1.inc"}


class QasmImportError(CircuitImportError):
    """An OpenQASM program ebp cannot read: the message says where (line, column) and why."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line, self.column = line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")


def _at(node, message: str) -> QasmImportError:
    span = getattr(node, "span", None)
    if span is None:
        return QasmImportError(message)
    return QasmImportError(message, span.start_line, span.start_column + 1)


def _read(source) -> str:
    if isinstance(source, os.PathLike):
        return Path(source).read_text()
    if not isinstance(source, str):
        raise TypeError(f"source must be OpenQASM text or a path; got {type(source).__name__}.")
    if "\n" not in source and ";" not in source and Path(source).suffix in (".qasm", ".inc"):
        try:
            return Path(source).read_text()
        except OSError as exc:
            raise QasmImportError(f"cannot read {source!r}: {exc.strerror}") from exc
    return source


def _parse(text: str):
    import openqasm3

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            return openqasm3.parse(text)
    except Exception as exc:  # noqa: BLE001 - the parser raises several kinds, all malformed input
        said = err.getvalue() + " " + str(exc)
        m = re.search(r"line (\d+):(\d+) ([^\n]*)", said) or re.search(r"L(\d+):C(\d+): (.*)", said)
        if m:
            raise QasmImportError(
                f"syntax error: {m.group(3).strip()}", int(m.group(1)), int(m.group(2)) + 1
            ) from None
        cause = exc.__cause__
        token = getattr(cause, "offendingToken", None) or getattr(
            getattr(cause, "args", [None])[0] if getattr(cause, "args", None) else None,
            "offendingToken",
            None,
        )
        if token is not None:
            raise QasmImportError("syntax error", token.line, token.column + 1) from None
        raise QasmImportError(f"syntax error: {str(exc) or type(exc).__name__}") from None


class _Reader:
    def __init__(self, program, promote_angles: bool):
        self.program = program
        self.qubits: dict[str, tuple[int, int | None]] = {}  # name -> (first wire, size|None)
        self.labels: list[str] = []
        self.inputs: dict[str, tuple[int, int | None]] = {}  # name -> (first slot, size|None)
        self.defs: dict = {}
        self.measured: set[int] = set()
        self.pragma_visible: int | None = None
        self.registered_body: dict[str, bool] = {}
        self.values: dict[str, Affine] = {}  # declared constants
        self.asm = CircuitAssembly(0, promote_angles=promote_angles)

    # ------------------------------------------------------------------ expressions
    def value(self, node, env: dict | None) -> Affine:
        from openqasm3 import ast

        if isinstance(node, ast.IntegerLiteral | ast.FloatLiteral):
            return Affine(float(node.value))
        if isinstance(node, ast.BooleanLiteral):
            return Affine(float(node.value))
        if isinstance(node, ast.Identifier):
            if env is not None and node.name in env:
                return env[node.name]
            if node.name in _CONSTANTS:
                return Affine(_CONSTANTS[node.name])
            if env is None and node.name in self.values:
                return self.values[node.name]
            if env is not None:
                raise _at(node, f"{node.name!r} is not an argument of this gate definition")
            if node.name in self.inputs and self.inputs[node.name][1] is None:
                return Affine(0.0, 1.0, self.inputs[node.name][0])
            if node.name in self.inputs:
                raise _at(node, f"{node.name!r} is an array; index it, e.g. {node.name}[0]")
            raise _at(
                node,
                f"undeclared parameter {node.name!r} (declare it as "
                f"'input angle {node.name};' or 'input float {node.name};')",
            )
        if isinstance(node, ast.IndexExpression) and isinstance(node.collection, ast.Identifier):
            name = node.collection.name
            if env is not None:
                raise _at(node, f"{name!r} is not an argument of this gate definition")
            if name not in self.inputs or (size := self.inputs[name][1]) is None:
                raise _at(node, f"{name!r} is not a declared input array")
            first = self.inputs[name][0]
            if not (isinstance(node.index, list) and len(node.index) == 1):
                raise _at(node, f"index {name}[...] with one integer")
            k = self.integer(node.index[0], env)
            if not 0 <= k < size:
                raise _at(node, f"index {k} out of range for {name} of size {size}")
            return Affine(0.0, 1.0, first + k)
        if isinstance(node, ast.UnaryExpression) and node.op.name == "-":
            return -self.value(node.expression, env)
        if isinstance(node, ast.BinaryExpression) and node.op.name in ("+", "-", "*", "/", "**"):
            lhs, rhs = self.value(node.lhs, env), self.value(node.rhs, env)
            try:
                if node.op.name == "**":
                    if not (lhs.constant and rhs.constant):
                        raise ValueError("a power of a parameter is not an angle ebp can represent")
                    return Affine(float(lhs.b**rhs.b))
                return {"+": lhs.__add__, "-": lhs.__sub__, "*": lhs.__mul__, "/": lhs.__truediv__}[
                    node.op.name
                ](rhs)
            except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
                raise _at(node, str(exc)) from None
        if isinstance(node, ast.FunctionCall) and node.name.name in _FUNCTIONS:
            args = [self.value(a, env) for a in node.arguments]
            if len(args) != 1 or not args[0].constant:
                raise _at(
                    node,
                    f"{node.name.name}() of a parameter is not an angle ebp can "
                    "represent (numbers only)",
                )
            try:
                return Affine(float(_FUNCTIONS[node.name.name](args[0].b)))
            except (ValueError, OverflowError) as exc:
                raise _at(node, f"{node.name.name}({args[0].b}): {exc}") from None
        raise _at(node, f"unsupported expression {type(node).__name__}")

    def integer(self, node, env) -> int:
        v = self.value(node, env)
        if not v.constant or v.b != int(v.b):
            raise _at(node, "an index must be an integer")
        return int(v.b)

    # ------------------------------------------------------------------ qubits
    def wires(self, node, env_q: dict | None) -> list[int]:
        """The wires of one qubit operand (a whole register gives all of them)."""
        from openqasm3 import ast

        if env_q is not None:
            if isinstance(node, ast.Identifier) and node.name in env_q:
                return [env_q[node.name]]
            raise _at(node, "inside a gate body, use the gate's own qubit arguments")
        if isinstance(node, ast.Identifier):
            name, index = node.name, None
        elif isinstance(node, ast.IndexedIdentifier):
            name = node.name.name
            if (
                len(node.indices) != 1
                or not isinstance(node.indices[0], list)
                or len(node.indices[0]) != 1
            ):
                raise _at(node, "index a qubit register with one integer, e.g. q[0]")
            index = self.integer(node.indices[0][0], None)
        else:
            raise _at(node, f"unsupported qubit operand {type(node).__name__}")
        if name not in self.qubits:
            raise _at(node, f"undeclared qubit register {name!r}")
        first, size = self.qubits[name]
        if index is None:
            return list(range(first, first + (size or 1)))
        if size is None or not 0 <= index < size:
            raise _at(
                node,
                f"qubit {name}[{index}] out of range (register {name} has {size or 1} qubit(s))",
            )
        return [first + index]

    # ------------------------------------------------------------------ statements
    def run(self) -> None:
        from openqasm3 import ast

        for st in self.program.statements:
            if isinstance(st, ast.Include):
                if st.filename not in _INCLUDES:
                    raise _at(
                        st, f"cannot include {st.filename!r}; ebp knows stdgates.inc and qelib1.inc"
                    )
            elif isinstance(st, ast.Pragma):
                m = re.fullmatch(r"\s*ebp visible (\d+)\s*", st.command)
                if m:
                    self.pragma_visible = int(m.group(1))
            elif isinstance(st, ast.QubitDeclaration):
                self.declare_qubits(st)
            elif isinstance(st, ast.IODeclaration):
                self.declare_input(st)
            elif (
                isinstance(st, ast.ClassicalDeclaration)
                and isinstance(st.type, ast.BitType)
                and st.init_expression is None
            ):
                continue  # classical bits for measurement results
            elif (
                isinstance(st, ast.ConstantDeclaration | ast.ClassicalDeclaration)
                and isinstance(st.type, ast.FloatType | ast.AngleType | ast.IntType)
                and st.init_expression is not None
            ):
                self.declare_value(st)
            elif isinstance(st, ast.QuantumGateDefinition):
                if st.name.name in self.defs:
                    raise _at(st, f"gate {st.name.name!r} is defined twice")
                self.defs[st.name.name] = st
            elif isinstance(st, ast.QuantumGate | ast.QuantumPhase):
                self.apply(st, None, None)
            elif isinstance(st, ast.QuantumBarrier):
                self.asm.layer()
                self.asm.note("barriers start a new layer")
            elif isinstance(st, ast.QuantumMeasurementStatement):
                self.measured.update(self.wires(st.measure.qubit, None))
                self.asm.note("final measurements ignored (ebp works with the state before them)")
            elif isinstance(st, ast.QuantumReset):
                raise _at(st, "reset is not supported (ebp circuits are unitary)")
            elif isinstance(
                st, ast.BranchingStatement | ast.WhileLoop | ast.ForInLoop | ast.SwitchStatement
            ):
                raise _at(st, "classical control flow is not supported (ebp circuits are unitary)")
            else:
                raise _at(
                    st,
                    f"unsupported statement ({type(st).__name__}); ebp reads qubit and "
                    "input declarations, gates, barriers and final measurements",
                )

    def declare_qubits(self, st) -> None:
        name = st.qubit.name
        if name in self.qubits or name in self.inputs:
            raise _at(st, f"{name!r} is declared twice")
        size = None if st.size is None else self.integer(st.size, None)
        if size is not None and size < 1:
            raise _at(st, f"register {name} needs at least one qubit; got {size}")
        self.qubits[name] = (len(self.labels), size)
        self.labels += [name] if size is None else [f"{name}[{k}]" for k in range(size)]

    def declare_value(self, st) -> None:
        """``const float c = expr;`` (or a float/angle/int variable with a value): a named angle,
        a number or affine in one input (later assignments are refused as unsupported)."""
        name = st.identifier.name
        if name in self.inputs or name in self.qubits or name in self.values:
            raise _at(st, f"{name!r} is declared twice")
        self.values[name] = self.value(st.init_expression, None)

    def declare_input(self, st) -> None:
        from openqasm3 import ast

        name = st.identifier.name
        if st.io_identifier.name != "input":
            raise _at(st, "output declarations are not supported")
        if name in self.inputs or name in self.qubits:
            raise _at(st, f"{name!r} is declared twice")
        t = st.type
        if isinstance(t, ast.AngleType | ast.FloatType):
            self.inputs[name] = (self.asm.new_param(name), None)
        elif isinstance(t, ast.ArrayType) and isinstance(
            t.base_type, ast.AngleType | ast.FloatType
        ):
            if len(t.dimensions) != 1:
                raise _at(st, "input arrays must be one-dimensional")
            size = self.integer(t.dimensions[0], None)
            if size < 0:
                raise _at(st, f"array size must be >= 0; got {size}")
            first = len(self.asm.param_names)
            for k in range(size):
                self.asm.new_param(f"{name}[{k}]")
            self.inputs[name] = (first, size)
        else:
            raise _at(st, f"input {name!r} must be an angle, a float or an array of them")

    def apply(self, st, env: dict | None, env_q: dict | None) -> None:
        from openqasm3 import ast

        if isinstance(st, ast.QuantumPhase):
            if st.modifiers or st.qubits:
                raise _at(st, "gphase with modifiers or qubits is not supported")
            self.asm.gate("GPHASE", (0,), [self.value(st.argument, env)])
            return
        if not isinstance(st, ast.QuantumGate):
            raise _at(st, f"unsupported statement in a gate body ({type(st).__name__})")
        name = st.name.name
        args = [self.value(a, env) for a in st.arguments]
        groups = [self.wires(q, env_q) for q in st.qubits]
        for ws in groups:
            if self.measured.intersection(ws):
                raise _at(
                    st, "a gate after a measurement (mid-circuit measurement) is not supported"
                )
        sizes = {len(g) for g in groups if len(g) > 1}
        if len(sizes) > 1:
            raise _at(st, "registers of different sizes in one gate call")
        width = sizes.pop() if sizes else 1
        for k in range(width):  # a gate on whole registers applies to each index
            wires = tuple(g[k] if len(g) > 1 else g[0] for g in groups)
            if len(set(wires)) != len(wires):
                raise _at(st, f"gate {name} got the same qubit twice")
            self.apply_one(st, name, args, wires, env_q)

    def apply_one(self, st, name, args, wires, env_q) -> None:
        ctrl, inverted = 0, False
        for m in st.modifiers:
            if m.modifier.name == "ctrl" and not inverted:
                ctrl += 1 if m.argument is None else self.integer(m.argument, None)
            elif m.modifier.name == "inv" and not inverted:
                inverted = True
            else:
                raise _at(
                    st,
                    f"gate modifier {m.modifier.name!r} is not supported here (ctrl @ "
                    "and one inv @ after them are)",
                )
        if ctrl:
            base, name = name, "c" * ctrl + name
            if qasm_gate(name) is None and name not in self.defs:
                raise _at(
                    st,
                    f"ctrl @ {base}: ebp has no controlled form of {base!r} (known: "
                    "cx, cy, cz, ch, cp, crx, cry, crz, cu, ccx, cswap)",
                )
        if inverted:
            name, args = self.inverse_of(st, name, args)
        where = f"@L{st.span.start_line}" if getattr(st, "span", None) else ""
        if name in self.defs:
            if name not in self.registered_body:
                self.registered_body[name] = self.is_registered_body(name)
            label = _pauli_label(name)
            if label and len(wires) == len(label) and len(args) == 1 and self.registered_body[name]:
                self.pauli_rotation(st, label, args[0], wires)
                return
            if not self.registered_body[name]:
                self.expand(st, name, args, wires)
                return
        spec = qasm_gate(name)
        if spec is None:
            raise _at(
                st,
                f"unknown gate {name!r} (not in stdgates.inc / qelib1.inc, not defined "
                "in the program)",
            )
        k = spec.qasm_qubits if spec.qasm_qubits is not None else spec.n_wires
        if len(wires) != k:
            raise _at(st, f"gate {name} acts on {k} qubit(s); got {len(wires)}")
        if len(args) != spec.n_params:
            raise _at(st, f"gate {name} takes {spec.n_params} angle(s); got {len(args)}")
        try:
            self.asm.gate(spec.name, wires if k else (0,), args, where)
        except ValueError as exc:
            raise _at(st, str(exc)) from None

    def inverse_of(self, st, name, args) -> tuple[str, list]:
        """``inv @ g(args)`` as a registered gate at mapped angles (the registry's inverse rule:
        θ'_j = s_j θ_{π(j)} + o_j)."""
        spec = qasm_gate(name)
        rule = inverse_rule(spec) if spec is not None and not spec.data_dependent else None
        if rule is None or rule.data is not None or not GATES[rule.gate].qasm:
            raise _at(st, f"inv @ {name}: ebp has no registered inverse of {name!r}")
        new = [
            (Affine(o) if src is None else Affine(s) * args[src] + Affine(o))
            for src, s, o in rule.params
        ]
        return GATES[rule.gate].qasm[0], new

    def pauli_rotation(self, st, label, arg, wires) -> None:
        """``pauli_<p>(t)`` = exp(−i(t/2)P) with t = a·θ + b: the rotation exp(−iθ(a/2)P) after
        the fixed exp(−i(b/2)P)."""
        if arg.b:
            fixed = np.asarray(GATES["PAULIROT"].numpy_matrix([arg.b], (0.5, label)))
            self.asm.ops.append(("UNITARY", wires, (), fixed))
        if not arg.constant:
            self.asm.ops.append(("PAULIROT", wires, (arg.slot,), (0.5 * arg.a, label)))

    def expand(self, st, name, args, wires) -> None:
        d = self.defs[name]
        if len(args) != len(d.arguments) or len(wires) != len(d.qubits):
            raise _at(
                st,
                f"gate {name} takes {len(d.arguments)} angle(s) and {len(d.qubits)} "
                f"qubit(s); got {len(args)} and {len(wires)}",
            )
        env = {a.name: v for a, v in zip(d.arguments, args)}
        env_q = {q.name: w for q, w in zip(d.qubits, wires)}
        for inner in d.body:
            self.apply(inner, env, env_q)

    def is_registered_body(self, name: str) -> bool:
        """Whether the program's definition of a registered gate name is that gate (numerically,
        phase included, at two random points)."""
        spec, label = qasm_gate(name), _pauli_label(name)
        d = self.defs[name]
        n = len(d.qubits)
        if label:
            if len(d.arguments) != 1 or n != len(label):
                return False

            def want(t):
                return GATES["PAULIROT"].numpy_matrix(t, (0.5, label))
        elif spec is not None:
            if len(d.arguments) != spec.n_params or n != (spec.n_wires or 0):
                return False
            want = spec.numpy_matrix
        else:
            return False
        rng = np.random.default_rng(7)
        for _ in range(2):
            theta = rng.uniform(-3, 3, len(d.arguments))
            try:
                u = _definition_unitary(self, d, theta)
            except (QasmImportError, RecursionError):
                return False
            if not np.allclose(u, want(theta), atol=1e-9):
                return False
        return True


def _pauli_label(name: str) -> str | None:
    m = re.fullmatch(r"pauli_([ixyz]+)", name)
    return m.group(1).upper() if m else None


def _definition_unitary(reader: _Reader, d, theta) -> np.ndarray:
    """The unitary of a gate definition at numbers ``theta`` (dense, its own qubits)."""
    n = len(d.qubits)
    sub = _Reader(reader.program, False)
    sub.defs = reader.defs
    sub.asm.n_qubits = n
    env = {a.name: Affine(float(t)) for a, t in zip(d.arguments, theta)}
    env_q = {q.name: k for k, q in enumerate(d.qubits)}
    for inner in d.body:
        sub.apply(inner, env, env_q)
    u = np.eye(2**n, dtype=complex)
    for item in sub.asm.ops:
        if item == "layer":
            continue
        gname, wires, slots, data = item
        m = GATES[gname].numpy_matrix(
            np.zeros(len(slots)),
            data if gname != "UNITARY" else tuple(map(tuple, np.asarray(data, dtype=complex))),
        )
        u = _embed(m, wires, n) @ u
    return u


def _embed(m: np.ndarray, wires, n: int) -> np.ndarray:
    k = len(wires)
    t = m.reshape((2,) * (2 * k))
    full = np.eye(2**n, dtype=complex).reshape((2,) * (2 * n))
    # apply t to axes `wires` of the output index of the identity
    out = np.tensordot(t, full, axes=(list(range(k, 2 * k)), list(wires)))
    rest = [w for w in range(n) if w not in wires]
    order = list(wires) + rest
    inv = np.argsort(order + list(range(n, 2 * n)))
    return out.transpose(inv).reshape(2**n, 2**n)


def from_qasm(
    source: str | os.PathLike[str],
    visible: str | int | Sequence[Any] | None = None,
    *,
    promote_angles: bool = False,
) -> Circuit:
    """Read an OpenQASM 3 or OpenQASM 2 program into a :class:`Circuit` (see the module
    docstring for what is read and what is refused).

    Args:
        source: program text, or a path to a ``.qasm`` file.
        visible: the source qubits that are visible units, as labels (``"q[0]"``, ``"r"``) or
            indices in declaration order; they become wires 0…n_v−1 in this order. Optional for
            programs written by :func:`ebp.circuit.to_qasm`.
        promote_angles: make every numeric rotation angle a parameter of its own (for
            parameter-free programs, e.g. OpenQASM 2); its name says the gate and line.

    Raises:
        QasmImportError: naming the line and column and what is wrong.

    Examples:
        >>> c = from_qasm('OPENQASM 3.0; include "stdgates.inc"; input angle a; qubit[2] q;'
        ...               ' ry(a) q[1]; cx q[1], q[0];', visible=["q[1]"])
        >>> c.source_qubits, c.param_names
        (('q[1]', 'q[0]'), ('a',))
    """
    text = _read(source)
    reader = _Reader(_parse(text), promote_angles)
    try:
        reader.run()
    except RecursionError:
        raise QasmImportError("gate definitions call each other without end") from None
    if not reader.labels:
        raise QasmImportError("the program declares no qubits")
    if visible is None and reader.pragma_visible is None:
        m = re.search(r"^qubit\[\d+\] q;\s*// visible q\[0\.\.(\d+)\]", text, flags=re.MULTILINE)
        reader.pragma_visible = int(m.group(1)) + 1 if m else None
    if visible is None and reader.pragma_visible is not None:
        visible = list(range(min(reader.pragma_visible, len(reader.labels))))
    try:
        vis = resolve_visible(visible, reader.labels, "qubit")
    except CircuitImportError as exc:
        raise QasmImportError(str(exc)) from None
    order = wire_order(vis, len(reader.labels))
    return reader.asm.build(order, len(vis), reader.labels)
