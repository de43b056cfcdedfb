"""ebp.simulate against the independent dense-matrix reference simulator in ``reference.py``."""

import jax.numpy as jnp
import numpy as np
import pytest
from scipy.linalg import expm

import ebp
from ebp.ansatz import bounded_cut, brickwork, decoupled, hardware_efficient, pauli_network
from ebp.circuit import GATES, CircuitBuilder
from ebp.sim._pauli_sequence import PauliSequence
from reference import (
    CNOT,
    PX,
    PY,
    PZ,
    embed,
    gate_matrix,
    kron_all,
    pauli_string,
    random_circuit,
    random_diagonal_unitary,
    random_params,
    random_state,
    random_unitary,
    reference_expectation,
    reference_state,
    reference_unitary,
    rxx,
    ryy,
    rzz,
    su4,
)

ATOL = 1e-10


def _basis(n, bits: str):
    v = np.zeros(2**n, dtype=complex)
    v[int(bits, 2)] = 1
    return v


# ----------------------------------------------------------------------------- the reference itself
class TestReferenceSanity:
    """The reference is only useful if it is right: check it on textbook facts."""

    def test_cnot_control_is_first_wire_big_endian(self):
        # CNOT(0, 1)|10> = |11>; CNOT(1, 0)|01> = |11>; CNOT(2, 0)|001> = |101>
        assert np.allclose(embed(CNOT, (0, 1), 2) @ _basis(2, "10"), _basis(2, "11"))
        assert np.allclose(embed(CNOT, (1, 0), 2) @ _basis(2, "01"), _basis(2, "11"))
        assert np.allclose(embed(CNOT, (2, 0), 3) @ _basis(3, "001"), _basis(3, "101"))
        assert np.allclose(embed(CNOT, (2, 0), 3) @ _basis(3, "100"), _basis(3, "100"))

    def test_embedding_paths_agree(self, rng):
        # adjacent sorted wires (kron path) vs the permutation path via an explicit SWAP sandwich
        g = random_unitary(rng, 2)
        n = 4
        via_kron = embed(g, (1, 2), n)
        order = [1, 2, 0, 3]
        from reference import permutation_matrix

        p = permutation_matrix(order, n)
        via_perm = p.conj().T @ kron_all(g, np.eye(4)) @ p
        assert np.allclose(via_kron, via_perm, atol=1e-12)
        # reversed wires == SWAP-conjugated gate
        sw = gate_matrix("SWAP")
        assert np.allclose(embed(g, (2, 1), n), embed(sw @ g @ sw, (1, 2), n), atol=1e-12)
        # single-qubit gate on wire w is I⊗…⊗g⊗…⊗I
        h = random_unitary(rng, 1)
        assert np.allclose(embed(h, (2,), n), kron_all(np.eye(4), h, np.eye(2)))

    def test_hand_written_matrices_match_exponentials(self, rng):
        for t in rng.uniform(-4, 4, size=3):
            assert np.allclose(gate_matrix("RX", [t]), expm(-0.5j * t * PX))
            assert np.allclose(gate_matrix("RY", [t]), expm(-0.5j * t * PY))
            assert np.allclose(gate_matrix("RZ", [t]), expm(-0.5j * t * PZ))
            assert np.allclose(rxx(t), expm(-0.5j * t * pauli_string("XX")))
            assert np.allclose(ryy(t), expm(-0.5j * t * pauli_string("YY")))
            assert np.allclose(rzz(t), expm(-0.5j * t * pauli_string("ZZ")))
        assert np.allclose(gate_matrix("T") @ gate_matrix("T"), gate_matrix("S"))
        assert np.allclose(gate_matrix("S") @ gate_matrix("S"), gate_matrix("Z"))
        h = gate_matrix("H")
        assert np.allclose(h @ gate_matrix("Z") @ h, gate_matrix("X"))

    def test_su4_reference_is_unitary_and_covers_cnot_class(self, rng):
        u = su4(rng.normal(size=15))
        assert np.allclose(u.conj().T @ u, np.eye(4))
        assert abs(np.linalg.det(u) - 1) < 1e-10
        # θ6 = π/4 (others 0) is exp(−iπ/4 XX): maximally entangling
        th = np.zeros(15)
        th[6] = np.pi / 4
        psi = su4(th) @ np.array([1, 0, 0, 0])
        assert np.allclose(np.abs(psi) ** 2, [0.5, 0, 0, 0.5])


