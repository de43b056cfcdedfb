"""ebp.landscape: objectives and their derivatives, exact gradients, statistics, scaling fits.

Independent truths: central finite differences (of the objective on ρ and of the cost in θ),
scipy's sqrtm / logm for fidelity and relative entropy, the 2-design closed form for gradient
variances, and synthetic data with a known exponent for the fits.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

import ebp
from ebp import landscape as L
from ebp.ansatz import brickwork, decoupled, hardware_efficient
from ebp.theory import two_design_gradient_variance
from intervals import z


def _random_density(d, rng, rank=None):
    rank = d if rank is None else rank
    a = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = a @ a.conj().T
    return rho / np.trace(rho).real


def _objectives(d, rng):
    sigma = _random_density(d, rng)
    o = L.random_observable(d.bit_length() - 1, seed=5)
    return [
        L.linear(o, d.bit_length() - 1),
        L.fidelity(sigma),
        L.trace_distance(sigma),
        L.relative_entropy(sigma),
        L.fidelity(rng.normal(size=d) + 1j * rng.normal(size=d)),
    ]


# ------------------------------------------------------------------ objective values
@pytest.mark.slow
def test_values_match_scipy_formulas(rng):
    d = 4
    rho, sigma = _random_density(d, rng), _random_density(d, rng)
    sq = scipy.linalg.sqrtm(sigma)
    f_ref = np.trace(scipy.linalg.sqrtm(sq @ rho @ sq)).real ** 2
    assert float(L.fidelity(sigma).value(rho)) == pytest.approx(f_ref, abs=1e-10)
    t_ref = 0.5 * np.sum(np.abs(np.linalg.eigvalsh(rho - sigma)))
    assert float(L.trace_distance(sigma).value(rho)) == pytest.approx(t_ref, abs=1e-12)
    s_ref = np.trace(sigma @ (scipy.linalg.logm(sigma) - scipy.linalg.logm(rho))).real / np.log(2)
    assert float(L.relative_entropy(sigma).value(rho)) == pytest.approx(s_ref, abs=1e-10)
    psi = rng.normal(size=d) + 1j * rng.normal(size=d)
    psi /= np.linalg.norm(psi)
    assert float(L.fidelity(psi).value(rho)) == pytest.approx(
        np.vdot(psi, rho @ psi).real, abs=1e-12
    )
    assert float(L.fidelity(sigma).value(sigma)) == pytest.approx(1.0, abs=1e-10)
    assert float(L.relative_entropy(sigma).value(sigma)) == pytest.approx(0.0, abs=1e-10)


@pytest.mark.slow
@pytest.mark.parametrize("d", [2, 4, 8])
def test_derivative_is_the_directional_derivative(d, rng):
    """Tr(G δ) equals the central difference of f along a random Hermitian traceless δ."""
    rho = _random_density(d, rng)
    for obj in _objectives(d, rng):
        _, g = obj.value_and_derivative(rho)
        g = np.asarray(g)
        assert np.allclose(g, g.conj().T)
        for _ in range(3):
            h = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
            h = h + h.conj().T
            h -= np.trace(h) / d * np.eye(d)
            h /= np.linalg.norm(h)
            eps = 1e-6
            fd = (float(obj.value(rho + eps * h)) - float(obj.value(rho - eps * h))) / (2 * eps)
            assert np.trace(g @ h).real == pytest.approx(fd, rel=1e-6, abs=1e-8), obj.name


def test_derivative_finite_at_maximally_mixed_state():
    """At ρ = I/d every eigenvalue is degenerate; the closed forms stay finite and correct."""
    d = 4
    rho = np.eye(d) / d
    rng = np.random.default_rng(3)
    for obj in _objectives(d, rng):
        f, g = obj.value_and_derivative(rho)
        assert np.isfinite(float(f)) and np.all(np.isfinite(np.asarray(g))), obj.name
    sigma = _random_density(d, rng)
    _, g = L.relative_entropy(sigma).value_and_derivative(rho)
    assert np.allclose(g, -d * sigma / np.log(2))  # D log(I/d)[σ] = d σ


def test_objective_inside_jax_grad_uses_closed_form(rng):
    import jax

    sigma = _random_density(2, rng)
    obj = L.fidelity(sigma)
    rho = _random_density(2, rng)
    g_jax = np.asarray(jax.grad(lambda r: obj(r))(rho))
    _, g = obj.value_and_derivative(rho)
    assert np.allclose(g_jax, np.conj(np.asarray(g)))  # JAX's convention: conjugate gradient


# ------------------------------------------------------------------ gradients in θ
@pytest.mark.slow
@pytest.mark.parametrize("n_visible", [1, 2])
def test_gradients_match_finite_differences(n_visible, rng):
    c = brickwork(n_visible, 2, 2)
    theta = rng.uniform(0, 2 * np.pi, (2, c.n_params))
    sigma = L.thermal_state(n_visible, seed=3)
    for obj in [
        L.linear("Z0", n_visible),
        L.fidelity(sigma),
        L.trace_distance(sigma),
        L.relative_entropy(sigma),
    ]:
        ev = L.value_and_gradient(c, theta, obj)
        eps = 1e-6
        for k in rng.choice(c.n_params, 6, replace=False):
            e = np.zeros(c.n_params)
            e[k] = eps
            fd = (
                L.value_and_gradient(c, theta + e, obj).cost
                - L.value_and_gradient(c, theta - e, obj).cost
            ) / (2 * eps)
            assert np.allclose(ev.gradient[:, k], fd, atol=1e-7), obj.name


@pytest.mark.slow
def test_fidelity_gradient_on_pure_visible_states(rng):
    """Decoupled circuits keep ρ_V pure (rank 1): the support-restricted derivative is exact."""
    c = decoupled(1, 2, 2)
    theta = rng.uniform(0, 2 * np.pi, (3, c.n_params))
    obj = L.fidelity(L.thermal_state(1, seed=1))
    ev = L.value_and_gradient(c, theta, obj)
    eps = 1e-6
    for k in range(c.n_params):
        e = np.zeros(c.n_params)
        e[k] = eps
        fd = (
            L.value_and_gradient(c, theta + e, obj).cost
            - L.value_and_gradient(c, theta - e, obj).cost
        ) / (2 * eps)
        assert np.allclose(ev.gradient[:, k], fd, atol=1e-7)


def test_linear_objective_agrees_with_simulator(rng):
    c = hardware_efficient(2, 2, 3)
    theta = rng.uniform(0, 2 * np.pi, (4, c.n_params))
    ev = L.value_and_gradient(c, theta, {"Z0 Z1": 0.5, "X1": -1.0})
    val, grad = ebp.expectation_and_gradient(c, theta, {"Z0 Z1": 0.5, "X1": -1.0})
    assert np.allclose(ev.cost, val, atol=1e-12) and np.allclose(ev.gradient, grad, atol=1e-12)
    assert np.allclose(ev.rho_visible, ebp.reduced_density_matrix(ebp.simulate(c, theta), 2))


@pytest.mark.slow
def test_pullback_reproduces_adjoint_gradient(rng):
    import jax
    import jax.numpy as jnp

    c = brickwork(1, 3, 2)
    theta = rng.uniform(0, 2 * np.pi, (3, c.n_params))
    psi = ebp.simulate(c, theta)
    ct = jax.vmap(jax.grad(lambda s: jnp.real(jnp.vdot(s[:8], s[:8]))))(psi)  # ⟨P_{wire0=0}⟩
    assert np.allclose(
        ebp.sim.pullback(c, theta, psi, ct),
        ebp.gradient(c, theta, {"I": 0.5, "Z0": 0.5}),
        atol=1e-12,
    )


# ------------------------------------------------------------------ C1 bound
@pytest.mark.slow
def test_cost_deviation_bound_holds_and_is_tight_for_pure_states(rng):
    c = brickwork(2, 2, 3)
    theta = rng.uniform(0, 2 * np.pi, (50, c.n_params))
    rho = L.value_and_gradient(c, theta, "Z0").rho_visible
    o = L.random_observable(2, seed=1)
    dev, bound = L.cost_deviation_bound(rho, o)
    assert np.all(dev <= bound + 1e-12) and np.any(dev > 0)
    dev, bound = L.cost_deviation_bound(np.eye(4) / 4, o)
    assert dev == pytest.approx(0) and bound == pytest.approx(0)
    # O = Z, ρ = |0⟩⟨0|: |1 − 0| = 1 = ‖Z‖ · ‖|0⟩⟨0| − I/2‖₁
    dev, bound = L.cost_deviation_bound(np.diag([1.0, 0.0]), "Z0")
    assert dev == pytest.approx(1.0) and bound == pytest.approx(1.0)


# ------------------------------------------------------------------ scaling fit
def test_fit_scaling_recovers_a_known_exponent(rng):
    x = np.arange(1, 8)
    y_true = 3.0 * 2.0 ** (-1.3 * x)
    err = 0.02 * y_true
    y = y_true + err * rng.normal(size=x.size)
    fit = L.fit_scaling(x, y, y_err=err, theory=y_true)
    assert abs(fit.slope + 1.3) < 4 * fit.slope_err
    assert fit.theory_slope == pytest.approx(-1.3)
    assert abs(fit.z_score) < 4
    assert np.allclose(fit.predict(x), y_true, rtol=0.1)
    exact = L.fit_scaling(x, y_true)
    assert exact.slope == pytest.approx(-1.3) and exact.intercept == pytest.approx(np.log2(3))


def test_fit_scaling_errors():
    with pytest.raises(ValueError, match="at least 2 distinct"):
        L.fit_scaling([1, 1], [1.0, 2.0], y_err=[0.1, 0.1])
    with pytest.raises(ValueError, match="> 0"):
        L.fit_scaling([1, 2, 3], [1.0, -2.0, 3.0])
    with pytest.raises(ValueError, match="at least 3 points"):
        L.fit_scaling([1, 2], [1.0, 2.0])


# ------------------------------------------------------------------ statistics
@pytest.mark.slow
def test_statistics_reproducible_and_consistent():
    c = hardware_efficient(1, 2, 2)
    a = L.gradient_statistics(c, "Z0", samples=64, seed=4, lipschitz_steps=2)
    b = L.gradient_statistics(c, "Z0", samples=64, seed=4, lipschitz_steps=2)
    assert a.summary() == b.summary()
    assert np.array_equal(a.gradients, b.gradients)
    norms = np.linalg.norm(a.gradients, axis=1)
    assert a.mean_sq_norm == pytest.approx(np.mean(norms**2))
    assert a.lipschitz >= a.lipschitz_sampled == pytest.approx(norms.max())
    for name in ("probe_var", "mean_sq_norm", "inf_norm_var", "cost_var"):
        lo, hi = getattr(a, name + "_ci")
        assert lo <= getattr(a, name) <= hi, name
    assert a.n_gradients == 64 + 4 * 4 * 2  # samples, then 2 batches of 2 per start and step


def test_lipschitz_search_reaches_the_true_maximum_of_a_single_rotation():
    """C(θ) = ⟨Z⟩ after RY(θ): ∂C = −sin θ, so the Lipschitz constant is exactly 1."""
    b = ebp.CircuitBuilder(1, 1)
    b.gate("RY", 0)
    c = b.build()
    stats = L.gradient_statistics(
        c,
        "Z0",
        samples=3,
        seed=0,
        lipschitz_starts=3,
        lipschitz_steps=30,
        distribution="small_angle",
        scale=0.3,
    )
    assert stats.lipschitz_sampled < 0.9
    assert stats.lipschitz == pytest.approx(1.0, abs=1e-3)


@pytest.mark.slow
def test_brickwork_gradient_variance_follows_the_two_design_law():
    """Acceptance: deep brickwork, n_V = 1, n_H = 1…5, 2000 samples per size.

    The probe (middle-layer SU(4) block on the visible wire) variance lies inside its 99 %
    bootstrap interval of the 2-design value at every size, and the closed form's slope of log₂ Var
    against n_H lies in the 99.9 % interval of the fitted slope (weighted by those intervals).
    """
    sizes, measured, theory, errs = [], [], [], []
    for n_hidden in range(1, 6):
        c = brickwork(1, n_hidden, 3 * (n_hidden + 1))
        st = L.gradient_statistics(
            c,
            "Z0",
            samples=2000,
            seed=100 + n_hidden,
            lipschitz_steps=0,
            confidence=0.99,
            n_resamples=500,
        )
        expected = L.two_design_probe_variance(c, "Z0", st.probe)
        lo, hi = st.probe_var_ci
        assert lo <= expected <= hi, (n_hidden, st.probe_var, st.probe_var_ci, expected)
        sizes.append(n_hidden)
        measured.append(st.probe_var)
        theory.append(expected)
        errs.append((hi - lo) / (2 * z(0.99)))  # standard error from the 99 % interval
    fit = L.fit_scaling(sizes, measured, y_err=errs, theory=np.array(theory))
    assert abs(fit.z_score) <= z(), fit  # the 2-design slope in the fit's 99.9 % interval
    # the probe's generators are Paulis of weight 1 (Euler angles) and 4 (XX, YY, ZZ):
    # mean (12·1 + 3·4)/15 = 1.6 times the single-Pauli closed form
    assert theory[-1] == pytest.approx(1.6 * two_design_gradient_variance(6))


@pytest.mark.slow
def test_decoupled_gradient_variance_does_not_decay():
    sizes, measured, errs = [], [], []
    for n_hidden in range(1, 6):
        c = decoupled(1, n_hidden, 4)
        st = L.gradient_statistics(
            c, "Z0", samples=1000, seed=200 + n_hidden, lipschitz_steps=0, n_resamples=300
        )
        sizes.append(n_hidden)
        measured.append(st.probe_var)
        errs.append((st.probe_var_ci[1] - st.probe_var_ci[0]) / (2 * 1.96))
    fit = L.fit_scaling(sizes, measured, y_err=errs)
    assert abs(fit.slope) <= z() * fit.slope_err, fit  # 0 in the slope's 99.9 % interval
    assert min(measured) > 0.1


# ------------------------------------------------------------------ errors
def test_clear_errors():
    c = brickwork(1, 1, 1)
    with pytest.raises(ValueError, match="acts on 2 visible"):
        L.value_and_gradient(c, np.zeros(c.n_params), L.fidelity(np.eye(4) / 4))
    with pytest.raises(ValueError, match="only act on wires 0..0"):
        L.linear("Z1", 1)
    with pytest.raises(ValueError, match="density matrix"):
        L.fidelity(np.diag([0.7, 0.7]))
    with pytest.raises(ValueError, match="not Hermitian"):
        L.trace_distance(np.array([[0.5, 0.1], [0.3, 0.5]]))
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 15\)"):
        L.value_and_gradient(c, np.zeros(3), "Z0")
    with pytest.raises(ValueError, match="NaN"):
        L.value_and_gradient(c, np.full(c.n_params, np.nan), "Z0")
    with pytest.raises(ValueError, match="unknown distribution"):
        L.gradient_statistics(c, "Z0", samples=4, distribution="gaussian")
    with pytest.raises(ValueError, match="samples must be an int >= 2"):
        L.gradient_statistics(c, "Z0", samples=1)
    with pytest.raises(ValueError, match="beta"):
        L.thermal_state(1, seed=0, beta=-1)


# ------------------------------------------------------------------ identity blocks
def _custom_block():
    b = ebp.CircuitBuilder(1, 2)
    b.gate("S", 0)
    b.gate("T", 1)
    b.gate("H", 2)
    b.pauli_rotation("XZ", (0, 2), 0.3)
    b.unitary(ebp.haar_unitary(4, 1), (1, 2))
    b.gate("RXX", (0, 1))
    b.gate("SU4", (1, 2))
    b.gate("CNOT", (2, 0))
    return b.build()


@pytest.mark.slow
@pytest.mark.parametrize("repeats", [1, 2])
@pytest.mark.parametrize(
    "make", [lambda: brickwork(1, 2, 2), lambda: hardware_efficient(2, 1, 2), _custom_block]
)
def test_identity_block_is_the_identity_at_mirrored_parameters(make, repeats, rng):
    from ebp.ansatz import identity_block, identity_block_parameters

    block = make()
    circuit = identity_block(block, repeats)
    theta = rng.uniform(0, 2 * np.pi, (4, repeats, block.n_params))
    params = identity_block_parameters(block, theta, repeats)
    psi0 = ebp.haar_state(circuit.n_qubits, 3)
    out = ebp.simulate(circuit, params, psi0)
    assert np.allclose(out, np.broadcast_to(psi0, out.shape), atol=1e-12)
    # and not the identity elsewhere
    moved = ebp.simulate(circuit, params + 0.3, psi0)
    assert not np.allclose(moved, np.broadcast_to(psi0, moved.shape), atol=1e-3)


@pytest.mark.slow
def test_identity_block_draws_keep_gradients_where_uniform_draws_vanish():
    """Grant et al.: at identity-block points C = ⟨0|O|0⟩ exactly, and the first block's gradients
    are far larger than at uniform draws of the same circuit, which sit on the plateau.
    (O = X₀: with Z₀ the identity would be the optimum, a stationary point.)"""
    from ebp.ansatz import identity_block

    block = brickwork(1, 5, 6)
    circuit = identity_block(block)
    draw = L.identity_block_distribution(block)
    probe = tuple(range(15))  # the first SU(4) block on wires (0, 1)
    at_identity = L.gradient_statistics(
        circuit, "X0", samples=200, seed=1, distribution=draw, probe=probe, lipschitz_steps=0
    )
    assert np.allclose(at_identity.costs, 0.0, atol=1e-12)
    uniform = L.gradient_statistics(
        circuit, "X0", samples=200, seed=1, probe=probe, lipschitz_steps=0
    )
    assert at_identity.probe_var > 0.1  # ≈ 0.19 for every n_H
    assert at_identity.probe_var > 10 * uniform.probe_var  # uniform: ≈ 0.009 at n_H = 5
