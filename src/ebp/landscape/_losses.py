"""Training losses on the visible state ρ_V, each with its exact derivative G = ∂f/∂ρ.

Every loss is an :class:`ebp.landscape.Objective`: ``value_and_derivative(rho)`` returns f(ρ) and
the Hermitian G with f(ρ + δ) = f(ρ) + Tr(Gδ) + o(δ), batched over leading axes of ρ.

Generative losses act on the Born distribution p(x) = ⟨x|ρ|x⟩ of the visible bit strings x
(big-endian: wire 0 is the most significant bit of x) against a target distribution q; their G is
diagonal, G = diag(∂f/∂p):

* negative log-likelihood  NLL = −Σ_x q(x) log₂ max(p(x), floor);
* Kullback–Leibler         KL(q‖p) = NLL − H(q), in bits;
* squared MMD              MMD² = (p − q)ᵀ K (p − q), K a Gaussian-mixture kernel on the Hamming
  distance (Liu & Wang, PRA 98, 062324 (2018), arXiv:1804.04168).

Quantum losses:

* sandwiched Rényi divergence D̃_α(σ‖ρ) of data σ from the model ρ (Müller-Lennert et al.,
  J. Math. Phys. 54, 122203 (2013), arXiv:1306.3142; Wilde, Winter & Yang, CMP 331, 593 (2014),
  arXiv:1306.1586), whose α → 1 limit is :func:`ebp.landscape.relative_entropy`;
* an entanglement penalty f(ρ) + λ(S(ρ) − s*)² on any objective f;
* single-wire readout losses for classifiers (cross-entropy, error probability) and the pure-state
  infidelity 1 − ⟨φ|ρ|φ⟩; the last two are linear in ρ (:class:`ebp.landscape.Linear`), so they
  have an ``observable`` and unbiased shot estimators.

Matrix-function derivatives use Daleckii–Krein divided differences: for a spectral function
g and ρ = U diag(λ) U†, D[g](ρ)[B] = U (L ∘ U†BU) U† with L_ij = (g(λ_i) − g(λ_j))/(λ_i − λ_j),
L_ii = g′(λ_i) (R. Bhatia, *Matrix Analysis*, Thm. V.3.3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import jax.numpy as jnp
import numpy as np

from .._checks import check_int
from ._objectives import (
    Linear,
    Objective,
    _frozen_matrix,
    _herm,
    _sandwich,
    as_density_matrix,
    linear,
)

__all__ = [
    "MMD",
    "EntanglementRegularised",
    "KLDivergence",
    "NegativeLogLikelihood",
    "ReadoutCrossEntropy",
    "SandwichedRenyi",
    "as_distribution",
    "entanglement_regularised",
    "kl_divergence",
    "mmd",
    "negative_log_likelihood",
    "pure_state_infidelity",
    "readout_cross_entropy",
    "readout_error",
    "sandwiched_renyi",
]

_LN2 = math.log(2.0)
_SUPPORT_CUTOFF = 1e-13  # eigenvalues of σ below this times the largest are rounding noise


# ------------------------------------------------------------------------------ validation
def _check_floor(floor) -> float:
    if isinstance(floor, bool) or not isinstance(floor, (int, float, np.floating)):
        raise TypeError(f"floor must be a float in (0, 1); got {type(floor).__name__}.")
    if not 0 < floor < 1:
        raise ValueError(f"floor must be in (0, 1); got {floor!r}.")
    return float(floor)


def as_distribution(q) -> tuple:
    """A target distribution q over the ``2**n_visible`` basis states, checked (1-D, length
    ``2**n`` with n ≥ 1, finite, ≥ 0, sums to 1 within 1e-8) and returned as a tuple of floats."""
    a = np.asarray(q)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"target distribution q must be real numbers; got dtype {a.dtype}.")
    a = a.astype(float)
    if a.ndim != 1 or a.shape[0] < 2 or a.shape[0] & (a.shape[0] - 1):
        raise ValueError(
            "target distribution q must be a 1-D array of length 2**n_visible (2, 4, 8, …); "
            f"got shape {a.shape}."
        )
    if not np.all(np.isfinite(a)):
        raise ValueError("target distribution q has non-finite entries.")
    if np.min(a) < 0:
        raise ValueError(
            f"target distribution q must be non-negative; got min q = {np.min(a):.3g} "
            f"at x = {int(np.argmin(a))}."
        )
    if abs(np.sum(a) - 1) > 1e-8:
        raise ValueError(f"target distribution q must sum to 1; got {np.sum(a):.10g}.")
    return tuple(float(v) for v in a / np.sum(a))


def _shannon_bits(q: np.ndarray) -> float:
    nz = q[q > 0]
    return float(-np.sum(nz * np.log2(nz)))


def _born(rho):
    """p(x) = Re ⟨x|ρ|x⟩, shape (..., d)."""
    return jnp.real(jnp.diagonal(rho, axis1=-2, axis2=-1))


def _diag(g, dtype):
    """diag(g) for g of shape (..., d) → (..., d, d)."""
    return g.astype(dtype)[..., :, None] * jnp.eye(g.shape[-1], dtype=dtype)


def _floored_log_loss(p, weights, floor):
    """(−Σ w log₂ max(p, floor), ∂/∂p) with ∂/∂p = 0 where p ≤ floor (the floored branch)."""
    pf = jnp.maximum(p, floor)
    value = -jnp.sum(weights * jnp.log(pf), axis=-1) / _LN2
    grad = jnp.where(p > floor, -weights / (pf * _LN2), 0.0)
    return value, grad


# ------------------------------------------------------------------------------ generative
@dataclass(frozen=True)
class NegativeLogLikelihood(Objective):
    """NLL(p) = −Σ_x q(x) log₂ max(p(x), floor) of the Born distribution p(x) = ⟨x|ρ|x⟩, in bits.

    G = diag(−q/(p ln 2)) where p(x) > floor and 0 where p(x) ≤ floor: the derivative of the
    floored function (constant in p(x) below the floor), taken one-sided at p(x) = floor.
    Range: max(0, H(q) − log₂(1 + d·floor)) ≤ NLL ≤ log₂(1/floor) (Gibbs' inequality; the floor
    lets Σ max(p, floor) exceed 1 by at most d·floor).
    """

    target: tuple
    floor: float = 1e-12

    name = "nll"

    @property
    def dim(self) -> int:
        return len(self.target)

    @property
    def q(self) -> np.ndarray:
        """The target distribution q(x), x big-endian."""
        return np.asarray(self.target, dtype=float)

    @property
    def entropy(self) -> float:
        """H(q) = −Σ q log₂ q in bits (the minimum of the unfloored NLL, at p = q)."""
        return _shannon_bits(self.q)

    @property
    def lower(self) -> float:  # type: ignore[override]
        return max(0.0, self.entropy - math.log2(1 + self.dim * self.floor))

    @property
    def upper(self) -> float:  # type: ignore[override]
        return math.log2(1.0 / self.floor)

    def _value_and_derivative(self, rho):
        f, g = _floored_log_loss(_born(rho), jnp.asarray(self.q), self.floor)
        return f, _diag(g, rho.dtype)


@dataclass(frozen=True)
class KLDivergence(NegativeLogLikelihood):
    """KL(q‖p) = Σ_x q(x) log₂(q(x)/max(p(x), floor)) = NLL − H(q), in bits.

    Zero at p = q (when every q(x) > 0 is ≥ floor); G as for :class:`NegativeLogLikelihood`.
    Range: −log₂(1 + d·floor) ≤ KL ≤ log₂(1/floor) − H(q).
    """

    name = "kl"

    @property
    def lower(self) -> float:  # type: ignore[override]
        return -math.log2(1 + self.dim * self.floor)

    @property
    def upper(self) -> float:  # type: ignore[override]
        return math.log2(1.0 / self.floor) - self.entropy

    def _value_and_derivative(self, rho):
        f, g = super()._value_and_derivative(rho)
        return f - self.entropy, g


@lru_cache(maxsize=32)
def _mixture_kernel(n_bits: int, bandwidths: tuple) -> np.ndarray:
    x = np.arange(2**n_bits)
    xor = x[:, None] ^ x[None, :]
    hamming = np.zeros(xor.shape, dtype=float)
    for k in range(n_bits):
        hamming += (xor >> k) & 1
    k_mat = np.mean([np.exp(-hamming / (2 * s)) for s in bandwidths], axis=0)
    k_mat.setflags(write=False)
    return k_mat


@dataclass(frozen=True)
class MMD(Objective):
    """Squared maximum mean discrepancy MMD²(p, q) = (p − q)ᵀ K (p − q) of p(x) = ⟨x|ρ|x⟩.

    .. math:: K(x, y) = \\frac1m \\sum_{σ} \\exp\\!\\big(−\\tfrac{‖x − y‖^2}{2σ}\\big),

    ‖x − y‖² the Hamming distance of the bit strings and σ over ``bandwidths`` (m of them)
    (Liu & Wang, PRA 98, 062324 (2018), arXiv:1804.04168). Each exp(−t·Hamming) is a tensor
    product of 2×2 positive-definite kernels, so K is positive definite and MMD² ≥ 0 with equality
    iff p = q. G = diag(2K(p − q)). Range: 0 ≤ MMD² ≤ max_x (e_x − q)ᵀK(e_x − q) (a convex function
    of p is largest at a vertex of the simplex).
    """

    target: tuple
    bandwidths: tuple = (0.25, 1.0, 4.0)

    name = "mmd"
    lower = 0.0

    @property
    def dim(self) -> int:
        return len(self.target)

    @property
    def q(self) -> np.ndarray:
        """The target distribution q(x), x big-endian."""
        return np.asarray(self.target, dtype=float)

    @property
    def kernel(self) -> np.ndarray:
        """K(x, y) as a (d, d) float array (a copy)."""
        return _mixture_kernel(self.n_visible, self.bandwidths).copy()

    @property
    def upper(self) -> float:  # type: ignore[override]
        k, q = _mixture_kernel(self.n_visible, self.bandwidths), self.q
        kq = k @ q
        return float(np.max(np.diagonal(k) - 2 * kq) + q @ kq)

    def _value_and_derivative(self, rho):
        k = jnp.asarray(_mixture_kernel(self.n_visible, self.bandwidths))
        diff = _born(rho) - jnp.asarray(self.q)
        kd = diff @ k  # K symmetric
        return jnp.sum(diff * kd, axis=-1), _diag(2 * kd, rho.dtype)


def negative_log_likelihood(q, floor: float = 1e-12) -> NegativeLogLikelihood:
    """NLL = −Σ_x q(x) log₂ max(⟨x|ρ_V|x⟩, floor) for a distribution q over 2**n_visible strings.

    Example: ``negative_log_likelihood([0.5, 0, 0, 0.5])`` (a Bell-pair distribution on 2 bits).
    """
    return NegativeLogLikelihood(as_distribution(q), _check_floor(floor))


def kl_divergence(q, floor: float = 1e-12) -> KLDivergence:
    """KL(q‖p) in bits of the Born distribution p(x) = ⟨x|ρ_V|x⟩ from the target q."""
    return KLDivergence(as_distribution(q), _check_floor(floor))


def mmd(q, bandwidths=(0.25, 1.0, 4.0)) -> MMD:
    """MMD² of the Born distribution against q with the Gaussian-mixture Hamming kernel."""
    try:
        bw = tuple(float(b) for b in np.atleast_1d(np.asarray(bandwidths, dtype=float)))
    except (TypeError, ValueError):
        raise TypeError(f"bandwidths must be positive numbers; got {bandwidths!r}.") from None
    if not bw or not all(np.isfinite(b) and b > 0 for b in bw):
        raise ValueError(f"bandwidths must be a non-empty list of finite values > 0; got {bw}.")
    return MMD(as_distribution(q), bw)


# ------------------------------------------------------------------------------ quantum data
def _power_divided_differences(w, beta):
    """L_ij = (w_i^β − w_j^β)/(w_i − w_j), L_ii = β w_i^{β−1}, for w > 0.

    Written as w_j^{β−1}·expm1(βt)/expm1(t), t = ln(w_i/w_j), which stays accurate as t → 0 (a
    second-order series is used for |t| < 1e-6).
    """
    lw = jnp.log(w)
    t = lw[..., :, None] - lw[..., None, :]
    small = jnp.abs(t) < 1e-6
    ts = jnp.where(small, 1.0, t)
    ratio = jnp.where(
        small,
        beta * (1 + beta * t / 2 + beta**2 * t**2 / 6) / (1 + t / 2 + t**2 / 6),
        jnp.expm1(beta * ts) / jnp.expm1(ts),
    )
    return jnp.exp((beta - 1) * lw)[..., None, :] * ratio


@dataclass(frozen=True)
class SandwichedRenyi(Objective):
    """Sandwiched Rényi divergence D̃_α(σ‖ρ) of a fixed data state σ from the model state ρ, bits.

    .. math:: D̃_α(σ‖ρ) = \\frac{1}{α − 1} \\log_2 \\operatorname{Tr}\\big[(ρ^{γ} σ ρ^{γ})^{α}\\big],
              \\qquad γ = \\frac{1 − α}{2α},

    for α ∈ [½, 1) ∪ (1, ∞) (Müller-Lennert et al., arXiv:1306.3142; Wilde, Winter & Yang,
    arXiv:1306.1586). α → 1 gives S(σ‖ρ) (:func:`ebp.landscape.relative_entropy`), α = ½ gives
    −log₂ F(σ, ρ), α → ∞ the max-divergence.

    Computed on the support of σ: with σ = X X† (X = V√s over the eigenvalues s > 10⁻¹³·max,
    exact zeros beyond), Tr (ρ^γ σ ρ^γ)^α = Tr M^α for the full-rank r×r matrix
    M = X† ρ^{β} X, β = 2γ = (1 − α)/α, so pure or rank-deficient σ need no pseudo-inverse.
    The derivative, from dQ = α Tr(M^{α−1} X† dρ^β X), is

    .. math:: G = \\frac{α}{(α − 1)\\,Q \\ln 2}\\, D[x^{β}](ρ)\\big[X M^{α−1} X^†\\big],
              \\qquad Q = \\operatorname{Tr} M^α,

    equal to the form with A = ρ^γσρ^γ and B = σρ^γA^{α−1} + A^{α−1}ρ^γσ. Eigenvalues of ρ are
    floored at ``floor`` (x^β has an unbounded derivative at 0 for β < 1 and is unbounded for
    β < 0); f and G are then those of the floored ρ, exact wherever λ_min(ρ) > floor. Range:
    −log₂(1 + d·floor) ≤ D̃_α ≤ log₂(1/floor) (data processing under the trace; D̃_α ≤ D_max).
    """

    target: tuple
    alpha: float
    floor: float = 1e-12

    name = "sandwiched_renyi"

    @property
    def dim(self) -> int:
        return len(self.target)

    @property
    def lower(self) -> float:  # type: ignore[override]
        return -math.log2(1 + self.dim * self.floor)

    @property
    def upper(self) -> float:  # type: ignore[override]
        return math.log2(1.0 / self.floor)

    def _support_factor(self) -> np.ndarray:
        s, v = np.linalg.eigh(np.asarray(self.target, dtype=complex))
        keep = s > _SUPPORT_CUTOFF * s[-1]
        return v[:, keep] * np.sqrt(s[keep])

    def _value_and_derivative(self, rho):
        a = self.alpha
        beta = (1 - a) / a
        x = jnp.asarray(self._support_factor(), dtype=rho.dtype)
        w, u = jnp.linalg.eigh(_herm(rho))
        w = jnp.maximum(w, self.floor)
        y = jnp.conj(jnp.swapaxes(u, -1, -2)) @ x  # U†X, (..., d, r)
        m = _herm(
            jnp.conj(jnp.swapaxes(y, -1, -2))
            @ (jnp.exp(beta * jnp.log(w))[..., :, None].astype(rho.dtype) * y)
        )
        mu, v = jnp.linalg.eigh(m)
        mu = jnp.maximum(mu, 0.0)
        mu_max = mu[..., -1:]
        scaled = mu / mu_max
        total = jnp.sum(scaled**a, axis=-1)  # Q / μ_max^α
        log_q = a * jnp.log(mu_max[..., 0]) + jnp.log(total)
        value = log_q / ((a - 1) * _LN2)
        # M^{α−1}/Q on the support, with μ_max factored out so that large α cannot overflow
        pos = scaled > 0
        powers = jnp.where(pos, jnp.where(pos, scaled, 1.0) ** (a - 1), 0.0)
        n = _sandwich(v, (powers / (mu_max * total[..., None])).astype(rho.dtype))
        b_rot = y @ n @ jnp.conj(jnp.swapaxes(y, -1, -2))  # U† X M^{α−1} X† U / Q
        frechet = (
            u
            @ (_power_divided_differences(w, beta).astype(rho.dtype) * b_rot)
            @ jnp.conj(jnp.swapaxes(u, -1, -2))
        )
        return value, _herm(a / ((a - 1) * _LN2) * frechet)


def sandwiched_renyi(sigma, alpha: float, floor: float = 1e-12) -> SandwichedRenyi:
    """D̃_α(σ‖ρ_V) in bits of data σ (state vector or density matrix) from the model state ρ_V.

    ``alpha`` ∈ [½, 1) ∪ (1, ∞); α = 1 is :func:`ebp.landscape.relative_entropy`.
    Example: ``sandwiched_renyi([1, 0], 2.0)`` (the collision divergence from |0⟩).
    """
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise TypeError(f"alpha must be a real number; got {type(alpha).__name__}.")
    alpha = float(alpha)
    if not (math.isfinite(alpha) and alpha >= 0.5 and alpha != 1.0):
        raise ValueError(
            f"alpha must be finite and in [1/2, 1) ∪ (1, ∞); got {alpha!r} "
            "(for alpha = 1 use ebp.landscape.relative_entropy)."
        )
    return SandwichedRenyi(
        _frozen_matrix(as_density_matrix(sigma, "sigma")), alpha, _check_floor(floor)
    )


# ------------------------------------------------------------------------------ regulariser
@dataclass(frozen=True)
class EntanglementRegularised(Objective):
    """f(ρ) + λ (S(ρ) − s*)², S(ρ) = −Tr ρ log₂ ρ the von Neumann entropy of ρ_V in bits.

    S(ρ_V) is the V|H entanglement entropy when the full state is pure (arXiv:2010.15968), so the
    penalty steers it towards s*. S is computed as −Σ_i h(λ_i) with h(λ) = λ log₂ λ for
    λ ≥ floor and its tangent line below, so S is C¹ on all Hermitian ρ (within d·floor/ln 2 of
    the true entropy) and its derivative is exact everywhere, including rank-deficient ρ:

    .. math:: G = G_f + 2λ(S − s^*)\\,\\big(−\\log_2 \\max(ρ, \\mathrm{floor}) − 1/\\ln 2\\big).
    """

    objective: Objective
    weight: float
    target_entropy: float = 0.0
    floor: float = 1e-12

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.objective.name}+entropy"

    @property
    def dim(self) -> int:
        return self.objective.dim

    @property
    def lower(self) -> float:  # type: ignore[override]
        return self.objective.lower

    @property
    def upper(self) -> float:  # type: ignore[override]
        s = self.target_entropy
        return self.objective.upper + self.weight * max(s, self.n_visible - s) ** 2

    def entropy(self, rho):
        """The (floored) von Neumann entropy S(ρ) in bits, batched."""
        return self._entropy(jnp.linalg.eigvalsh(_herm(jnp.asarray(rho))))

    def _entropy(self, w):
        fl = self.floor
        lf = jnp.log2(jnp.maximum(w, fl))
        h = jnp.where(w >= fl, w * lf, fl * math.log2(fl) + (w - fl) * (math.log2(fl) + 1 / _LN2))
        return -jnp.sum(h, axis=-1)

    def _value_and_derivative(self, rho):
        f, g = self.objective.value_and_derivative(rho)
        w, u = jnp.linalg.eigh(_herm(rho))
        excess = self._entropy(w) - self.target_entropy
        dh = jnp.log2(jnp.maximum(w, self.floor)) + 1 / _LN2
        g_s = -_sandwich(u, dh.astype(rho.dtype))
        coeff = (2 * self.weight * excess)[..., None, None]
        return f + self.weight * excess**2, _herm(g + coeff * g_s)


def entanglement_regularised(
    objective: Objective, weight: float, target_entropy: float = 0.0, floor: float = 1e-12
) -> EntanglementRegularised:
    """f(ρ_V) + weight·(S(ρ_V) − target_entropy)² for an objective f (see the class)."""
    if not isinstance(objective, Objective):
        raise TypeError(
            f"objective must be an ebp.landscape.Objective; got {type(objective).__name__}."
        )
    for what, v in (("weight", weight), ("target_entropy", target_entropy)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"{what} must be a real number; got {type(v).__name__}.")
    if not (math.isfinite(weight) and weight >= 0):
        raise ValueError(f"weight must be finite and >= 0; got {weight!r}.")
    n_v = objective.n_visible
    if not 0 <= target_entropy <= n_v:
        raise ValueError(
            f"target_entropy must be in [0, n_visible] = [0, {n_v}] bits; got {target_entropy!r}."
        )
    return EntanglementRegularised(
        objective, float(weight), float(target_entropy), _check_floor(floor)
    )


# ------------------------------------------------------------------------------ classifiers
def _readout_args(label, n_visible, wire) -> tuple[int, int, int]:
    label = check_int("label", label, brief=True)
    if label not in (0, 1):
        raise ValueError(f"label must be 0 or 1; got {label}.")
    n_visible = check_int("n_visible", n_visible, brief=True)
    if not 1 <= n_visible <= 20:
        raise ValueError(f"n_visible must be in 1..20; got {n_visible}.")
    wire = check_int("wire", wire, brief=True)
    if not 0 <= wire < n_visible:
        raise ValueError(f"wire must be a visible wire in 0..{n_visible - 1}; got {wire}.")
    return label, n_visible, wire


def _bit_on_wire(n_visible: int, wire: int) -> np.ndarray:
    """b(x) = bit of x on ``wire`` (big-endian), the diagonal of Π₁ = |1⟩⟨1|_wire."""
    return ((np.arange(2**n_visible) >> (n_visible - 1 - wire)) & 1).astype(float)


@dataclass(frozen=True)
class ReadoutCrossEntropy(Objective):
    """−[y log₂ p₁ + (1 − y) log₂(1 − p₁)] = −log₂ max(Tr(Π_y ρ), floor), in bits.

    p₁ = Tr(Π₁ρ), Π₁ = |1⟩⟨1| on visible ``wire``, Π₀ = I − Π₁; y = ``label``. The derivative is
    G = −Π_y/(Tr(Π_y ρ) ln 2) (diagonal), and 0 where Tr(Π_y ρ) ≤ floor (the floored branch).
    Range: [0, log₂(1/floor)].
    """

    label: int
    n_qubits: int
    wire: int = 0
    floor: float = 1e-12

    name = "cross_entropy"
    lower = 0.0

    @property
    def dim(self) -> int:
        return 2**self.n_qubits

    @property
    def upper(self) -> float:  # type: ignore[override]
        return math.log2(1.0 / self.floor)

    @property
    def projector_diagonal(self) -> np.ndarray:
        """The diagonal of Π_y (1 where the readout bit equals the label)."""
        b = _bit_on_wire(self.n_qubits, self.wire)
        return b if self.label == 1 else 1 - b

    def _value_and_derivative(self, rho):
        pi = jnp.asarray(self.projector_diagonal)
        p_y = jnp.sum(pi * _born(rho), axis=-1)
        f, dp = _floored_log_loss(p_y[..., None], jnp.ones(1), self.floor)
        return f, _diag(dp * pi, rho.dtype)


def readout_cross_entropy(
    label: int, n_visible: int, wire: int = 0, floor: float = 1e-12
) -> ReadoutCrossEntropy:
    """Binary cross-entropy (bits) of the readout of visible ``wire`` against ``label`` ∈ {0, 1}.

    Example: ``readout_cross_entropy(1, 3, wire=0)`` is −log₂ Tr(|1⟩⟨1|₀ ⊗ I ⊗ I ρ).
    """
    label, n_visible, wire = _readout_args(label, n_visible, wire)
    return ReadoutCrossEntropy(label, n_visible, wire, _check_floor(floor))


def readout_error(label: int, n_visible: int, wire: int = 0) -> Linear:
    """P(single-shot readout of ``wire`` ≠ label) = Tr(Π_{1−y} ρ_V), a :class:`Linear` in [0, 1]."""
    label, n_visible, wire = _readout_args(label, n_visible, wire)
    b = _bit_on_wire(n_visible, wire)
    wrong = 1 - b if label == 1 else b
    obj = linear(np.diag(wrong).astype(complex), n_visible)
    return replace(obj, label=f"readout_error[y={label},wire={wire}]")


def pure_state_infidelity(target_vector) -> Linear:
    """1 − ⟨φ|ρ_V|φ⟩ = Tr((I − |φ⟩⟨φ|) ρ_V), a :class:`Linear` objective in [0, 1].

    For a pure target φ this is exactly 1 − F(φ, ρ_V) (Uhlmann fidelity), and being linear it has
    an unbiased shot estimator. ``target_vector`` (length 2**n_visible) is normalised.
    """
    t = np.asarray(target_vector)
    if t.ndim != 1:
        raise ValueError(
            f"target_vector must be a 1-D state vector; got shape {t.shape} (for a mixed target "
            "use 1 − ebp.landscape.fidelity)."
        )
    phi = as_density_matrix(t, "target_vector")
    d = phi.shape[0]
    obj = linear(np.eye(d, dtype=complex) - phi, d.bit_length() - 1)
    return replace(obj, label="infidelity")
