"""States and gradients against PennyLane's ``default.qubit``.

Convention map (checked in :func:`test_pennylane_conventions`):

* ``qml.RX/RY/RZ(φ) = exp(−iφP/2)``, ``qml.IsingXX/YY/ZZ(φ) = exp(−iφ P⊗P/2)``: same angles as
  ebp's RX…RZZ;
* ``qml.PauliRot(φ, P) = exp(−iφP/2)``, so ebp's ``exp(−iθ·c·P)`` is ``PauliRot(2cθ, P)``;
* SU4 = its KAK factors: RZ·RY·RZ Euler rotations and ``IsingXX/YY/ZZ(2θ)``;
* ``qml.state()`` is big-endian with wire 0 the most significant bit, like ebp.
"""

import numpy as np
import pytest

qml = pytest.importorskip("pennylane")
pnp = pytest.importorskip("pennylane.numpy")

import ebp  # noqa: E402
from ebp.ansatz import hardware_efficient  # noqa: E402
from ebp.circuit import CircuitBuilder  # noqa: E402
from reference import (  # noqa: E402
    gate_matrix,
    pauli_string,
    random_circuit,
    random_params,
    random_state,
)

_FIXED = {
    "H": qml.Hadamard,
    "X": qml.PauliX,
    "Y": qml.PauliY,
    "Z": qml.PauliZ,
    "S": qml.S,
    "T": qml.T,
    "CNOT": qml.CNOT,
    "CZ": qml.CZ,
    "SWAP": qml.SWAP,
}
_ROT = {
    "RX": qml.RX,
    "RY": qml.RY,
    "RZ": qml.RZ,
    "RXX": qml.IsingXX,
    "RYY": qml.IsingYY,
    "RZZ": qml.IsingZZ,
}
_PL_PAULI = {"X": qml.PauliX, "Y": qml.PauliY, "Z": qml.PauliZ}


def _euler(t, wire):
    """R_Z(t0) R_Y(t1) R_Z(t2): applied right to left."""
    qml.RZ(t[2], wires=wire)
    qml.RY(t[1], wires=wire)
    qml.RZ(t[0], wires=wire)


def apply_pennylane(circuit, theta):
    for op in circuit.operations:
        w = list(op.wires)
        if op.name in _FIXED:
            _FIXED[op.name](wires=w)
        elif op.name in _ROT:
            _ROT[op.name](theta[op.slots[0]], wires=w)
        elif op.name == "PAULIROT":
            coeff, label = op.data
            qml.PauliRot(2 * coeff * theta[op.slots[0]], label, wires=w)
        elif op.name == "SU4":
            t = [theta[s] for s in op.slots]
            _euler(t[0:3], w[0])
            _euler(t[3:6], w[1])
            qml.IsingXX(2 * t[6], wires=w)
            qml.IsingYY(2 * t[7], wires=w)
            qml.IsingZZ(2 * t[8], wires=w)
            _euler(t[9:12], w[0])
            _euler(t[12:15], w[1])
        elif op.name == "UNITARY":
            qml.QubitUnitary(np.array(op.data, dtype=complex), wires=w)
        else:  # pragma: no cover
            raise KeyError(op.name)


def pennylane_state(circuit, params, initial_state=None):
    n = circuit.n_qubits
    dev = qml.device("default.qubit", wires=n)

    @qml.qnode(dev)
    def run(theta):
        if initial_state is not None:
            qml.StatePrep(initial_state, wires=range(n))
        apply_pennylane(circuit, theta)
        return qml.state()

    return np.asarray(run(np.asarray(params, dtype=float)))


def pennylane_observable(obs):
    if isinstance(obs, str):
        obs = {obs: 1.0}
    coeffs, ops = [], []
    for text, c in obs.items():
        factors = [_PL_PAULI[tok[0]](int(tok[1:])) for tok in text.split()]
        term = factors[0]
        for f in factors[1:]:
            term = term @ f
        coeffs.append(c)
        ops.append(term)
    return qml.Hamiltonian(coeffs, ops)


def pennylane_gradient(circuit, params, obs, diff_method="backprop", initial_state=None):
    n = circuit.n_qubits
    dev = qml.device("default.qubit", wires=n)
    h = pennylane_observable(obs)

    @qml.qnode(dev, interface="autograd", diff_method=diff_method)
    def cost(theta):
        if initial_state is not None:
            qml.StatePrep(initial_state, wires=range(n))
        apply_pennylane(circuit, theta)
        return qml.expval(h)

    theta = pnp.array(np.asarray(params, dtype=float), requires_grad=True)
    return float(cost(theta)), np.asarray(qml.grad(cost)(theta))


