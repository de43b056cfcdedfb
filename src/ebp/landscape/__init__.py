"""The optimisation landscape of visible objectives: gradients, concentration, scaling.

Claims C1 and C3 of arXiv:2010.15968: for any bounded objective f(ρ_V) of the visible units,
volume-law V|H entanglement pins the cost near its value at I/d_V and shrinks gradients and the
Lipschitz constant like 1/d_H. This package measures that on any circuit::

    from ebp.ansatz import brickwork
    from ebp.landscape import fidelity, thermal_state, gradient_statistics, fit_scaling

    objective = fidelity(thermal_state(1, seed=0))          # the paper's objective on V
    stats = gradient_statistics(brickwork(1, 4, 10), objective, samples=500, seed=1)
    stats.probe_var, stats.probe_var_ci, stats.lipschitz

Objectives and losses, all imported from this package, carry their derivative G = f′(ρ_V), an
effective observable on V, so nonlinear objectives get exact gradients from one forward and one
adjoint pass: linear, fidelity, trace distance, relative entropy, the sandwiched Rényi
divergence, KL / NLL / MMD of the measured distribution, readout losses for classifiers, and an
entanglement penalty. Any model of ρ_V (circuits, :mod:`ebp.qbm`) takes them.
"""

from ._bound import cost_deviation_bound
from ._evaluate import Evaluation, value_and_gradient, value_and_gradients
from ._losses import (
    MMD,
    EntanglementRegularised,
    KLDivergence,
    NegativeLogLikelihood,
    ReadoutCrossEntropy,
    SandwichedRenyi,
    as_distribution,
    entanglement_regularised,
    kl_divergence,
    mmd,
    negative_log_likelihood,
    pure_state_infidelity,
    readout_cross_entropy,
    readout_error,
    sandwiched_renyi,
)
from ._objectives import (
    Fidelity,
    Linear,
    Objective,
    RelativeEntropy,
    TraceDistance,
    as_density_matrix,
    as_objective,
    fidelity,
    linear,
    relative_entropy,
    trace_distance,
)
from ._scaling import ScalingFit, fit_scaling
from ._statistics import (
    DISTRIBUTIONS,
    GradientStatistics,
    bootstrap_interval,
    gradient_statistics,
    gradient_statistics_many,
    identity_block_distribution,
    probe_parameters,
    sample_parameters,
)
from ._targets import global_projector, random_observable, thermal_state, two_local_hamiltonian
from ._theory import slot_generator_traces, two_design_probe_variance

__all__ = [
    "DISTRIBUTIONS",
    "EntanglementRegularised",
    "KLDivergence",
    "MMD",
    "NegativeLogLikelihood",
    "ReadoutCrossEntropy",
    "SandwichedRenyi",
    "as_density_matrix",
    "as_distribution",
    "entanglement_regularised",
    "kl_divergence",
    "mmd",
    "negative_log_likelihood",
    "pure_state_infidelity",
    "readout_cross_entropy",
    "readout_error",
    "sandwiched_renyi",
    "Evaluation",
    "Fidelity",
    "GradientStatistics",
    "Linear",
    "Objective",
    "RelativeEntropy",
    "ScalingFit",
    "TraceDistance",
    "as_objective",
    "bootstrap_interval",
    "cost_deviation_bound",
    "fidelity",
    "fit_scaling",
    "global_projector",
    "gradient_statistics",
    "gradient_statistics_many",
    "identity_block_distribution",
    "linear",
    "probe_parameters",
    "random_observable",
    "relative_entropy",
    "sample_parameters",
    "slot_generator_traces",
    "thermal_state",
    "trace_distance",
    "two_design_probe_variance",
    "two_local_hamiltonian",
    "value_and_gradient",
    "value_and_gradients",
]
