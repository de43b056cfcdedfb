"""The structure-independent ("flat") engine: the same answers as the reference simulator and the
fused engine, and no compilation for a new circuit once its width has been seen."""

import jax
import jax.monitoring
import jax.numpy as jnp
import numpy as np
import pytest

import ebp
import ebp.sim._flat_numpy
import ebp.sim._numpy_threads
import ebp.sim._simulate as simulate_module
from ebp.ansatz import bounded_cut, brickwork, hardware_efficient, pauli_network
from ebp.circuit import CircuitBuilder
from reference import (
    random_circuit,
    random_params,
    random_state,
    reference_expectation,
    reference_state,
)

ATOL = 1e-10
OBS = {"Z0 X1": 0.7, "Y2": -0.4, "Z1 Z3": 1.1}


@pytest.fixture(params=["numpy", "numpy-threads", "compiled"])
def engine(request, monkeypatch):
    """Choose the engine; "flat" runs its stage passes in NumPy (on one thread, or with every
    batch split between two threads) or in the compiled chunk programs (all three, by
    parametrisation), whatever the width."""
    widest = 1 if request.param == "compiled" else 64
    monkeypatch.setattr(ebp.sim._flat_numpy, "NUMPY_MAX_QUBITS", widest)
    if request.param == "numpy-threads":
        monkeypatch.setattr(ebp.sim._numpy_threads, "_cores", lambda: 2)
        monkeypatch.setattr(ebp.sim._numpy_threads, "BATCH_SPLIT_AMPLITUDES", 1)

    def use(name: str):
        monkeypatch.setattr(simulate_module, "ENGINE", name)

    return use


def _both_engines(engine, fn):
    engine("flat")
    flat = fn()
    engine("fused")
    fused = fn()
    return flat, fused


@pytest.mark.slow
@pytest.mark.parametrize("n_visible,n_hidden", [(1, 1), (2, 2), (2, 3)])
def test_random_circuits_match_reference(n_visible, n_hidden, rng, engine):
    """Every gate of the registry on ≤ 2 wires, random wires (non-adjacent pairs, reversed
    order), shared slots, layers; states and expectations against the dense reference."""
    from ebp.circuit import GATES

    names = [g for g in GATES if GATES[g].n_wires in (1, 2) or g in ("PAULIROT", "UNITARY")]
    engine("flat")
    for _ in range(3):
        c = random_circuit(rng, n_visible, n_hidden, 30, names)
        if any(len(op.wires) > 2 for op in c.operations):
            c = random_circuit(
                rng, n_visible, n_hidden, 30, [g for g in names if g not in ("PAULIROT", "UNITARY")]
            )
        p = random_params(rng, c, batch=(3,))
        psi0 = random_state(rng, c.n_qubits)
        got = np.asarray(ebp.simulate(c, p, psi0))
        for k in range(3):
            np.testing.assert_allclose(got[k], reference_state(c, p[k], psi0), atol=ATOL, rtol=0)
        obs = {"Z0": 0.5, "X1": 1.0}
        val = np.asarray(ebp.expectation(c, p, obs, psi0))
        want = [reference_expectation(c, q, obs, psi0) for q in p]
        np.testing.assert_allclose(val, want, atol=ATOL, rtol=0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [
        lambda: hardware_efficient(2, 3, 3),
        lambda: brickwork(2, 3, 2),
        lambda: bounded_cut(2, 3, 3, 1),
        lambda: pauli_network(2, 2, 1, seed=3),
    ],
    ids=["hardware_efficient", "brickwork", "bounded_cut", "pauli_network"],
)
def test_gradients_match_fused_engine(make, rng, engine):
    c = make()
    p = random_params(rng, c, batch=(3,))
    (v1, g1), (v2, g2) = _both_engines(
        engine, lambda: tuple(np.asarray(a) for a in ebp.expectation_and_gradient(c, p, OBS))
    )
    np.testing.assert_allclose(v1, v2, atol=ATOL, rtol=0)
    np.testing.assert_allclose(g1, g2, atol=ATOL, rtol=0)


