"""Builders for the usual QBM families, and seeded random parameters.

Structures (terms and scales; parameters are separate):

* :func:`fully_visible` — no hidden units: fields and couplings on V only (Amin et al. 2018).
* :func:`restricted` — fields on every qubit, couplings only between V and H (the quantum
  restricted Boltzmann machine; Amin et al., Phys. Rev. X 8, 021050 (2018), arXiv:1601.02036).
* :func:`semi_restricted` — restricted plus V–V couplings, no H–H couplings (the semi-restricted
  QBM of Amin et al. and of Kieferová & Wiebe, Phys. Rev. A 96, 062327 (2017),
  arXiv:1612.05204).
* :func:`transverse_field_ising` — a local, structured model: the open (or periodic) chain
  Σ Z_iZ_{i+1} + Σ X_i over V then H, with one V–H bond.
* :func:`k_local` — all-to-all: every Pauli string acting on 1 … k qubits.

In every builder ``coupling`` (g) is the fixed scale of the V–H terms only, so H(θ; g) =
H_V + H_H + g·H_VH at fixed θ, and g = 0 decouples V from H exactly.

Random models with their parameters (from an explicit integer seed):

* :func:`random_k_local` — :func:`k_local` with Gaussian coefficients;
* :func:`paper_qbm` — the normalised random 2-local QBM of arXiv:2010.15968 (Sec. V): on-site
  coefficients N(0, 0.1²), off-site N(0, 1), the whole H divided by its operator norm; the same
  Hamiltonian as :func:`ebp.landscape.two_local_hamiltonian`.
"""

from __future__ import annotations

import itertools

import numpy as np

from .._checks import check_int
from ..quantum_info import random_two_local_terms
from ._model import QBM, check_beta
from ._terms import pauli_sum, term_class

__all__ = [
    "fully_visible",
    "gaussian_parameters",
    "k_local",
    "paper_qbm",
    "random_k_local",
    "restricted",
    "semi_restricted",
    "transverse_field_ising",
]


def _label(n: int, ops: dict[int, str]) -> str:
    letters = ["I"] * n
    for wire, letter in ops.items():
        letters[wire] = letter
    return "".join(letters)


def _check_letters(fields: str, couplings) -> tuple[str, tuple[str, ...]]:
    if not isinstance(fields, str) or set(fields) - set("XYZ") or len(set(fields)) != len(fields):
        raise ValueError(f"fields must be distinct letters from 'XYZ' (e.g. 'XZ'); got {fields!r}.")
    if isinstance(couplings, str):
        couplings = (couplings,)
    couplings = tuple(couplings)
    if not couplings and not fields:
        raise ValueError("give at least one field letter or one coupling.")
    for c in couplings:
        if not isinstance(c, str) or len(c) != 2 or set(c) - set("XYZ"):
            raise ValueError(
                f"each coupling must be a pair of letters from 'XYZ' (e.g. 'ZZ', 'XY'); got {c!r}."
            )
    return fields, couplings


def _scaled(n_visible: int, terms: list[str], coupling: float) -> tuple[float, ...]:
    g = float(coupling)
    if not np.isfinite(g):
        raise ValueError(f"the coupling strength must be finite; got {coupling!r}.")
    return tuple(g if term_class(t, n_visible) == "coupling" else 1.0 for t in terms)


def _sizes(n_visible, n_hidden, hidden_min: int = 1) -> tuple[int, int]:
    n_v = check_int("n_visible", n_visible, minimum=1, brief=True)
    return n_v, check_int("n_hidden", n_hidden, minimum=hidden_min, brief=True)


def _build(n_v: int, n_h: int, terms: list[str], beta, coupling) -> QBM:
    return QBM(n_v, n_h, tuple(terms), check_beta(beta), _scaled(n_v, terms, coupling))


