"""Typical dynamics: a state evolved for time t under a Gaussian-unitary-ensemble Hamiltonian.

Ensemble (all methods): H = (G + G†)/(2√d) with G_ij i.i.d. standard complex Gaussians,
d = 2**n, so E|H_ij|² = 1/(2d) and the spectrum fills the semicircle on [−√2, √2];
|ψ(t)⟩ = e^{−iHt}|0…0⟩.  Three ways to produce ψ(t) are offered (``method=``):

``"chebyshev"``
    H is drawn densely by :func:`gue_hamiltonian` and e^{−iHt}|0⟩ is summed as a Chebyshev
    series with matrix-vector products only (Tal-Ezer & Kosloff 1984): O(d²) memory and
    O(d² (‖H‖t + 40)) time per instance instead of eigh's O(d³).
``"eigh"``
    The same H, diagonalised (O(d³); the reference, and the cheaper choice when ‖H‖t ≳ d).
``"tridiagonal"``
    The same *distribution* of ψ(t) without ever forming H (O(d) memory and time): the
    Householder tridiagonalisation of a GUE matrix that keeps e_0 fixed has independent
    entries (Trotter 1984; Dumitriu & Edelman 2002), which give ⟨0|ψ(t)⟩ exactly, and the
    rest of ψ(t) is a uniformly random direction (invariance of the GUE under the unitaries
    that fix |0⟩).  See :func:`gue_evolution` for details.

``"auto"`` (default) uses the dense methods for n ≤ 8 qubits, where they are cheap, and the
tridiagonal sampler above that.
"""

from __future__ import annotations

import math
import numbers
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import scipy.special

from .._checks import MAX_QUBITS, check_batch, check_key, check_state_fits, is_int
from .._chunks import chunk_size, chunk_slices, padded_total
from .._precision import require_x64

__all__ = ["gue_evolution", "gue_hamiltonian"]

_METHODS = ("auto", "chebyshev", "eigh", "tridiagonal")
_AUTO_DENSE_MAX_QUBITS = 8  # "auto": dense H (exact e^{-iHt}|0> of gue_hamiltonian) up to here
_DENSE_CHUNK_BYTES = 2**28  # batched dense H per chunk: 256 MiB (peak ~3x this with temporaries)
_LANCZOS_STEPS = 10  # Lanczos steps for the spectral-radius estimate behind the Chebyshev scale
_SCALE_MARGIN = 1.1  # a = 1.1 x (Lanczos estimate of max|E|) + 1e-3
_SERIES_TOL = 1e-17  # truncation: sum of the dropped |Chebyshev coefficients| (per unit norm)
_SERIES_PAD = 4  # extra terms beyond the truncation point (robust to a slightly small a)


def _instance_keys(key, batch: tuple[int, ...]):
    """One key per instance (C order): the key itself for batch == (), else split(key, B)."""
    if batch == ():
        return None
    return jax.random.split(key, math.prod(batch))


def _real_dtype():
    return jnp.dtype(jnp.float64)


# ----------------------------------------------------------------------------- dense H
@partial(jax.jit, static_argnums=1)
def _gue_one(key, d: int) -> jax.Array:
    kr, ki = jax.random.split(key)
    # Materialise the two Gaussian arrays before the transposed reads below: fused into them,
    # the random number generation ran twice with a strided access pattern (d = 4096: ~4 s
    # per matrix for the old complex formulation, ~1 s now).
    re, im = jax.lax.optimization_barrier(
        (jax.random.normal(kr, (d, d)), jax.random.normal(ki, (d, d)))
    )
    # G = (re + i im)/√2 and H = (G + G†)/(2√d) = [(re + reᵀ) + i (im − imᵀ)] / (2√(2d)).
    scale = 1.0 / (2.0 * math.sqrt(2.0 * d))
    return jax.lax.complex((re + re.T) * scale, (im - im.T) * scale)


_gue_many = jax.jit(jax.vmap(_gue_one, in_axes=(0, None)), static_argnums=1)


