"""Functions of density matrices (rather than of pure states over the V|H cut).

For a reduced state ρ_V that is already at hand — a circuit's visible state, a QBM's visible
marginal — these avoid going back to the state vector. Batched over leading axes, numpy.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["distance_to_maximally_mixed", "von_neumann_entropy"]


def von_neumann_entropy(rho, base: float = 2) -> np.ndarray:
    """S(ρ) = −Tr ρ log ρ (bits by default; 0 log 0 = 0) for density matrices ``(..., d, d)``.

    Eigenvalues are clipped to [0, 1] against rounding.
    """
    w = np.clip(np.linalg.eigvalsh(np.asarray(rho)), 0.0, 1.0)
    logs = np.log(np.where(w > 0, w, 1.0)) / math.log(base)
    return -np.sum(w * logs, axis=-1) + 0.0  # + 0.0: no −0.0 for pure states


def distance_to_maximally_mixed(rho) -> np.ndarray:
    """T(ρ, I/d) = ½‖ρ − I/d‖₁ for density matrices ``(..., d, d)``."""
    rho = np.asarray(rho)
    d = rho.shape[-1]
    return 0.5 * np.sum(np.abs(np.linalg.eigvalsh(rho - np.eye(d) / d)), axis=-1)
