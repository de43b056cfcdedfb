"""Turning a circuit and parameters into states, expectation values and exact gradients (JAX)."""

from ._compile import Program, compile_circuit
from ._observables import Observable, as_observable
from ._persistent_cache import cache_folder, enable_persistent_cache
from ._simulate import (
    DEFAULT_MEMORY_BUDGET,
    expectation,
    gradient,
    pullback,
    simulate,
    state_function,
    value_and_gradient,
    zero_state,
)

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "Observable",
    "Program",
    "as_observable",
    "cache_folder",
    "compile_circuit",
    "expectation",
    "gradient",
    "pullback",
    "simulate",
    "state_function",
    "value_and_gradient",
    "zero_state",
]

enable_persistent_cache()