# ----------------------------------------------------------------------------- every gate
def _gate_cases():
    rng = np.random.default_rng(1234)  # fixed data for the fixed-unitary cases
    u1 = random_unitary(rng, 1)
    u2 = random_unitary(rng, 2)
    u3 = random_unitary(rng, 3)
    d2 = random_diagonal_unitary(rng, 2)
    d1 = random_diagonal_unitary(rng, 1)
    cases = [
        ("H", (2,), None),
        ("X", (0,), None),
        ("Y", (3,), None),
        ("Z", (1,), None),
        ("S", (4,), None),
        ("T", (2,), None),
        ("CNOT", (3, 1), None),
        ("CNOT", (0, 4), None),
        ("CNOT", (1, 2), None),
        ("CZ", (2, 0), None),
        ("SWAP", (4, 1), None),
        ("RX", (3,), None),
        ("RY", (0,), None),
        ("RZ", (4,), None),
        ("RXX", (3, 0), None),
        ("RYY", (1, 4), None),
        ("RZZ", (4, 2), None),
        ("RZZ", (0, 1), None),
        ("PAULIROT", (4, 0, 2), (0.7, "XIY")),
        ("PAULIROT", (3, 1, 0), (-1.3, "ZIZ")),
        ("PAULIROT", (1, 3, 0, 4), (0.4, "YZXY")),
        ("PAULIROT", (2, 1), (2.0, "XX")),
        ("PAULIROT", (2,), (0.9, "Y")),
        ("PAULIROT", (0, 3), (0.6, "II")),
        ("PAULIROT", (4, 2, 0), (1.1, "III")),
        ("PAULIROT", (2,), (0.3, "I")),
        ("PAULIROT", (3, 0), (0.8, "YY")),
        ("SU4", (2, 0), None),
        ("SU4", (1, 3), None),
        ("SU4", (3, 4), None),
        ("UNITARY", (3,), u1),
        ("UNITARY", (1,), d1),
        ("UNITARY", (4, 1), u2),
        ("UNITARY", (2, 0, 3), u3),
        ("UNITARY", (1, 3), d2),
    ]
    ids = []
    for name, wires, data in cases:
        tag = name
        if name == "PAULIROT":
            tag += f"[{data[1]}]"
        if name == "UNITARY":
            tag += "[diag]" if np.allclose(data, np.diag(np.diag(data))) else "[dense]"
        ids.append(f"{tag}{wires}".replace(" ", ""))
    return cases, ids


GATE_CASES, GATE_IDS = _gate_cases()
# the costlier in-circuit test: one case per gate name, the hardest variant of each
_IN_CIRCUIT = {
    "H(2,)",
    "X(0,)",
    "Y(3,)",
    "Z(1,)",
    "S(4,)",
    "T(2,)",
    "CNOT(3,1)",
    "CZ(2,0)",
    "SWAP(4,1)",
    "RX(3,)",
    "RY(0,)",
    "RZ(4,)",
    "RXX(3,0)",
    "RYY(1,4)",
    "RZZ(4,2)",
    "PAULIROT[YZXY](1,3,0,4)",
    "PAULIROT[ZIZ](3,1,0)",
    "PAULIROT[III](4,2,0)",
    "SU4(2,0)",
    "UNITARY[dense](2,0,3)",
    "UNITARY[diag](1,3)",
}
CIRCUIT_CASES = [c for c, i in zip(GATE_CASES, GATE_IDS) if i in _IN_CIRCUIT]
CIRCUIT_IDS = [i for i in GATE_IDS if i in _IN_CIRCUIT]
assert len(CIRCUIT_IDS) == len(_IN_CIRCUIT)


def test_gate_cases_cover_the_registry():
    # every gate kind the simulator special-cases; tests/test_gates.py runs every registered gate
    assert {name for name, _, _ in GATE_CASES} <= set(GATES)


def _single_gate_circuit(name, wires, data, n_visible=2, n_hidden=3):
    b = CircuitBuilder(n_visible, n_hidden)
    b.gate(name, wires, data=data)
    return b.build()


