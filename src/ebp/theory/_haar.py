"""Closed-form Haar / unitary 2-design moments (no simulation).

Dimensions: a register of ``n_visible`` + ``n_hidden`` qubits has
d_V = ``2**n_visible``, d_H = ``2**n_hidden``, d = d_V·d_H.  Scalar inputs give
Python floats; integer numpy arrays broadcast and give numpy arrays.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "haar_purity",
    "haar_purity_variance",
    "haar_expectation_variance",
    "pauli_expectation_variance",
    "two_design_gradient_variance",
    "two_design_gradient_variance_general",
]


# --------------------------------------------------------------------------- helpers
def _qubit_count(name: str, value, minimum: int = 0) -> np.ndarray:
    """Validate a (possibly array) qubit count and return it as an int64 array."""
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Integral)
        or (isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.integer))
    ):
        raise TypeError(
            f"{name} must be an int or an integer numpy array; got {type(value).__name__}."
        )
    arr = np.asarray(value, dtype=np.int64)
    if np.any(arr < minimum):
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    return arr


def _dims(n_visible, n_hidden, minimum: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return (d_V, d_H) as float64 arrays."""
    n_v = _qubit_count("n_visible", n_visible, minimum)
    n_h = _qubit_count("n_hidden", n_hidden, minimum)
    return np.exp2(n_v.astype(np.float64)), np.exp2(n_h.astype(np.float64))


def _real(name: str, value) -> np.ndarray:
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Real)
        or (isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.number))
    ):
        raise TypeError(f"{name} must be a real number or numpy array; got {type(value).__name__}.")
    return np.asarray(value, dtype=np.float64)


def _dimension(value) -> np.ndarray:
    d = _real("d", value)
    if np.any(d < 2):
        raise ValueError(f"d must be >= 2; got {value}.")
    return d


def _out(x: object) -> float | np.ndarray:
    """Python float for 0-d results, numpy array otherwise."""
    x = np.asarray(x, dtype=np.float64)
    return float(x) if x.ndim == 0 else x


# --------------------------------------------------------------------------- purity
def haar_purity(n_visible: int | np.ndarray, n_hidden: int | np.ndarray) -> float | np.ndarray:
    """Lubkin's mean purity of the reduced state of a Haar-random pure state.

    .. math:: E[\\operatorname{Tr} ρ_V^2] = (d_V + d_H)/(d_V d_H + 1),

    symmetric in V ↔ H.  Exact for Haar states (and for any state 2-design).

    Args:
        n_visible: number of visible qubits (>= 0), int or integer array.
        n_hidden: number of hidden qubits (>= 0), int or integer array.

    Returns:
        Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        E. Lubkin, J. Math. Phys. 19, 1028 (1978); arXiv:2010.15968.

    Examples:
        >>> from ebp.theory import haar_purity
        >>> haar_purity(1, 1)  # (2 + 2)/(2·2 + 1)
        0.8
    """
    d_v, d_h = _dims(n_visible, n_hidden)
    return _out((d_v + d_h) / (d_v * d_h + 1.0))


def haar_purity_variance(
    n_visible: int | np.ndarray, n_hidden: int | np.ndarray
) -> float | np.ndarray:
    """Variance of the purity Tr ρ_V² of a Haar-random pure state.

    With N = d_V, M = d_H:

    .. math:: Var[\\operatorname{Tr} ρ_V^2] = \\frac{2 (N^2-1)(M^2-1)}{(NM+1)^2 (NM+2)(NM+3)}.

    Symmetric in N ↔ M; zero when either side is one-dimensional.  Evaluated
    as a product of O(1) ratios to avoid overflow.  Verified against Monte Carlo
    in ``tests/test_theory.py``.

    Args:
        n_visible: number of visible qubits (>= 0), int or integer array.
        n_hidden: number of hidden qubits (>= 0), int or integer array.

    Returns:
        Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        O. Giraud, "Distribution of bipartite entanglement for random pure
        states", J. Phys. A 40, 2793 (2007).

    Examples:
        >>> from ebp.theory import haar_purity_variance
        >>> round(haar_purity_variance(1, 1), 6)
        0.017143
    """
    n, m = _dims(n_visible, n_hidden)
    nm = n * m
    return _out(2.0 * (n * n - 1.0) / (nm + 1.0) ** 2 * (m * m - 1.0) / ((nm + 2.0) * (nm + 3.0)))


# --------------------------------------------------------------------------- expectations
def haar_expectation_variance(
    tr_o: float | np.ndarray, tr_o2: float | np.ndarray, d: float | np.ndarray
) -> float | np.ndarray:
    """Variance of ⟨ψ|O|ψ⟩ over Haar-random (or 2-design) states on ℂ^d.

    From E[|ψ⟩⟨ψ|^{⊗2}] = (I + SWAP)/(d(d+1)):
    E⟨O⟩ = Tr O/d, E⟨O⟩² = (Tr O² + (Tr O)²)/(d(d+1)), hence

    .. math:: Var⟨ψ|O|ψ⟩ = \\frac{\\operatorname{Tr} O^2 − (\\operatorname{Tr} O)^2/d}{d(d+1)}.

    Args:
        tr_o: Tr O (real; O Hermitian).
        tr_o2: Tr O².
        d: Hilbert-space dimension (>= 2).

    Returns:
        Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        B. Collins and P. Śniady, Commun. Math. Phys. 264, 773 (2006),
        arXiv:math-ph/0402073; J. R. McClean et al., Nat. Commun. 9, 4812
        (2018), arXiv:1803.11173 (appendix).

    Examples:
        >>> from ebp.theory import haar_expectation_variance
        >>> haar_expectation_variance(0.0, 4.0, 4)  # a two-qubit Pauli string: 1/(d + 1)
        0.2
    """
    t1, t2, d = _real("tr_o", tr_o), _real("tr_o2", tr_o2), _dimension(d)
    return _out((t2 - t1 * t1 / d) / (d * (d + 1.0)))