def test_distant_gates_are_routed_to_neighbouring_pairs(rng, engine):
    """A gate on distant wires (either order) moves a wire next to the other with SWAPs; gates
    that commute with it and sit on neighbours run first; later gates act where their wires now
    sit; SWAPs at the end restore the order; equal SWAPs in a row cancel; every stage acts on a
    neighbouring pair."""
    from ebp.circuit import Operation
    from ebp.sim._flat import _routed, flatten

    cnot = Operation("CNOT", (3, 0))
    routed = _routed([cnot, cnot, Operation("RX", (2,), (0,)), Operation("SWAP", (1, 2))], 4)
    assert [(op.name, op.wires) for op in routed] == [
        ("RX", (2,)),  # disjoint from the CNOTs: runs first
        # the circuit's own SWAP of wires 1 and 2: they trade positions, no stage
        ("SWAP", (2, 3)),
        ("SWAP", (1, 2)),  # wire 3 now sits at position 1, wires 2 and 1 at 2 and 3
        ("CNOT", (1, 0)),
        ("CNOT", (1, 0)),
        ("SWAP", (1, 2)),  # back to the usual order
        ("SWAP", (2, 3)),
        ("SWAP", (1, 2)),
    ]
    routed = _routed([Operation("SWAP", (1, 2)), Operation("CNOT", (0, 2))], 3)
    assert [(op.name, op.wires) for op in routed] == [("CNOT", (0, 1)), ("SWAP", (1, 2))]
    b = CircuitBuilder(3, 3)
    b.gate("RY", 1)
    b.gate("RXX", (0, 4))
    b.gate("CNOT", (3, 1))
    b.gate("SU4", (5, 0))
    b.gate("RZ", 4)
    b.gate("CZ", (0, 2))
    c = b.build()
    pairs = flatten(c).pairs
    assert np.all(pairs[:, 1] - pairs[:, 0] == 1), pairs
    engine("flat")
    p = random_params(rng, c, batch=(2,))
    psi0 = random_state(rng, c.n_qubits)
    got = np.asarray(ebp.simulate(c, p, psi0))
    for k in range(2):
        np.testing.assert_allclose(got[k], reference_state(c, p[k], psi0), atol=ATOL, rtol=0)
    obs = {"Z0 X4": 0.7, "Y2 Y5": -0.4}
    g = np.asarray(ebp.gradient(c, p, obs, initial_state=psi0))
    h = 1e-6
    for k in range(2):
        fd = [
            (
                reference_expectation(c, p[k] + h * e, obs, psi0)
                - reference_expectation(c, p[k] - h * e, obs, psi0)
            )
            / (2 * h)
            for e in np.eye(c.n_params)
        ]
        np.testing.assert_allclose(g[k], fd, atol=1e-7, rtol=0)


def test_kernel_indices_refuse_distant_pairs():
    from ebp.sim._flat_engine import kernel_indices

    assert kernel_indices(np.array([[0, 1], [2, 3]]), 4).tolist() == [0, 2]
    with pytest.raises(ValueError, match="neighbouring pair"):
        kernel_indices(np.array([[0, 1], [0, 2]]), 4)


@pytest.mark.slow
def test_gradient_against_finite_differences_shared_slots(rng, engine):
    """Shared slots, non-adjacent pairs, a general two-qubit gate and fixed gates."""
    b = CircuitBuilder(2, 2)
    s = b.new_slots(2)
    for _ in range(2):
        b.layer()
        b.gate("RY", 0, slots=s[:1])
        b.gate("SU4", (3, 1))
        b.gate("RXX", (0, 2), slots=s[1:])
        b.gate("H", 3)
        b.gate("CNOT", (2, 0))
        b.pauli_rotation("YZ", (3, 0), 0.7)
        b.gate("RZ", 2)
    c = b.build()
    engine("flat")
    p = random_params(rng, c)
    g = np.asarray(ebp.gradient(c, p, OBS))
    h = 1e-6
    fd = np.array(
        [
            (reference_expectation(c, p + h * e, OBS) - reference_expectation(c, p - h * e, OBS))
            / (2 * h)
            for e in np.eye(c.n_params)
        ]
    )
    np.testing.assert_allclose(g, fd, atol=1e-7, rtol=0)


