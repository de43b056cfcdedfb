"""Claim C1 made concrete: entanglement alone pins every bounded visible cost.

For any observable O on V and any visible state ρ_V (Hölder's inequality),

.. math:: \\big|\\operatorname{Tr}(Oρ_V) − \\operatorname{Tr}(O)/d_V\\big|
          = \\big|\\operatorname{Tr}\\big(O(ρ_V − I/d_V)\\big)\\big|
          ≤ ‖O‖_∞ \\, ‖ρ_V − I/d_V‖_1 ,

so when V and H are volume-law entangled (ρ_V ≈ I/d_V) the cost cannot move away from Tr(O)/d_V,
whatever the parameters (arXiv:2010.15968, Sec. III).
"""

from __future__ import annotations

import numpy as np

from ._objectives import Linear, as_objective

__all__ = ["cost_deviation_bound"]


def cost_deviation_bound(rho_visible, observable) -> tuple[np.ndarray, np.ndarray]:
    """Per state: (|Tr(Oρ_V) − Tr(O)/d_V|, ‖O‖_∞ · ‖ρ_V − I/d_V‖₁).

    Args:
        rho_visible: visible reduced states ``(..., d_V, d_V)`` (e.g. ``Evaluation.rho_visible``).
        observable: a visible observable (Pauli string/sum on wires < n_V, d_V × d_V matrix, or
            a :class:`~ebp.landscape.Linear` objective).

    Returns:
        ``(deviation, bound)``, numpy arrays of shape ``(...,)``; deviation ≤ bound always.
    """
    rho = np.asarray(rho_visible, dtype=complex)
    if rho.ndim < 2 or rho.shape[-1] != rho.shape[-2] or rho.shape[-1] < 2:
        raise ValueError(f"rho_visible must have shape (..., d_V, d_V); got {rho.shape}.")
    d = rho.shape[-1]
    obj = as_objective(observable, d.bit_length() - 1)
    if not isinstance(obj, Linear):
        raise TypeError("the bound is for linear objectives Tr(O ρ_V); pass an observable.")
    o = obj.observable
    value = np.real(np.einsum("ij,...ji->...", o, rho))
    deviation = np.abs(value - np.trace(o).real / d)
    diff = rho - np.eye(d) / d
    one_norm = np.sum(
        np.abs(np.linalg.eigvalsh((diff + np.conj(np.swapaxes(diff, -1, -2))) / 2)), axis=-1
    )
    return deviation, obj.norm * one_norm
