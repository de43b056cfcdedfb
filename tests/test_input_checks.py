"""Careless input at the Python API gives one clear error, never a silent wrong number.

Unnormalised states, NaN/inf or non-numeric parameters, and states too large for the machine
are refused where they enter (quantum_info, simulate/gradient, fit, QBM evaluation, the Haar and
GUE samplers), before any work or allocation.
"""

import re
import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import ebp
from ebp import _checks
from ebp.ansatz import brickwork
from ebp.quantum_info import (
    distance_to_maximally_mixed,
    entanglement_entropy,
    gue_evolution,
    gue_hamiltonian,
    haar_state,
    haar_unitary,
    von_neumann_entropy,
)

BELL = np.array([1, 0, 0, 1], dtype=complex) / np.sqrt(2)


# ----------------------------------------------------------------------------- normalisation
def test_two_psi_is_refused_with_the_norm_it_has():
    with pytest.raises(ValueError, match=re.escape("state is not normalised: ‖ψ‖² = 4;")):
        entanglement_entropy(2 * BELL, n_visible=1)


def test_stated_tolerance_is_the_boundary():
    tol = _checks.NORM_TOLERANCE[16]
    inside = BELL * np.sqrt(1 + 0.5 * tol)
    outside = BELL * np.sqrt(1 + 2 * tol)
    assert abs(float(entanglement_entropy(inside, 1)) - 1.0) < 1e-7
    with pytest.raises(ValueError, match=r"\|‖ψ‖² − 1\| <= 1e-08 \(complex128\)"):
        entanglement_entropy(outside, 1)


@pytest.mark.slow
def test_complex64_states_get_the_single_precision_tolerance():
    psi = haar_state(10, seed=1, batch=3, dtype=jnp.complex64)
    assert np.all(np.isfinite(np.asarray(entanglement_entropy(psi, 5))))
    with pytest.raises(ValueError, match=r"<= 0.0001 \(complex64\)"):
        entanglement_entropy(psi * np.float32(1.001), 5)


def test_nan_state_is_refused():
    with pytest.raises(ValueError, match="state contains NaN or infinite amplitudes"):
        entanglement_entropy(np.array([np.nan, 0, 0, 1]), 1)


@pytest.mark.slow
def test_traced_states_are_not_checked_so_jit_and_grad_still_work():
    f = jax.jit(lambda psi: entanglement_entropy(psi / jnp.linalg.norm(psi), 1))
    assert abs(float(f(2 * BELL)) - 1.0) < 1e-12  # normalised inside, as the user asked
    g = jax.grad(lambda x: entanglement_entropy(jnp.array([jnp.cos(x), 0, 0, jnp.sin(x)]), 1))
    assert np.isfinite(float(g(0.3)))


@pytest.mark.parametrize("fn", [von_neumann_entropy, distance_to_maximally_mixed])
def test_density_matrix_functions_refuse_non_states(fn):
    rho = np.diag([0.5, 0.5])
    fn(rho)  # a state: fine
    with pytest.raises(ValueError, match=r"Tr ρ = 2; it must be 1"):
        fn(2 * rho)
    with pytest.raises(ValueError, match=r"not Hermitian"):
        fn(np.array([[0.5, 0.3], [0.0, 0.5]]))
    with pytest.raises(ValueError, match=r"eigenvalue -0.5 < 0"):
        fn(np.diag([1.5, -0.5]))
    with pytest.raises(ValueError, match=r"shape \(\.\.\., d, d\)"):
        fn(np.ones((2, 3)))


# ----------------------------------------------------------------------------- parameters
CIRCUIT = brickwork(1, 1, 2)


@pytest.mark.parametrize(
    "call",
    [
        lambda p: ebp.simulate(CIRCUIT, p),
        lambda p: ebp.gradient(CIRCUIT, p, "Z0"),
        lambda p: ebp.expectation(CIRCUIT, p, "Z0"),
        lambda p: ebp.expectation_and_gradient(CIRCUIT, p, "Z0"),
    ],
    ids=["simulate", "gradient", "expectation", "expectation_and_gradient"],
)
@pytest.mark.parametrize("bad,what", [(np.nan, "1 NaN"), (np.inf, "1 infinite")])
def test_non_finite_parameters_are_refused(call, bad, what):
    p = np.zeros((2, CIRCUIT.n_params))
    p[1, 3] = bad
    msg = f"parameters must be finite; got {what} value(s) of {p.size} (first at index (1, 3))."
    with pytest.raises(ValueError, match=re.escape(msg)):
        call(p)


def test_string_parameters_say_what_parameters_must_be():
    msg = (
        f"parameters must be a real float array of shape (..., {CIRCUIT.n_params}) (float64); "
        "got str 'abc'."
    )
    with pytest.raises(TypeError, match=re.escape(msg)):
        ebp.simulate(CIRCUIT, "abc")
    with pytest.raises(TypeError, match=r"must be a real float array .* got list"):
        ebp.simulate(CIRCUIT, [[0.1, 0.2], [0.3]])  # ragged


@pytest.mark.slow
def test_traced_parameters_pass_the_boundary():
    f = jax.jit(lambda p: ebp.expectation(CIRCUIT, p, "Z0"))
    assert np.isfinite(float(f(jnp.zeros(CIRCUIT.n_params))))


