"""The visible light cone: exact reduction of a circuit to what ρ_V depends on."""

from __future__ import annotations

import re

import numpy as np
import pytest

import ebp
from ebp.ansatz import brickwork, hardware_efficient
from ebp.circuit import (
    Circuit,
    CircuitBuilder,
    LightConeTooLargeError,
    visible_light_cone,
)
from reference import random_params, reduced_visible, reference_state


def _rho_v(circuit, params):
    psi = np.asarray(ebp.simulate(circuit, params))
    m = psi.reshape(2**circuit.n_visible, 2**circuit.n_hidden)
    return m @ m.conj().T


def _random_wide_circuit(rng, n_visible, n_hidden, n_ops):
    """Random gates of every arity (fixed, rotations, 3-qubit), some parameters shared."""
    b = CircuitBuilder(n_visible, n_hidden)
    n = n_visible + n_hidden
    names = ["RX", "RY", "RZZ", "CNOT", "SU4", "CCX", "RXX", "H"]
    for _ in range(n_ops):
        if rng.random() < 0.2:
            b.layer()
        name = str(rng.choice(names))
        k = ebp.circuit.GATES[name].n_wires
        start = int(rng.integers(0, n - k + 1))
        wires = tuple(int(w) for w in rng.permutation(range(start, start + k)))
        spec = ebp.circuit.GATES[name]
        if spec.n_params and b._n_params and rng.random() < 0.2:
            b.gate(name, wires, slots=[int(rng.integers(0, b._n_params))] * spec.n_params)
        else:
            b.gate(name, wires)
    return b.build()


@pytest.mark.parametrize("seed", range(6))
def test_random_circuits_match_the_dense_reference(seed):
    rng = np.random.default_rng([seed, 7])
    c = _random_wide_circuit(rng, 2, 5, 14)
    cone = visible_light_cone(c)
    p = random_params(rng, c)
    want = reduced_visible(reference_state(c, p), 2, 7)
    small = cone.circuit
    got = reduced_visible(reference_state(small, cone.reduce_params(p)), 2, small.n_qubits)
    np.testing.assert_allclose(got, want, atol=1e-12)
    # every dropped gate touches no wire of the cone after it
    assert small.n_qubits <= c.n_qubits and len(small.operations) + cone.dropped == len(
        c.operations
    )


def test_gates_after_the_last_cone_gate_are_dropped():
    b = CircuitBuilder(1, 3)
    b.gate("RY", 2)  # slot 0: feeds wire 2 before it meets the cone: kept
    b.gate("CNOT", (2, 1))
    b.gate("CNOT", (1, 0))  # wire 1 joins the cone here
    b.gate("RX", 1)  # slot 1: after the last gate that touches the cone on wire 1
    b.gate("RZZ", (3, 1))  # slot 2: likewise
    b.gate("RZ", 0)  # slot 3: on the visible wire: kept
    c = b.build()
    cone = visible_light_cone(c)
    assert [op.name for op in cone.circuit.operations] == ["RY", "CNOT", "CNOT", "RZ"]
    assert cone.wires == (0, 1, 2) and cone.params == (0, 3) and cone.dropped == 2
    np.testing.assert_array_equal(cone.dead_params, [1, 2])
    assert cone.circuit.operations[0].wires == (2,) and cone.circuit.operations[1].wires == (2, 1)


def test_visible_first_and_names_and_sources_carried():
    b = CircuitBuilder(2, 3)
    b.gate("CNOT", (4, 1))
    b.gate("RY", 4)
    b.gate("CNOT", (3, 2))  # never reaches V
    c = b.build()
    c = Circuit(
        c.n_visible,
        c.n_hidden,
        c.operations,
        c.n_params,
        c.layer_starts,
        param_names=("a",),
        source_qubits=("q[4]", "q[0]", "q[1]", "q[2]", "q[3]"),
    )
    cone = visible_light_cone(c)
    assert cone.wires == (0, 1, 4) and cone.circuit.n_visible == 2
    assert cone.circuit.source_qubits == ("q[4]", "q[0]", "q[3]")
    assert cone.circuit.param_names == () and cone.circuit.n_params == 0
    assert cone.circuit.operations[0].wires == (2, 1)


@pytest.mark.parametrize(
    "n",
    [pytest.param(12, id="12-qubits"), pytest.param(20, id="20-qubits", marks=pytest.mark.slow)],
)
def test_brickwork_states_and_gradients_equal_the_full_simulation(n, rng):
    """Depth-4 brickwork (2 layers of even+odd SU(4) bricks), one visible qubit of n: ρ_V and
    the gradient of ⟨Z_0⟩ from the cone equal the full simulation; parameters outside the cone
    have zero gradient in the full simulation too."""
    c = brickwork(1, n - 1, 2)
    cone = visible_light_cone(c)
    assert cone.circuit.n_qubits <= 5 and cone.dead_params.size > 0
    p = random_params(rng, c)
    np.testing.assert_allclose(
        _rho_v(cone.circuit, cone.reduce_params(p)), _rho_v(c, p), atol=1e-12
    )
    g_full = np.asarray(ebp.sim.gradient(c, p, "Z0"))
    g_cone = cone.expand_gradient(
        np.asarray(ebp.sim.gradient(cone.circuit, cone.reduce_params(p), "Z0"))
    )
    np.testing.assert_allclose(g_cone, g_full, atol=1e-12)
    assert np.all(g_cone[cone.dead_params] == 0)
    assert np.max(np.abs(g_full[cone.dead_params])) < 1e-12


def test_200_qubit_brickwork_reduces_to_a_small_cone():
    c = brickwork(1, 199, 2)
    cone = visible_light_cone(c)
    assert c.n_qubits == 200 and cone.circuit.n_qubits <= 5
    small = brickwork(1, 19, 2)  # the same cone: it never reaches wire 19
    assert cone.circuit == visible_light_cone(small).circuit
    assert cone.dropped == len(c.operations) - len(cone.circuit.operations)


def test_wide_and_deep_cone_refused_with_size_and_memory():
    c = hardware_efficient(1, 59, 40)
    with pytest.raises(
        LightConeTooLargeError,
        match=re.escape("the visible light cone has 41 qubits (1 visible + 40 hidden, of 60)"),
    ) as info:
        visible_light_cone(c)
    assert "32 TiB (16·2^41 bytes)" in str(info.value)
    with pytest.raises(LightConeTooLargeError, match=re.escape("1 MiB per state")):
        visible_light_cone(hardware_efficient(1, 20, 20), memory_limit=2**20)


def test_parameter_shapes_checked():
    cone = visible_light_cone(brickwork(1, 3, 1))
    with pytest.raises(ValueError, match=r"expected parameters of shape \(\.\.\., 45\)"):
        cone.reduce_params(np.zeros(3))
    with pytest.raises(TypeError, match="expected an ebp Circuit; got str"):
        visible_light_cone("circuit")
