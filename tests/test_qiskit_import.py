"""ebp.circuit.from_qiskit against Qiskit's own simulator: states, expectations, gradients."""

from __future__ import annotations

import numpy as np
import pytest

import ebp
from ebp.circuit import QiskitImportError, from_qiskit
from reference import reference_state

# Qiskit is an optional extra: skip the module before importing from it.
qiskit = pytest.importorskip("qiskit")
from qiskit import QuantumCircuit  # noqa: E402  (after the importorskip above)
from qiskit.circuit import Parameter, ParameterVector  # noqa: E402  (after the importorskip)
from qiskit.circuit.library import efficient_su2, n_local, real_amplitudes  # noqa: E402  (same)
from qiskit.quantum_info import SparsePauliOp, Statevector  # noqa: E402  (same)


def _qiskit_state(qc, values, circuit):
    """Qiskit's state (little-endian) in ebp's wire order (big-endian, visible first)."""
    bound = qc.assign_parameters(values) if qc.parameters else qc
    sv = np.asarray(Statevector(bound).data)
    n = qc.num_qubits
    labels = [
        f"{qc.find_bit(q).registers[0][0].name}[{qc.find_bit(q).registers[0][1]}]"
        for q in qc.qubits
    ]
    src = [labels.index(s) for s in circuit.source_qubits]
    return sv.reshape((2,) * n).transpose([n - 1 - q for q in src]).reshape(-1)


LIBRARY = [
    ("efficient_su2-linear", lambda: efficient_su2(4, reps=2, entanglement="linear")),
    ("efficient_su2-full", lambda: efficient_su2(4, reps=1, entanglement="full")),
    ("real_amplitudes-circular", lambda: real_amplitudes(4, reps=2, entanglement="circular")),
    (
        "real_amplitudes-reverse_linear",
        lambda: real_amplitudes(3, reps=3, entanglement="reverse_linear"),
    ),
    ("two_local-sca", lambda: n_local(4, ["ry", "rz"], "cz", entanglement="sca", reps=2)),
    ("two_local-pairwise-crx", lambda: n_local(4, "ry", "crx", entanglement="pairwise", reps=1)),
    ("two_local-full-rzz", lambda: n_local(3, ["rx"], "rzz", entanglement="full", reps=2)),
]


@pytest.mark.parametrize("make", [m for _, m in LIBRARY], ids=[i for i, _ in LIBRARY])
def test_library_circuits_match_qiskit(make, rng):
    qc = make()
    c = from_qiskit(qc, visible=["q[2]", "q[0]"])
    assert c.n_params == qc.num_parameters
    assert c.param_names == tuple(p.name for p in qc.parameters)
    assert c.source_qubits[:2] == ("q[2]", "q[0]")
    values = rng.uniform(-np.pi, np.pi, c.n_params)
    want = _qiskit_state(qc, values, c)
    np.testing.assert_allclose(reference_state(c, values), want, atol=1e-10)
    # expectation of Z on the first visible qubit (q[2]): Qiskit's label is little-endian
    obs = SparsePauliOp("I" * (qc.num_qubits - 3) + "Z" + "II")
    want_z = float(Statevector(qc.assign_parameters(values)).expectation_value(obs).real)
    assert abs(float(np.real(np.vdot(want, _z0(want, c.n_qubits)))) - want_z) < 1e-10


def _z0(psi, n):
    signs = np.where(np.arange(2**n) >> (n - 1) & 1, -1.0, 1.0)
    return signs * psi


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(m, marks=() if k == 0 else pytest.mark.slow)
        for k, (_, m) in enumerate(LIBRARY[:3])
    ],
    ids=[i for i, _ in LIBRARY[:3]],
)
def test_library_gradients_match_finite_differences(make, rng):
    qc = make()
    c = from_qiskit(qc, visible=[1])
    values = rng.uniform(-np.pi, np.pi, c.n_params)
    np.testing.assert_allclose(
        np.asarray(ebp.simulate(c, values)), _qiskit_state(qc, values, c), atol=1e-10
    )
    g = np.asarray(ebp.sim.gradient(c, values, "Z0"))
    for k in rng.choice(c.n_params, size=4, replace=False):
        e = np.zeros(c.n_params)
        e[k] = 1e-5
        up = float(ebp.sim.expectation(c, values + e, "Z0"))
        down = float(ebp.sim.expectation(c, values - e, "Z0"))
        assert abs(g[k] - (up - down) / 2e-5) < 1e-7


