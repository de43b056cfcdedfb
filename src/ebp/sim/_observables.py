"""Observables: weighted Pauli strings on any wires, or a Hermitian matrix on the visible register.

Accepted forms::

    "Z0"                              # one Pauli string, coefficient 1
    "Z0 Z1"  or  "Z0 @ Z1"            # tensor product of single-wire Paulis
    {"Z0 Z1": 0.5, "X2": 1.0}         # a weighted sum (real coefficients)
    [(0.5, "Z0 Z1"), (1.0, "X2")]     # the same as a list
    np.ndarray of shape (d_V, d_V)    # Hermitian matrix on the visible wires 0..n_v−1

``"I"`` (or ``""``) is the identity. Expectation values are ⟨ψ|O|ψ⟩ = Tr(O ρ), real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeAlias

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "Observable",
    "ObservableLike",
    "as_observable",
    "expectation_and_cotangent",
    "expectation_of_state",
]

_TOKEN = re.compile(r"^([IXYZ])(\d+)$")


@dataclass(frozen=True)
class Observable:
    """A parsed observable.

    Attributes:
        terms: ``((coeff, ((wire, letter), …)), …)`` for Pauli sums; empty for a matrix.
        matrix: the Hermitian matrix on the visible register as nested tuples (hashable, so an
            observable can key a cache of compiled functions), or None; see :attr:`array`.
    """

    terms: tuple = ()
    matrix: Any = None

    @property
    def array(self) -> np.ndarray | None:
        """The visible-register matrix as an array (None for Pauli sums)."""
        return None if self.matrix is None else np.asarray(self.matrix, dtype=complex)

    def norm_bound(self) -> float:
        """An upper bound on the operator norm ‖O‖ (Σ|c| for Pauli sums, exact for matrices)."""
        if self.matrix is not None:
            return float(np.max(np.abs(np.linalg.eigvalsh(np.asarray(self.matrix, dtype=complex)))))
        return float(sum(abs(c) for c, _ in self.terms))


def _parse_string(text: str) -> tuple[tuple[int, str], ...]:
    tokens = [t for t in re.split(r"[\s@*]+", text.strip().upper()) if t]
    factors: dict[int, str] = {}
    for tok in tokens:
        if tok == "I":
            continue
        m = _TOKEN.match(tok)
        if not m:
            raise ValueError(
                f"cannot read Pauli factor {tok!r} in {text!r}; write a letter I, X, Y or Z "
                "followed by a wire number, e.g. 'Z0 X3'."
            )
        letter, wire = m.group(1), int(m.group(2))
        if wire in factors:
            raise ValueError(f"wire {wire} appears twice in Pauli string {text!r}.")
        if letter != "I":
            factors[wire] = letter
    return tuple(sorted(factors.items()))


ObservableLike: TypeAlias = (
    Observable | str | dict[str, float] | list[tuple[float, str]] | np.ndarray | jax.Array
)
"""What :func:`as_observable` accepts: a Pauli string (``"Z0 X1"``), a dict
``{string: coeff}``, a list of ``(coeff, string)``, a Hermitian matrix on the visible register,
or an :class:`Observable`."""


def as_observable(obs: ObservableLike, n_qubits: int, n_visible: int) -> Observable:
    """Parse and validate ``obs`` for a circuit with ``n_qubits`` wires, ``n_visible`` visible."""
    if isinstance(obs, Observable):
        return obs
    if isinstance(obs, str):
        items = [(1.0, obs)]
    elif isinstance(obs, dict):
        items = [(c, k) for k, c in obs.items()]
    elif isinstance(obs, (list, tuple)) and all(isinstance(t, tuple) and len(t) == 2 for t in obs):
        items = list(obs)
    elif isinstance(obs, (np.ndarray, jnp.ndarray)) or hasattr(obs, "__array__"):
        return _matrix_observable(np.asarray(obs), n_visible)
    else:
        raise TypeError(
            f"observable must be a Pauli string, a dict {{string: coeff}}, a list of "
            f"(coeff, string) or a Hermitian matrix; got {type(obs).__name__}."
        )
    terms = []
    for coeff, text in items:
        if not isinstance(text, str):
            raise TypeError(f"Pauli string must be a str; got {type(text).__name__} {text!r}.")
        c = complex(coeff)
        if abs(c.imag) > 1e-12 or not np.isfinite(c.real):
            raise ValueError(
                f"observable is not Hermitian: coefficient of {text!r} is {coeff!r}; "
                "coefficients must be real and finite."
            )
        factors = _parse_string(text)
        bad = [w for w, _ in factors if w >= n_qubits]
        if bad:
            raise ValueError(
                f"Pauli string {text!r} acts on wire(s) {bad}, out of range for a "
                f"{n_qubits}-qubit circuit (allowed 0..{n_qubits - 1})."
            )
        terms.append((c.real, factors))
    return Observable(terms=tuple(terms))


def _matrix_observable(m: np.ndarray, n_visible: int) -> Observable:
    d = 2**n_visible
    if m.shape != (d, d):
        raise ValueError(
            f"an observable matrix acts on the {n_visible} visible qubit(s) and must be "
            f"{d}x{d}; got shape {m.shape}."
        )
    m = m.astype(complex)
    err = float(np.max(np.abs(m - m.conj().T)))
    if err > 1e-10:
        raise ValueError(f"observable matrix is not Hermitian: max |O − O†| = {err:.3g}.")
    m = (m + m.conj().T) / 2
    return Observable(matrix=tuple(tuple(complex(v) for v in row) for row in m))


_PHASES = {"Z": (1, -1), "Y": (-1j, 1j)}  # per output bit, after the X/Y axes are flipped


def _pauli_applied(x, factors, n: int, xp):
    """P x for one Pauli string: a flip of the X/Y axes and a sign/phase per Y/Z axis. ``x`` has
    one axis of length 2 per wire after any leading (batch) axes; ``xp`` is NumPy or jax.numpy."""
    lead = x.ndim - n
    flips = tuple(lead + w for w, p in factors if p in "XY")
    px = xp.flip(x, axis=flips) if flips else x
    for w, p in factors:
        if p in _PHASES:
            shape = [1] * x.ndim
            shape[lead + w] = 2
            px = px * xp.asarray(_PHASES[p], dtype=x.dtype).reshape(shape)
    return px


def _pauli_expectation(state, factors, n):
    """⟨ψ|P|ψ⟩ for one Pauli string."""
    if not factors:
        return jnp.sum(jnp.abs(state) ** 2)
    x = state.reshape((2,) * n)
    px = _pauli_applied(x, factors, n, jnp)
    return jnp.real(jnp.vdot(x.reshape(-1), px.reshape(-1)))


def expectation_of_state(obs: Observable, state, n_qubits: int, n_visible: int):
    """⟨ψ|O|ψ⟩ for a single state of shape ``(2**n,)``."""
    if obs.matrix is not None:
        m = state.reshape(2**n_visible, 2 ** (n_qubits - n_visible))
        o = jnp.asarray(obs.array, dtype=state.dtype)
        return jnp.real(jnp.vdot(m, o @ m))
    total = 0.0
    for coeff, factors in obs.terms:
        total = total + coeff * _pauli_expectation(state, factors, n_qubits)
    return jnp.asarray(total, dtype=jnp.real(state).dtype)


def _applied(obs: Observable, states: np.ndarray, n_qubits: int, n_visible: int) -> np.ndarray:
    """O ψ for a batch of states (B, 2**n), in NumPy."""
    batch = states.shape[0]
    matrix = obs.array
    if matrix is not None:
        m = states.reshape(batch, 2**n_visible, -1)
        return (matrix.astype(states.dtype) @ m).reshape(states.shape)
    out = np.zeros_like(states)
    x = states.reshape((batch,) + (2,) * n_qubits)
    for coeff, factors in obs.terms:
        out += coeff * _pauli_applied(x, factors, n_qubits, np).reshape(states.shape)
    return out


def expectation_and_cotangent(
    obs: Observable, states: np.ndarray, n_qubits: int, n_visible: int, with_cotangent: bool
):
    """⟨ψ|O|ψ⟩ (B,) for a batch of states (B, 2**n), in NumPy (nothing to compile), and, with
    ``with_cotangent``, its cotangent ψ̄ = 2·conj(Oψ): for f(ψ) = Re⟨ψ|O|ψ⟩ with O Hermitian,
    df = Re Σ 2·conj(Oψ)ᵢ dψᵢ, which is what ``jax.vjp`` of :func:`expectation_of_state` returns."""
    o_psi = _applied(obs, states, n_qubits, n_visible)
    value = np.real(np.sum(np.conj(states) * o_psi, axis=-1))
    return value, (2 * np.conj(o_psi) if with_cotangent else None)