@pytest.mark.parametrize("name,wires,data", GATE_CASES, ids=GATE_IDS)
def test_single_gate_on_random_state(name, wires, data, rng):
    c = _single_gate_circuit(name, wires, data)
    n = c.n_qubits
    p = random_params(rng, c, batch=(2,))
    psi0 = np.stack([random_state(rng, n) for _ in range(2)])
    got = np.asarray(ebp.simulate(c, p, psi0))  # params and states paired along the batch axis
    for k in range(2):
        want = embed(gate_matrix(name, p[k], c.operations[0].data), wires, n) @ psi0[k]
        np.testing.assert_allclose(got[k], want, atol=ATOL, rtol=0)


@pytest.mark.parametrize("name,wires,data", CIRCUIT_CASES, ids=CIRCUIT_IDS)
def test_gate_inside_random_circuit(name, wires, data, rng):
    """The gate sandwiched between other gates (so it is fused with neighbours) in three
    identical-structure layers (one scanned segment), compared with the reference."""
    n_v, n_h = 2, 3
    b = CircuitBuilder(n_v, n_h)
    for _layer in range(3):  # three identical-structure layers -> one scanned segment
        b.layer()
        b.gate("RY", wires[0])
        b.gate("RX", (wires[0] + 1) % 5)
        b.gate(name, wires, data=data)
        b.gate("RZ", wires[-1])
        b.gate("H", wires[0])
        b.gate("CNOT", (wires[-1], (wires[-1] + 2) % 5))
    c = b.build()
    assert len(ebp.sim.compile_circuit(c).segments) == 1
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
    )


@pytest.mark.parametrize("n_visible,n_hidden", [(1, 0), (1, 1), (2, 2), (3, 2)])
def test_random_circuits_all_gates(n_visible, n_hidden, rng):
    for _ in range(1 if n_visible + n_hidden > 2 else 2):
        c = random_circuit(rng, n_visible, n_hidden, 20)
        p = random_params(rng, c)
        psi0 = random_state(rng, c.n_qubits)
        np.testing.assert_allclose(
            np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
        )


def test_simulated_unitary_columns(rng):
    """Simulating every basis state reconstructs the whole unitary (batched initial states)."""
    c = random_circuit(rng, 2, 1, 12)
    p = random_params(rng, c)
    d = 2**c.n_qubits
    cols = np.asarray(ebp.simulate(c, p, np.eye(d)))  # row k = U|k>
    np.testing.assert_allclose(cols.T, reference_unitary(c, p), atol=ATOL, rtol=0)


# ----------------------------------------------------------------------------- every ansatz
ANSATZ_CASES = [
    ("hardware_efficient", lambda: hardware_efficient(2, 3, 3)),
    ("hardware_efficient_1v", lambda: hardware_efficient(1, 0, 2)),
    ("brickwork", lambda: brickwork(2, 3, 2)),
    ("brickwork_1v", lambda: brickwork(1, 2, 2)),
    ("bounded_cut_0", lambda: bounded_cut(2, 3, 2, cut_gates=0)),
    ("bounded_cut_1", lambda: bounded_cut(2, 3, 2, cut_gates=1)),
    ("bounded_cut_2", lambda: bounded_cut(2, 2, 3, cut_gates=2)),
    ("bounded_cut_1v1h", lambda: bounded_cut(1, 1, 2, cut_gates=2)),
    ("decoupled", lambda: decoupled(2, 2, 2)),
    ("pauli_network_L1", lambda: pauli_network(2, 2, 1, seed=3)),
    ("pauli_network_L3", lambda: pauli_network(2, 1, 3, seed=4)),
]


@pytest.mark.parametrize("make", [m for _, m in ANSATZ_CASES], ids=[i for i, _ in ANSATZ_CASES])
def test_ansatz_matches_reference(make, rng):
    c = make()
    for psi0 in (None, random_state(rng, c.n_qubits)):
        p = random_params(rng, c)
        got = np.asarray(ebp.simulate(c, p, psi0))
        np.testing.assert_allclose(got, reference_state(c, p, psi0), atol=ATOL, rtol=0)
        assert abs(np.linalg.norm(got) - 1) < 1e-12


