"""Concentration of ρ_V around I/d_V for Haar-random pure states.

Names say what is bounded:
‖X‖₁ = Tr|X| is the FULL trace norm, T = ½‖ρ_V − I/d_V‖₁ the trace distance
(as returned by ``ebp.quantum_info.trace_distance_to_maximally_mixed``).
d_V = ``2**n_visible``, d_H = ``2**n_hidden``, d = d_V·d_H.
"""

from __future__ import annotations

import math

import numpy as np

from ._haar import _dims, _out, _real

__all__ = [
    "typical_trace_distance_bound",
    "mean_trace_distance_bound",
    "mean_trace_distance_bound_lubkin",
    "levy_tail_bound",
]

PSW_CONSTANT = 1.0 / (18.0 * math.pi**3)
"""Constant C = 1/(18π³) of Popescu–Short–Winter's canonical-typicality theorem (S. Popescu,
A. J. Short and A. Winter, Nature Physics 2, 754 (2006), arXiv:quant-ph/0511225, Theorem 1)."""


def typical_trace_distance_bound(
    n_visible: int | np.ndarray, n_hidden: int | np.ndarray
) -> float | np.ndarray:
    """Bound on the mean FULL trace norm: E‖ρ_V − I/d_V‖₁ ≤ √(d_V/d_H).

    Derivation: ‖X‖₁ ≤ √d_V ‖X‖₂ for a d_V×d_V matrix; Jensen gives
    E‖X‖₂ ≤ √(E‖X‖₂²); with Lubkin, E‖ρ_V − I/d_V‖₂² = E Tr ρ_V² − 1/d_V
    = (d_V² − 1)/(d_V(d_V d_H + 1)) ≤ 1/d_H.  This is the "√(d_S/d_E)" term of
    Popescu–Short–Winter.  The bound on E[T] is half of it
    (:func:`mean_trace_distance_bound`).

    Args:
        n_visible: number of visible qubits (>= 0), int or integer array.
        n_hidden: number of hidden qubits (>= 0), int or integer array.

    Returns:
        √(d_V/d_H): Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        S. Popescu, A. J. Short and A. Winter, Nature Physics 2, 754 (2006),
        arXiv:quant-ph/0511225; arXiv:2010.15968.

    Examples:
        >>> from ebp.theory import typical_trace_distance_bound
        >>> typical_trace_distance_bound(1, 3)  # √(2/8)
        0.5
    """
    d_v, d_h = _dims(n_visible, n_hidden)
    return _out(np.sqrt(d_v / d_h))


def mean_trace_distance_bound(
    n_visible: int | np.ndarray, n_hidden: int | np.ndarray
) -> float | np.ndarray:
    """Bound on the mean trace distance: E[T] = ½ E‖ρ_V − I/d_V‖₁ ≤ ½√(d_V/d_H).

    Half of :func:`typical_trace_distance_bound` (same derivation).  This is the
    scaling plotted in arXiv:2010.15968 (at d_V = 2, a straight line of slope
    −½ in log₂ d_H on log-log axes).

    Args:
        n_visible: number of visible qubits (>= 0), int or integer array.
        n_hidden: number of hidden qubits (>= 0), int or integer array.

    Returns:
        ½√(d_V/d_H): Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        Popescu, Short & Winter (2006), arXiv:quant-ph/0511225; arXiv:2010.15968.

    Examples:
        >>> from ebp.theory import mean_trace_distance_bound
        >>> mean_trace_distance_bound(1, 3)  # ½√(2/8)
        0.25
    """
    d_v, d_h = _dims(n_visible, n_hidden)
    return _out(0.5 * np.sqrt(d_v / d_h))


def mean_trace_distance_bound_lubkin(
    n_visible: int | np.ndarray, n_hidden: int | np.ndarray
) -> float | np.ndarray:
    """Tighter bound on the mean trace distance using Lubkin's exact mean purity.

    .. math::
        E[T] ≤ ½ \\sqrt{d_V (E\\operatorname{Tr}ρ_V^2 − 1/d_V)}
             = ½ \\sqrt{(d_V^2 − 1)/(d_V d_H + 1)} ≤ ½ \\sqrt{d_V/d_H},

    from ‖X‖₁ ≤ √d_V ‖X‖₂, Jensen, and E Tr ρ_V² = (d_V + d_H)/(d_V d_H + 1).

    Args:
        n_visible: number of visible qubits (>= 0), int or integer array.
        n_hidden: number of hidden qubits (>= 0), int or integer array.

    Returns:
        Bound on E[T]: Python float (scalar inputs) or numpy array of the inputs' broadcast
            shape.

    References:
        E. Lubkin, J. Math. Phys. 19, 1028 (1978); arXiv:2010.15968.

    Examples:
        >>> from ebp.theory import mean_trace_distance_bound, mean_trace_distance_bound_lubkin
        >>> round(mean_trace_distance_bound_lubkin(1, 3), 6), mean_trace_distance_bound(1, 3)
        (0.210042, 0.25)
    """
    d_v, d_h = _dims(n_visible, n_hidden)
    return _out(0.5 * np.sqrt((d_v * d_v - 1.0) / (d_v * d_h + 1.0)))


def levy_tail_bound(
    n_visible: int | np.ndarray, n_hidden: int | np.ndarray, eps: float | np.ndarray
) -> float | np.ndarray:
    """Popescu–Short–Winter (Lévy's lemma) tail bound on the FULL trace norm.

    Canonical typicality with the whole space as the restricted subspace
    (d_R = d, Ω_V = I/d_V, d_E^eff = d_H): for Haar-random |ψ⟩ and ε > 0,

    .. math::
        \\Pr\\big[‖ρ_V − I/d_V‖_1 ≥ ε + \\sqrt{d_V/d_H}\\big] ≤ 2\\exp(−C d ε^2),
        \\qquad C = 1/(18π^3).

    Returns the right-hand side clipped to 1.  In terms of T this is
    Pr[T ≥ (ε + √(d_V/d_H))/2].  The bound is vacuous (≈ 1) unless
    d ε² ≳ 18π³ ln 2 ≈ 390.

    Args:
        n_visible: number of visible qubits (>= 0), int or integer array.
        n_hidden: number of hidden qubits (>= 0), int or integer array.
        eps: deviation ε >= 0, float or array.

    Returns:
        Probability bound in [0, 1]: Python float (scalar inputs) or numpy array of the inputs'
            broadcast shape.

    References:
        S. Popescu, A. J. Short and A. Winter, Nature Physics 2, 754 (2006),
        arXiv:quant-ph/0511225, Theorem 1.

    Examples:
        >>> from ebp.theory import levy_tail_bound
        >>> levy_tail_bound(1, 9, 0.5)  # d ε² = 256: vacuous
        1.0
        >>> round(levy_tail_bound(1, 12, 0.5), 4)  # d ε² = 2048
        0.051
    """
    d_v, d_h = _dims(n_visible, n_hidden)
    eps = _real("eps", eps)
    if np.any(eps < 0) or np.any(np.isnan(eps)):
        raise ValueError(f"eps must be >= 0; got {eps}.")
    return _out(np.minimum(1.0, 2.0 * np.exp(-PSW_CONSTANT * d_v * d_h * eps * eps)))
