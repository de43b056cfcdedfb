"""Training models with hidden units: tasks, shot noise, optimisers, pretraining.

Claims C4, C5 and C7 of arXiv:2010.15968: under volume-law V|H entanglement gradient descent and
gradient-free optimisers both fail, and pretraining may get around the plateau. One entry point
trains any model (a circuit, or an :mod:`ebp.qbm` machine) on any task::

    from ebp.ansatz import brickwork
    from ebp.train import adam, fit, make_task

    task = make_task("state", n_visible=1, seed=0)       # learn a random visible state
    result = fit(brickwork(1, 3, 12), task, adam(0.05), shots=100, budget=2e7, seed=1)
    result.loss, result.success, result.shots, result.curve[["cost", "loss", "entropy"]]

Budgets are in shots (or circuit evaluations when exact), charged at the parameter-shift cost,
so gradient descent and gradient-free methods compare at equal cost. Pretraining strategies are
in :mod:`ebp.train.pretrain`.
"""

from . import pretrain
from ._fit import FitResult, fit, initial_parameters
from ._model import CircuitModel, Model, as_model, shift_rule
from ._optimisers import (
    OPTIMISERS,
    Optimiser,
    adam,
    cma_es,
    cobyla,
    get_optimiser,
    gradient_descent,
    nelder_mead,
    powell,
    random_search,
    sgd,
    spsa,
)
from ._oracle import BudgetExhausted, CheckpointError, Oracle
from ._shots import LinearEstimator, MMDEstimator, estimator_for
from ._targets import (
    bars_and_stripes,
    classification_dataset,
    random_mixed_state,
    random_product_state,
    random_pure_state,
    random_sparse_distribution,
    thermal_distribution,
)
from ._tasks import (
    TASKS,
    Affine,
    LearningTask,
    Term,
    accuracy,
    classification_task,
    encode_angles,
    generative_task,
    make_task,
    quantum_data_task,
)

__all__ = [
    "Affine",
    "BudgetExhausted",
    "CheckpointError",
    "CircuitModel",
    "FitResult",
    "LearningTask",
    "LinearEstimator",
    "MMDEstimator",
    "Model",
    "OPTIMISERS",
    "Optimiser",
    "Oracle",
    "TASKS",
    "Term",
    "accuracy",
    "adam",
    "as_model",
    "bars_and_stripes",
    "classification_dataset",
    "classification_task",
    "cma_es",
    "cobyla",
    "encode_angles",
    "estimator_for",
    "fit",
    "generative_task",
    "get_optimiser",
    "gradient_descent",
    "initial_parameters",
    "make_task",
    "nelder_mead",
    "powell",
    "pretrain",
    "quantum_data_task",
    "random_mixed_state",
    "random_product_state",
    "random_pure_state",
    "random_search",
    "random_sparse_distribution",
    "sgd",
    "shift_rule",
    "spsa",
    "thermal_distribution",
]
