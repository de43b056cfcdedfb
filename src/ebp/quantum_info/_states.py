"""Pure-state validation and Haar-random states / unitaries.

Conventions (project-wide): a state of ``n`` qubits is an array of shape
``(..., 2**n)``; leading axes are batch axes.  Qubit order is big-endian
(wire 0 is the most significant bit), visible wires ``0 … n_v−1`` first, so
reshaping the last axis to ``(2**n_v, 2**n_h)`` gives the V|H cut.
"""

from __future__ import annotations

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike, DTypeLike

from .._checks import check_batch, check_int, check_key, check_state_fits
from .._precision import require_x64

__all__ = ["validate_state", "check_n_visible", "haar_state", "haar_unitary"]

_COMPLEX_DTYPES = (np.dtype(np.complex64), np.dtype(np.complex128))


def validate_state(state: ArrayLike) -> tuple[jax.Array, int]:
    """Check a (batch of) pure state vector(s) and return it with its qubit count.

    The last axis must have length ``2**n`` with ``n >= 1``.  Complex inputs keep
    their dtype (complex64 stays complex64); real float32/float16 inputs become
    complex64 and every other real or integer input becomes complex128.  The
    state is *not* renormalised.

    Args:
        state: array-like of shape ``(..., 2**n)``.

    Returns:
        ``(array, n)`` -- the state as a complex ``jax.Array`` and the number of
            qubits ``n``.

    Raises:
        TypeError: if the input is not numeric (e.g. bool, string, object).
        ValueError: if the input is 0-d or its last axis is not a power of two >= 2.
        RuntimeError: if the state would be kept in complex128 while JAX's 64-bit mode is off
            (see :func:`ebp.enable_x64`).
    """
    if not hasattr(state, "dtype"):
        try:
            state = np.asarray(state)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"state must be a numeric array-like; got {type(state).__name__}."
            ) from err
    dt = np.dtype(state.dtype)
    if dt == np.bool_ or not np.issubdtype(dt, np.number):
        raise TypeError(f"state must be a numeric (complex or real) array; got dtype {dt}.")
    single = dt == np.complex64 or (np.issubdtype(dt, np.floating) and dt.itemsize <= 4)
    if not single:
        require_x64(f"a state of dtype {dt} (kept in complex128)")
    arr = jnp.asarray(state)
    if arr.ndim == 0:
        raise ValueError("state must have at least one axis of length 2**n; got a 0-d array.")
    length = arr.shape[-1]
    if length < 2 or length & (length - 1):
        raise ValueError(f"state length must be a power of two (2**n, n >= 1); got {length}.")
    if dt not in _COMPLEX_DTYPES:
        arr = arr.astype(jnp.complex64 if single else jnp.complex128)
    return arr, length.bit_length() - 1


def check_n_visible(n_visible: int, n_qubits: int) -> int:
    """Check that ``n_visible`` defines a non-trivial V|H cut of ``n_qubits`` qubits.

    Args:
        n_visible: number of visible qubits (wires ``0 … n_visible−1``).
        n_qubits: total number of qubits ``n``.

    Returns:
        ``n_visible`` as a Python int, guaranteed to lie in ``1 … n−1``.

    Raises:
        TypeError: if ``n_visible`` is not an integer (bools are rejected).
        ValueError: if ``n_visible`` is outside ``1 … n−1``.
    """
    n_visible = check_int("n_visible", n_visible, brief=True)
    if n_qubits < 2:
        raise ValueError(
            f"a visible/hidden cut needs at least 2 qubits; got a {n_qubits}-qubit state."
        )
    if not 1 <= n_visible <= n_qubits - 1:
        raise ValueError(
            f"n_visible must be in 1..{n_qubits - 1} for a {n_qubits}-qubit state; got {n_visible}."
        )
    return n_visible


def _check_complex_dtype(dtype) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in _COMPLEX_DTYPES:
        raise TypeError(f"dtype must be complex64 or complex128; got {dt}.")
    if dt == np.complex128:
        require_x64("complex128 (the default dtype)")
    return dt


