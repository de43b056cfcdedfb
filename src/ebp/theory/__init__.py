"""Closed-form Haar-random results (no simulation) used as references.

Page entropy and its variance, Lubkin purity and its variance, Haar variances
of expectation values and of 2-design gradients, and concentration bounds on
ρ_V around I/d_V.  d_V = ``2**n_visible``, d_H = ``2**n_hidden``.  Reference setting:
arXiv:2010.15968.
"""

from ._concentration import (
    PSW_CONSTANT,
    levy_tail_bound,
    mean_trace_distance_bound,
    mean_trace_distance_bound_lubkin,
    typical_trace_distance_bound,
)
from ._haar import (
    haar_expectation_variance,
    haar_purity,
    haar_purity_variance,
    pauli_expectation_variance,
    two_design_gradient_variance,
    two_design_gradient_variance_general,
)
from ._page import page_entropy, page_entropy_variance

__all__ = [
    "PSW_CONSTANT",
    "haar_expectation_variance",
    "haar_purity",
    "haar_purity_variance",
    "levy_tail_bound",
    "mean_trace_distance_bound",
    "mean_trace_distance_bound_lubkin",
    "page_entropy",
    "page_entropy_variance",
    "pauli_expectation_variance",
    "two_design_gradient_variance",
    "two_design_gradient_variance_general",
    "typical_trace_distance_bound",
]
