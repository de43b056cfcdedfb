"""Running a :class:`~ebp.sim._flat.FlatCircuit` on a batch: states, values, gradients, pullbacks.

The stage matrices are built in NumPy, the state passes run as calls of the chunk programs of
:mod:`ebp.sim._flat_engine` (one per ``CHUNK`` stages), and the observable's value and cotangent
are computed in NumPy from the final state (nothing to compile). Nothing compiled here depends on
the circuit, so a new circuit on the same number of qubits runs without compiling anything (after
the first on that width).
"""

from __future__ import annotations

from functools import lru_cache

import jax
import numpy as np

from ._flat import FlatCircuit, parameter_gradient, stage_matrices
from ._flat_engine import CHUNK, kernel_indices, programs
from ._observables import Observable, expectation_and_cotangent

__all__ = ["flat_call"]


@lru_cache(maxsize=64)
def _chunks(flat: FlatCircuit):
    """Kernel indices padded to whole chunks (identity stages at the end)."""
    n, S = flat.n_qubits, flat.n_stages
    total = max(CHUNK, -(-S // CHUNK) * CHUNK)
    kernels = np.full(total, n - 1, dtype=np.int32)  # the identity kernel
    kernels[:S] = kernel_indices(flat.pairs, n)
    return [jax.device_put(kernels[i : i + CHUNK]) for i in range(0, total, CHUNK)]


def _padded_matrices(flat: FlatCircuit, params: np.ndarray, cdtype, jacobian: bool):
    mats, saved = stage_matrices(flat, params, jacobian)
    B, S = mats.shape[:2]
    total = max(CHUNK, -(-S // CHUNK) * CHUNK)
    out = np.broadcast_to(np.eye(4, dtype=cdtype), (B, total, 4, 4)).copy()
    out[:, :S] = mats
    out = np.ascontiguousarray(np.swapaxes(out, 0, 1))  # stage axis first, for the scan
    return [out[i : i + CHUNK] for i in range(0, total, CHUNK)], saved


def _forward(flat: FlatCircuit, fwd, mats, psi):
    for m, kernels in zip(mats, _chunks(flat)):
        psi = fwd(psi, m, kernels)
    return psi


def _backward(flat: FlatCircuit, bwd, mats, saved, psi, ct):
    cts = []
    for m, kernels in reversed(list(zip(mats, _chunks(flat)))):
        psi, ct, m_ct = bwd(psi, ct, m, kernels)
        cts.append(np.asarray(m_ct))
    stage_ct = np.swapaxes(np.concatenate(cts[::-1], axis=0)[: flat.n_stages], 0, 1)
    return parameter_gradient(flat, saved, stage_ct.astype(np.complex128))


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
    """One batch (already padded to its bucket) through the flat engine; NumPy outputs.

    ``what``: ``"state"``, ``"value"``, ``"grad"``, ``"both"`` or ``"pullback"`` (then ``state``
    is the final state and ``extra`` its cotangent), with the outputs of
    :func:`ebp.sim._simulate._batched`.
    """
    cdtype = np.dtype(cdtype)
    rdtype = np.finfo(cdtype).dtype
    dtype = cdtype.name
    backward = what in ("grad", "both", "pullback")
    mats, saved = _padded_matrices(flat, np.asarray(params, dtype=np.float64), cdtype, backward)
    # NumPy conversions and device_put: an eager JAX operation would compile for each new shape
    mats = [jax.device_put(m) for m in mats]
    psi = jax.device_put(np.asarray(state, dtype=cdtype))
    n = flat.n_qubits
    fwd, bwd = programs(n, dtype, psi.shape[0], backward)
    if what == "pullback":
        ct = jax.device_put(np.asarray(extra, dtype=cdtype))
        return _backward(flat, bwd, mats, saved, psi, ct).astype(rdtype)
    out = _forward(flat, fwd, mats, psi)
    if what == "state":
        return np.asarray(out)
    assert obs is not None  # "value", "grad" and "both" come with an observable
    value, ct = expectation_and_cotangent(obs, np.asarray(out), n, n_visible, what != "value")
    if what == "value":
        return value
    grad = _backward(flat, bwd, mats, saved, out, jax.device_put(ct)).astype(rdtype)
    return grad if what == "grad" else (value, grad)