def test_decoupled_state_is_product_over_cut(rng):
    c = decoupled(2, 3, 2)
    psi = np.asarray(ebp.simulate(c, random_params(rng, c)))
    s = np.linalg.svd(psi.reshape(4, 8), compute_uv=False)
    assert s[1] < 1e-10


# ----------------------------------------------------------------------------- batching & dtype
def test_batched_params_shape_3_2(rng):
    c = random_circuit(rng, 2, 2, 15, layer_prob=0.0)
    p = random_params(rng, c, batch=(3, 2))
    out = np.asarray(ebp.simulate(c, p))
    assert out.shape == (3, 2, 2**c.n_qubits)
    for i in range(3):
        for j in range(2):
            np.testing.assert_allclose(out[i, j], reference_state(c, p[i, j]), atol=ATOL, rtol=0)


def test_batched_initial_states_broadcast(rng):
    c = hardware_efficient(2, 1, 2)
    d = 2**c.n_qubits
    p = random_params(rng, c, batch=(3, 1))
    psi0 = np.stack([random_state(rng, 3) for _ in range(2)])  # (2, d)
    out = np.asarray(ebp.simulate(c, p, psi0))
    assert out.shape == (3, 2, d)
    for i in range(3):
        for j in range(2):
            np.testing.assert_allclose(out[i, j], reference_state(c, p[i, 0], psi0[j]), atol=ATOL)
    # one parameter vector, several states
    out2 = np.asarray(ebp.simulate(c, p[0, 0], psi0))
    assert out2.shape == (2, d)
    np.testing.assert_allclose(out2[1], reference_state(c, p[0, 0], psi0[1]), atol=ATOL)


def test_chunked_batch_equals_unchunked(rng):
    """A memory budget that forces several (padded) chunks gives the same states/gradients."""
    c = hardware_efficient(2, 2, 2)
    p = random_params(rng, c, batch=(7,))
    full = np.asarray(ebp.simulate(c, p))
    per_instance = 6 * 2**c.n_qubits * 16
    chunked = np.asarray(ebp.simulate(c, p, memory_budget=3 * per_instance))  # 3+3+1(padded)
    np.testing.assert_allclose(chunked, full, atol=1e-14, rtol=0)
    for k in range(7):
        np.testing.assert_allclose(full[k], reference_state(c, p[k]), atol=ATOL, rtol=0)
    g_chunk = np.asarray(ebp.gradient(c, p, "Z0", memory_budget=2 * per_instance))  # 2+2+2+1
    assert g_chunk.shape == (7, c.n_params)
    eye = np.eye(c.n_params)
    h = 1e-6
    for k in (0, 6):
        fd = [
            (
                reference_expectation(c, p[k] + h * e, "Z0")
                - reference_expectation(c, p[k] - h * e, "Z0")
            )
            / (2 * h)
            for e in eye
        ]
        np.testing.assert_allclose(g_chunk[k], fd, atol=1e-7, rtol=0)


def test_complex64_mode(rng, tolerance):
    c = random_circuit(rng, 2, 2, 10, layer_prob=0.0)
    p = random_params(rng, c, batch=(2,))
    psi0 = random_state(rng, c.n_qubits)
    out = ebp.simulate(c, p, psi0, dtype=jnp.complex64)
    assert out.dtype == jnp.complex64
    want = np.stack([reference_state(c, q, psi0) for q in p])
    np.testing.assert_allclose(np.asarray(out), want, atol=tolerance(np.complex64), rtol=0)
    out128 = ebp.simulate(c, p, psi0)
    assert out128.dtype == jnp.complex128
    h = hardware_efficient(2, 1, 2)  # same circuit/observable/batch as in test_gradients.py
    ph = random_params(rng, h, batch=(3, 2))
    obs = {"Z0 Z1": 0.5, "X2": 1.0}
    v, g = ebp.expectation_and_gradient(h, ph, obs, dtype=jnp.complex64)
    assert v.dtype == jnp.float32 and g.dtype == jnp.float32
    v128, g128 = ebp.expectation_and_gradient(h, ph, obs)
    assert v128.dtype == jnp.float64
    np.testing.assert_allclose(np.asarray(v), np.asarray(v128), atol=1e-5, rtol=0)
    np.testing.assert_allclose(np.asarray(g), np.asarray(g128), atol=1e-5, rtol=0)


