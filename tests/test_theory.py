"""Tests for ebp.theory: exact values, symmetries, and Monte-Carlo checks with Haar samples."""

import jax

jax.config.update("jax_enable_x64", True)

import math  # noqa: E402

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ebp.quantum_info import (  # noqa: E402
    entanglement_entropy,
    haar_state,
    haar_unitary,
    purity,
    trace_distance_to_maximally_mixed,
)
from ebp.theory import (  # noqa: E402
    PSW_CONSTANT,
    haar_expectation_variance,
    haar_purity,
    haar_purity_variance,
    levy_tail_bound,
    mean_trace_distance_bound,
    mean_trace_distance_bound_lubkin,
    page_entropy,
    page_entropy_variance,
    pauli_expectation_variance,
    two_design_gradient_variance,
    two_design_gradient_variance_general,
    typical_trace_distance_bound,
)

CUTS = [(1, 1), (2, 1), (1, 3), (2, 2), (3, 2)]  # includes n_v > n_h
PAULI = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1.0, -1.0]).astype(complex),
}


def pauli_string(label):
    out = np.ones((1, 1), dtype=complex)
    for c in label:
        out = np.kron(out, PAULI[c])
    return out


def variance_z(samples, var_formula):
    """z-score of the sample variance against a formula (SE ≈ sqrt((m4 − s⁴)/N))."""
    x = np.asarray(samples, dtype=float)
    s2 = x.var()
    m4 = np.mean((x - x.mean()) ** 4)
    return (s2 - var_formula) / math.sqrt((m4 - s2**2) / x.size)


def mean_z(samples, mean_formula, var_formula):
    x = np.asarray(samples, dtype=float)
    return (x.mean() - mean_formula) / math.sqrt(var_formula / x.size)


@pytest.fixture(scope="module")
def haar_samples():
    """20000 Haar states per cut with entropies (nats), purities and trace distances."""
    out = {}
    for k, (n_v, n_h) in enumerate(CUTS):
        psi = haar_state(n_v + n_h, 1000 + k, batch=20000)
        out[(n_v, n_h)] = {
            "S": np.asarray(entanglement_entropy(psi, n_v, base=math.e)),
            "P": np.asarray(purity(psi, n_v)),
            "T": np.asarray(trace_distance_to_maximally_mixed(psi, n_v)),
        }
    return out


# ----------------------------------------------------------------------------- Page
def test_page_entropy_exact_small_values():
    # m = n = 2: sum_{k=3}^{4} 1/k − 1/4 = 1/3 nats.
    assert page_entropy(1, 1, base=math.e) == pytest.approx(1 / 3, abs=1e-14)
    assert page_entropy(1, 1) == pytest.approx(1 / (3 * math.log(2)), abs=1e-14)
    assert page_entropy(1, 1, base=4) == pytest.approx(page_entropy(1, 1) / 2, abs=1e-14)
    assert isinstance(page_entropy(1, 1), float)
    assert page_entropy(3, 0) == 0.0  # no hidden qubits: product state


def test_page_entropy_matches_direct_harmonic_sum():
    for n_v in range(0, 5):
        for n_h in range(0, 5):
            m, n = sorted((2**n_v, 2**n_h))
            direct = sum(1.0 / k for k in range(n + 1, m * n + 1)) - (m - 1) / (2 * n)
            assert page_entropy(n_v, n_h, base=math.e) == pytest.approx(direct, abs=1e-12)


