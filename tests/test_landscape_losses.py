"""ebp.train losses and seeded targets.

Independent truths: five-point central differences of f(ρ) along random Hermitian traceless
directions (at full-rank and at degenerate ρ), scipy's fractional_matrix_power / sqrtm for the
sandwiched Rényi divergence and the fidelity, scipy.stats.entropy for KL, an explicit double sum
for MMD², analytic values on basis states, and brute-force enumeration for bars and stripes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
import scipy.stats

from ebp.landscape import (
    MMD,
    EntanglementRegularised,
    Linear,
    entanglement_regularised,
    fidelity,
    kl_divergence,
    mmd,
    negative_log_likelihood,
    pure_state_infidelity,
    readout_cross_entropy,
    readout_error,
    relative_entropy,
    sandwiched_renyi,
)
from ebp.train import (
    bars_and_stripes,
    classification_dataset,
    random_mixed_state,
    random_product_state,
    random_pure_state,
    random_sparse_distribution,
    thermal_distribution,
)

FD_RTOL = 1e-6


# ------------------------------------------------------------------------------ helpers
def _random_density(d, rng, rank=None, mix=0.2):
    """(1 − mix)·(Ginibre state of the given rank) + mix·I/d: full rank, eigenvalues ≥ mix/d."""
    rank = d if rank is None else rank
    a = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = a @ a.conj().T
    return (1 - mix) * rho / np.trace(rho).real + mix * np.eye(d) / d


def _haar_unitary(d, rng):
    z = (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    return q * (np.diagonal(r) / np.abs(np.diagonal(r)))


def _repeated_spectrum(d, rng):
    """U diag(λ) U† with every eigenvalue repeated twice (I/2 for d = 2)."""
    lam = np.repeat(np.arange(1, d // 2 + 1, dtype=float), 2)
    lam /= lam.sum()
    u = _haar_unitary(d, rng)
    return (u * lam) @ u.conj().T


def _direction(d, rng):
    h = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    h = h + h.conj().T
    h -= np.trace(h) / d * np.eye(d)
    return h / np.linalg.norm(h)


def _five_point(obj, rho, h, eps=1e-4):
    f = [float(obj.value(rho + k * eps * h)) for k in (-2, -1, 1, 2)]
    return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * eps)


def _distribution(d, rng):
    return rng.dirichlet(np.ones(d))


def _vector(d, rng):
    v = rng.normal(size=d) + 1j * rng.normal(size=d)
    return v / np.linalg.norm(v)


def _all_objectives(d, rng):
    n = d.bit_length() - 1
    q = _distribution(d, rng)
    sigma = _random_density(d, rng)
    pure = _vector(d, rng)
    objs = {
        "nll": negative_log_likelihood(q),
        "kl": kl_divergence(q),
        "mmd": mmd(q),
        "mmd-one-bandwidth": mmd(q, bandwidths=(0.5,)),
        "renyi-0.5": sandwiched_renyi(sigma, 0.5),
        "renyi-0.75": sandwiched_renyi(sigma, 0.75),
        "renyi-2": sandwiched_renyi(sigma, 2.0),
        "renyi-3.5": sandwiched_renyi(sigma, 3.5),
        "renyi-0.5-pure": sandwiched_renyi(pure, 0.5),
        "renyi-2-pure": sandwiched_renyi(pure, 2.0),
        "kl+entropy": entanglement_regularised(kl_divergence(q), 0.7, 0.3),
        "renyi+entropy": entanglement_regularised(sandwiched_renyi(sigma, 2.0), 0.5, n / 2),
        "cross-entropy-1": readout_cross_entropy(1, n, wire=n - 1),
        "cross-entropy-0": readout_cross_entropy(0, n, wire=0),
        "readout-error": readout_error(1, n),
        "infidelity": pure_state_infidelity(_vector(d, rng)),
    }
    return objs


# ------------------------------------------------------------------------------ derivatives
@pytest.mark.slow
@pytest.mark.parametrize("point", ["full-rank", "maximally-mixed", "repeated-eigenvalues"])
@pytest.mark.parametrize("d", [2, 4, 8], ids=["d2", "d4", "d8"])
def test_derivative_is_the_directional_derivative(d, point, rng):
    """Tr(G h) equals the five-point central difference of f along random traceless h."""
    rho = {
        "full-rank": lambda: _random_density(d, rng),
        "maximally-mixed": lambda: np.eye(d, dtype=complex) / d,
        "repeated-eigenvalues": lambda: _repeated_spectrum(d, rng),
    }[point]()
    directions = [_direction(d, rng) for _ in range(3)]
    for name, obj in _all_objectives(d, rng).items():
        f, g = obj.value_and_derivative(rho)
        g = np.asarray(g)
        assert np.isfinite(float(f)) and np.all(np.isfinite(g)), name
        assert np.allclose(g, g.conj().T, atol=1e-12), name
        analytic = np.array([np.trace(g @ h).real for h in directions])
        numeric = np.array([_five_point(obj, rho, h) for h in directions])
        scale = np.linalg.norm(analytic)
        if scale < 1e-9:  # G ∝ I here: f is stationary along traceless directions
            assert np.linalg.norm(numeric) < 1e-8, name
        else:
            assert np.linalg.norm(numeric - analytic) <= FD_RTOL * scale, (name, numeric, analytic)


@pytest.mark.slow
def test_batched_evaluation_matches_one_at_a_time(rng):
    d = 4
    rhos = np.stack([_random_density(d, rng) for _ in range(3)])
    for name, obj in _all_objectives(d, rng).items():
        f, g = obj.value_and_derivative(rhos)
        assert f.shape == (3,) and g.shape == (3, d, d), name
        for k in range(3):
            fk, gk = obj.value_and_derivative(rhos[k])
            assert float(f[k]) == pytest.approx(float(fk), abs=1e-12), name
            assert np.allclose(np.asarray(g[k]), np.asarray(gk), atol=1e-12), name


@pytest.mark.slow
def test_objectives_are_hashable_and_within_their_range(rng):
    d = 8
    states = [_random_density(d, rng, rank=1, mix=0.0), _random_density(d, rng)]
    states += [np.diag(np.eye(d)[x]).astype(complex) for x in range(d)]
    for name, obj in _all_objectives(d, rng).items():
        assert hash(obj) == hash(obj) and obj.dim == d and obj.n_visible == 3, name
        assert obj.lower <= obj.upper, name
        for rho in states:
            v = float(obj.value(rho))
            assert obj.lower - 1e-12 <= v <= obj.upper + 1e-12, (name, v, obj.lower, obj.upper)


# ------------------------------------------------------------------------------ sandwiched Rényi
def _renyi_reference(sigma, rho, alpha):
    """1/(α−1) log₂ Tr[(ρ^γ σ ρ^γ)^α] with scipy's fractional_matrix_power."""
    gamma = (1 - alpha) / (2 * alpha)
    p = scipy.linalg.fractional_matrix_power(rho, gamma)
    a = p @ sigma @ p
    a = (a + a.conj().T) / 2
    return math.log2(np.trace(scipy.linalg.fractional_matrix_power(a, alpha)).real) / (alpha - 1)


