"""Public simulation API: states, expectation values and exact (adjoint) gradients, batched.

``params`` may carry any leading batch axes ``(..., n_params)``; the batch is flattened, run in
chunks that fit a memory budget, and reshaped back. Everything is also usable inside ``jax.jit`` /
``jax.grad`` (gradients then come from the adjoint rule of :func:`ebp.sim._adjoint.run_program`).

Two engines answer concrete (non-traced) calls:

* the *flat* engine (:mod:`ebp.sim._flat_run`): the circuit is data for programs compiled once
  per (n, dtype, batch bucket), so a circuit never seen before is answered without compiling; up
  to :data:`~ebp.sim._flat_numpy.NUMPY_MAX_QUBITS` qubits its passes run in NumPy and nothing is
  compiled at all;
* the *fused* engine (:mod:`ebp.sim._adjoint`): one program per circuit, compiled for it, with
  fewer passes over the state.

The environment variable ``EBP_ENGINE`` chooses: ``flat`` (default: every concrete call on the
flat engine, so repeating a computation gives bit-identical results), ``fused``, or ``auto``: a
circuit starts on the flat engine and moves to the fused one once it has spent
``FUSED_AFTER_SECONDS`` of run time there, when a compile of its own pays for itself (the "rent
or buy" rule, never more than twice the better choice made in hindsight); results may then differ
in the last bits between calls before and after the move. Traced calls, circuits with gates on
three or more wires and single-qubit circuits always use the fused engine.
"""

from __future__ import annotations

import dataclasses
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike, DTypeLike

from .._checks import check_real_array
from .._chunks import chunk_size, chunk_slices, padded_total
from .._precision import require_x64
from ..circuit import Circuit
from ._adjoint import pullback_program, run_program
from ._compile import compile_circuit
from ._flat import flatten, flattenable
from ._flat_engine import seconds_waiting_for_programs
from ._flat_run import compiles, flat_call
from ._numpy_threads import batch_threads, blas_limit, map_threads
from ._observables import Observable, ObservableLike, as_observable, expectation_of_state

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "expectation",
    "expectation_and_gradient",
    "gradient",
    "pullback",
    "simulate",
    "state_function",
    "zero_state",
]

DEFAULT_MEMORY_BUDGET = 2 * 2**30  # hard cap on bytes of state-sized work arrays per chunk
"""Cap, in bytes, on the work arrays of one vectorised chunk when no ``memory_budget`` is given
(2 GiB)."""
_CACHE_BYTES = 8 * 2**20  # default chunk: work arrays that stay in cache (measured best, n=10..14)
_WORK_COPIES = 6  # state, cotangent and temporaries alive in one adjoint step
_COMPILED_KEEP = 16
"""Compiled batched functions kept alive (least recently used first out). Each holds its XLA
executables, tens to hundreds of MB for deep circuits at n ≳ 12, so a sweep over many distinct
circuits must not keep them all: with 128 a long sweep ran out of memory."""

FUSED_AFTER_SECONDS = 2.0
"""Seconds a circuit runs on the flat engine before it gets a fused program of its own (about the
compile time of a fused program; see the module docstring)."""
_ENGINES = ("flat", "fused", "auto")
ENGINE = os.environ.get("EBP_ENGINE", "flat").strip().lower() or "flat"
"""``"flat"``, ``"fused"`` or ``"auto"`` (see the module docstring); from ``$EBP_ENGINE``."""
if ENGINE not in _ENGINES:
    raise ValueError(f"EBP_ENGINE must be one of {', '.join(_ENGINES)}; got {ENGINE!r}.")
_flat_seconds: OrderedDict = OrderedDict()
_FLAT_SECONDS_KEEP = 1024


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 2**40


def _dtypes(dtype) -> tuple[Any, Any]:
    c = jnp.dtype(dtype or jnp.complex128)
    if c == jnp.complex128:
        require_x64("complex128 (the default dtype)")
        return c, jnp.dtype(jnp.float64)
    if c == jnp.complex64:
        return c, jnp.dtype(jnp.float32)
    raise ValueError(f"dtype must be complex128 or complex64; got {c}.")


