"""ebp.train: parameter shift, unbiased shot estimates, the optimiser contract, fit, resume."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ebp.ansatz import brickwork, hardware_efficient, identity_block, pauli_network
from ebp.circuit import CircuitBuilder
from ebp.landscape import linear, mmd, value_and_gradient
from ebp.train import (
    OPTIMISERS,
    CheckpointError,
    CircuitModel,
    LinearEstimator,
    MMDEstimator,
    Oracle,
    fit,
    get_optimiser,
    make_task,
    quantum_data_task,
    shift_rule,
)
from ebp.train import _fit as fit_module


def _random_rho(d, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = a @ a.conj().T
    return rho / np.trace(rho)


# -- parameter shift ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: brickwork(1, 2, 2),
        lambda: hardware_efficient(1, 2, 2),
        lambda: identity_block(brickwork(1, 1, 1)),
        lambda: pauli_network(1, 2, seed=3),
    ],
)
def test_parameter_shift_equals_adjoint_gradient(make):
    circuit = make()
    obs = linear("Z0", circuit.n_visible)
    rng = np.random.default_rng(0)
    theta = rng.uniform(0, 2 * np.pi, circuit.n_params)
    exact = value_and_gradient(circuit, theta, obs).gradient
    shifts, coeffs = shift_rule(circuit)
    eye = np.eye(circuit.n_params) * shifts
    plus = value_and_gradient(circuit, theta + eye, obs).cost
    minus = value_and_gradient(circuit, theta - eye, obs).cost
    np.testing.assert_allclose(coeffs * (plus - minus), exact, atol=1e-11)


def test_shared_parameters_are_refused_for_parameter_shift():
    b = CircuitBuilder(1, 1)
    (s,) = b.new_slots(1)
    b.gate("RX", 0, slots=(s,))
    b.gate("RY", 1, slots=(s,))
    with pytest.raises(ValueError, match="several gates"):
        shift_rule(b.build())


# -- shot-noise estimates: unbiased, variance ∝ 1/N ------------------------------------------


def test_linear_estimate_is_unbiased_with_variance_over_n():
    rng = np.random.default_rng(1)
    rho = _random_rho(4, 2)
    obs = np.diag([1.0, -0.5, 0.25, 2.0]) + 0.3 * np.eye(4, k=1) + 0.3 * np.eye(4, k=-1)
    est = LinearEstimator(obs)
    exact = float(np.real(np.trace(obs @ rho)))
    lam, p = est.eigenvalues, est.probabilities(rho)
    var1 = float(p @ lam**2 - (p @ lam) ** 2)  # single-shot variance Var_p(λ)
    reps = 20000
    for shots in (10, 40, 160):
        values = est.value(np.broadcast_to(rho, (reps, 4, 4)), shots, rng)
        se = math.sqrt(var1 / shots / reps)
        assert abs(values.mean() - exact) < 4 * se
        # sample variance against Var_p(λ)/N: its own standard error is ~ √(2/reps)
        assert values.var(ddof=1) * shots == pytest.approx(var1, rel=5 * math.sqrt(2 / reps))


def test_mmd_estimate_is_unbiased_with_variance_over_n():
    q = np.array([0.5, 0.0, 0.0, 0.5])
    obj = mmd(q)
    rho = _random_rho(4, 5)
    exact = float(obj.value(rho))
    est = MMDEstimator(obj.kernel, obj.q)
    rng = np.random.default_rng(3)
    reps, variances = 20000, []
    shot_counts = (16, 64, 256, 1024)
    for shots in shot_counts:
        values = est.value(np.broadcast_to(rho, (reps, 4, 4)), shots, rng)
        se = values.std(ddof=1) / math.sqrt(reps)
        assert abs(values.mean() - exact) < 4 * se
        variances.append(values.var(ddof=1))
    # a U-statistic has Var = a/N + b/N²: N·Var converges to a constant as N grows
    scaled = np.array(variances) * np.array(shot_counts)
    assert scaled[2] == pytest.approx(scaled[3], rel=0.1)
    assert abs(scaled[0] - scaled[3]) > abs(scaled[2] - scaled[3])


@pytest.mark.slow
@pytest.mark.parametrize("loss", ["infidelity", "mmd"])
def test_parameter_shift_gradient_estimate_is_unbiased(loss):
    circuit = brickwork(1, 1, 1)
    if loss == "infidelity":
        task = make_task("state", 1, seed=4)
    else:
        task = make_task("sparse-distribution", 2, seed=4, loss="mmd")
        circuit = brickwork(2, 1, 1)
    theta = np.random.default_rng(0).uniform(0, 2 * np.pi, circuit.n_params)
    model = CircuitModel(circuit)
    exact = model.value_and_gradient(theta, task.terms[0].objective).gradient
    reps, shots = 400, 50
    draws = []
    for k in range(reps):
        o = Oracle(model, task, shots=shots, budget=math.inf, seed=k, base=theta)
        draws.append(o.gradient(theta))
    draws = np.array(draws)
    se = draws.std(axis=0, ddof=1) / math.sqrt(reps)
    z = (draws.mean(axis=0) - exact) / np.maximum(se, 1e-12)
    assert np.all(np.abs(z) < 4.5), z  # many components: allow the max of ~30 normals


# -- the optimiser contract ---------------------------------------------------------------------


def _trivial_problem():
    """A 2-qubit model whose visible qubit must be rotated onto a target state."""
    return hardware_efficient(1, 1, 1), make_task("state", 1, seed=2)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(OPTIMISERS))
def test_optimiser_contract(name):
    circuit, task = _trivial_problem()
    budget, shots = 60_000, 100
    a = fit(circuit, task, name, budget=budget, shots=shots, seed=11)
    b = fit(circuit, task, name, budget=budget, shots=shots, seed=11)
    # respects the budget and reports the shots it used
    assert 0 < a.cost <= budget
    assert a.shots == a.cost == a.configurations * shots
    assert a.curve["cost"].is_monotonic_increasing and a.curve["cost"].iloc[-1] <= budget
    # reproducible with a seed, different with another one
    np.testing.assert_array_equal(a.params, b.params)
    assert a.curve.drop(columns="seconds").equals(b.curve.drop(columns="seconds"))
    c = fit(circuit, task, name, budget=budget, shots=shots, seed=12)
    assert not np.array_equal(a.params, c.params)
    # improves a trivially trainable problem
    start = a.curve["loss"].iloc[0]
    assert a.loss < start - 0.1 or a.loss < 0.05, (start, a.loss)


def test_exact_runs_count_circuit_evaluations_at_the_parameter_shift_cost():
    circuit, task = _trivial_problem()
    r = fit(circuit, task, "adam", budget=10 * 2 * circuit.n_params, seed=0)
    assert r.shots is None and r.cost == 10 * 2 * circuit.n_params
    assert len(r.curve) == 11 and r.stopped == "budget"


# -- fit: errors, checkpoints -------------------------------------------------------------------


def test_fit_rejects_bad_input_with_clear_messages():
    circuit, task = _trivial_problem()
    with pytest.raises(ValueError, match="budget"):
        fit(circuit, task, "adam", budget=-1)
    with pytest.raises(ValueError, match="shots"):
        fit(circuit, task, "adam", budget=10, shots=0)
    with pytest.raises(ValueError, match="seed"):
        fit(circuit, task, "adam", budget=10, seed=-3)
    with pytest.raises(ValueError, match="unknown optimiser 'bfgs'"):
        fit(circuit, task, "bfgs", budget=10)
    with pytest.raises(ValueError, match="length n_params"):
        fit(circuit, task, "adam", budget=10, init=np.zeros(3))
    with pytest.raises(ValueError, match="2 visible"):
        fit(circuit, make_task("state", 2), "adam", budget=10)
    mixed = quantum_data_task(np.eye(2) / 2, "relative_entropy")
    with pytest.raises(ValueError, match="no unbiased N-shot estimator"):
        fit(circuit, mixed, "adam", budget=10, shots=10)
    with pytest.raises(TypeError, match="LearningTask"):
        fit(circuit, "state", "adam", budget=10)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["adam", "cma-es", "nelder-mead"])
def test_killed_run_resumes_bit_identically(name, tmp_path, monkeypatch):
    circuit, task = _trivial_problem()
    kwargs = dict(budget=40_000, shots=50, seed=5)
    whole = fit(circuit, task, name, **kwargs)
    path = tmp_path / "run.ckpt"
    monkeypatch.setattr(fit_module, "CHECKPOINT_SECONDS", 0.0)
    calls = {"n": 0}
    original = Oracle.record

    def dying_record(self, x, estimate=math.nan, **kwargs):
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        return original(self, x, estimate, **kwargs)

    monkeypatch.setattr(Oracle, "record", dying_record)
    with pytest.raises(KeyboardInterrupt):
        fit(circuit, task, name, checkpoint=path, **kwargs)
    monkeypatch.setattr(Oracle, "record", original)
    assert path.exists()
    resumed = fit(circuit, task, name, checkpoint=path, **kwargs)
    np.testing.assert_array_equal(resumed.params, whole.params)
    assert resumed.curve.drop(columns="seconds").equals(whole.curve.drop(columns="seconds"))
    assert resumed.shots == whole.shots
    with pytest.raises(CheckpointError, match="different run"):
        fit(circuit, task, name, checkpoint=path, budget=40_000, shots=50, seed=6)
    path.write_bytes(b"junk")
    with pytest.raises(CheckpointError, match="unreadable"):
        fit(circuit, task, name, checkpoint=path, **kwargs)


def test_get_optimiser_passes_instances_and_settings():
    opt = get_optimiser("spsa", a=0.5)
    assert opt.a == 0.5 and get_optimiser(opt) is opt


def test_compiled_steps_are_shared_only_by_the_same_optimiser():
    """adam and sgd compile their step once per hyperparameters; two optimisers that share a
    label but not a transform never share a compiled step."""
    import optax

    from ebp.train import adam, sgd
    from ebp.train._optimisers import GradientDescent

    assert adam(0.1) is adam(0.1) and adam(0.1) is not adam(0.2)
    assert sgd(0.1, 0.9) is sgd(0.1, 0.9)

    def run(optimiser) -> np.ndarray:
        class Quadratic:  # the oracle's interface the optimiser uses: gradient and record
            def __init__(self):
                self.steps = 0

            def gradient(self, x):
                return 2 * x

            def record(self, x):
                self.steps += 1
                if self.steps == 3:
                    raise StopIteration(x)

        try:
            optimiser.minimise(Quadratic(), np.ones(2), np.random.default_rng(0))
        except StopIteration as stop:
            return np.asarray(stop.args[0])
        raise AssertionError("the optimiser stopped on its own")

    slow = GradientDescent(lambda: optax.sgd(0.01), "same-label", compiled=True)
    fast = GradientDescent(lambda: optax.sgd(0.1), "same-label", compiled=True)
    np.testing.assert_allclose(run(slow), 0.98**3 * np.ones(2))
    np.testing.assert_allclose(run(fast), 0.8**3 * np.ones(2))
    np.testing.assert_allclose(run(adam(0.1)), run(GradientDescent(adam(0.1).make, "eager")))
