"""Tests for ebp.quantum_info against independently constructed truths."""

import jax

jax.config.update("jax_enable_x64", True)

import math  # noqa: E402

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ebp.quantum_info import (  # noqa: E402
    check_n_visible,
    entanglement_entropy,
    haar_state,
    haar_unitary,
    pinsker_bound,
    purity,
    reduced_density_matrix,
    schmidt_coefficients,
    trace_distance_to_maximally_mixed,
    validate_state,
)

ALPHAS = [0, 0.5, 1, 2, 3, math.inf]
BELL = np.array([1, 0, 0, 1], dtype=complex) / np.sqrt(2)


# ----------------------------------------------------------------------------- helpers
def kron_all(vectors):
    out = np.ones(1, dtype=complex)
    for v in vectors:
        out = np.kron(out, v)
    return out


def random_qubit(rng):
    v = rng.normal(size=2) + 1j * rng.normal(size=2)
    return v / np.linalg.norm(v)


def random_product_state(n, rng):
    return kron_all([random_qubit(rng) for _ in range(n)])


def bell_pairs(n_v, n_extra_hidden=0):
    """Visible wire i paired in a Bell state with hidden wire n_v + i (+ |0> extras)."""
    psi = np.zeros((2,) * (2 * n_v), dtype=complex)
    for bits in np.ndindex(*(2,) * n_v):
        psi[bits + bits] = 1.0
    psi = psi.reshape(-1) / np.sqrt(2**n_v)
    zero = np.array([1, 0], dtype=complex)
    return kron_all([psi] + [zero] * n_extra_hidden)


def loop_partial_trace(psi, n_v, keep="visible"):
    """Explicit partial trace by summing over basis states of the traced side."""
    n = int(np.log2(psi.size))
    d_v, d_h = 2**n_v, 2 ** (n - n_v)
    rho = np.outer(psi, psi.conj())
    if keep == "visible":
        out = np.zeros((d_v, d_v), dtype=complex)
        for h in range(d_h):
            for a in range(d_v):
                for b in range(d_v):
                    out[a, b] += rho[a * d_h + h, b * d_h + h]
    else:
        out = np.zeros((d_h, d_h), dtype=complex)
        for v in range(d_v):
            for a in range(d_h):
                for b in range(d_h):
                    out[a, b] += rho[v * d_h + a, v * d_h + b]
    return out


def schmidt_state(probs, d_v, d_h, rng):
    """Random state with prescribed Schmidt probabilities (random local bases)."""
    u = np.linalg.qr(rng.normal(size=(d_v, d_v)) + 1j * rng.normal(size=(d_v, d_v)))[0]
    w = np.linalg.qr(rng.normal(size=(d_h, d_h)) + 1j * rng.normal(size=(d_h, d_h)))[0]
    m = np.zeros((d_v, d_h), dtype=complex)
    for i, p in enumerate(probs):
        m += np.sqrt(p) * np.outer(u[:, i], w[:, i])
    return m.reshape(-1)


# ----------------------------------------------------------------------------- entropies
@pytest.mark.parametrize("alpha", ALPHAS)
def test_bell_state_has_one_bit_for_every_alpha(alpha):
    assert float(entanglement_entropy(BELL, 1, alpha=alpha)) == pytest.approx(1.0, abs=1e-12)


def test_bell_state_in_nats_is_ln2():
    assert float(entanglement_entropy(BELL, 1, base=math.e)) == pytest.approx(
        math.log(2), abs=1e-12
    )
    assert float(entanglement_entropy(BELL, 1, base=4)) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("n_v", [1, 2])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_ghz3_has_one_bit(n_v, alpha):
    ghz = np.zeros(8, dtype=complex)
    ghz[0] = ghz[7] = 1 / np.sqrt(2)
    assert float(entanglement_entropy(ghz, n_v, alpha=alpha)) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("n_v", [1, 2, 3])
