"""Seeded training data: target distributions, target states and classification sets.

Conventions: a bit string x of n bits is the integer whose most significant bit is wire 0
(big-endian), so a distribution is a length-2**n array indexed by x and a state vector of n qubits
has amplitude ⟨x|ψ⟩ at index x. Every random draw comes from ``numpy.random.default_rng(seed)``;
nothing is downloaded.

* :func:`bars_and_stripes` — uniform on the 2^rows + 2^cols − 2 bars-and-stripes images
  (MacKay, *Information Theory, Inference, and Learning Algorithms* (2003), Ch. 43; the
  benchmark of Benedetti et al., npj Quantum Inf. 5, 45 (2019), arXiv:1801.07686);
* :func:`random_sparse_distribution` — Dirichlet(1) weights on a few random strings;
* :func:`thermal_distribution` — Boltzmann distribution of a random all-to-all Ising energy;
* :func:`random_pure_state`, :func:`random_product_state`, :func:`random_mixed_state`;
* :func:`classification_dataset` — angles in [0, π] with a parity or halfspace label.
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import check_int, check_seed

__all__ = [
    "bars_and_stripes",
    "classification_dataset",
    "random_mixed_state",
    "random_product_state",
    "random_pure_state",
    "random_sparse_distribution",
    "thermal_distribution",
]

_MAX_BITS = 20


def _rng(seed) -> np.random.Generator:
    return np.random.default_rng(check_seed(seed, brief=True))


def _bits(n: int) -> np.ndarray:
    """(2**n, n) array of the bits of every x, column k = wire k (big-endian)."""
    x = np.arange(2**n)
    return (x[:, None] >> (n - 1 - np.arange(n))[None, :]) & 1


# ------------------------------------------------------------------------------ distributions
def bars_and_stripes(rows: int, cols: int) -> np.ndarray:
    """Uniform distribution on the bars-and-stripes images of a ``rows`` × ``cols`` grid.

    An image is valid when every row is constant (stripes) or every column is constant (bars);
    there are 2^rows + 2^cols − 2 of them (all-0 and all-1 are both). Pixel (i, j) is wire
    i·cols + j (row-major), so an image is the big-endian bit string x = Σ pixel(i, j)·
    2^{n−1−(i·cols+j)}, n = rows·cols.

    Returns:
        q of shape (2**(rows*cols),), q(x) = 1/(2^rows + 2^cols − 2) on valid images, else 0.

    Example: ``np.flatnonzero(bars_and_stripes(2, 2))`` is ``[0, 3, 5, 10, 12, 15]``.
    """
    rows = check_int("rows", rows, minimum=1, maximum=_MAX_BITS, brief=True)
    cols = check_int("cols", cols, minimum=1, maximum=_MAX_BITS, brief=True)
    n = rows * cols
    if n > _MAX_BITS:
        raise ValueError(f"rows*cols must be <= {_MAX_BITS}; got {rows}x{cols} = {n}.")
    images = _bits(n).reshape(-1, rows, cols)
    stripes = np.all(images == images[:, :, :1], axis=(1, 2))  # every row constant
    bars = np.all(images == images[:, :1, :], axis=(1, 2))  # every column constant
    valid = stripes | bars
    return valid / np.sum(valid)


def random_sparse_distribution(n_bits: int, support: int, seed: int) -> np.ndarray:
    """``support`` distinct uniformly random strings with Dirichlet(1, …, 1) weights.

    Returns:
        q of shape (2**n_bits,), non-zero on exactly ``support`` strings (with probability 1).
    """
    n = check_int("n_bits", n_bits, minimum=1, maximum=_MAX_BITS, brief=True)
    k = check_int("support", support, minimum=1, maximum=2**n, brief=True)
    rng = _rng(seed)
    where = rng.choice(2**n, size=k, replace=False)
    q = np.zeros(2**n)
    q[where] = rng.dirichlet(np.ones(k))
    return q


def thermal_distribution(n_bits: int, beta: float, seed: int) -> np.ndarray:
    """Boltzmann distribution q(x) = e^{−βE(x)}/Z of a random classical Ising energy.

    .. math:: E(x) = −\\sum_i h_i s_i − \\sum_{i<j} J_{ij} s_i s_j,
              \\qquad s_i = 1 − 2x_i ∈ \\{±1\\},

    all-to-all (Sherrington–Kirkpatrick-like) with h_i and J_ij drawn i.i.d. from N(0, 1) (fields
    first, then the couplings in (i, j) row-major order). Computed as e^{−β(E − E_min)}/Z.
    """
    n = check_int("n_bits", n_bits, minimum=1, maximum=_MAX_BITS, brief=True)
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)):
        raise TypeError(f"beta must be a real number; got {type(beta).__name__}.")
    if not (math.isfinite(beta) and beta >= 0):
        raise ValueError(f"beta must be finite and >= 0; got {beta!r}.")
    rng = _rng(seed)
    h = rng.normal(size=n)
    j = np.triu(rng.normal(size=(n, n)), k=1)
    s = 1.0 - 2.0 * _bits(n)
    energy = -s @ h - np.einsum("xi,ij,xj->x", s, j, s)
    q = np.exp(-beta * (energy - energy.min()))
    return q / np.sum(q)


# ------------------------------------------------------------------------------ states
def random_pure_state(n_qubits: int, seed: int) -> np.ndarray:
    """Haar-random state vector of ``n_qubits`` (normalised complex Gaussian), shape (2**n,)."""
    n = check_int("n_qubits", n_qubits, minimum=1, maximum=_MAX_BITS, brief=True)
    rng = _rng(seed)
    z = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
    return z / np.linalg.norm(z)


def random_product_state(n_qubits: int, seed: int) -> np.ndarray:
    """⊗_k |ψ_k⟩ with each |ψ_k⟩ Haar on one qubit; wire 0 is the leftmost factor (big-endian)."""
    n = check_int("n_qubits", n_qubits, minimum=1, maximum=_MAX_BITS, brief=True)
    rng = _rng(seed)
    state = np.ones(1, dtype=complex)
    for _ in range(n):
        z = rng.normal(size=2) + 1j * rng.normal(size=2)
        state = np.kron(state, z / np.linalg.norm(z))
    return state


def random_mixed_state(n_qubits: int, rank: int, seed: int) -> np.ndarray:
    """ρ = GG†/Tr(GG†), G a 2**n × ``rank`` complex Ginibre matrix (the induced measure of
    Życzkowski & Sommers, J. Phys. A 34, 7111 (2001), arXiv:quant-ph/0012101); rank ``rank``."""
    n = check_int("n_qubits", n_qubits, minimum=1, maximum=12, brief=True)
    r = check_int("rank", rank, minimum=1, maximum=2**n, brief=True)
    rng = _rng(seed)
    g = rng.normal(size=(2**n, r)) + 1j * rng.normal(size=(2**n, r))
    rho = g @ g.conj().T
    rho = (rho + rho.conj().T) / 2
    return rho / np.trace(rho).real


# ------------------------------------------------------------------------------ classification
CLASSIFICATION_KINDS = ("parity", "halfspace")


def classification_dataset(
    n_features: int, n_samples: int, seed: int, kind: str = "parity"
) -> tuple[np.ndarray, np.ndarray]:
    """Binary classification data for angle encoding |ψ(x)⟩ = ⊗_i R_Y(x_i)|0⟩.

    Angles x_i are uniform in [0, π]; then ⟨Z_i⟩ = cos x_i. Labels:

    * ``"parity"`` — y = (number of i with x_i > π/2) mod 2, i.e. y = 1 iff Π_i cos x_i < 0:
      the sign of ⟨Z⊗…⊗Z⟩;
    * ``"halfspace"`` — y = [Σ_i w_i cos x_i > 0] with w_i ~ N(0, 1) drawn after the angles:
      the sign of a linear combination of ⟨Z_i⟩.

    Returns:
        ``(angles, labels)``, a float array (n_samples, n_features) in [0, π] and an int array
            (n_samples,) in {0, 1}.
    """
    n = check_int("n_features", n_features, minimum=1, maximum=64, brief=True)
    m = check_int("n_samples", n_samples, minimum=1, maximum=10**7, brief=True)
    if kind not in CLASSIFICATION_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CLASSIFICATION_KINDS)}; got {kind!r}.")
    rng = _rng(seed)
    angles = rng.uniform(0.0, math.pi, size=(m, n))
    if kind == "parity":
        labels = np.sum(angles > math.pi / 2, axis=1) % 2
    else:
        w = rng.normal(size=n)
        labels = (np.cos(angles) @ w > 0).astype(int)
    return angles, labels.astype(np.int64)
