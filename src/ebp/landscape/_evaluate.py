"""Cost and exact gradient of any visible objective, batched: one forward and one adjoint pass.

For C(θ) = f(ρ_V(θ)) with ρ_V = M M† (M the d_V × d_H reshape of ψ(θ)) and G = f′(ρ_V) the
objective's derivative (an effective observable on V),

.. math:: ∂_θ C = ∂_θ \\operatorname{Tr}(G ρ_V(θ))\\big|_{G\\ \\text{fixed}},\\qquad
          \\bar ψ = 2\\,\\overline{(G ⊗ I_H)\\,ψ},

so the state cotangent ψ̄ (JAX's convention, the conjugate gradient) is handed to the reverse
pass of the adjoint method (:func:`ebp.sim.pullback`); no finite differences, and one compiled
program per circuit serves every objective.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._chunks import chunk_size, chunk_slices
from ..circuit import Circuit
from ..sim import pullback, simulate
from ._objectives import Objective, as_objective

__all__ = ["STATE_CHUNK_BYTES", "Evaluation", "value_and_gradient", "value_and_gradients"]

STATE_CHUNK_BYTES = 256 * 2**20
"""Bytes of output states held at once; larger batches are processed in chunks of this size."""


class Evaluation(NamedTuple):
    """Results for a batch of parameter vectors.

    Attributes:
        cost: C(θ) = f(ρ_V(θ)), shape ``(...,)``.
        gradient: ∂C/∂θ, shape ``(..., n_params)``.
        rho_visible: ρ_V(θ), shape ``(..., d_V, d_V)``.
    """

    cost: np.ndarray
    gradient: np.ndarray
    rho_visible: np.ndarray


@partial(jax.jit, static_argnums=(0, 1))
def _objective_step(objective: Objective, n_visible: int, states):
    d_v = 2**n_visible
    m = states.reshape(states.shape[0], d_v, -1)
    rho = m @ jnp.conj(jnp.swapaxes(m, -1, -2))
    f, g = objective.value_and_derivative(rho)
    cotangent = 2.0 * jnp.conj(g @ m).reshape(states.shape)
    return f, cotangent, rho


def _check_params(circuit: Circuit, params) -> np.ndarray:
    p = np.asarray(params)
    if np.iscomplexobj(p) or not np.issubdtype(p.dtype, np.number):
        raise TypeError(f"parameters must be real numbers; got dtype {p.dtype}.")
    if p.ndim == 0 or p.shape[-1] != circuit.n_params:
        raise ValueError(
            f"expected parameters of shape (..., {circuit.n_params}) for this circuit; "
            f"got shape {p.shape}."
        )
    if not np.all(np.isfinite(p)):
        raise ValueError("parameters contain NaN or infinity.")
    return p.astype(np.float64)


def value_and_gradient(
    circuit: Circuit, params, objective, *, initial_state=None, dtype=None
) -> Evaluation:
    """C(θ) and ∂C/∂θ for C(θ) = f(ρ_V(θ)), batched over leading axes of ``params``.

    Args:
        circuit: the circuit; its ``n_visible`` defines ρ_V.
        params: real array ``(..., n_params)``.
        objective: an :class:`~ebp.landscape.Objective` (``fidelity(σ)``, ``trace_distance(σ)``,
            ``relative_entropy(σ)``, ``linear(O, n_v)``) or anything :func:`linear` reads (a
            Pauli string on the visible wires, a dict of them, a d_V × d_V matrix).
        initial_state: optional input state ``(2**n,)`` shared by the whole batch
            (default |0…0⟩).
        dtype: ``jnp.complex128`` (default) or ``jnp.complex64``.

    Returns:
        :class:`Evaluation` of numpy arrays (cost, gradient, rho_visible).
    """
    return value_and_gradients(
        circuit, params, [objective], initial_state=initial_state, dtype=dtype
    )[0]


def value_and_gradients(
    circuit: Circuit, params, objectives, *, initial_state=None, dtype=None
) -> list[Evaluation]:
    """:func:`value_and_gradient` for several objectives on the same states: one forward pass,
    then one adjoint pass per objective. Returns one :class:`Evaluation` per objective."""
    if not isinstance(circuit, Circuit):
        raise TypeError(f"expected an ebp Circuit; got {type(circuit).__name__}.")
    objs = [as_objective(o, circuit.n_visible) for o in objectives]
    if not objs:
        raise ValueError("give at least one objective.")
    p = _check_params(circuit, params)
    batch = p.shape[:-1]
    flat = p.reshape(-1, circuit.n_params)
    total = flat.shape[0]
    itemsize = 8 if dtype is not None and jnp.dtype(dtype) == jnp.complex64 else 16
    chunk = chunk_size(STATE_CHUNK_BYTES, itemsize * 2**circuit.n_qubits)
    parts: list[list[tuple]] = [[] for _ in objs]
    for piece in chunk_slices(max(total, 1), chunk):
        part = flat[piece]
        states = simulate(circuit, part, initial_state, dtype=dtype)
        for obj, out in zip(objs, parts):
            f, cotangent, rho = _objective_step(obj, circuit.n_visible, states)
            g = pullback(circuit, part, states, cotangent, dtype=dtype)
            out.append((np.asarray(f), np.asarray(g), np.asarray(rho)))
        del states
    d_v = 2**circuit.n_visible
    shapes = (batch, batch + (circuit.n_params,), batch + (d_v, d_v))
    return [
        Evaluation(
            *(np.concatenate([c[k] for c in out])[:total].reshape(shapes[k]) for k in range(3))
        )
        for out in parts
    ]