@pytest.mark.parametrize("alpha", [0, 1, 2, math.inf])
def test_bell_pairs_across_cut_give_n_v_bits(n_v, alpha):
    psi = bell_pairs(n_v, n_extra_hidden=1)
    assert float(entanglement_entropy(psi, n_v, alpha=alpha)) == pytest.approx(n_v, abs=1e-10)


@pytest.mark.parametrize("alpha", [0, 0.5, 1, 2, math.inf])
def test_product_states_have_zero_entropy_and_no_nan(alpha):
    rng = np.random.default_rng(11)
    states = np.stack([random_product_state(4, rng) for _ in range(8)])
    for n_v in (1, 2, 3):
        s = np.asarray(entanglement_entropy(states, n_v, alpha=alpha))
        assert not np.any(np.isnan(s))
        np.testing.assert_allclose(s, 0.0, atol=1e-12)


@pytest.mark.slow
def test_computational_basis_state_is_exactly_zero():
    psi = np.zeros(16, dtype=complex)
    psi[5] = 1.0
    for alpha in ALPHAS:
        assert float(entanglement_entropy(psi, 2, alpha=alpha)) == 0.0


@pytest.mark.slow
def test_renyi_hierarchy_and_limits():
    states = haar_state(5, 3, batch=50)
    s = {a: np.asarray(entanglement_entropy(states, 2, alpha=a)) for a in ALPHAS}
    for lo, hi in zip(ALPHAS[1:], ALPHAS[:-1]):
        assert np.all(s[lo] <= s[hi] + 1e-12)
    # Rényi-2 equals −log2(purity); α → 1 approaches von Neumann.
    np.testing.assert_allclose(s[2], -np.log2(np.asarray(purity(states, 2))), atol=1e-12)
    near_one = np.asarray(entanglement_entropy(states, 2, alpha=1 + 1e-7))
    np.testing.assert_allclose(near_one, s[1], atol=1e-6)
    # Haar states of 2|3 qubits have full Schmidt rank.
    np.testing.assert_allclose(s[0], 2.0, atol=1e-12)


def test_entropy_is_symmetric_under_swapping_sides():
    psi = np.asarray(haar_state(5, 9))
    # Move the 2 first wires to the end: S(first 2) == S(last 3) of the permuted state.
    permuted = psi.reshape(4, 8).T.reshape(-1)
    s1 = float(entanglement_entropy(psi, 2))
    s2 = float(entanglement_entropy(permuted, 3))
    assert s1 == pytest.approx(s2, abs=1e-12)


# ----------------------------------------------------------------------------- reduced states
@pytest.mark.parametrize("n, n_v", [(2, 1), (3, 1), (3, 2), (4, 3), (5, 2)])
def test_reduced_density_matrix_matches_explicit_partial_trace(n, n_v):
    psi = np.asarray(haar_state(n, 100 + n + n_v))
    rho_v = np.asarray(reduced_density_matrix(psi, n_v))
    rho_h = np.asarray(reduced_density_matrix(psi, n_v, keep="hidden"))
    np.testing.assert_allclose(rho_v, loop_partial_trace(psi, n_v), atol=1e-13)
    np.testing.assert_allclose(rho_h, loop_partial_trace(psi, n_v, "hidden"), atol=1e-13)
    t = psi.reshape((2,) * n)
    vis, hid = "abcde"[:n_v], "fghij"[: n - n_v]
    vis2 = "klmno"[:n_v]
    einsum_rho = np.einsum(f"{vis}{hid},{vis2}{hid}->{vis}{vis2}", t, t.conj())
    np.testing.assert_allclose(rho_v, einsum_rho.reshape(2**n_v, 2**n_v), atol=1e-13)
    for rho in (rho_v, rho_h):
        assert np.trace(rho).real == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(rho, rho.conj().T, atol=1e-14)
        assert np.linalg.eigvalsh(rho).min() > -1e-13
    k = min(rho_v.shape[0], rho_h.shape[0])
    ev_v = np.sort(np.linalg.eigvalsh(rho_v))[::-1][:k]
    ev_h = np.sort(np.linalg.eigvalsh(rho_h))[::-1][:k]
    np.testing.assert_allclose(ev_v, ev_h, atol=1e-12)


