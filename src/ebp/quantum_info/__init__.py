"""Quantum-information primitives for the visible|hidden cut.

Conventions: states have shape ``(..., 2**n)`` (leading axes are batch axes);
visible qubits are wires ``0 … n_v−1``, hidden ``n_v … n−1``, big-endian, so
the ``(2**n_v, 2**n_h)`` reshape of a state is the V|H cut.  Entropies are in bits
unless ``base`` says otherwise.  Reference: arXiv:2010.15968.

The functions compute in complex128 by default, which needs JAX's 64-bit mode: the examples
assume a program that called :func:`ebp.enable_x64` first.
"""

from ._density import distance_to_maximally_mixed, von_neumann_entropy
from ._distance import pinsker_bound, trace_distance_to_maximally_mixed
from ._entanglement import (
    entanglement_entropy,
    purity,
    reduced_density_matrix,
    schmidt_coefficients,
)
from ._gue import gue_evolution, gue_hamiltonian
from ._states import check_n_visible, haar_state, haar_unitary, validate_state
from ._two_local import random_two_local_terms

__all__ = [
    "check_n_visible",
    "distance_to_maximally_mixed",
    "entanglement_entropy",
    "gue_evolution",
    "gue_hamiltonian",
    "haar_state",
    "haar_unitary",
    "pinsker_bound",
    "purity",
    "random_two_local_terms",
    "reduced_density_matrix",
    "schmidt_coefficients",
    "trace_distance_to_maximally_mixed",
    "validate_state",
    "von_neumann_entropy",
]
