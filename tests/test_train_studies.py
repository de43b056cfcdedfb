"""The training studies at small size with fixed seeds: the paper's claims C4, C5 and C7."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ebp.studies import get_study
from ebp.studies.gradient_free_failure import GradientFreeFailureConfig
from ebp.studies.pretraining import PretrainingConfig, strategy_summary
from ebp.studies.training_failure import TrainingFailureConfig


def _run(study_name, config):
    study = get_study(study_name)
    rows = [row for t in study.tasks(config) for row in study.run_task(t)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def training_table():
    config = TrainingFailureConfig(n_hidden=(1, 4), optimisers=("adam",), exact=(), seeds=3)
    return config, _run("training-failure", config)


@pytest.mark.slow
def test_gradient_descent_fails_with_n_hidden_only_under_volume_law(training_table):
    _, df = training_table
    runs = df[df["kind"] == "run"]
    rate = runs.groupby(["model", "n_hidden"])["success"].mean()
    loss = runs.groupby(["model", "n_hidden"])["loss"].median()
    # volume law: success falls from n_H = 1 to n_H = 4 at the same budget
    assert rate["brickwork", 1] == 1.0
    assert rate["brickwork", 4] <= 1 / 3
    assert loss["brickwork", 4] > 2 * loss["brickwork", 1]
    # area law, same depth and budget: keeps succeeding
    assert rate["bounded_cut", 1] == 1.0 and rate["bounded_cut", 4] >= 2 / 3
    # the volume-law runs end with more visible entropy than the area-law ones
    s = runs.groupby(["model", "n_hidden"])["entropy"].median()
    assert s["brickwork", 4] > s["bounded_cut", 4]
    # every run spent exactly its budget (shots) and recorded a curve
    assert (runs["cost"] <= 5e5).all() and (runs["cost"] > 5e5 * 0.95).all()
    assert (df["kind"] == "curve").sum() > 10 * len(runs)


@pytest.mark.slow
def test_training_failure_figures(training_table, tmp_path):
    config, df = training_table
    paths = get_study("training-failure").make_figures(df, config, tmp_path)
    assert [p.name for p in paths] == [
        "training_success.png",
        "training_final_loss.png",
        "training_curves.png",
    ]
    assert all(p.stat().st_size > 10_000 for p in paths)


@pytest.mark.slow
def test_pretraining_beats_random_initialisation_by_more_than_the_spread(tmp_path):
    config = PretrainingConfig(
        n_hidden=(6,), seeds=3, strategies=("random", "small-angle", "decoupled-start")
    )
    df = _run("pretraining", config)
    table = strategy_summary(df).set_index("strategy")
    others = table.drop(index="random")
    # the budget needed to reach the target: (mean random − mean strategy) > the larger spread
    assert others["margin_time_to_target"].max() > 1.0, table
    assert others["reached_target"].max() == 1.0
    assert table.loc["random", "mean_time_to_target"] > 2 * others["mean_time_to_target"].min()
    # strategies are compared on the same data: one data seed per repetition
    runs = df[df["kind"] == "run"]
    assert runs.groupby("repetition")["seed"].nunique().eq(1).all()
    paths = get_study("pretraining").make_figures(df, config, tmp_path)
    assert {p.name for p in paths} >= {"pretraining_final_loss.png", "pretraining_trajectories.png"}


def test_cost_differences_sink_below_shot_noise_under_volume_law():
    config = GradientFreeFailureConfig(n_hidden=(1, 6), pairs=200, methods=())
    df = _run("gradient-free-failure", config)
    frac = df.groupby(["model", "n_hidden"])["ratio"].apply(lambda r: np.mean(r > 1))
    med = df.groupby(["model", "n_hidden"])["delta"].median()
    assert frac["brickwork", 6] < frac["brickwork", 1] - 0.3
    assert med["brickwork", 6] < med["brickwork", 1] / 4
    assert frac["bounded_cut", 6] > frac["brickwork", 6] + 0.2
    # the noise level is what N shots give: σ_N ≤ √(2·max Var/N) = √(2·¼/N) for a projector
    assert (df["noise"] <= np.sqrt(0.5 / config.shots) + 1e-12).all()


def test_gradient_free_training_rows():
    config = GradientFreeFailureConfig(
        n_hidden=(1,), pairs=10, methods=("spsa",), seeds=1, models=("brickwork",), budget=2e4
    )
    df = _run("gradient-free-failure", config)
    runs = df[df["kind"] == "run"]
    assert len(runs) == 1 and runs["cost"].iloc[0] <= 2e4
    assert runs["loss"].iloc[0] < runs["initial_loss"].iloc[0]


@pytest.mark.parametrize("name", ["training-failure", "gradient-free-failure", "pretraining"])
def test_quick_configs_are_small_and_defaults_validate(name):
    study = get_study(name)
    quick, default = study.quick_config(), study.default_config()
    assert len(study.tasks(quick)) < len(study.tasks(default))
    with pytest.raises(ValueError):
        study.config_model(seeds=0)
