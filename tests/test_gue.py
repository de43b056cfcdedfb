"""GUE Hamiltonians and GUE-evolved states: normalisation, seeding, shapes and typicality."""

import jax
import numpy as np
import pytest

import ebp
from ebp.quantum_info import gue_evolution, gue_hamiltonian
from ebp.theory import page_entropy
from intervals import mean_interval


def _entropy_bits(states, n_visible, n_qubits):
    """S(ρ_V) in bits from Schmidt coefficients computed with numpy (independent of ebp)."""
    states = np.asarray(states)
    m = states.reshape(states.shape[:-1] + (2**n_visible, 2 ** (n_qubits - n_visible)))
    p = np.linalg.svd(m, compute_uv=False) ** 2
    p = np.where(p > 1e-300, p, 1.0)  # 0·log 0 = 0
    return -np.sum(p * np.log2(p), axis=-1)


@pytest.mark.slow
def test_states_normalised_and_shape():
    psi = gue_evolution(4, 0)
    assert psi.shape == (16,) and psi.dtype == np.complex128
    assert abs(np.linalg.norm(np.asarray(psi)) - 1) < 1e-12
    batch = np.asarray(gue_evolution(3, 1, t=2.5, batch=(3, 2)))
    assert batch.shape == (3, 2, 8)
    np.testing.assert_allclose(np.linalg.norm(batch, axis=-1), 1, atol=1e-12)
    flat = batch.reshape(6, 8)
    overlaps = np.abs(flat.conj() @ flat.T) ** 2
    assert np.all(overlaps[~np.eye(6, dtype=bool)] < 0.99)  # batch members are distinct


def test_same_seed_same_state_different_seed_differs():
    a = np.asarray(gue_evolution(4, 7))
    b = np.asarray(gue_evolution(4, 7))
    c = np.asarray(gue_evolution(4, 8))
    np.testing.assert_array_equal(a, b)
    assert abs(np.vdot(a, c)) ** 2 < 0.99
    # a jax PRNG key works as a seed and is equivalent to the int
    np.testing.assert_allclose(np.asarray(gue_evolution(4, jax.random.PRNGKey(7))), a, atol=0)


@pytest.mark.slow
def test_time_zero_is_initial_state_and_evolution_is_exact():
    np.testing.assert_allclose(np.asarray(gue_evolution(3, 2, t=0.0)), np.eye(8)[0], atol=1e-12)
    # ψ(t) = exp(−iHt)|0⟩ with the same H (same seed), by an independent scipy expm
    from scipy.linalg import expm

    h = np.asarray(gue_hamiltonian(8, 2))
    for t in (0.3, 10.0):
        want = expm(-1j * h * t)[:, 0]
        np.testing.assert_allclose(np.asarray(gue_evolution(3, 2, t=t)), want, atol=1e-10)


@pytest.mark.slow
def test_mean_entropy_is_typical_page():
    """Mean S(ρ_V) over 200 GUE states (n = 6, 3|3, t = 10) is within 4 standard errors of Page."""
    n_v, n_h = 3, 3
    psi = gue_evolution(n_v + n_h, 0, t=10.0, batch=(200,))
    s = _entropy_bits(psi, n_v, n_v + n_h)
    se = s.std(ddof=1) / np.sqrt(s.size)
    page = page_entropy(n_v, n_h)
    assert abs(s.mean() - page) < 4 * se, (s.mean(), page, se)
    # and the states are far from product states: every sample is highly entangled
    assert s.min() > page - 1.0
    # cross-check the ebp entropy on a few samples
    np.testing.assert_allclose(np.asarray(ebp.entanglement_entropy(psi[:5], n_v)), s[:5], atol=1e-9)


