"""ebp.circuit: builder validation, immutability, layers, cut gates and OpenQASM 3 export.

The QASM export is checked semantically by executing the emitted text with a tiny interpreter for
the subset of OpenQASM 3 that ``to_qasm`` writes (PennyLane's ``qml.from_qasm3`` needs the
``openqasm3[parser]`` extra, and qiskit is not a dependency). The interpreter implements the
``stdgates.inc`` gates from textbook matrices (``reference.py``), executes the ``gate`` definitions
found in the program's header (so ``rxx``/``ryy``/``rzz`` are checked too) and ``gphase``.
"""

import ast
import dataclasses
import math
import operator
import re

import numpy as np
import pytest

import ebp
from ebp.ansatz import bounded_cut, brickwork, decoupled, hardware_efficient, pauli_network
from ebp.circuit import GATES, MAX_QUBITS, Circuit, CircuitBuilder, Operation, to_qasm
from reference import (
    add_random_gate,
    embed,
    gate_matrix,
    random_circuit,
    random_params,
    random_state,
    random_unitary,
    reference_state,
)

ALLOWED = ", ".join(sorted(GATES))


# ============================================================================= builder validation
class TestBuilderValidation:
    def test_unknown_gate_names_the_allowed_ones(self):
        b = CircuitBuilder(2, 1)
        with pytest.raises(ValueError, match=re.escape(f"unknown gate 'FOO'; allowed: {ALLOWED}.")):
            b.gate("FOO", 0)
        with pytest.raises(ValueError, match=re.escape(f"unknown gate 'cx'; allowed: {ALLOWED}.")):
            b.gate("cx", (0, 1))

    def test_allowed_list_names_every_gate(self):
        for name in ("CNOT", "CZ", "H", "PAULIROT", "RX", "RXX", "SU4", "UNITARY", "U3", "CCX"):
            assert name in ALLOWED.split(", ")

    def test_gate_name_must_be_str(self):
        with pytest.raises(TypeError, match="gate name must be a str; got int."):
            CircuitBuilder(1, 0).gate(3, 0)

    def test_lowercase_name_accepted(self):
        b = CircuitBuilder(2, 0)
        b.gate("rx", 1)
        b.gate("cnot", (1, 0))
        c = b.build()
        assert [op.name for op in c.operations] == ["RX", "CNOT"]

    @pytest.mark.parametrize(
        "wires,bad", [((3,), [3]), ((0, 5), [5]), ((-1, 1), [-1]), ((4, 7), [4, 7])]
    )
    def test_wires_out_of_range(self, wires, bad):
        b = CircuitBuilder(2, 1)
        name = "RX" if len(wires) == 1 else "CZ"
        msg = f"wires {bad} out of range for a 3-qubit circuit (allowed 0..2)."
        with pytest.raises(ValueError, match=re.escape(msg)):
            b.gate(name, wires)

    def test_repeated_wires(self):
        b = CircuitBuilder(2, 1)
        with pytest.raises(
            ValueError,
            match=re.escape("gate CNOT got repeated wires (1, 1); wires must be distinct."),
        ):
            b.gate("CNOT", (1, 1))
        with pytest.raises(
            ValueError, match=re.escape("gate PAULIROT got repeated wires (0, 2, 0)")
        ):
            b.pauli_rotation("XYZ", (0, 2, 0))

    def test_wrong_number_of_wires(self):
        b = CircuitBuilder(2, 1)
        with pytest.raises(
            ValueError, match=re.escape("gate CNOT acts on 2 wire(s); got wires (0,).")
        ):
            b.gate("CNOT", 0)
        with pytest.raises(
            ValueError, match=re.escape("gate RX acts on 1 wire(s); got wires (0, 1).")
        ):
            b.gate("RX", (0, 1))
        with pytest.raises(
            ValueError, match=re.escape("gate SU4 acts on 2 wire(s); got wires (0, 1, 2).")
        ):
            b.gate("SU4", (0, 1, 2))

    def test_wrong_slot_count(self):
        b = CircuitBuilder(2, 1)
        with pytest.raises(
            ValueError, match=re.escape("gate RX takes 1 parameter(s); got slots (0, 1).")
        ):
            b.gate("RX", 0, slots=(0, 1))
        with pytest.raises(
            ValueError, match=re.escape("gate SU4 takes 15 parameter(s); got slots (0,).")
        ):
            b.gate("SU4", (0, 1), slots=(0,))
        with pytest.raises(
            ValueError, match=re.escape("gate H takes 0 parameter(s); got slots (0,).")
        ):
            b.gate("H", 0, slots=(0,))

    def test_negative_slot(self):
        with pytest.raises(ValueError, match=re.escape("parameter slots must be >= 0; got (-1,).")):
            CircuitBuilder(1, 0).gate("RY", 0, slots=(-1,))

    @pytest.mark.parametrize(
        "label,wires,shown",
        [("XQ", (0, 1), "'XQ'"), ("XYZ", (0, 1), "'XYZ'"), ("X", (0, 1), "'X'"), ("", (0,), "''")],
    )
    def test_paulirot_bad_label(self, label, wires, shown):
        b = CircuitBuilder(2, 1)
        msg = (
            f"Pauli label {shown} must have one letter from I, X, Y, Z per wire "
            f"({len(wires)} wires)."
        )
        with pytest.raises(ValueError, match=re.escape(msg)):
            b.pauli_rotation(label, wires)

    def test_paulirot_needs_data(self):
        b = CircuitBuilder(2, 1)
        msg = "PAULIROT needs data=(coeff, label), e.g. (0.5, 'XZ')."
        with pytest.raises(TypeError, match=re.escape(msg)):
            b.gate("PAULIROT", (0, 1))
        with pytest.raises(TypeError, match=re.escape(msg)):
            b.gate("PAULIROT", (0, 1), data=[0.5, "XZ"])

    @pytest.mark.parametrize("coeff", [math.inf, -math.inf, math.nan])
    def test_paulirot_non_finite_coefficient(self, coeff):
        with pytest.raises(ValueError, match="Pauli rotation coefficient must be finite; got"):
            CircuitBuilder(2, 0).pauli_rotation("XZ", (0, 1), coeff)

    def test_paulirot_label_normalised(self):
        b = CircuitBuilder(2, 0)
        b.pauli_rotation("xz", (1, 0), 2)
        op = b.build().operations[0]
        assert op.data == (2.0, "XZ") and isinstance(op.data[0], float)
        assert op.pauli == "XZ" and op.coeff == 2.0

    def test_non_unitary_matrix(self):
        b = CircuitBuilder(2, 0)
        msg = "matrix is not unitary (U†U differs from I by more than 1e-10)."
        with pytest.raises(ValueError, match=re.escape(msg)):
            b.unitary(np.array([[1, 1], [0, 1]]), 0)
        with pytest.raises(ValueError, match=re.escape(msg)):
            b.unitary(2 * np.eye(4), (0, 1))

    def test_unitary_wrong_shape(self):
        b = CircuitBuilder(2, 0)
        with pytest.raises(
            ValueError, match=re.escape("a unitary on 2 wire(s) must be 4x4; got shape (2, 2).")
        ):
            b.unitary(np.eye(2), (0, 1))

    def test_data_on_gate_without_data(self):
        with pytest.raises(ValueError, match=re.escape("gate RX takes no data; got 0.5.")):
            CircuitBuilder(1, 0).gate("RX", 0, data=0.5)

    @pytest.mark.parametrize("nv,nh", [(0, 2), (0, 0), (-1, 3), (2, -1)])
    def test_register_sizes(self, nv, nh):
        msg = f"need n_visible >= 1 and n_hidden >= 0; got n_visible={nv}, n_hidden={nh}."
        with pytest.raises(ValueError, match=re.escape(msg)):
            CircuitBuilder(nv, nh)

    @pytest.mark.parametrize(
        "nv,nh,shown",
        [
            (2.0, 1, "n_visible must be an int; got float 2.0."),
            (True, 1, "n_visible must be an int; got bool True."),
            (2, "1", "n_hidden must be an int; got str '1'."),
        ],
    )
    def test_register_types(self, nv, nh, shown):
        with pytest.raises(TypeError, match=re.escape(shown)):
            CircuitBuilder(nv, nh)

    def test_wide_circuits_are_data(self):
        """A circuit is data: it may be far wider than a state vector allows (its visible light
        cone, or nothing, is what gets simulated); only absurd widths are refused."""
        assert MAX_QUBITS == 30
        c = CircuitBuilder(1, 199)
        c.gate("CNOT", (0, 199))
        assert c.build().n_qubits == 200
        with pytest.raises(ValueError, match=re.escape("a circuit holds at most 1000000")):
            CircuitBuilder(1, 10**6)

    def test_numpy_integers_accepted(self):
        b = CircuitBuilder(np.int64(2), np.int32(1))
        b.gate("CZ", (np.int64(2), np.int8(0)))
        c = b.build()
        assert c.n_qubits == 3 and c.operations[0].wires == (2, 0)
        assert all(type(w) is int for w in c.operations[0].wires)

    def test_ansatz_argument_validation(self):
        with pytest.raises(ValueError, match=re.escape("layers must be an int >= 1; got 0.")):
            hardware_efficient(2, 1, 0)
        with pytest.raises(ValueError, match=re.escape("cut_gates must be in 0..layers=2; got 3.")):
            bounded_cut(2, 2, 2, cut_gates=3)
        with pytest.raises(ValueError, match=re.escape("bounded_cut needs n_hidden >= 1; got 0.")):
            bounded_cut(2, 0, 2)


