"""The entanglement study (claims C1, C2 of arXiv:2010.15968) on a tiny config: physics checks.

Each check is a theorem or a closed form, not a snapshot: Page's mean, 2T ≤ Pinsker, the 2k-bit
area-law cap, S = 0 without cut gates, the typicality bound on E[T], determinism in the seed.
Circuit compilation dominates the run time, so the config keeps distinct circuits few.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from ebp.ansatz import ANSATZ
from ebp.experiment import Task, task_seed
from ebp.quantum_info import haar_state
from ebp.report import model_label
from ebp.sim import simulate
from ebp.studies import STUDIES, get_study, run_study
from ebp.studies import entanglement as ent
from ebp.theory import mean_trace_distance_bound, page_entropy

# Keep in sync with tests/test_cli.py (identical circuits there reuse the compiled functions).
TINY = dict(
    models=["haar", "gue", "hardware_efficient", "brickwork", "pauli_network", "bounded_cut",
            "decoupled"],
    n_min=2,
    n_max=3,
    samples=60,
    hist_models=["haar", "brickwork"],
    hist_n_hidden=[1, 2, 3],
    hist_samples=60,
    depth_n=3,
    depths=[1, 2],
    depth_cut_gates=[0, 1, 2],
)  # fmt: skip

STUDY = get_study("entanglement")


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("entanglement")
    config = STUDY.config_model(**TINY)
    df, figures = run_study(STUDY, config, out, progress=False)
    return config, df, figures, out


def test_registry():
    assert STUDIES["entanglement"] is STUDY
    assert STUDY.description and "\n" not in STUDY.description
    with pytest.raises(
        ValueError,
        match=r"unknown study 'nope'; known studies: "
        r"cost-concentration, entanglement, gradient-free-failure",
    ):
        get_study("nope")
    with pytest.raises(TypeError, match="must be a str"):
        get_study(3)


@pytest.mark.slow
def test_columns_and_grid(result):
    config, df, _, out = result
    assert tuple(df.columns) == ent.COLUMNS
    assert set(df["experiment"]) == {"profile", "histogram", "depth"}
    assert set(df["model"]) == set(TINY["models"])
    assert (df["n_hidden"] == df["n_qubits"] - df["n_visible"]).all()
    prof = df[df["experiment"] == "profile"]
    # every split of every n, for every model, with `samples` instances each
    counts = prof.groupby(["model", "n_qubits", "n_visible"]).size()
    assert (counts == config.samples).all()
    assert len(counts) == len(TINY["models"]) * sum(n - 1 for n in range(2, 4))
    on_disk = pd.read_csv(out / "results.csv")
    assert len(on_disk) == len(df) and tuple(on_disk.columns) == ent.COLUMNS
    meta = json.loads((out / "config.json").read_text())
    assert meta["study"] == "entanglement" and meta["n_tasks"] == len(STUDY.tasks(config))
    assert STUDY.config_model.model_validate(meta["config"]) == config


@pytest.mark.slow
def test_haar_mean_entropy_matches_page(result):
    _, df, _, _ = result
    haar = df[df["model"] == "haar"]
    for experiment, n, n_v in [("profile", 2, 1), ("profile", 3, 1), ("histogram", 4, 1)]:
        s = haar[(haar["experiment"] == experiment) & (haar["n_qubits"] == n)
                 & (haar["n_visible"] == n_v)]["entropy_bits"]  # fmt: skip
        assert len(s) == 60
        se = s.std(ddof=1) / math.sqrt(len(s))
        assert abs(s.mean() - page_entropy(n_v, n - n_v)) < 4 * se, (n, n_v)
    np.testing.assert_allclose(
        df["page_entropy"], page_entropy(df["n_visible"].to_numpy(), df["n_hidden"].to_numpy())
    )


@pytest.mark.slow
def test_bounds_hold_on_every_row(result):
    _, df, _, _ = result
    tol = 1e-9
    # quantum Pinsker: ‖ρ_V − I/d_V‖₁ = 2T ≤ √(2 ln 2 (n_V − S))
    assert (2 * df["trace_distance"] <= df["pinsker_bound"] + tol).all()
    # 0 ≤ S₂ ≤ S ≤ min(n_V, n_H) bits
    assert (df["entropy_bits"] <= df["max_entropy_bits"] + tol).all()
    assert (df["renyi2_bits"] <= df["entropy_bits"] + tol).all()
    assert (df["renyi2_bits"] >= -tol).all()
    # T ∈ [0, 1 − 1/d_V]
    assert (df["trace_distance"] >= -tol).all()
    assert (df["trace_distance"] <= 1 - 2.0 ** -df["n_visible"] + tol).all()


@pytest.mark.slow
def test_area_law_cap_and_decoupled(result):
    _, df, _, _ = result
    cut = df[df["model"].isin(["bounded_cut", "decoupled"])]
    assert set(cut["cut_gates"].astype(int)) == {0, 1, 2}
    assert (cut["entropy_bits"] <= 2 * cut["cut_gates"] + 1e-9).all()
    zero = cut[cut["cut_gates"] == 0]
    assert len(zero) > 0 and set(zero["model"]) == {"bounded_cut", "decoupled"}
    assert np.abs(zero["entropy_bits"]).max() < 1e-10
    # one gate across the cut does entangle (the cap is not vacuous)
    assert cut[cut["cut_gates"] == 1]["entropy_bits"].mean() > 0.1


@pytest.mark.slow
def test_trace_distance_typicality(result):
    """E[T] ≤ ½√(d_V/d_H) for Haar states (arXiv:2010.15968); sample mean within 3 s.e."""
    _, df, _, _ = result
    h = df[(df["model"] == "haar") & (df["experiment"] == "histogram")]
    means = h.groupby("n_hidden")["trace_distance"].agg(["mean", "std", "count"])
    for n_h, row in means.iterrows():
        bound = mean_trace_distance_bound(1, n_h)
        assert row["mean"] <= bound + 3 * row["std"] / math.sqrt(row["count"])
    assert means["mean"].is_monotonic_decreasing


def test_same_seed_same_rows_other_seed_other_rows():
    config = STUDY.config_model(**TINY)
    a, b = STUDY.tasks(config), STUDY.tasks(STUDY.config_model(**TINY))
    assert a == b
    other = STUDY.tasks(STUDY.config_model(**{**TINY, "seed": 1}))
    assert [t.point for t in other] == [t.point for t in a]
    assert all(t.seed != u.seed for t, u in zip(a, other))
    picks = [t for t in a if t.params["experiment"] == "profile" and t.params["n_qubits"] == 3]
    for task in picks:
        assert STUDY.run_task(task) == STUDY.run_task(task)
    task = picks[0]
    moved = Task.make(task.study, task.index, task.seed + 1, **task.params)
    assert STUDY.run_task(moved) != STUDY.run_task(task)


def test_task_seeds_do_not_depend_on_position():
    """Adding a model leaves the other tasks (and so their rows) unchanged."""
    small = STUDY.tasks(STUDY.config_model(**{**TINY, "models": ["brickwork"]}))
    full = {t.point: t.seed for t in STUDY.tasks(STUDY.config_model(**TINY))}
    assert all(full[t.point] == t.seed for t in small)
    assert task_seed(0, {"a": 1}) == task_seed(0, {"a": 1}) != task_seed(1, {"a": 1})
    assert len({t.key for t in small}) == len(small)


@pytest.mark.parametrize("model", ["hardware_efficient", "brickwork", "pauli_network"])
def test_split_free_ansatz_gates_do_not_depend_on_split(model):
    kw = {"seed": 7} if model == "pauli_network" else {}
    circuits = [ANSATZ[model](n_v, 5 - n_v, 2, **kw) for n_v in range(1, 5)]
    assert len({c.operations for c in circuits}) == 1


@pytest.mark.parametrize("model", ["brickwork", "pauli_network"])
def test_depth_trajectory_equals_fresh_deep_circuit(model):
    """Growing layer by layer with per-layer draws is the L-layer circuit, angle for angle."""
    point = ent._point("depth", model, 3, (1,), 4, STUDY.config_model(**TINY), (1, 3))
    grown = dict(ent._ensembles(point, seed=11))
    circuit_ss, params_ss = np.random.SeedSequence(11).spawn(2)
    deep = ent._build(point, 3, circuit_ss)
    rng = np.random.default_rng(params_ss)
    per_layer = deep.n_params // 3
    theta = np.concatenate([rng.uniform(0, 2 * np.pi, (4, per_layer)) for _ in range(3)], axis=-1)
    np.testing.assert_allclose(np.asarray(grown[3]), np.asarray(simulate(deep, theta)), atol=1e-12)


@pytest.mark.slow
def test_chunked_measurement_matches_one_batch(monkeypatch):
    states = haar_state(4, 3, batch=(7,))
    whole = ent._measure_batched(states, 1)
    monkeypatch.setattr(ent, "_MEASURE_BYTES", 3 * 16 * 8**2)  # 3 instances per chunk
    chunked = ent._measure_batched(states, 1)
    for a, b in zip(whole, chunked):
        assert a.shape == (7,)
        np.testing.assert_allclose(a, b, atol=1e-12)


@pytest.mark.slow
def test_figures_written(result):
    _, _, figures, out = result
    names = {p.name for p in figures}
    assert names == {
        "entropy_vs_nvisible.png",
        "entropy_balanced.png",
        "trace_distance_vs_dhidden.png",
        "trace_distance_histograms.png",
        "entropy_vs_depth.png",
    }
    for p in figures:
        assert p.parent == out and p.stat().st_size > 10_000
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert STUDY.make_figures(pd.DataFrame(), STUDY.config_model(**TINY), out) == []


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"n_min": 4, "n_max": 3}, "", "n_min must be <= n_max; got n_min=4, n_max=3"),
        ({"n_max": 15}, "n_max", "less than or equal to 14"),
        ({"samples": 1}, "samples", "greater than or equal to 2"),
        ({"models": []}, "models", "give at least one model from haar, gue, "),
        ({"models": ["haar", "haar"]}, "models", "must not repeat"),
        ({"models": ["qft"]}, "models.0", "'haar'"),
        ({"hist_n_hidden": [0]}, "hist_n_hidden", "each n_hidden must be in 1..13; got [0]"),
        ({"hist_models": ["qbm"]}, "hist_models.0", "'haar'"),
        ({"qbm_n_max": 13}, "qbm_n_max", "less than or equal to 12"),
        ({"smaples": 3}, "smaples", "Extra inputs are not permitted"),
        ({"cut_gates": 5}, "", "bounded_cut needs cut_gates <= layers"),
    ],
)
def test_config_validation_messages(override, field, message):
    with pytest.raises(ValidationError) as info:
        STUDY.config_model(**{**TINY, **override})
    errors = info.value.errors()
    where = [".".join(map(str, e["loc"])) for e in errors]
    assert any(w == field and message in e["msg"] for w, e in zip(where, errors)), errors


def test_config_is_frozen_and_quick_is_small():
    quick = STUDY.quick_config()
    with pytest.raises(ValidationError, match="frozen"):
        quick.samples = 3
    default = STUDY.default_config()
    assert len(STUDY.tasks(quick)) < len(STUDY.tasks(default))
    assert default.n_max == 12 and default.samples == 200 and default.hist_samples == 1000
    assert "qbm" in default.models and "qbm" in quick.models
    qbm_tasks = [t for t in STUDY.tasks(quick) if t.params["model"] == "qbm"]
    assert [t.params["n_qubits"] for t in qbm_tasks] == list(range(quick.n_min, quick.n_max + 1))


# A QBM beside a pure-state ensemble: the trace-distance figure gets both.
QBM_CONFIG = dict(
    models=["haar", "qbm"],
    n_min=2,
    n_max=5,
    samples=30,
    hist_models=["haar"],
    hist_n_hidden=[1],
    hist_samples=10,
    qbm_samples=30,
    qbm_n_max=4,
)


@pytest.mark.slow
def test_qbm_rows_and_trace_distance_figure(tmp_path, monkeypatch):
    config = STUDY.config_model(**QBM_CONFIG)
    tasks = [t for t in STUDY.tasks(config) if t.params["model"] == "qbm"]
    assert [t.params["n_qubits"] for t in tasks] == [2, 3, 4]  # capped by qbm_n_max
    rows = [r for t in tasks for r in STUDY.run_task(t)]
    df = pd.DataFrame(rows)
    assert tuple(df.columns) == ent.COLUMNS and len(df) == 3 * 30
    assert set(df["experiment"]) == {"qbm"} and set(df["model"]) == {"qbm"}
    assert (df["n_visible"] == 1).all() and (df["n_hidden"] == df["n_qubits"] - 1).all()
    # σ_V is a one-qubit state: 0 ≤ T ≤ ½, 2T ≤ Pinsker, 0 ≤ S₂ ≤ S ≤ 1 bit
    tol = 1e-9
    assert (df["trace_distance"] >= -tol).all() and (df["trace_distance"] <= 0.5 + tol).all()
    assert (2 * df["trace_distance"] <= df["pinsker_bound"] + tol).all()
    assert (df["renyi2_bits"] <= df["entropy_bits"] + tol).all()
    assert (df["entropy_bits"] <= 1 + tol).all() and (df["renyi2_bits"] >= -tol).all()
    # more hidden qubits, σ_V closer to I/2 (on average over the random QBMs)
    assert df.groupby("n_hidden")["trace_distance"].mean().is_monotonic_decreasing
    assert STUDY.run_task(tasks[0]) == STUDY.run_task(tasks[0])

    profile = [
        r
        for t in STUDY.tasks(config)
        if t.params["experiment"] == "profile"
        for r in STUDY.run_task(t)
    ]
    both = pd.DataFrame(profile + rows)
    fig = ent._fig_trace_distance(both, config)  # one panel per model, in order of appearance
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert titles == [model_label("haar"), model_label("qbm")]
    figures = STUDY.make_figures(both, config, tmp_path)
    assert "trace_distance_vs_dhidden.png" in {p.name for p in figures}
    # the QBM alone still gets its trace-distance panel
    assert [p.name for p in STUDY.make_figures(df, config, tmp_path)] == [
        "trace_distance_vs_dhidden.png"
    ]


def test_run_task_rejects_unknown_model():
    bad = Task.make("entanglement", 0, 1, model="qft", n_qubits=2, cuts=(1,))
    with pytest.raises(ValueError, match="unknown model 'qft'; allowed: haar, gue"):
        STUDY.run_task(bad)