@pytest.mark.slow
def test_hamiltonian_hermitian_and_normalised():
    d, batch = 16, 60
    h = np.asarray(gue_hamiltonian(d, 3, batch=(batch,)))
    assert h.shape == (batch, d, d)
    np.testing.assert_allclose(h, np.conj(np.swapaxes(h, -1, -2)), atol=1e-15)
    iu = np.triu_indices(d, k=1)
    off = h[:, iu[0], iu[1]].reshape(-1)  # independent entries only
    target = 1 / (2 * d)
    sq = np.abs(off) ** 2
    se = sq.std(ddof=1) / np.sqrt(sq.size)
    assert abs(sq.mean() - target) < 4 * se, (sq.mean(), target, se)
    # circular symmetry: E[H_ij] = 0 and E[H_ij²] = 0 off the diagonal
    assert abs(off.mean()) < 4 * np.sqrt(target / off.size)
    assert abs(np.mean(off**2)) < 4 * target * np.sqrt(2 / off.size)
    # diagonal entries are real with variance 1/(2d) as well
    diag = np.diagonal(h, axis1=-2, axis2=-1).reshape(-1)
    assert np.all(np.abs(diag.imag) < 1e-15)
    dse = (diag.real**2).std(ddof=1) / np.sqrt(diag.size)
    assert abs(np.mean(diag.real**2) - target) < 4 * dse
    # semicircle on [−√2, √2]: E[(1/d) Tr H²] = (1/d)·d²·1/(2d) = 1/2 exactly; the matrices are
    # independent, so the mean over them has the standard error of the per-matrix values
    ev = np.linalg.eigvalsh(h)
    second = np.mean(ev**2, axis=-1)  # (1/d) Tr H², one value per matrix
    lo, hi = mean_interval(second)
    assert lo <= 0.5 <= hi, (lo, hi)
    assert 1.2 < np.max(ev) < 2.0 and -2.0 < np.min(ev) < -1.2  # finite-d edge fluctuations


def test_hamiltonian_seeding():
    a = np.asarray(gue_hamiltonian(8, 5))
    np.testing.assert_array_equal(a, np.asarray(gue_hamiltonian(8, 5)))
    assert not np.allclose(a, np.asarray(gue_hamiltonian(8, 6)))


@pytest.mark.parametrize("seed", [1.5, "3", None, True], ids=repr)
def test_bad_seed(seed):
    with pytest.raises(TypeError, match="seed must be an int or a jax.random key"):
        gue_evolution(2, seed)


def test_bad_time_and_size():
    with pytest.raises(ValueError, match="t must be finite"):
        gue_evolution(2, 0, t=float("inf"))
    with pytest.raises(ValueError, match=r"n_qubits must be in 1\.\.30; got 0"):
        gue_evolution(0, 0)
    with pytest.raises(TypeError, match=r"n_qubits must be an int; got float"):
        gue_evolution(2.0, 0)


# ----------------------------------------------------------------------------- fast methods
from scipy.linalg import expm  # noqa: E402
from scipy.special import hyp1f1  # noqa: E402
from scipy.stats import ks_2samp  # noqa: E402

from ebp.quantum_info import _gue  # noqa: E402

