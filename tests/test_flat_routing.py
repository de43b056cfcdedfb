"""Routing of the flat engine: gates are reordered only where they commute, the per-wire letters
that decide it hold for every parameter value, and gradients of circuits on distant wire pairs
match the dense reference."""

import os

import numpy as np
import pytest

import ebp
import ebp.sim._simulate as simulate_module
from ebp.ansatz import pauli_network
from ebp.circuit import GATES, CircuitBuilder, Operation, pauli_matrix
from ebp.sim._flat import _letters, _routed, flatten
from reference import embed, gate_matrix, random_params, reference_expectation
from subprocesses import run_python

OBS = {"Z0 X2": 0.7, "Y1": -0.4, "X0 Z4": 1.1}


@pytest.fixture
def flat_engine(monkeypatch):
    monkeypatch.setattr(simulate_module, "ENGINE", "flat")


def _letter_commutes(m: np.ndarray, wire: int, letter: str) -> bool:
    k = int(np.log2(len(m)))
    p = pauli_matrix("I" * wire + letter + "I" * (k - 1 - wire))
    return bool(np.allclose(m @ p, p @ m, atol=1e-10))


def _registry_ops():
    """Every registered gate on one or two wires (a Pauli rotation per kind of string)."""
    ops = []
    for name, spec in sorted(GATES.items()):
        if name == "PAULIROT":
            for label in ("XY", "ZZ", "IX", "YI", "Z"):
                ops.append(Operation(name, tuple(range(len(label))), (0,), (0.7, label)))
        elif spec.n_wires in (1, 2):
            ops.append(Operation(name, tuple(range(spec.n_wires)), tuple(range(spec.n_params))))
    return ops


def test_wire_letters_hold_for_random_parameters(rng):
    """A letter L on a wire: the gate's matrix commutes with L there at random θ; "I": with every
    Pauli; "*": for each letter some θ where it does not (checked on the dense reference
    matrices, independent of the registry's factors)."""
    letters_seen = set()
    for op in _registry_ops():
        letters = _letters(op)
        assert len(letters) == len(op.wires), op
        mats = [gate_matrix(op.name, rng.uniform(-3, 3, len(op.slots)), op.data) for _ in range(4)]
        for w, letter in enumerate(letters):
            letters_seen.add(letter)
            holds = {L: all(_letter_commutes(m, w, L) for m in mats) for L in "XYZ"}
            if letter == "I":
                assert all(holds.values()), (op, w)
            elif letter == "*":
                assert not any(holds.values()), (op, w)
            else:
                assert holds[letter], (op, w, letter)
                assert not all(holds.values()), (op, w, "acts trivially")
    assert letters_seen >= {"I", "X", "Z", "*"}
    assert _letters(Operation("CNOT", (4, 1))) == ("Z", "X")
    assert _letters(Operation("SWAP", (0, 1))) == ("*", "*")


def _position_in(routed, circuit):
    """For each gate of ``circuit`` (one slot each, all distinct), its index in ``routed``."""
    where = {op.slots: i for i, op in enumerate(routed) if op.slots}
    return [where[op.slots] for op in circuit.operations]


def test_routing_reorders_only_commuting_gates(rng):
    """Every pair of gates that share a wire and do not commute (dense matrices at random θ)
    keeps its order, and some commuting pairs are reordered; the routed gates act on
    neighbouring positions."""
    c = pauli_network(1, 4, 1, seed=2)
    n = c.n_qubits
    routed = _routed(c.operations, n)
    assert all(len(op.wires) < 2 or abs(op.wires[0] - op.wires[1]) == 1 for op in routed)
    at = _position_in(routed, c)
    ops = c.operations
    theta = rng.uniform(-3, 3, c.n_params)
    mats = [embed(gate_matrix(op.name, theta[list(op.slots)], op.data), op.wires, n) for op in ops]
    swapped_commuting = 0
    for i in range(len(ops)):
        for j in range(i + 1, len(ops)):
            if not set(ops[i].wires) & set(ops[j].wires):
                continue
            commute = np.allclose(mats[i] @ mats[j], mats[j] @ mats[i], atol=1e-10)
            if not commute:
                assert at[i] < at[j], (ops[i], ops[j])
            elif at[i] > at[j]:
                swapped_commuting += 1
    assert swapped_commuting > 0


