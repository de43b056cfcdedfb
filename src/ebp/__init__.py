"""ebp — entanglement-induced barren plateaus in QNNs and QBMs with visible and hidden units.

Conventions: visible qubits are wires ``0 … n_visible−1``, hidden qubits follow; states are
big-endian vectors of shape ``(..., 2**n)`` so that ``reshape(2**n_visible, 2**n_hidden)`` is the
V|H cut; entropies are in bits; numerics are JAX in complex128 unless asked otherwise.
"""

import jax as _jax

_jax.config.update("jax_enable_x64", True)

from . import ansatz, circuit, sim  # noqa: E402
from .circuit import Circuit, CircuitBuilder, Operation  # noqa: E402
from .sim import expectation, gradient, gue_evolution, simulate, value_and_gradient  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Circuit",
    "CircuitBuilder",
    "Operation",
    "ansatz",
    "circuit",
    "expectation",
    "gradient",
    "gue_evolution",
    "sim",
    "simulate",
    "value_and_gradient",
    "__version__",
]
