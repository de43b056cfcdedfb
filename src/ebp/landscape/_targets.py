"""Fixed targets and observables on the visible register, drawn from a seed.

* :func:`thermal_state` — the paper's target: the Gibbs state e^{−βĤ}/Z of a random 2-local
  Hamiltonian Ĥ (on-site N(0, 0.1²), off-site N(0, 1) Pauli coefficients) normalised to ‖Ĥ‖ = 1
  (arXiv:2010.15968, Sec. V).
* :func:`global_projector` — |0…0⟩⟨0…0| on V, the global cost of Cerezo et al.
  (Nat. Commun. 12, 1791 (2021), arXiv:2001.00550).
* :func:`random_observable` — U diag(λ) U† with U Haar and λ uniform in [−1, 1]: a generic bounded
  Hermitian O with ‖O‖ ≤ 1.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .._checks import check_int
from ..circuit import pauli_matrix
from ..quantum_info import random_two_local_terms

__all__ = ["global_projector", "random_observable", "thermal_state", "two_local_hamiltonian"]


def _check_n(n_visible) -> int:
    check_int("n_visible", n_visible, brief=True)
    if not 1 <= n_visible <= 12:
        raise ValueError(f"n_visible must be in 1..12 for a dense target; got {n_visible}.")
    return int(n_visible)


def two_local_hamiltonian(
    n_visible: int,
    *,
    seed: int,
    onsite_std: float = 0.1,
    offsite_std: float = 1.0,
    normalise: bool = True,
) -> np.ndarray:
    """Dense random 2-local Hamiltonian on ``n_visible`` qubits (terms of
    :func:`ebp.quantum_info.random_two_local_terms`), divided by its operator norm if
    ``normalise``."""
    n = _check_n(n_visible)
    h = np.zeros((2**n, 2**n), dtype=complex)
    for coeff, label, wires in random_two_local_terms(
        n, seed=seed, onsite_std=onsite_std, offsite_std=offsite_std
    ):
        letters = ["I"] * n
        for w, a in zip(wires, label):
            letters[w] = a
        h += coeff * pauli_matrix("".join(letters))
    if normalise:
        h /= np.max(np.abs(np.linalg.eigvalsh(h)))
    return h


def thermal_state(n_visible: int, *, seed: int, beta: float = 1.0, **kwargs) -> np.ndarray:
    """ρ = e^{−βĤ}/Tr e^{−βĤ} for Ĥ = :func:`two_local_hamiltonian` (‖Ĥ‖ = 1).

    Computed as e^{−β(Ĥ − E₀)} normalised, so it never overflows.
    """
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be finite and >= 0; got {beta!r}.")
    h = two_local_hamiltonian(n_visible, seed=seed, **kwargs)
    e0 = np.linalg.eigvalsh(h)[0]
    rho = scipy.linalg.expm(-beta * (h - e0 * np.eye(len(h))))
    rho = (rho + rho.conj().T) / 2
    return rho / np.trace(rho).real


def global_projector(n_visible: int) -> np.ndarray:
    """|0…0⟩⟨0…0| on the visible register (d_V × d_V)."""
    n = _check_n(n_visible)
    p = np.zeros((2**n, 2**n), dtype=complex)
    p[0, 0] = 1.0
    return p


def random_observable(n_visible: int, *, seed: int) -> np.ndarray:
    """U diag(λ) U†, U Haar on C^{d_V} (QR of a Ginibre matrix with phase fix, Mezzadri,
    arXiv:math-ph/0609050), λ_i uniform in [−1, 1]; so ‖O‖ ≤ 1."""
    n = _check_n(n_visible)
    d = 2**n
    rng = np.random.default_rng(seed)
    z = (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    q = q * (np.diagonal(r) / np.abs(np.diagonal(r)))
    lam = rng.uniform(-1.0, 1.0, size=d)
    o = (q * lam) @ q.conj().T
    return (o + o.conj().T) / 2