@pytest.mark.slow
def test_schmidt_coefficients_are_sorted_eigenvalues_of_rho():
    psi = haar_state(5, 4, batch=6)
    for n_v in (1, 2, 3, 4):
        p = np.asarray(schmidt_coefficients(psi, n_v))
        assert p.shape == (6, min(2**n_v, 2 ** (5 - n_v)))
        assert np.all(np.diff(p, axis=-1) <= 1e-15)
        np.testing.assert_allclose(p.sum(-1), 1.0, atol=1e-12)
        ev = np.sort(np.linalg.eigvalsh(np.asarray(reduced_density_matrix(psi, n_v))), -1)[
            ..., ::-1
        ]
        np.testing.assert_allclose(p, ev[..., : p.shape[-1]], atol=1e-12)


@pytest.mark.slow
def test_purity_matches_trace_of_rho_squared():
    psi = haar_state(4, 8, batch=5)
    rho = np.asarray(reduced_density_matrix(psi, 1))
    expected = np.einsum("bij,bji->b", rho, rho).real
    np.testing.assert_allclose(np.asarray(purity(psi, 1)), expected, atol=1e-13)
    assert float(purity(BELL, 1)) == pytest.approx(0.5, abs=1e-14)
    rng = np.random.default_rng(0)
    assert float(purity(random_product_state(3, rng), 2)) == pytest.approx(1.0, abs=1e-12)


