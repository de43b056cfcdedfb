"""Argument checks shared by the public entry points: one clear error at the boundary.

Each check either returns the value in a normal form or raises ``TypeError`` (wrong kind of
object) / ``ValueError`` (wrong size or value) with a message that names the argument, says
what was received and what is allowed. Values that JAX is tracing (inside ``jax.jit`` or
``jax.grad``) have no concrete numbers; checks on numbers skip them and check only what is known
(shape, dtype).
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

__all__ = [
    "MAX_QUBITS",
    "NORM_TOLERANCE",
    "check_batch",
    "check_count",
    "check_density_matrix",
    "check_int",
    "check_key",
    "check_normalised",
    "check_positive_semidefinite",
    "check_real_array",
    "check_seed",
    "check_state_fits",
    "is_int",
    "is_traced",
    "physical_memory",
    "tolerance_of",
]

MAX_QUBITS = 30
"""Most qubits of a state vector anywhere in ebp: a 2**30 complex128 state is 16 GiB, beyond any
single-node statevector here."""

NORM_TOLERANCE = {8: 1e-4, 16: 1e-8}
"""Largest |‖ψ‖² − 1| (or |Tr ρ − 1|) accepted, by complex itemsize: 8 bytes (complex64) and 16
bytes (complex128). Rounding in float32 / float64 stays orders of magnitude below these."""


def is_traced(value) -> bool:
    """True if ``value`` is a JAX tracer (no concrete numbers to check)."""
    import jax

    return isinstance(value, jax.core.Tracer)


def is_int(value) -> bool:
    """True for an integer (Python or NumPy), False for anything else, bools included (Python
    counts ``True`` as the int 1; an argument that asks for a count or a seed does not)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(
    name: str,
    value,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    brief: bool = False,
) -> int:
    """``value`` as a Python int in ``[minimum, maximum]``; bools and floats are refused.

    Messages: ``"n must be an int; got float 1.5."`` (``TypeError``) and ``"n must be an int in
    1..30; got 31."`` (``ValueError``); with ``brief=True`` the shorter wording of the numerical
    modules, ``"n must be an int; got float."`` and ``"n must be in 1..30; got 31."``.
    """
    if not is_int(value):
        got = type(value).__name__ if brief else f"{type(value).__name__} {value!r}"
        raise TypeError(f"{name} must be an int; got {got}.")
    value = int(value)
    low = "" if minimum is None else f" >= {minimum}"
    high = "" if maximum is None else f" <= {maximum}"
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"in {minimum}..{maximum}" if low and high else (low or high).strip()
        kind = "" if brief else "an int "
        raise ValueError(f"{name} must be {kind}{bounds}; got {value}.")
    return value


def check_count(name: str, value, minimum: int = 1, *, why: str | None = None) -> int:
    """A count of work (layers, samples, repeats, stages): an int >= ``minimum``.

    Anything else, a float or a bool included, is one ``ValueError``: ``"samples must be an int
    >= 2 (variances need two); got 1."``, the parenthesis being ``why``.
    """
    if not is_int(value) or value < minimum:
        reason = f" ({why})" if why else ""
        raise ValueError(f"{name} must be an int >= {minimum}{reason}; got {value!r}.")
    return int(value)


def check_seed(value, name: str = "seed", *, brief: bool = False) -> int:
    """A seed: a non-negative int (as NumPy's and JAX's generators accept)."""
    return check_int(name, value, minimum=0, brief=brief)


def check_key(seed, name: str = "seed"):
    """A ``jax.random`` key from ``seed``: an int (``jax.random.PRNGKey(seed)``), a typed key, or a
    raw ``uint32[2]`` key (returned unchanged). Bools and anything else are refused."""
    import jax
    import jax.numpy as jnp

    if is_int(seed):
        return jax.random.PRNGKey(int(seed))
    if isinstance(seed, jax.Array):
        if jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
            return seed
        if seed.dtype == jnp.uint32 and seed.shape == (2,):
            return seed
    raise TypeError(f"{name} must be an int or a jax.random key; got {type(seed).__name__}.")


def check_batch(batch, name: str = "batch") -> tuple[int, ...]:
    """A batch shape: an int or a tuple of non-negative ints, returned as a tuple of ints."""

    if is_int(batch):
        batch = (batch,)
    if not isinstance(batch, tuple) or not all(is_int(b) and b >= 0 for b in batch):
        raise TypeError(f"{name} must be an int or a tuple of non-negative ints; got {batch!r}.")
    return tuple(int(b) for b in batch)


