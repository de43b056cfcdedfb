"""Ansatz builders: ``f(n_visible, n_hidden, layers, ...) -> Circuit``, parameters layer by layer.

* :func:`hardware_efficient` — RY, RZ on every qubit then a CZ chain, per layer (McClean et al.,
  arXiv:1803.11173; PennyLane's barren-plateau tutorial).
* :func:`brickwork` — general SU(4) blocks on alternating neighbouring pairs; deep brickwork
  circuits converge to unitary 2-designs (Harrow & Low, arXiv:0802.1919; Brandão, Harrow &
  Horodecki, arXiv:1208.0692), the *volume-law* regime.
* :func:`bounded_cut` — visible and hidden registers scrambled separately, with only ``cut_gates``
  two-qubit blocks across the V|H cut. Each such block raises S(ρ_V) by at most 2 bits (its Schmidt
  rank is at most 4), so S(ρ_V) ≤ 2·cut_gates bits by construction: the *area-law* control knob.
  ``cut_gates=0`` is the decoupled model with S(ρ_V) = 0 exactly.
* :func:`pauli_network` — the paper's model (arXiv:2010.15968, Sec. V): one gate exp(−iθ_j J_j P_j)
  per term of a random 2-local Hamiltonian.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._checks import check_count, check_int
from ..circuit import Circuit, CircuitBuilder
from ..quantum_info import random_two_local_terms

__all__ = [
    "hardware_efficient",
    "brickwork",
    "bounded_cut",
    "decoupled",
    "pauli_network",
    "ANSATZ",
]


def _check_layers(layers: int) -> int:
    return check_count("layers", layers)


def hardware_efficient(n_visible: int, n_hidden: int, layers: int) -> Circuit:
    """Hardware-efficient ansatz: per layer RY(θ)·RZ(θ') on every qubit, then CZ(i, i+1) chain.

    Parameters per layer: ``2 n`` ordered qubit by qubit as (RY, RZ). Reference: McClean et al.,
    "Barren plateaus in quantum neural network training landscapes", arXiv:1803.11173.
    """
    layers = _check_layers(layers)
    b = CircuitBuilder(n_visible, n_hidden)
    n = b.n_qubits
    for _ in range(layers):
        b.layer()
        for w in range(n):
            b.gate("RY", w)
            b.gate("RZ", w)
        for w in range(n - 1):
            b.gate("CZ", (w, w + 1))
    return b.build()


def _brick(b: CircuitBuilder, wires: list[int], sublayer: int) -> None:
    """SU(4) blocks on pairs (wires[i], wires[i+1]) with i ≡ sublayer (mod 2); a lone wire gets a
    general single-qubit rotation RZ·RY·RZ so that every register is always trainable."""
    if len(wires) == 1:
        if sublayer == 0:
            for g in ("RZ", "RY", "RZ"):
                b.gate(g, wires[0])
        return
    for i in range(sublayer, len(wires) - 1, 2):
        b.gate("SU4", (wires[i], wires[i + 1]))


def brickwork(n_visible: int, n_hidden: int, layers: int) -> Circuit:
    """Brickwork of 15-parameter SU(4) blocks; one layer = even pairs then odd pairs (depth 2).

    With depth growing linearly in n the circuit approximates a unitary 2-design
    (arXiv:1208.0692), so S(ρ_V) approaches Page's value: the volume-law regime.
    """
    layers = _check_layers(layers)
    b = CircuitBuilder(n_visible, n_hidden)
    wires = list(range(b.n_qubits))
    for _ in range(layers):
        b.layer()
        _brick(b, wires, 0)
        _brick(b, wires, 1)
    return b.build()


def bounded_cut(n_visible: int, n_hidden: int, layers: int, cut_gates: int = 0) -> Circuit:
    """Separate brickworks on V and on H, with exactly ``cut_gates`` SU(4) blocks across the cut.

    The cut blocks act on wires (n_visible−1, n_visible), one at the end of each of the last
    ``cut_gates`` layers (so ``cut_gates <= layers``): by then both registers are scrambled, so
    each block can add its full 2 bits, and the layers fall into two runs of identical structure,
    which keeps compilation to two scanned segments. Since a two-qubit gate has operator
    Schmidt rank ≤ 4, S(ρ_V) ≤ 2·cut_gates bits for every parameter value; with ``cut_gates=0``
    the state is a product over V|H and S(ρ_V) = 0 exactly.
    """
    layers = _check_layers(layers)
    check_int("cut_gates", cut_gates, brief=True)
    if not 0 <= cut_gates <= layers:
        raise ValueError(f"cut_gates must be in 0..layers={layers}; got {cut_gates}.")
    if n_hidden < 1:
        raise ValueError(f"bounded_cut needs n_hidden >= 1; got {n_hidden}.")
    b = CircuitBuilder(n_visible, n_hidden)
    vis, hid = list(range(n_visible)), list(range(n_visible, b.n_qubits))
    cut_layers = set(range(layers - cut_gates, layers))  # the last k layers: see docstring
    for layer in range(layers):
        b.layer()
        for sub in (0, 1):
            _brick(b, vis, sub)
            _brick(b, hid, sub)
        if layer in cut_layers:
            b.gate("SU4", (n_visible - 1, n_visible))
    return b.build()


def decoupled(n_visible: int, n_hidden: int, layers: int) -> Circuit:
    """:func:`bounded_cut` with no gate across the cut: ρ_V is pure, S(ρ_V) = 0."""
    return bounded_cut(n_visible, n_hidden, layers, cut_gates=0)


def pauli_network(
    n_visible: int,
    n_hidden: int,
    layers: int = 1,
    *,
    seed: int,
    onsite_std: float = 0.1,
    offsite_std: float = 1.0,
) -> Circuit:
    """The paper's QNN: one gate exp(−iθ_j J_j P_j) per term of a random 2-local Hamiltonian.

    The terms and their coefficients J_j come from :func:`ebp.quantum_info.random_two_local_terms`;
    their order is shuffled once with ``seed`` and the same ordered network is repeated ``layers``
    times with fresh parameters (``3n + 9n(n−1)/2`` parameters per layer).
    Reference: arXiv:2010.15968.
    """
    layers = _check_layers(layers)
    b = CircuitBuilder(n_visible, n_hidden)
    terms = random_two_local_terms(
        b.n_qubits, seed=seed, onsite_std=onsite_std, offsite_std=offsite_std
    )
    order = np.random.default_rng([seed, 1]).permutation(len(terms))
    for _ in range(layers):
        b.layer()
        for k in order:
            coeff, label, wires = terms[k]
            b.pauli_rotation(label, wires, coeff)
    return b.build()


ANSATZ: dict[str, Callable[..., Circuit]] = {
    "hardware_efficient": hardware_efficient,
    "brickwork": brickwork,
    "bounded_cut": bounded_cut,
    "decoupled": decoupled,
    "pauli_network": pauli_network,
}
"""The ansatz builders by name (how configs and the command line name them)."""
