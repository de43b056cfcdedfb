"""Typical dynamics: a state evolved for time t under a Gaussian-unitary-ensemble Hamiltonian."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ..circuit._circuit import _check_register

__all__ = ["gue_hamiltonian", "gue_evolution"]


def _key(seed):
    if isinstance(seed, (int,)) and not isinstance(seed, bool):
        return jax.random.PRNGKey(seed)
    if isinstance(seed, jax.Array) and jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
        return seed
    if isinstance(seed, jax.Array) and seed.shape == (2,):
        return seed
    raise TypeError(f"seed must be an int or a jax PRNG key; got {type(seed).__name__}.")


def gue_hamiltonian(d: int, seed, *, batch: tuple[int, ...] = ()):
    """H = (G + G†)/(2√d) with G_ij i.i.d. standard complex Gaussians (E|G_ij|² = 1).

    This GUE normalisation gives E|H_ij|² = 1/(2d) off the diagonal and a semicircle spectrum on
    [−√2, √2] (Mehta, *Random Matrices*, 3rd ed., ch. 3).
    """
    kr, ki = jax.random.split(_key(seed))
    shape = tuple(batch) + (d, d)
    g = (jax.random.normal(kr, shape) + 1j * jax.random.normal(ki, shape)) / jnp.sqrt(2.0)
    return (g + jnp.conj(jnp.swapaxes(g, -1, -2))) / (2 * jnp.sqrt(d))


def gue_evolution(n_qubits: int, seed, *, t: float = 10.0, batch: tuple[int, ...] = ()):
    """|ψ⟩ = e^{−iHt}|0…0⟩ with H from :func:`gue_hamiltonian`; the paper's typical dynamics.

    Computed exactly from the eigendecomposition H = V diag(E) V†:
    ψ = V (e^{−iEt} ⊙ V†|0⟩). Shape ``(*batch, 2**n_qubits)``. Reference: arXiv:2010.15968
    (GUE baseline, t = 10).
    """
    _check_register(n_qubits, 0)
    if not jnp.isfinite(t):
        raise ValueError(f"t must be finite; got {t}.")
    h = gue_hamiltonian(2**n_qubits, seed, batch=batch)
    e, v = jnp.linalg.eigh(h)
    amp = jnp.conj(v[..., 0, :]) * jnp.exp(-1j * e * t)
    return jnp.einsum("...ij,...j->...i", v, amp)
