"""The 2-design value of Var[∂_k C] for the parameters of an actual circuit.

For a parameter θ_k that sits between two independent unitary 2-designs, with generator V_k
(U(θ + δ e_k) = U(θ) e^{−iδV_k/2} up to O(δ²), V_k = 2i U†∂_kU, Hermitian) and a linear cost
Tr((O ⊗ I_H) ρ), :func:`ebp.theory.two_design_gradient_variance_general` gives Var[∂_k C] from
Tr V_k, Tr V_k², Tr O, Tr O² on the full space (d = 2**n). Both traces are invariant under the
fixed unitaries around the parameter inside its gate, so they follow from the parameter's generator
in the gate registry. For the probe of :func:`~ebp.landscape.probe_parameters` (middle layer
of a deep circuit) this is the line a measured variance must approach (McClean et al.,
arXiv:1803.11173; arXiv:2010.15968, Sec. IV).
"""

from __future__ import annotations

import numpy as np

from ..circuit import Circuit
from ..theory import two_design_gradient_variance_general
from ._objectives import Linear, as_objective

__all__ = ["slot_generator_traces", "two_design_probe_variance"]


def slot_generator_traces(circuit: Circuit, slots) -> np.ndarray:
    """(Tr V_k, Tr V_k²) on the full 2**n space for each slot, shape (len(slots), 2).

    V_k = 2i U†∂_kU of the gate slot k drives; for a parameter entering its gate as one factor
    e^{−iθG}, V_k = 2B†GB, so Tr V = 2 Tr G and Tr V² = 4 Tr G² (from the gate registry).

    Raises ValueError for a slot shared by several gates (no single generator).
    """
    owners: dict[int, list] = {}
    for op in circuit.operations:
        for j, s in enumerate(op.slots):
            owners.setdefault(s, []).append((op, j))
    d = 2**circuit.n_qubits
    out = np.empty((len(slots), 2))
    for i, s in enumerate(slots):
        users = owners.get(int(s), [])
        if len(users) != 1:
            raise ValueError(
                f"slot {s} is used by {len(users)} gates; the 2-design value needs one gate per "
                "parameter."
            )
        op, j = users[0]
        traces = op.spec.generator_traces(j, op.data)
        if traces is None:
            raise ValueError(
                f"parameter {j} of gate {op.name} enters several factors of the gate; the "
                "2-design value needs one generator per parameter."
            )
        tr_v, tr_v2, dim = traces
        out[i] = (tr_v * d / dim, tr_v2 * d / dim)  # V ⊗ I on the other wires
    return out


def two_design_probe_variance(circuit: Circuit, observable, probe) -> float:
    """Mean over the probe slots of the 2-design Var[∂_k C] for C = Tr((O ⊗ I_H) ρ)."""
    obj = as_objective(observable, circuit.n_visible)
    if not isinstance(obj, Linear):
        raise TypeError("the 2-design closed form is for linear objectives Tr(O ρ_V).")
    o = obj.observable
    d_h = 2**circuit.n_hidden
    tr_o, tr_o2 = np.trace(o).real * d_h, np.trace(o @ o).real * d_h
    traces = slot_generator_traces(circuit, probe)
    d = 2**circuit.n_qubits
    values = [
        float(two_design_gradient_variance_general(tr_o, tr_o2, tv, tv2, d)) for tv, tv2 in traces
    ]
    return float(np.mean(values))