METHODS = ("auto", "chebyshev", "eigh", "tridiagonal")
DENSE = ("auto", "chebyshev", "eigh")


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 6])
def test_dense_methods_match_expm_of_gue_hamiltonian(n):
    """ψ_i = expm(−i H_i t)[:, 0], H = gue_hamiltonian(2**n, seed, batch), several seeds and t."""
    d = 2**n
    for seed in (0, 1, 2):
        h = np.asarray(gue_hamiltonian(d, seed, batch=(4,)))
        for t in (0.0, 0.3, 10.0, 50.0):
            want = np.stack([expm(-1j * hi * t)[:, 0] for hi in h])
            for method in DENSE:
                got = np.asarray(gue_evolution(n, seed, t=t, batch=(4,), method=method))
                msg = f"{method} seed={seed} t={t}"
                np.testing.assert_allclose(got, want, atol=1e-10, err_msg=msg)
    # unbatched: the H of gue_hamiltonian(d, seed) itself
    h = np.asarray(gue_hamiltonian(d, 11))
    for t in (0.3, -3.0, 50.0):  # negative t evolves backwards
        got = np.asarray(gue_evolution(n, 11, t=t, method="chebyshev"))
        np.testing.assert_allclose(got, expm(-1j * h * t)[:, 0], atol=1e-10)


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
def test_every_method_zero_time_norm_seeding_and_shapes(method):
    # t = 0 is |0…0⟩ exactly; tiny t is continuous (and does evolve)
    psi0 = np.asarray(gue_evolution(6, 3, t=0.0, batch=(2, 2), method=method))
    np.testing.assert_array_equal(psi0, np.broadcast_to(np.eye(64)[0], (2, 2, 64)))
    small = np.asarray(gue_evolution(6, 3, t=1e-9, batch=(2, 2), method=method))
    np.testing.assert_allclose(small, psi0, atol=1e-8)
    assert np.all(np.abs(small[..., 1:]) > 0)
    for n, t in ((1, 0.7), (6, 10.0), (6, -2.0)):
        psi = np.asarray(gue_evolution(n, 5, t=t, batch=(2, 2), method=method))
        assert psi.shape == (2, 2, 2**n) and psi.dtype == np.complex128
        np.testing.assert_allclose(np.linalg.norm(psi, axis=-1), 1.0, atol=1e-12)
        again = gue_evolution(n, 5, t=t, batch=(2, 2), method=method)
        np.testing.assert_array_equal(psi, np.asarray(again))
        other = np.asarray(gue_evolution(n, 6, t=t, batch=(2, 2), method=method))
        assert np.all(np.abs(np.sum(psi.conj() * other, -1)) ** 2 < 0.99)
    assert gue_evolution(1, 0, batch=4, method=method).shape == (4, 2)
    assert gue_evolution(6, 0, batch=(0, 2), method=method).shape == (0, 2, 64)
    np.testing.assert_array_equal(
        np.asarray(gue_evolution(6, jax.random.PRNGKey(9), batch=4, method=method)),
        np.asarray(gue_evolution(6, 9, batch=4, method=method)),
    )


@pytest.mark.slow
@pytest.mark.parametrize("method", ["chebyshev", "tridiagonal"])
def test_batch_member_i_uses_split_key_i(method):
    """Seed semantics: batch member i (C order) is the unbatched result for split(key, B)[i]."""
    batched = np.asarray(gue_evolution(6, 21, t=3.0, batch=(2, 2), method=method)).reshape(4, 64)
    keys = jax.random.split(jax.random.PRNGKey(21), 4)
    for i in range(4):
        single = np.asarray(gue_evolution(6, keys[i], t=3.0, method=method))
        np.testing.assert_allclose(batched[i], single, atol=1e-13)
    h = np.asarray(gue_hamiltonian(8, 21, batch=(2, 2))).reshape(4, 8, 8)
    for i in range(4):
        np.testing.assert_array_equal(h[i], np.asarray(gue_hamiltonian(8, keys[i])))


