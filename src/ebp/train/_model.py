"""What the trainer needs from a model, and the adapter that makes a circuit one.

A *model* maps a real parameter vector θ to a visible state ρ_V(θ). The trainer only calls

* ``n_visible``, ``n_params``;
* ``value_and_gradient(params, objective)`` (plus ``initial_state=`` for models that take
  inputs, i.e. circuits) →
  :class:`ebp.landscape.Evaluation` (cost, exact gradient, ρ_V), batched over leading axes;
* ``rho_visible(params)`` → ρ_V, shape ``(..., d_V, d_V)`` (same keyword);
* ``random_parameters(rng)`` → a random starting point;
* ``diagnostics(params)`` → extra numbers to track along a run (may be empty);

and, for shot-noise gradients only, ``shift_rule()``. Circuits are wrapped by
:class:`CircuitModel`; quantum Boltzmann machines (:mod:`ebp.qbm`) implement the same methods.

Parameter-shift rule (Mitarai et al., PRA 98, 032309 (2018); Schuld et al., PRA 99, 032331
(2019)). A gate parameter enters as one factor exp(−iθ G) of its gate (the gate registry,
:mod:`ebp.circuit`, holds G). When G has two distinct eigenvalues λ₁ > λ₂ (every Pauli rotation,
with c = ½ for RX…RZZ, the coefficient for PauliRot, ½ and 1 for SU4's Euler and XX/YY/ZZ angles;
phase gates), with c = (λ₁ − λ₂)/2, C(θ) = A + B cos 2cθ + D sin 2cθ along that coordinate, so

.. math:: ∂_k C = c_k\\,[C(θ + s_k e_k) − C(θ − s_k e_k)],\\qquad s_k = π / (4 c_k),

exact, with two circuit evaluations per parameter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..circuit import Circuit
from ..landscape import Evaluation, value_and_gradient
from ..sim import simulate

__all__ = ["CircuitModel", "Model", "as_model", "shift_rule"]


@runtime_checkable
class Model(Protocol):
    """The methods :func:`ebp.train.fit` calls on a model (see the module docstring)."""

    n_visible: int
    n_params: int

    def value_and_gradient(self, params, objective) -> Evaluation:
        """Cost, exact gradient and ρ_V at ``params``, batched over its leading axes."""
        ...

    def rho_visible(self, params) -> np.ndarray:
        """ρ_V(θ), shape ``(..., d_V, d_V)``."""
        ...

    def random_parameters(self, rng: np.random.Generator) -> np.ndarray:
        """A random starting point drawn from ``rng``."""
        ...

    def diagnostics(self, params) -> dict[str, float]:
        """Extra numbers to track along a run (may be empty)."""
        ...


def shift_rule(circuit: Circuit) -> tuple[np.ndarray, np.ndarray]:
    """Shifts s_k and coefficients c_k of the two-term parameter-shift rule, per parameter.

    Returns:
        ``(shifts, coefficients)``, each of shape ``(n_params,)``; a parameter no gate uses has
            coefficient 0 (its derivative is exactly 0), and so has a parameter whose generator is a
            multiple of the identity (a global phase).

    Raises:
        ValueError: if a parameter is shared by several gates (the two-term rule then does not
            hold; give each gate its own parameter) or a gate parameter has no two-term rule
            (its generator has more than two distinct eigenvalues, e.g. a controlled rotation).
    """
    coeff = np.zeros(circuit.n_params)
    shifts = np.zeros(circuit.n_params)
    seen = np.zeros(circuit.n_params, dtype=int)
    for op in circuit.operations:
        for j, slot in enumerate(op.slots):
            seen[slot] += 1
            rule = op.spec.shift_rule(j, op.data)
            if rule is None:
                raise ValueError(
                    f"parameter {j} of gate {op.name} on wires {op.wires} has no two-term "
                    "parameter-shift rule (its generator has more than two eigenvalues); use "
                    "exact gradients (shots=None)."
                )
            shifts[slot], coeff[slot] = rule
    shared = np.flatnonzero(seen > 1)
    if shared.size:
        raise ValueError(
            f"parameters {shared[:5].tolist()} are each used by several gates; the two-term "
            "parameter-shift rule needs one gate per parameter (use exact gradients, shots=None)."
        )
    return shifts, coeff


@dataclass(frozen=True)
class CircuitModel:
    """A :class:`~ebp.circuit.Circuit` as a trainable model (ρ_V of the output state).

    Random starting points are uniform in [0, 2π)^P, the standard "random initialisation" whose
    deep-circuit states form an approximate 2-design.
    """

    circuit: Circuit

    def __post_init__(self):
        if not isinstance(self.circuit, Circuit):
            raise TypeError(f"expected an ebp Circuit; got {type(self.circuit).__name__}.")

    @property
    def n_visible(self) -> int:
        return self.circuit.n_visible

    @property
    def n_hidden(self) -> int:
        return self.circuit.n_hidden

    @property
    def n_params(self) -> int:
        return self.circuit.n_params

    def value_and_gradient(self, params, objective, *, initial_state=None) -> Evaluation:
        """Cost f(ρ_V(θ)), its exact gradient (adjoint method) and ρ_V, batched."""
        return value_and_gradient(self.circuit, params, objective, initial_state=initial_state)

    def rho_visible(self, params, *, initial_state=None) -> np.ndarray:
        """ρ_V(θ) = Tr_H |ψ(θ)⟩⟨ψ(θ)|, shape ``(..., d_V, d_V)``."""
        p = np.asarray(params, dtype=np.float64)
        states = np.asarray(simulate(self.circuit, p, initial_state))
        m = states.reshape(*states.shape[:-1], 2**self.n_visible, 2**self.n_hidden)
        return m @ np.conj(np.swapaxes(m, -1, -2))

    def random_parameters(self, rng: np.random.Generator) -> np.ndarray:
        """θ uniform in [0, 2π)^P."""
        return rng.uniform(0.0, 2 * math.pi, self.n_params)

    def diagnostics(self, params) -> dict[str, float]:
        """Nothing beyond what the trainer tracks for every model (loss and S(ρ_V))."""
        return {}

    def shift_rule(self) -> tuple[np.ndarray, np.ndarray]:
        """See :func:`shift_rule`."""
        return shift_rule(self.circuit)


def as_model(model: Any):
    """A circuit becomes a :class:`CircuitModel`; anything with the model methods passes through.

    Raises:
        TypeError: naming the missing methods.
    """
    if isinstance(model, Circuit):
        return CircuitModel(model)
    needed = (
        "n_visible",
        "n_params",
        "value_and_gradient",
        "rho_visible",
        "random_parameters",
        "diagnostics",
    )
    missing = [m for m in needed if not hasattr(model, m)]
    if missing:
        raise TypeError(
            f"{type(model).__name__} is not a model: it lacks {', '.join(missing)}. Pass an ebp "
            "Circuit, a CircuitModel or an ebp.qbm model."
        )
    return model