def fully_visible(
    n_visible: int, *, fields: str = "XZ", couplings=("ZZ",), beta: float = 1.0
) -> QBM:
    """A QBM without hidden units: fields ``fields`` on every qubit, ``couplings`` on every pair.

    The default is the transverse-field Ising QBM of Amin et al. (2018): H = Σ_a (θ X_a + θ Z_a)
    + Σ_{a<b} θ Z_aZ_b.
    """
    n_v, _ = _sizes(n_visible, 0, 0)
    fields, couplings = _check_letters(fields, couplings)
    terms = [_label(n_v, {i: a}) for i in range(n_v) for a in fields]
    terms += [
        _label(n_v, {i: c[0], j: c[1]})
        for i, j in itertools.combinations(range(n_v), 2)
        for c in couplings
    ]
    return _build(n_v, 0, terms, beta, 1.0)


def restricted(
    n_visible: int,
    n_hidden: int,
    *,
    fields: str = "XZ",
    couplings=("ZZ",),
    coupling: float = 1.0,
    beta: float = 1.0,
) -> QBM:
    """Fields on every qubit and couplings only between a visible and a hidden qubit.

    H = Σ_a Σ_{P ∈ fields} θ P_a + g Σ_{v ∈ V, h ∈ H} Σ_{PQ ∈ couplings} θ P_v Q_h
    (Amin et al. 2018, restricted QBM).
    """
    n_v, n_h = _sizes(n_visible, n_hidden)
    fields, couplings = _check_letters(fields, couplings)
    n = n_v + n_h
    terms = [_label(n, {i: a}) for i in range(n) for a in fields]
    terms += [
        _label(n, {v: c[0], h: c[1]}) for v in range(n_v) for h in range(n_v, n) for c in couplings
    ]
    return _build(n_v, n_h, terms, beta, coupling)


def semi_restricted(
    n_visible: int,
    n_hidden: int,
    *,
    fields: str = "XZ",
    couplings=("ZZ",),
    coupling: float = 1.0,
    beta: float = 1.0,
) -> QBM:
    """:func:`restricted` plus couplings between visible qubits; none among the hidden ones."""
    base = restricted(
        n_visible, n_hidden, fields=fields, couplings=couplings, coupling=coupling, beta=beta
    )
    n_v, n = base.n_visible, base.n_qubits
    _, pairs = _check_letters(fields, couplings)
    extra = [
        _label(n, {i: c[0], j: c[1]})
        for i, j in itertools.combinations(range(n_v), 2)
        for c in pairs
    ]
    terms = list(base.terms) + extra
    return _build(n_v, base.n_hidden, terms, beta, coupling)


def transverse_field_ising(
    n_visible: int,
    n_hidden: int,
    *,
    coupling: float = 1.0,
    longitudinal: bool = False,
    periodic: bool = False,
    beta: float = 1.0,
) -> QBM:
    """The transverse-field Ising chain on wires 0 … n−1 (V first, then H).

    H = Σ_i θ_i Z_iZ_{i+1} + Σ_i θ X_i (+ Σ_i θ Z_i if ``longitudinal``). The only V–H terms are
    the bond (n_V−1, n_V) and, if ``periodic`` (n ≥ 3), the bond (n−1, 0); a local, structured
    coupling whose effect on V does not grow with n_H.
    """
    n_v, n_h = _sizes(n_visible, n_hidden)
    n = n_v + n_h
    bonds = [(i, i + 1) for i in range(n - 1)]
    if periodic and n >= 3:
        bonds.append((0, n - 1))
    terms = [_label(n, {i: "Z", j: "Z"}) for i, j in bonds]
    terms += [_label(n, {i: "X"}) for i in range(n)]
    if longitudinal:
        terms += [_label(n, {i: "Z"}) for i in range(n)]
    return _build(n_v, n_h, terms, beta, coupling)


def k_local(
    n_visible: int, n_hidden: int, *, k: int = 2, coupling: float = 1.0, beta: float = 1.0
) -> QBM:
    """Every Pauli string acting on 1 … k of the n qubits (all-to-all k-local).

    There are Σ_{j=1}^{k} C(n, j) 3^j terms, ordered by weight, then by wires, then letters
    (for k = 2 the order of :func:`ebp.quantum_info.random_two_local_terms`).
    """
    n_v, n_h = _sizes(n_visible, n_hidden, 0)
    n = n_v + n_h
    k = check_int("k", k, minimum=1, brief=True)
    if k > n:
        raise ValueError(f"k must be in 1..{n} (the number of qubits); got {k}.")
    terms = [
        _label(n, dict(zip(wires, letters)))
        for weight in range(1, k + 1)
        for wires in itertools.combinations(range(n), weight)
        for letters in itertools.product("XYZ", repeat=weight)
    ]
    return _build(n_v, n_h, terms, beta, coupling)