@pytest.mark.slow
def test_dense_chunking_and_eigh_fallback(monkeypatch):
    whole = np.asarray(gue_evolution(6, 8, t=10.0, batch=(4,), method="chebyshev"))
    exact = np.asarray(gue_evolution(6, 8, t=10.0, batch=(4,), method="eigh"))
    monkeypatch.setattr(_gue, "_DENSE_CHUNK_BYTES", 3 * 16 * 64 * 64)  # chunks of 3 + 1
    chunked = np.asarray(gue_evolution(6, 8, t=10.0, batch=(4,), method="chebyshev"))
    np.testing.assert_allclose(chunked, whole, atol=1e-13)
    # with a scale far below ‖H‖ the series diverges: the checks must catch it and use eigh
    monkeypatch.setattr(_gue, "_DENSE_CHUNK_BYTES", 2**28)
    monkeypatch.setattr(_gue, "_SCALE_MARGIN", 0.3)
    fallback = np.asarray(gue_evolution(6, 8, t=10.0, batch=(4,), method="chebyshev"))
    np.testing.assert_allclose(fallback, exact, atol=1e-10)


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 6])
def test_tridiagonal_overlap_is_exact_for_its_tridiagonal_matrix(n):
    """⟨0|ψ⟩ = expm(−iTt)[0, 0] for the full sampled T, and the rest is √(1 − |c|²) u."""
    d = 2**n
    keys = jax.random.split(jax.random.PRNGKey(5), 4)
    alpha, beta, u, radius = (np.asarray(x) for x in _gue._tridiagonal_draws(keys, d))
    for t in (0.3, 10.0, 50.0):
        psi = np.asarray(gue_evolution(n, 5, t=t, batch=(4,), method="tridiagonal"))
        for i in range(4):
            tri = np.diag(alpha[i]) + np.diag(beta[i], 1) + np.diag(beta[i], -1)
            assert np.max(np.abs(np.linalg.eigvalsh(tri))) <= radius[i] + 1e-12
            c = expm(-1j * tri * t)[0, 0]
            assert abs(psi[i, 0] - c) < 1e-12
            np.testing.assert_allclose(psi[i, 1:], np.sqrt(1 - abs(c) ** 2) * u[i], atol=1e-12)


@pytest.mark.slow
def test_tridiagonal_entries_have_the_householder_gue_law():
    """T_jj ~ N(0, 1/(2d)), T_{j,j+1}² ~ Gamma(d − j, scale 1/(2d)) (mean (d − j)/(2d))."""
    d, n_samples = 4, 4096
    keys = jax.random.split(jax.random.PRNGKey(0), n_samples)
    draws = [_gue._tridiagonal_draws(keys[i : i + 128], d) for i in range(0, n_samples, 128)]
    alpha, beta, u, _ = (np.concatenate([np.asarray(x) for x in xs]) for xs in zip(*draws))
    var = 1 / (2 * d)
    assert np.all(np.abs((alpha**2).mean(0) - var) < 4 * np.sqrt(2 / n_samples) * var)
    shape = d - np.arange(1, d)
    assert np.all(np.abs((beta**2).mean(0) - shape * var) < 4 * np.sqrt(shape / n_samples) * var)
    np.testing.assert_allclose(np.linalg.norm(u, axis=-1), 1.0, atol=1e-14)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["eigh", "tridiagonal"])
def test_mean_overlap_matches_exact_finite_d_gue_formula(method):
    """E⟨0|e^{−iHt}|0⟩ = (1/d) E Tr e^{−iHt} = e^{−t²/(4d)} ₁F₁(1 − d; 2; t²/(2d)) for this GUE.

    (Haagerup & Thorbjørnsen, Expo. Math. 21, 293 (2003), for H = X/√2 with E|X_ij|² = 1/d.)
    Small d, where the finite-d law differs visibly from the semicircle.
    """
    n_samples = 4096
    for n, t in ((2, 1.0), (2, 3.0)):
        d = 2**n
        c = np.asarray(gue_evolution(n, 17, t=t, batch=(n_samples,), method=method))[:, 0]
        exact = np.exp(-(t**2) / (4 * d)) * hyp1f1(1 - d, 2, t**2 / (2 * d))
        se = c.real.std(ddof=1) / np.sqrt(n_samples)
        assert abs(c.real.mean() - exact) < 4 * se, (n, t, c.real.mean(), exact, se)
        assert abs(c.imag.mean()) < 4 * c.imag.std(ddof=1) / np.sqrt(n_samples)


