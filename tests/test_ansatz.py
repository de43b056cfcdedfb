"""Ansatz builders: structure, parameter order, and the entanglement each is built to have."""

import numpy as np
import pytest

import ebp
from ebp.ansatz import (
    bounded_cut,
    brickwork,
    decoupled,
    hardware_efficient,
    pauli_network,
)
from ebp.quantum_info import random_two_local_terms
from intervals import mean_interval


def _random_params(circuit, batch, seed):
    return np.random.default_rng(seed).uniform(0, 2 * np.pi, (batch, circuit.n_params))


def test_hardware_efficient_structure_and_order():
    c = hardware_efficient(2, 1, 3)
    assert (c.n_visible, c.n_hidden, c.n_qubits, c.n_layers) == (2, 1, 3, 3)
    assert c.n_params == 3 * 2 * 3
    first_layer = c.layers()[0]
    names = [op.name for op in first_layer]
    assert names == ["RY", "RZ"] * 3 + ["CZ", "CZ"]
    # parameters run layer by layer: layer k uses slots [6k, 6k + 6)
    for k, layer in enumerate(c.layers()):
        slots = sorted(s for op in layer for s in op.slots)
        assert slots == list(range(6 * k, 6 * k + 6))


def test_brickwork_blocks_and_params():
    c = brickwork(2, 3, 2)  # 5 qubits: pairs (0,1),(2,3) then (1,2),(3,4) per layer
    su4 = [op for op in c.operations if op.name == "SU4"]
    assert [op.wires for op in su4[:4]] == [(0, 1), (2, 3), (1, 2), (3, 4)]
    assert c.n_params == 15 * len(su4) == 15 * 8


@pytest.mark.slow
@pytest.mark.parametrize("n_v,n_h,layers", [(1, 3, 4), (2, 3, 3), (3, 2, 5)])
def test_decoupled_has_exactly_zero_entanglement(n_v, n_h, layers):
    c = decoupled(n_v, n_h, layers)
    assert c.n_cut_gates() == 0
    psi = ebp.simulate(c, _random_params(c, 16, 0))
    s = ebp.entanglement_entropy(psi, n_v)
    assert np.all(np.abs(np.asarray(s)) < 1e-10)


@pytest.mark.slow
@pytest.mark.parametrize("k", [1, 2])
def test_bounded_cut_caps_entropy_at_two_bits_per_cut_gate(k):
    c = bounded_cut(3, 4, 6, cut_gates=k)
    assert c.n_cut_gates() == k
    psi = ebp.simulate(c, _random_params(c, 32, k))
    s = np.asarray(ebp.entanglement_entropy(psi, 3))
    assert s.max() <= 2 * k + 1e-9
    assert s.mean() > 0.5  # the cut gates do entangle


def test_bounded_cut_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"cut_gates must be in 0..layers=2; got 3"):
        bounded_cut(1, 2, 2, cut_gates=3)
    with pytest.raises(ValueError, match=r"needs n_hidden >= 1"):
        bounded_cut(2, 0, 2)
    with pytest.raises(ValueError, match=r"layers must be an int >= 1; got 0"):
        hardware_efficient(1, 1, 0)


@pytest.mark.slow
def test_deep_brickwork_reaches_page_value():
    # Page's value lies in the 99.9 % interval of the mean entropy over random parameters. At 8
    # layers on 6 qubits the mean is still ≈ 0.015 bits (≈ 3 standard errors) below it; at 12 the
    # brickwork is close enough to a 2-design that no deficit can be seen in 400 samples.
    n_v, n_h = 2, 4
    c = brickwork(n_v, n_h, 12)
    psi = ebp.simulate(c, _random_params(c, 400, 1))
    lo, hi = mean_interval(np.asarray(ebp.entanglement_entropy(psi, n_v)))
    assert lo <= ebp.page_entropy(n_v, n_h) <= hi, (lo, hi)


def test_random_two_local_terms_statistics_and_seed():
    n = 6
    terms = random_two_local_terms(n, seed=3, onsite_std=0.1, offsite_std=1.0)
    assert len(terms) == 3 * n + 9 * n * (n - 1) // 2
    onsite = np.array([c for c, lab, w in terms if len(w) == 1])
    offsite = np.array([c for c, lab, w in terms if len(w) == 2])
    # sample standard deviations match the requested ones (chi-square, 5 sigma margins)
    assert abs(onsite.std() - 0.1) < 5 * 0.1 / np.sqrt(2 * len(onsite))
    assert abs(offsite.std() - 1.0) < 5 * 1.0 / np.sqrt(2 * len(offsite))
    assert terms == random_two_local_terms(n, seed=3)
    assert terms != random_two_local_terms(n, seed=4)


def test_pauli_network_is_the_hamiltonian_terms_in_seeded_order():
    c = pauli_network(1, 2, layers=2, seed=5)
    terms = random_two_local_terms(3, seed=5)
    per_layer = len(terms)
    assert c.n_params == 2 * per_layer and c.n_layers == 2
    got = {(op.data[1], op.wires, op.data[0]) for op in c.layers()[0]}
    assert got == {(lab, w, coeff) for coeff, lab, w in terms}
    # the same order in every layer, a different order for another seed
    l0, l1 = c.layers()
    assert [op.wires + (op.data[1],) for op in l0] == [op.wires + (op.data[1],) for op in l1]
    other = pauli_network(1, 2, layers=1, seed=6)
    assert [op.data[1] for op in other.operations] != [op.data[1] for op in l0]