# ----------------------------------------------------------------------------- distances
def test_trace_distance_exact_values():
    rng = np.random.default_rng(1)
    assert float(trace_distance_to_maximally_mixed(BELL, 1)) == pytest.approx(0.0, abs=1e-14)
    for n_v in (1, 2, 3):
        prod = random_product_state(4, rng)
        t = float(trace_distance_to_maximally_mixed(prod, n_v))
        assert t == pytest.approx(1 - 2.0**-n_v, abs=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("n, n_v", [(3, 1), (4, 3), (5, 4)])
def test_trace_distance_matches_dense_eigendecomposition(n, n_v):
    psi = haar_state(n, 21, batch=4)
    rho = np.asarray(reduced_density_matrix(psi, n_v))
    d_v = 2**n_v
    dense = 0.5 * np.abs(np.linalg.eigvalsh(rho - np.eye(d_v) / d_v)).sum(-1)
    np.testing.assert_allclose(
        np.asarray(trace_distance_to_maximally_mixed(psi, n_v)), dense, atol=1e-12
    )


def _pinsker_test_batches():
    """(states, n_v) batches: Haar, product, partially entangled, nearly maximally mixed."""
    rng = np.random.default_rng(2024)
    batches = [(np.asarray(haar_state(5, 77, batch=40)), 2)]
    products = np.stack([random_product_state(5, rng) for _ in range(10)])
    batches += [(products, n_v) for n_v in (1, 2, 3, 4)]
    partial = [schmidt_state(rng.dirichlet(np.full(4, 0.3)), 4, 8, rng) for _ in range(20)]
    for eps in (0.0, 1e-9, 1e-6, 1e-4, 1e-2):
        partial.append(schmidt_state(0.25 + eps * np.array([1, -1, 1, -1]), 4, 8, rng))
    batches.append((np.stack(partial), 2))
    return batches


@pytest.mark.slow
def test_pinsker_bound_holds_on_every_state():
    for states, n_v in _pinsker_test_batches():
        full_norm = 2 * np.asarray(trace_distance_to_maximally_mixed(states, n_v))
        bound = np.asarray(pinsker_bound(states, n_v))
        assert not np.any(np.isnan(bound))
        assert np.all(full_norm <= bound * (1 + 1e-6) + 1e-13), (full_norm, bound)


@pytest.mark.slow
def test_pinsker_bound_value_and_zero_at_maximally_mixed():
    # Bell pairs: S = log2 d_V exactly -> bound 0, no NaN.
    assert float(pinsker_bound(bell_pairs(2), 2)) == pytest.approx(0.0, abs=1e-7)
    # Agrees with the textbook form sqrt(2 ln2 (log2 d_V - S_bits)) on generic states.
    psi = haar_state(5, 31, batch=20)
    for n_v in (1, 2, 3, 4):
        s_bits = np.asarray(entanglement_entropy(psi, n_v))
        naive = np.sqrt(2 * np.log(2) * (n_v - s_bits))
        np.testing.assert_allclose(np.asarray(pinsker_bound(psi, n_v)), naive, rtol=1e-10)
    rng = np.random.default_rng(3)
    prod = random_product_state(3, rng)
    assert float(pinsker_bound(prod, 1)) == pytest.approx(math.sqrt(2 * math.log(2)), abs=1e-10)


# ----------------------------------------------------------------------------- batching
@pytest.mark.slow
def test_batching_shapes_and_elementwise_equality():
    n, n_v = 4, 1
    psi = haar_state(n, 5, batch=(3, 4))
    assert psi.shape == (3, 4, 16)
    outs = {
        "rho": reduced_density_matrix(psi, n_v),
        "rho_h": reduced_density_matrix(psi, n_v, keep="hidden"),
        "p": schmidt_coefficients(psi, n_v),
        "S": entanglement_entropy(psi, n_v),
        "S2": entanglement_entropy(psi, n_v, alpha=2),
        "pur": purity(psi, n_v),
        "T": trace_distance_to_maximally_mixed(psi, n_v),
        "pin": pinsker_bound(psi, n_v),
    }
    shapes = {"rho": (3, 4, 2, 2), "rho_h": (3, 4, 8, 8), "p": (3, 4, 2)}
    for name, out in outs.items():
        assert out.shape == shapes.get(name, (3, 4)), name
    single = {
        "rho": lambda s: reduced_density_matrix(s, n_v),
        "rho_h": lambda s: reduced_density_matrix(s, n_v, keep="hidden"),
        "p": lambda s: schmidt_coefficients(s, n_v),
        "S": lambda s: entanglement_entropy(s, n_v),
        "S2": lambda s: entanglement_entropy(s, n_v, alpha=2),
        "pur": lambda s: purity(s, n_v),
        "T": lambda s: trace_distance_to_maximally_mixed(s, n_v),
        "pin": lambda s: pinsker_bound(s, n_v),
    }
    for i, j in [(0, 0), (1, 2), (2, 3)]:
        for name, f in single.items():
            np.testing.assert_allclose(
                np.asarray(outs[name][i, j]), np.asarray(f(psi[i, j])), atol=1e-13
            )


@pytest.mark.slow
def test_jit_compatible():
    psi = haar_state(4, 2, batch=3)
    f = jax.jit(lambda s: entanglement_entropy(s, 2))
    np.testing.assert_allclose(
        np.asarray(f(psi)), np.asarray(entanglement_entropy(psi, 2)), atol=1e-14
    )


# ----------------------------------------------------------------------------- dtypes
@pytest.mark.slow
def test_dtypes_complex64_preserved_and_real_promoted():
    psi64 = haar_state(3, 0, dtype=jnp.complex64)
    assert psi64.dtype == jnp.complex64
    assert reduced_density_matrix(psi64, 1).dtype == jnp.complex64
    assert entanglement_entropy(psi64, 1).dtype == jnp.float32
    arr, n = validate_state(np.array([1.0, 0.0, 0.0, 0.0]))
    assert arr.dtype == jnp.complex128 and n == 2
    arr32, _ = validate_state(np.array([1.0, 0.0], dtype=np.float32))
    assert arr32.dtype == jnp.complex64
    assert float(entanglement_entropy([2**-0.5, 0, 0, 2**-0.5], 1, alpha=2)) == pytest.approx(1.0)


# ----------------------------------------------------------------------------- errors
def test_state_length_errors():
    with pytest.raises(
        ValueError, match=r"state length must be a power of two \(2\*\*n, n >= 1\); got 12\."
    ):
        validate_state(np.ones(12))
    with pytest.raises(ValueError, match=r"power of two .*got 1\."):
        entanglement_entropy(np.ones(1), 1)
    with pytest.raises(ValueError, match=r"got a 0-d array"):
        validate_state(1.0)
    with pytest.raises(TypeError, match=r"numeric .* got dtype bool"):
        validate_state(np.array([True, False]))
    with pytest.raises(TypeError, match=r"numeric .* got dtype <U1"):
        validate_state(np.array(["a", "b"]))


@pytest.mark.parametrize("n_v", [0, 3, -1])
def test_n_visible_range_errors(n_v):
    with pytest.raises(
        ValueError, match=rf"n_visible must be in 1\.\.2 for a 3-qubit state; got {n_v}\."
    ):
        entanglement_entropy(np.asarray(haar_state(3, 0)), n_v)


def test_n_visible_type_and_small_state_errors():
    with pytest.raises(TypeError, match=r"n_visible must be an int; got float\."):
        purity(BELL, 1.0)
    with pytest.raises(TypeError, match=r"n_visible must be an int; got bool\."):
        check_n_visible(True, 3)
    with pytest.raises(ValueError, match=r"at least 2 qubits; got a 1-qubit state"):
        reduced_density_matrix(np.array([1.0, 0.0]), 1)
    assert check_n_visible(np.int64(2), 3) == 2


def test_alpha_base_keep_errors():
    with pytest.raises(
        ValueError, match=r"alpha must be >= 0 \(a real number or inf\); got -1\.0\."
    ):
        entanglement_entropy(BELL, 1, alpha=-1)
    with pytest.raises(ValueError, match=r"alpha must be >= 0 .*got nan"):
        entanglement_entropy(BELL, 1, alpha=float("nan"))
    with pytest.raises(TypeError, match=r"alpha must be a real number .*got str\."):
        entanglement_entropy(BELL, 1, alpha="2")
    with pytest.raises(
        ValueError, match=r"base must be a finite real number > 0 and != 1; got 1\.0\."
    ):
        entanglement_entropy(BELL, 1, base=1)
    with pytest.raises(TypeError, match=r"base must be a real number .*got str\."):
        entanglement_entropy(BELL, 1, base="e")
    with pytest.raises(ValueError, match=r"keep must be 'visible' or 'hidden'; got 'both'\."):
        reduced_density_matrix(BELL, 1, keep="both")


def test_sampler_argument_errors():
    with pytest.raises(TypeError, match=r"seed must be an int or a jax.random key; got float\."):
        haar_state(2, 1.5)
    with pytest.raises(TypeError, match=r"n must be an int; got float\."):
        haar_state(2.0, 0)
    with pytest.raises(ValueError, match=r"n must be >= 1; got 0\."):
        haar_state(0, 0)
    with pytest.raises(ValueError, match=r"d must be >= 1; got 0\."):
        haar_unitary(0, 0)
    with pytest.raises(TypeError, match=r"dtype must be complex64 or complex128; got float64\."):
        haar_state(2, 0, dtype=jnp.float64)
    with pytest.raises(TypeError, match=r"batch must be an int or a tuple of non-negative ints"):
        haar_unitary(2, 0, batch=(2.0,))


# ----------------------------------------------------------------------------- sampling
@pytest.mark.slow
def test_haar_state_shape_norm_and_reproducibility():
    a = haar_state(3, 42, batch=(2, 5))
    assert a.shape == (2, 5, 8) and a.dtype == jnp.complex128
    np.testing.assert_allclose(np.linalg.norm(np.asarray(a), axis=-1), 1.0, atol=1e-14)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(haar_state(3, 42, batch=(2, 5))))
    assert not np.allclose(np.asarray(a), np.asarray(haar_state(3, 43, batch=(2, 5))))
    key = jax.random.PRNGKey(42)
    np.testing.assert_array_equal(np.asarray(haar_state(3, key, batch=(2, 5))), np.asarray(a))
    typed = haar_state(3, jax.random.key(1), batch=4)
    assert typed.shape == (4, 8)


