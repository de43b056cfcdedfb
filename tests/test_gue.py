"""GUE Hamiltonians and GUE-evolved states: normalisation, seeding, shapes and typicality."""

import jax
import numpy as np
import pytest

import ebp
from ebp.sim import gue_evolution, gue_hamiltonian
from ebp.theory import page_entropy


def _entropy_bits(states, n_visible, n_qubits):
    """S(ρ_V) in bits from Schmidt coefficients computed with numpy (independent of ebp)."""
    states = np.asarray(states)
    m = states.reshape(states.shape[:-1] + (2**n_visible, 2 ** (n_qubits - n_visible)))
    p = np.linalg.svd(m, compute_uv=False) ** 2
    p = np.where(p > 1e-300, p, 1.0)  # 0·log 0 = 0
    return -np.sum(p * np.log2(p), axis=-1)


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


def test_time_zero_is_initial_state_and_evolution_is_exact():
    np.testing.assert_allclose(np.asarray(gue_evolution(3, 2, t=0.0)), np.eye(8)[0], atol=1e-12)
    # ψ(t) = exp(−iHt)|0⟩ with the same H (same seed), by an independent scipy expm
    from scipy.linalg import expm

    h = np.asarray(gue_hamiltonian(8, 2))
    for t in (0.3, 10.0):
        want = expm(-1j * h * t)[:, 0]
        np.testing.assert_allclose(np.asarray(gue_evolution(3, 2, t=t)), want, atol=1e-10)


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
    # semicircle on [−√2, √2]: second moment (1/d) Tr H² = 1/2, edge close to √2
    ev = np.linalg.eigvalsh(h)
    assert abs(np.mean(ev**2) - 0.5) < 0.05
    assert 1.2 < np.max(ev) < 2.0 and -2.0 < np.min(ev) < -1.2  # finite-d edge fluctuations


def test_hamiltonian_seeding():
    a = np.asarray(gue_hamiltonian(8, 5))
    np.testing.assert_array_equal(a, np.asarray(gue_hamiltonian(8, 5)))
    assert not np.allclose(a, np.asarray(gue_hamiltonian(8, 6)))


@pytest.mark.parametrize("seed", [1.5, "3", None, True], ids=repr)
def test_bad_seed(seed):
    with pytest.raises(TypeError, match="seed must be an int or a jax PRNG key"):
        gue_evolution(2, seed)


def test_bad_time_and_size():
    with pytest.raises(ValueError, match="t must be finite"):
        gue_evolution(2, 0, t=float("inf"))
    with pytest.raises(ValueError, match="need n_visible >= 1"):
        gue_evolution(0, 0)