def gue_hamiltonian(
    d: int, seed: int | jax.Array, *, batch: int | tuple[int, ...] = ()
) -> jax.Array:
    """H = (G + G†)/(2√d) with G_ij i.i.d. standard complex Gaussians (E|G_ij|² = 1).

    This GUE normalisation gives E|H_ij|² = 1/(2d) off the diagonal (and for the real
    diagonal) and a semicircle spectrum on [−√2, √2] (Mehta, *Random Matrices*, 3rd ed.,
    ch. 3).  Seeding: with ``batch=()`` the matrix is drawn from ``seed`` itself; with a
    batch of B = prod(batch) instances, instance i (C order) is drawn from
    ``jax.random.split(key, B)[i]``, so instances can be generated in chunks.

    Args:
        d: matrix size (>= 1).
        seed: int or jax PRNG key.
        batch: leading batch shape (int or tuple of ints).

    Returns:
        Complex array of shape ``(*batch, d, d)``.
    """
    if not is_int(d):
        raise TypeError(f"d must be an int >= 1; got {type(d).__name__} {d!r}.")
    if d < 1:
        raise ValueError(f"d must be an int >= 1; got {d!r}.")
    d = int(d)
    require_x64("a complex128 GUE matrix")
    key = check_key(seed)
    batch = check_batch(batch)
    count = math.prod(batch)
    # two real Gaussian d × d draws per matrix while it is formed, and the complex result
    check_state_fits(
        f"{max(count, 1)} GUE matrices of size {d} × {d}", 2 * max(count, 1) * 16 * d * d
    )
    keys = _instance_keys(key, batch)
    if keys is None:
        return _gue_one(key, d)
    if keys.shape[0] == 0:
        return jnp.zeros(batch + (d, d), jnp.complex128)
    return _gue_many(keys, d).reshape(batch + (d, d))


def _matvec(h, v):
    return jnp.einsum("cij,cj->ci", h, v, precision=jax.lax.Precision.HIGHEST)


@partial(jax.jit, static_argnums=1)
def _lanczos_radius(h: jax.Array, steps: int) -> jax.Array:
    """Estimate of max|E| per instance: extreme Ritz values of ``steps`` Lanczos steps from e_0.

    Full re-orthogonalisation (classical Gram–Schmidt, twice) against the stored basis; a
    lower estimate of ‖H‖ (exact if steps = d), used only to pick the Chebyshev scale.
    """
    c, d = h.shape[0], h.shape[-1]
    v0 = jnp.zeros((c, d), h.dtype).at[:, 0].set(1.0)
    basis = jnp.zeros((c, steps, d), h.dtype).at[:, 0].set(v0)

    def project_out(basis, w):
        return w - jnp.einsum("csd,cs->cd", basis, jnp.einsum("csd,cd->cs", jnp.conj(basis), w))

    def body(j, carry):
        basis, v, alphas, betas = carry
        w = _matvec(h, v)
        alphas = alphas.at[:, j].set(jnp.real(jnp.sum(jnp.conj(v) * w, axis=-1)))
        w = project_out(basis, project_out(basis, w))
        beta = jnp.linalg.norm(w, axis=-1)
        v = w / jnp.where(beta > 0, beta, 1.0)[:, None]
        nxt = jnp.minimum(j + 1, steps - 1)  # the last residual is not stored
        basis = jnp.where(j + 1 < steps, basis.at[:, nxt].set(v), basis)
        return basis, v, alphas, betas.at[:, j].set(beta)

    real = h.real.dtype
    init = (basis, v0, jnp.zeros((c, steps), real), jnp.zeros((c, steps), real))
    _, _, alphas, betas = jax.lax.fori_loop(0, steps, body, init)
    off = betas[:, :-1]
    t = (
        jax.vmap(jnp.diag)(alphas)
        + jax.vmap(lambda b: jnp.diag(b, 1))(off)
        + jax.vmap(lambda b: jnp.diag(b, -1))(off)
    )
    return jnp.max(jnp.abs(jnp.linalg.eigvalsh(t)), axis=-1)


