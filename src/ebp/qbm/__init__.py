"""Quantum Boltzmann machines with hidden units: Gibbs states, visible marginals, exact gradients.

A QBM is a parametrised Hamiltonian H(θ) = Σ_k s_k θ_k P_k (Pauli strings P_k) on n_V visible +
n_H hidden qubits at inverse temperature β; the model of the visible units is the marginal

.. math:: σ_V(θ) = \\operatorname{Tr}_H \\frac{e^{−βH(θ)}}{\\operatorname{Tr} e^{−βH(θ)}}.

Conventions: visible wires 0 … n_V−1 first, big-endian; entropies in bits; dense numerics in
complex128 with the ground energy shifted out (finite for any β‖H‖). Any
:class:`ebp.landscape.Objective` of σ_V (quantum relative entropy, fidelity, the classical
:func:`ebp.landscape.kl_divergence`, …) gets its exact gradient from the Fréchet derivative of the
matrix exponential (divided differences on the spectrum)::

    import numpy as np
    from ebp import qbm
    from ebp.landscape import relative_entropy

    model, theta = qbm.paper_qbm(1, 5, seed=0)               # normalised random 2-local QBM
    ev = model.value_and_gradient(theta, relative_entropy(np.diag([0.9, 0.1])))
    ev.cost, ev.gradient, model.diagnostics(theta)["mutual_information"]

A :class:`QBM` implements the model protocol of :mod:`ebp.train` (``rho_visible``,
``value_and_gradient``, ``random_parameters``, ``diagnostics``); :mod:`ebp.qbm.pretrain` trains
the visible part first and switches the hidden units on afterwards. Reference: C. Ortiz Marrero,
M. Kieferová, N. Wiebe, PRX Quantum 2, 040316 (2021), arXiv:2010.15968 (the QBM section); M. H.
Amin et al., Phys. Rev. X 8, 021050 (2018); M. Kieferová, N. Wiebe, Phys. Rev. A 96, 062327 (2017).
"""

from . import pretrain
from ._bound import covariance_gradient_bound, golden_thompson_bound, two_design_gradient_scale
from ._builders import (
    fully_visible,
    gaussian_parameters,
    k_local,
    paper_qbm,
    random_k_local,
    restricted,
    semi_restricted,
    transverse_field_ising,
)
from ._model import (
    MEMORY_LIMIT_BYTES,
    QBM,
    evaluate_temperatures,
    gibbs_state,
    memory_estimate,
    visible_marginal,
)
from ._terms import TERM_CLASSES, hidden_trace_ratio, term_class

__all__ = [
    "MEMORY_LIMIT_BYTES",
    "QBM",
    "TERM_CLASSES",
    "covariance_gradient_bound",
    "evaluate_temperatures",
    "fully_visible",
    "gaussian_parameters",
    "gibbs_state",
    "golden_thompson_bound",
    "hidden_trace_ratio",
    "k_local",
    "memory_estimate",
    "paper_qbm",
    "pretrain",
    "random_k_local",
    "restricted",
    "semi_restricted",
    "term_class",
    "transverse_field_ising",
    "two_design_gradient_scale",
    "visible_marginal",
]
