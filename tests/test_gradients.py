"""Exact (adjoint) gradients against finite differences and the parameter-shift rule.

Parameter-shift rule used here. For a gate U(θ) = exp(−iθ·c·P) with P a Pauli string (P² = I),
the generator cP has eigenvalues ±c, so any expectation is C(θ) = a + b·cos(2cθ) + d·sin(2cθ).
Then C(θ+s) − C(θ−s) = 2·sin(2cs)·(−b·sin 2cθ + d·cos 2cθ) and C'(θ) = 2c·(−b·sin 2cθ + d·cos 2cθ),
so C'(θ) = c/sin(2cs) · [C(θ+s) − C(θ−s)]. With s = π/(4c) (any sign of c): sin(2cs) = 1 and

    ∂C/∂θ = c · [C(θ + π/(4c)) − C(θ − π/(4c))],

which for RX…RZZ (c = ½) is the familiar ½·[C(θ+π/2) − C(θ−π/2)]. The SU4 block is a product of
such exponentials, one per parameter: c = ½ for its Euler angles, c = 1 for θ6, θ7, θ8
(exp(−i(θ6 XX + θ7 YY + θ8 ZZ)) factorises because XX, YY, ZZ commute).
:func:`test_parameter_shift_rule_itself` checks the rule on the reference simulator.

Expectation values for the finite-difference / shift evaluations come either from the independent
dense reference simulator (``reference.py``) or from one batched ``ebp.simulate`` call, always with
the reference observable matrices.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import ebp
from ebp.ansatz import bounded_cut, brickwork, decoupled, hardware_efficient, pauli_network
from ebp.circuit import CircuitBuilder
from ebp.sim._pauli_sequence import PauliSequence
from reference import (
    add_random_gate,
    observable_matrix,
    random_circuit,
    random_hermitian,
    random_params,
    random_state,
    reference_expectation,
    reference_state,
    reference_unitary,
)

FD_STEP = 1e-5
FD_ATOL = 1e-7
EXACT_ATOL = 1e-9

_HERM = random_hermitian(np.random.default_rng(777), 4)  # on a 2-qubit visible register
OBSERVABLES = {
    "Z0": "Z0",
    "ZZ+X": {"Z0 Z1": 0.5, "X2": 1.0},
    "Y1": "Y1",
    "herm_matrix": _HERM,
}


def slot_coefficients(circuit) -> np.ndarray:
    """c of exp(−iθcP) for every slot (each slot must drive exactly one exponential)."""
    coeffs = np.full(circuit.n_params, np.nan)
    for op in circuit.operations:
        if op.name in ("RX", "RY", "RZ", "RXX", "RYY", "RZZ"):
            cs = [0.5]
        elif op.name == "PAULIROT":
            cs = [op.data[0]]
        elif op.name == "SU4":
            cs = [0.5] * 6 + [1.0] * 3 + [0.5] * 6
        else:
            cs = []
        assert len(cs) == len(op.slots)
        for s, c in zip(op.slots, cs):
            assert np.isnan(coeffs[s]), "slot shared: the per-slot shift rule does not apply"
            coeffs[s] = c
    assert not np.any(np.isnan(coeffs))
    return coeffs


def _expectations_from_states(states, obs, circuit):
    o = observable_matrix(obs, circuit.n_qubits, circuit.n_visible)
    return np.real(np.einsum("bi,ij,bj->b", states.conj(), o, states))


def fd_and_shift(circuit, params, observables, initial_state=None, backend="ebp"):
    """Central finite differences and parameter-shift gradients for several observables, from
    the states at 4·P shifted parameter vectors: one batched ``ebp.simulate`` call
    (``backend="ebp"``) or the independent dense reference (``backend="reference"``)."""
    p = np.asarray(params, dtype=float)
    n_p = p.size
    eye = np.eye(n_p)
    coeffs = slot_coefficients(circuit)
    shifts = np.pi / (4 * coeffs)
    batch = np.concatenate(
        [p + FD_STEP * eye, p - FD_STEP * eye, p + shifts[:, None] * eye, p - shifts[:, None] * eye]
    )
    if backend == "ebp":
        states = np.asarray(ebp.simulate(circuit, batch, initial_state))
    else:
        states = np.stack([reference_state(circuit, q, initial_state) for q in batch])
    out = {}
    for key, obs in observables.items():
        e = _expectations_from_states(states, obs, circuit).reshape(4, n_p)
        fd = (e[0] - e[1]) / (2 * FD_STEP)
        ps = coeffs * (e[2] - e[3])
        out[key] = (fd, ps)
    return out


# ----------------------------------------------------------------------------- the rule itself
def test_parameter_shift_rule_itself(rng):
    """Verify the shift rule (including negative and non-½ coefficients) on the reference
    simulator, against finite differences, before using it as a ground truth."""
    b = CircuitBuilder(1, 2)
    b.gate("RY", 0)
    b.gate("RX", 1)
    b.gate("CNOT", (0, 2))
    b.pauli_rotation("XZ", (2, 1), -0.37)
    b.pauli_rotation("YY", (0, 2), 1.9)
    b.gate("RXX", (1, 0))
    b.gate("SU4", (2, 1))
    c = b.build()
    p = random_params(rng, c)
    coeffs = slot_coefficients(c)
    obs = {"Z0 X1": 0.7, "Y2": -1.1}
    for k in range(c.n_params):
        e = np.eye(c.n_params)[k]
        fd = (
            reference_expectation(c, p + 1e-6 * e, obs)
            - reference_expectation(c, p - 1e-6 * e, obs)
        ) / 2e-6
        s = np.pi / (4 * coeffs[k])
        ps = coeffs[k] * (
            reference_expectation(c, p + s * e, obs) - reference_expectation(c, p - s * e, obs)
        )
        assert abs(fd - ps) < 1e-8, k


# ----------------------------------------------------------------------------- ansatzes
GRAD_ANSATZ = {
    "hardware_efficient": lambda: hardware_efficient(2, 1, 2),
    "brickwork": lambda: brickwork(2, 1, 2),
    "bounded_cut_1": lambda: bounded_cut(2, 2, 2, cut_gates=1),
    "decoupled": lambda: decoupled(2, 1, 2),
    "pauli_network_L1": lambda: pauli_network(2, 1, 1, seed=11),
    "pauli_network_L3": lambda: pauli_network(2, 0, 3, seed=12),
}
# every observable on hardware_efficient, one per other ansatz (to keep compilations few)
GRAD_CASES = [("hardware_efficient", k) for k in OBSERVABLES] + [
    ("brickwork", "Y1"),
    ("bounded_cut_1", "herm_matrix"),
    ("decoupled", "ZZ+X"),
    ("pauli_network_L1", "ZZ+X"),
    ("pauli_network_L3", "herm_matrix"),
]


@pytest.mark.slow
@pytest.mark.parametrize("ansatz,obs_key", GRAD_CASES, ids=[f"{a}-{o}" for a, o in GRAD_CASES])
def test_gradient_vs_fd_and_parameter_shift(ansatz, obs_key, rng):
    c = GRAD_ANSATZ[ansatz]()
    obs = OBSERVABLES[obs_key]
    p = random_params(rng, c)
    fd, ps = fd_and_shift(c, p, {obs_key: obs}, backend="reference")[obs_key]
    g = np.asarray(ebp.gradient(c, p, obs))
    assert g.shape == (c.n_params,)
    np.testing.assert_allclose(ps, fd, atol=FD_ATOL, rtol=0)  # the two references agree
    np.testing.assert_allclose(g, ps, atol=EXACT_ATOL, rtol=0)
    np.testing.assert_allclose(g, fd, atol=FD_ATOL, rtol=0)


@pytest.mark.slow
def test_gradient_all_rotation_gates_parameter_shift(rng):
    """Every parametrised gate (RX…RZZ, PauliRot with assorted c, SU4) on unsorted wires."""
    gates = ["RX", "RY", "RZ", "RXX", "RYY", "RZZ", "PAULIROT", "SU4", "H", "CNOT", "CZ", "S"]
    b = CircuitBuilder(2, 2)
    for name in ["RX", "RY", "RZ", "RXX", "RYY", "RZZ", "PAULIROT", "SU4"]:
        add_random_gate(b, rng, name, 4)
    for op in random_circuit(rng, 2, 2, 4, gates, share_prob=0.0, layer_prob=0.0).operations:
        b.gate(op.name, op.wires, data=op.data)
    c = b.build()
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    obs = {"Z0 Y3": 0.8, "X1": -0.6}
    fd, ps = fd_and_shift(c, p, {"o": obs}, psi0, backend="reference")["o"]
    g = np.asarray(ebp.gradient(c, p, obs, psi0))
    np.testing.assert_allclose(g, ps, atol=EXACT_ATOL, rtol=0)
    np.testing.assert_allclose(g, fd, atol=FD_ATOL, rtol=0)


def test_expectation_matches_reference(rng):
    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c)
    for key, obs in OBSERVABLES.items():
        if key == "herm_matrix":
            continue  # see test_matrix_observable_expectation
        assert abs(float(ebp.expectation(c, p, obs)) - reference_expectation(c, p, obs)) < 1e-10


def test_matrix_observable_expectation(rng):
    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c)
    got = float(ebp.expectation(c, p, _HERM))
    assert abs(got - reference_expectation(c, p, _HERM)) < 1e-10


# ----------------------------------------------------------------------------- shared slots
def _unshare(circuit):
    """The same circuit with a fresh slot for every gate parameter, and the slot map."""
    b = CircuitBuilder(circuit.n_visible, circuit.n_hidden)
    origin = []
    for op in circuit.operations:
        b.gate(op.name, op.wires, data=op.data)
        origin += list(op.slots)
    return b.build(), np.asarray(origin, dtype=int)


@pytest.mark.slow
def test_shared_slots_sum_of_gate_contributions(rng):
    gates = ["RX", "RY", "RZ", "RXX", "RYY", "RZZ", "PAULIROT", "SU4", "CNOT", "H"]
    c = random_circuit(rng, 2, 1, 12, gates, share_prob=0.5, layer_prob=0.0)
    shared = sum(len(op.slots) for op in c.operations) > c.n_params
    assert shared, "the test circuit must actually share slots"
    p = random_params(rng, c)
    obs = {"Z0 Z1": 0.5, "X2": 1.0}
    g = np.asarray(ebp.gradient(c, p, obs))
    # finite differences on the shared circuit (reference simulator)
    eye = np.eye(c.n_params)
    states = np.stack(
        [reference_state(c, q) for q in np.concatenate([p + FD_STEP * eye, p - FD_STEP * eye])]
    )
    e = _expectations_from_states(states, obs, c).reshape(2, -1)
    np.testing.assert_allclose(g, (e[0] - e[1]) / (2 * FD_STEP), atol=FD_ATOL, rtol=0)
    # parameter shift per gate on the unshared copy, summed per original slot
    u, origin = _unshare(c)
    q = p[origin]
    _, ps = fd_and_shift(u, q, {"o": obs}, backend="reference")["o"]
    summed = np.zeros(c.n_params)
    np.add.at(summed, origin, ps)
    np.testing.assert_allclose(g, summed, atol=EXACT_ATOL, rtol=0)


@pytest.mark.slow
def test_two_gates_on_one_slot_explicit():
    """RX(θ) then RX(θ) on one wire is RX(2θ): ⟨Z⟩ = cos 2θ, derivative −2 sin 2θ."""
    b = CircuitBuilder(1, 0)
    (s,) = b.gate("RX", 0)
    b.gate("RX", 0, slots=(s,))
    c = b.build()
    assert c.n_params == 1
    for theta in (0.3, 1.1, -2.0):
        np.testing.assert_allclose(
            float(ebp.expectation(c, [theta], "Z0")), np.cos(2 * theta), atol=1e-12
        )
        np.testing.assert_allclose(
            np.asarray(ebp.gradient(c, [theta], "Z0")), [-2 * np.sin(2 * theta)], atol=1e-12
        )


# ----------------------------------------------------------------------------- batching
def test_batched_gradient_per_element(rng):
    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c, batch=(3, 2))
    obs = {"Z0 Z1": 0.5, "X2": 1.0}
    g = np.asarray(ebp.gradient(c, p, obs))
    assert g.shape == (3, 2, c.n_params)
    for i in range(3):
        for j in range(2):
            np.testing.assert_allclose(
                g[i, j], np.asarray(ebp.gradient(c, p[i, j], obs)), atol=1e-12
            )
    fd, ps = fd_and_shift(c, p[2, 1], {"o": obs})["o"]
    np.testing.assert_allclose(g[2, 1], ps, atol=EXACT_ATOL, rtol=0)


def test_batched_gradient_with_initial_states(rng):
    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c, batch=(2, 1))
    psi0 = np.stack([random_state(rng, c.n_qubits) for _ in range(3)])
    g = np.asarray(ebp.gradient(c, p, "Y1", psi0))
    assert g.shape == (2, 3, c.n_params)
    fd, ps = fd_and_shift(c, p[1, 0], {"o": "Y1"}, psi0[2])["o"]
    np.testing.assert_allclose(g[1, 2], ps, atol=EXACT_ATOL, rtol=0)


def test_value_and_gradient_consistent(rng):
    c = hardware_efficient(2, 1, 2)
    p = random_params(rng, c, batch=(3, 2))
    obs = {"Z0 Z1": 0.5, "X2": 1.0}
    v, g = ebp.expectation_and_gradient(c, p, obs)
    assert v.shape == (3, 2) and g.shape == (3, 2, c.n_params)
    np.testing.assert_allclose(np.asarray(v), np.asarray(ebp.expectation(c, p, obs)), atol=1e-12)
    np.testing.assert_allclose(np.asarray(g), np.asarray(ebp.gradient(c, p, obs)), atol=1e-12)
    for k in range(3):
        assert abs(float(v[k, 1]) - reference_expectation(c, p[k, 1], obs)) < 1e-10


# ----------------------------------------------------------------------------- custom VJP
def _losses(f, psi0, phi, w, n, nv):
    def fidelity(p):
        return jnp.abs(jnp.vdot(phi, f(p, psi0))) ** 2

    def purity(p):  # Tr ρ_V²
        m = f(p, psi0).reshape(2**nv, 2 ** (n - nv))
        rho = m @ m.conj().T
        return jnp.real(jnp.trace(rho @ rho))

    def mixed(p):  # phase-sensitive complex-linear part plus a quartic part
        psi = f(p, psi0)
        return (
            jnp.real(jnp.vdot(w, psi))
            + 0.3 * jnp.imag(jnp.vdot(w, psi))
            + jnp.sum(jnp.abs(psi[:3]) ** 4)
            + fidelity(p)
        )

    return {"fidelity": fidelity, "purity": purity, "mixed": mixed}


@pytest.mark.slow
@pytest.mark.parametrize(
    "make,loss_name",
    [(lambda: brickwork(1, 2, 2), "mixed"), (lambda: pauli_network(1, 1, 2, seed=5), "purity")],
    ids=["brickwork-fidelity+mixed", "pauli_network-purity"],
)
def test_nonlinear_loss_through_state_function(make, loss_name, rng):
    """jax.grad of a nonlinear function of the state (fidelity |<φ|ψ>|², purity of ρ_V, a
    phase-sensitive mix) vs finite differences: arbitrary complex cotangents through the custom
    adjoint VJP."""
    c = make()
    f = ebp.sim.state_function(c)
    n, nv = c.n_qubits, c.n_visible
    psi0 = jnp.asarray(random_state(rng, n))
    phi = jnp.asarray(random_state(rng, n))
    w = jnp.asarray(rng.normal(size=2**n) + 1j * rng.normal(size=2**n))
    loss = _losses(f, psi0, phi, w, n, nv)[loss_name]
    p = random_params(rng, c)
    g = np.asarray(jax.jit(jax.grad(loss))(jnp.asarray(p)))
    # finite differences of the same loss evaluated on reference states (plain numpy)
    psi0_np, phi_np, w_np = np.asarray(psi0), np.asarray(phi), np.asarray(w)

    def ref_f(q, s0):
        return jnp.asarray(reference_state(c, np.asarray(q), np.asarray(s0)))

    ref_loss = _losses(ref_f, psi0_np, phi_np, w_np, n, nv)[loss_name]
    eye = np.eye(p.size)
    fd = np.array(
        [
            (float(ref_loss(p + FD_STEP * e)) - float(ref_loss(p - FD_STEP * e))) / (2 * FD_STEP)
            for e in eye
        ]
    )
    np.testing.assert_allclose(g, fd, atol=FD_ATOL, rtol=0)
    if loss_name == "purity":  # the loss itself against a partial trace done by explicit sums
        from reference import reduced_visible

        rho = reduced_visible(reference_state(c, p, psi0_np), nv, n)
        assert abs(float(ref_loss(p)) - np.real(np.trace(rho @ rho))) < 1e-12


@pytest.mark.slow
def test_vmapped_custom_vjp_jacrev(rng):
    """jax.jacrev of a vector of losses vmaps the custom backward pass over cotangents."""
    c = hardware_efficient(1, 1, 2)
    f = ebp.sim.state_function(c)
    psi0 = jnp.asarray(random_state(rng, 2))
    p = jnp.asarray(random_params(rng, c))
    jac = np.asarray(jax.jit(jax.jacrev(lambda q: jnp.abs(f(q, psi0)) ** 2))(p))  # (4, n_params)

    def u(q):
        return reference_unitary(c, np.asarray(q)) @ np.asarray(psi0)

    eye = np.eye(c.n_params)
    fd = np.stack(
        [
            (np.abs(u(p + FD_STEP * e)) ** 2 - np.abs(u(p - FD_STEP * e)) ** 2) / (2 * FD_STEP)
            for e in eye
        ],
        axis=1,
    )
    np.testing.assert_allclose(jac, fd, atol=FD_ATOL, rtol=0)


@pytest.mark.slow
def test_state_function_value_and_reference(rng):
    c = bounded_cut(1, 2, 2, cut_gates=2)
    f = jax.jit(ebp.sim.state_function(c))
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    np.testing.assert_allclose(np.asarray(f(p, psi0)), reference_unitary(c, p) @ psi0, atol=1e-10)


@pytest.mark.slow
def test_gradient_with_respect_to_initial_state(rng):
    """The custom VJP's state cotangent equals autodiff through the dense reference unitary."""
    c = hardware_efficient(1, 2, 2)
    p = jnp.asarray(random_params(rng, c))
    f = ebp.sim.state_function(c)
    u = jnp.asarray(reference_unitary(c, np.asarray(p)))
    o = jnp.asarray(observable_matrix({"Z0 X2": 1.0, "Y1": 0.4}, 3, 1))
    psi0 = jnp.asarray(random_state(rng, 3))

    def loss(state_fn, s):
        psi = state_fn(s)
        return jnp.real(jnp.vdot(psi, o @ psi))

    g = jax.jit(jax.grad(lambda s: loss(lambda x: f(p, x), s)))(psi0)
    g_ref = jax.grad(lambda s: loss(lambda x: u @ x, s))(psi0)
    np.testing.assert_allclose(np.asarray(g), np.asarray(g_ref), atol=1e-10)


