"""``ebp reproduce`` and ``ebp report``: usage errors, a whole tiny reproduction, and
interruption with SIGINT / SIGKILL followed by a rerun that computes only the missing tasks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ebp.cli import app
from ebp.reproduce import MANIFEST, STUDY_ORDER

runner = CliRunner()
SRC = Path(__file__).resolve().parents[1] / "src"


def _one_line_error(result, *needles):
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


# --------------------------------------------------------------------------- usage errors


def test_quick_with_full_is_refused(tmp_path):
    result = runner.invoke(app, ["reproduce", "--quick", "--full", "--out", str(tmp_path)])
    _one_line_error(result, "--quick and --full")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--executor", "gpu-farm"], "gpu-farm"),
        (["--executor", "processes", "--workers", "0"], "--workers must be >= 1"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --executor dask"),
        (["--workers", "2"], "--workers needs --executor processes or dask"),
    ],
    ids=["unknown-executor", "zero-workers", "scheduler-without-dask", "workers-local"],
)
def test_bad_option_values_are_refused(tmp_path, args, needle):
    result = runner.invoke(app, ["reproduce", "--out", str(tmp_path / "out"), *args])
    _one_line_error(result, needle)
    assert not (tmp_path / "out").exists()


def test_folder_with_a_single_study_run_is_refused(tmp_path):
    (tmp_path / "run.json").write_text(
        json.dumps({"format": "ebp-run/1", "study": "x", "config": {}})
    )
    result = runner.invoke(app, ["reproduce", "--quick", "--out", str(tmp_path)])
    _one_line_error(result, "single-study run")


def test_folder_with_a_reproduction_of_another_mode_is_refused(tmp_path):
    (tmp_path / MANIFEST).write_text(
        json.dumps({"format": "ebp-reproduce/1", "mode": "full", "studies": []})
    )
    result = runner.invoke(app, ["reproduce", "--quick", "--out", str(tmp_path)])
    _one_line_error(result, "holds a full reproduction", "--fresh")


def test_unwritable_folder_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = runner.invoke(app, ["reproduce", "--out", str(blocker / "sub")])
    _one_line_error(result, "cannot write to")
    result = runner.invoke(app, ["reproduce", "--out", str(blocker)])
    _one_line_error(result, "is a file, not a folder")


def test_report_of_a_folder_without_reproduction_is_refused(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])
    _one_line_error(result, "not an ebp reproduction folder")


def test_full_prints_an_estimate_first(tmp_path, monkeypatch):
    """--full prints time and memory per study before running (the run itself is stopped)."""
    import ebp.reproduce._run as run_module

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_module, "run_study", stop)
    result = runner.invoke(app, ["reproduce", "--full", "--out", str(tmp_path / "full")])
    assert result.exit_code == 130, result.output
    assert "Estimate of the full reproduction" in result.output
    assert "peak memory" in result.output and "Estimated total" in result.output
    for name in STUDY_ORDER:
        assert name in result.output


# --------------------------------------------------------------------------- whole runs

# Tiny configs: every study runs, each in a few tasks, so a whole reproduction takes a minute.
TINY = {
    "entanglement": dict(
        models=("haar",),
        n_min=2,
        n_max=5,
        samples=4,
        hist_models=("haar",),
        hist_n_hidden=(1, 2),
        hist_samples=4,
        depths=(),
    ),
    "cost-concentration": dict(
        models=("bounded_cut",), objectives=("local_pauli",), n_hidden=(1,), samples=4
    ),
    "gradient-scaling": dict(
        models=("brickwork",),
        objectives=("local_pauli",),
        n_visible=(1,),
        n_max=2,
        samples=4,
        depth_models=(),
        paper_n_hidden=(1,),
        paper_samples=4,
        lipschitz_steps=0,
        bootstrap_resamples=10,
    ),
    "training-failure": dict(
        models=("bounded_cut",),
        n_hidden=(1,),
        optimisers=("adam",),
        exact=(),
        seeds=1,
        budget=200.0,
    ),
    "gradient-free-failure": dict(
        models=("bounded_cut",), n_hidden=(1,), pairs=10, methods=(), seeds=1
    ),
    "pretraining": dict(n_hidden=(1,), strategies=("random",), seeds=1, budget=200.0),
    "qbm-typicality": dict(
        n_hidden=(1, 2), instances=4, hist_n_hidden=(), hist_instances=4, bootstrap_resamples=10
    ),
    "qbm-gradient-by-term": dict(models=("ising",), n_hidden=(1,), instances=2),
    "qbm-coupling": dict(models=("ising",), n_hidden=(1,), couplings=(0.0,), instances=2),
    "qbm-training": dict(
        families=("restricted",),
        targets=("quantum",),
        strategies=("random",),
        n_visible=1,
        n_hidden=(1,),
        budget_steps=2,
        seeds=1,
    ),
}

SCRIPT = textwrap.dedent("""
    import json, signal, sys
    # A shell starts background jobs with SIGINT ignored, and Python keeps it so; a user's
    # Ctrl-C reaches a foreground process with the default handler, which this imitates.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import ebp.reproduce._configs as configs
    configs.OVERRIDES["quick"].update(json.loads(sys.argv[1]))
    from ebp.cli import app
    app(["reproduce", "--quick", "--out", sys.argv[2]])