def test_page_entropy_symmetry_monotonicity_and_large_system_limit():
    a = np.arange(0, 8)
    grid_v, grid_h = np.meshgrid(a, a, indexing="ij")
    s = page_entropy(grid_v, grid_h)
    assert isinstance(s, np.ndarray) and s.shape == (8, 8)
    np.testing.assert_allclose(s, s.T, atol=1e-12)
    assert np.all(np.diff(s, axis=1) > -1e-12)  # grows with the hidden register
    assert np.all(s <= np.minimum(grid_v, grid_h) + 1e-12)  # ≤ log2 min(d_V, d_H)
    # Page's approximation S ≈ ln m − m/(2n) for 1 ≪ m ≤ n.
    m, n = 2.0**6, 2.0**14
    approx = (math.log(m) - m / (2 * n)) / math.log(2)
    assert page_entropy(6, 14) == pytest.approx(approx, abs=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("cut", CUTS)
def test_page_entropy_and_variance_match_haar_sampling(cut, haar_samples):
    s = haar_samples[cut]["S"][:4000]
    mu, var = page_entropy(*cut, base=math.e), page_entropy_variance(*cut, base=math.e)
    assert abs(mean_z(s, mu, var)) < 4
    # Independent of the variance formula: sampled standard error.
    assert abs(s.mean() - mu) < 4 * s.std(ddof=1) / math.sqrt(s.size)
    assert abs(variance_z(haar_samples[cut]["S"], var)) < 4


def test_page_entropy_variance_exact_properties():
    # m = 1 (product): ψ1(n) − ψ1(n+1) − 1/n² = 0.
    for k in range(0, 8):
        assert page_entropy_variance(0, k) == pytest.approx(0.0, abs=1e-14)
    v = page_entropy_variance(np.array([1, 2, 3]), np.array([3, 2, 1]), base=math.e)
    assert v[0] == pytest.approx(v[2], rel=1e-14)
    assert page_entropy_variance(2, 3) == pytest.approx(
        page_entropy_variance(2, 3, base=math.e) / math.log(2) ** 2, rel=1e-14
    )
    # m = n = 2 by hand: −ψ1(5) + (4/5)ψ1(2) − 21/80 with ψ1(k) = π²/6 − Σ_{j<k} 1/j².
    z2 = math.pi**2 / 6
    by_hand = -(z2 - (1 + 1 / 4 + 1 / 9 + 1 / 16)) + 0.8 * (z2 - 1) - 21 / 80
    assert page_entropy_variance(1, 1, base=math.e) == pytest.approx(by_hand, rel=1e-12)


# ----------------------------------------------------------------------------- purity
def test_haar_purity_exact_values():
    assert haar_purity(1, 1) == pytest.approx(4 / 5)
    assert haar_purity(2, 0) == pytest.approx(1.0)
    assert haar_purity(1, 3) == pytest.approx(10 / 17)
    assert haar_purity(3, 1) == haar_purity(1, 3)
    assert haar_purity_variance(0, 4) == 0.0
    assert haar_purity_variance(1, 1) == pytest.approx(2 * 3 * 3 / (25 * 6 * 7))
    assert haar_purity_variance(2, 5) == pytest.approx(haar_purity_variance(5, 2), rel=1e-14)


@pytest.mark.parametrize("cut", CUTS)
def test_haar_purity_and_variance_match_sampling(cut, haar_samples):
    p = haar_samples[cut]["P"]
    mu, var = haar_purity(*cut), haar_purity_variance(*cut)
    assert abs(mean_z(p[:4000], mu, var)) < 4
    assert abs(p[:4000].mean() - mu) < 4 * p[:4000].std(ddof=1) / math.sqrt(4000)
    assert abs(variance_z(p, var)) < 4


# ----------------------------------------------------------------------------- expectations
def test_haar_expectation_variance_pauli_and_random_hermitian():
    n, n_samples = 3, 4000
    d = 2**n
    assert pauli_expectation_variance(n) == pytest.approx(1 / (d + 1))
    assert haar_expectation_variance(0.0, d, d) == pytest.approx(1 / (d + 1))
    assert haar_expectation_variance(d, d, d) == pytest.approx(0.0)  # O = I
    np.testing.assert_allclose(pauli_expectation_variance(np.array([1, 2])), [1 / 3, 1 / 5])
    psi = np.asarray(haar_state(n, 5, batch=n_samples))
    rng = np.random.default_rng(0)
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    for obs in (pauli_string("XZY"), (a + a.conj().T) / 2 + 0.3 * np.eye(d)):
        vals = np.einsum("bi,ij,bj->b", psi.conj(), obs, psi).real
        tr_o, tr_o2 = np.trace(obs).real, np.trace(obs @ obs).real
        var = haar_expectation_variance(tr_o, tr_o2, d)
        assert abs(mean_z(vals, tr_o / d, var)) < 4
        assert abs(variance_z(vals, var)) < 4


def _sampled_gradients(v, o, n_samples, seed):
    """∂_θ C at θ=0 for C = <0|U_-† e^{iθV/2} U_+† O U_+ e^{-iθV/2} U_-|0>, by autodiff."""
    d = v.shape[0]
    w, q = np.linalg.eigh(v)
    w, q, o = jnp.asarray(w), jnp.asarray(q), jnp.asarray(o)
    u_minus = haar_unitary(d, seed, batch=n_samples)
    u_plus = haar_unitary(d, seed + 1, batch=n_samples)

    return np.asarray(_batched_grad(w, q, o, u_minus, u_plus))


@jax.jit
def _batched_grad(w, q, o, u_minus, u_plus):
    def cost(theta, um, up):
        gate = (q * jnp.exp(-0.5j * theta * w)) @ q.conj().T
        phi = up @ (gate @ um[:, 0])
        return jnp.vdot(phi, o @ phi).real

    return jax.vmap(jax.grad(cost), in_axes=(None, 0, 0))(0.0, u_minus, u_plus)


@pytest.mark.slow
@pytest.mark.parametrize("n, v_label, o_label", [(1, "Z", "X"), (2, "ZI", "XY"), (3, "ZII", "XXX")])
def test_two_design_gradient_variance_matches_haar_sampling(n, v_label, o_label):
    g = _sampled_gradients(pauli_string(v_label), pauli_string(o_label), 20000, 10 + n)
    var = two_design_gradient_variance(n)
    assert abs(g.mean()) < 4 * math.sqrt(var / g.size)
    assert abs(variance_z(g, var)) < 4


def test_two_design_gradient_variance_general_random_hermitian():
    d = 4
    rng = np.random.default_rng(7)
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    b = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    v = (a + a.conj().T) / 2 + 0.7 * np.eye(d)  # non-zero traces on purpose
    o = (b + b.conj().T) / 2 - 0.4 * np.eye(d)
    g = _sampled_gradients(v, o, 20000, 99)
    traces = dict(
        tr_o=np.trace(o).real,
        tr_o2=np.trace(o @ o).real,
        tr_v=np.trace(v).real,
        tr_v2=np.trace(v @ v).real,
    )
    assert abs(variance_z(g, two_design_gradient_variance_general(**traces, d=d))) < 4


def test_two_design_gradient_variance_closed_forms():
    for n in range(1, 8):
        d = 2.0**n
        assert two_design_gradient_variance_general(0.0, d, 0.0, d, d) == pytest.approx(
            two_design_gradient_variance(n), rel=1e-13
        )
        assert two_design_gradient_variance(n) == pytest.approx(d**2 / (2 * (d + 1) * (d**2 - 1)))
        # generator ∝ identity gives a zero gradient
        assert two_design_gradient_variance_general(0.0, d, d, d, d) == pytest.approx(
            0.0, abs=1e-15
        )
    big = two_design_gradient_variance(np.arange(10, 20))
    np.testing.assert_allclose(big * 2.0 ** (np.arange(10, 20) + 1), 1.0, rtol=2e-3)


# ----------------------------------------------------------------------------- concentration
def test_concentration_bound_values():
    assert typical_trace_distance_bound(1, 1) == 1.0
    assert mean_trace_distance_bound(1, 3) == pytest.approx(0.25)
    assert mean_trace_distance_bound_lubkin(1, 1) == pytest.approx(0.5 * math.sqrt(3 / 5))
    assert levy_tail_bound(1, 1, 0.0) == 1.0
    assert levy_tail_bound(10, 10, 0.5) == pytest.approx(2 * math.exp(-PSW_CONSTANT * 2**20 * 0.25))
    assert PSW_CONSTANT == pytest.approx(1 / (18 * math.pi**3))
    n_h = np.arange(0, 12)
    for f in (
        typical_trace_distance_bound,
        mean_trace_distance_bound,
        mean_trace_distance_bound_lubkin,
    ):
        vals = f(1, n_h)
        assert np.all(np.diff(vals) < 0)
    assert np.all(mean_trace_distance_bound_lubkin(2, n_h) <= mean_trace_distance_bound(2, n_h))
    eps = np.linspace(0, 2, 9)
    assert np.all(np.diff(levy_tail_bound(6, 6, eps)) <= 0)
    assert np.all(np.diff(levy_tail_bound(4, n_h, 0.3)) <= 0)


@pytest.mark.parametrize("cut", CUTS)
def test_mean_bounds_hold_on_haar_samples(cut, haar_samples):
    t = haar_samples[cut]["T"]
    se = t.std(ddof=1) / math.sqrt(t.size)
    assert (2 * t).mean() <= typical_trace_distance_bound(*cut)
    assert t.mean() <= mean_trace_distance_bound(*cut)
    assert t.mean() <= mean_trace_distance_bound_lubkin(*cut) + 4 * se


def test_levy_tail_bound_dominates_empirical_tail(haar_samples):
    n_v, n_h = 1, 11  # d = 4096: the PSW bound is non-trivial for eps ≳ 0.3
    psi = haar_state(n_v + n_h, 17, batch=200)
    full_norm = 2 * np.asarray(trace_distance_to_maximally_mixed(psi, n_v))
    offset = typical_trace_distance_bound(n_v, n_h)
    eps = np.array([0.0, 0.01, 0.03, 0.1, 0.3, 0.6])
    bound = levy_tail_bound(n_v, n_h, eps)
    assert bound[-1] < 0.5
    for e, b in zip(eps, bound):
        assert np.mean(full_norm >= e + offset) <= b
    # Small systems: the bound is (nearly) vacuous but must still hold.
    for cut in CUTS:
        fn = 2 * haar_samples[cut]["T"]
        off = typical_trace_distance_bound(*cut)
        for e in (0.0, 0.1, 0.5):
            assert np.mean(fn >= e + off) <= levy_tail_bound(*cut, e)


# ----------------------------------------------------------------------------- errors and types
def test_theory_input_errors():
    with pytest.raises(ValueError, match=r"n_visible must be >= 0; got -1\."):
        page_entropy(-1, 2)
    with pytest.raises(
        TypeError, match=r"n_hidden must be an int or an integer numpy array; got float\."
    ):
        haar_purity(1, 2.0)
    with pytest.raises(TypeError, match=r"n_visible must be an int .*got bool\."):
        page_entropy_variance(True, 2)
    with pytest.raises(
        ValueError, match=r"base must be a finite real number > 0 and != 1; got 1\.0\."
    ):
        page_entropy(1, 1, base=1)
    with pytest.raises(ValueError, match=r"eps must be >= 0"):
        levy_tail_bound(1, 1, -0.1)
    with pytest.raises(ValueError, match=r"d must be >= 2; got 1\."):
        haar_expectation_variance(1.0, 1.0, 1)
    with pytest.raises(ValueError, match=r"n_qubits must be >= 1; got 0\."):
        two_design_gradient_variance(0)
    with pytest.raises(TypeError, match=r"tr_o must be a real number or numpy array; got str\."):
        haar_expectation_variance("1", 1.0, 4)


def test_return_types():
    assert isinstance(haar_purity(np.int64(2), 3), float)
    assert isinstance(levy_tail_bound(2, 3, 0.5), float)
    out = haar_purity_variance(np.array([1, 2]), 3)
    assert isinstance(out, np.ndarray) and out.shape == (2,)