# ----------------------------------------------------------------------------- layers / segments
def test_layers_with_different_structure_several_segments(rng):
    """Layers of varying structure, with repeats, so the program has several scanned segments."""
    b = CircuitBuilder(2, 2)
    structures = ["A", "A", "B", "A", "A", "A", "C", "C"]
    for s in structures:
        b.layer()
        if s == "A":
            for w in range(4):
                b.gate("RY", w)
            b.gate("CNOT", (0, 3))
            b.gate("RZZ", (2, 1))
        elif s == "B":
            b.gate("SU4", (3, 1))
            b.pauli_rotation("XZY", (0, 2, 3), float(rng.normal()))
        else:
            b.gate("H", 2)
            b.pauli_rotation("ZZ", (3, 0), float(rng.normal()))
            b.gate("RX", 1)
            b.unitary(random_unitary(rng, 2), (1, 2))
    c = b.build()
    program = ebp.sim.compile_circuit(c)
    assert len(program.segments) == 4
    assert [s.n_layers for s in program.segments] == [2, 1, 3, 2]
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
    )


def test_scanned_layers_with_varying_fixed_data_and_coefficients(rng):
    """Same structure in every layer (one segment) but different fixed unitaries (dense and
    diagonal), Pauli coefficients and shared slots from layer to layer."""
    b = CircuitBuilder(2, 2)
    shared = b.new_slots(1)
    for _ in range(4):
        b.layer()
        b.unitary(random_unitary(rng, 2), (2, 0))
        b.unitary(random_diagonal_unitary(rng, 2), (3, 1))
        b.unitary(random_diagonal_unitary(rng, 1), 0)
        b.pauli_rotation("YX", (1, 3), float(rng.normal()))
        b.pauli_rotation("ZZ", (0, 3), float(rng.normal()))
        b.gate("RX", 2, slots=shared)
        b.unitary(random_unitary(rng, 1), 1)
        b.gate("RZ", 1)
    c = b.build()
    program = ebp.sim.compile_circuit(c)
    assert len(program.segments) == 1 and program.segments[0].n_layers == 4
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
    )


def test_uniform_fixed_diagonal_across_layers(rng):
    """The same diagonal fixed unitary in every layer (loop-invariant phase precomputation)."""
    d2 = random_diagonal_unitary(rng, 2)
    b = CircuitBuilder(1, 2)
    for _ in range(3):
        b.layer()
        b.unitary(d2, (2, 0))
        b.gate("T", 1)
        b.gate("RZ", 0)
        b.gate("RX", 1)
        b.gate("H", 0)
    c = b.build()
    p = random_params(rng, c)
    psi0 = random_state(rng, 3)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
    )


def test_diagonal_gates_interleaved_with_non_diagonal(rng):
    """Stress the fusion/commutation logic: diagonal runs broken by H / RX on some wires."""
    n_v, n_h = 2, 3
    dz = random_diagonal_unitary(rng, 2)
    dz1 = random_diagonal_unitary(rng, 1)
    b = CircuitBuilder(n_v, n_h)
    for _ in range(2):
        b.layer()
        b.gate("RZ", 0)
        b.gate("CZ", (0, 2))
        b.gate("H", 2)  # breaks the diagonal run on wire 2 only
        b.gate("RZZ", (3, 1))
        b.pauli_rotation("ZIZ", (4, 2, 0), 0.8)
        b.gate("S", 4)
        b.gate("RX", 0)  # non-diagonal on wire 0
        b.gate("T", 0)
        b.unitary(dz, (1, 4))
        b.gate("RZ", 3)
        b.gate("CZ", (4, 0))
        b.gate("H", 1)
        b.unitary(dz1, 3)
        b.pauli_rotation("ZZ", (2, 3), -0.5)
        b.gate("RX", 4)
        b.gate("Z", 2)
        b.pauli_rotation("Z", (1,), 1.7)
        b.gate("RZZ", (0, 4))
        b.gate("H", 3)
        b.gate("S", 3)
    c = b.build()
    for _ in range(3):
        p = random_params(rng, c)
        psi0 = random_state(rng, c.n_qubits)
        np.testing.assert_allclose(
            np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
        )


