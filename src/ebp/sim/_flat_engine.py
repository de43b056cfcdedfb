"""Compiled programs that run *any* flat circuit on n qubits: the circuit is an argument.

A program takes a chunk of ``CHUNK`` stages as arrays — their 4×4 matrices and a kernel index —
and runs ``lax.scan`` over them, choosing each stage's kernel with ``lax.switch``:

* index a < n − 1: the neighbouring pair (a, a+1), a static reshape of the state to
  (2^a, 4, 2^(n−2−a)) and four broadcast products (no transposes);
* index n − 1: identity (pads the last chunk).

Every stage acts on a neighbouring pair: :func:`ebp.sim._flat.flatten` routes gates on distant
wires with SWAPs. Two kernels for any pair with the wires as data were tried and dropped: one
reading shifted slices of the padded state ran a distant stage 4–7× slower than a neighbouring
one and was a third of the compile time; one gathering the state into pair-major order compiled
cheaply but made every other branch of the ``lax.switch`` a third slower.

So the compiled programs depend only on (n, dtype, batch size), never on the gate sequence or the
depth: a circuit of any structure is a sequence of chunk calls. They are kept for later processes as
serialized executables in ``programs/`` of the cache folder (:mod:`ebp.sim._persistent_cache`),
keyed by the sources they are built from, the JAX version and the device, so a later process
loads them without tracing or lowering anything. The reverse program is the adjoint
method of :mod:`ebp.sim._adjoint` with the same kernels: each stage is undone with M†, the
cotangent is pulled through with Mᵀ and the stage cotangent M̄[o, i] = Σ ψ̄_o x_i is returned;
memory is a few state vectors per instance whatever the depth.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jax
import jax.monitoring
import jax.numpy as jnp
import jaxlib
import numpy as np
from jax.experimental.serialize_executable import deserialize_and_load, serialize

from ._persistent_cache import cache_folder

__all__ = ["CHUNK", "kernel_indices", "programs", "seconds_waiting_for_programs"]

CHUNK = 64  # stages per program call


def kernel_indices(pairs: np.ndarray, n: int) -> np.ndarray:
    """Kernel index of each stage (see module docstring): its first wire."""
    if np.any(pairs[:, 1] - pairs[:, 0] != 1):
        raise ValueError("every stage must act on a neighbouring pair (w, w + 1)")
    return pairs[:, 0].astype(np.int32)


# ----------------------------------------------------------------------------- adjacent pair
# Every function acts on a batch: ψ (B, 2**n), u (B, 4, 4); the pair is shared by the batch.
def _t(u):
    return jnp.swapaxes(u, -1, -2)


def _view(psi, a: int, n: int):
    return psi.reshape(psi.shape[:-1] + (2**a, 4, 2 ** (n - 2 - a)))


def _apply_adjacent(u, psi, a: int, n: int):
    """ψ ← (I ⊗ u ⊗ I) ψ with u on wires (a, a+1): out[l, o, r] = Σ_k u[o, k] ψ[l, k, r], as four
    broadcast products. (Sixteen slice products stacked run a forward pass 20–28 % faster but
    take twice the tracing and 2.2× the XLA compile time, on the path of every first answer.)"""
    t = _view(psi, a, n)
    terms = [u[..., None, :, k, None] * t[..., k, None, :] for k in range(4)]
    return (terms[0] + terms[1] + terms[2] + terms[3]).reshape(psi.shape)


def _adjacent_step(a: int, n: int):
    def forward(psi, u):
        return _apply_adjacent(u, psi, a, n)

    def backward(y, ct, u_dagger_and_transpose):
        u_dagger, u_transpose = u_dagger_and_transpose
        x = _apply_adjacent(u_dagger, y, a, n)
        ct_x = _apply_adjacent(u_transpose, ct, a, n)
        # ū[o, i] = Σ_{l, r} ψ̄[l, o, r] x[l, i, r]
        u_ct = jax.lax.dot_general(
            _view(ct, a, n), _view(x, a, n), (((1, 3), (1, 3)), ((0,), (0,)))
        )
        return x, ct_x, u_ct

    return forward, backward


# ----------------------------------------------------------------------------- identity
def _identity_forward(psi, u):
    return psi


def _identity_backward(y, ct, u_dagger_and_transpose):
    return y, ct, jnp.zeros_like(u_dagger_and_transpose[0])


# ----------------------------------------------------------------------------- programs
def _branches(n: int):
    steps = [_adjacent_step(a, n) for a in range(n - 1)]
    forward = [f for f, _ in steps] + [_identity_forward]
    backward = [b for _, b in steps] + [_identity_backward]
    return forward, backward


def _forward(n: int):
    branches, _ = _branches(n)

    def run(psi, mats, kernels):
        def step(state, xs):
            u, k = xs
            return jax.lax.switch(k, branches, state, u), None

        return jax.lax.scan(step, psi, (mats, kernels))[0]

    return run


def _backward(n: int):
    _, branches = _branches(n)

    def run(psi, ct, mats, kernels):
        def step(carry, xs):
            y, ct_y = carry
            u, k = xs
            u_transpose = _t(u)  # once per stage, outside the kernel branches
            x, ct_x, u_ct = jax.lax.switch(
                k, branches, y, ct_y, (jnp.conj(u_transpose), u_transpose)
            )
            return (x, ct_x), u_ct

        (psi, ct), u_cts = jax.lax.scan(step, (psi, ct), (mats, kernels), reverse=True)
        return psi, ct, u_cts

    return run


_COMPILED: OrderedDict = OrderedDict()
_COMPILED_KEEP = 64


def _lower(n: int, dtype: str, batch: int, which: str):
    cd = jnp.dtype(dtype)
    state = jax.ShapeDtypeStruct((batch, 2**n), cd)
    mats = jax.ShapeDtypeStruct((CHUNK, batch, 4, 4), cd)
    kernels = jax.ShapeDtypeStruct((CHUNK,), jnp.int32)
    if which == "forward":
        return jax.jit(_forward(n)).lower(state, mats, kernels)
    return jax.jit(_backward(n)).lower(state, state, mats, kernels)


_thread = threading.local()


def _note_cache_hit(event: str, **kwargs) -> None:
    if event == "/jax/compilation_cache/cache_hits":
        _thread.hits = getattr(_thread, "hits", 0) + 1


jax.monitoring.register_event_listener(_note_cache_hit)


# The sources the programs are built from, hashed once at import: the key must describe the code
# this process runs, even if the files change on disk while it runs (an upgrade during a sweep).
_SOURCES_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _saved_path(key: tuple) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    device = jax.devices()[0]
    text = "|".join(
        map(
            str,
            (
                _SOURCES_HASH,
                jax.__version__,
                jaxlib.__version__,
                device.platform,
                device.device_kind,
                jax.config.jax_enable_x64,  # type: ignore[attr-defined]  # set at run time
                CHUNK,
                *key,
            ),
        )
    )
    return folder / "programs" / (hashlib.sha256(text.encode()).hexdigest()[:32] + ".pkl")


def _load(path: Path | None):
    if path is None or not path.exists():
        return None
    try:
        return deserialize_and_load(*pickle.loads(path.read_bytes()))
    except (OSError, EOFError, pickle.UnpicklingError, RuntimeError, ValueError, TypeError):
        return None  # a stale or damaged file: compile again (and overwrite it)


def _compile(lowered):
    """Compile; also say whether XLA really compiled (not a hit of JAX's persistent cache:
    serializing an executable that JAX itself deserialized loses kernels, so such an
    executable must not be saved again)."""
    _thread.hits = 0
    exe = lowered.compile()
    return exe, _thread.hits == 0


def _save(path: Path | None, exe) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as fh:
            pickle.dump(serialize(exe), fh)
        os.replace(fh.name, path)
    except OSError:  # read-only or full disk: the program still works, it is just not kept
        return


_waited = [0.0]


def seconds_waiting_for_programs() -> float:
    """Wall-clock seconds this process has spent loading or compiling chunk programs (the
    caller subtracts them from a call's time to get its run time)."""
    return _waited[0]


def _obtain(absent: list) -> None:
    """Put the executables of the requests ``absent`` = [(key, lower), …] into ``_COMPILED``."""
    with ThreadPoolExecutor(len(absent)) as pool:
        keys = [key for key, _ in absent]
        for key, exe in zip(keys, pool.map(lambda k: _load(_saved_path(k)), keys)):
            if exe is not None:
                _COMPILED[key] = exe
    missing = [(key, lower) for key, lower in absent if key not in _COMPILED]
    if missing:
        with ThreadPoolExecutor(len(missing)) as pool:
            futures = [(key, pool.submit(_compile, lower())) for key, lower in missing]
            for key, future in futures:
                exe, fresh = future.result()
                _COMPILED[key] = exe
                if fresh:
                    _save(_saved_path(key), exe)


def load_or_compile(requests) -> list:
    """Compiled executables for ``requests`` = [(key, lower), …]: from memory, else from the
    cache folder (serialized executables, loaded without tracing or lowering anything), else
    ``lower().compile()``, the missing ones on parallel threads (XLA releases the interpreter
    lock while it compiles) and saved for later processes.

    Lowering needs the interpreter, compiling does not: each request is handed to its compile
    thread as soon as it is lowered, so the next one is lowered while the first compiles. Put
    the most expensive request first.
    """
    absent = [(key, lower) for key, lower in requests if key not in _COMPILED]
    if absent:
        start = time.perf_counter()
        _obtain(absent)
        _waited[0] += time.perf_counter() - start
    out = []
    for key, _ in requests:
        _COMPILED.move_to_end(key)
        out.append(_COMPILED[key])
    while len(_COMPILED) > _COMPILED_KEEP:
        _COMPILED.popitem(last=False)
    return out


def programs(n: int, dtype: str, batch: int, backward: bool):
    """The compiled chunk programs for (n, dtype, batch): ``(forward, backward or None)``.

    ``forward(ψ (B, 2**n), M (CHUNK, B, 4, 4), kernels (CHUNK,)) -> ψ``;
    ``backward(ψ, ψ̄, M, kernels) -> (ψ before the chunk, its cotangent, M̄)``.
    """
    which = ("backward", "forward") if backward else ("forward",)  # the costliest first
    chunk = [(("chunk", n, dtype, batch, w), lambda w=w: _lower(n, dtype, batch, w)) for w in which]
    exes = load_or_compile(chunk)
    return (exes[1], exes[0]) if backward else (exes[0], None)
