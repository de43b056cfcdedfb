"""A gate as a product of exponentials: the factors every gate definition is written in.

A gate with parameters θ = (θ_0, …, θ_{p−1}) is a time-ordered product

.. math:: U(θ) = f_m ⋯ f_2\\, f_1, \\qquad
          f = e^{−iθ_k c P} \\;(\\text{PauliExp}),\\quad e^{−iθ_k G} \\;(\\text{Exp}),\\quad
          F \\;(\\text{Fixed}),

with P a Pauli string, G a Hermitian matrix and F a fixed unitary, each acting on all the gate's
wires (big-endian: the first letter / the most significant bit is the gate's first wire). From
this one description follow the matrix, the generator of each parameter (hence the parameter-shift
rule and the 2-design traces), the inverse and whether the gate is diagonal.

References: the product-of-exponentials form and the generator of a gate parameter, Schuld et al.,
PRA 99, 032331 (2019), arXiv:1811.11184; Wierichs et al., Quantum 6, 677 (2022),
arXiv:2107.12390.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import jax

Array: TypeAlias = "np.ndarray | jax.Array"
"""A NumPy or a JAX array: the factors compute in either (``xp`` is ``numpy`` or ``jax.numpy``)."""

__all__ = ["PAULI_LETTERS", "Exp", "Factor", "Fixed", "PauliExp", "pauli_matrix"]

PAULI_LETTERS = "IXYZ"

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def pauli_matrix(label: str) -> np.ndarray:
    """Dense matrix of a Pauli string such as ``"XZ"`` (first letter = first wire)."""
    out = np.ones((1, 1), dtype=complex)
    for letter in label:
        out = np.kron(out, _PAULI[letter])
    return out


def _frozen_matrix(m) -> tuple:
    return tuple(tuple(complex(x) for x in row) for row in np.asarray(m, dtype=complex))


@dataclass(frozen=True)
class PauliExp:
    """``exp(−iθ_param · coeff · P)`` for the Pauli string ``label`` (one letter per gate wire)."""

    param: int
    coeff: float
    label: str

    @property
    def n_wires(self) -> int:
        return len(self.label)

    @property
    def diagonal(self) -> bool:
        return set(self.label) <= {"I", "Z"}

    def generator(self) -> np.ndarray:
        """The generator c·P as a dense matrix."""
        return self.coeff * pauli_matrix(self.label)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of c·P: ±c (only c when P is the identity string)."""
        c = float(self.coeff)
        return np.array([c]) if set(self.label) <= {"I"} else np.array([-abs(c), abs(c)])

    def key(self) -> tuple:
        """Hashable identity of the factor up to its parameter slot (equal keys: same factor)."""
        return ("pauli", round(float(self.coeff), 12), self.label)

    def matrix(self, theta: Array, xp: ModuleType) -> Array:
        """cos(θc) I − i sin(θc) P, valid because P² = I.

        ``theta``: the gate's parameters ``(n_params,)``; ``xp``: ``numpy`` or ``jax.numpy``, the
        module that computes the ``(2**k, 2**k)`` result (k wires).
        """
        angle = theta[self.param] * self.coeff
        p = pauli_matrix(self.label)
        return xp.cos(angle) * xp.eye(p.shape[0]) - 1j * xp.sin(angle) * xp.asarray(p)


@dataclass(frozen=True)
class Exp:
    """``exp(−iθ_param · G)`` for a fixed Hermitian generator G (given as a matrix)."""

    param: int
    generator_matrix: tuple = field(repr=False)

    def __init__(self, param: int, generator: ArrayLike):
        object.__setattr__(self, "param", int(param))
        object.__setattr__(self, "generator_matrix", _frozen_matrix(generator))

    @property
    def n_wires(self) -> int:
        return int(np.log2(len(self.generator_matrix)))

    @property
    def diagonal(self) -> bool:
        g = self.generator()
        return bool(np.all(g == np.diag(np.diag(g))))

    def generator(self) -> np.ndarray:
        """The generator G as a dense complex matrix."""
        return np.array(self.generator_matrix, dtype=complex)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of G, ascending."""
        return np.linalg.eigvalsh(self.generator())

    def key(self) -> tuple:
        """Hashable identity of the factor up to its parameter slot (equal keys: same factor)."""
        return ("exp", np.round(self.generator(), 12).tobytes())

    def matrix(self, theta: Array, xp: ModuleType) -> Array:
        """V diag(e^{−iθλ}) V† from the eigendecomposition G = V diag(λ) V†.

        ``theta``: the gate's parameters ``(n_params,)``; ``xp``: ``numpy`` or ``jax.numpy``, the
        module that computes the ``(2**k, 2**k)`` result (k wires).
        """
        g = self.generator()
        if self.diagonal:
            return xp.diag(xp.exp(-1j * theta[self.param] * xp.asarray(np.diag(g).real)))
        lam, v = np.linalg.eigh(g)
        phases = xp.exp(-1j * theta[self.param] * xp.asarray(lam))
        return xp.asarray(v) @ (phases[:, None] * xp.asarray(v.conj().T))


@dataclass(frozen=True)
class Fixed:
    """A fixed unitary factor."""

    fixed_matrix: tuple = field(repr=False)
    param = None

    def __init__(self, matrix: ArrayLike):
        object.__setattr__(self, "fixed_matrix", _frozen_matrix(matrix))

    @property
    def n_wires(self) -> int:
        return int(np.log2(len(self.fixed_matrix)))

    @property
    def diagonal(self) -> bool:
        m = self.value()
        return bool(np.all(m == np.diag(np.diag(m))))

    def value(self) -> np.ndarray:
        """The unitary as a dense complex matrix."""
        return np.array(self.fixed_matrix, dtype=complex)

    def key(self) -> tuple:
        """Hashable identity of the factor (equal keys: same unitary)."""
        return ("fixed", np.round(self.value(), 12).tobytes())

    def matrix(self, theta: Array, xp: ModuleType) -> Array:
        """The fixed ``(2**k, 2**k)`` unitary as an ``xp`` array (``theta`` is not used)."""
        return xp.asarray(self.value())


Factor = PauliExp | Exp | Fixed


def factor_operator(f: Factor) -> np.ndarray:
    """The matrix that decides commutation: the generator, or the fixed unitary."""
    return f.value() if isinstance(f, Fixed) else f.generator()


def factors_commute(a: Factor, b: Factor) -> bool:
    """Whether two factors commute for every parameter value (their generators / matrices do)."""
    if isinstance(a, PauliExp) and isinstance(b, PauliExp):
        clash = sum(1 for x, y in zip(a.label, b.label) if x != "I" and y != "I" and x != y)
        return clash % 2 == 0
    x, y = factor_operator(a), factor_operator(b)
    return bool(np.allclose(x @ y, y @ x, atol=1e-12))


def product(factors, theta, xp, dim: int):
    """f_m ⋯ f_1 (the first factor acts first)."""
    out = None
    for f in factors:
        m = f.matrix(theta, xp)
        out = m if out is None else m @ out
    return xp.eye(dim, dtype=complex) if out is None else out
