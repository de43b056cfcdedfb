"""Studies ``gradient-scaling`` and ``cost-concentration``: tasks, rows, physics, figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from ebp.studies import get_study
from ebp.studies.cost_concentration import CostConcentrationConfig
from ebp.studies.gradient_scaling import GradientScalingConfig
from intervals import proportion_interval, variance_interval

TINY_GS = GradientScalingConfig(
    models=("brickwork", "decoupled"),
    n_visible=(1,),
    n_max=4,
    samples=60,
    layers_per_qubit=2,
    depth_n_hidden=2,
    depths=(1, 4),
    depth_models=("brickwork",),
    paper_n_hidden=(1, 2),
    paper_samples=40,
    lipschitz_steps=1,
    lipschitz_starts=2,
    bootstrap_resamples=50,
)


@pytest.fixture(scope="module")
def gs_rows():
    study = get_study("gradient-scaling")
    return pd.DataFrame([r for t in study.tasks(TINY_GS) for r in study.run_task(t)])


@pytest.mark.slow
def test_gradient_scaling_rows(gs_rows):
    df = gs_rows
    assert set(df["experiment"]) == {"n_hidden", "depth", "paper"}
    main = df[df["experiment"] == "n_hidden"]
    assert len(main) == 2 * 3 * 4  # models × n_H × objectives
    assert set(main["objective"]) == {
        "local_pauli",
        "global_projector",
        "random_observable",
        "thermal_fidelity",
    }
    for col in ("probe_var", "inf_norm_var", "lipschitz", "cost_var", "entropy_mean"):
        assert np.all(np.isfinite(df[col])), col
    assert np.all(df["probe_var_lo"] <= df["probe_var"])
    assert np.all(df["probe_var"] <= df["probe_var_hi"])
    assert np.all(df["lipschitz"] >= df["lipschitz_sampled"])
    linear = main["objective"] != "thermal_fidelity"
    assert main.loc[linear, "probe_var_2design"].notna().all()
    assert main.loc[~linear, "probe_var_2design"].isna().all()
    dec = main[main["model"] == "decoupled"]
    assert np.allclose(dec["entropy_mean"], 0, atol=1e-9)
    bw = main[(main["model"] == "brickwork") & (main["objective"] == "local_pauli")]
    assert bw.sort_values("n_hidden")["probe_var"].is_monotonic_decreasing
    paper = df[df["experiment"] == "paper"]
    assert set(paper["model"]) == {"pauli_network"}
    assert set(paper["objective"]) == {"thermal_fidelity"}


@pytest.mark.slow
def test_gradient_scaling_is_reproducible(gs_rows):
    study = get_study("gradient-scaling")
    task = study.tasks(TINY_GS)[3]
    again = pd.DataFrame(study.run_task(task))
    first = gs_rows.iloc[[i for i, r in enumerate(gs_rows.itertuples()) if r.seed == task.seed]]
    pd.testing.assert_frame_equal(
        first.reset_index(drop=True), again, check_exact=True, check_dtype=False
    )


@pytest.mark.slow
def test_gradient_scaling_figures(gs_rows, tmp_path):
    study = get_study("gradient-scaling")
    paths = study.make_figures(gs_rows, TINY_GS, tmp_path)
    names = {p.name for p in paths}
    assert names == {
        "gradient_variance_n_hidden.png",
        "gradient_variance_objectives.png",
        "lipschitz_n_hidden.png",
        "gradient_variance_depth.png",
        "paper_inf_norm_variance.png",
    }
    assert all(p.stat().st_size > 10_000 for p in paths)


def test_gradient_scaling_default_reaches_16_qubits_and_quick_is_small():
    study = get_study("gradient-scaling")
    default = [t.params for t in study.tasks(study.default_config())]
    assert max(p["n_visible"] + p["n_hidden"] for p in default) == 16
    assert {p["n_visible"] for p in default} == {1, 2, 3}
    quick = [t.params for t in study.tasks(study.quick_config())]
    assert max(p["n_visible"] + p["n_hidden"] for p in quick) <= 6


def test_gradient_scaling_config_errors():
    with pytest.raises(ValidationError, match="must not repeat"):
        GradientScalingConfig(models=("brickwork", "brickwork"))
    with pytest.raises(ValidationError, match="n_visible must be in 1..6"):
        GradientScalingConfig(n_visible=(0,))
    with pytest.raises(ValidationError):
        GradientScalingConfig(objectives=("energy",))
    with pytest.raises(ValidationError, match="Extra inputs"):
        GradientScalingConfig(sample=3)


TINY_CC = CostConcentrationConfig(
    models=("brickwork", "decoupled"),
    n_hidden=(1, 5),
    samples=200,
    layers_per_qubit=2,
)


@pytest.mark.slow
def test_cost_concentration_pins_cost_under_volume_law(tmp_path):
    study = get_study("cost-concentration")
    df = pd.DataFrame([r for t in study.tasks(TINY_CC) for r in study.run_task(t)])
    assert len(df) == 2 * 2 * 4 * 200
    lin = df[df["deviation_bound"].notna()]
    assert np.all(lin["deviation"] <= lin["deviation_bound"] + 1e-12)
    loc = df[df["objective"] == "local_pauli"]
    eps = 0.25
    frac = loc.groupby(["model", "n_hidden"])["deviation"].apply(lambda x: np.mean(x <= eps))
    haar = loc.groupby(["model", "n_hidden"])["cost_var_haar"].first()
    # Chebyshev: at least 1 − Var/ε² of θ within ε (Haar Var = 1/(d+1) = 1/65 → 0.75); the
    # fraction's exact binomial interval must reach that bound
    volume = loc[(loc["model"] == "brickwork") & (loc["n_hidden"] == 5)]
    _, hi = proportion_interval(int((volume["deviation"] <= eps).sum()), len(volume))
    assert hi >= 1 - haar["brickwork", 5] / eps**2, (frac["brickwork", 5], hi)
    assert frac["brickwork", 5] > frac["brickwork", 1] + 0.2
    assert frac["decoupled", 5] < frac["brickwork", 5] - 0.2  # no entanglement, no pinning
    # volume law: Var[C] is the Haar value 1/(d+1), inside the sample variance's 99.9 % interval
    lo, hi = variance_interval(volume["cost"])
    assert lo <= haar["brickwork", 5] <= hi, (lo, hi, haar["brickwork", 5])
    paths = study.make_figures(df, TINY_CC, tmp_path)
    assert {p.name for p in paths} == {
        "cost_distribution.png",
        "cost_fraction_within_eps.png",
        "cost_variance.png",
        "cost_deviation_bound.png",
    }