@pytest.mark.parametrize("alpha", [0.5, 0.75, 1.5, 2.0, 5.0])
def test_sandwiched_renyi_matches_scipy(alpha, rng):
    d = 4
    rho, sigma = _random_density(d, rng, mix=0.05), _random_density(d, rng, mix=0.05)
    ref = _renyi_reference(sigma, rho, alpha)
    assert float(sandwiched_renyi(sigma, alpha).value(rho)) == pytest.approx(ref, abs=1e-10)
    # pure σ = |s⟩⟨s|: Tr A^α = ⟨s|ρ^{2γ}|s⟩^α, so D̃ = α/(α−1) log₂ ⟨s|ρ^{2γ}|s⟩
    s = _vector(d, rng)
    r2g = scipy.linalg.fractional_matrix_power(rho, (1 - alpha) / alpha)
    ref_pure = alpha / (alpha - 1) * math.log2(np.vdot(s, r2g @ s).real)
    assert float(sandwiched_renyi(s, alpha).value(rho)) == pytest.approx(ref_pure, abs=1e-10)
    assert float(sandwiched_renyi(np.outer(s, s.conj()), alpha).value(rho)) == pytest.approx(
        ref_pure, abs=1e-10
    )


@pytest.mark.slow
def test_sandwiched_renyi_at_one_half_is_minus_log_fidelity(rng):
    d = 8
    rho = _random_density(d, rng)
    # rank-3 σ = AA†/‖A‖²: F = ‖√ρ √σ‖₁² = ‖√ρ A‖₁²/‖A‖² (A = √σ·W, W a partial isometry),
    # free of the rounding noise that √ of σ's zero eigenvalues would bring
    a = rng.normal(size=(d, 3)) + 1j * rng.normal(size=(d, 3))
    sigma = a @ a.conj().T / np.linalg.norm(a) ** 2
    f_ref = np.sum(scipy.linalg.svdvals(scipy.linalg.sqrtm(rho) @ a)) ** 2 / np.linalg.norm(a) ** 2
    value = float(sandwiched_renyi(sigma, 0.5).value(rho))
    assert value == pytest.approx(-math.log2(f_ref), abs=1e-12)
    assert value == pytest.approx(-math.log2(float(fidelity(sigma).value(rho))), abs=1e-10)
    s = _vector(d, rng)
    assert float(sandwiched_renyi(s, 0.5).value(rho)) == pytest.approx(
        -math.log2(np.vdot(s, rho @ s).real), abs=1e-12
    )