def check_real_array(name: str, value, shape: str):
    """Refuse anything that is not a finite real numeric array; return ``value`` unchanged.

    ``shape`` describes the expected shape for the message, e.g. ``"(..., 12)"``. Strings,
    objects and ragged lists give a ``TypeError`` saying what is expected; complex numbers a
    ``TypeError``; NaN or ±inf (when the values are concrete) a ``ValueError`` saying how many
    and where the first one is.
    """
    if is_traced(value):
        return value
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        arr = None
    expected = f"a real float array of shape {shape}"
    if arr is None or arr.dtype.kind in "OUSV":
        got = (
            f"{type(value).__name__} {value!r}"
            if isinstance(value, str)
            else (f"{type(value).__name__}" + ("" if arr is None else f" of dtype {arr.dtype}"))
        )
        raise TypeError(f"{name} must be {expected}; got {got[:80]}.")
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real; got dtype {arr.dtype} (expected {expected}).")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be {expected}; got dtype {arr.dtype}.")
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            n_nan, n_inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
            first = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
            what = ", ".join(f"{k} {w}" for k, w in ((n_nan, "NaN"), (n_inf, "infinite")) if k)
            raise ValueError(
                f"{name} must be finite; got {what} value(s) of {arr.size} "
                f"(first at index {first})."
            )
    return value


def physical_memory() -> int:
    """Bytes of physical memory of this machine (2⁴⁰ where the OS does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 2**40


def check_state_fits(what: str, n_bytes: int) -> int:
    """Refuse an allocation of ``n_bytes`` that cannot fit in this machine's memory.

    ``what`` says what would be allocated, e.g. ``"a batch of 3 Haar states of 40 qubits
    (2**40 complex128 amplitudes each)"``. Called before any state-sized array exists, so the
    caller fails at once instead of with an out-of-memory error later.
    """
    have = physical_memory()
    if n_bytes > have:
        raise ValueError(
            f"{what} needs about {_size(n_bytes)}; this machine has {_size(have)}. "
            "Use fewer qubits or a smaller batch."
        )
    return n_bytes


def _size(n_bytes: float) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{n_bytes:.0f} bytes"


def check_normalised(state, *, name: str = "state") -> None:
    """Refuse (batches of) state vectors that are not finite and of unit norm.

    Accepts ``|‖ψ‖² − 1| <= NORM_TOLERANCE[itemsize]`` for every instance (1e-8 for
    complex128, 1e-4 for complex64). Skipped for traced values.
    """
    if is_traced(state):
        return
    import jax.numpy as jnp

    tol = tolerance_of(state.dtype)
    norms2 = np.ravel(np.asarray(jnp.sum(jnp.abs(state) ** 2, axis=-1)))
    dev = np.abs(norms2 - 1.0)
    if not np.all(np.isfinite(dev)):
        raise ValueError(f"{name} contains NaN or infinite amplitudes.")
    if dev.size == 0:
        return
    worst = int(np.argmax(dev))
    if dev[worst] > tol:
        where = "" if np.ndim(state) == 1 else f" (instance {worst} of {dev.size})"
        value = float(norms2[worst])
        raise ValueError(
            f"{name} is not normalised: ‖ψ‖² = {value:.6g}{where}; a state needs "
            f"|‖ψ‖² − 1| <= {tol:g} ({jnp.dtype(state.dtype).name}). Divide it by its norm, "
            "e.g. psi / np.linalg.norm(psi, axis=-1, keepdims=True)."
        )


def check_density_matrix(rho, *, name: str = "rho") -> np.ndarray:
    """Refuse arrays ``(..., d, d)`` that are not density matrices; return them as NumPy.

    Checks, each within ``NORM_TOLERANCE`` of the dtype: Hermitian (max |ρ − ρ†|), unit trace,
    and no eigenvalue below −tol (positive semidefinite).
    """
    arr = np.asarray(rho)
    if arr.dtype.kind not in "biufc":
        raise TypeError(
            f"{name} must be a numeric array of shape (..., d, d); got dtype {arr.dtype}."
        )
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"{name} must have shape (..., d, d); got shape {arr.shape}.")
    tol = tolerance_of(arr.dtype)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries.")
    asym = float(np.max(np.abs(arr - np.conj(np.swapaxes(arr, -1, -2))), initial=0.0))
    if asym > tol:
        raise ValueError(f"{name} is not Hermitian: max |ρ − ρ†| = {asym:.3g} > {tol:g}.")
    trace = np.real(np.trace(arr, axis1=-2, axis2=-1))
    dev = np.abs(np.atleast_1d(trace) - 1.0)
    if dev.size and dev.max() > tol:
        worst = int(np.argmax(dev))
        raise ValueError(
            f"{name} is not a density matrix: Tr ρ = {np.ravel(trace)[worst]:.6g}; it must be 1 "
            f"to within {tol:g}. Divide it by its trace."
        )
    return arr


def tolerance_of(dtype) -> float:
    """``NORM_TOLERANCE`` for arrays of ``dtype``: single precision gets the looser one."""
    single = np.dtype(dtype) in (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.complex64))
    return NORM_TOLERANCE[8 if single else 16]


def check_positive_semidefinite(eigenvalues, tol: float, *, name: str = "rho") -> None:
    """Refuse a density matrix with an eigenvalue below ``-tol``."""
    low = float(np.min(eigenvalues, initial=0.0))
    if low < -tol or math.isnan(low):
        raise ValueError(f"{name} is not a density matrix: it has an eigenvalue {low:.3g} < 0.")