# ============================================================================= slots
class TestSlots:
    def test_fresh_slots_in_order(self):
        b = CircuitBuilder(2, 0)
        assert b.gate("RX", 0) == (0,)
        assert b.gate("H", 1) == ()
        assert b.gate("SU4", (1, 0)) == tuple(range(1, 16))
        assert b.pauli_rotation("ZZ", (0, 1), 0.3) == (16,)
        assert b.build().n_params == 17

    def test_shared_slot_two_gates(self):
        b = CircuitBuilder(2, 0)
        (s,) = b.gate("RX", 0)
        assert b.gate("RY", 1, slots=(s,)) == (s,)
        b.pauli_rotation("XY", (0, 1), 0.5, slots=(s,))
        c = b.build()
        assert c.n_params == 1
        assert [op.slots for op in c.operations] == [(0,), (0,), (0,)]

    def test_explicit_slot_beyond_count_extends_params(self):
        b = CircuitBuilder(2, 0)
        b.gate("RX", 0, slots=(4,))
        assert b.build().n_params == 5
        assert b.gate("RY", 1) == (5,)  # fresh slots continue after the largest used one

    def test_new_slots(self):
        b = CircuitBuilder(1, 0)
        assert b.new_slots(3) == (0, 1, 2)
        assert b.gate("RZ", 0, slots=(1,)) == (1,)
        assert b.build().n_params == 3

    def test_shared_slots_simulate(self):
        b = CircuitBuilder(1, 1)
        (s,) = b.gate("RY", 0)
        b.gate("RY", 1, slots=(s,))
        c = b.build()
        psi = np.asarray(ebp.simulate(c, [0.7]))
        one = np.array([np.cos(0.35), np.sin(0.35)])
        np.testing.assert_allclose(psi, np.kron(one, one), atol=1e-12)