# ----------------------------------------------------------------------------- conventions
def test_pennylane_conventions():
    t = 0.731
    for name, cls in _ROT.items():
        k = 1 if name in ("RX", "RY", "RZ") else 2
        np.testing.assert_allclose(
            qml.matrix(cls(t, wires=list(range(k)))), gate_matrix(name, [t]), atol=1e-12
        )
    np.testing.assert_allclose(
        qml.matrix(qml.PauliRot(2 * 0.4 * t, "XIY", wires=[0, 1, 2])),
        gate_matrix("PAULIROT", [t], (0.4, "XIY")),
        atol=1e-12,
    )
    np.testing.assert_allclose(qml.matrix(qml.CNOT(wires=[0, 1])), gate_matrix("CNOT"), atol=0)
    # wire 0 is the most significant bit of qml.state()
    dev = qml.device("default.qubit", wires=3)

    @qml.qnode(dev)
    def flip0():
        qml.PauliX(0)
        return qml.state()

    assert np.argmax(np.abs(flip0())) == 0b100
    np.testing.assert_allclose(pauli_string("ZI")[0:2, 0:2], np.eye(2))


# ----------------------------------------------------------------------------- states
PL_GATES = [
    "RX",
    "RY",
    "RZ",
    "RXX",
    "RYY",
    "RZZ",
    "H",
    "S",
    "T",
    "X",
    "Y",
    "Z",
    "CNOT",
    "CZ",
    "SWAP",
    "PAULIROT",
    "UNITARY",
    "SU4",
]


@pytest.mark.slow
@pytest.mark.parametrize("n_visible,n_hidden", [(1, 1), (3, 2)])
def test_random_circuit_states(n_visible, n_hidden, rng):
    c = random_circuit(rng, n_visible, n_hidden, 25, PL_GATES)
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p)), pennylane_state(c, p), atol=1e-10, rtol=0
    )
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p, psi0)), pennylane_state(c, p, psi0), atol=1e-10, rtol=0
    )


@pytest.mark.parametrize(
    "label,wires", [("XIY", (3, 0, 1)), ("II", (2, 0)), ("YZ", (1, 3)), ("ZIZ", (0, 2, 3))]
)
def test_pauli_rotation_states(label, wires, rng):
    b = CircuitBuilder(2, 2)
    for w in range(4):
        b.gate("RY", w)
    b.pauli_rotation(label, wires, float(rng.normal()))
    c = b.build()
    p = random_params(rng, c)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, p)), pennylane_state(c, p), atol=1e-10, rtol=0
    )


@pytest.mark.slow
def test_hardware_efficient_six_qubits(rng):
    c = hardware_efficient(3, 3, 2)
    p = random_params(rng, c, batch=(2,))
    out = np.asarray(ebp.simulate(c, p))
    for k in range(2):
        np.testing.assert_allclose(out[k], pennylane_state(c, p[k]), atol=1e-10, rtol=0)


# ----------------------------------------------------------------------------- gradients
@pytest.mark.slow
@pytest.mark.parametrize("obs", ["Z0", {"Z0 Z1": 0.5, "X2": 1.0}, "Y1"], ids=["Z0", "ZZ+X", "Y1"])
def test_hardware_efficient_gradient(obs, rng):
    c = hardware_efficient(3, 3, 2)
    p = random_params(rng, c)
    value, grad = pennylane_gradient(c, p, obs)
    v, g = ebp.expectation_and_gradient(c, p, obs)
    assert abs(float(v) - value) < 1e-10
    np.testing.assert_allclose(np.asarray(g), grad, atol=1e-10, rtol=0)


@pytest.mark.slow
def test_random_circuit_gradient_backprop(rng):
    gates = [g for g in PL_GATES]
    c = random_circuit(rng, 2, 2, 20, gates)  # includes shared slots
    p = random_params(rng, c)
    psi0 = random_state(rng, c.n_qubits)
    obs = {"Z0 X3": 0.7, "Y1 Y2": -0.4, "X0": 0.2}
    value, grad = pennylane_gradient(c, p, obs, initial_state=psi0)
    v, g = ebp.expectation_and_gradient(c, p, obs, psi0)
    assert abs(float(v) - value) < 1e-10
    np.testing.assert_allclose(np.asarray(g), grad, atol=1e-10, rtol=0)


@pytest.mark.slow
def test_gradient_parameter_shift_pennylane(rng):
    gates = ["RX", "RY", "RZ", "RXX", "RYY", "RZZ", "CNOT", "H", "PAULIROT"]
    c = random_circuit(rng, 2, 1, 12, gates, share_prob=0.0)
    p = random_params(rng, c)
    _, grad = pennylane_gradient(c, p, "Z0", diff_method="parameter-shift")
    np.testing.assert_allclose(np.asarray(ebp.gradient(c, p, "Z0")), grad, atol=1e-9, rtol=0)
