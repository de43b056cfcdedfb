"""Ansatz builders ``f(n_visible, n_hidden, layers, ...) -> Circuit``, parameters layer by layer."""

from ._builders import (
    ANSATZ,
    bounded_cut,
    brickwork,
    decoupled,
    hardware_efficient,
    pauli_network,
)
from ._identity import identity_block, identity_block_parameters

__all__ = [
    "ANSATZ",
    "bounded_cut",
    "brickwork",
    "decoupled",
    "hardware_efficient",
    "identity_block",
    "identity_block_parameters",
    "pauli_network",
]