@pytest.mark.slow
def test_tridiagonal_and_dense_states_have_the_same_distribution():
    """Two-sample KS tests on |⟨0|ψ⟩|², Re⟨0|ψ⟩ and S(ρ_V); same mean |⟨0|ψ⟩|² within 4 SE."""
    n, n_samples = 2, 2048
    for t in (1.0, 3.0):
        a = np.asarray(gue_evolution(n, 1, t=t, batch=(n_samples,), method="chebyshev"))
        b = np.asarray(gue_evolution(n, 2, t=t, batch=(n_samples,), method="tridiagonal"))
        features = (
            lambda x: np.abs(x[:, 0]) ** 2,
            lambda x: x[:, 0].real,
            lambda x: _entropy_bits(x, 1, n),
        )
        for f in features:
            assert ks_2samp(f(a), f(b)).pvalue > 1e-3
        pa, pb = np.abs(a[:, 0]) ** 2, np.abs(b[:, 0]) ** 2
        se = np.sqrt(pa.var(ddof=1) / n_samples + pb.var(ddof=1) / n_samples)
        assert abs(pa.mean() - pb.mean()) < 4 * se


@pytest.mark.slow
def test_tridiagonal_states_are_typical_page():
    n_v, n_h = 5, 5
    psi = gue_evolution(n_v + n_h, 0, t=10.0, batch=(256,), method="tridiagonal")
    s = _entropy_bits(psi, n_v, n_v + n_h)
    se = s.std(ddof=1) / np.sqrt(s.size)
    assert abs(s.mean() - page_entropy(n_v, n_h)) < 4 * se, (s.mean(), page_entropy(n_v, n_h), se)


@pytest.mark.slow
def test_auto_is_dense_up_to_the_threshold_then_tridiagonal(monkeypatch):
    monkeypatch.setattr(_gue, "_AUTO_DENSE_MAX_QUBITS", 1)
    for n, method in ((1, "eigh"), (6, "tridiagonal")):  # "auto" diagonalises when a·t ≳ d
        np.testing.assert_allclose(
            np.asarray(gue_evolution(n, 5, t=10.0, batch=(2, 2))),
            np.asarray(gue_evolution(n, 5, t=10.0, batch=(2, 2), method=method)),
            atol=1e-14,
        )
    assert gue_evolution.__kwdefaults__["method"] == "auto"


@pytest.mark.slow
def test_twelve_qubits_is_fast_and_normalised():
    psi = np.asarray(gue_evolution(12, 0, t=10.0, batch=(4,)))
    assert psi.shape == (4, 4096)
    np.testing.assert_allclose(np.linalg.norm(psi, axis=-1), 1.0, atol=1e-13)
    assert np.all(np.abs(psi[:, 0]) ** 2 < 0.5)  # evolved away from |0…0⟩


def test_argument_errors():
    allowed = "'auto', 'chebyshev', 'eigh', 'tridiagonal'"
    with pytest.raises(ValueError, match=rf"method must be one of {allowed}; got 'expm'\."):
        gue_evolution(2, 0, method="expm")
    with pytest.raises(TypeError, match=r"t must be a finite real number; got complex"):
        gue_evolution(2, 0, t=1j)
    with pytest.raises(TypeError, match=r"t must be a finite real number; got str"):
        gue_evolution(2, 0, t="1")
    with pytest.raises(ValueError, match=r"t must be finite; got nan"):
        gue_evolution(2, 0, t=float("nan"))
    batch_msg = r"batch must be an int or a tuple of non-negative ints; got "
    with pytest.raises(TypeError, match=batch_msg + r"\(-1,\)"):
        gue_evolution(2, 0, batch=(-1,))
    with pytest.raises(TypeError, match=batch_msg + r"\[2\]"):
        gue_hamiltonian(4, 0, batch=[2])
    with pytest.raises(ValueError, match=r"d must be an int >= 1; got 0"):
        gue_hamiltonian(0, 0)
    with pytest.raises(TypeError, match=r"d must be an int >= 1; got float 2\.0"):
        gue_hamiltonian(2.0, 0)
