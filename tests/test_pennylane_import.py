"""ebp.circuit.from_pennylane against PennyLane's default.qubit: states and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import ebp
from ebp.circuit import PennyLaneImportError, from_pennylane
from reference import reference_state

qml = pytest.importorskip("pennylane")


def _pl_state(qnode, args, circuit, wires):
    """PennyLane's state (big-endian over the device wires) in ebp's wire order."""
    psi = np.asarray(qnode(*args))
    n = len(wires)
    src = [wires.index(w) for w in circuit.source_qubits]
    return psi.reshape((2,) * n).transpose(src).reshape(-1)


def _strongly(n, layers):
    dev = qml.device("default.qubit", wires=n)

    @qml.qnode(dev)
    def circuit(weights, x):
        qml.StronglyEntanglingLayers(weights, wires=range(n))
        qml.RX(2 * x + 0.3, wires=1)
        return qml.state()

    shape = qml.StronglyEntanglingLayers.shape(n_layers=layers, n_wires=n)
    return circuit, shape


def _basic(n, layers):
    dev = qml.device("default.qubit", wires=n)

    @qml.qnode(dev)
    def circuit(weights):
        qml.BasicEntanglerLayers(weights, wires=range(n), rotation=qml.RY)
        qml.PhaseShift(0.4, wires=0)
        qml.CRZ(weights[0, 1], wires=[2, 0])
        return qml.state()

    return circuit, (layers, n)


@pytest.mark.slow
def test_strongly_entangling_layers_match_default_qubit(rng):
    qnode, shape = _strongly(4, 2)
    w, x = rng.uniform(-np.pi, np.pi, shape), 0.7
    c = from_pennylane(qnode, visible=[3, 1], args=(w, x))
    assert c.n_params == w.size + 1 and c.param_names[0] == "weights[0,0,0]"
    assert c.param_names[-1] == "x" and c.source_qubits[:2] == (3, 1)
    values = np.concatenate([w.reshape(-1), [x]])
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, values)), _pl_state(qnode, (w, x), c, [0, 1, 2, 3]), atol=1e-10
    )
    other = rng.uniform(-np.pi, np.pi, c.n_params)  # the parameters really are parameters
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, other)),
        _pl_state(qnode, (other[:-1].reshape(shape), other[-1]), c, [0, 1, 2, 3]),
        atol=1e-10,
    )
    g = np.asarray(ebp.sim.gradient(c, values, "Z0"))
    for k in rng.choice(c.n_params, size=4, replace=False):
        e = np.zeros(c.n_params)
        e[k] = 1e-5
        fd = (
            float(ebp.sim.expectation(c, values + e, "Z0"))
            - float(ebp.sim.expectation(c, values - e, "Z0"))
        ) / 2e-5
        assert abs(g[k] - fd) < 1e-7


@pytest.mark.slow
def test_basic_entangler_layers_match_default_qubit(rng):
    qnode, shape = _basic(3, 2)
    w = rng.uniform(-np.pi, np.pi, shape)
    c = from_pennylane(qnode, visible=[0], args=(w,))
    np.testing.assert_allclose(
        reference_state(c, w.reshape(-1)), _pl_state(qnode, (w,), c, [0, 1, 2]), atol=1e-10
    )


@pytest.mark.slow
def test_tape_and_refusals(rng):
    tape = qml.tape.QuantumScript(
        [qml.RX(0.3, 0), qml.CNOT([0, 1]), qml.RY(0.2, 1)], [qml.expval(qml.Z(0))]
    )
    c = from_pennylane(tape, visible=[1])
    assert c.param_names == ("p0", "p1") and c.source_qubits == (1, 0)
    np.testing.assert_allclose(
        reference_state(c, [0.3, 0.2]),
        _pl_state(
            qml.QNode(
                lambda: [qml.RX(0.3, 0), qml.CNOT([0, 1]), qml.RY(0.2, 1), qml.state()][-1],
                qml.device("default.qubit", wires=2),
            ),
            (),
            c,
            [0, 1],
        ),
        atol=1e-12,
    )
    dev = qml.device("default.qubit", wires=1)

    @qml.qnode(dev)
    def square(x):
        qml.RX(x * x, wires=0)
        return qml.state()

    with pytest.raises(PennyLaneImportError, match="nonlinearly"):
        from_pennylane(square, visible=[0], args=(0.4,))
    with pytest.raises(PennyLaneImportError, match="name the visible qubits"):
        from_pennylane(tape)


def test_global_phase_sign_and_missing_extra(monkeypatch, rng):
    """PennyLane's GlobalPhase(φ) is e^{−iφ}: the imported state carries that phase."""
    ops = [qml.Hadamard(0), qml.GlobalPhase(0.7), qml.CNOT([0, 1])]
    tape = qml.tape.QuantumScript(ops, [qml.state()])
    c = from_pennylane(tape, visible=[0])
    want = np.exp(-0.7j) * np.array([1, 0, 0, 1]) / np.sqrt(2)
    np.testing.assert_allclose(reference_state(c, np.array([0.7])), want, atol=1e-12)
    import sys

    monkeypatch.setitem(sys.modules, "pennylane", None)
    with pytest.raises(ImportError, match=r"pip install 'ebp\[pennylane\]'"):
        from_pennylane(tape, visible=[0])