@pytest.mark.slow
def test_gradient_long_pauli_layers_shared_slots(rng):
    """Gradients through long layers of Pauli rotations (scanned rotation-sequence path), with
    shared slots: finite differences and per-gate parameter shift summed per slot."""
    from reference import long_pauli_layer_circuit

    c = long_pauli_layer_circuit(rng, 2, 1, layers=2, per_layer=36, share_prob=0.3)
    assert sum(len(op.slots) for op in c.operations) > c.n_params  # slots really are shared
    assert any(isinstance(s, PauliSequence) for s in ebp.sim.compile_circuit(c).segments)
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    obs = {"Z0 Y1": 0.9, "X2": -0.5}
    g = np.asarray(ebp.gradient(c, p, obs, psi0))
    u, origin = _unshare(c)
    fd, ps = fd_and_shift(u, p[origin], {"o": obs}, psi0, backend="reference")["o"]
    summed_ps = np.zeros(c.n_params)
    np.add.at(summed_ps, origin, ps)
    summed_fd = np.zeros(c.n_params)
    np.add.at(summed_fd, origin, fd)
    np.testing.assert_allclose(g, summed_ps, atol=EXACT_ATOL, rtol=0)
    np.testing.assert_allclose(g, summed_fd, atol=FD_ATOL, rtol=0)