@pytest.mark.slow
def test_pullback_and_complex64_match_fused(rng, engine):
    c = brickwork(2, 2, 2)
    p = random_params(rng, c, batch=(2,))
    psi = random_state(rng, c.n_qubits)
    ct = random_state(rng, c.n_qubits)
    a, b = _both_engines(engine, lambda: np.asarray(ebp.sim.pullback(c, p, psi, ct)))
    np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)
    a, b = _both_engines(engine, lambda: np.asarray(ebp.gradient(c, p, "Z0", dtype=jnp.complex64)))
    assert a.dtype == b.dtype == np.float32
    np.testing.assert_allclose(a, b, atol=1e-4, rtol=0)


@pytest.mark.slow
def test_batch_shapes_and_empty_batch(rng, engine):
    engine("flat")
    c = hardware_efficient(1, 2, 2)
    p = random_params(rng, c, batch=(2, 3))
    out = np.asarray(ebp.gradient(c, p, "Z0"))
    assert out.shape == (2, 3, c.n_params)
    np.testing.assert_allclose(out[1, 2], np.asarray(ebp.gradient(c, p[1, 2], "Z0")), atol=ATOL)
    assert np.asarray(ebp.gradient(c, np.zeros((0, c.n_params)), "Z0")).shape == (0, c.n_params)
    v, g = ebp.expectation_and_gradient(c, np.zeros((0, c.n_params)), "Z0")
    assert v.shape == (0,) and g.shape == (0, c.n_params)


def test_circuit_moves_to_fused_engine_after_its_budget(rng, monkeypatch):
    """The rent-or-buy rule: flat until FUSED_AFTER_SECONDS of run time, then fused."""
    monkeypatch.setattr(simulate_module, "ENGINE", "auto")
    monkeypatch.setattr(simulate_module, "FUSED_AFTER_SECONDS", 1e-9)
    c = hardware_efficient(1, 2, 3)
    key = simulate_module._cache_key(c, ebp.sim.as_observable("Z0", 3, 1))
    simulate_module._flat_seconds.pop(key, None)
    assert simulate_module._engine(key, traced=False) == "flat"
    ebp.gradient(c, random_params(rng, c), "Z0")
    assert simulate_module._engine(key, traced=False) == "fused"


class _CompileCounter:
    """Counts XLA compilations (including loads from the persistent cache) through JAX's own
    monitoring hook, the event every backend compilation records."""

    EVENT = "/jax/core/compile/backend_compile_duration"

    def __init__(self):
        self.count = 0
        jax.monitoring.register_event_duration_secs_listener(self._listen)

    def _listen(self, name, duration, **kwargs):
        if name == self.EVENT:
            self.count += 1


@pytest.mark.slow
def test_new_structure_and_depth_need_no_compilation(rng, engine):
    """After one circuit on n qubits, circuits of other structures and depths on the same n are
    simulated and differentiated without a single new XLA compilation. (The first use of a
    parameter-free gate kind in a process may compile its registry matrix function once, so the
    first circuit uses the same gate kinds.)"""
    engine("flat")  # the default; "auto" may move a circuit that ran long to the fused engine
    n_v, n_h = 3, 3
    counter = _CompileCounter()
    gates = ["RX", "RY", "RZ", "CZ", "CNOT", "RXX", "H"]
    first = random_circuit(rng, n_v, n_h, 20, gates)
    p = random_params(rng, first, batch=(3,))
    ebp.simulate(first, p).block_until_ready()
    ebp.expectation_and_gradient(first, p, OBS)[1].block_until_ready()
    # The first circuit may find its programs compiled by earlier tests, so prove that the
    # listener counts with a program no other code compiles.
    seen = counter.count
    jax.jit(lambda x: jnp.sin(x) * 1.2345678)(np.arange(13.0)).block_until_ready()
    assert counter.count > seen, "the listener saw no compilation at all: it cannot count"
    before = counter.count
    others = [
        hardware_efficient(n_v, n_h, 7),  # deeper
        brickwork(n_v, n_h, 5),
        bounded_cut(n_v, n_h, 4, 1),
        random_circuit(rng, n_v, n_h, 120, gates),
        pauli_network(n_v, n_h, 2, seed=5),  # all pairs, non-adjacent ones included
    ]
    for c in others:
        p = random_params(rng, c, batch=(4,))  # another batch size in the same bucket
        ebp.simulate(c, p).block_until_ready()
        v, g = ebp.expectation_and_gradient(c, p, OBS)
        g.block_until_ready()
        np.testing.assert_allclose(
            np.asarray(v), [reference_expectation(c, q, OBS) for q in p], atol=ATOL, rtol=0
        )
    assert counter.count == before, f"{counter.count - before} new compilation(s)"


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_numpy_observable_matches_jax_value_and_cotangent(rng, dtype):
    """The flat engine's NumPy ⟨O⟩ and cotangent 2·conj(Oψ) against ``jax.vjp`` of the compiled
    expectation, for a Pauli sum (X, Y, Z, identity) and a matrix on the visible register."""
    from ebp.sim._observables import as_observable, expectation_and_cotangent, expectation_of_state

    n, n_v = 5, 2
    m = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    observables = [{"Z0 X2": 0.7, "Y1 Y4": -0.4, "X3": 1.1, "I": 0.25}, m + m.conj().T]
    states = (rng.normal(size=(3, 2**n)) + 1j * rng.normal(size=(3, 2**n))).astype(dtype)
    tol = 1e-12 if dtype == np.complex128 else 1e-4
    for spec in observables:
        obs = as_observable(spec, n, n_v)
        value, ct = expectation_and_cotangent(obs, states, n, n_v, True)
        for k, psi in enumerate(states):
            v, pull = jax.vjp(lambda s, o=obs: expectation_of_state(o, s, n, n_v), jnp.asarray(psi))
            np.testing.assert_allclose(value[k], float(v), rtol=tol, atol=tol)
            np.testing.assert_allclose(
                ct[k], np.asarray(pull(jnp.ones_like(v))[0]), rtol=tol, atol=tol
            )
        assert ct.dtype == dtype and value.dtype == np.finfo(dtype).dtype