def _chebyshev_order(z: float, tol: float) -> int:
    """Smallest K >= |z| with Σ_{k>K} 2|J_k(z)| <= tol.

    J_k(z) decays super-exponentially once k > |z|, so K ≈ |z| + O(|z|^{1/3}) + 30.
    """
    z = abs(float(z))
    kmax = int(z + 20.0 * z ** (1.0 / 3.0) + 60)
    tail = 2.0 * np.abs(scipy.special.jv(np.arange(kmax + 2), z))
    after = np.cumsum(tail[::-1])[::-1]  # after[k] = Σ_{j>=k} 2|J_j|
    ok = np.nonzero((after[1:] <= tol) & (np.arange(kmax + 1) >= math.floor(z)))[0]
    return int(ok[0]) if ok.size else kmax


@jax.jit
def _chebyshev_series(h: jax.Array, inv_a: jax.Array, coef: jax.Array):
    """ψ = Σ_k coef_k T_k(H/a) e_0 via T_{k+1} = 2(H/a)T_k − T_{k−1} on vectors.

    Also returns the size of the last two terms, |c_K|‖v_K‖ + |c_{K−1}|‖v_{K−1}‖.
    """
    c, d = h.shape[0], h.shape[-1]
    n_terms = coef.shape[-1]
    v0 = jnp.zeros((c, d), h.dtype).at[:, 0].set(1.0)
    v1 = h[:, :, 0] * inv_a[:, None]  # T_1(H̃) e_0 = H̃ e_0
    acc = coef[:, :1] * v0 + coef[:, 1:2] * v1

    def body(k, carry):
        prev, cur, acc = carry
        nxt = 2.0 * inv_a[:, None] * _matvec(h, cur) - prev
        return cur, nxt, acc + coef[:, k, None] * nxt

    prev, cur, acc = jax.lax.fori_loop(2, n_terms, body, (v0, v1, acc))
    tail = jnp.abs(coef[:, -1]) * jnp.linalg.norm(cur, axis=-1) + jnp.abs(
        coef[:, -2]
    ) * jnp.linalg.norm(prev, axis=-1)
    return acc, tail


@jax.jit
def _eigh_evolution(h: jax.Array, t) -> jax.Array:
    e, v = jnp.linalg.eigh(h)
    amp = jnp.conj(v[..., 0, :]) * jnp.exp(-1j * e * t)
    return jnp.einsum("...ij,...j->...i", v, amp)


def _tolerance(dtype) -> float:
    return max(1e-11, 1e4 * float(jnp.finfo(dtype).eps))