def _check_fits(n: int, cdtype) -> int:
    per_instance = _WORK_COPIES * (2**n) * jnp.dtype(cdtype).itemsize
    have = _physical_memory()
    if per_instance > have:
        raise ValueError(
            f"simulating {n} qubits needs about {per_instance / 2**30:.1f} GiB per instance "
            f"({_WORK_COPIES} state-sized arrays of {2**n} {jnp.dtype(cdtype).name}); this machine "
            f"has {have / 2**30:.1f} GiB."
        )
    return per_instance


def _check_circuit(circuit) -> Circuit:
    if not isinstance(circuit, Circuit):
        raise TypeError(f"expected an ebp Circuit; got {type(circuit).__name__}.")
    return circuit


def _check_params(circuit: Circuit, params, rdtype, xp=jnp):
    check_real_array("parameters", params, f"(..., {circuit.n_params}) (float64)")
    p = xp.asarray(params)
    if xp.iscomplexobj(p):
        raise TypeError(f"parameters must be real; got dtype {p.dtype}.")
    p = p.astype(np.dtype(rdtype))
    if p.ndim == 0 or p.shape[-1] != circuit.n_params:
        raise ValueError(
            f"expected parameters of shape (..., {circuit.n_params}) for this circuit "
            f"({circuit.n_params} parameters); got shape {tuple(p.shape)}."
        )
    return p


def zero_state(n_qubits: int, dtype: DTypeLike = jnp.complex128) -> jax.Array:
    """|0…0⟩ as a vector of shape ``(2**n_qubits,)``."""
    return jnp.asarray(_zero_state(n_qubits, np.dtype(dtype)))


@lru_cache(maxsize=8)
def _zero_state(n_qubits: int, dtype: np.dtype) -> np.ndarray:
    s = np.zeros(2**n_qubits, dtype=dtype)
    s[0] = 1
    s.flags.writeable = False
    return s


def _check_state(circuit: Circuit, state, cdtype, xp=jnp):
    s = xp.asarray(state).astype(cdtype)
    d = 2**circuit.n_qubits
    if s.ndim == 0 or s.shape[-1] != d:
        length = s.shape[-1] if s.ndim else "a scalar"
        raise ValueError(
            f"initial_state must have shape (..., {d}) = (..., 2**{circuit.n_qubits}); "
            f"got length {length}."
        )
    return s


def state_function(circuit: Circuit) -> Callable:
    """``f(params, state0) -> state`` for ONE instance, differentiable by the adjoint method.

    Use it to build your own objectives: ``jax.grad(lambda p: loss(f(p, psi0)))`` costs O(2**n)
    memory whatever the depth.
    """
    program = compile_circuit(_check_circuit(circuit))
    return lambda params, state0: run_program(program, params, state0)


@lru_cache(maxsize=_COMPILED_KEEP)
def _batched(circuit: Circuit, what: str, obs: Observable | None):
    f = state_function(circuit)
    n, nv = circuit.n_qubits, circuit.n_visible
    if what == "pullback":
        program = compile_circuit(circuit)
        return jax.jit(jax.vmap(lambda p, psi, ct: pullback_program(program, p, psi, ct)))
    if what == "state":
        single = f
    else:
        assert obs is not None  # "value", "grad" and "both" come with an observable

        def energy(p, s0):
            return expectation_of_state(obs, f(p, s0), n, nv)

        single = {"value": energy, "grad": jax.grad(energy), "both": jax.value_and_grad(energy)}[
            what
        ]
    return jax.jit(jax.vmap(single))


def _cache_key(circuit: Circuit, obs: Observable | None) -> Circuit:
    """The register split matters only to a visible-matrix observable: drop it otherwise, so
    that the same gates with another n_visible reuse one compiled function."""
    if obs is not None and obs.matrix is not None:
        return circuit
    return _without_split(circuit)


@lru_cache(maxsize=256)
def _without_split(circuit: Circuit) -> Circuit:
    """``circuit`` with every wire visible; the same object for the same circuit, so its hash
    is computed once."""
    return dataclasses.replace(circuit, n_visible=circuit.n_qubits, n_hidden=0)