def test_few_qubits_compile_nothing(rng, monkeypatch):
    """Up to NUMPY_MAX_QUBITS qubits the flat engine runs in NumPy: a first answer (state, value
    and gradient of circuits never seen, on widths never seen) triggers no XLA compilation, and
    the gradient agrees with central finite differences."""
    monkeypatch.setattr(simulate_module, "ENGINE", "flat")
    counter = _CompileCounter()
    jax.jit(lambda x: jnp.cos(x) * 2.7182818)(np.arange(11.0)).block_until_ready()
    assert counter.count > 0, "the listener saw no compilation at all: it cannot count"
    before = counter.count
    widest = ebp.sim._flat_numpy.NUMPY_MAX_QUBITS
    gates = ["RX", "RY", "RZ", "CZ", "CNOT", "H", "SWAP"]
    for n_v, n_h in [(1, 2), (2, widest - 2)]:
        c = random_circuit(rng, n_v, n_h, 4 * (n_v + n_h), gates)
        p = random_params(rng, c, batch=(2,))
        ebp.simulate(c, p)
        value, grad = ebp.expectation_and_gradient(c, p, "Z0")
        step = 1e-6
        checked = range(c.n_params) if c.n_qubits < 8 else range(0, c.n_params, 9)
        for k in checked:
            shift = np.zeros(c.n_params)
            shift[k] = step
            plus = np.asarray(ebp.expectation(c, p + shift, "Z0"))
            minus = np.asarray(ebp.expectation(c, p - shift, "Z0"))
            np.testing.assert_allclose(
                np.asarray(grad)[:, k], (plus - minus) / (2 * step), atol=1e-8, rtol=0
            )
    assert counter.count == before, f"{counter.count - before} compilation(s)"


def test_a_batch_gives_each_instance_bit_for_bit_its_own_answer(rng, engine):
    """Repeating a computation, alone or inside any batch (split into chunks and threads on the
    NumPy passes), gives bit-identical results."""
    engine("flat")
    c = random_circuit(rng, 2, 3, 40, ["RX", "RY", "CZ", "CNOT", "SU4", "H"])
    p = random_params(rng, c, batch=(7,))
    values, grads = ebp.expectation_and_gradient(c, p, OBS)
    for k in (0, 3, 6):
        value, grad = ebp.expectation_and_gradient(c, p[k], OBS)
        np.testing.assert_array_equal(np.asarray(value), np.asarray(values)[k])
        np.testing.assert_array_equal(np.asarray(grad), np.asarray(grads)[k])
    again = ebp.expectation_and_gradient(c, p, OBS)
    np.testing.assert_array_equal(np.asarray(again[1]), np.asarray(grads))
