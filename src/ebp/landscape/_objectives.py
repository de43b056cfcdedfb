"""Objectives: bounded functions f(ρ_V) of the visible reduced state, with their derivative.

Every objective knows its value f(ρ) and its derivative at ρ, the Hermitian matrix G with

.. math:: f(ρ + δ) = f(ρ) + \\operatorname{Tr}(G\\,δ) + o(‖δ‖),

an *effective observable* on V. By the chain rule the gradient of C(θ) = f(ρ_V(θ)) is the gradient
of the linear cost Tr(G ρ_V(θ)) at fixed G, so one forward pass (for ρ_V and G) and one adjoint pass
(for ∂θ) serve any objective, linear or not (see :func:`ebp.landscape.value_and_gradient`).

Derivatives are closed forms of the spectrum, well defined at degenerate eigenvalues (which is
where the plateau lives: ρ_V ≈ I/d_V is maximally degenerate):

* linear  f = Tr(Oρ):                         G = O;
* fidelity F(ρ, σ) = (Tr √(√σ ρ √σ))²:         G = √F · √σ M^{−½} √σ, M = √σ ρ √σ
  (Uhlmann, Rep. Math. Phys. 9, 273 (1976); d Tr √M = ½ Tr M^{−½} dM; the inverse is taken on
  the support of M, which is exact along directions that keep ρ's rank, e.g. pure ρ);
* trace distance T(ρ, σ) = ½‖ρ − σ‖₁:         G = ½ sign(ρ − σ) (a subgradient where ρ − σ is
  singular);
* relative entropy S(σ‖ρ) = Tr σ(log σ − log ρ)/ln 2 (bits):
  G = −D log(ρ)[σ]/ln 2 = −U (L ∘ U†σU) U†/ln 2, L_ij = (log λ_i − log λ_j)/(λ_i − λ_j) and
  L_ii = 1/λ_i (Daleckii–Krein divided differences; R. Bhatia, *Matrix Analysis*, Thm. V.3.3).
  Eigenvalues of ρ are floored at ``floor`` so the objective stays bounded by log₂(1/floor).

Objectives are frozen, hashable values (their matrices are stored as nested tuples), so they can
be sent to workers and key caches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import check_count
from .._precision import require_x64
from ..circuit import pauli_matrix
from ..sim import Observable, as_observable

__all__ = [
    "Fidelity",
    "Linear",
    "Objective",
    "RelativeEntropy",
    "TraceDistance",
    "as_density_matrix",
    "as_objective",
    "fidelity",
    "linear",
    "relative_entropy",
    "trace_distance",
]


def _frozen_matrix(m: np.ndarray) -> tuple:
    return tuple(tuple(complex(v) for v in row) for row in m)


def _hermitian(m, what: str) -> np.ndarray:
    a = np.asarray(m, dtype=complex)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 2 or a.shape[0] & (a.shape[0] - 1):
        raise ValueError(
            f"{what} must be a square matrix of side 2**n_visible (2, 4, 8, …); "
            f"got shape {a.shape}."
        )
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} has non-finite entries.")
    err = float(np.max(np.abs(a - a.conj().T)))
    if err > 1e-10:
        raise ValueError(f"{what} is not Hermitian: max |A − A†| = {err:.3g}.")
    return (a + a.conj().T) / 2


def as_density_matrix(target, what: str = "target") -> np.ndarray:
    """A target given as a state vector ψ (pure: ρ = |ψ⟩⟨ψ| / ⟨ψ|ψ⟩) or a density matrix, checked
    (length or size 2**n_visible, Hermitian, positive, unit trace) and returned as ρ.

    ``what`` names the argument in error messages.
    """
    t = np.asarray(target, dtype=complex)
    if t.ndim == 1:
        d = t.shape[0]
        if d < 2 or d & (d - 1):
            raise ValueError(f"{what} vector must have length 2**n_visible; got {d}.")
        norm = np.linalg.norm(t)
        if not np.isfinite(norm) or norm == 0:
            raise ValueError(f"{what} vector must be finite and non-zero.")
        t = t / norm
        return np.outer(t, t.conj())
    rho = _hermitian(t, f"{what} density matrix")
    w = np.linalg.eigvalsh(rho)
    if w[0] < -1e-10 or abs(np.sum(w) - 1) > 1e-8:
        raise ValueError(
            f"{what} must be a density matrix (positive, trace 1); got eigenvalues in "
            f"[{w[0]:.3g}, {w[-1]:.3g}] and trace {np.sum(w):.6g}."
        )
    return rho


def _herm(a):
    return (a + jnp.conj(jnp.swapaxes(a, -1, -2))) / 2


def _sandwich(u, w) -> jax.Array:
    """U diag(w) U† for batched eigenvectors ``u`` (..., d, d) and values ``w`` (..., d)."""
    return (u * w[..., None, :]) @ jnp.conj(jnp.swapaxes(u, -1, -2))


class Objective:
    """Base class: a bounded real function of the visible reduced state ρ_V.

    Subclasses implement ``_value_and_derivative(rho)`` for complex ``rho`` of the right shape;
    everything else follows from it.

    Attributes:
        name: short identifier used in tables (a class attribute).
        lower: the least value of the objective over density matrices (a class attribute).
        upper: the largest value of the objective over density matrices (a class attribute).
    """

    name = "objective"
    lower = -math.inf
    upper = math.inf

    @property
    def dim(self) -> int:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @property
    def n_visible(self) -> int:
        """Number of visible qubits the objective acts on."""
        return self.dim.bit_length() - 1

    def value_and_derivative(self, rho):
        """``(f(ρ), G(ρ))`` for ``rho`` of shape ``(..., d_V, d_V)``; G is Hermitian."""
        dtype = np.dtype(rho.dtype if hasattr(rho, "dtype") else np.asarray(rho).dtype)
        if dtype in (np.dtype(np.complex128), np.dtype(np.float64)):
            require_x64(f"objective {self.name!r} of a {dtype} density matrix")
        rho = jnp.asarray(rho)
        if not jnp.iscomplexobj(rho):
            rho = rho.astype(jnp.complex128 if rho.dtype == jnp.float64 else jnp.complex64)
        if rho.shape[-2:] != (self.dim, self.dim):
            raise ValueError(
                f"objective {self.name!r} takes {self.dim}x{self.dim} density matrices; "
                f"got shape {tuple(rho.shape)}."
            )
        return self._value_and_derivative(rho)

    def _value_and_derivative(self, rho):
        raise NotImplementedError  # pragma: no cover

    def value(self, rho):
        """f(ρ), batched over leading axes."""
        return self.value_and_derivative(rho)[0]

    def check(self, n_visible: int) -> None:
        """Raise ValueError unless the objective acts on ``n_visible`` qubits."""
        if n_visible != self.n_visible:
            raise ValueError(
                f"objective {self.name!r} acts on {self.n_visible} visible qubit(s) "
                f"(matrices {self.dim}x{self.dim}); the circuit has n_visible={n_visible}."
            )

    def __call__(self, rho):
        """f(ρ) as a JAX function whose reverse-mode derivative is G (usable inside jax.grad)."""
        return _apply(self, rho)


@partial(jax.custom_vjp, nondiff_argnums=(0,))
def _apply(objective: Objective, rho):
    return objective.value_and_derivative(rho)[0]


def _apply_fwd(objective, rho):
    f, g = objective.value_and_derivative(rho)
    return f, g


def _apply_bwd(objective, g, ct):
    # JAX's cotangent of a complex input of a real function is the conjugate gradient:
    # for f = Re Tr(Gρ) it is Gᵀ = conj(G) (G Hermitian).
    return (jnp.conj(g) * jnp.asarray(ct)[..., None, None],)


_apply.defvjp(_apply_fwd, _apply_bwd)


@dataclass(frozen=True)
class Linear(Objective):
    """f(ρ) = Tr(O ρ) for a Hermitian O on the visible register."""

    matrix: tuple
    label: str = "linear"

    name = "linear"

    @property
    def observable(self) -> np.ndarray:
        """O as a complex array."""
        return np.asarray(self.matrix, dtype=complex)

    @property
    def dim(self) -> int:
        return len(self.matrix)

    @property
    def norm(self) -> float:
        """Operator norm ‖O‖ = max |eigenvalue|."""
        return float(np.max(np.abs(np.linalg.eigvalsh(self.observable))))

    @property
    def lower(self) -> float:  # type: ignore[override]
        return float(np.linalg.eigvalsh(self.observable)[0])

    @property
    def upper(self) -> float:  # type: ignore[override]
        return float(np.linalg.eigvalsh(self.observable)[-1])

    def _value_and_derivative(self, rho):
        o = jnp.asarray(self.observable, dtype=rho.dtype)
        f = jnp.real(jnp.einsum("ij,...ji->...", o, rho))
        return f, jnp.broadcast_to(o, rho.shape)


@dataclass(frozen=True)
class Fidelity(Objective):
    """Uhlmann fidelity F(ρ, σ) = (Tr √(√σ ρ √σ))² with a fixed target σ; in [0, 1].

    ``cutoff``: eigenvalues of σ and of M = √σρ√σ below ``cutoff`` times the largest are taken
    as exact zeros (rounding noise would otherwise enter F through the square root, as √1e−16 =
    1e−8); the value and the derivative use the same support.
    """

    target: tuple
    cutoff: float = 1e-13

    name = "fidelity"
    lower, upper = 0.0, 1.0

    @property
    def dim(self) -> int:
        return len(self.target)

    @property
    def target_matrix(self) -> np.ndarray:
        """σ as a complex array."""
        return np.asarray(self.target, dtype=complex)

    def _sqrt_target(self) -> np.ndarray:
        w, u = np.linalg.eigh(self.target_matrix)
        w = np.where(w > self.cutoff * w[-1], w, 0.0)  # rounding noise of a rank-deficient σ
        return (u * np.sqrt(w)) @ u.conj().T

    def _value_and_derivative(self, rho):
        sq = jnp.asarray(self._sqrt_target(), dtype=rho.dtype)
        m = _herm(sq @ rho @ sq)
        w, u = jnp.linalg.eigh(m)
        keep = w > self.cutoff * jnp.max(w, axis=-1, keepdims=True)
        root = jnp.sqrt(jnp.where(keep, w, 0.0))
        f_sqrt = jnp.sum(root, axis=-1)
        inv_root = jnp.where(keep, 1.0 / jnp.where(keep, root, 1.0), 0.0)
        g = f_sqrt[..., None, None] * (sq @ _sandwich(u, inv_root.astype(rho.dtype)) @ sq)
        return f_sqrt**2, _herm(g)


@dataclass(frozen=True)
class TraceDistance(Objective):
    """T(ρ, σ) = ½‖ρ − σ‖₁ to a fixed target σ; in [0, 1]."""

    target: tuple

    name = "trace_distance"
    lower, upper = 0.0, 1.0

    @property
    def dim(self) -> int:
        return len(self.target)

    def _value_and_derivative(self, rho):
        sigma = jnp.asarray(np.asarray(self.target, dtype=complex), dtype=rho.dtype)
        w, u = jnp.linalg.eigh(_herm(rho - sigma))
        return 0.5 * jnp.sum(jnp.abs(w), axis=-1), 0.5 * _sandwich(u, jnp.sign(w).astype(rho.dtype))


@dataclass(frozen=True)
class RelativeEntropy(Objective):
    """S(σ‖ρ) = Tr σ (log₂ σ − log₂ ρ) of a fixed target σ from the model state ρ, in bits.

    The eigenvalues of ρ are floored at ``floor``, so 0 ≤ S ≤ log₂(1/floor) (bounded).
    """

    target: tuple
    floor: float = 1e-10

    name = "relative_entropy"
    lower = 0.0

    @property
    def upper(self) -> float:  # type: ignore[override]
        return math.log2(1.0 / self.floor)

    @property
    def dim(self) -> int:
        return len(self.target)

    def _target_entropy_term(self) -> float:
        w = np.linalg.eigvalsh(np.asarray(self.target, dtype=complex))
        w = w[w > 0]
        return float(np.sum(w * np.log(w)))

    def _value_and_derivative(self, rho):
        sigma = jnp.asarray(np.asarray(self.target, dtype=complex), dtype=rho.dtype)
        w, u = jnp.linalg.eigh(_herm(rho))
        w = jnp.maximum(w, self.floor)
        lw = jnp.log(w)
        s_rot = jnp.conj(jnp.swapaxes(u, -1, -2)) @ sigma @ u  # U†σU
        cross = jnp.real(jnp.sum(jnp.diagonal(s_rot, axis1=-2, axis2=-1) * lw, axis=-1))
        value = (self._target_entropy_term() - cross) / math.log(2)
        wi, wj = w[..., :, None], w[..., None, :]
        diff = wi - wj
        close = jnp.abs(diff) <= 1e-9 * (wi + wj)
        log_diff = lw[..., :, None] - lw[..., None, :]
        divided = jnp.where(close, 2.0 / (wi + wj), log_diff / jnp.where(close, 1.0, diff))
        frechet = u @ (divided.astype(rho.dtype) * s_rot) @ jnp.conj(jnp.swapaxes(u, -1, -2))
        return value, _herm(-frechet / math.log(2))


# ------------------------------------------------------------------------------ constructors
def _visible_matrix(obs: Observable, n_visible: int) -> np.ndarray:
    if obs.matrix is not None:
        return np.asarray(obs.matrix, dtype=complex)
    d = 2**n_visible
    out = np.zeros((d, d), dtype=complex)
    for coeff, factors in obs.terms:
        letters = ["I"] * n_visible
        for wire, letter in factors:
            if wire >= n_visible:
                raise ValueError(
                    f"an objective on the visible units may only act on wires 0..{n_visible - 1}; "
                    f"a term acts on wire {wire}."
                )
            letters[wire] = letter
        out += coeff * pauli_matrix("".join(letters))
    return out


def linear(observable: Any, n_visible: int) -> Linear:
    """f(ρ_V) = Tr(O ρ_V) for O a Pauli string / sum on the visible wires or a d_V×d_V matrix.

    Examples: ``linear("Z0", 1)``, ``linear({"Z0 Z1": 1.0}, 2)``, ``linear(np.diag([1, 0]), 1)``.
    """
    check_count("n_visible", n_visible)
    # parse with room for any wire, so that a hidden wire gets the visible-register message
    obs = as_observable(observable, 2**31, int(n_visible))
    label = observable if isinstance(observable, str) else "linear"
    return Linear(_frozen_matrix(_visible_matrix(obs, int(n_visible))), label=label)


def fidelity(target, *, cutoff: float = 1e-13) -> Fidelity:
    """Fidelity with a target given as a state vector or a density matrix on V."""
    return Fidelity(_frozen_matrix(as_density_matrix(target)), cutoff=float(cutoff))


def trace_distance(target) -> TraceDistance:
    """Trace distance ½‖ρ_V − σ‖₁ to a target state vector or density matrix on V."""
    return TraceDistance(_frozen_matrix(as_density_matrix(target)))


def relative_entropy(target, *, floor: float = 1e-10) -> RelativeEntropy:
    """Relative entropy S(σ‖ρ_V) in bits of a target σ (vector or density matrix) on V."""
    if not 0 < floor < 1:
        raise ValueError(f"floor must be in (0, 1); got {floor!r}.")
    return RelativeEntropy(_frozen_matrix(as_density_matrix(target)), floor=float(floor))


def as_objective(objective: Any, n_visible: int) -> Objective:
    """An :class:`Objective` as is; anything else is read as a linear observable on V."""
    if isinstance(objective, Objective):
        objective.check(n_visible)
        return objective
    return linear(objective, n_visible)
