"""Studies ``qbm-typicality``, ``qbm-gradient-by-term`` and ``qbm-coupling``: configs, purity of
tasks, the physics at small sizes (fixed seeds), figures, and the entanglement-study hook."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from ebp.landscape import fit_scaling
from ebp.report import model_label
from ebp.studies import qbm_coupling, qbm_gradient_by_term, qbm_typicality, run_study

MODULES = [qbm_typicality, qbm_gradient_by_term, qbm_coupling]


def _rows(module, config) -> pd.DataFrame:
    return pd.DataFrame([r for t in module.STUDY.tasks(config) for r in module.run_task(t)])


# ------------------------------------------------------------------------- configs
@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.STUDY.name)
def test_configs_are_validated_and_reach_twelve_qubits(module):
    model = module.STUDY.config_model
    default = model()
    assert default.n_visible + max(default.n_hidden) == 12
    module.quick_config()
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model(not_a_field=1)
    with pytest.raises(ValidationError, match="each n_hidden must be in 1..11"):
        model(n_hidden=(0, 2))
    with pytest.raises(ValidationError, match="n_visible \\+ n_hidden must be <= 12"):
        model(n_visible=2, n_hidden=(11,))
    with pytest.raises(ValidationError):
        model(seed=-1)
    with pytest.raises(ValidationError, match="frozen"):
        default.seed = 3  # type: ignore[misc]


def test_config_specific_ranges():
    with pytest.raises(ValidationError, match="each finite in \\[0, 1e4\\]"):
        qbm_typicality.QBMTypicalityConfig(betas=(-1.0,))
    with pytest.raises(ValidationError, match="each finite in \\[0, 1e3\\]"):
        qbm_coupling.QBMCouplingConfig(couplings=(-0.5,))
    with pytest.raises(ValidationError, match="must not repeat"):
        qbm_gradient_by_term.QBMGradientByTermConfig(models=("paper", "paper"))
    with pytest.raises(ValidationError):
        qbm_coupling.QBMCouplingConfig(beta=float("nan"))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.STUDY.name)
def test_tasks_are_pure_functions_of_their_seed(module):
    config = module.STUDY.config_model(
        n_hidden=(1, 2),
        instances=4,
        **({"hist_n_hidden": (1,), "hist_instances": 4} if module is qbm_typicality else {}),
    )
    first, second = module.STUDY.tasks(config), module.STUDY.tasks(config)
    assert [t.seed for t in first] == [t.seed for t in second]
    assert len({t.key for t in first}) == len(first)
    task = first[-1]
    assert module.run_task(task) == module.run_task(task)


# ------------------------------------------------------------------------- physics
@pytest.fixture(scope="module")
def typicality_rows():
    config = qbm_typicality.QBMTypicalityConfig(
        n_hidden=(1, 2, 3, 4, 5),
        betas=(1.0,),
        instances=30,
        hist_n_hidden=(1, 3),
        hist_instances=40,
        bootstrap_resamples=50,
    )
    return config, _rows(qbm_typicality, config)


@pytest.mark.slow
def test_typicality_trace_distance_and_gradient_variance_decay(typicality_rows):
    config, df = typicality_rows
    assert set(df["n_hidden"]) == {1, 2, 3, 4, 5}
    assert len(df[df["n_hidden"] == 3]) == 40 and len(df[df["n_hidden"] == 2]) == 30
    mean_t = df.groupby("n_hidden")["trace_distance"].mean()
    assert mean_t.is_monotonic_decreasing
    assert np.all(df["trace_distance"] < df["typicality_scale"])
    var = df.groupby("n_hidden")["grad_inf_norm"].var()
    fit = fit_scaling(var.index, var.values)
    assert fit.slope < -0.5  # Var[‖∇S‖_∞] decays exponentially in n_H
    assert np.all(df["mutual_information"] >= 0)


@pytest.mark.slow
def test_typicality_figures(typicality_rows, tmp_path):
    config, df = typicality_rows
    paths = qbm_typicality.make_figures(df, config, tmp_path)
    assert sorted(p.name for p in paths) == [
        "qbm_gradient_variance.png",
        "qbm_trace_distance_histograms.png",
        "qbm_trace_distance_vs_dhidden.png",
    ]
    assert all(p.stat().st_size > 10_000 for p in paths)


@pytest.mark.slow
def test_gradient_by_term_traceless_terms_decay_visible_terms_do_not(tmp_path):
    config = qbm_gradient_by_term.QBMGradientByTermConfig(
        models=("paper",), n_hidden=(1, 3, 5), instances=8
    )
    df = _rows(qbm_gradient_by_term, config)
    mean = df.groupby(["term_class", "n_hidden"])["mean_abs_gradient"].mean()
    for cls in ("coupling", "hidden"):
        series = mean[cls]
        assert series.is_monotonic_decreasing, cls
        assert series[5] < 0.3 * series[1], cls
    visible = mean["visible"]
    assert visible[5] > 0.7 * visible[1]
    assert visible[5] > 10 * mean["coupling"][5]
    assert np.all(df["max_abs_gradient"] <= df["covariance_bound"] + 1e-12)
    paths = qbm_gradient_by_term.make_figures(df, config, tmp_path)
    assert [p.name for p in paths] == ["qbm_gradient_by_term.png", "qbm_gradient_by_term_max.png"]


@pytest.mark.slow
def test_coupling_strong_random_couplings_flatten_structured_ones_do_not(tmp_path):
    config = qbm_coupling.QBMCouplingConfig(
        n_hidden=(1, 3, 5), couplings=(0.0, 0.25, 4.0), instances=8
    )
    df = _rows(qbm_coupling, config)
    grad = df.groupby(["model", "n_hidden", "coupling"])["grad_inf_norm"].mean()
    for n_h in (1, 3, 5):
        assert grad["random", n_h, 4.0] < 0.6 * grad["random", n_h, 0.0]
        assert grad["random", n_h, 0.25] > 0.7 * grad["random", n_h, 0.0]  # weak coupling
        assert grad["ising", n_h, 4.0] > 0.7 * grad["ising", n_h, 0.0]
        assert grad["random", n_h, 4.0] < 0.5 * grad["ising", n_h, 4.0]
    mi = df.groupby(["model", "coupling"])["mutual_information"].mean()
    assert mi["random", 4.0] > mi["random", 0.25] > 100 * abs(mi["random", 0.0])
    decoupled = df[df["coupling"] == 0.0]
    assert np.all(np.abs(decoupled["mutual_information"]) < 1e-12)
    assert np.all(decoupled["grad_inf_coupling"] == 0.0)
    paths = qbm_coupling.make_figures(df, config, tmp_path)
    assert [p.name for p in paths] == ["qbm_coupling_vs_g.png", "qbm_coupling_vs_nhidden.png"]


@pytest.mark.slow
def test_run_study_end_to_end(tmp_path):
    config = qbm_coupling.QBMCouplingConfig(
        models=("ising",), n_hidden=(1, 2), couplings=(0.0, 1.0), instances=2
    )
    df, figures = run_study(qbm_coupling.STUDY, config, tmp_path, progress=False)
    assert len(df) == 2 * 2 * 2
    assert (tmp_path / "results.csv").exists()
    assert {p.name for p in figures} == {"qbm_coupling_vs_g.png", "qbm_coupling_vs_nhidden.png"}


# ------------------------------------------------------------------------- entanglement hook
@pytest.mark.slow
def test_qbm_rows_fit_the_entanglement_trace_distance_figure(tmp_path):
    from ebp.studies import entanglement

    rows = qbm_typicality.qbm_trace_distance_rows(1, [1, 2, 3], 6, seed=0)
    assert len(rows) == 18
    assert all(set(r) == set(entanglement.COLUMNS) for r in rows)
    df = pd.DataFrame(rows)
    assert set(df["experiment"]) == {"qbm"} and set(df["model"]) == {"qbm"}
    assert df.groupby("n_hidden")["trace_distance"].mean().is_monotonic_decreasing
    assert np.all(2 * df["trace_distance"] <= df["pinsker_bound"] + 1e-12)
    assert rows == qbm_typicality.qbm_trace_distance_rows(1, [1, 2, 3], 6, seed=0)
    fig = entanglement._fig_trace_distance(df, entanglement.quick_config())
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == [model_label("qbm")]
    paths = entanglement.make_figures(df, entanglement.quick_config(), tmp_path)
    assert [p.name for p in paths] == ["trace_distance_vs_dhidden.png"] and paths[0].exists()