def test_sandwiched_renyi_tends_to_relative_entropy_and_grows_with_alpha(rng):
    d = 4
    rho, sigma = _random_density(d, rng), _random_density(d, rng)
    s1 = float(relative_entropy(sigma).value(rho))
    for alpha in (1 - 1e-5, 1 + 1e-5):
        assert float(sandwiched_renyi(sigma, alpha).value(rho)) == pytest.approx(s1, abs=1e-4)
    # D̃_α is non-decreasing in α (Müller-Lennert et al., Thm. 7)
    below = [float(sandwiched_renyi(sigma, a).value(rho)) for a in (0.5, 0.7, 0.9)]
    above = [float(sandwiched_renyi(sigma, a).value(rho)) for a in (1.1, 2.0, 4.0)]
    assert np.all(np.diff(below + [s1] + above) > 0)


@pytest.mark.slow
def test_sandwiched_renyi_is_non_negative_and_zero_at_sigma(rng):
    for d in (2, 4, 8):
        for alpha in (0.5, 0.8, 2.0, 3.0):
            for _ in range(3):
                rho, sigma = _random_density(d, rng, mix=0.0), _random_density(d, rng, mix=0.0)
                assert float(sandwiched_renyi(sigma, alpha).value(rho)) > 0
            sigma = _random_density(d, rng)
            assert float(sandwiched_renyi(sigma, alpha).value(sigma)) == pytest.approx(
                0.0, abs=1e-12
            )
            s = _vector(d, rng)  # ρ = σ pure: zero up to the eigenvalue floor
            assert float(sandwiched_renyi(s, alpha).value(np.outer(s, s.conj()))) == pytest.approx(
                0.0, abs=1e-9
            )


# ------------------------------------------------------------------------------ generative losses
def test_kl_and_nll_values(rng):
    d = 8
    q = _distribution(d, rng)
    rho = _random_density(d, rng)
    p = np.diagonal(rho).real
    kl, nll = kl_divergence(q), negative_log_likelihood(q)
    assert float(kl.value(rho)) == pytest.approx(scipy.stats.entropy(q, p, base=2), abs=1e-12)
    h_q = scipy.stats.entropy(q, base=2)
    assert float(nll.value(rho)) - float(kl.value(rho)) == pytest.approx(h_q, abs=1e-12)
    assert kl.entropy == pytest.approx(h_q, abs=1e-12)
    # zero exactly at p = q, also for a coherent state with the same diagonal
    assert float(kl.value(np.diag(q).astype(complex))) == pytest.approx(0.0, abs=1e-12)
    psi = np.sqrt(q) * np.exp(1j * rng.uniform(0, 2 * np.pi, size=d))
    assert float(kl.value(np.outer(psi, psi.conj()))) == pytest.approx(0.0, abs=1e-12)
    assert float(kl.value(rho)) > 0
    # the floor: a string with q > 0 and p = 0 costs q·log₂(1/floor), and has derivative 0 there
    q2 = np.array([0.5, 0.5, 0.0, 0.0])
    f, g = negative_log_likelihood(q2, floor=1e-6).value_and_derivative(np.diag([1.0, 0, 0, 0]))
    assert float(f) == pytest.approx(0.5 * math.log2(1e6), abs=1e-12)
    assert np.allclose(np.diagonal(np.asarray(g)), [-0.5 / math.log(2), 0, 0, 0], atol=1e-15)