def _bucket(size: int) -> int:
    """Smallest of 1, 2, 3, 4, 6, 8, 12, 16, 24, … that holds ``size``: padding batches to these
    sizes bounds recompilation to O(log size) shapes and wastes at most a third of the work."""
    b = 1
    while True:
        for cand in (b, 3 * b // 2) if b >= 2 else (b,):
            if cand >= size:
                return cand
        b *= 2


def _power_of_two_bucket(size: int, cap: int) -> int:
    """Smallest power of two ≥ ``size``, at most the largest power of two ≤ ``cap``."""
    top = 1 << (max(cap, 1).bit_length() - 1)
    return min(1 << max(size - 1, 0).bit_length(), top)


def _engine(key: Circuit, traced: bool) -> str:
    if traced or ENGINE == "fused" or not flattenable(key):
        return "fused"
    if ENGINE != "auto" or _flat_seconds.get(key, 0.0) < FUSED_AFTER_SECONDS:
        return "flat"
    return "fused"


def _charge(key: Circuit, seconds: float) -> None:
    """Add run time (compile time excluded: it is paid once per width, not per circuit)."""
    _flat_seconds[key] = _flat_seconds.pop(key, 0.0) + max(seconds, 0.0)
    while len(_flat_seconds) > _FLAT_SECONDS_KEEP:
        _flat_seconds.popitem(last=False)


def _run_flat(key: Circuit, what: str, obs, cdtype, p, states, chunk: int):
    """The flat engine over a flattened batch (NumPy inputs), in chunks; padded to power-of-two
    buckets when it runs compiled programs (one per batch size)."""
    flat = flatten(key)
    total = p.shape[0]
    if total == 0:
        d, rdtype = 2**key.n_qubits, np.finfo(np.dtype(cdtype)).dtype
        empty = {
            "state": np.zeros((0, d), cdtype),
            "value": np.zeros(0, rdtype),
            "grad": np.zeros((0, key.n_params), rdtype),
            "pullback": np.zeros((0, key.n_params), rdtype),
        }
        return (empty["value"], empty["grad"]) if what == "both" else empty[what]
    compiled = compiles(key.n_qubits)
    if compiled:
        size = _power_of_two_bucket(total, chunk)  # one compiled program per batch size
        threads = 1
    else:  # NumPy: no padding, and large batches split between threads (the budget is shared)
        threads = batch_threads(total, key.n_qubits)
        size = min(max(1, chunk // threads), -(-total // threads))

    def run(part: slice):
        piece = [np.asarray(a[part]) for a in (p,) + states]
        if compiled:
            piece = [_pad(a, size) for a in piece]
        extra = piece[2] if len(piece) > 2 else None
        return flat_call(flat, what, obs, key.n_visible, cdtype, piece[0], piece[1], extra)

    with blas_limit(key.n_qubits):  # the stage matrices are small products on either path
        parts = map_threads(run, chunk_slices(total, size), threads)
    if what == "both":
        return tuple(np.concatenate([q[i] for q in parts])[:total] for i in range(2))
    return np.concatenate(parts)[:total]


def _pad(x, size: int):
    extra = size - x.shape[0]
    xp = np if isinstance(x, np.ndarray) else jnp
    return xp.concatenate([x, xp.repeat(x[-1:], extra, axis=0)]) if extra else x


@lru_cache(maxsize=1)
def _start_backend() -> None:
    """Start JAX's backend (about 20 ms: plugin discovery, the CPU client) in a background
    thread, once: the flat engine's first answer, computed in NumPy meanwhile, is returned as a
    JAX array and would otherwise wait for it (measured 70 → 60 ms for a first batch of 100
    gradients at n = 6)."""
    threading.Thread(target=jax.devices, name="ebp-jax-backend", daemon=True).start()


def _run(
    circuit: Circuit,
    params,
    initial_state,
    what: str,
    obs,
    dtype,
    memory_budget,
    extra_states: tuple = (),
):
    """Validate, broadcast, chunk and run ``_batched(circuit, what, obs)`` over the batch.

    The compiled function takes ``(params, state, *extra_states)``, one instance each; every
    state-like input is broadcast against the parameter batch.
    """
    cdtype, rdtype = _dtypes(dtype)
    # Broadcasting and padding are done in numpy for concrete inputs: for small batches the
    # dispatch of many eager JAX operations would cost more than the simulation itself. Traced
    # inputs (simulate called inside jax.jit) keep to jax.numpy.
    traced = any(isinstance(a, jax.core.Tracer) for a in (params, initial_state, *extra_states))
    xp = jnp if traced else np
    p = _check_params(circuit, params, rdtype, xp)
    n = circuit.n_qubits
    per_instance = _check_fits(n, cdtype)  # before any state-sized array is allocated
    if initial_state is None:
        s0 = xp.asarray(_zero_state(n, np.dtype(cdtype)))
    else:
        s0 = _check_state(circuit, initial_state, cdtype, xp)
    states = (s0,) + tuple(xp.asarray(s) for s in extra_states)
    batch = tuple(np.broadcast_shapes(p.shape[:-1], *(s.shape[:-1] for s in states)))
    total = math.prod(batch)
    p = xp.broadcast_to(p, batch + p.shape[-1:]).reshape(total, p.shape[-1])
    states = tuple(
        xp.broadcast_to(s, batch + s.shape[-1:]).reshape(total, s.shape[-1]) for s in states
    )
    if memory_budget is None:
        budget = min(DEFAULT_MEMORY_BUDGET, max(_CACHE_BYTES, per_instance))
    else:
        budget = int(memory_budget)
    chunk = chunk_size(budget, per_instance, total)
    key = _cache_key(circuit, obs)
    if _engine(key, traced) == "flat":
        _start_backend()
        start, waited = time.perf_counter(), seconds_waiting_for_programs()
        out = _run_flat(key, what, obs, cdtype, p, states, chunk_size(budget, per_instance))
        _charge(key, time.perf_counter() - start - (seconds_waiting_for_programs() - waited))
        return jax.tree_util.tree_map(lambda a: jax.device_put(a.reshape(batch + a.shape[1:])), out)
    fn = _batched(key, what, obs)
    args = (p,) + states
    if total == 0:
        out = fn(*args)
    elif chunk >= total:
        size = min(_bucket(total), chunk)
        out = jax.tree_util.tree_map(lambda a: a[:total], fn(*(_pad(a, size) for a in args)))
    else:  # fixed-size chunks (last one padded) so that one compiled function serves all
        whole = padded_total(total, chunk)
        padded = [_pad(a, whole) for a in args]
        parts = [fn(*(a[piece] for a in padded)) for piece in chunk_slices(whole, chunk)]
        out = jax.tree_util.tree_map(lambda *xs: jnp.concatenate(xs)[:total], *parts)
    return jax.tree_util.tree_map(lambda a: a.reshape(batch + a.shape[1:]), out)


def simulate(
    circuit: Circuit,
    params: ArrayLike,
    initial_state: ArrayLike | None = None,
    *,
    dtype: DTypeLike | None = None,
    memory_budget: int | None = None,
) -> jax.Array:
    """Output state U(θ)|ψ₀⟩ of ``circuit``, batched over leading axes of ``params``.

    Args:
        circuit: the :class:`~ebp.circuit.Circuit`.
        params: real array ``(..., n_params)``.
        initial_state: ``(..., 2**n)`` (default |0…0⟩); broadcast against the params batch.
        dtype: ``jnp.complex128`` (default) or ``jnp.complex64``.
        memory_budget: bytes of work arrays per vectorised chunk. By default chunks are sized
            so that their work arrays stay in cache (~8 MiB), which is fastest on CPU.

    Returns:
        States of shape ``(..., 2**n)``, wire 0 the most significant bit; reshaping to
            ``(2**n_visible, 2**n_hidden)`` gives the V|H cut.
    """
    return _run(_check_circuit(circuit), params, initial_state, "state", None, dtype, memory_budget)


def expectation(
    circuit: Circuit,
    params: ArrayLike,
    observable: ObservableLike,
    initial_state: ArrayLike | None = None,
    *,
    dtype: DTypeLike | None = None,
    memory_budget: int | None = None,
) -> jax.Array:
    """⟨ψ(θ)|O|ψ(θ)⟩ of shape ``(...)`` for ``params`` of shape ``(..., n_params)``, batched like
    :func:`simulate`; ``observable`` as :func:`ebp.sim.as_observable` reads it."""
    circuit = _check_circuit(circuit)
    obs = as_observable(observable, circuit.n_qubits, circuit.n_visible)
    return _run(circuit, params, initial_state, "value", obs, dtype, memory_budget)


def gradient(
    circuit: Circuit,
    params: ArrayLike,
    observable: ObservableLike,
    initial_state: ArrayLike | None = None,
    *,
    dtype: DTypeLike | None = None,
    memory_budget: int | None = None,
) -> jax.Array:
    """Exact gradient ∂⟨O⟩/∂θ by the adjoint method, shape ``(..., n_params)``.

    Memory is O(2**n) per instance, independent of depth (the state is uncomputed with inverse
    gates, arXiv:2009.02823). Shared parameter slots get the sum of their gates' contributions.
    """
    circuit = _check_circuit(circuit)
    obs = as_observable(observable, circuit.n_qubits, circuit.n_visible)
    return _run(circuit, params, initial_state, "grad", obs, dtype, memory_budget)


def expectation_and_gradient(
    circuit: Circuit,
    params: ArrayLike,
    observable: ObservableLike,
    initial_state: ArrayLike | None = None,
    *,
    dtype: DTypeLike | None = None,
    memory_budget: int | None = None,
) -> tuple[jax.Array, jax.Array]:
    """``(⟨O⟩, ∂⟨O⟩/∂θ)`` from one forward and one adjoint pass: :func:`expectation` and
    :func:`gradient` at once, a tuple of arrays of shapes ``(...)`` and ``(..., n_params)``.

    For a nonlinear objective f(ρ_V) of the visible state use
    :func:`ebp.landscape.value_and_gradient`, which returns an :class:`ebp.landscape.Evaluation`.
    """
    circuit = _check_circuit(circuit)
    obs = as_observable(observable, circuit.n_qubits, circuit.n_visible)
    return _run(circuit, params, initial_state, "both", obs, dtype, memory_budget)


def pullback(
    circuit: Circuit,
    params: ArrayLike,
    final_state: ArrayLike,
    state_cotangent: ArrayLike,
    *,
    dtype: DTypeLike | None = None,
    memory_budget: int | None = None,
) -> jax.Array:
    """Reverse (adjoint) pass alone: the parameter gradient of any loss L(ψ(θ)).

    Given the output state ψ = U(θ)|ψ₀⟩ (from :func:`simulate`) and the cotangent ψ̄ = ∂L/∂ψ in
    JAX's convention (what ``jax.grad`` of a real function of ψ returns), this returns ∂L/∂θ
    without running the circuit forward again: the adjoint method uncomputes the state from ψ
    with inverse gates (arXiv:2009.02823). This is how a nonlinear objective of ρ_V gets its
    gradient from one forward and one reverse pass, whatever the objective.

    Args:
        circuit: the :class:`~ebp.circuit.Circuit`.
        params: real array ``(..., n_params)``, the parameters ``final_state`` was made with.
        final_state: ``(..., 2**n)`` output states U(θ)|ψ₀⟩.
        state_cotangent: ``(..., 2**n)`` cotangents ψ̄; all three are broadcast together.

    Returns:
        Gradients of shape ``(..., n_params)``.
    """
    circuit = _check_circuit(circuit)
    cdtype, _ = _dtypes(dtype)
    traced = any(isinstance(a, jax.core.Tracer) for a in (params, final_state, state_cotangent))
    xp = jnp if traced else np
    psi = _check_state(circuit, final_state, cdtype, xp)
    ct = _check_state(circuit, state_cotangent, cdtype, xp)
    return _run(circuit, params, psi, "pullback", None, dtype, memory_budget, (ct,))
