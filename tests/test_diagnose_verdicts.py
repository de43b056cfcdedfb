"""Verdicts of ebp.diagnose on ebp's ansatzes against the gradient-scaling picture, over several
seeds: volume-law circuits (brickwork, hardware-efficient) go from trainable to barren as depth
and n_hidden grow; circuits with a bounded V|H cut stay trainable at every n_hidden (with a
builder: always; at one size: never barren, and trainable once the size separates the two
reference models by more than the statistical error)."""

from __future__ import annotations

import pytest

from ebp import diagnose
from ebp.ansatz import bounded_cut, brickwork, decoupled, hardware_efficient
from ebp.diagnosis import VERDICTS

ORDER = {v: i for i, v in enumerate(VERDICTS)}  # trainable < at risk < barren
SEEDS = (11, 12, 13)  # the rules were declared before any of these was run

pytestmark = pytest.mark.slow


def _verdict(circuit, seed, **kw):
    return diagnose(circuit, "Z0", samples=100, seed=seed, lipschitz_steps=0, **kw)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "ansatz, path",
    [
        # (n_hidden, layers): depth and width grow along the path
        (brickwork, [(5, 1), (2, 6), (5, 12)]),
        (hardware_efficient, [(5, 1), (3, 8), (5, 24)]),
    ],
)
def test_single_size_verdict_moves_to_barren_with_depth_and_width(ansatz, path, seed):
    diagnoses = [_verdict(ansatz(1, n_h, layers), seed) for n_h, layers in path]
    verdicts = [d.verdict for d in diagnoses]
    assert verdicts[0] == "trainable" and verdicts[-1] == "barren", [d.reason for d in diagnoses]
    assert [ORDER[v] for v in verdicts] == sorted(ORDER[v] for v in verdicts), verdicts
    assert diagnoses[0].remedies == () and diagnoses[-1].remedies


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "name, builder, expected",
    [
        ("brickwork", lambda n: brickwork(1, n, 2 * (n + 1)), "barren"),
        ("hardware_efficient", lambda n: hardware_efficient(1, n, 4 * (n + 1)), "barren"),
        ("brickwork, one layer", lambda n: brickwork(1, n, 1), "trainable"),
        ("bounded_cut", lambda n: bounded_cut(1, n, 2 * (n + 1), 1), "trainable"),
        ("decoupled", lambda n: decoupled(1, n, 3), "trainable"),
    ],
)
def test_scaling_verdict_agrees_with_gradient_scaling(name, builder, expected, seed):
    d = _verdict(builder(5), seed, builder=builder, hidden_sizes=(1, 2, 3, 4, 5))
    assert d.verdict == expected, (name, d.reason, d.scaling.variance)
    assert d.reason.startswith("rule 1 scaling:") and [r.name for r in d.readings] == ["scaling"]
    (scaling,) = d.readings
    assert scaling.low <= d.scaling.slope <= scaling.high
    if expected == "barren":  # the 2-design slope is −1 per hidden qubit for Z on one qubit
        assert d.scaling.theory_slope == pytest.approx(-1, abs=0.1)
        assert scaling.high < d.scaling.theory_slope / 2
        assert d.scaling.extrapolated_shots > d.evidence.shots
    else:
        assert scaling.low > d.scaling.theory_slope / 2


@pytest.mark.parametrize("seed", SEEDS)
def test_bounded_cut_and_decoupled_are_never_barren_at_one_size(seed):
    for n_hidden in (5, 6):
        for circuit in (
            bounded_cut(1, n_hidden, 2 * (n_hidden + 1), 1),
            decoupled(1, n_hidden, 2 * (n_hidden + 1)),
        ):
            d = _verdict(circuit, seed)
            assert d.verdict != "barren", d.reason
            if circuit.n_params and d.concentration.mean_trace_norm == pytest.approx(1):
                assert d.verdict == "trainable", d.reason  # decoupled: rho_V is pure
    # at n_H = 8 the references are 8 bits apart: the evidence is decisive
    d = _verdict(bounded_cut(1, 8, 18, 1), seed)
    assert d.verdict == "trainable", d.reason