def haar_state(
    n: int,
    seed: int | jax.Array,
    *,
    batch: int | tuple[int, ...] = (),
    dtype: DTypeLike = jnp.complex128,
) -> jax.Array:
    """Haar-random pure state(s) of ``n`` qubits.

    A normalised standard complex Gaussian vector, |ψ⟩ = g/‖g‖ with
    g ~ CN(0, I), is distributed according to the unitarily invariant (Haar)
    measure on the unit sphere of ℂ^(2**n).

    Args:
        n: number of qubits, ``n >= 1``.
        seed: an int or a ``jax.random`` key.  Same seed, same numbers.
        batch: batch shape (int or tuple), prepended to the output shape.
        dtype: ``complex128`` (default) or ``complex64``.

    Returns:
        Array of shape ``(*batch, 2**n)`` with unit-norm rows.

    Raises:
        ValueError: if the batch (plus one same-sized temporary) would not fit in this
            machine's memory; checked before anything is allocated.

    References:
        K. Życzkowski and H.-J. Sommers, J. Phys. A 34, 7111 (2001),
        arXiv:quant-ph/0012101.

    Examples:
        >>> import numpy as np
        >>> from ebp.quantum_info import haar_state
        >>> psi = haar_state(3, seed=0)
        >>> psi.shape, psi.dtype
        ((8,), dtype('complex128'))
        >>> round(float(np.linalg.norm(psi)), 12)
        1.0
    """
    check_int("n", n, minimum=1, brief=True)
    dt = _check_complex_dtype(dtype)
    shape = check_batch(batch) + (2 ** int(n),)
    count = math.prod(shape[:-1])
    check_state_fits(
        f"{count} Haar state(s) of {n} qubits ({shape[-1]} {dt.name} amplitudes each)",
        2 * count * shape[-1] * dt.itemsize,  # the Gaussian draw and the normalised copy
    )
    return _haar_state_kernel(check_key(seed), shape, dt)


@partial(jax.jit, static_argnums=(1, 2))
def _haar_state_kernel(key, shape, dtype):
    g = jax.random.normal(key, shape, dtype=dtype)
    return g / jnp.linalg.norm(g, axis=-1, keepdims=True)


def haar_unitary(
    d: int,
    seed: int | jax.Array,
    *,
    batch: int | tuple[int, ...] = (),
    dtype: DTypeLike = jnp.complex128,
) -> jax.Array:
    """Haar-random unitary matrix (matrices) of dimension ``d``.

    Mezzadri's algorithm: QR-decompose a Ginibre matrix Z = QR and fix the
    phases, U = Q·Λ with Λ = diag(R_ii/|R_ii|), which makes U exactly Haar
    distributed on U(d).

    Args:
        d: matrix dimension, ``d >= 1``.
        seed: an int or a ``jax.random`` key.  Same seed, same numbers.
        batch: batch shape (int or tuple), prepended to the output shape.
        dtype: ``complex128`` (default) or ``complex64``.

    Returns:
        Array of shape ``(*batch, d, d)``.

    Raises:
        ValueError: if the batch (with the QR decomposition's two same-sized factors) would
            not fit in this machine's memory; checked before anything is allocated.

    References:
        F. Mezzadri, Notices AMS 54, 592 (2007), arXiv:math-ph/0609050.

    Examples:
        >>> import numpy as np
        >>> from ebp.quantum_info import haar_unitary
        >>> u = np.asarray(haar_unitary(4, seed=0))
        >>> bool(np.allclose(u.conj().T @ u, np.eye(4)))
        True
    """
    check_int("d", d, minimum=1, brief=True)
    dt = _check_complex_dtype(dtype)
    shape = check_batch(batch) + (int(d), int(d))
    count = math.prod(shape[:-2])
    check_state_fits(
        f"{count} Haar unitar{'y' if count == 1 else 'ies'} of dimension {d} ({dt.name})",
        3 * count * int(d) ** 2 * dt.itemsize,  # Ginibre draw, Q and R
    )
    return _haar_unitary_kernel(check_key(seed), shape, dt)


@partial(jax.jit, static_argnums=(1, 2))
def _haar_unitary_kernel(key, shape, dtype):
    z = jax.random.normal(key, shape, dtype=dtype)
    q, r = jnp.linalg.qr(z)
    diag = jnp.diagonal(r, axis1=-2, axis2=-1)
    phases = diag / jnp.abs(diag)
    return q * phases[..., None, :]