def test_random_diagonal_heavy_circuits(rng):
    gates = ["RZ", "CZ", "RZZ", "S", "T", "Z", "PAULIROT", "UNITARY", "H", "RX"]
    for _ in range(1):
        c = random_circuit(rng, 2, 2, 30, gates, layer_prob=0.05)
        p = random_params(rng, c)
        psi0 = random_state(rng, c.n_qubits)
        np.testing.assert_allclose(
            np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=ATOL, rtol=0
        )


# ----------------------------------------------------------------------------- Pauli rotations
@pytest.mark.parametrize(
    "label,wires",
    [
        ("XIY", (0, 1, 2)),
        ("XIY", (2, 0, 3)),
        ("III", (1, 2, 3)),
        ("IIII", (3, 1, 0, 2)),
        ("Y", (1,)),
        ("YY", (3, 0)),
        ("ZYX", (1, 3, 2)),
        ("IYI", (0, 1, 2)),
        ("YZ", (2, 1)),
    ],
    ids=lambda v: str(v).replace(" ", ""),
)
def test_pauli_rotation_labels(label, wires, rng):
    b = CircuitBuilder(2, 2)
    coeff = float(rng.uniform(-2, 2))
    b.pauli_rotation(label, wires, coeff)
    c = b.build()
    theta = float(rng.uniform(-np.pi, np.pi))
    psi0 = random_state(rng, 4)
    got = np.asarray(ebp.simulate(c, [theta], psi0))
    full = ["I"] * 4
    for letter, w in zip(label, wires):
        full[w] = letter
    want = expm(-1j * theta * coeff * pauli_string("".join(full))) @ psi0
    np.testing.assert_allclose(got, want, atol=ATOL, rtol=0)


def test_all_identity_label_is_global_phase(rng):
    b = CircuitBuilder(1, 2)
    b.pauli_rotation("III", (0, 1, 2), 0.75)
    c = b.build()
    psi0 = random_state(rng, 3)
    theta = 1.3
    got = np.asarray(ebp.simulate(c, [theta], psi0))
    np.testing.assert_allclose(got, np.exp(-1j * theta * 0.75) * psi0, atol=ATOL, rtol=0)


def test_initial_state_not_normalised_is_linear(rng):
    """U is linear: a scaled initial state gives a scaled output."""
    c = random_circuit(rng, 2, 1, 15)
    p = random_params(rng, c)
    psi0 = 2.5 * random_state(rng, 3)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p, psi0)), reference_state(c, p, psi0), atol=1e-9, rtol=0
    )


# ----------------------------------------------------------------------------- inside jit / grad
def _fresh_circuit(rng):
    """A circuit (with fixed gates) that no other test has compiled: compile caches are keyed by
    the circuit's value, so a fresh random fixed unitary makes the first compilation happen
    inside the caller's trace."""
    b = CircuitBuilder(2, 1)
    b.gate("RY", 0)
    b.gate("CZ", (0, 2))
    b.unitary(random_unitary(rng, 1), 1)
    b.gate("CNOT", (2, 1))
    b.gate("RX", 2)
    b.unitary(random_diagonal_unitary(rng, 2), (1, 0))
    return b.build()


def test_simulate_inside_jit_first_use(rng):
    """The module docstring of ebp.sim._simulate: "Everything is also usable inside jax.jit"."""
    import jax

    c = _fresh_circuit(rng)
    p = random_params(rng, c)
    got = np.asarray(jax.jit(lambda q: ebp.simulate(c, q))(p))
    np.testing.assert_allclose(got, reference_state(c, p), atol=ATOL, rtol=0)


def test_expectation_inside_jit_first_use(rng):
    import jax

    c = _fresh_circuit(rng)
    p = random_params(rng, c, batch=(2,))
    got = np.asarray(jax.jit(lambda q: ebp.expectation(c, q, "Z0 X1"))(p))
    want = [reference_expectation(c, q, "Z0 X1") for q in p]
    np.testing.assert_allclose(got, want, atol=ATOL, rtol=0)


def test_state_function_built_inside_jit(rng):
    import jax

    c = _fresh_circuit(rng)
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    got = np.asarray(jax.jit(lambda q, s: ebp.sim.state_function(c)(q, s))(p, psi0))
    np.testing.assert_allclose(got, reference_state(c, p, psi0), atol=ATOL, rtol=0)


