"""Running a :class:`~ebp.sim._flat.FlatCircuit` on a batch: states, values, gradients, pullbacks.

The stage matrices are built in NumPy; the state passes run in NumPy up to
:data:`~ebp.sim._flat_numpy.NUMPY_MAX_QUBITS` qubits (nothing to compile) and beyond as calls of the
chunk programs of :mod:`ebp.sim._flat_engine` (one per ``CHUNK`` stages); the observable's value
and cotangent are computed in NumPy from the final state. Nothing compiled here depends on the
circuit, so a new circuit on the same number of qubits runs without compiling anything (after the
first on that width).
"""

from __future__ import annotations

from functools import lru_cache

import jax
import numpy as np

from . import _flat_numpy as numpy_passes
from ._flat import FlatCircuit, parameter_gradient, stage_matrices
from ._flat_engine import CHUNK, kernel_indices, programs
from ._observables import Observable, expectation_and_cotangent

__all__ = ["compiles", "flat_call"]


def compiles(n_qubits: int) -> bool:
    """Whether the flat engine runs ``n_qubits`` qubits with compiled programs (whose batch size
    is part of the program, so batches are padded to a few sizes) rather than in NumPy."""
    return n_qubits > numpy_passes.NUMPY_MAX_QUBITS


@lru_cache(maxsize=64)
def _chunks(flat: FlatCircuit):
    """Kernel indices padded to whole chunks (identity stages at the end)."""
    n, S = flat.n_qubits, flat.n_stages
    total = max(CHUNK, -(-S // CHUNK) * CHUNK)
    kernels = np.full(total, n - 1, dtype=np.int32)  # the identity kernel
    kernels[:S] = kernel_indices(flat.pairs, n)
    return [jax.device_put(kernels[i : i + CHUNK]) for i in range(0, total, CHUNK)]


def _padded_matrices(mats: np.ndarray, cdtype):
    """Stage matrices (S, B, 4, 4) padded with identities to whole chunks, as chunks of
    (CHUNK, B, 4, 4) on the device."""
    S, B = mats.shape[:2]
    total = max(CHUNK, -(-S // CHUNK) * CHUNK)
    out = np.broadcast_to(np.eye(4, dtype=cdtype), (total, B, 4, 4)).copy()
    out[:S] = mats
    # NumPy conversions and device_put: an eager JAX operation would compile for each new shape
    return [jax.device_put(out[i : i + CHUNK]) for i in range(0, total, CHUNK)]


def _compiled_passes(flat: FlatCircuit, mats: np.ndarray, cdtype, batch: int, backward: bool):
    """``(forward(ψ) -> ψ, backward(ψ, ψ̄) -> M̄ (S, B, 4, 4))`` with the chunk programs."""
    chunks = list(zip(_padded_matrices(mats, cdtype), _chunks(flat)))
    fwd, bwd = programs(flat.n_qubits, np.dtype(cdtype).name, batch, backward)

    def run_forward(psi):
        psi = jax.device_put(psi)
        for m, kernels in chunks:
            psi = fwd(psi, m, kernels)
        return np.asarray(psi)

    def run_backward(psi, ct):
        psi, ct = jax.device_put(psi), jax.device_put(ct)
        cts = []
        for m, kernels in reversed(chunks):
            psi, ct, m_ct = bwd(psi, ct, m, kernels)
            cts.append(np.asarray(m_ct))
        return np.concatenate(cts[::-1], axis=0)[: flat.n_stages]

    return run_forward, run_backward


def _numpy_passes(flat: FlatCircuit, mats: np.ndarray, cdtype, batch: int, backward: bool):
    """The same passes in NumPy (:mod:`ebp.sim._flat_numpy`): nothing to compile."""
    m = np.asarray(mats, dtype=cdtype)
    n, first = flat.n_qubits, flat.pairs[:, 0]

    def run_forward(psi):
        return numpy_passes.forward(psi, m, first, n)

    def run_backward(psi, ct):
        return numpy_passes.backward(psi, ct, m, first, n)[2]

    return run_forward, run_backward


def flat_call(
    flat: FlatCircuit,
    what: str,
    obs: Observable | None,
    n_visible: int,
    cdtype,
    params,
    state,
    extra=None,
):
    """One batch through the flat engine (padded to its bucket by the caller when it runs
    compiled programs); NumPy outputs.

    ``what``: ``"state"``, ``"value"``, ``"grad"``, ``"both"`` or ``"pullback"`` (then ``state``
    is the final state and ``extra`` its cotangent), with the outputs of
    :func:`ebp.sim._simulate._batched`.
    """
    cdtype = np.dtype(cdtype)
    rdtype = np.finfo(cdtype).dtype
    backward = what in ("grad", "both", "pullback")
    mats, saved = stage_matrices(flat, np.asarray(params, dtype=np.float64), backward)
    n = flat.n_qubits
    passes = _compiled_passes if compiles(n) else _numpy_passes
    run_forward, run_backward = passes(flat, mats, cdtype, len(params), backward)
    psi = np.asarray(state, dtype=cdtype)

    def gradient(psi, ct):
        stage_ct = run_backward(psi, np.asarray(ct, dtype=cdtype)).astype(np.complex128)
        return parameter_gradient(flat, saved, stage_ct).astype(rdtype)

    if what == "pullback":
        return gradient(psi, extra)
    out = run_forward(psi)
    if what == "state":
        return out
    assert obs is not None  # "value", "grad" and "both" come with an observable
    value, ct = expectation_and_cotangent(obs, out, n, n_visible, what != "value")
    if what == "value":
        return value
    grad = gradient(out, ct)
    return grad if what == "grad" else (value, grad)
