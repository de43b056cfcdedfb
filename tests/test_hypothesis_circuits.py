"""Property test: random circuits drawn from every registered gate agree with the dense reference.

Hypothesis draws a circuit on 2–5 qubits (any visible/hidden split) from ``ebp.circuit.GATES``:
every registered gate on random distinct wires in random order, Pauli rotations with random
labels and coefficients, random k-qubit unitaries, parameter slots shared between gates, layer
breaks; then a batch of parameter vectors and a random Pauli-sum observable. For each draw

* the state of ``ebp.simulate`` equals the product of full embedded gate matrices
  (``tests/reference.py``, written independently of ebp's gate and kernel code);
* ``ebp.expectation`` equals ⟨ψ|O|ψ⟩ of that reference state;
* ``ebp.gradient`` equals central finite differences of the reference expectation,
  (f(θ + h e_k) − f(θ − h e_k)) / 2h with h = 1e-5 (error O(h²) ≈ 1e-10 plus rounding ≈ 1e-11).

Gates registered without a hand-written reference matrix (e.g. ``XY``) are compared against their
registry matrix, which ``test_gates.py`` checks against Qiskit or the gate's OpenQASM definition.

Two runs, derandomized (the same examples every time) with a fixed number of examples: gates on
at most two wires (the flat engine, which answers a new circuit of a known width without
compiling), and, marked slow, circuits that also hold three-wire gates (CCX, CSWAP, three-qubit
Pauli rotations and unitaries; the fused engine, which compiles each new circuit).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ebp
from ebp.circuit import GATES, CircuitBuilder
from reference import random_unitary, reference_expectation, reference_state

EXAMPLES = {2: 15, 3: 8}  # by the largest gate width drawn
H = 1e-5  # finite-difference step
STATE_ATOL = 1e-10
GRADIENT_ATOL = 1e-6


def _gates_on(n: int) -> list[str]:
    return sorted(name for name, spec in GATES.items() if (spec.n_wires or 1) <= n)


@st.composite
def circuits(draw, max_wires: int):
    """A random circuit on 2–5 qubits over every registered gate on at most ``max_wires`` wires
    (Pauli rotations and unitaries on up to ``max_wires`` wires)."""
    n = draw(st.integers(2, 5), label="n_qubits")
    n_visible = draw(st.integers(1, n - 1), label="n_visible")
    b = CircuitBuilder(n_visible, n - n_visible)
    used = 0  # parameter slots so far
    for _ in range(draw(st.integers(1, 10), label="n_ops")):
        if draw(st.booleans()):
            b.layer()
        name = draw(st.sampled_from(_gates_on(min(n, max_wires))), label="gate")
        spec = GATES[name]
        order = draw(st.permutations(range(n)))
        if name == "PAULIROT":
            k = draw(st.integers(1, min(n, max_wires)))
            label = draw(st.text("IXYZ", min_size=k, max_size=k))
            coeff = draw(st.floats(-2, 2, allow_nan=False))
            slots = _slots(draw, used, 1)
            got = b.pauli_rotation(label, order[:k], coeff, slots=slots)
        elif name == "UNITARY":
            k = draw(st.integers(1, min(n, max_wires)))
            seed = draw(st.integers(0, 2**32 - 1), label="unitary seed")
            got = b.unitary(random_unitary(np.random.default_rng(seed), k), order[:k])
        else:
            got = b.gate(name, order[: spec.n_wires], slots=_slots(draw, used, spec.n_params))
        used = max([used, *(s + 1 for s in got)])
    return b.build()


def _slots(draw, used: int, n_params: int):
    """None (fresh slots), or slots shared with earlier gates."""
    if n_params == 0 or used == 0 or not draw(st.booleans()):
        return None
    return draw(st.lists(st.integers(0, used - 1), min_size=n_params, max_size=n_params))


@st.composite
def observables(draw, n: int) -> dict[str, float]:
    """A Pauli sum: 1–3 strings on random wires with random real coefficients."""
    out = {}
    for _ in range(draw(st.integers(1, 3))):
        letters = draw(st.lists(st.sampled_from("IXYZ"), min_size=n, max_size=n))
        text = " ".join(f"{p}{w}" for w, p in enumerate(letters) if p != "I") or "Z0"
        out[text] = draw(st.floats(-1.5, 1.5, allow_nan=False, allow_infinity=False))
    return out


def _finite_differences(circuit, theta, obs) -> np.ndarray:
    grad = np.zeros(circuit.n_params)
    for k in range(circuit.n_params):
        step = np.zeros(circuit.n_params)
        step[k] = H
        plus = reference_expectation(circuit, theta + step, obs)
        minus = reference_expectation(circuit, theta - step, obs)
        grad[k] = (plus - minus) / (2 * H)
    return grad


def _check_against_the_reference(data, max_wires: int) -> None:
    circuit = data.draw(circuits(max_wires), label="circuit")
    n = circuit.n_qubits
    seed = data.draw(st.integers(0, 2**32 - 1), label="parameter seed")
    theta = np.random.default_rng(seed).uniform(-np.pi, np.pi, (2, circuit.n_params))
    obs = data.draw(observables(n), label="observable")

    states = np.asarray(ebp.simulate(circuit, theta))
    values = np.asarray(ebp.expectation(circuit, theta, obs))
    for b in range(2):
        want = reference_state(circuit, theta[b])
        np.testing.assert_allclose(states[b], want, atol=STATE_ATOL, rtol=0)
        np.testing.assert_allclose(
            values[b], reference_expectation(circuit, theta[b], obs), atol=STATE_ATOL, rtol=0
        )
    if circuit.n_params:
        grads = np.asarray(ebp.gradient(circuit, theta, obs))
        assert grads.shape == (2, circuit.n_params)
        for b in range(2):
            want = _finite_differences(circuit, theta[b], obs)
            np.testing.assert_allclose(grads[b], want, atol=GRADIENT_ATOL, rtol=0)


SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=EXAMPLES[2], **SETTINGS)
@given(data=st.data())
def test_random_circuit_of_one_and_two_wire_gates_matches_the_dense_reference(data):
    _check_against_the_reference(data, max_wires=2)


@pytest.mark.slow
@settings(max_examples=EXAMPLES[3], **SETTINGS)
@given(data=st.data())
def test_random_circuit_with_three_wire_gates_matches_the_dense_reference(data):
    _check_against_the_reference(data, max_wires=3)
