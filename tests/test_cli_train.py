"""``ebp train``: one model, one task, one optimiser from the command line."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from ebp.cli import app

runner = CliRunner()
BASE = ["train", "--task", "state", "--ansatz", "brickwork", "--n-hidden", "1", "--layers", "2"]


@pytest.mark.slow
def test_train_writes_curve_and_figure(tmp_path):
    out = tmp_path / "curve.csv"
    result = runner.invoke(
        app, BASE + ["--optimiser", "adam", "--shots", "20", "--budget", "40000", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    curve = pd.read_csv(out)
    assert {"cost", "loss", "entropy", "estimate"} <= set(curve.columns)
    assert curve["cost"].iloc[-1] <= 40000 and curve["loss"].iloc[-1] < curve["loss"].iloc[0]
    assert out.with_suffix(".png").stat().st_size > 10_000
    assert "final loss" in result.output and "shots" in result.output


@pytest.mark.slow
def test_train_with_a_pretraining_strategy_and_a_checkpoint(tmp_path):
    out = tmp_path / "c.csv"
    result = runner.invoke(
        app,
        BASE
        + [
            "--optimiser",
            "spsa",
            "--strategy",
            "small-angle",
            "--budget",
            "300",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    ckpt = tmp_path / "run.ckpt"
    args = BASE + [
        "--optimiser",
        "spsa",
        "--budget",
        "300",
        "--out",
        str(tmp_path / "d.csv"),
        "--checkpoint",
        str(ckpt),
    ]
    first = runner.invoke(app, args)
    again = runner.invoke(app, args + ["--overwrite"])  # replays the finished checkpoint
    assert first.exit_code == again.exit_code == 0 and ckpt.exists()
    assert first.output.splitlines()[-3] == again.output.splitlines()[-3]  # same final line


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--ansatz", "nope"], "unknown ansatz 'nope'"),
        (["--optimiser", "bfgs"], "unknown optimiser 'bfgs'"),
        (["--task", "nope"], "unknown task 'nope'"),
        (["--strategy", "nope"], "unknown strategy 'nope'"),
        (["--loss", "kl"], "loss must be one of"),
        (["--shots", "0"], "--shots must be a positive int; got 0."),
        (["--loss", "relative_entropy", "--shots", "10"], "no unbiased N-shot estimator"),
    ],
)
def test_train_usage_errors_are_one_line(extra, message, tmp_path):
    result = runner.invoke(
        app, BASE + extra + ["--budget", "100", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