def pauli_expectation_variance(n_qubits: int | np.ndarray) -> float | np.ndarray:
    """Haar variance of ⟨ψ|P|ψ⟩ for a non-identity Pauli string P on n qubits.

    Tr P = 0, Tr P² = d = 2**n in :func:`haar_expectation_variance`, so

    .. math:: Var⟨ψ|P|ψ⟩ = 1/(2^n + 1).

    Args:
        n_qubits: number of qubits (>= 1), int or integer array.

    Returns:
        Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        McClean et al. (2018), arXiv:1803.11173.

    Examples:
        >>> from ebp.theory import pauli_expectation_variance
        >>> pauli_expectation_variance(2)  # 1/(4 + 1)
        0.2
    """
    d = np.exp2(_qubit_count("n_qubits", n_qubits, 1).astype(np.float64))
    return _out(1.0 / (d + 1.0))


# --------------------------------------------------------------------------- gradients
def two_design_gradient_variance_general(
    tr_o: float | np.ndarray,
    tr_o2: float | np.ndarray,
    tr_v: float | np.ndarray,
    tr_v2: float | np.ndarray,
    d: float | np.ndarray,
) -> float | np.ndarray:
    """Variance of a parameter-shift gradient when both circuit halves are 2-designs.

    Setting: C(θ) = ⟨0|U_−† e^{iθV/2} U_+† O U_+ e^{−iθV/2} U_−|0⟩ with U_−, U_+
    independent unitary 2-designs on ℂ^d, V and O Hermitian.  At θ = 0,

        ∂_θ C = ⟨ψ|A|ψ⟩,  A = (i/2)[V, O'],  ψ = U_−|0⟩,  O' = U_+† O U_+.

    Derivation: Tr A = 0, so E_ψ ∂C = 0 and (2-design state moments)
    Var = E_{U_+} Tr A² / (d(d+1)).  Expanding,
    Tr A² = ½ [Tr(V² O'²) − Tr(V O' V O')], with E Tr(V² O'²) = Tr V² Tr O²/d and,
    by second-order Weingarten calculus,

        E Tr(V O' V O') = [Tr V² (Tr O)² + (Tr V)² Tr O²]/(d² − 1)
                          − [Tr V² Tr O² + (Tr V)² (Tr O)²]/(d(d² − 1)).

    Therefore

    .. math::
        Var[∂_θ C] = \\frac{1}{2 d (d+1)}
        \\Big[\\frac{\\operatorname{Tr}V^2 \\operatorname{Tr}O^2}{d}
        − E \\operatorname{Tr}(V O' V O')\\Big].

    It vanishes for V ∝ I, as it must.  Verified by Monte Carlo with Haar U_±
    in ``tests/test_theory.py``.

    Args:
        tr_o: Tr O of the observable.
        tr_o2: Tr O² of the observable.
        tr_v: Tr V of the generator (gate e^{−iθV/2}).
        tr_v2: Tr V² of the generator.
        d: Hilbert-space dimension (>= 2).

    Returns:
        Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        McClean et al., Nat. Commun. 9, 4812 (2018), arXiv:1803.11173;
        Collins & Śniady (2006), arXiv:math-ph/0402073 (Weingarten calculus).

    Examples:
        >>> from ebp.theory import two_design_gradient_variance_general
        >>> round(two_design_gradient_variance_general(0, 4, 0, 4, 4), 6)  # Pauli O and V, 2 qubits
        0.106667
    """
    to, to2 = _real("tr_o", tr_o), _real("tr_o2", tr_o2)
    tv, tv2 = _real("tr_v", tr_v), _real("tr_v2", tr_v2)
    d = _dimension(d)
    e_vovo = (tv2 * to * to + tv * tv * to2) / (d * d - 1.0) - (tv2 * to2 + tv * tv * to * to) / (
        d * (d * d - 1.0)
    )
    e_tr_a2 = 0.5 * (tv2 * to2 / d - e_vovo)
    return _out(e_tr_a2 / (d * (d + 1.0)))


def two_design_gradient_variance(n_qubits: int | np.ndarray) -> float | np.ndarray:
    """Gradient variance for a Pauli rotation and a Pauli observable, 2-design halves.

    Special case of :func:`two_design_gradient_variance_general` for a gate
    e^{−iθP/2} with P a non-identity Pauli string and O a non-identity Pauli
    string (Tr P = Tr O = 0, Tr P² = Tr O² = d = 2**n): E Tr(P O' P O') = −d/(d²−1),
    E Tr A² = d³/(2(d²−1)), hence

    .. math:: Var[∂_θ C] = \\frac{d^2}{2 (d+1)(d^2-1)} ≈ \\frac{1}{2^{n+1}}.

    Args:
        n_qubits: number of qubits n (>= 1), int or integer array.

    Returns:
        Python float (scalar inputs) or numpy array of the inputs' broadcast shape.

    References:
        McClean et al., Nat. Commun. 9, 4812 (2018), arXiv:1803.11173.

    Examples:
        >>> from ebp.theory import two_design_gradient_variance
        >>> round(two_design_gradient_variance(2), 6)
        0.106667
    """
    d = np.exp2(_qubit_count("n_qubits", n_qubits, 1).astype(np.float64))
    return _out(d * d / (2.0 * (d + 1.0) * (d * d - 1.0)))