def test_parameters_expressions_definitions_and_phases(rng):
    a, b = Parameter("a"), Parameter("b")
    v = ParameterVector("v", 2)
    qc = QuantumCircuit(3, 1)
    qc.global_phase = 0.3
    qc.h(0)
    qc.rx(2 * a + 0.5, 1)
    qc.cu(v[0], 0.2, b, 0.1, 0, 2)
    qc.append(efficient_su2(2, reps=1).assign_parameters([0.1] * 8).to_gate(label="blk"), [2, 1])
    qc.barrier()
    qc.p(v[1], 2)
    qc.dcx(0, 1)  # not in ebp's registry: Qiskit's definition is used
    qc.measure(0, 0)
    c = from_qiskit(qc, visible=["q[0]"])
    assert c.param_names == ("a", "b", "v[0]", "v[1]")
    assert c.n_layers == 2 and any("measurements" in n for n in c.notes)
    values = rng.uniform(-3, 3, 4)
    qc.remove_final_measurements()
    np.testing.assert_allclose(reference_state(c, values), _qiskit_state(qc, values, c), atol=1e-10)


def test_refusals():
    qc = QuantumCircuit(2, 1)
    qc.h(0)
    qc.reset(1)
    with pytest.raises(QiskitImportError, match="reset is not supported"):
        from_qiskit(qc, visible=[0])
    qc = QuantumCircuit(2, 1)
    qc.measure(0, 0)
    qc.x(0)
    with pytest.raises(QiskitImportError, match="mid-circuit measurement"):
        from_qiskit(qc, visible=[0])
    a = Parameter("a")
    qc = QuantumCircuit(1)
    qc.rx(a * a, 0)
    with pytest.raises(QiskitImportError, match="not affine in a"):
        from_qiskit(qc, visible=[0])
    with pytest.raises(QiskitImportError, match="name the visible qubits"):
        from_qiskit(qc)
    with pytest.raises(TypeError, match="expected a qiskit QuantumCircuit; got str"):
        from_qiskit("qc", visible=[0])


def test_bound_circuit_promoted(rng):
    qc = real_amplitudes(3, reps=1)
    bound = qc.assign_parameters(rng.uniform(-1, 1, qc.num_parameters))
    assert from_qiskit(bound, visible=[0]).n_params == 0
    promoted = from_qiskit(bound, visible=[0], promote_angles=True)
    assert promoted.n_params == qc.num_parameters


def test_missing_extra_is_named(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "qiskit", None)
    with pytest.raises(ImportError, match=r"pip install 'ebp\[qiskit\]'"):
        from_qiskit(None, visible=[0])


def _qiskit_gates():
    """(registry name, Qiskit gate class) for every registered gate Qiskit knows by name."""
    from qiskit.circuit.library import get_standard_gate_name_mapping

    from ebp.circuit import GATES

    mapping = get_standard_gate_name_mapping()
    out = []
    for name, spec in sorted(GATES.items()):
        for qname in spec.qasm:
            gate = mapping.get(qname)
            if gate is not None and qname != "global_phase" and len(gate.params) == spec.n_params:
                out.append((name, qname))
                break
    return out


@pytest.mark.parametrize("name, qname", _qiskit_gates(), ids=[n for n, _ in _qiskit_gates()])
def test_every_registered_gate_qiskit_knows_imports_as_itself(name, qname, rng):
    """A gate added to the registry under a Qiskit name is read as that one gate (not decomposed)
    with its angles as parameters, and the state agrees with Qiskit's."""
    from qiskit.circuit.library import get_standard_gate_name_mapping

    gate = get_standard_gate_name_mapping()[qname]
    k = gate.num_qubits
    params = [Parameter(f"t{j}") for j in range(len(gate.params))]
    qc = QuantumCircuit(k + 1)
    qc.h(range(k + 1))
    qc.append(gate.base_class(*params) if params else gate, list(range(1, k + 1))[::-1])
    circuit = from_qiskit(qc, visible=[0])
    assert [op.name for op in circuit.operations][-1] == name
    assert circuit.param_names == tuple(p.name for p in params)
    values = rng.uniform(-np.pi, np.pi, len(params))
    state = np.asarray(ebp.simulate(circuit, values))
    np.testing.assert_allclose(state, _qiskit_state(qc, values, circuit), atol=1e-10)