def _dense_chunk(h: jax.Array, t: float, method: str) -> jax.Array:
    """e^{−iHt} e_0 for a chunk of dense Hamiltonians ``h`` (C, d, d)."""
    d = h.shape[-1]
    steps = min(d, _LANCZOS_STEPS)
    radius = np.asarray(_lanczos_radius(h, steps))
    a = _SCALE_MARGIN * radius + 1e-3
    z = a * t
    order = max(_chebyshev_order(zi, _SERIES_TOL) for zi in z) + _SERIES_PAD
    n_terms = -(-(order + 1) // 8) * 8  # multiple of 8: fewer recompilations
    if method == "auto" and n_terms + steps >= d:
        return _eigh_evolution(h, t)  # diagonalising is cheaper than the series here
    k = np.arange(n_terms)
    coef = np.where(k == 0, 1.0, 2.0) * (-1j) ** k * scipy.special.jv(k[None, :], z[:, None])
    psi, tail = _chebyshev_series(h, jnp.asarray(1.0 / a, h.real.dtype), jnp.asarray(coef, h.dtype))
    tol = _tolerance(h.real.dtype)
    norm_err = np.abs(np.linalg.norm(np.asarray(psi), axis=-1) - 1.0)
    bad = np.nonzero(~((norm_err <= tol) & (np.asarray(tail) <= tol)))[0]
    if bad.size:  # series not converged (a far below ‖H‖): exact diagonalisation instead
        psi = psi.at[bad].set(_eigh_evolution(h[bad], t))
    return psi


def _dense_evolution(n: int, key, batch: tuple[int, ...], t: float, method: str) -> jax.Array:
    d = 2**n
    keys = _instance_keys(key, batch)
    if keys is None:
        h = _gue_one(key, d)[None]
        run = _eigh_evolution if method == "eigh" else partial(_dense_chunk, method=method)
        return run(h, t)[0]
    size = keys.shape[0]
    chunk = chunk_size(_DENSE_CHUNK_BYTES, 16 * d * d)
    parts = []
    for piece in chunk_slices(size, chunk):
        h = _gue_many(keys[piece], d)
        parts.append(_eigh_evolution(h, t) if method == "eigh" else _dense_chunk(h, t, method))
        del h
    return jnp.concatenate(parts).reshape(batch + (d,))


# ----------------------------------------------------------------------------- tridiagonal model
@partial(jax.jit, static_argnums=1)
def _tridiagonal_draws(keys: jax.Array, d: int):
    """Householder-tridiagonal form of one GUE(d) matrix per key, plus a random direction.

    Returns (alpha (B, d), beta (B, d−1), u (B, d−1), radius (B,)): T = tridiag(beta, alpha,
    beta) with alpha_j ~ N(0, 1/(2d)), beta_j² ~ Gamma(d − j, scale 1/(2d)), j = 1 … d−1, all
    independent; u uniform on the unit sphere of C^{d−1}; radius = Gershgorin bound ≥ ‖T‖.
    """
    var = 1.0 / (2.0 * d)
    shape = (d - jnp.arange(1, d)).astype(_real_dtype())

    def one(key):
        k_diag, k_off, k_re, k_im = jax.random.split(key, 4)
        alpha = jax.random.normal(k_diag, (d,)) * math.sqrt(var)
        beta = jnp.sqrt(jax.random.gamma(k_off, shape) * var)
        g = jax.lax.complex(jax.random.normal(k_re, (d - 1,)), jax.random.normal(k_im, (d - 1,)))
        return alpha, beta, g / jnp.linalg.norm(g)

    alpha, beta, u = jax.vmap(one)(keys)
    pad = jnp.zeros_like(alpha[:, :1])
    radius = jnp.max(
        jnp.abs(alpha) + jnp.concatenate([pad, beta], -1) + jnp.concatenate([beta, pad], -1), -1
    )
    return alpha, beta, u, radius


@partial(jax.jit, static_argnums=3)
def _tridiagonal_states(alpha, beta, u, m: int, t):
    """ψ = (c, s u) from the leading m×m block of T.

    The block's eigen-decomposition is the m-point Gauss quadrature of the spectral measure
    of e_0 (Golub & Welsch, Math. Comp. 23, 221 (1969)).
    """
    b, _ = alpha.shape
    idx = jnp.arange(m)
    tm = jnp.zeros((b, m, m), alpha.dtype).at[:, idx, idx].set(alpha[:, :m])
    if m > 1:
        tm = tm.at[:, idx[:-1], idx[1:]].set(beta[:, : m - 1])
        tm = tm.at[:, idx[1:], idx[:-1]].set(beta[:, : m - 1])
    theta, q = jnp.linalg.eigh(tm)
    w = q[:, 0, :] ** 2
    w = w / jnp.sum(w, axis=-1, keepdims=True)
    c = jnp.sum(w * jnp.exp(-1j * theta * t), axis=-1)  # ⟨0|e^{−iTt}|0⟩
    # 1 − |c|² = Σ_jk w_j w_k 2 sin²((θ_j − θ_k) t / 2): no cancellation, exactly 0 at t = 0.
    half = 0.5 * (theta[:, :, None] - theta[:, None, :]) * t
    s2 = jnp.einsum("bj,bk,bjk->b", w, w, 2.0 * jnp.sin(half) ** 2)
    norm = jnp.sqrt(jnp.abs(c) ** 2 + s2)
    psi = jnp.concatenate([c[:, None], (jnp.sqrt(s2)[:, None] * u).astype(c.dtype)], axis=-1)
    return psi / norm[:, None]


def _tridiagonal_evolution(n: int, key, batch: tuple[int, ...], t: float) -> jax.Array:
    d = 2**n
    keys = _instance_keys(key, batch)
    flat = key[None] if keys is None else keys
    size = flat.shape[0]
    # Fixed chunk shapes (8 or 128 instances, the last one padded) so that the jitted kernels
    # compile once per d (and m) instead of once per batch size.
    chunk = 8 if size <= 8 else 128
    total = padded_total(size, chunk)
    flat = jnp.concatenate([flat, jnp.broadcast_to(flat[:1], (total - size,) + flat.shape[1:])])
    draws = [_tridiagonal_draws(flat[piece], d) for piece in chunk_slices(total, chunk)]
    alpha, beta, u, radius = (jnp.concatenate(x) for x in zip(*draws))
    # Gauss quadrature with m nodes is exact for polynomials of degree 2m − 1, so its error
    # is <= 2 × 2 Σ_{k>2m−1} |J_k(R t)| with R >= ‖T‖ (Chebyshev series of e^{−ixt} on [−R, R]).
    order = _chebyshev_order(float(np.max(np.asarray(radius[:size]))) * t, _SERIES_TOL / 2)
    m = max(2, -(-(order + 1) // 2))  # 2m − 1 >= order
    m = min(d, -(-m // 8) * 8)  # multiple of 8: fewer recompilations
    fits = 1 << max(0, (_DENSE_CHUNK_BYTES // (32 * m * m)).bit_length() - 1)
    step = min(chunk, fits)  # both powers of two, so step divides total
    parts = [
        _tridiagonal_states(alpha[piece], beta[piece], u[piece], m, t)
        for piece in chunk_slices(total, step)
    ]
    psi = jnp.concatenate(parts)[:size]
    return psi[0] if keys is None else psi.reshape(batch + (d,))


# ----------------------------------------------------------------------------- public
def _check_time(t) -> float:
    real_scalar = isinstance(t, numbers.Real) or (
        hasattr(t, "dtype")
        and np.ndim(t) == 0
        and (np.issubdtype(t.dtype, np.integer) or np.issubdtype(t.dtype, np.floating))
    )
    if isinstance(t, (bool, np.bool_)) or not real_scalar:
        raise TypeError(f"t must be a finite real number; got {type(t).__name__} {t!r}.")
    t = float(t)
    if not math.isfinite(t):
        raise ValueError(f"t must be finite; got {t}.")
    return t


_TRIDIAGONAL_WORDS = 6
"""Complex-sized words per amplitude held by the tridiagonal sampler: the draws (diagonal,
off-diagonal, direction), their concatenation and the output."""


def _check_fits(n_qubits: int, count: int, method: str) -> None:
    """Refuse a batch whose working memory exceeds this machine's (before any allocation)."""
    d = 2**n_qubits
    amplitudes = f"{count} GUE-evolved state(s) of {n_qubits} qubits ({d} amplitudes each"
    if method == "tridiagonal":
        check_state_fits(
            f"{amplitudes}, method 'tridiagonal')", _TRIDIAGONAL_WORDS * 16 * d * count
        )
    else:  # one chunk of dense Hamiltonians (peak ~3 copies) and the output states
        per_chunk = min(count, chunk_size(_DENSE_CHUNK_BYTES, 16 * d * d))
        check_state_fits(
            f"{amplitudes}, method {method!r}: dense {d} × {d} Hamiltonians)",
            3 * 16 * d * d * per_chunk + 16 * d * count,
        )


def gue_evolution(
    n_qubits: int,
    seed: int | jax.Array,
    *,
    t: float = 10.0,
    batch: int | tuple[int, ...] = (),
    method: str = "auto",
) -> jax.Array:
    """|ψ⟩ = e^{−iHt}|0…0⟩ with H a GUE matrix as in :func:`gue_hamiltonian` (typical dynamics).

    Ensemble: H = (G + G†)/(2√d), d = 2**n, G_ij i.i.d. standard complex Gaussians
    (semicircle on [−√2, √2]); every method below samples exactly this law of ψ(t).

    Methods:

    * ``"chebyshev"``: H_i = ``gue_hamiltonian(d, seed, batch=batch)[i]`` (instance i drawn
      from ``jax.random.split(key, B)[i]``, or from ``seed`` itself if ``batch=()``), and
      ψ = Σ_k c_k T_k(H/a) e_0 with c_k = (2 − δ_k0)(−i)^k J_k(a t) (Jacobi–Anger; Tal-Ezer &
      Kosloff, J. Chem. Phys. 81, 3967 (1984)).  a = 1.1 × (max |Ritz value| of 10 Lanczos
      steps) + 10⁻³, and the series is truncated once Σ_{k>K} 2|J_k(at)| < 10⁻¹⁷ (K ≈ at + 30),
      computed by the recurrence T_{k+1} = 2H̃T_k − T_{k−1} on vectors.  An instance whose
      result is not normalised to 10⁻¹¹ or whose last terms are not negligible is recomputed
      by diagonalisation.  Batches are processed in chunks of ≤ 256 MiB of Hamiltonians.
    * ``"eigh"``: the same H_i, ψ = V (e^{−iEt} ⊙ V†e_0) from H = V diag(E) V† (O(d³)).
    * ``"tridiagonal"``: H is never formed.  Householder reduction of H with e_0 fixed gives
      H = W T W†, W e_0 = e_0, with T real tridiagonal, T_jj ~ N(0, 1/(2d)),
      T_{j,j+1}² ~ Gamma(d − j − 1, scale 1/(2d)), all independent (Trotter, Adv. Math. 54,
      67 (1984); Dumitriu & Edelman, J. Math. Phys. 43, 5830 (2002)).  Hence
      c = ⟨0|ψ⟩ = ⟨e_0|e^{−iTt}|e_0⟩, evaluated exactly (to ~10⁻¹⁶) by Gauss quadrature on
      the leading m × m block, m ≈ (‖T‖t + 40)/2 (Golub & Welsch 1969).  Since the GUE is
      invariant under the unitaries fixing |0⟩, the component of ψ orthogonal to |0⟩ is
      √(1 − |c|²) u with u uniform on the unit sphere of C^{d−1}, independent of c.  Cost
      O(d) per instance (≈ 2d + m random numbers).  Instance i uses key i as above, split
      four ways (diagonal, off-diagonal, direction real/imaginary parts).
    * ``"auto"`` (default): ``"chebyshev"`` for n ≤ 8 (``"eigh"`` instead when a·t ≳ d, where
      it is cheaper), ``"tridiagonal"`` for n > 8.

    The same (n, seed, t, batch, method) always gives the same numbers.  ``t = 0`` returns
    |0…0⟩ exactly.

    Args:
        n_qubits: number of qubits n (d = 2**n).
        seed: int or jax PRNG key.
        t: evolution time (finite real; negative values evolve backwards).
        batch: leading batch shape (int or tuple of non-negative ints).
        method: ``"auto"``, ``"chebyshev"``, ``"eigh"`` or ``"tridiagonal"``.

    Returns:
        Complex array of shape ``(*batch, 2**n_qubits)`` (complex128).

    Reference: arXiv:2010.15968 (GUE baseline, t = 10).
    """
    if not is_int(n_qubits):
        raise TypeError(f"n_qubits must be an int; got {type(n_qubits).__name__} {n_qubits!r}.")
    if not 1 <= n_qubits <= MAX_QUBITS:
        raise ValueError(f"n_qubits must be in 1..{MAX_QUBITS}; got {n_qubits}.")
    t = _check_time(t)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}; got {method!r}.")
    key = check_key(seed)
    batch = check_batch(batch)
    d = 2**n_qubits
    require_x64("a complex128 GUE-evolved state")
    cdtype = jnp.dtype(jnp.complex128)
    if math.prod(batch) == 0:
        return jnp.zeros(batch + (d,), cdtype)
    if t == 0.0:
        return jnp.zeros(batch + (d,), cdtype).at[..., 0].set(1.0)
    if method == "auto":
        method = "auto" if n_qubits <= _AUTO_DENSE_MAX_QUBITS else "tridiagonal"
    _check_fits(n_qubits, math.prod(batch), method)
    if method == "tridiagonal":
        return _tridiagonal_evolution(n_qubits, key, batch, t)
    return _dense_evolution(n_qubits, key, batch, t, method)
