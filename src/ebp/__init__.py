"""ebp — entanglement-induced barren plateaus in QNNs and QBMs with visible and hidden units.

Conventions: visible qubits are wires ``0 … n_visible−1``, hidden qubits follow; states are
big-endian vectors of shape ``(..., 2**n)`` so that ``reshape(2**n_visible, 2**n_hidden)`` is the
V|H cut; entropies are in bits; numerics are JAX in complex128 unless asked otherwise.

Reference: C. Ortiz Marrero, M. Kieferová, N. Wiebe, "Entanglement-induced barren plateaus",
PRX Quantum 2, 040316 (2021), arXiv:2010.15968.
"""

import jax as _jax

_jax.config.update("jax_enable_x64", True)

from . import ansatz, circuit, landscape, qbm, quantum_info, sim, theory, train  # noqa: E402
from .circuit import Circuit, CircuitBuilder, Operation  # noqa: E402
from .quantum_info import (  # noqa: E402
    entanglement_entropy,
    haar_state,
    haar_unitary,
    pinsker_bound,
    reduced_density_matrix,
    schmidt_coefficients,
    trace_distance_to_maximally_mixed,
)
from .runner import load_results  # noqa: E402
from .sim import (  # noqa: E402
    expectation,
    gradient,
    gue_evolution,
    simulate,
    state_function,
    value_and_gradient,
)
from .theory import haar_purity, page_entropy  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Circuit",
    "CircuitBuilder",
    "Operation",
    "ansatz",
    "circuit",
    "entanglement_entropy",
    "expectation",
    "gradient",
    "gue_evolution",
    "haar_purity",
    "haar_state",
    "haar_unitary",
    "landscape",
    "load_results",
    "page_entropy",
    "qbm",
    "pinsker_bound",
    "quantum_info",
    "reduced_density_matrix",
    "schmidt_coefficients",
    "sim",
    "simulate",
    "state_function",
    "theory",
    "trace_distance_to_maximally_mixed",
    "train",
    "value_and_gradient",
    "__version__",
]
