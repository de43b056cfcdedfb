"""Functions of density matrices (rather than of pure states over the V|H cut).

For a reduced state ρ_V that is already at hand — a circuit's visible state, a QBM's visible
marginal — these avoid going back to the state vector. Batched over leading axes, numpy.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from .._checks import check_density_matrix, check_positive_semidefinite, tolerance_of

__all__ = ["distance_to_maximally_mixed", "von_neumann_entropy"]


def von_neumann_entropy(rho: ArrayLike, base: float = 2) -> np.ndarray:
    """S(ρ) = −Tr ρ log ρ (bits by default; 0 log 0 = 0) for density matrices ``(..., d, d)``.

    Computed from the eigenvalues λ_i of ρ as −Σ_i λ_i log λ_i. ``rho`` must be Hermitian with
    unit trace and no negative eigenvalue, each to within 1e-8 (1e-4 in single precision), else a
    ``ValueError``; eigenvalues are then clipped to [0, 1] against rounding.

    Args:
        rho: density matrices of shape ``(..., d, d)``.
        base: logarithm base; default 2 (bits).

    Returns:
        Real array of shape ``(...)``.

    References:
        M. A. Nielsen and I. L. Chuang, *Quantum Computation and Quantum Information*
        (Cambridge University Press, 2000), §11.3.

    Examples:
        >>> import numpy as np
        >>> from ebp.quantum_info import von_neumann_entropy
        >>> float(von_neumann_entropy(np.eye(2) / 2))
        1.0
    """
    rho = check_density_matrix(rho)
    w = np.linalg.eigvalsh(rho)
    check_positive_semidefinite(w, tolerance_of(rho.dtype))
    w = np.clip(w, 0.0, 1.0)
    logs = np.log(np.where(w > 0, w, 1.0)) / math.log(base)
    return -np.sum(w * logs, axis=-1) + 0.0  # + 0.0: no −0.0 for pure states


def distance_to_maximally_mixed(rho: ArrayLike) -> np.ndarray:
    """T(ρ, I/d) = ½‖ρ − I/d‖₁ for density matrices ``(..., d, d)``.

    Computed from the eigenvalues λ_i of ρ as ½ Σ_i |λ_i − 1/d|. ``rho`` must be Hermitian with
    unit trace and no negative eigenvalue (as in :func:`von_neumann_entropy`).

    Args:
        rho: density matrices of shape ``(..., d, d)``.

    Returns:
        Real array of shape ``(...)`` with values in [0, 1 − 1/d].

    References:
        M. A. Nielsen and I. L. Chuang, *Quantum Computation and Quantum Information*
        (Cambridge University Press, 2000), §9.2.1 (trace distance); the distance of ρ_V to
        I/d_V is the measure of arXiv:2010.15968.

    Examples:
        >>> import numpy as np
        >>> from ebp.quantum_info import distance_to_maximally_mixed
        >>> float(distance_to_maximally_mixed(np.diag([1.0, 0.0])))
        0.5
    """
    rho = check_density_matrix(rho)
    w = np.linalg.eigvalsh(rho)  # the eigenvalues of ρ − I/d are w − 1/d
    check_positive_semidefinite(w, tolerance_of(rho.dtype))
    return 0.5 * np.sum(np.abs(w - 1.0 / rho.shape[-1]), axis=-1)