def test_jax_grad_through_expectation(rng):
    import jax

    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c)
    obs = {"Z0 Z1": 0.5, "X2": 1.0}
    g = np.asarray(jax.grad(lambda q: ebp.expectation(c, q, obs))(jnp.asarray(p)))
    np.testing.assert_allclose(g, np.asarray(ebp.gradient(c, p, obs)), atol=1e-12, rtol=0)


# ----------------------------------------------------------------------------- conventions
def test_big_endian_wire_zero_is_most_significant():
    b = CircuitBuilder(1, 2)
    b.gate("X", 0)
    out = np.asarray(ebp.simulate(b.build(), np.zeros(0)))
    np.testing.assert_allclose(out, np.eye(8)[0b100], atol=0)
    b = CircuitBuilder(1, 2)
    b.gate("X", 2)
    b.gate("CNOT", (2, 0))
    out = np.asarray(ebp.simulate(b.build(), np.zeros(0)))
    np.testing.assert_allclose(out, np.eye(8)[0b101], atol=0)


def test_observable_forms_agree(rng):
    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c)
    want = reference_expectation(c, p, {"Z0 X1": 1.0})
    for form in ("Z0 X1", "Z0 @ X1", "z0*x1", {"X1 Z0": 1.0}, [(0.5, "Z0 X1"), (0.5, "Z0 X1")]):
        assert abs(float(ebp.expectation(c, p, form)) - want) < 1e-10, form
    # identity: "I" and "" are the norm²; their gradient vanishes
    assert abs(float(ebp.expectation(c, p, "I")) - 1) < 1e-12
    assert abs(float(ebp.expectation(c, p, "")) - 1) < 1e-12
    assert np.max(np.abs(np.asarray(ebp.gradient(c, p, "I")))) < 1e-12
    # Pauli strings on hidden wires and weighted sums
    obs = {"Y2": -0.3, "X0 Y1 Z2": 0.8}
    assert abs(float(ebp.expectation(c, p, obs)) - reference_expectation(c, p, obs)) < 1e-10


def test_parameter_free_circuit_gradient_is_empty():
    b = CircuitBuilder(1, 1)
    b.gate("H", 0)
    b.gate("CNOT", (0, 1))
    c = b.build()
    assert np.asarray(ebp.gradient(c, np.zeros(0), "Z0")).shape == (0,)
    assert abs(float(ebp.expectation(c, np.zeros(0), "X0 X1")) - 1) < 1e-12


# ----------------------------------------------------------------------------- long Pauli layers
def _has_pauli_sequence(circuit) -> bool:
    return any(isinstance(s, PauliSequence) for s in ebp.sim.compile_circuit(circuit).segments)


def test_long_pauli_rotation_layers(rng, tolerance):
    """Layers of only Pauli rotations (the pauli_network shape) long enough for the scanned
    rotation-sequence path, then an ordinary layer, then another long Pauli layer."""
    from reference import long_pauli_layer_circuit

    c1 = long_pauli_layer_circuit(rng, 2, 2, layers=2, per_layer=40)
    b = CircuitBuilder(2, 2)
    for layer in c1.layers():  # two consecutive long Pauli layers of different structure
        b.layer()
        for op in layer:
            b.gate(op.name, op.wires, slots=op.slots, data=op.data)
    b.layer()
    b.gate("H", 1)
    b.gate("CNOT", (1, 3))
    b.gate("SU4", (2, 0))
    b.layer()
    for op in long_pauli_layer_circuit(rng, 2, 2, layers=1, per_layer=30).operations:
        b.gate(op.name, op.wires, data=op.data)
    c = b.build()
    assert _has_pauli_sequence(c)
    p = random_params(rng, c, batch=(2,))
    psi0 = random_state(rng, c.n_qubits)
    got = np.asarray(ebp.simulate(c, p, psi0))
    for k in range(2):
        np.testing.assert_allclose(got[k], reference_state(c, p[k], psi0), atol=ATOL, rtol=0)
    got64 = np.asarray(ebp.simulate(c, p[0], psi0, dtype=jnp.complex64))
    np.testing.assert_allclose(
        got64, reference_state(c, p[0], psi0), atol=tolerance(np.complex64) * 5, rtol=0
    )
