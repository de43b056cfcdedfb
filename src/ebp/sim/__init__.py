"""Turning a circuit and parameters into states, expectation values and exact gradients (JAX)."""

from ._compile import Program, compile_circuit
from ._observables import Observable, as_observable
from ._persistent_cache import cache_folder, enable_persistent_cache
from ._simulate import (
    DEFAULT_MEMORY_BUDGET,
    expectation,
    expectation_and_gradient,
    gradient,
    pullback,
    simulate,
    state_function,
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
    "expectation_and_gradient",
    "gradient",
    "pullback",
    "simulate",
    "state_function",
    "zero_state",
]

enable_persistent_cache()

_MOVED = {
    "value_and_gradient": "ebp.sim.expectation_and_gradient",
    "gue_evolution": "ebp.quantum_info.gue_evolution",
    "gue_hamiltonian": "ebp.quantum_info.gue_hamiltonian",
}


def __getattr__(name: str):
    """The former spellings of :data:`_MOVED`, with a ``DeprecationWarning`` naming the new one."""
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    import warnings

    module, _, new = _MOVED[name].rpartition(".")
    warnings.warn(
        f"ebp.sim.{name} is deprecated; use {_MOVED[name]}.", DeprecationWarning, stacklevel=2
    )
    return getattr(importlib.import_module(module), new)
