"""Verdicts of ebp.diagnose on ebp's ansatzes, against the gradient-scaling picture: volume-law
circuits (brickwork, hardware-efficient) go from trainable to barren as depth and n_hidden grow;
circuits with a bounded V|H cut stay trainable at every n_hidden."""

from __future__ import annotations

import pytest

from ebp.ansatz import bounded_cut, brickwork, decoupled, hardware_efficient
from ebp.diagnosis import VERDICTS, diagnose

ORDER = {v: i for i, v in enumerate(VERDICTS)}  # trainable < at risk < barren

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "ansatz, path",
    [
        # (n_hidden, layers): depth and width grow along the path
        (brickwork, [(5, 1), (2, 6), (5, 12)]),
        (hardware_efficient, [(5, 1), (3, 8), (5, 24)]),
    ],
)
def test_single_size_verdict_moves_to_barren_with_depth_and_width(ansatz, path):
    verdicts = [
        diagnose(ansatz(1, n_h, layers), "Z0", samples=100, seed=1, lipschitz_steps=0).verdict
        for n_h, layers in path
    ]
    assert verdicts[0] == "trainable" and verdicts[-1] == "barren", verdicts
    assert [ORDER[v] for v in verdicts] == sorted(ORDER[v] for v in verdicts), verdicts


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
def test_scaling_verdict_agrees_with_gradient_scaling(name, builder, expected):
    d = diagnose(
        builder(5),
        "Z0",
        samples=100,
        seed=1,
        builder=builder,
        hidden_sizes=(1, 2, 3, 4, 5),
        lipschitz_steps=0,
    )
    assert d.verdict == expected, (name, d.reason, d.scaling.variance)
    assert d.reason.startswith("rule 1:")
    if expected == "barren":  # the 2-design slope is −1 per hidden qubit for Z on one qubit
        assert d.scaling.theory_slope == pytest.approx(-1, abs=0.1)
        assert d.scaling.extrapolated_shots > d.evidence.shots


@pytest.mark.parametrize("n_hidden", [5, 6])
def test_bounded_cut_and_decoupled_stay_trainable_at_one_size(n_hidden):
    for circuit in (
        bounded_cut(1, n_hidden, 2 * (n_hidden + 1), 1),
        decoupled(1, n_hidden, 2 * (n_hidden + 1)),
    ):
        d = diagnose(circuit, "Z0", samples=100, seed=1, lipschitz_steps=0)
        assert d.verdict == "trainable", d.reason