def test_commuting_gate_runs_first_and_non_commuting_one_waits():
    """CRZ(0, 1) commutes with an earlier CRX(0, 3) (both Z on wire 0) and runs before it, with no
    SWAP; after CRX(3, 0) (X on wire 0) it must wait for it and its SWAPs."""
    first = _routed([Operation("CRX", (0, 3), (0,)), Operation("CRZ", (0, 1), (1,))], 4)
    assert (first[0].name, first[0].wires, first[0].slots) == ("CRZ", (0, 1), (1,))
    waits = _routed([Operation("CRX", (3, 0), (0,)), Operation("CRZ", (0, 1), (1,))], 4)
    assert waits[0].name == "SWAP"
    assert [op.slots for op in waits if op.slots] == [(0,), (1,)]


def test_circuit_swaps_exchange_positions_without_a_stage():
    """SWAP(0, 3) · RX(0) · SWAP(0, 3): the rotation acts where wire 0's state sits (position 3)
    and nothing else is left."""
    ops = [Operation("SWAP", (0, 3)), Operation("RX", (0,), (0,)), Operation("SWAP", (3, 0))]
    assert [(op.name, op.wires) for op in _routed(ops, 4)] == [("RX", (3,))]


_ROUTE_SCRIPT = """
import hashlib
from ebp.ansatz import pauli_network
from ebp.sim._flat import _routed
c = pauli_network(1, 5, 2, seed=4)
ops = [(op.name, op.wires, op.slots) for op in _routed(c.operations, c.n_qubits)]
print(len(ops), hashlib.sha256(repr(ops).encode()).hexdigest())
"""


def test_routing_is_deterministic():
    """The same routing in processes whose set and dict hashing differ (PYTHONHASHSEED)."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(run_python("-c", _ROUTE_SCRIPT, env=env, timeout=300).strip())
    assert outputs[0] == outputs[1]
    assert int(outputs[0].split()[0]) > len(pauli_network(1, 5, 2, seed=4).operations)


def _random_distant_circuit(rng, n: int, n_gates: int):
    names = sorted(g for g, s in GATES.items() if s.n_wires in (1, 2))
    b = CircuitBuilder(2, n - 2)
    for k in range(n_gates):
        g = "SWAP" if k % 10 == 3 else str(rng.choice(names))
        b.gate(g, [int(w) for w in rng.permutation(n)[: GATES[g].n_wires]])
    return b.build()


@pytest.mark.parametrize("which", ["pauli_network", "random"])
def test_gradient_of_reordered_circuit_matches_finite_differences(which, rng, flat_engine):
    """Circuits with many gates on distant pairs: the flat engine's value and gradient against
    the dense reference (central differences)."""
    if which == "pauli_network":
        c = pauli_network(2, 3, 1, seed=1)
    else:
        c = _random_distant_circuit(rng, 5, 40)
    routed = _routed(c.operations, c.n_qubits)
    assert any(op.name == "SWAP" for op in routed)  # some gates are on distant pairs
    assert flatten(c).n_stages > 0
    p = random_params(rng, c)
    value, grad = (np.asarray(a) for a in ebp.expectation_and_gradient(c, p, OBS))
    np.testing.assert_allclose(value, reference_expectation(c, p, OBS), atol=1e-10, rtol=0)
    h = 1e-6
    for k in rng.choice(c.n_params, size=min(12, c.n_params), replace=False):
        e = np.zeros(c.n_params)
        e[k] = h
        fd = (reference_expectation(c, p + e, OBS) - reference_expectation(c, p - e, OBS)) / (2 * h)
        np.testing.assert_allclose(grad[k], fd, atol=1e-7, rtol=0)
