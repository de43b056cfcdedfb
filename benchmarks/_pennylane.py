"""The peer benchmarks' workload written for PennyLane, in ebp's parameter order.

``ebp.ansatz.hardware_efficient(1, n − 1, n)``: n layers, each RY then RZ on every wire and a
chain of CZ on neighbouring wires; the parameters are ordered (layer, wire, (RY, RZ)), so the
same vector means the same circuit in both libraries.
"""

from __future__ import annotations

__all__ = ["hardware_efficient"]


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