@pytest.mark.slow
def test_haar_unitary_is_unitary_and_reproducible():
    u = np.asarray(haar_unitary(8, 1, batch=(2, 3)))
    assert u.shape == (2, 3, 8, 8)
    eye = np.eye(8)
    np.testing.assert_allclose(
        np.einsum("...ji,...jk->...ik", u.conj(), u), np.broadcast_to(eye, u.shape), atol=1e-12
    )
    np.testing.assert_allclose(
        u @ np.swapaxes(u.conj(), -1, -2), np.broadcast_to(eye, u.shape), atol=1e-12
    )
    np.testing.assert_array_equal(u, np.asarray(haar_unitary(8, 1, batch=(2, 3))))
    assert not np.allclose(u, np.asarray(haar_unitary(8, 2, batch=(2, 3))))
    assert haar_unitary(2, 0, dtype=jnp.complex64).dtype == jnp.complex64


@pytest.mark.slow
def test_haar_unitary_entry_moments():
    d, n_samples = 4, 4000
    u = np.asarray(haar_unitary(d, 123, batch=n_samples))
    x = np.abs(u[:, 0, 0]) ** 2
    y = x**2
    se_x = x.std(ddof=1) / np.sqrt(n_samples)
    se_y = y.std(ddof=1) / np.sqrt(n_samples)
    assert abs(x.mean() - 1 / d) < 4 * se_x
    assert abs(y.mean() - 2 / (d * (d + 1))) < 4 * se_y
    # Entry phases are uniform (Mezzadri phase fix), so E[U_01] = 0.
    z = u[:, 0, 1]
    assert abs(z.mean()) < 4 * np.sqrt(1 / d / n_samples)


