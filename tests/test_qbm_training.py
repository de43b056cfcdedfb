"""QBM pretraining (:mod:`ebp.qbm.pretrain`) and the ``qbm-training`` study.

Contract checks for every strategy (budget, one joined curve, determinism, clear errors), the
physics of the decoupled phase (I(V:H) = 0 exactly while the V–H parameters are 0), and the
study at a small size: rows, tracked diagnostics, figures, and how pretraining compares with a
random start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from ebp import qbm
from ebp.ansatz import brickwork
from ebp.qbm.pretrain import STRATEGIES, grow_coupling, run, visible_first
from ebp.studies import qbm_training as qt
from ebp.studies import run_study
from ebp.train import adam, fit, quantum_data_task, random_mixed_state

MODEL = qbm.restricted(2, 2)
TASK = quantum_data_task(random_mixed_state(2, 2, seed=3), "relative_entropy", success=0.1)
BUDGET = 30 * 2 * MODEL.n_params
INIT = qbm.gaussian_parameters(MODEL, 5)
INIT.flags.writeable = False  # strategies must not write into the caller's start


def _run(name, **kw):
    return STRATEGIES[name](MODEL, TASK, adam(0.05), budget=BUDGET, seed=4, init=INIT, **kw)


@pytest.fixture(scope="module")
def results():
    return {name: _run(name) for name in STRATEGIES}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(STRATEGIES))
def test_budget_and_joined_curve(results, name):
    r = results[name]
    c = r.curve
    assert 0 < r.cost <= BUDGET + 1e-9
    assert BUDGET - r.cost < 2 * MODEL.n_params  # less than one full gradient left over
    assert np.all(np.diff(c["cost"]) >= 0) and c["cost"].iloc[-1] == pytest.approx(r.cost)
    np.testing.assert_array_equal(c["step"], np.arange(len(c)))
    assert r.loss == pytest.approx(c["loss"].iloc[-1])
    assert {"distance_to_mixed", "mutual_information", "entropy_visible"} <= set(c.columns)
    phases = list(dict.fromkeys(c["phase"]))
    expected = {
        "random": ["train"],
        "visible-first": ["visible", "coupled"],
        "grow-coupling": ["visible", "g×0.33", "g×0.67", "g×1.00"],
    }[name]
    assert phases == expected
    # phases are contiguous blocks, in order
    blocks = c["phase"].ne(c["phase"].shift()).cumsum()
    assert blocks.max() == len(expected)


def test_random_is_plain_fit(results):
    plain = fit(MODEL, TASK, adam(0.05), budget=BUDGET, seed=4, init=INIT, max_points=100)
    np.testing.assert_allclose(results["random"].params, plain.params, atol=0)
    assert results["random"].loss == plain.loss


@pytest.mark.parametrize("name", ["visible-first", "grow-coupling"])
def test_decoupled_phase_has_no_mutual_information(results, name):
    c = results[name].curve
    coupling = np.array(MODEL.term_classes) == "coupling"
    first = c[c["phase"] == "visible"]
    assert len(first) > 1
    assert first["mutual_information"].abs().max() < 1e-9
    assert results[name].initial_params[coupling].tolist() == [0.0] * coupling.sum()
    # the hidden units are switched on by the end
    assert c["mutual_information"].iloc[-1] > 1e-4


def test_visible_phase_moves_only_visible_terms():
    from ebp.qbm.pretrain import _visible_phase

    r = _visible_phase(MODEL, TASK, adam(0.05), BUDGET / 2, 4, INIT, 100)
    classes = np.array(MODEL.term_classes)
    assert set(classes) == {"visible", "coupling", "hidden"}
    moved = r.params != r.initial_params
    assert moved[classes == "visible"].all() and not moved[classes != "visible"].any()
    np.testing.assert_array_equal(r.params[classes == "coupling"], 0.0)
    np.testing.assert_array_equal(r.params[classes == "hidden"], INIT[classes == "hidden"])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(STRATEGIES))
def test_same_seed_same_numbers(results, name):
    again = _run(name)
    cols = [k for k in again.curve.columns if k != "seconds"]
    pd.testing.assert_frame_equal(again.curve[cols], results[name].curve[cols])
    np.testing.assert_array_equal(again.params, results[name].params)
    other = STRATEGIES[name](MODEL, TASK, adam(0.05), budget=BUDGET, seed=5, init=None)
    assert not np.array_equal(other.params, again.params)


def test_weak_start_and_grown_scales():
    r = visible_first(MODEL, TASK, adam(0.05), budget=BUDGET, seed=4, init=INIT, weak=0.0)
    assert r.curve["phase"].iloc[-1] == "coupled"
    g = grow_coupling(MODEL, TASK, adam(0.05), budget=BUDGET, seed=4, init=INIT, stages=2)
    assert list(dict.fromkeys(g.curve["phase"])) == ["visible", "g×1.00"]
    assert g.cost <= BUDGET + 1e-9


def test_run_by_name_and_errors():
    r = run("visible-first", MODEL, TASK, adam(0.05), budget=BUDGET, seed=4, init=INIT)
    assert list(dict.fromkeys(r.curve["phase"])) == ["visible", "coupled"]
    with pytest.raises(
        ValueError,
        match="unknown QBM pretraining strategy 'nope'; known: "
        "random, visible-first, grow-coupling",
    ):
        run("nope", MODEL, TASK, adam(0.05), budget=BUDGET)
    with pytest.raises(TypeError, match="QBM pretraining needs an ebp.qbm.QBM; got Circuit"):
        visible_first(brickwork(2, 1, 1), TASK, adam(0.05), budget=BUDGET)
    with pytest.raises(TypeError, match="task must be a LearningTask"):
        visible_first(MODEL, "state", adam(0.05), budget=BUDGET)
    with pytest.raises(ValueError, match="shots must be None; got 100"):
        grow_coupling(MODEL, TASK, adam(0.05), budget=BUDGET, shots=100)
    with pytest.raises(ValueError, match=r"no V–H coupling terms \(n_hidden=0\)"):
        visible_first(qbm.fully_visible(2), TASK, adam(0.05), budget=BUDGET)
    with pytest.raises(ValueError, match=r"fraction must be in \(0, 1\); got 1.0"):
        visible_first(MODEL, TASK, adam(0.05), budget=BUDGET, fraction=1.0)
    with pytest.raises(ValueError, match="weak must be a finite number >= 0; got -0.1"):
        visible_first(MODEL, TASK, adam(0.05), budget=BUDGET, weak=-0.1)
    with pytest.raises(ValueError, match="stages must be an int >= 2"):
        grow_coupling(MODEL, TASK, adam(0.05), budget=BUDGET, stages=1)
    with pytest.raises(ValueError, match="budget must be a positive finite number"):
        visible_first(MODEL, TASK, adam(0.05), budget=-1)


# --------------------------------------------------------------------------- the study
SMALL = dict(
    families=["restricted", "random"],
    targets=["quantum", "thermal"],
    n_hidden=[1, 2],
    budget_steps=25,
    seeds=2,
)


@pytest.fixture(scope="module")
def study_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("qbm-training")
    config = qt.STUDY.config_model(**SMALL)
    df, figures = run_study(qt.STUDY, config, out, progress=False)
    return config, df, figures, out


@pytest.mark.slow
def test_study_rows(study_run):
    config, df, _, _ = study_run
    runs = df[df["kind"] == "run"]
    assert len(runs) == len(qt.STUDY.tasks(config)) == 2 * 2 * 2 * 2 * len(STRATEGIES)
    assert set(runs["strategy"]) == set(STRATEGIES)
    assert set(runs["loss_name"]) == {"relative_entropy", "kl"}
    curves = df[df["kind"] == "curve"]
    for k in qt.TRACKED:
        assert curves[k].notna().all() and runs[k].notna().all()
        assert runs[f"initial_{k}"].notna().all()
    # σ_V is a state on 2 qubits: 0 ≤ ‖σ_V − I/4‖₁ ≤ 2(1 − 1/4); I(V:H) ≤ 2 min(n_V, n_H)
    assert (curves["distance_to_mixed"] >= 0).all() and (curves["distance_to_mixed"] <= 1.5).all()
    assert (curves["mutual_information"] <= 2 * np.minimum(2, curves["n_hidden"]) + 1e-9).all()
    pre = curves[curves["phase"] == "visible"]
    assert len(pre) and pre["mutual_information"].abs().max() < 1e-9
    # budget: 2 n_params per full gradient
    assert (runs["cost"] <= 2 * runs["n_params"] * config.budget_steps + 1e-9).all()
    # the strategies of one repetition share the target and the start
    first = runs.groupby(["family", "target", "n_hidden", "repetition"])["seed"].nunique()
    assert (first == 1).all()


@pytest.mark.slow
def test_study_figures(study_run):
    config, _, figures, out = study_run
    names = {p.name for p in figures}
    assert names == {
        "qbm_training_final_loss.png",
        "qbm_training_trajectories.png",
        "qbm_training_summary.csv",
    }
    for p in figures:
        assert p.parent == out and p.stat().st_size > 100
    assert qt.STUDY.make_figures(pd.DataFrame(), config, out) == []


@pytest.mark.slow
def test_pretraining_against_random(study_run):
    """What the small run shows (2 repetitions, n_H = 1, 2): on the all-to-all family the
    pretrained starts end below the random start on the mixed-state target (by more than the
    spread at n_H = 2), and no strategy is worse than random by more than 1.5 spreads."""
    _, df, _, _ = study_run
    table = qt.strategy_summary(df)
    pre = table[table["strategy"] != "random"]
    assert (pre["margin_over_random"] > -1.5).all(), table
    hard = pre[(pre["family"] == "random") & (pre["target"] == "quantum")]
    assert (hard["margin_over_random"] > 0).all(), table
    assert (hard[hard["n_hidden"] == 2]["margin_over_random"] > 1).all(), table


def test_study_determinism():
    config = qt.STUDY.config_model(**{**SMALL, "n_hidden": [1], "budget_steps": 5})
    a = qt.STUDY.tasks(config)
    assert a == qt.STUDY.tasks(
        qt.STUDY.config_model(**{**SMALL, "n_hidden": [1], "budget_steps": 5})
    )
    task = a[1]
    one, two = pd.DataFrame(qt.STUDY.run_task(task)), pd.DataFrame(qt.STUDY.run_task(task))
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"n_hidden": [11], "n_visible": 2}, "n_visible + n_hidden must be <= 12"),
        ({"n_hidden": [0]}, "each n_hidden must be in 1..11"),
        ({"strategies": ["random", "random"]}, "must not repeat"),
        ({"strategies": ["layerwise"]}, "'random'"),
        ({"target_rank": 5}, "target_rank must be <= 2**n_visible = 4"),
        ({"budget_stpes": 3}, "Extra inputs are not permitted"),
    ],
)
def test_config_validation(override, message):
    with pytest.raises(ValidationError, match=message.replace("*", r"\*").replace("+", r"\+")):
        qt.STUDY.config_model(**{**SMALL, **override})


def test_quick_config_is_small_and_frozen():
    quick = qt.STUDY.quick_config()
    with pytest.raises(ValidationError, match="frozen"):
        quick.seeds = 5
    assert max(quick.n_hidden) + quick.n_visible <= 5
    default = qt.STUDY.default_config()
    assert len(qt.STUDY.tasks(quick)) < len(qt.STUDY.tasks(default))
    assert max(default.n_hidden) + default.n_visible <= qt.MAX_QUBITS


def test_unknown_family_and_target():
    with pytest.raises(ValueError, match="unknown QBM family 'dense'; allowed: restricted"):
        qt.build_model("dense", 1, 1)
    with pytest.raises(ValueError, match="unknown target 'pure'; allowed: quantum"):
        qt.learning_task("pure", 1, 0)
