"""The command line as a newcomer uses it: results never lost or silently overwritten, options
checked as typed, configs that can be listed, printed and fed back."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ebp import cli
from ebp.cli import app, load_config

runner = CliRunner()
BASE = [
    "train",
    "--task",
    "state",
    "--ansatz",
    "brickwork",
    "--n-hidden",
    "1",
    "--layers",
    "2",
    "--optimiser",
    "spsa",
    "--budget",
    "300",
]
SHELL_SAFE = re.compile(r"^[A-Za-z0-9._/-]+$")


def _one_line_usage_error(result, message):
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines == [f"Error: {message}"], result.output


# ----------------------------------------------------------------------------- output names
@pytest.mark.slow
def test_default_output_names_are_distinct_and_shell_safe(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = runner.invoke(app, BASE)
    b = runner.invoke(app, BASE[:6] + ["0", "--n-visible", "2"] + BASE[7:])  # other register
    assert a.exit_code == b.exit_code == 0, a.output + b.output
    curves = sorted(Path("ebp-train").glob("*/curve.csv"))
    assert len(curves) == 2 and curves[0].parent != curves[1].parent
    for c in curves:
        assert SHELL_SAFE.match(str(c)), c
        assert c.with_suffix(".png").exists()
        assert not list(c.parent.glob("*.ckpt*"))  # the default checkpoint is gone when done
    assert "(" not in a.output.split("curve: ")[1]


def test_run_name_covers_every_setting():
    base = dict(
        task="state",
        loss="infidelity",
        ansatz="brickwork",
        n_visible=1,
        n_hidden=3,
        layers=12,
        optimiser="adam",
        strategy="random",
        shots=None,
        budget=None,
        seed=0,
    )
    names = {cli.train_run_name(**base)}
    for key, other in [
        ("task", "mixed-state"),
        ("loss", "trace_distance"),
        ("ansatz", "bounded_cut"),
        ("n_visible", 2),
        ("n_hidden", 4),
        ("layers", 6),
        ("optimiser", "cma-es"),
        ("strategy", "layerwise"),
        ("shots", 10),
        ("budget", 5e5),
        ("seed", 1),
    ]:
        names.add(cli.train_run_name(**{**base, key: other}))
    assert len(names) == 12
    assert all(SHELL_SAFE.match(n) for n in names)


@pytest.mark.slow
def test_existing_result_is_not_overwritten_without_the_flag(tmp_path):
    out = tmp_path / "c.csv"
    first = runner.invoke(app, BASE + ["--out", str(out)])
    assert first.exit_code == 0, first.output
    before = out.read_bytes()
    again = runner.invoke(app, BASE + ["--seed", "1", "--out", str(out)])
    _one_line_usage_error(
        again,
        f"{str(out)!r} exists (an earlier run); pass --overwrite to "
        "replace it, or choose another --out.",
    )
    assert out.read_bytes() == before
    forced = runner.invoke(app, BASE + ["--seed", "1", "--out", str(out), "--overwrite"])
    assert forced.exit_code == 0 and out.read_bytes() != before


# ----------------------------------------------------------------------------- writability
@pytest.fixture
def blocked(tmp_path):
    """A path under a regular file: no folder can be made there (even as root)."""
    f = tmp_path / "a-file"
    f.write_text("")
    return f / "sub"


def test_unwritable_train_out_fails_before_training(blocked):
    result = runner.invoke(app, BASE + ["--out", str(blocked / "c.csv")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: --out folder {str(blocked)!r} cannot be written")
    assert "budget" not in result.output  # nothing was trained


def test_unwritable_checkpoint_fails_before_training(blocked, tmp_path):
    result = runner.invoke(
        app, BASE + ["--out", str(tmp_path / "c.csv"), "--checkpoint", str(blocked / "x.ckpt")]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        f"Error: --checkpoint folder {str(blocked)!r} cannot be written"
    )


def test_unwritable_run_and_export_destinations(blocked, tmp_path):
    result = runner.invoke(app, ["run", "entanglement", "--quick", "--out", str(blocked)])
    assert result.exit_code == 2 and result.output.startswith(f"Error: --out {str(blocked)!r}")
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(app, ["export", str(tmp_path), str(blocked / "r.csv")])
    assert result.exit_code == 2 and "cannot be written" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_folder_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        result = runner.invoke(app, BASE + ["--out", str(ro / "c.csv")])
        assert result.exit_code == 2 and "Permission denied" in result.output
    finally:
        ro.chmod(0o700)


# ----------------------------------------------------------------------------- Ctrl-C
@pytest.mark.slow
@pytest.mark.parametrize("strategy", ["random", "decoupled-start"])
def test_ctrl_c_keeps_the_work_and_a_rerun_resumes(tmp_path, monkeypatch, strategy):
    from ebp import _progress

    args = BASE + ["--strategy", strategy]
    whole = runner.invoke(app, args + ["--out", str(tmp_path / "whole.csv")])
    assert whole.exit_code == 0, whole.output

    out = tmp_path / "cut.csv"
    calls = []
    real = _progress.PhaseReport.__call__

    def interrupt_later(self, spent, **status):
        calls.append(spent)
        if len(calls) == 25:
            raise KeyboardInterrupt
        real(self, spent, **status)

    monkeypatch.setattr(_progress.PhaseReport, "__call__", interrupt_later)
    cut = runner.invoke(app, args + ["--out", str(out)])
    assert cut.exit_code == 130, cut.output
    assert f"progress is saved in {str(out.with_suffix('.ckpt'))!r}" in cut.output
    assert "Run the same command again to resume." in cut.output
    assert list(tmp_path.glob("cut.ckpt*")) and not out.exists()
    monkeypatch.setattr(_progress.PhaseReport, "__call__", real)

    resumed = runner.invoke(app, args + ["--out", str(out)])
    assert resumed.exit_code == 0, resumed.output
    a = pd.read_csv(tmp_path / "whole.csv").drop(columns="seconds")
    b = pd.read_csv(out).drop(columns="seconds")
    # the same steps at the same costs; values equal to the simulator's run-to-run
    # reproducibility (two identical calls can differ in the last bit)
    exact = ["step", "phase", "cost", "configurations"]
    pd.testing.assert_frame_equal(a[exact], b[exact], check_exact=True)
    pd.testing.assert_frame_equal(a, b, rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- options
@pytest.mark.parametrize(
    "extra, message",
    [
        (["--n-hidden", "-1"], "--n-hidden must be an int >= 0; got -1."),
        (["--n-visible", "-2"], "--n-visible must be a positive int; got -2."),
        (["--layers", "0"], "--layers must be a positive int; got 0."),
        (["--shots", "-5"], "--shots must be a positive int; got -5."),
        (["--budget", "-1"], "--budget must be a positive number; got -1."),
        (["--budget", "nan"], "--budget must be a positive number; got nan."),
        (["--seed", "-3"], "--seed must be an int >= 0; got -3."),
        (
            ["--loss", "linear"],
            "--loss must be one of infidelity, trace_distance, relative_entropy "
            "for task 'state'; got 'linear'.",
        ),
        (
            ["--ansatz", "nope"],
            "unknown ansatz 'nope' (--ansatz); known: brickwork, bounded_cut, "
            "hardware_efficient, decoupled, pauli_network.",
        ),
        (["--out", "x.txt"], "--out is the curve's CSV file and must end in .csv; got 'x.txt'."),
    ],
)
def test_bad_numbers_name_the_option_typed(extra, message):
    _one_line_usage_error(runner.invoke(app, BASE + extra), message)


def test_cli_name_lists_match_the_registries():
    from ebp.ansatz import ANSATZ
    from ebp.train import OPTIMISERS, TASKS
    from ebp.train._tasks import GENERATIVE_LOSSES, QUANTUM_LOSSES, SUPERVISED_LOSSES
    from ebp.train.pretrain import STRATEGIES

    assert set(cli.ANSATZ_NAMES) == set(ANSATZ)
    assert set(cli.OPTIMISER_NAMES) == set(OPTIMISERS)
    assert set(cli.STRATEGY_NAMES) == set(STRATEGIES)
    assert set(cli._TASK_LOSSES) == set(TASKS)
    assert set().union(*map(set, cli._TASK_LOSSES.values())) == {
        *QUANTUM_LOSSES,
        *GENERATIVE_LOSSES,
        *SUPERVISED_LOSSES,
    }


@pytest.mark.slow
def test_header_prints_the_loss_in_use(tmp_path):
    result = runner.invoke(app, BASE + ["--out", str(tmp_path / "c.csv")])
    assert "task state (infidelity)" in result.output, result.output
    result = runner.invoke(
        app, BASE + ["--loss", "trace_distance", "--out", str(tmp_path / "d.csv")]
    )
    assert "task state (trace_distance)" in result.output, result.output


# ----------------------------------------------------------------------------- configs
def _studies():
    from ebp.studies import STUDIES

    return sorted(STUDIES)


@pytest.mark.parametrize("name", _studies())
def test_run_study_help_lists_that_studys_fields(name):
    from ebp.studies import get_study

    result = runner.invoke(app, ["run", name, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert f"config fields of {name}" in result.output
    for field in get_study(name).config_model.model_fields:
        assert re.search(rf"\b{re.escape(field)}\b", result.output), field


def test_run_help_differs_between_studies_and_shows_meanings():
    a = runner.invoke(app, ["run", "entanglement", "--help"], env={"COLUMNS": "250"}).output
    b = runner.invoke(
        app, ["run", "--quick", "training-failure", "--help"], env={"COLUMNS": "250"}
    ).output
    assert a != b
    assert "Largest qubit number of the profile sweep" in a and "n_max" in a


@pytest.mark.parametrize("name", _studies())
def test_every_config_field_has_a_meaning(name):
    from ebp._study_config import config_fields
    from ebp.studies import get_study

    missing = [r["name"] for r in config_fields(get_study(name)) if not r["meaning"]]
    assert not missing, f"{name}: fields without a description: {missing}"


@pytest.mark.parametrize("quick", [False, True])
@pytest.mark.parametrize("name", _studies())
def test_config_command_prints_toml_that_reads_back(name, quick, tmp_path):
    from ebp.studies import get_study

    study = get_study(name)
    result = runner.invoke(app, ["config", name] + (["--quick"] if quick else []))
    assert result.exit_code == 0, result.output
    text = result.output
    tomllib.loads(text)
    for field in study.config_model.model_fields:
        assert re.search(rf"^# {field} \(", text, re.M), field
    path = tmp_path / "c.toml"
    path.write_text(text)
    expected = study.quick_config() if quick else study.default_config()
    assert load_config(study, path) == expected  # over the defaults: complete on its own


def test_config_accepts_the_json_a_run_writes(tmp_path):
    from ebp.studies import get_study

    study = get_study("entanglement")
    cfg = study.config_model(n_max=5, samples=30)
    record = {
        "study": "entanglement",
        "ebp_version": "0",
        "n_tasks": 3,
        "config": cfg.model_dump(mode="json"),
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(record, indent=2))
    assert load_config(study, path) == cfg
    with pytest.raises(
        cli.ConfigError, match="record of a 'entanglement' run, not of 'training-failure'"
    ):
        load_config(get_study("training-failure"), path)
    path.write_text("{not json")
    result = runner.invoke(app, ["run", "entanglement", "--config", str(path)])
    assert result.exit_code == 2 and "is not valid JSON" in result.output


def test_python_dash_m_ebp_is_the_same_command_line():
    from ebp import __version__
    from subprocesses import run_python

    assert __version__ in run_python("-m", "ebp", "version")