def _reference_kernel(n, bandwidths):
    d = 2**n
    k = np.zeros((d, d))
    for x in range(d):
        for y in range(d):
            h = bin(x ^ y).count("1")
            k[x, y] = np.mean([math.exp(-h / (2 * s)) for s in bandwidths])
    return k


def test_mmd_values_kernel_and_range(rng):
    n, d = 3, 8
    q = _distribution(d, rng)
    obj = mmd(q, bandwidths=(0.25, 1.0, 4.0))
    assert isinstance(obj, MMD)
    k = _reference_kernel(n, (0.25, 1.0, 4.0))
    assert np.allclose(obj.kernel, k, atol=1e-15) and np.allclose(obj.q, q, atol=1e-15)
    assert np.linalg.eigvalsh(k)[0] > 0  # positive definite
    rho = _random_density(d, rng)
    diff = np.diagonal(rho).real - q
    mmd_ref = sum(diff[x] * k[x, y] * diff[y] for x in range(d) for y in range(d))
    assert float(obj.value(rho)) == pytest.approx(mmd_ref, abs=1e-14)
    assert float(obj.value(rho)) > 0
    assert float(obj.value(np.diag(q).astype(complex))) == pytest.approx(0.0, abs=1e-15)
    basis = [float(obj.value(np.diag(np.eye(d)[x]).astype(complex))) for x in range(d)]
    assert obj.upper == pytest.approx(max(basis), abs=1e-14)
    obj.kernel[0, 0] = 5.0  # a copy: the objective is unchanged
    assert obj.kernel[0, 0] == 1.0


# ------------------------------------------------------------------------------ classifier losses
def test_readout_losses_on_basis_states():
    n, floor = 3, 1e-8
    for wire in range(n):
        for label in (0, 1):
            ce = readout_cross_entropy(label, n, wire=wire, floor=floor)
            err = readout_error(label, n, wire=wire)
            assert isinstance(err, Linear) and err.lower == 0.0 and err.upper == 1.0
            for x in range(2**n):
                rho = np.diag(np.eye(2**n)[x]).astype(complex)
                bit = (x >> (n - 1 - wire)) & 1
                assert float(err.value(rho)) == float(bit != label)
                expected = 0.0 if bit == label else math.log2(1 / floor)
                assert float(ce.value(rho)) == pytest.approx(expected, abs=1e-12)


def test_readout_losses_on_mixed_states(rng):
    n, d = 2, 4
    rho = _random_density(d, rng)
    p1 = rho[2, 2].real + rho[3, 3].real  # wire 0 = most significant bit
    assert float(readout_error(0, n).value(rho)) == pytest.approx(p1, abs=1e-14)
    assert float(readout_error(1, n).value(rho)) == pytest.approx(1 - p1, abs=1e-14)
    assert float(readout_cross_entropy(1, n).value(rho)) == pytest.approx(-math.log2(p1), abs=1e-12)
    assert float(readout_cross_entropy(0, n).value(rho)) == pytest.approx(
        -math.log2(1 - p1), abs=1e-12
    )
    assert np.allclose(readout_error(1, n, wire=1).observable, np.diag([1, 0, 1, 0]))


def test_pure_state_infidelity_is_one_minus_fidelity(rng):
    d = 8
    phi = _vector(d, rng)
    obj = pure_state_infidelity(3 * phi)  # normalised
    assert isinstance(obj, Linear)
    assert np.allclose(obj.observable, np.eye(d) - np.outer(phi, phi.conj()), atol=1e-14)
    for rho in (_random_density(d, rng), np.outer(phi, phi.conj())):
        assert float(obj.value(rho)) == pytest.approx(
            1 - float(fidelity(phi).value(rho)), abs=1e-12
        )
    assert obj.lower == pytest.approx(0.0, abs=1e-12) and obj.upper == pytest.approx(1.0)


