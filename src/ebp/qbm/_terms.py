"""Pauli-string terms of a QBM Hamiltonian: validation, classification over V|H, dense algebra.

A term is a Pauli string such as ``"XIZ"`` with one letter per qubit, letter k acting on wire k;
visible wires come first (``0 … n_V−1``), hidden wires follow, and matrices are big-endian
(wire 0 is the most significant bit), so a term is P = h_V ⊗ h_H with h_V the first n_V letters.

Every Pauli string is a signed permutation matrix: writing x for a computational basis index,

.. math:: P\\,|x⟩ = i^{n_Y}\\,(−1)^{|x ∧ z|}\\,|x ⊕ m⟩,

with m the bit mask of the wires carrying X or Y, z the mask of the wires carrying Z or Y and
n_Y the number of Y letters (Y|b⟩ = i(−1)^b|b ⊕ 1⟩). Dense sums Σ_k c_k P_k and the traces
Tr(Γ P_k) are therefore O(d) per term, with no 2ⁿ × 2ⁿ matrix per term.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_int

__all__ = [
    "TERM_CLASSES",
    "term_class",
    "hidden_trace_ratio",
]

PAULI_LETTERS = "IXYZ"

TERM_CLASSES = ("visible", "coupling", "hidden")
"""Classes of a term P = h_V ⊗ h_H: ``visible`` (h_H = I), ``coupling`` (non-trivial on both
sides: a V–H coupling) and ``hidden`` (h_V = I)."""


def check_terms(terms, n_qubits: int) -> tuple[str, ...]:
    """``terms`` as a tuple of upper-case Pauli strings of length ``n_qubits``, or a clear error."""
    if isinstance(terms, str) or not isinstance(terms, (tuple, list)):
        raise TypeError(
            f"terms must be a tuple of Pauli strings such as ('ZI', 'XX'); got "
            f"{type(terms).__name__}."
        )
    if not terms:
        raise ValueError("a QBM needs at least one Hamiltonian term.")
    out = []
    for k, term in enumerate(terms):
        if not isinstance(term, str):
            raise TypeError(f"term {k} must be a str (a Pauli string); got {type(term).__name__}.")
        label = term.upper()
        if len(label) != n_qubits:
            raise ValueError(
                f"term {k} {term!r} has length {len(label)}; every term needs one Pauli letter "
                f"per qubit ({n_qubits} = n_visible + n_hidden)."
            )
        bad = sorted(set(label) - set(PAULI_LETTERS))
        if bad:
            raise ValueError(
                f"term {k} {term!r} has unknown Pauli letter(s) {', '.join(map(repr, bad))}; "
                "allowed: I, X, Y, Z."
            )
        if set(label) == {"I"}:
            raise ValueError(
                f"term {k} {term!r} is the identity: it only shifts the energy and has no "
                "effect on the Gibbs state; leave it out."
            )
        out.append(label)
    return tuple(out)


def term_class(term: str, n_visible: int) -> str:
    """Class of the term P = h_V ⊗ h_H across the V|H cut.

    Returns ``"visible"`` if h_H = I, ``"hidden"`` if h_V = I, ``"coupling"`` otherwise (a V–H
    coupling). Example: ``term_class("ZIX", 1) == "coupling"``.
    """
    if isinstance(term, bool) or not isinstance(term, str):
        raise TypeError(f"term must be a Pauli string; got {type(term).__name__}.")
    check_int("n_visible", n_visible, brief=True)
    if not 1 <= n_visible <= len(term):
        raise ValueError(
            f"n_visible must be in 1..{len(term)} for the term {term!r}; got {n_visible}."
        )
    (label,) = check_terms((term,), len(term))
    on_v = any(c != "I" for c in label[:n_visible])
    on_h = any(c != "I" for c in label[n_visible:])
    if on_v and on_h:
        return "coupling"
    return "visible" if on_v else "hidden"


def hidden_trace_ratio(term: str, n_visible: int) -> float:
    """Tr(h_H)² / (d_V Tr h_H²) for the hidden factor h_H of a Pauli term h_V ⊗ h_H.

    For a Pauli string this is d_H/d_V when h_H = I (visible-only terms) and 0 otherwise
    (Tr h_H = 0): the quantity that separates the two regimes of the QBM gradient bound of
    arXiv:2010.15968 (see :func:`ebp.qbm.two_design_gradient_scale`).
    """
    cls = term_class(term, n_visible)
    n_h = len(term) - n_visible
    return 2.0 ** (n_h - n_visible) if cls == "visible" else 0.0


# ------------------------------------------------------------------------- dense algebra
@dataclass(frozen=True)
class PauliTable:
    """Bit-mask form of a list of Pauli strings (see the module docstring).

    Attributes:
        flip: ``(K,)`` X/Y masks m_k; ``phase_z``: ``(K,)`` Z/Y masks z_k; ``n_y``: ``(K,)``.
        groups: the distinct flip masks, ``group_of``: index of each term's flip mask in it.
    """

    n_qubits: int
    flip: np.ndarray
    phase_z: np.ndarray
    n_y: np.ndarray
    groups: np.ndarray
    group_of: np.ndarray

    @property
    def dim(self) -> int:
        return 2**self.n_qubits

    @property
    def phases(self) -> np.ndarray:
        """``(K,)`` i^{n_Y} per term."""
        return np.array([1, 1j, -1, -1j])[self.n_y % 4]

    def signs(self) -> np.ndarray:
        """``(K, d)`` int8 array of (−1)^{|x ∧ z_k|}; ⟨x ⊕ m_k|P_k|x⟩ = i^{n_Y} times this."""
        x = np.arange(self.dim, dtype=np.int64)
        bits = x[None, :] & self.phase_z[:, None]
        parity = np.zeros(bits.shape, dtype=np.int64)
        for b in range(self.n_qubits):
            parity ^= (bits >> b) & 1
        return (1 - 2 * parity).astype(np.int8)


@lru_cache(maxsize=32)
def pauli_table(terms: tuple[str, ...]) -> PauliTable:
    """Bit masks of validated Pauli strings (cached per term tuple)."""
    n = len(terms[0])
    flip, phase_z, n_y = [], [], []
    for label in terms:
        m = z = y = 0
        for wire, c in enumerate(label):
            bit = 1 << (n - 1 - wire)  # big-endian: wire 0 is the most significant bit
            if c in "XY":
                m |= bit
            if c in "ZY":
                z |= bit
            y += c == "Y"
        flip.append(m)
        phase_z.append(z)
        n_y.append(y)
    flip_a = np.asarray(flip, dtype=np.int64)
    groups, group_of = np.unique(flip_a, return_inverse=True)
    return PauliTable(
        n,
        flip_a,
        np.asarray(phase_z, dtype=np.int64),
        np.asarray(n_y),
        groups,
        group_of.reshape(-1),
    )


@lru_cache(maxsize=4)
def _signs(terms: tuple[str, ...]) -> np.ndarray:
    return pauli_table(terms).signs()


def pauli_sum(terms: tuple[str, ...], coefficients: np.ndarray) -> np.ndarray:
    """Dense Σ_k c_k P_k for real coefficients ``(B, K)``; returns ``(B, d, d)`` complex."""
    table = pauli_table(terms)
    d = table.dim
    x = np.arange(d)
    signs = _signs(terms)  # (K, d) int8
    c = np.asarray(coefficients, dtype=np.float64) * table.phases
    out = np.zeros((c.shape[0], d, d), dtype=complex)
    for g, mask in enumerate(table.groups):
        members = np.flatnonzero(table.group_of == g)
        column = c[:, members] @ signs[members].astype(np.float64)  # (B, d): ⟨x ⊕ m|H|x⟩
        out[:, x ^ mask, x] = column
    return out


def pauli_traces(terms: tuple[str, ...], gamma: np.ndarray) -> np.ndarray:
    """Tr(Γ P_k) for every term, for matrices ``gamma`` of shape ``(B, d, d)``; ``(B, K)``.

    Tr(Γ P) = Σ_x Γ[x, x ⊕ m] ⟨x ⊕ m|P|x⟩, one gather of d entries per distinct flip mask.
    """
    table = pauli_table(terms)
    x = np.arange(table.dim)
    signs = _signs(terms)
    out = np.zeros((gamma.shape[0], len(terms)), dtype=complex)
    for g, mask in enumerate(table.groups):
        members = np.flatnonzero(table.group_of == g)
        entries = gamma[:, x, x ^ mask]  # (B, d)
        out[:, members] = entries @ signs[members].T.astype(np.float64)
    return out * table.phases