# ----------------------------------------------------------------------------- gradients
def _two_qubit_state(theta):
    c, s = jnp.cos(theta), jnp.sin(theta)
    return jnp.array([c, 0.0, 0.0, s], dtype=jnp.complex128)


@pytest.mark.parametrize("alpha", [1, 2, 3, math.inf])
def test_gradient_is_finite_at_product_state(alpha):
    grad_f = jax.jit(jax.grad(lambda t: entanglement_entropy(_two_qubit_state(t), 1, alpha=alpha)))
    g = float(grad_f(0.0))
    assert math.isfinite(g) and g == pytest.approx(0.0, abs=1e-12)
    # Product state in a random local basis (non-trivial singular vectors).
    rng = np.random.default_rng(4)
    a = jnp.asarray(random_product_state(3, rng))
    b = jnp.asarray(random_product_state(3, rng))

    def h(t):
        psi = jnp.cos(t) * a + jnp.sin(t) * b
        return entanglement_entropy(psi / jnp.linalg.norm(psi), 1, alpha=alpha)

    assert math.isfinite(float(jax.jit(jax.grad(h))(0.0)))


def test_gradients_of_pinsker_and_purity_are_finite_at_product_state():
    for f in (pinsker_bound, purity):
        g = jax.jit(jax.grad(lambda t, f=f: f(_two_qubit_state(t), 1)))(0.0)
        assert math.isfinite(float(g))


def test_gradient_matches_analytic_binary_entropy():
    theta = 0.3
    c = math.cos(theta) ** 2
    expected = math.log2((1 - c) / c) * (-math.sin(2 * theta))
    g = float(jax.jit(jax.grad(lambda t: entanglement_entropy(_two_qubit_state(t), 1)))(theta))
    assert g == pytest.approx(expected, rel=1e-10)


