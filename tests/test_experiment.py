"""ebp.experiment (tasks, studies, seeds, the config base) and the study framework's shared pieces
(``figure``/``figures``, plot statistics)."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Annotated

import numpy as np
import pandas as pd
import pydantic
import pytest
from matplotlib.figure import Figure
from pydantic import ValidationError

from ebp.experiment import (
    Study,
    StudyConfig,
    Task,
    derive_seed,
    distinct,
    hidden_sizes,
    sorted_floats,
    sorted_ints,
    task_seed,
)
from ebp.studies import (
    STUDIES,
    band,
    error_bars,
    figure,
    figures,
    get_study,
    log2_fit,
    spread,
    wilson_interval,
)

# (study, index, key, seed) of the first and last task of each quick config, as written by the
# stores of earlier versions: a run folder from before must still be recognised task by task.
# (gradient-scaling's quick config runs the Lipschitz local search since 2026-12-01: its tasks
# are new computations, with new keys and seeds.)
STORED = [
    ("cost-concentration", 0, "34296e8d790568cc", 966796322),
    ("cost-concentration", 23, "882faf7ed19e3f18", 2048539183),
    ("entanglement", 0, "72e9cc58ffe08e66", 1072550159),
    ("entanglement", 49, "06398ae56c6f86cf", 583503595),
    ("gradient-free-failure", 0, "78da6af4bda087f5", 711018468),
    ("gradient-free-failure", 83, "377f2d47b5601f43", 493471857),
    ("gradient-scaling", 0, "122830dfbe75e044", 1345970610),
    ("gradient-scaling", 42, "889278560391ca33", 1661240355),
    ("pretraining", 0, "800ab8b4349b24ec", 454514463),
    ("pretraining", 23, "e7640942ebc8f35b", 114697680),
    ("qbm-coupling", 0, "aeda81dac90d88a1", 562578928),
    ("qbm-coupling", 9, "f92f0ceaf2145f26", 1056786429),
    ("qbm-gradient-by-term", 0, "2770d9d1598401f9", 1825936964),
    ("qbm-gradient-by-term", 13, "ff0cea47305d4357", 1105087007),
    ("qbm-training", 0, "da99ea1021a4d085", 2146298247),
    ("qbm-training", 71, "43036d1c98632fc2", 999412421),
    ("qbm-typicality", 0, "a12f8c77d9fb86dc", 1070511520),
    ("qbm-typicality", 6, "768f7d28891947c0", 1304231891),
    ("training-failure", 0, "e660a31154fbd2bc", 2129282433),
    ("training-failure", 47, "1790534c52bdefe7", 1679864005),
]


@pytest.mark.parametrize(("name", "index", "key", "seed"), STORED, ids=lambda v: str(v))
def test_quick_tasks_keep_the_keys_and_seeds_of_stored_runs(name, index, key, seed):
    study = get_study(name)
    tasks = study.tasks(study.quick_config())
    assert index == len(tasks) - 1 or index == 0
    task = tasks[index]
    assert (task.study, task.index, task.key, task.seed) == (name, index, key, seed)


def test_every_study_names_and_seeds_its_tasks():
    for name, study in STUDIES.items():
        config = study.quick_config()
        tasks = study.tasks(config)
        assert [t.index for t in tasks] == list(range(len(tasks)))
        assert {t.study for t in tasks} == {name}
        assert [t.seed for t in tasks] == [task_seed(config.seed, t.params) for t in tasks]
        assert len({t.key for t in tasks}) == len(tasks)
        assert isinstance(config, StudyConfig) and config.seed == 0


def test_task_seed_is_seedsequence_of_the_study_seed_and_the_point_hash():
    point = {"model": "haar", "n": 3, "cuts": (1, 2)}
    base = 2**40 + 7
    digest = int.from_bytes(
        hashlib.sha256(json.dumps(sorted(point.items())).encode()).digest()[:8], "little"
    )
    words = [base % 2**32, base // 2**32, digest % 2**32, digest // 2**32]
    expected = int(np.random.SeedSequence(words).generate_state(1)[0]) % 2**31
    assert task_seed(base, point) == expected
    assert task_seed(base, dict(reversed(point.items()))) == expected  # order-free
    assert task_seed(base + 1, point) != expected


def test_derive_seed():
    ss = np.random.SeedSequence([5, 3, 11])
    word = int(ss.generate_state(1)[0])
    assert derive_seed(5, 3, 11) == word % 2**31
    assert derive_seed(5, 3, 11, bits=32) == word
    child = np.random.SeedSequence(9).spawn(2)[1]
    assert derive_seed(child) == int(child.generate_state(1)[0]) % 2**31
    with pytest.raises(ValueError, match="bits must be 31 or 32"):
        derive_seed(1, bits=16)
    with pytest.raises(TypeError, match="one SeedSequence, or one or more"):
        derive_seed()


def test_study_tasks_and_task():
    study = Study(
        "toy",
        "",
        StudyConfig,
        StudyConfig,
        lambda c: ({"x": x} for x in (3, 1)),
        lambda t: [],
        lambda df, c, o: [],
    )
    tasks = study.tasks(StudyConfig(seed=4))
    assert [(t.study, t.index, t.params) for t in tasks] == [
        ("toy", 0, {"x": 3}),
        ("toy", 1, {"x": 1}),
    ]
    assert tasks[0].seed == task_seed(4, {"x": 3}) and tasks[0].label() == "x=3"
    moved = Task.make("toy", 7, tasks[0].seed, x=3)
    assert moved.key == tasks[0].key  # the key ignores the position
    with pytest.raises(TypeError, match="study 'toy' needs a 'seed' field"):
        Study("toy", "", pydantic.BaseModel, StudyConfig, list, list, list)
    with pytest.raises(ValueError, match="a study needs a non-empty name"):
        Study("", "", StudyConfig, StudyConfig, list, list, list)


class ToyConfig(StudyConfig):
    models: Annotated[tuple[str, ...], distinct("model", choices=("a", "b"))] = ("a",)
    optional: Annotated[tuple[str, ...], distinct("name", allow_empty=True)] = ()
    n_hidden: Annotated[tuple[int, ...], hidden_sizes(5)] = (1,)
    depths: Annotated[tuple[int, ...], sorted_ints(1, 10, "depth")] = (1,)
    betas: Annotated[tuple[float, ...], sorted_floats(0, 1e4, "beta")] = (1.0,)
    eps: Annotated[tuple[float, ...], sorted_floats(0, 1, "epsilon", open_interval=True)] = (0.5,)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"models": ()}, "give at least one model from a, b, without repeats; got []"),
        ({"models": ("a", "a")}, "model values must not repeat; got ['a', 'a']"),
        ({"optional": ("x", "x")}, "name values must not repeat"),
        ({"n_hidden": ()}, "each n_hidden must be in 1..5; got []"),
        ({"n_hidden": (0, 2, 6)}, "each n_hidden must be in 1..5; got [0, 6]"),
        ({"depths": (11,)}, "each depth must be in 1..10; got [11]"),
        ({"betas": (math.inf,)}, "give at least one beta, each finite in [0, 1e4]; got [inf]"),
        ({"eps": (1.0,)}, "each finite in (0, 1); got [1.0]"),
        ({"seed": -1}, "greater than or equal to 0"),
        ({"sed": 1}, "Extra inputs are not permitted"),
    ],
)
def test_config_checks_say_what_is_wrong(override, message):
    with pytest.raises(ValidationError) as info:
        ToyConfig(**override)
    assert message in str(info.value)


def test_config_checks_normalise_and_freeze():
    c = ToyConfig(optional=(), n_hidden=(3, 1, 3), depths=(4, 2), betas=(5.0, 1.0, 5.0))
    assert (c.optional, c.n_hidden, c.depths, c.betas) == ((), (1, 3), (2, 4), (1.0, 5.0))
    assert next(iter(ToyConfig.model_fields)) == "seed"
    with pytest.raises(ValidationError, match="frozen"):
        c.seed = 1  # type: ignore[misc]


def test_figures_writes_each_output_in_order(tmp_path):
    drawn = []

    @figure("b.png")
    def plot(df, config):
        drawn.append(("plot", list(df["x"]), config))
        fig = Figure()
        fig.add_subplot().plot(df["x"])
        return fig

    @figure("a.csv")
    def table(df, config):
        return df.assign(y=2 * df["x"])

    @figure("skipped.png")
    def nothing(df, config):
        return None

    make = figures(plot, nothing, table, prepare=lambda df: df.assign(x=df["x"] + 1))
    paths = make(pd.DataFrame({"x": [1, 2]}), "cfg", tmp_path / "out")
    assert [p.name for p in paths] == ["b.png", "a.csv"]
    assert drawn == [("plot", [2, 3], "cfg")]
    assert paths[0].read_bytes()[:4] == b"\x89PNG"
    assert pd.read_csv(paths[1])["y"].tolist() == [4, 6]
    assert make(pd.DataFrame(), "cfg", tmp_path / "empty") == [] and (tmp_path / "empty").is_dir()
    assert "``b.png``, ``skipped.png``, ``a.csv``" in make.__doc__

    wrong = figures(figure("c.png")(lambda df, c: df))
    with pytest.raises(TypeError, match="c.png needs a Figure; got DataFrame"):
        wrong(pd.DataFrame({"x": [1]}), None, tmp_path)
    with pytest.raises(ValueError, match="ending in .png or .csv"):
        figure("plot.svg")
    with pytest.raises(TypeError, match="decorated with @figure"):
        figures(lambda df, c: None)


def test_band_and_error_bars():
    df = pd.DataFrame({"g": [2, 1, 1, 2, 1], "v": [10.0, 1.0, 2.0, 20.0, 3.0]})
    b = band(df, "g", "v")
    assert b["g"].tolist() == [1, 2]
    assert b["mean"].tolist() == [2.0, 15.0] and b["count"].tolist() == [3, 2]
    assert b["std"].tolist() == pytest.approx([1.0, math.sqrt(50)])
    assert b["q16"].tolist() == pytest.approx(
        [np.quantile([1, 2, 3], 0.16), np.quantile([10, 20], 0.16)]
    )
    np.testing.assert_array_equal(
        error_bars([1.0, 5.0], [0.5, 6.0], [2.0, 7.0]), [[0.5, 0.0], [1.0, 2.0]]
    )  # an interval above its point
    assert spread(list(range(10)), 4) == [0, 3, 6, 9] and spread([1, 2], 4) == [1, 2]


def test_wilson_interval_and_log2_fit():
    z = 1.96
    assert wilson_interval(0, 10) == pytest.approx((0.0, z * z / (10 + z * z)))  # closed form
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(10 / (10 + z * z))
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    x = np.arange(1, 6)
    y = 3.0 * 2.0 ** (-x)
    fit = log2_fit(x, y, 0.9 * y, 1.1 * y)
    assert fit.slope == pytest.approx(-1.0) and fit.intercept == pytest.approx(math.log2(3))
    assert log2_fit([1, 1, 2], [1.0, 2.0, -1.0], [0, 0, 0], [3, 3, 3]) is None  # one x left