""")


def _start(out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC), "MPLBACKEND": "Agg"}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, json.dumps(TINY), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stored(out: Path) -> dict[Path, tuple[int, int]]:
    """Every stored task file with its (inode, mtime in ns): rewritten files change both."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*/tasks/*.json")}


def _n_tasks(out: Path) -> int:
    return sum(json.loads((out / s / "run.json").read_text())["n_tasks"] for s in STUDY_ORDER)


def _interrupt_and_resume(tmp_path, sig) -> tuple[int, int, str]:
    out = tmp_path / "repro"
    proc = _start(out)
    deadline = time.monotonic() + 600
    while len(_stored(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, (
        "the run ended before it could be interrupted:\n" + proc.communicate()[0]
    )
    proc.send_signal(sig)
    first_output = proc.communicate(timeout=300)[0]
    assert proc.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL), first_output
    assert not (out / "report.html").exists()
    before = _stored(out)
    rerun = _start(out)
    output = rerun.communicate(timeout=900)[0]
    assert rerun.returncode == 0, output
    after = _stored(out)
    for path, stamp in before.items():  # finished tasks were not computed again
        assert after[path] == stamp, f"{path} was rewritten"
    assert len(after) == _n_tasks(out)
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    assert "Report:" in output and "C7" in output
    return len(before), len(after) - len(before), first_output


@pytest.mark.slow
def test_sigint_then_rerun_completes_without_recomputing(tmp_path):
    kept, computed, first = _interrupt_and_resume(tmp_path, signal.SIGINT)
    assert kept >= 3 and computed >= 1
    assert "run the same command again" in first and "Traceback" not in first


@pytest.mark.slow
def test_sigkill_then_rerun_completes_without_recomputing(tmp_path):
    kept, computed, _ = _interrupt_and_resume(tmp_path, signal.SIGKILL)
    assert kept >= 3 and computed >= 1


@pytest.mark.slow
def test_finished_reproduction_reruns_nothing_and_report_rebuilds(tmp_path):
    out = tmp_path / "repro"
    first = _start(out)
    assert first.communicate(timeout=900)[0] and first.returncode == 0
    stored = _stored(out)
    manifest = json.loads((out / MANIFEST).read_text())
    again = _start(out)
    output = again.communicate(timeout=900)[0]
    assert again.returncode == 0, output
    assert _stored(out) == stored
    (out / "report.html").unlink()
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and "C1" in result.output
    assert set(manifest["wall_seconds"]) == set(STUDY_ORDER)


@pytest.mark.slow
def test_report_command_rebuilds_a_stored_reproduction(tmp_path, rng):
    from test_reproduce_report import make_reproduction
    from test_reproduce_verdicts import supportive

    root = make_reproduction(tmp_path / "repro", supportive(rng), figures=False)
    result = runner.invoke(app, ["report", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "report.html").is_file() and (root / "report.md").is_file()
    for cid in ("C1", "C7"):
        assert cid in result.output
    assert f"Report:   {root / 'report.html'}" in result.output


def test_overall_progress_counts_stored_tasks_across_studies(tmp_path, capsys):
    """The display reads progress from the run folders: study, its tasks, all tasks, time left."""
    from ebp.reproduce._progress import OverallProgress, PlanItem

    plan = [
        PlanItem(
            f"study-{i}", tmp_path / f"s{i}", frozenset(f"{i:014x}{k:02x}" for k in range(4)), 4.0
        )
        for i in range(2)
    ]
    (plan[0].folder / "tasks").mkdir(parents=True)
    (plan[0].folder / "tasks" / f"{sorted(plan[0].keys)[0]}.json").write_text("{}")  # resumed
    with OverallProgress(plan, interval=0.01) as bar:
        for i, item in enumerate(plan):
            bar.start(i)
            (item.folder / "tasks").mkdir(parents=True, exist_ok=True)
            for key in sorted(item.keys):
                (item.folder / "tasks" / f"{key}.json").write_text("{}")
                time.sleep(0.05)
            bar.finish(i)
    out = capsys.readouterr().out
    assert "[1/2] study-0: 4 tasks, 1 already done" in out
    assert "[2/2] study-1: 4 tasks" in out
    assert "study-1 done; 8/8 tasks" in out
    assert "about" in out and "left" in out