def gaussian_parameters(
    model: QBM, seed: int, *, onsite_std: float = 0.1, offsite_std: float = 1.0
) -> np.ndarray:
    """θ_k ~ N(0, onsite_std²) for one-qubit terms and N(0, offsite_std²) for the others.

    The paper's distribution (arXiv:2010.15968, Sec. V) with the defaults; drawn with
    ``numpy.random.default_rng(seed)`` in term order.
    """
    if not isinstance(model, QBM):
        raise TypeError(f"expected an ebp.qbm.QBM; got {type(model).__name__}.")
    for name, std in (("onsite_std", onsite_std), ("offsite_std", offsite_std)):
        if not np.isfinite(std) or std < 0:
            raise ValueError(f"{name} must be finite and >= 0; got {std!r}.")
    rng = np.random.default_rng(seed)
    weight = np.array([sum(c != "I" for c in t) for t in model.terms])
    return rng.normal(size=model.n_params) * np.where(weight == 1, onsite_std, offsite_std)


def random_k_local(
    n_visible: int,
    n_hidden: int,
    *,
    seed: int,
    k: int = 2,
    coupling: float = 1.0,
    beta: float = 1.0,
    onsite_std: float = 0.1,
    offsite_std: float = 1.0,
) -> tuple[QBM, np.ndarray]:
    """:func:`k_local` and Gaussian parameters (:func:`gaussian_parameters`) from ``seed``.

    Returns ``(model, params)``; H = Σ_k s_k θ_k P_k with s_k = ``coupling`` on V–H terms.
    """
    model = k_local(n_visible, n_hidden, k=k, coupling=coupling, beta=beta)
    return model, gaussian_parameters(model, seed, onsite_std=onsite_std, offsite_std=offsite_std)


def _operator_norm(h: np.ndarray) -> float:
    """max |eigenvalue| of a Hermitian matrix (Lanczos from a fixed start above d = 1024)."""
    if h.shape[0] <= 1024:
        w = np.linalg.eigvalsh(h)
        return float(max(abs(w[0]), abs(w[-1])))
    import scipy.sparse.linalg

    v0 = np.ones(h.shape[0], dtype=complex)
    w = scipy.sparse.linalg.eigsh(h, k=1, which="LM", v0=v0, return_eigenvectors=False, tol=0)
    return float(abs(w[0]))


def paper_qbm(
    n_visible: int, n_hidden: int, *, seed: int, beta: float = 1.0
) -> tuple[QBM, np.ndarray]:
    """The normalised random 2-local QBM of arXiv:2010.15968 (Sec. V), as ``(model, params)``.

    .. math:: H = \\frac{Ĥ}{‖Ĥ‖},\\quad Ĥ = Σ_{i,a} J^i_a σ^i_a + Σ_{i<j} Σ_{a,b} J^{ij}_{ab}
              σ^i_a σ^j_b,\\quad J^i_a ∼ N(0, 0.1²),\\ J^{ij}_{ab} ∼ N(0, 1),

    over all n = n_V + n_H qubits, with the coefficients of
    :func:`ebp.quantum_info.random_two_local_terms` (so H equals
    :func:`ebp.landscape.two_local_hamiltonian` ``(n, seed=seed)``). The model is
    :func:`k_local` with k = 2 and the parameters are θ = J/‖Ĥ‖, so ‖H(θ)‖ = 1.
    """
    model = k_local(n_visible, n_hidden, k=2, beta=beta)
    check_int("seed", seed, brief=True)
    coefficients = np.array([c for c, _, _ in random_two_local_terms(model.n_qubits, seed=seed)])
    h = pauli_sum(model.terms, coefficients[None])[0]
    return model, coefficients / _operator_norm(h)
