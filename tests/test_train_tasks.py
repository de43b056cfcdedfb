"""Tasks beyond the state-learning one, and every pretraining strategy's contract."""

from __future__ import annotations

import numpy as np
import pytest

from ebp.ansatz import brickwork, hardware_efficient
from ebp.train import adam, fit, make_task, spsa
from ebp.train.pretrain import STRATEGIES, coupling_parameters, run


@pytest.mark.slow
def test_classifier_learns_its_dataset_and_reports_accuracy():
    task = make_task("classification", 2, 1, seed=3)
    r = fit(brickwork(2, 1, 2), task, adam(0.1), budget=1e5, seed=0)
    assert 0 <= r.curve["accuracy"].iloc[0] <= 1
    assert r.accuracy >= 0.8 and r.accuracy > r.curve["accuracy"].iloc[0]
    assert r.loss < r.curve["loss"].iloc[0]
    assert r.success == (r.accuracy >= task.success_accuracy)


@pytest.mark.slow
def test_born_machine_learns_bars_and_stripes():
    task = make_task("bars-and-stripes", 4, seed=0)
    r = fit(hardware_efficient(4, 1, 2), task, adam(0.1), budget=1e5, seed=1)
    assert r.loss < 0.5 * r.curve["loss"].iloc[0]


@pytest.mark.parametrize("loss", ["mmd", "kl"])
def test_generative_losses_train(loss):
    task = make_task("sparse-distribution", 2, seed=4, loss=loss)
    shots = 50 if loss == "mmd" else None
    r = fit(brickwork(2, 1, 2), task, adam(0.1), budget=4e5 if shots else 8e3, shots=shots, seed=2)
    assert r.loss < r.curve["loss"].iloc[0]


@pytest.mark.slow
@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_every_strategy_spends_its_budget_reproducibly(strategy):
    circuit, task = brickwork(1, 1, 3), make_task("state", 1, seed=0)
    kwargs = dict(budget=8_000, shots=20, seed=3)
    a = run(strategy, circuit, task, spsa(), **kwargs)
    b = run(strategy, circuit, task, spsa(), **kwargs)
    assert a.cost <= 8_000 and a.shots == a.cost
    assert a.curve["cost"].is_monotonic_increasing
    np.testing.assert_array_equal(a.params, b.params)
    assert a.loss < a.curve["loss"].iloc[0] or a.loss < 0.05


@pytest.mark.slow
def test_decoupled_start_keeps_the_visible_state_pure_until_switched_on():
    circuit, task = brickwork(1, 2, 3), make_task("state", 1, seed=1)
    r = run("decoupled-start", circuit, task, adam(0.1), budget=4e4, shots=None, seed=0)
    first = r.curve[r.curve["phase"] == "decoupled"]
    assert len(first) > 2 and first["entropy"].max() < 1e-9
    assert set(r.curve["phase"]) == {"decoupled", "coupled"}
    mask = coupling_parameters(circuit)
    assert mask.sum() == 3 * sum(1 for op in circuit.operations if op.wires == (0, 1))


def test_strategies_refuse_models_they_cannot_act_on():
    task = make_task("state", 1, seed=0)
    with pytest.raises(ValueError, match="no coupling parameter"):
        run("decoupled-start", hardware_efficient(1, 1, 2), task, spsa(), budget=100)
    with pytest.raises(ValueError, match="unknown pretraining strategy"):
        run("warm", brickwork(1, 1, 1), task, spsa(), budget=100)
    with pytest.raises(ValueError, match="no data state"):
        run("generative", brickwork(2, 1, 1), make_task("classification", 2, 1), spsa(), budget=100)