def test_fit_refuses_nan_start():
    from ebp.train import adam, fit, make_task

    task = make_task("state", n_visible=1, seed=0)
    start = np.zeros(brickwork(1, 1, 2).n_params)
    start[0] = np.nan
    with pytest.raises(ValueError, match=r"init must be finite; got 1 NaN value"):
        fit(brickwork(1, 1, 2), task, adam(0.1), budget=100, init=start)


def test_qbm_evaluation_refuses_nan():
    from ebp.qbm import fully_visible, visible_marginal

    model = fully_visible(2)
    theta = np.zeros(model.n_params)
    theta[0] = np.inf
    with pytest.raises(ValueError, match="NaN or infinity"):
        visible_marginal(model, theta)


# ----------------------------------------------------------------------------- memory
def test_haar_state_of_40_qubits_is_refused_at_once():
    t0 = time.perf_counter()
    with pytest.raises(
        ValueError,
        match=r"1 Haar state\(s\) of 40 qubits .* needs about 32 TiB; "
        r"this machine has",
    ):
        haar_state(40, seed=0)
    assert time.perf_counter() - t0 < 5  # refused, not attempted (generous: a busy machine)


@pytest.fixture
def one_gib(monkeypatch):
    monkeypatch.setattr(_checks, "physical_memory", lambda: 2**30)


def test_haar_batch_counts_toward_memory(one_gib):
    haar_state(20, seed=0, batch=2)  # 2 × 2 × 16 MiB: fits
    with pytest.raises(ValueError, match=r"100 Haar state\(s\) of 20 qubits"):
        haar_state(20, seed=0, batch=100)  # 3.1 GiB
    with pytest.raises(ValueError, match=r"1 Haar unitary of dimension 8192"):
        haar_unitary(2**13, seed=0)  # 3 × 1 GiB


def test_gue_samplers_check_memory(one_gib):
    with pytest.raises(ValueError, match=r"1 GUE matrices of size 8192 × 8192 needs about 2 GiB"):
        gue_hamiltonian(2**13, seed=0)
    with pytest.raises(ValueError, match=r"method 'eigh': dense 16384 × 16384"):
        gue_evolution(14, seed=0, method="eigh")
    with pytest.raises(ValueError, match=r"1000 GUE-evolved state\(s\) of 20 qubits"):
        gue_evolution(20, seed=0, batch=1000)


# ----------------------------------------------------------------------------- scalar checks
def test_check_int_and_seed_messages():
    assert _checks.check_int("layers", np.int64(3), minimum=1) == 3
    with pytest.raises(ValueError, match=re.escape("layers must be an int >= 1; got 0.")):
        _checks.check_int("layers", 0, minimum=1)
    with pytest.raises(ValueError, match=re.escape("n must be an int in 1..30; got 31.")):
        _checks.check_int("n", 31, minimum=1, maximum=30)
    with pytest.raises(TypeError, match=re.escape("seed must be an int; got float 1.5.")):
        _checks.check_seed(1.5)
    with pytest.raises(TypeError, match="got bool"):
        _checks.check_seed(True)


def test_brief_int_messages_and_the_shared_int_key_and_batch_rules():
    with pytest.raises(TypeError, match=re.escape("n must be an int; got float.")):
        _checks.check_int("n", 1.5, minimum=1, brief=True)
    with pytest.raises(ValueError, match=re.escape("n must be >= 1; got 0.")):
        _checks.check_int("n", 0, minimum=1, brief=True)
    with pytest.raises(ValueError, match=re.escape("rows must be in 1..20; got 21.")):
        _checks.check_int("rows", 21, minimum=1, maximum=20, brief=True)
    with pytest.raises(ValueError, match=re.escape("seed must be >= 0; got -1.")):
        _checks.check_seed(-1, brief=True)
    assert [_checks.is_int(v) for v in (3, np.int8(3), True, np.bool_(True), 3.0, "3")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert _checks.check_count("layers", np.int64(3)) == 3
    for bad in (0, 1.0, True, "2"):
        with pytest.raises(
            ValueError, match=re.escape(f"layers must be an int >= 1; got {bad!r}.")
        ):
            _checks.check_count("layers", bad)
    why = re.escape("samples must be an int >= 2 (variances need two); got 1.")
    with pytest.raises(ValueError, match=why):
        _checks.check_count("samples", 1, 2, why="variances need two")
    assert _checks.check_batch(4) == (4,) and _checks.check_batch((2, np.int64(0))) == (2, 0)
    for bad in ((-1,), [2], (1.0,), (True,)):
        with pytest.raises(TypeError, match="batch must be an int or a tuple of non-negative"):
            _checks.check_batch(bad)
    import jax

    key = jax.random.PRNGKey(5)
    assert np.array_equal(_checks.check_key(5), key) and _checks.check_key(key) is key
    for bad in (1.5, True, None, np.zeros(2)):
        with pytest.raises(TypeError, match="seed must be an int or a jax.random key"):
            _checks.check_key(bad)


def test_task_data_too_large_is_refused_before_allocating():
    from ebp.train import make_task

    with pytest.raises(
        ValueError,
        match=r"the data of task 'state' on 30 visible qubits needs "
        r"about .* TiB; this machine has",
    ):
        make_task("state", 30)
    with pytest.raises(ValueError, match=re.escape("seed must be an int >= 0; got -1.")):
        make_task("state", 1, seed=-1)
    with pytest.raises(TypeError, match=re.escape("n_visible must be an int; got float 1.5.")):
        make_task("state", 1.5)