def test_entanglement_regulariser_value(rng):
    d = 4
    q = _distribution(d, rng)
    base = kl_divergence(q)
    obj = entanglement_regularised(base, 0.5, target_entropy=1.5)
    assert isinstance(obj, EntanglementRegularised)
    assert obj.n_visible == 2 and obj.dim == 4 and obj.name == "kl+entropy"
    rho = _random_density(d, rng)
    w = np.linalg.eigvalsh(rho)
    s = -np.sum(w * np.log2(w))
    expected = float(base.value(rho)) + 0.5 * (s - 1.5) ** 2
    assert float(obj.value(rho)) == pytest.approx(expected, abs=1e-12)
    assert float(obj.entropy(np.eye(d) / d)) == pytest.approx(2.0, abs=1e-12)
    psi = _vector(d, rng)  # pure ρ: entropy ≈ 0 and a finite derivative
    f, g = obj.value_and_derivative(np.outer(psi, psi.conj()))
    assert float(obj.entropy(np.outer(psi, psi.conj()))) == pytest.approx(0.0, abs=1e-10)
    assert np.all(np.isfinite(np.asarray(g)))


# ------------------------------------------------------------------------------ targets
def _brute_force_bars_and_stripes(rows, cols):
    valid = set()
    for x in range(2 ** (rows * cols)):
        img = [
            [(x >> (rows * cols - 1 - (i * cols + j))) & 1 for j in range(cols)]
            for i in range(rows)
        ]
        if all(len(set(r)) == 1 for r in img) or all(
            len({img[i][j] for i in range(rows)}) == 1 for j in range(cols)
        ):
            valid.add(x)
    return sorted(valid)


@pytest.mark.parametrize("rows,cols,count", [(2, 2, 6), (3, 3, 14), (2, 3, 10), (1, 3, 8)])
def test_bars_and_stripes(rows, cols, count):
    q = bars_and_stripes(rows, cols)
    assert q.shape == (2 ** (rows * cols),) and np.sum(q) == pytest.approx(1.0, abs=1e-15)
    support = np.flatnonzero(q)
    assert len(support) == count
    assert np.allclose(q[support], 1 / count)
    assert list(support) == _brute_force_bars_and_stripes(rows, cols)
    if (rows, cols) == (2, 2):
        assert list(support) == [0, 3, 5, 10, 12, 15]
    if (rows, cols) == (2, 3):  # row-major: top row on = 111000, left column on = 100100
        assert q[0b111000] > 0 and q[0b100100] > 0 and q[0b110000] == 0


def test_sparse_and_thermal_distributions():
    q = random_sparse_distribution(5, 4, seed=3)
    assert q.shape == (32,) and np.count_nonzero(q) == 4
    assert np.sum(q) == pytest.approx(1.0, abs=1e-14) and np.all(q >= 0)
    assert np.array_equal(q, random_sparse_distribution(5, 4, seed=3))
    assert not np.array_equal(q, random_sparse_distribution(5, 4, seed=4))

    n, beta, seed = 4, 0.7, 11
    t = thermal_distribution(n, beta, seed)
    assert np.sum(t) == pytest.approx(1.0, abs=1e-14) and np.all(t > 0)
    assert np.array_equal(t, thermal_distribution(n, beta, seed))
    rng = np.random.default_rng(seed)  # the documented draw: fields, then couplings row-major
    h, j = rng.normal(size=n), rng.normal(size=(n, n))
    energy = np.zeros(2**n)
    for x in range(2**n):
        s = [1 - 2 * ((x >> (n - 1 - i)) & 1) for i in range(n)]
        energy[x] = -sum(h[i] * s[i] for i in range(n)) - sum(
            j[a, b] * s[a] * s[b] for a in range(n) for b in range(a + 1, n)
        )
    ref = np.exp(-beta * energy)
    assert np.allclose(t, ref / ref.sum(), atol=1e-14)
    assert np.allclose(thermal_distribution(n, 0.0, seed), 1 / 2**n)


def test_random_states():
    psi = random_pure_state(3, seed=1)
    assert psi.shape == (8,) and np.linalg.norm(psi) == pytest.approx(1.0, abs=1e-14)
    assert np.array_equal(psi, random_pure_state(3, seed=1))
    prod = random_product_state(4, seed=2)
    assert np.linalg.norm(prod) == pytest.approx(1.0, abs=1e-14)
    assert np.array_equal(prod, random_product_state(4, seed=2))
    for cut in range(1, 4):  # Schmidt rank 1 across every cut
        sv = np.linalg.svd(prod.reshape(2**cut, -1), compute_uv=False)
        assert sv[1] < 1e-12
    rho = random_mixed_state(3, 2, seed=5)
    w = np.linalg.eigvalsh(rho)
    assert np.allclose(rho, rho.conj().T) and np.trace(rho).real == pytest.approx(1.0, abs=1e-14)
    assert np.sum(w > 1e-12) == 2 and w[0] > -1e-14
    assert np.array_equal(rho, random_mixed_state(3, 2, seed=5))


