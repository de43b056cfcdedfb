"""Shared by the landscape studies: the named visible objectives and functions of ρ_V."""

from __future__ import annotations

from typing import Literal

from ..experiment import derive_seed
from ..landscape import (
    Objective,
    fidelity,
    global_projector,
    linear,
    random_observable,
    thermal_state,
)

__all__ = [
    "OBJECTIVES",
    "OBJECTIVE_LABELS",
    "ObjectiveName",
    "visible_objective",
]

ObjectiveName = Literal["local_pauli", "global_projector", "random_observable", "thermal_fidelity"]
OBJECTIVES: tuple[ObjectiveName, ...] = (
    "local_pauli",
    "global_projector",
    "random_observable",
    "thermal_fidelity",
)
"""Objective names a study config may list."""

OBJECTIVE_LABELS = {
    "local_pauli": "local Pauli $Z_0$",
    "global_projector": "global projector $|0\\rangle\\langle 0|_V$",
    "random_observable": "random bounded $O$",
    "thermal_fidelity": "fidelity to thermal state",
}


def visible_objective(name: str, n_visible: int, study_seed: int) -> Objective:
    """The named objective on ``n_visible`` qubits; random targets depend only on
    (study seed, n_V), so every task of a study sees the same target.

    ``local_pauli`` Z on wire 0; ``global_projector`` |0…0⟩⟨0…0|; ``random_observable``
    :func:`ebp.landscape.random_observable`; ``thermal_fidelity`` fidelity with
    :func:`ebp.landscape.thermal_state` at β = 1 (the paper's objective).
    """
    seed = derive_seed(study_seed, n_visible, 7, bits=32)
    if name == "local_pauli":
        return linear("Z0", n_visible)
    if name == "global_projector":
        return linear(global_projector(n_visible), n_visible)
    if name == "random_observable":
        return linear(random_observable(n_visible, seed=seed), n_visible)
    if name == "thermal_fidelity":
        return fidelity(thermal_state(n_visible, seed=seed, beta=1.0))
    raise ValueError(f"unknown objective {name!r}; allowed: {', '.join(OBJECTIVES)}.")
