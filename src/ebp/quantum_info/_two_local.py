"""The paper's random 2-local Hamiltonian on n qubits, as a list of Pauli terms.

Drawn here, beside the other random ensembles (Haar states and unitaries, GUE Hamiltonians), so
that circuits (:func:`ebp.ansatz.pauli_network`), dense targets
(:func:`ebp.landscape.two_local_hamiltonian`) and Boltzmann machines (:func:`ebp.qbm.paper_qbm`)
share one draw for one seed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["random_two_local_terms"]


def random_two_local_terms(
    n_qubits: int, *, seed: int, onsite_std: float = 0.1, offsite_std: float = 1.0
) -> list[tuple[float, str, tuple[int, ...]]]:
    """All one- and two-qubit Pauli terms with Gaussian coefficients, the paper's random Ĥ.

    .. math:: Ĥ = Σ_{i,a} J^i_a σ^i_a + Σ_{i<j} Σ_{a,b} J^{ij}_{ab} σ^i_a σ^j_b,
              J^i_a ∼ N(0, onsite_std²),\\; J^{ij}_{ab} ∼ N(0, offsite_std²)

    Returns ``[(J, label, wires), …]`` in a canonical order (sites, then pairs; X, Y, Z).
    Reference: arXiv:2010.15968, Sec. V.
    """
    rng = np.random.default_rng(seed)
    terms: list[tuple[float, str, tuple[int, ...]]] = []
    for i in range(n_qubits):
        for a in "XYZ":
            terms.append((float(rng.normal(0.0, onsite_std)), a, (i,)))
    for i in range(n_qubits):
        for j in range(i + 1, n_qubits):
            for a in "XYZ":
                for c in "XYZ":
                    terms.append((float(rng.normal(0.0, offsite_std)), a + c, (i, j)))
    return terms
