"""The peer benchmarks' workload written for PennyLane, in ebp's parameter order.

``ebp.ansatz.hardware_efficient(1, n − 1, n)``: n layers, each RY then RZ on every wire and a
chain of CZ on neighbouring wires; the parameters are ordered (layer, wire, (RY, RZ)), so the
same vector means the same circuit in both libraries. The cost is ⟨Z₀⟩.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["hardware_efficient", "lightning_gradient"]


def hardware_efficient(params, n: int) -> None:
    """Apply the gates of the n-qubit, n-layer hardware-efficient ansatz inside a QNode."""
    import pennylane as qml

    p = params.reshape(n, n, 2)
    for layer in range(n):
        for w in range(n):
            qml.RY(p[layer, w, 0], wires=w)
            qml.RZ(p[layer, w, 1], wires=w)
        for w in range(n - 1):
            qml.CZ(wires=[w, w + 1])


def lightning_gradient(
    n: int, diff_method: str = "adjoint", shots: int | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    """``grad(p)``: the gradient of ⟨Z₀⟩ at one parameter vector on ``lightning.qubit``, by
    ``diff_method`` (``"adjoint"``, or ``"parameter-shift"`` with ``shots`` per circuit)."""
    import pennylane as qml
    from pennylane import numpy as pnp

    dev = qml.device("lightning.qubit", wires=n)

    @qml.qnode(dev, diff_method=diff_method)
    def cost(p):
        hardware_efficient(p, n)
        return qml.expval(qml.PauliZ(0))

    if shots is not None:
        cost = qml.set_shots(shots)(cost)
    grad = qml.grad(cost)
    return lambda p: grad(pnp.array(p, requires_grad=True))