# ----------------------------------------------------------------------------- Gram-matrix Schmidt
@pytest.mark.slow
def test_schmidt_probabilities_match_svd_for_both_cut_orientations():
    psi = np.asarray(haar_state(7, 12, batch=5))
    for n_v in range(1, 7):
        p = np.asarray(schmidt_coefficients(psi, n_v))
        s = np.linalg.svd(psi.reshape(5, 2**n_v, -1), compute_uv=False) ** 2
        np.testing.assert_allclose(p, s, atol=1e-14)


@pytest.mark.slow
def test_zero_schmidt_probabilities_are_at_the_epsilon_squared_level():
    """Product states in random local bases: the vanishing p_i come out ~1e-32, not ~1e-16."""
    rng = np.random.default_rng(5)
    states = np.stack([random_product_state(6, rng) for _ in range(6)])
    for n_v in (1, 3, 5):
        p = np.asarray(schmidt_coefficients(states, n_v))
        np.testing.assert_allclose(p[:, 0], 1.0, atol=1e-14)
        assert np.all(p[:, 1:] >= 0) and np.all(p[:, 1:] < 1e-28), p[:, 1:].max()
        # so even Rényi-1/2 (sensitive to √p) is zero to 1e-13
        s_half = np.asarray(entanglement_entropy(states, n_v, alpha=0.5))
        np.testing.assert_allclose(s_half, 0.0, atol=1e-13)


def test_unnormalised_input_is_refused_not_renormalised():
    """2ψ used to give −8 bits; every function of a pure state now refuses it."""
    for fn in (
        schmidt_coefficients,
        entanglement_entropy,
        reduced_density_matrix,
        purity,
        trace_distance_to_maximally_mixed,
        pinsker_bound,
    ):
        with pytest.raises(ValueError, match=r"state is not normalised: ‖ψ‖² = 4"):
            fn(2 * BELL, 1)
    rng = np.random.default_rng(6)
    psi = rng.normal(size=(4, 32)) + 1j * rng.normal(size=(4, 32))  # norms ≠ 1
    with pytest.raises(ValueError, match=r"\(instance 3 of 4\)"):
        entanglement_entropy(psi, 2)
    psi = psi / np.linalg.norm(psi, axis=-1, keepdims=True)
    for n_v in (1, 2, 4):  # once normalised, the formula on the SVD's squared singular values
        s = np.linalg.svd(psi.reshape(4, 2**n_v, -1), compute_uv=False) ** 2
        want = -np.sum(s * np.log2(s), -1)
        np.testing.assert_allclose(np.asarray(entanglement_entropy(psi, n_v)), want, rtol=1e-12)


def _real_params(psi):
    return jnp.concatenate([jnp.real(psi), jnp.imag(psi)])


def _from_real(x):
    half = x.shape[0] // 2
    return x[:half] + 1j * x[half:]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["product", "bell_pairs", "haar"])
@pytest.mark.parametrize("alpha", [1, 2])
@pytest.mark.parametrize("n_v", [1, 2])
def test_entropy_gradient_wrt_state_matches_finite_differences(kind, alpha, n_v):
    """Gradients w.r.t. all 2·2**n real parameters of the state, also at degenerate spectra
    (product: p = (1, 0, 0, 0); Bell pairs: p = (¼, ¼, ¼, ¼) for n_v = 2)."""
    rng = np.random.default_rng(7)
    psi = {
        "product": random_product_state(4, rng),
        "bell_pairs": bell_pairs(2),
        "haar": np.asarray(haar_state(4, 3)),
    }[kind]
    f = jax.jit(lambda x: entanglement_entropy(_from_real(x), n_v, alpha=alpha))
    x0 = _real_params(jnp.asarray(psi))
    g = np.asarray(jax.grad(f)(x0))
    assert np.all(np.isfinite(g))
    h = 1e-6
    for _ in range(3):
        direction = rng.normal(size=x0.shape)
        direction /= np.linalg.norm(direction)
        fd = (float(f(x0 + h * direction)) - float(f(x0 - h * direction))) / (2 * h)
        assert g @ direction == pytest.approx(fd, abs=1e-6), (g @ direction, fd)


