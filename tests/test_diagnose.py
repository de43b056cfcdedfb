"""ebp.diagnose, the function (its package: ebp.diagnosis): exact on the light cone, the declared
rule, JSON round trip, the CLI's errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from ebp import diagnose
from ebp.ansatz import brickwork, decoupled, hardware_efficient
from ebp.cli import app
from ebp.diagnosis import (
    FORMAT,
    MIN_SEPARATION_BITS,
    RULE,
    RULES,
    Diagnosis,
    reading,
    verdict,
)
from ebp.landscape import sample_parameters, value_and_gradient
from ebp.quantum_info import entanglement_entropy
from ebp.sim import simulate
from ebp.theory import page_entropy

QASM = """OPENQASM 3.0;
include "stdgates.inc";
input array[float[64], 6] t;
qubit[3] q;
ry(t[0]) q[0]; ry(t[1]) q[1]; ry(t[2]) q[2];
cx q[0], q[1]; cx q[1], q[2];
ry(t[3]) q[0]; ry(t[4]) q[1]; ry(t[5]) q[2];
"""


# --------------------------------------------------------------------------- the rule


def test_diagnose_is_a_top_level_function():
    import ebp.diagnosis

    assert callable(ebp.diagnose) and ebp.diagnose is ebp.diagnosis.diagnose
    assert ebp.Diagnosis is ebp.diagnosis.Diagnosis
    assert {"diagnose", "diagnosis", "Diagnosis"} <= set(ebp.__all__)


def test_a_reading_decides_only_when_its_interval_is_on_one_side():
    # log scale: boundary = geometric mean of the references
    assert reading("q", 1, 0.5, 2, 1, 64, log=True).boundary == pytest.approx(8)
    assert reading("q", 1, 0.5, 7.9, 1, 64, log=True).side == "barren"
    assert reading("q", 20, 8.1, 40, 1, 64, log=True).side == "trainable"
    assert reading("q", 8, 7, 9, 1, 64, log=True).side == "inconclusive"
    # linear scale (a slope): boundary = arithmetic mean
    assert reading("b", -1, -1.1, -0.9, -1, 0, log=False).side == "barren"
    assert reading("b", -0.2, -0.4, 0.0, -1, 0, log=False).side == "trainable"
    assert reading("b", -0.5, -0.6, -0.4, -1, 0, log=False).side == "inconclusive"
    # a rate's references are compared over the span of sizes fitted
    assert reading("b", -1, -1.1, -0.9, -0.9, 0, log=False, span=2).side == "barren"
    assert reading("b", -1, -1.1, -0.9, -0.9, 0, log=False, span=1).side == "inconclusive"
    # references closer than MIN_SEPARATION_BITS never decide, whatever the interval
    close = 2 ** (MIN_SEPARATION_BITS * 0.9)
    assert reading("q", 1, 1, 1, 1, close, log=True).side == "inconclusive"
    assert reading("q", None, None, None, 1, 64, log=True).note == "not measured"


def test_rule_branches_follow_the_declared_principle():
    haar = 0.2  # Haar rms of the trace norm (its barren reference)
    # rule 1 (builder): the slope's interval against half the 2-design slope decides alone
    assert (
        verdict(
            haar_ratio=None,
            trace_norm=None,
            haar_trace_norm=haar,
            n_visible=1,
            n_hidden=5,
            slope=(-0.9, 0.05, -1.0, 2.0),
        )[0]
        == "barren"
    )
    assert (
        verdict(
            haar_ratio=None,
            trace_norm=None,
            haar_trace_norm=haar,
            n_visible=1,
            n_hidden=5,
            slope=(-0.1, 0.05, None, 2.0),
        )[0]
        == "trainable"
    )
    assert (
        verdict(
            haar_ratio=None,
            trace_norm=None,
            haar_trace_norm=haar,
            n_visible=1,
            n_hidden=5,
            slope=(-0.45, 0.05, -1.0, 2.0),
        )[0]
        == "at risk"
    )
    # one size, n_H = 6: gradient boundary log2 r = 3; trace-norm boundary sqrt(0.2 * 1)
    low_t, high_t = (0.2, 0.18, 0.22), (0.9, 0.85, 0.95)
    low_r, high_r, mid_r = (1.0, 0.8, 1.2), (30.0, 20.0, 40.0), (8.0, 4.0, 16.0)

    def call(r, t, n_hidden=6):
        return verdict(
            haar_ratio=r, trace_norm=t, haar_trace_norm=haar, n_visible=1, n_hidden=n_hidden
        )

    assert call(low_r, low_t)[0] == "barren"
    assert call(low_r, (0.45, 0.3, 0.6))[0] == "at risk"  # the mechanism is not shown
    assert call(high_r, (0.45, 0.3, 0.6))[0] == "trainable"
    assert call(mid_r, high_t)[0] == "trainable"
    assert call(high_r, low_t)[0] == "at risk"  # the readings disagree
    assert call(mid_r, (0.45, 0.3, 0.6))[0] == "at risk"
    assert call(None, high_t)[0] == "trainable"  # no 2-design value: the trace norm alone
    # no hidden qubit: the gradient references coincide, nothing is decisive from them
    v, reason, readings = call(low_r, low_t, n_hidden=0)
    assert readings[0].side == "inconclusive" and reason.startswith("rule 4")
    assert call(low_r, low_t)[1].startswith("rule 2 barren: gradient ratio r 1 [0.8, 1.2]")
    assert len(RULE) == len(RULES) == 4 and all(r.rationale for r in RULES)


# --------------------------------------------------------------------------- exactness


@pytest.mark.slow
def test_light_cone_diagnosis_equals_the_full_simulation():
    circuit = hardware_efficient(1, 7, 2)  # 8 qubits: the full state is still cheap
    samples, seed = 12, 3
    d = diagnose(circuit, "Z0", samples=samples, seed=seed, lipschitz_steps=0)
    assert d.cone_qubits < circuit.n_qubits and d.dead_params
    theta = sample_parameters(circuit.n_params, samples, seed)
    full = value_and_gradient(circuit, theta, "Z0")
    np.testing.assert_allclose(
        d.evidence.variance, np.var(full.gradient, axis=0, ddof=1), atol=1e-12
    )
    assert np.all(np.abs(full.gradient[:, list(d.dead_params)]) < 1e-12)  # adjoint round-off
    s = np.asarray(entanglement_entropy(simulate(circuit, theta), 1))
    assert d.entropy[-1].mean == pytest.approx(float(np.mean(s)), abs=1e-10)
    assert d.entropy[-1].page == pytest.approx(float(page_entropy(1, 7)))
    norms = np.linalg.norm(full.rho_visible - np.eye(2) / 2, ord="nuc", axis=(1, 2))
    assert d.concentration.mean_trace_norm == pytest.approx(float(np.mean(norms)), abs=1e-10)
    # Hölder: the bound holds for the measured deviations (on average)
    assert np.mean(np.abs(full.cost)) <= d.concentration.deviation_bounds[0] + 1e-12


@pytest.mark.slow
def test_wide_shallow_circuit_is_diagnosed_on_its_cone():
    circuit = brickwork(1, 59, 2)  # 60 qubits, depth 4: no full state vector
    d = diagnose(circuit, "Z0", samples=8, seed=0, lipschitz_steps=0)
    assert d.n_visible + d.n_hidden == 60 and d.cone_qubits == 4
    assert len(d.dead_params) == circuit.n_params - sum(v > 0 for v in d.evidence.variance)
    assert 0 < d.entropy[-1].mean <= 1
    assert d.verdict in ("trainable", "at risk", "barren")


@pytest.mark.slow
def test_decoupled_circuit_has_no_entanglement_and_is_trainable():
    d = diagnose(decoupled(1, 4, 2), samples=16, seed=1, lipschitz_steps=0)
    assert all(p.mean == pytest.approx(0, abs=1e-10) for p in d.entropy)
    assert d.concentration.mean_trace_norm == pytest.approx(1.0, abs=1e-8)  # ρ_V pure, d_V = 2
    assert d.cone_qubits == 1 and d.verdict == "trainable" and d.remedies == ()
    assert {g.observable for g in d.gradients} == {"X0", "Y0", "Z0"}


def test_bad_input_is_refused_with_one_clear_error():
    with pytest.raises(TypeError, match="expected an ebp Circuit"):
        diagnose("not a circuit")
    with pytest.raises(ValueError, match="samples must be an int >= 2"):
        diagnose(brickwork(1, 1, 1), samples=1)
    with pytest.raises(ValueError, match="visible"):
        diagnose(brickwork(1, 1, 1), "Z3", samples=4)


# --------------------------------------------------------------------------- JSON


@pytest.mark.slow
def test_json_round_trip_and_schema():
    d = diagnose(
        brickwork(1, 2, 1),
        samples=6,
        seed=2,
        lipschitz_steps=0,
        builder=lambda n: brickwork(1, n, 1),
        hidden_sizes=(1, 2, 3),
    )
    data = json.loads(d.to_json())
    assert data["format"] == FORMAT and data["rule"] == list(RULE)
    assert set(data) == {
        "format",
        "rule",
        "name",
        "n_visible",
        "n_hidden",
        "n_gates",
        "n_layers",
        "n_params",
        "cone_qubits",
        "cone_gates",
        "dead_params",
        "samples",
        "seed",
        "distribution",
        "entropy",
        "page_fraction",
        "concentration",
        "gradients",
        "headline",
        "scaling",
        "readings",
        "verdict",
        "reason",
        "remedies",
    }
    assert [r["name"] for r in data["readings"]] == ["scaling"]
    assert set(data["entropy"][0]) == {"layer", "gates", "mean", "std", "page", "maximum"}
    assert len(data["gradients"][0]["variance"]) == d.n_params
    assert data["scaling"]["n_hidden"] == [1, 2, 3]
    assert Diagnosis.from_json(d.to_json()) == d
    with pytest.raises(ValueError, match="not an ebp diagnosis"):
        Diagnosis.from_dict({**data, "format": "other/1"})
    with pytest.raises(ValueError, match="expected fields"):
        Diagnosis.from_dict({k: v for k, v in data.items() if k != "seed"})


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def qasm_file(tmp_path):
    path = tmp_path / "model.qasm"
    path.write_text(QASM)
    return path


def test_cli_json_output(qasm_file, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "diagnose",
            str(qasm_file),
            "--visible",
            "0",
            "--observable",
            "Z0",
            "--samples",
            "6",
            "--json",
            "--distribution",
            "small_angle",
        ],
    )
    assert result.exit_code == 0, result.output
    d = Diagnosis.from_json(result.stdout)
    assert d.n_visible == 1 and d.n_hidden == 2 and d.headline == "Z0" and d.samples == 6
    assert d.distribution == "small_angle"
    # near the identity ρ_V is nearly pure: far from I/d_V
    assert d.entropy[-1].mean < 0.2 and d.concentration.mean_trace_norm > 0.8


@pytest.mark.slow
def test_cli_terminal_table_and_html(qasm_file, tmp_path):
    out = tmp_path / "page" / "d.html"
    result = CliRunner().invoke(
        app, ["diagnose", str(qasm_file), "--visible", "q[0]", "--samples", "6", "--html", str(out)]
    )
    assert result.exit_code == 0, result.output
    for needle in ("Var[dC]", "verdict", "Rule (first match wins)", "shots per gradient"):
        assert needle in result.output
    assert out.is_file() and "data:image/png;base64," in out.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.qasm", "--visible", "0"], "no such file"),
        (["{qasm}", "--visible", "0,,1"], "--visible must be"),
        (["{qasm}", "--visible", "7"], "model.qasm"),
        (["{qasm}", "--visible", "0", "--observable", "Z5"], "wire"),
        (["{qasm}", "--visible", "0", "--observable", "Q0"], "Error:"),
        (["{qasm}", "--visible", "0", "--samples", "1"], "--samples must be >= 2"),
        (["{qasm}", "--visible", "0", "--distribution", "gauss"], "known: uniform, small_angle"),
        (["{txt}", "--visible", "0"], "unknown file type"),
        (["{broken}", "--visible", "0"], "line"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(args, message, qasm_file, tmp_path):
    (tmp_path / "model.txt").write_text(QASM)
    (tmp_path / "broken.qasm").write_text(QASM.replace("ry(t[0]) q[0];", "ry(t[0] q[0];"))
    files = {"qasm": qasm_file, "txt": tmp_path / "model.txt", "broken": tmp_path / "broken.qasm"}
    argv = ["diagnose"] + [a.format(**files) for a in args]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and message in lines[0], lines


@pytest.mark.slow
def test_cli_python_file_convention(tmp_path):
    path = tmp_path / "model.py"
    path.write_text("from ebp.ansatz import brickwork\ncircuit = brickwork(1, 2, 1)\n")
    result = CliRunner().invoke(
        app, ["diagnose", str(path), "--visible", "0", "--samples", "4", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert Diagnosis.from_json(result.stdout).n_hidden == 2
    path.write_text("x = 1\n")
    result = CliRunner().invoke(app, ["diagnose", str(path), "--visible", "0"])
    assert result.exit_code == 2 and "defines neither `circuit`" in result.output


def test_cli_python_file_with_qiskit_circuit(tmp_path):
    pytest.importorskip("qiskit", reason="Qiskit is an optional extra: pip install 'ebp[qiskit]'")
    path = tmp_path / "model.py"
    path.write_text(
        "from qiskit.circuit.library import real_amplitudes\ncircuit = real_amplitudes(3, reps=1)\n"
    )
    result = CliRunner().invoke(
        app,
        ["diagnose", str(path), "--visible", "2", "--samples", "4", "--observable", "Z0", "--json"],
    )
    assert result.exit_code == 0, result.output
    d = Diagnosis.from_json(result.stdout)
    assert (d.n_visible, d.n_hidden, d.n_params) == (1, 2, 6)


@pytest.mark.slow
def test_cli_python_file_with_pennylane_qnode(tmp_path):
    pytest.importorskip(
        "pennylane", reason="PennyLane is an optional extra: pip install 'ebp[pennylane]'"
    )
    path = tmp_path / "model.py"
    path.write_text(
        "import numpy as np\nimport pennylane as qml\n"
        "dev = qml.device('default.qubit', wires=2)\n"
        "@qml.qnode(dev)\n"
        "def qnode(w):\n"
        "    qml.RY(w[0], wires=0); qml.RY(w[1], wires=1); qml.CNOT(wires=[0, 1])\n"
        "    return qml.expval(qml.PauliZ(0))\n"
        "args = (np.array([0.1, 0.2]),)\n"
    )
    result = CliRunner().invoke(
        app, ["diagnose", str(path), "--visible", "1", "--samples", "4", "--json"]
    )
    assert result.exit_code == 0, result.output
    d = Diagnosis.from_json(result.stdout)
    assert (d.n_visible, d.n_hidden, d.n_params) == (1, 1, 2)


@pytest.mark.slow
def test_light_cone_diagnosis_is_exact_at_20_qubits():
    circuit = brickwork(1, 19, 2)  # depth 4; the full 20-qubit state is still simulable
    samples, seed = 4, 5
    d = diagnose(circuit, "Z0", samples=samples, seed=seed, lipschitz_steps=0)
    assert d.cone_qubits == 4
    theta = sample_parameters(circuit.n_params, samples, seed)
    full = value_and_gradient(circuit, theta, "Z0")
    np.testing.assert_allclose(
        d.evidence.variance, np.var(full.gradient, axis=0, ddof=1), atol=1e-12
    )
    s = np.asarray(entanglement_entropy(simulate(circuit, theta), 1))
    assert d.entropy[-1].mean == pytest.approx(float(np.mean(s)), abs=1e-10)