# ============================================================================= immutability
class TestImmutability:
    def test_circuit_is_frozen(self):
        c = hardware_efficient(2, 1, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.n_visible = 3
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.operations = ()
        assert isinstance(c.operations, tuple)
        with pytest.raises(AttributeError):
            c.operations.append(Operation("X", (0,)))

    def test_operation_is_frozen(self):
        op = hardware_efficient(1, 0, 1).operations[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            op.wires = (1,)
        assert isinstance(op.wires, tuple) and isinstance(op.slots, tuple)

    def test_hashable_and_equal_by_value(self):
        rng = np.random.default_rng(3)
        u = random_unitary(rng, 2)

        def make():
            b = CircuitBuilder(2, 1)
            b.gate("RX", 2)
            b.unitary(u, (2, 0))
            b.pauli_rotation("XZ", (0, 1), 0.25)
            return b.build()

        c1, c2 = make(), make()
        assert c1 == c2 and hash(c1) == hash(c2)
        assert len({c1, c2, hardware_efficient(2, 1, 1)}) == 2

    def test_unitary_data_is_copied(self):
        m = np.eye(2, dtype=complex)
        b = CircuitBuilder(1, 0)
        b.unitary(m, 0)
        c = b.build()
        m[0, 0] = -1  # mutate the caller's array afterwards
        assert np.allclose(np.array(c.operations[0].data), np.eye(2))

    def test_builder_changes_after_build_do_not_leak(self):
        b = CircuitBuilder(2, 0)
        b.gate("RX", 0)
        c = b.build()
        b.layer()
        b.gate("CNOT", (0, 1))
        assert len(c.operations) == 1 and c.n_params == 1 and c.layer_starts == (0,)
        assert len(b.build().operations) == 2


# ============================================================================= layers, cut gates
class TestLayers:
    def test_layer_bookkeeping(self):
        b = CircuitBuilder(2, 1)
        b.layer()  # no-op on an empty layer
        b.gate("RX", 0)
        b.gate("RY", 1)
        b.layer()
        b.layer()  # no-op again
        b.gate("CNOT", (0, 1))
        b.gate("RZ", 2)
        b.layer()  # trailing empty layer is dropped
        c = b.build()
        assert c.layer_starts == (0, 2)
        assert c.n_layers == 2
        assert [[op.name for op in layer] for layer in c.layers()] == [["RX", "RY"], ["CNOT", "RZ"]]

    def test_empty_circuit(self):
        c = CircuitBuilder(1, 1).build()
        assert c.operations == () and c.n_params == 0 and c.layer_starts == (0,)
        assert c.n_layers == 1 and c.layers() == [()]
        np.testing.assert_allclose(np.asarray(ebp.simulate(c, np.zeros(0))), [1, 0, 0, 0])

    def test_repr(self):
        assert repr(hardware_efficient(2, 1, 3)) == (
            "Circuit(n_visible=2, n_hidden=1, n_ops=24, n_params=18, n_layers=3)"
        )

    @pytest.mark.parametrize("nv,nh,L", [(2, 1, 3), (1, 0, 2), (3, 2, 1)])
    def test_hardware_efficient_layers(self, nv, nh, L):
        c = hardware_efficient(nv, nh, L)
        n = nv + nh
        per = 2 * n + (n - 1)
        assert c.n_layers == L and c.n_params == 2 * n * L
        assert c.layer_starts == tuple(range(0, per * L, per))
        layer = c.layers()[0]
        assert [op.name for op in layer[: 2 * n]] == ["RY", "RZ"] * n
        assert [op.wires for op in layer[2 * n :]] == [(w, w + 1) for w in range(n - 1)]
        # parameters are ordered layer by layer, qubit by qubit as (RY, RZ)
        for k, lay in enumerate(c.layers()):
            assert [op.slots for op in lay[:2]] == [(2 * n * k,), (2 * n * k + 1,)]

    def test_brickwork_counts(self):
        c = brickwork(2, 2, 2)  # pairs (0,1),(2,3) then (1,2)
        assert c.n_layers == 2 and c.n_params == 2 * 3 * 15
        assert [op.wires for op in c.layers()[0]] == [(0, 1), (2, 3), (1, 2)]
        c1 = brickwork(1, 0, 2)  # a lone wire gets RZ RY RZ once per layer
        assert [op.name for op in c1.operations] == ["RZ", "RY", "RZ"] * 2 and c1.n_params == 6

    def test_pauli_network_counts(self):
        n = 3
        c = pauli_network(2, 1, 2, seed=0)
        per = 3 * n + 9 * n * (n - 1) // 2
        assert c.n_params == 2 * per and c.n_layers == 2 and len(c.operations) == 2 * per
        l0, l1 = c.layers()
        assert [(op.wires, op.data) for op in l0] == [(op.wires, op.data) for op in l1]
        assert pauli_network(2, 1, 1, seed=0) == pauli_network(2, 1, 1, seed=0)
        assert pauli_network(2, 1, 1, seed=0) != pauli_network(2, 1, 1, seed=1)

    def test_n_cut_gates(self):
        assert hardware_efficient(2, 2, 3).n_cut_gates() == 3  # CZ(1, 2) per layer
        assert hardware_efficient(2, 0, 3).n_cut_gates() == 0
        assert decoupled(2, 2, 3).n_cut_gates() == 0
        assert brickwork(2, 2, 2).n_cut_gates() == 2  # the odd pair (1, 2)
        assert brickwork(1, 2, 2).n_cut_gates() == 2  # (0, 1) even pairs cross
        for k in range(4):
            c = bounded_cut(2, 3, 3, cut_gates=k)
            assert c.n_cut_gates() == k
            assert all(
                op.wires == (1, 2) for op in c.operations if min(op.wires) < 2 <= max(op.wires)
            )

    def test_n_cut_gates_custom(self):
        b = CircuitBuilder(2, 2)
        b.gate("CNOT", (3, 0))  # crosses (unsorted wires)
        b.gate("RX", 2)  # single qubit: never
        b.gate("CZ", (0, 1))  # inside V
        b.gate("SWAP", (2, 3))  # inside H
        b.pauli_rotation("XIZ", (1, 3, 2), 0.3)  # crosses
        b.unitary(np.eye(4), (2, 1))  # crosses
        assert b.build().n_cut_gates() == 3


class TestOperation:
    def test_diagonal_flags(self):
        b = CircuitBuilder(3, 0)
        b.gate("RZ", 0)
        b.gate("RX", 0)
        b.pauli_rotation("ZIZ", (0, 1, 2), 0.2)
        b.pauli_rotation("ZX", (0, 1), 0.2)
        b.pauli_rotation("II", (0, 1), 0.2)
        b.unitary(np.diag([1, 1j]), 2)
        b.unitary(random_unitary(np.random.default_rng(0), 1), 2)
        b.gate("CZ", (1, 2))
        b.gate("CNOT", (1, 2))
        flags = [op.diagonal for op in b.build().operations]
        assert flags == [True, False, True, False, True, True, False, True, False]

    @pytest.mark.slow
    def test_operation_matrix_matches_reference(self):
        rng = np.random.default_rng(5)
        for name in [
            "RX",
            "RY",
            "RZ",
            "RXX",
            "RYY",
            "RZZ",
            "H",
            "S",
            "T",
            "CNOT",
            "CZ",
            "SWAP",
            "SU4",
        ]:
            b = CircuitBuilder(2, 0)
            b.gate(name, (0,) if GATES[name].n_wires == 1 else (0, 1))
            op = b.build().operations[0]
            th = rng.normal(size=GATES[name].n_params)
            np.testing.assert_allclose(np.asarray(op.matrix(th)), gate_matrix(name, th), atol=1e-12)


# ============================================================================= OpenQASM 3
_GATE_DEF = re.compile(r"gate\s+(\w+)\s*(?:\(([^)]*)\))?\s+([\w\s,]+?)\s*\{([^}]*)\}")
_CALL = re.compile(r"^(\w+)\s*(?:\((.*)\))?\s*(.*)$")
_REG = re.compile(r"^(\w+)\[(\d+)\]$")
_STDGATES = {
    "h": "H",
    "x": "X",
    "y": "Y",
    "z": "Z",
    "s": "S",
    "t": "T",
    "cx": "CNOT",
    "cz": "CZ",
    "swap": "SWAP",
    "rx": "RX",
    "ry": "RY",
    "rz": "RZ",
    "sdg": "SDG",
    "tdg": "TDG",
    "sx": "SX",
    "id": "ID",
    "cy": "CY",
    "ch": "CH",
    "ccx": "CCX",
    "cswap": "CSWAP",
    "p": "P",
    "cp": "CP",
    "crx": "CRX",
    "cry": "CRY",
    "crz": "CRZ",
    "cu": "CU",
    "u2": "U2",
    "U": "U3",
}
_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _eval(expr: str, env: dict, theta) -> float:
    """Evaluate a QASM angle expression: numbers, pi, names, theta[k], + − * /, unary ±."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id in ("pi", "π"):
                return math.pi
            return env[node.id]
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "theta"
        ):
            return float(theta[int(ev(node.slice))])
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
        raise ValueError(f"unsupported QASM expression {expr!r}")

    return ev(ast.parse(expr.strip(), mode="eval"))


def _split_args(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        out.append(cur)
    return [a.strip() for a in out]


def run_qasm(text: str, theta=None, initial_state=None) -> np.ndarray:
    """Execute the OpenQASM 3 subset emitted by ``to_qasm`` on a dense state vector."""
    text = re.sub(r"//[^\n]*", "", text)
    defs = {}
    for m in _GATE_DEF.finditer(text):
        name, params, qargs, body = m.groups()
        defs[name] = (
            [p.strip() for p in (params or "").split(",") if p.strip()],
            [q.strip() for q in qargs.split(",")],
            [s.strip() for s in body.split(";") if s.strip()],
        )
    text = _GATE_DEF.sub("", text)
    statements = [s.strip() for s in text.split(";") if s.strip()]
    assert statements[0] == "OPENQASM 3.0"
    assert statements[1] == 'include "stdgates.inc"'
    state = None
    n = None
    declared_inputs = None

    def execute(stmt, env, qmap):
        nonlocal state
        m = _CALL.match(stmt)
        assert m, stmt
        name, args, qargs = m.groups()
        vals = [_eval(a, env, theta) for a in _split_args(args or "")]
        qubits = []
        for q in _split_args(qargs or ""):
            r = _REG.match(q)
            qubits.append(int(r.group(2)) if r else qmap[q])
        if name == "gphase":
            assert not qubits and len(vals) == 1
            state = np.exp(1j * vals[0]) * state
        elif name in defs:
            pnames, qnames, body = defs[name]
            assert len(pnames) == len(vals) and len(qnames) == len(qubits)
            for inner in body:
                execute(inner, dict(zip(pnames, vals)), dict(zip(qnames, qubits)))
        elif name in _STDGATES:
            state = embed(gate_matrix(_STDGATES[name], vals), qubits, n) @ state
        else:
            raise ValueError(f"gate {name!r} is not in the supported QASM subset")

    for stmt in statements[2:]:
        m_in = re.match(r"^input\s+array\[float\[64\],\s*(\d+)\]\s+theta$", stmt)
        m_q = re.match(r"^qubit\[(\d+)\]\s+q$", stmt)
        if m_in:
            declared_inputs = int(m_in.group(1))
            assert theta is not None and len(theta) == declared_inputs
        elif m_q:
            assert state is None, "one qubit register only"
            n = int(m_q.group(1))
            state = np.zeros(2**n, dtype=complex)
            state[0] = 1
            if initial_state is not None:
                state = np.array(initial_state, dtype=complex)
        elif stmt.startswith("barrier"):
            continue
        else:
            execute(stmt, {}, {})
    return state


def _assert_same_state(qasm_state, want, atol=1e-10):
    # the export is exact (stdgates rz/rx carry their phases, fixed unitaries get a gphase), so
    # compare with the global phase included; report separately if only the phase differs
    k = int(np.argmax(np.abs(want)))
    phase = qasm_state[k] / want[k]
    np.testing.assert_allclose(
        qasm_state,
        phase * want,
        atol=atol,
        rtol=0,
        err_msg="QASM state differs beyond a global phase",
    )
    assert abs(phase - 1) < atol, (
        f"QASM state equals the ebp state only up to a global phase {phase}"
    )


class TestQasmStructure:
    def test_header_register_and_inputs(self):
        c = hardware_efficient(2, 3, 2)
        text = to_qasm(c)
        lines = text.splitlines()
        assert lines[0] == "OPENQASM 3.0;"
        assert lines[1] == 'include "stdgates.inc";'
        assert len(re.findall(r"^qubit\[(\d+)\] q;", text, flags=re.M)) == 1
        assert re.search(r"^qubit\[5\] q;", text, flags=re.M)
        assert re.findall(r"^input array\[float\[64\], (\d+)\] theta;$", text, flags=re.M) == [
            str(c.n_params)
        ]
        used = {int(k) for k in re.findall(r"theta\[(\d+)\]", text)}
        assert used == set(range(c.n_params))
        assert text.endswith("\n")
        assert c.to_qasm() == text

    def test_visible_hidden_comment_and_gate_lines(self):
        b = CircuitBuilder(2, 1)
        b.gate("RX", 1)
        b.gate("CNOT", (2, 0))
        b.gate("RZZ", (0, 2))
        text = to_qasm(b.build())
        assert "qubit[3] q;  // visible q[0..1], hidden q[2..2]" in text
        assert "rx(theta[0]) q[1];" in text
        assert "cx q[2], q[0];" in text
        assert "rzz(theta[1]) q[0], q[2];" in text

    def test_no_input_without_parameters(self):
        b = CircuitBuilder(1, 1)
        b.gate("H", 0)
        b.gate("CNOT", (0, 1))
        text = to_qasm(b.build())
        assert "input" not in text and "theta" not in text

    def test_bound_parameters(self):
        c = hardware_efficient(1, 1, 1)
        p = np.array([0.1, -0.2, 0.3, 1e-17])
        text = to_qasm(c, p)
        assert "input" not in text and "theta[" not in text
        assert "ry(0.1) q[0];" in text and "rz(1e-17) q[1];" in text
        np.testing.assert_allclose(run_qasm(text), reference_state(c, p), atol=1e-12)

    def test_wrong_number_of_bound_parameters(self):
        c = hardware_efficient(1, 1, 1)
        with pytest.raises(ValueError, match=re.escape("expected 4 parameter values; got 3.")):
            to_qasm(c, [0.1, 0.2, 0.3])

    def test_multi_qubit_unitary_refused(self):
        b = CircuitBuilder(2, 0)
        b.unitary(random_unitary(np.random.default_rng(1), 2), (1, 0))
        with pytest.raises(
            ValueError, match=re.escape("cannot export a fixed 2-qubit unitary to OpenQASM 3")
        ):
            to_qasm(b.build())

    def test_numbers_are_plain_qasm_literals(self):
        """Every angle must be an OpenQASM literal/expression, never a Python repr such as
        ``np.float64(0.5)`` (numpy >= 2 reprs numpy scalars that way)."""
        b = CircuitBuilder(1, 0)
        b.unitary(np.array([[0, 1j], [1j, 0]]), 0)
        b.unitary(random_unitary(np.random.default_rng(2), 1), 0)
        b.gate("RX", 0)
        b.pauli_rotation("Y", (0,), np.float64(0.5))
        for text in (to_qasm(b.build()), to_qasm(b.build(), np.array([0.25, -0.5]))):
            assert "np." not in text and "float64(" not in text, text
            for args in re.findall(r"^\w+\(([^)]*(?:\([^)]*\)[^)]*)*)\)", text, flags=re.M):
                assert re.fullmatch(r"[\w\s.,+\-*/()\[\]]+", args), args

    def test_interpreter_sanity(self):
        text = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[0];\ncx q[0], q[1];\n'
        np.testing.assert_allclose(run_qasm(text), np.array([1, 0, 0, 1]) / np.sqrt(2), atol=1e-14)
        with pytest.raises(ValueError, match="not in the supported QASM subset"):
            run_qasm(text.replace("h q[0]", "rccx q[0]"))


# the same circuits as in test_sim_reference.py, so a full run compiles each of them once
QASM_ANSATZ = [
    ("hardware_efficient", lambda: hardware_efficient(2, 3, 3)),
    ("brickwork", lambda: brickwork(2, 3, 2)),
    ("brickwork_1v", lambda: brickwork(1, 2, 2)),
    ("bounded_cut_1", lambda: bounded_cut(2, 3, 2, cut_gates=1)),
    ("bounded_cut_2", lambda: bounded_cut(1, 1, 2, cut_gates=2)),
    ("decoupled", lambda: decoupled(2, 2, 2)),
    ("pauli_network", lambda: pauli_network(2, 2, 1, seed=3)),
]


@pytest.mark.parametrize("make", [m for _, m in QASM_ANSATZ], ids=[i for i, _ in QASM_ANSATZ])
def test_qasm_semantics_ansatz(make, rng):
    c = make()
    p = random_params(rng, c)
    want = np.asarray(ebp.simulate(c, p))
    _assert_same_state(run_qasm(to_qasm(c), theta=p), want)
    _assert_same_state(run_qasm(to_qasm(c, p)), want)


@pytest.mark.parametrize(
    "seed,with_unitary", [(0, True), (1, False)], ids=["all-gates", "no-fixed-unitary"]
)
def test_qasm_semantics_random_circuits_every_gate(seed, with_unitary):
    rng = np.random.default_rng([seed, 99])
    gates = sorted(GATES) if with_unitary else sorted(set(GATES) - {"UNITARY"})
    b = CircuitBuilder(2, 2)
    for name in rng.permutation(gates):  # every gate at least once, then random ones
        add_random_gate(b, rng, str(name), 4, qasm_safe=True)
    extra = random_circuit(rng, 2, 2, 8, gates, qasm_safe=True, share_prob=0.0)
    for op in extra.operations:
        b.gate(op.name, op.wires, data=op.data)
    c = b.build()
    assert {op.name for op in c.operations} == set(gates)
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    text = to_qasm(c)
    _assert_same_state(run_qasm(text, theta=p, initial_state=psi0), reference_state(c, p, psi0))


def _qasm_gate_cases():
    rng = np.random.default_rng(42)
    cases = [(name, None) for name in sorted(GATES) if name not in ("PAULIROT", "UNITARY")]
    cases += [
        ("PAULIROT", (0.7, "XIY")),
        ("PAULIROT", (-1.2, "ZZ")),
        ("PAULIROT", (0.4, "YXZ")),
        ("PAULIROT", (0.9, "II")),
        ("PAULIROT", (1.5, "Y")),
        ("UNITARY", random_unitary(rng, 1)),
        ("UNITARY", np.diag([1j, -1])),
        ("UNITARY", np.array([[0, 1j], [1j, 0]])),
        ("UNITARY", np.eye(2)),
        ("UNITARY", np.array([[0, 1], [-1, 0]])),
    ]
    ids = [
        n if d is None else (f"{n}[{d[1]}]" if n == "PAULIROT" else f"{n}{k}")
        for k, (n, d) in enumerate(cases)
    ]
    return cases, ids


QASM_GATES, QASM_GATE_IDS = _qasm_gate_cases()


@pytest.mark.parametrize("name,data", QASM_GATES, ids=QASM_GATE_IDS)
def test_qasm_semantics_every_gate(name, data, rng):
    """Each gate alone on unsorted wires of a random initial state, vs the reference matrix."""
    n = 4
    if name == "PAULIROT":
        k = len(data[1])
    elif name == "UNITARY":
        k = 1
    else:
        k = GATES[name].n_wires
    wires = tuple(int(w) for w in rng.permutation(n)[:k])
    if k >= 2 and wires[0] < wires[1]:
        wires = (wires[1], wires[0]) + wires[2:]
    b = CircuitBuilder(2, 2)
    b.gate(name, wires, data=data)
    c = b.build()
    p = random_params(rng, c)
    psi0 = random_state(rng, n)
    want = reference_state(c, p, psi0)
    _assert_same_state(run_qasm(to_qasm(c), theta=p, initial_state=psi0), want)
    _assert_same_state(run_qasm(to_qasm(c, p), initial_state=psi0), want)


def test_circuit_class_is_public():
    assert ebp.Circuit is Circuit and ebp.CircuitBuilder is CircuitBuilder


def test_float_wires_and_slots_are_refused():
    b = CircuitBuilder(1, 1)
    with pytest.raises(TypeError, match=r"wires must be ints; got \[1\.7\]"):
        b.gate("RX", [1.7])
    with pytest.raises(TypeError, match=r"slots must be ints; got \[0\.5\]"):
        b.gate("RX", 0, slots=[0.5])


def test_hash_is_cached_but_not_pickled():
    """The hash is computed once per circuit; a pickled circuit leaves it behind (string hashes
    differ between processes), and equal circuits hash equally."""
    import pickle

    from ebp.ansatz import brickwork

    c = brickwork(1, 2, 2)
    h = hash(c)
    assert hash(c) == h and c.__dict__.get("_hash") == h
    copy = pickle.loads(pickle.dumps(c))
    assert "_hash" not in copy.__dict__
    assert copy == c and hash(copy) == h
    assert hash(brickwork(1, 2, 2)) == h