@pytest.mark.slow
def test_distance_gradients_are_finite_at_degenerate_states():
    for psi, n_v in ((bell_pairs(2), 2), (random_product_state(4, np.random.default_rng(8)), 2)):
        x0 = _real_params(jnp.asarray(psi))
        for fn in (trace_distance_to_maximally_mixed, pinsker_bound):
            g = jax.grad(lambda x, fn=fn, n_v=n_v: fn(_from_real(x), n_v))(x0)
            assert np.all(np.isfinite(np.asarray(g)))


def test_schmidt_kernel_memory_is_linear_in_the_state_size():
    """1000 states of 12 qubits, n_v = 1: the compiled kernel's scratch memory stays at a few
    times the input (an SVD of the 2 × 2048 cut reserved 2048² per state, 67 GB in total)."""
    from ebp.quantum_info._entanglement import _entropy_kernel, _schmidt_probs

    arg = jax.ShapeDtypeStruct((1000, 4096), jnp.complex128)
    for compiled in (
        _schmidt_probs.lower(arg, 1).compile(),
        _entropy_kernel.lower(arg, 1, "von_neumann", 1.0, 1e-12, math.log(2)).compile(),
    ):
        mem = compiled.memory_analysis()
        assert mem is not None, "the CPU backend must report memory_analysis()"
        assert mem.temp_size_in_bytes < 4 * 1000 * 4096 * 16, mem.temp_size_in_bytes


@pytest.mark.slow
def test_large_lopsided_cut_runs_and_matches_numpy():
    psi = haar_state(12, 1, batch=64)
    s = np.asarray(entanglement_entropy(psi, 1))
    m = np.asarray(psi[:4]).reshape(4, 2, 2048)
    p = np.linalg.svd(m, compute_uv=False) ** 2
    np.testing.assert_allclose(s[:4], -np.sum(p * np.log2(p), -1), atol=1e-12)
    assert np.all((s > 0.99) & (s <= 1.0))


@pytest.mark.slow
def test_complex64_schmidt_and_entropy():
    psi = haar_state(6, 2, batch=3, dtype=jnp.complex64)
    p = schmidt_coefficients(psi, 2)
    assert p.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(p).sum(-1), 1.0, atol=1e-5)
    rng = np.random.default_rng(9)
    prod = jnp.asarray(random_product_state(4, rng), dtype=jnp.complex64)
    for alpha in (0.5, 1, 2):
        assert abs(float(entanglement_entropy(prod, 2, alpha=alpha))) < 1e-5


def test_density_matrix_functions_agree_with_the_state_level_ones():
    import ebp
    from ebp.quantum_info import distance_to_maximally_mixed, von_neumann_entropy

    psi = ebp.haar_state(5, seed=3, batch=(4,))
    rho = np.asarray(ebp.reduced_density_matrix(psi, 2))
    np.testing.assert_allclose(
        von_neumann_entropy(rho), np.asarray(ebp.entanglement_entropy(psi, 2)), atol=1e-12
    )
    np.testing.assert_allclose(
        distance_to_maximally_mixed(rho),
        np.asarray(ebp.trace_distance_to_maximally_mixed(psi, 2)),
        atol=1e-12,
    )
    p = np.array([0.5, 0.25, 0.25, 0.0])
    import scipy.stats

    assert von_neumann_entropy(np.diag(p)) == pytest.approx(scipy.stats.entropy(p, base=2))
    assert von_neumann_entropy(np.diag(p), base=np.e) == pytest.approx(scipy.stats.entropy(p))
    assert distance_to_maximally_mixed(np.eye(4) / 4) == pytest.approx(0.0, abs=1e-15)