@pytest.mark.parametrize("kind", ["parity", "halfspace"])
def test_classification_dataset(kind):
    x, y = classification_dataset(3, 200, seed=7, kind=kind)
    assert x.shape == (200, 3) and y.shape == (200,) and y.dtype == np.int64
    assert np.all((x >= 0) & (x <= np.pi)) and set(np.unique(y)) == {0, 1}
    x2, y2 = classification_dataset(3, 200, seed=7, kind=kind)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    if kind == "parity":
        assert np.array_equal(y, (np.prod(np.cos(x), axis=1) < 0).astype(int))
    else:  # linearly separable in the features cos x_i: find w with (2y−1)·(w·cos x) ≥ 1
        a_ub = -(2 * y - 1)[:, None] * np.cos(x)
        res = scipy.optimize.linprog(
            np.zeros(3), A_ub=a_ub, b_ub=-np.ones(200), bounds=[(None, None)] * 3
        )
        assert res.status == 0


# ------------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: kl_divergence([0.5, 0.6, -0.1, 0.0]), ValueError, "non-negative"),
        (lambda: kl_divergence([0.5, 0.25, 0.25]), ValueError, "length 2\\*\\*n_visible"),
        (lambda: negative_log_likelihood([0.5, 0.4]), ValueError, "sum to 1"),
        (lambda: mmd([[0.5, 0.5]]), ValueError, "1-D array"),
        (lambda: mmd([0.5, 0.5], bandwidths=(1.0, -1.0)), ValueError, "bandwidths"),
        (lambda: kl_divergence([0.5, 0.5], floor=0.0), ValueError, "floor must be in"),
        (lambda: sandwiched_renyi([1, 0], 1.0), ValueError, "relative_entropy"),
        (lambda: sandwiched_renyi([1, 0], 0.3), ValueError, "alpha must be"),
        (lambda: sandwiched_renyi([1, 0], math.inf), ValueError, "alpha must be"),
        (lambda: sandwiched_renyi([1, 0], "2"), TypeError, "alpha must be a real number"),
        (lambda: readout_cross_entropy(2, 2), ValueError, "label must be 0 or 1"),
        (lambda: readout_error(-1, 2), ValueError, "label must be 0 or 1"),
        (lambda: readout_error(0.5, 2), TypeError, "label must be an int"),
        (lambda: readout_error(1, 2, wire=2), ValueError, "wire must be a visible wire in 0..1"),
        (lambda: entanglement_regularised("kl", 1.0), TypeError, "Objective"),
        (lambda: entanglement_regularised(kl_divergence([0.5, 0.5]), -1.0), ValueError, "weight"),
        (
            lambda: entanglement_regularised(kl_divergence([0.5, 0.5]), 1.0, 2.0),
            ValueError,
            "target_entropy",
        ),
        (lambda: pure_state_infidelity(np.eye(2)), ValueError, "1-D state vector"),
        (lambda: pure_state_infidelity([1, 0, 0]), ValueError, "length 2\\*\\*n_visible"),
        (lambda: bars_and_stripes(0, 2), ValueError, "rows must be in"),
        (lambda: bars_and_stripes(5, 5), ValueError, "rows\\*cols"),
        (lambda: random_sparse_distribution(2, 5, seed=0), ValueError, "support must be in 1..4"),
        (lambda: random_sparse_distribution(2, 2, seed=-1), ValueError, "seed must be >= 0"),
        (lambda: random_pure_state(2, seed=1.5), TypeError, "seed must be an int"),
        (lambda: thermal_distribution(3, -1.0, seed=0), ValueError, "beta"),
        (lambda: random_mixed_state(2, 5, seed=0), ValueError, "rank must be in 1..4"),
        (lambda: classification_dataset(2, 10, 0, kind="xor"), ValueError, "kind must be one of"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_clear_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_wrong_matrix_size_is_rejected():
    with pytest.raises(ValueError, match="takes 4x4 density matrices"):
        kl_divergence([0.25] * 4).value(np.eye(2) / 2)
