"""The runner: same rows on every executor, no lost or doubled task after kill -9, clear errors.

Two studies are used: the registered ``entanglement`` study on a very small config (real JAX
work in the workers), and ``count``, defined here, whose tasks sleep a little and return rows
full of awkward values (numpy scalars, NaN, ±inf, −0.0, subnormals, 2**40-sized ints, None).
Spawned workers and the subprocesses import ``count`` from this module (``tests/`` is on their
path).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel, ConfigDict
from typer.testing import CliRunner

import ebp
from ebp.cli import app
from ebp.experiment import Study, Task
from ebp.runner import (
    RUN_FORMAT,
    StoreError,
    export_results,
    load_results,
    make_executor,
    run_sweep,
)
from ebp.studies import get_study, run_study

TESTS = Path(__file__).resolve().parent

# ----------------------------------------------------------------------------- the count study


class CountConfig(BaseModel):
    """``n_tasks`` tasks of ``rows`` rows each."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    n_tasks: int = 16
    rows: int = 4
    seed: int = 0


def count_points(config: CountConfig) -> list[dict]:
    return [{"i": i, "rows": config.rows} for i in range(config.n_tasks)]


CALLS: list[int] = []  # task indices run in this process
DELAY = "EBP_TEST_TASK_SECONDS"  # each task sleeps this long (the sweeps that get killed)


def count_task(task: Task) -> list[dict]:
    p = task.params
    CALLS.append(p["i"])
    time.sleep(float(os.environ.get(DELAY, "0")))
    x = np.random.default_rng(task.seed).standard_normal(p["rows"])
    special = [math.nan, math.inf, -math.inf, -0.0]
    return [
        {
            "i": p["i"],
            "j": j,
            "x": x[j],  # numpy float64
            "x32": np.float32(x[j]),
            "big": np.int64(j * 2**40 + p["i"]),
            "flag": np.bool_(j % 2),
            "name": f"t{p['i']}",
            "none": None,
            "tiny": 5e-324 * (j + 1),
            "special": special[j % 4],
        }
        for j in range(p["rows"])
    ]


COUNT = Study(
    name="count",
    description="test study: sleeps, returns awkward values",
    config_model=CountConfig,
    quick_config=CountConfig,
    points=count_points,
    run_task=count_task,
    make_figures=lambda df, config, out: [],
)


def expected_count_rows(config: CountConfig) -> pd.DataFrame:
    """The table computed directly, numpy scalars unwrapped as the store does."""

    def plain(v):
        return v.item() if isinstance(v, np.generic) else v

    rows = [
        {k: plain(v) for k, v in row.items()} for t in COUNT.tasks(config) for row in count_task(t)
    ]
    return pd.DataFrame(rows)


def read_csv_exact(path: Path) -> pd.DataFrame:
    """``read_csv`` with floats parsed exactly (pandas 3 does so by default)."""
    exact = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    return pd.read_csv(path, **exact)


def assert_same_table(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal values, dtypes and column order; floats equal bit for bit (−0.0 ≠ 0.0 here)."""
    assert list(a.columns) == list(b.columns)
    assert a.equals(b)
    for col in a.columns:
        if a[col].dtype == np.float64:
            assert a[col].to_numpy().tobytes() == b[col].to_numpy().tobytes(), col


# ----------------------------------------------------------------------------- entanglement

ENT = get_study("entanglement")
# Six tasks, 32 rows; each distinct circuit compiles once per worker.
SMALL = {
    "models": ["haar", "brickwork"], "n_min": 2, "n_max": 3, "samples": 4,
    "hist_models": ["haar"], "hist_n_hidden": [1], "hist_samples": 4, "depth_n": 2,
    "depths": [1], "depth_cut_gates": [0],
}  # fmt: skip
SMALL_TOML = """
models = ["haar", "brickwork"]
n_min = 2
n_max = 3
samples = 4
hist_models = ["haar"]
hist_n_hidden = [1]
hist_samples = 4
depth_n = 2
depths = [1]
depth_cut_gates = [0]
"""

cli = CliRunner()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    df = run_sweep(ENT, ENT.config_model(**SMALL), out, progress=False)
    return df, out


@pytest.mark.slow
def test_local_run_writes_store_table_and_config(local_run):
    df, out = local_run
    config = ENT.config_model(**SMALL)
    tasks = ENT.tasks(config)
    assert len(tasks) == 6 and len(df) == 32
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["format"] == RUN_FORMAT and manifest["study"] == "entanglement"
    assert manifest["n_tasks"] == 6 and manifest["config"] == config.model_dump(mode="json")
    assert sorted(p.stem for p in (out / "tasks").glob("*.json")) == sorted(t.key for t in tasks)
    record = json.loads((out / "tasks" / f"{tasks[1].key}.json").read_text())
    assert record["format"] == "ebp-task/1" and record["index"] == 1
    assert record["seed"] == tasks[1].seed and record["point"]["cuts"] == [1, 2]
    assert record["rows"] == ENT.run_task(tasks[1])
    assert_same_table(load_results(out), df)
    on_disk = read_csv_exact(out / "results.csv")
    assert on_disk["entropy_bits"].equals(df["entropy_bits"])
    assert json.loads((out / "config.json").read_text())["n_tasks"] == 6


@pytest.mark.slow
def test_dask_gives_identical_rows(local_run, tmp_path):
    """A LocalCluster of 2 workers on 127.0.0.1 (processes: see test_cli_processes_executor)."""
    df, _ = local_run
    other = run_sweep(
        ENT, ENT.config_model(**SMALL), tmp_path, executor="dask", workers=2, progress=False
    )
    assert_same_table(other, df)
    assert_same_table(load_results(tmp_path), df)


@pytest.mark.slow
def test_dask_scheduler_address(tmp_path):
    """Connect to a running cluster by address; its workers import the study by reference."""
    from dask.distributed import LocalCluster

    config = CountConfig(n_tasks=4)
    kw = {"n_workers": 1, "threads_per_worker": 1, "dashboard_address": None}
    with LocalCluster(host="127.0.0.1", **kw) as cluster:
        address = cluster.scheduler_address
        df = run_sweep(COUNT, config, tmp_path, executor="dask", scheduler=address, progress=False)
    assert_same_table(df, expected_count_rows(config))


def test_unreachable_scheduler(tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}):
        with pytest.raises(ConnectionError, match="cannot reach the Dask scheduler at tcp://127"):
            run_sweep(COUNT, CountConfig(n_tasks=1), tmp_path, executor="dask",
                      scheduler="tcp://127.0.0.1:9", progress=False)  # fmt: skip
        result = cli.invoke(app, ["run", "entanglement", "--executor", "dask", "--out",
                                  str(tmp_path / "c"),
                                  "--scheduler", "tcp://127.0.0.1:9"])  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_rerun_is_a_no_op_and_run_study_draws_figures(local_run, tmp_path):
    config = CountConfig(n_tasks=5)
    run_sweep(COUNT, config, tmp_path, progress=False)
    CALLS.clear()
    df, figures = run_study(COUNT, config, tmp_path, progress=False)
    assert CALLS == [] and figures == []
    assert_same_table(df, expected_count_rows(config))


def test_resume_reports_tasks_already_done(tmp_path, capsys):
    config = CountConfig(n_tasks=5)
    run_sweep(COUNT, config, tmp_path, progress=False)
    for key in sorted(p.stem for p in (tmp_path / "tasks").glob("*.json"))[:2]:
        (tmp_path / "tasks" / f"{key}.json").unlink()
    CALLS.clear()
    run_sweep(COUNT, config, tmp_path, progress=True)
    assert len(CALLS) == 2
    out = capsys.readouterr().out
    assert "[ebp] count: 5 tasks, 3 already done (this process)" in out
    assert "[ebp] count: 5/5 tasks" in out


def swallowing_task(task: Task) -> list[dict]:
    """Task 1 gets a Ctrl-C whose KeyboardInterrupt is lost, as one raised inside a
    garbage-collection callback is (Python only prints "Exception ignored")."""
    CALLS.append(task.params["i"])
    if task.params["i"] == 1:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1.0)  # the handler runs here
        except KeyboardInterrupt:
            pass
    return [{"i": task.params["i"]}]


def test_ctrl_c_whose_interrupt_was_lost_still_stops_the_sweep(tmp_path):
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        study = dataclasses.replace(COUNT, name="swallow", run_task=swallowing_task)
        CALLS.clear()
        with pytest.raises(KeyboardInterrupt):
            run_sweep(study, CountConfig(n_tasks=5), tmp_path, progress=False)
        assert CALLS == [0, 1]  # stopped right after the task that lost the interrupt
        assert len(list((tmp_path / "tasks").glob("*.json"))) == 2  # both kept
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


# ----------------------------------------------------------------------------- kill and resume

SWEEP_SCRIPT = """
import json, signal, sys
# A shell starts background jobs with SIGINT ignored, and Python keeps it so; a user's Ctrl-C
# reaches a foreground process with the default handler, which is what the tests imitate.
signal.signal(signal.SIGINT, signal.default_int_handler)
import test_runner as t
from ebp.runner import run_sweep
config = t.CountConfig(**json.loads(sys.argv[1]))
run_sweep(t.COUNT, config, sys.argv[2], executor=sys.argv[3],
          workers=None if sys.argv[3] == "local" else 2, progress=False)
"""
KILL_CONFIG = CountConfig(n_tasks=16)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    return run_sweep(COUNT, KILL_CONFIG, tmp_path_factory.mktemp("whole"), progress=False)


def start_sweep(out: Path, executor: str) -> subprocess.Popen:
    path = os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path, DELAY: "0.25"}  # spawned workers inherit it
    args = [sys.executable, "-c", SWEEP_SCRIPT, KILL_CONFIG.model_dump_json(), str(out), executor]
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, so that leftovers can be found
    )  # fmt: skip


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def group_alive(pgid: int) -> bool:
    """Whether a process of the group ``pgid`` still runs (zombies awaiting a reaper do not)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (name)"
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # state, ppid, pgrp, ...
            return True
    return False


def stored(out: Path) -> list[Path]:
    return sorted((out / "tasks").glob("*.json")) if (out / "tasks").is_dir() else []


def interrupt_midway(out: Path, executor: str, sig: int) -> tuple[int, str]:
    """Start a sweep in a subprocess, wait for 3 finished tasks, send ``sig`` to the parent.

    Returns the exit code and the standard error of the subprocess.
    """
    proc = start_sweep(out, executor)
    try:
        wait_for(lambda: len(stored(out)) >= 3 or proc.poll() is not None, 90, "3 tasks")
        assert proc.poll() is None, proc.communicate()
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        # spawned workers notice the parent's death (or are stopped by it) and exit
        wait_for(lambda: not group_alive(proc.pid), 30, "the workers to exit")
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
    return proc.returncode, err


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["local", "processes"])
def test_sigkill_then_resume_finishes_exactly_the_missing_tasks(tmp_path, executor, uninterrupted):
    code, _ = interrupt_midway(tmp_path, executor, signal.SIGKILL)
    assert code == -signal.SIGKILL
    before = {p.stem: p.stat().st_mtime_ns for p in stored(tmp_path)}
    assert 3 <= len(before) < 16
    partial = load_results(tmp_path)  # a killed run reads fine, tasks in order
    assert len(partial) == 4 * len(before) and partial["i"].is_monotonic_increasing
    (tmp_path / "tasks" / "0123456789abcdef.json.x1y2.tmp").write_text('{"format": "ebp-ta')

    CALLS.clear()
    df = run_sweep(COUNT, KILL_CONFIG, tmp_path, progress=False)
    assert sorted(CALLS) == sorted(set(range(16)) - set(partial["i"]))  # only the missing ones
    after = {p.stem: p.stat().st_mtime_ns for p in stored(tmp_path)}
    assert all(after[k] == t for k, t in before.items())  # finished tasks were not rewritten
    assert len(stored(tmp_path)) == 16 and not list(tmp_path.rglob("*.tmp"))
    assert_same_table(df, uninterrupted)
    assert_same_table(df, expected_count_rows(KILL_CONFIG))
    assert_same_table(load_results(tmp_path), uninterrupted)


@pytest.mark.slow
def test_ctrl_c_stops_workers_and_says_how_to_resume(tmp_path, uninterrupted):
    code, err = interrupt_midway(tmp_path, "processes", signal.SIGINT)
    assert code == -signal.SIGINT and "KeyboardInterrupt" in err, err
    assert "interrupted: " in err and "run the same command again to finish the rest" in err
    n = len(stored(tmp_path))
    assert f"{n} of 16 tasks are stored in '{tmp_path}'" in err
    assert_same_table(run_sweep(COUNT, KILL_CONFIG, tmp_path, progress=False), uninterrupted)


# ----------------------------------------------------------------------------- damaged folders


@pytest.fixture
def small_count_run(tmp_path):
    config = CountConfig(n_tasks=3)
    run_sweep(COUNT, config, tmp_path, progress=False)
    keys = [t.key for t in COUNT.tasks(config)]
    return config, tmp_path, keys


def _damage_bad_json(path: Path) -> None:
    path.write_text("not json at all")


def _damage_binary(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\x00\x81 garbage")


def _damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _damage_foreign(path: Path) -> None:
    path.write_text(json.dumps({"format": "other-tool/3", "rows": []}))


def _damage_key(path: Path) -> None:
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "key": "0" * 16}))


def _damage_seed(path: Path) -> None:
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "seed": record["seed"] + 1}))


def _damage_study(path: Path) -> None:
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "study": "entanglement"}))


def _damage_rows(path: Path) -> None:
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "rows": {"x": 1}}))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_damage_bad_json, ("is not valid JSON (Expecting value: line 1 column 1 (char 0)); it "
                            "may be truncated or edited; delete it to recompute that task.")),
        (_damage_binary, "is not valid JSON ("),
        (_damage_truncate, "is not valid JSON ("),
        (_damage_foreign,
         "is not an ebp task file (format 'other-tool/3', expected 'ebp-task/1')."),
        (_damage_key, "holds key '0000000000000000' but is named for"),
        (_damage_seed, "does not match its key: its point and seed hash to"),
        (_damage_study, "belongs to study 'entanglement', but the run folder holds 'count'."),
        (_damage_rows, "lacks a point object, an integer seed and index, or a list of row"),
    ],
    ids=["bad-json", "binary", "truncated", "foreign", "key", "seed", "study", "rows"],
)  # fmt: skip
def test_damaged_task_file_is_named(small_count_run, damage, message):
    config, out, keys = small_count_run
    path = out / "tasks" / f"{keys[1]}.json"
    damage(path)
    for call in (lambda: run_sweep(COUNT, config, out, progress=False), lambda: load_results(out)):
        with pytest.raises(StoreError) as info:
            call()
        assert f"'{path}'" in str(info.value) and message in str(info.value)


def test_other_config_is_refused_with_the_differences(small_count_run):
    _, out, _ = small_count_run
    with pytest.raises(StoreError) as info:
        run_sweep(COUNT, CountConfig(n_tasks=4, rows=2), out, progress=False)
    assert str(info.value) == (
        f"'{out}' holds a run of 'count' with another config (n_tasks: 3 there, 4 now; "
        "rows: 4 there, 2 now); use another output folder (--out), or --fresh (fresh=True) to "
        "discard the stored results."
    )
    df = run_sweep(COUNT, CountConfig(n_tasks=4, rows=2), out, fresh=True, progress=False)
    assert_same_table(df, expected_count_rows(CountConfig(n_tasks=4, rows=2)))
    assert len(stored(out)) == 4


def test_run_folder_of_another_study_or_format(small_count_run, tmp_path_factory):
    _, out, _ = small_count_run
    with pytest.raises(StoreError, match="holds a run of study 'count', not 'entanglement'; use "):
        run_sweep(ENT, ENT.config_model(**SMALL), out, progress=False)
    (out / "run.json").write_text('{"format": "ebp-run/0", "study": "count"}')
    with pytest.raises(StoreError, match=r"is not an ebp run manifest \(format 'ebp-run/0', "):
        load_results(out)
    (out / "run.json").write_text('{"format": "ebp-ru')
    with pytest.raises(StoreError, match="run manifest '.*run.json' is not valid JSON"):
        run_sweep(COUNT, CountConfig(n_tasks=3), out, progress=False)
    (out / "run.json").unlink()
    with pytest.raises(StoreError, match="holds task files but '.*run.json' is missing"):
        run_sweep(COUNT, CountConfig(n_tasks=3), out, progress=False)
    empty = tmp_path_factory.mktemp("empty")
    with pytest.raises(StoreError, match=f"'{empty}' is not an ebp run folder: it has no run"):
        load_results(empty)
    with pytest.raises(StoreError, match="is not an ebp run folder: it does not exist"):
        load_results(empty / "nope")


def test_rows_must_be_json_scalars(tmp_path):
    bad = Study(
        "bad", "", CountConfig, CountConfig, count_points,
        lambda task: [{"x": [1, 2]}], lambda df, c, o: [],
    )  # fmt: skip
    with pytest.raises(TypeError, match=r"row 0, column 'x' holds a list; rows hold JSON scalars"):
        run_sweep(bad, CountConfig(n_tasks=1), tmp_path, progress=False)
    with pytest.raises(TypeError, match="config for study 'count' must be a CountConfig"):
        run_sweep(COUNT, ENT.config_model(**SMALL), tmp_path, progress=False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"executor": "threads"}, "unknown executor 'threads'; choose one of local, processes"),
        ({"executor": "processes", "workers": 0}, "workers must be an integer >= 1; got 0."),
        ({"workers": 2}, "workers apply to the processes and dask executors, not to local."),
        ({"scheduler": "tcp://127.0.0.1:1"}, "a scheduler address needs the dask executor"),
        ({"executor": "dask", "scheduler": "tcp://1.2.3.4:1", "workers": 2}, "cannot be set with"),
    ],
)
def test_bad_executor_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_executor(**kwargs)


def test_dask_missing_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ImportError, match=r"install it with: pip install 'ebp\[dask\]'"):
        make_executor("dask")
    result = cli.invoke(app, ["run", "entanglement", "--executor", "dask"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        "Error: the dask executor needs dask.distributed; install it with: pip install 'ebp[dask]'"
    ]


# ----------------------------------------------------------------------------- export


def test_load_and_export_round_trip(tmp_path):
    config = CountConfig(n_tasks=3)
    df = run_sweep(COUNT, config, tmp_path / "run", progress=False)
    assert_same_table(load_results(tmp_path / "run"), df)
    assert ebp.load_results is load_results

    parquet = export_results(tmp_path / "run", tmp_path / "x" / "rows.parquet")
    assert parquet == tmp_path / "x" / "rows.parquet"
    assert_same_table(pd.read_parquet(parquet), df)

    csv = export_results(tmp_path / "run", tmp_path / "rows.csv")
    back = read_csv_exact(csv)
    assert back["none"].isna().all()
    assert_same_table(back.drop(columns="none"), df.drop(columns="none"))

    with pytest.raises(ValueError, match=r"unknown suffix; use one of \.csv, \.parquet, \.pq"):
        export_results(tmp_path / "run", tmp_path / "rows.xlsx")


def test_parquet_without_pyarrow(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "pyarrow" else real(n, *a)
    )
    with pytest.raises(ImportError, match="writing Parquet needs pyarrow; install it with: pip"):
        export_results(tmp_path, tmp_path / "rows.parquet")


def test_cli_export(tmp_path):
    run_sweep(COUNT, CountConfig(n_tasks=2), tmp_path / "run", progress=False)
    result = cli.invoke(app, ["export", str(tmp_path / "run"), str(tmp_path / "r.parquet")])
    assert result.exit_code == 0, result.output
    assert_same_table(pd.read_parquet(tmp_path / "r.parquet"), load_results(tmp_path / "run"))
    result = cli.invoke(app, ["export", str(tmp_path), str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"Error: '{tmp_path}' is not an ebp run folder: it has no run.json."
    )


# ----------------------------------------------------------------------------- the command


@pytest.mark.slow
def test_cli_processes_executor(local_run, tmp_path):
    """2 spawned worker processes give the rows of the in-process run, exactly."""
    df, _ = local_run
    cfg = tmp_path / "small.toml"
    cfg.write_text(SMALL_TOML)
    out = tmp_path / "out"
    args = ["run", "entanglement", "--config", str(cfg), "--out", str(out)]
    result = cli.invoke(app, [*args, "--executor", "processes", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "[ebp] entanglement: 6 tasks (2 processes)" in result.output
    assert_same_table(load_results(out), df)
    assert (out / "results.csv").exists() and len(list(out.glob("*.png"))) == 5
    again = cli.invoke(app, args)  # resumes: nothing left to run
    assert again.exit_code == 0, again.output
    assert "6 tasks, 6 already done" in again.output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --executor dask; got --executor"),
        (["--executor", "processes", "--workers", "0"], "--workers must be >= 1; got 0."),
        (["--workers", "2"], "--workers needs --executor processes or dask"),
        (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
         "--workers cannot be used with --scheduler"),
        (["--executor", "threads"], "unknown executor 'threads'; choose one of local, processes"),
    ],
)  # fmt: skip
def test_cli_bad_flag_combinations(tmp_path, flags, message):
    result = cli.invoke(app, ["run", "entanglement", "--quick", "--out", str(tmp_path), *flags])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert not (tmp_path / "run.json").exists()


def _quick_store(out: Path, **changes) -> list[str]:
    """A run folder of the quick entanglement config (with ``changes``) and no task done."""
    config = ENT.quick_config().model_dump(mode="json")
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"format": RUN_FORMAT, "study": "entanglement", "ebp_version": "0", "n_tasks": 1,
                "config": {**config, **changes}}  # fmt: skip
    (out / "run.json").write_text(json.dumps(manifest))
    (out / "tasks").mkdir(exist_ok=True)
    return [t.key for t in ENT.tasks(ENT.quick_config())]


def test_cli_store_errors_are_one_line(tmp_path):
    def run(out):
        result = cli.invoke(app, ["run", "entanglement", "--quick", "--out", str(out)])
        assert result.exit_code == 2 and "Traceback" not in result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
        return lines[0]

    _quick_store(tmp_path / "a", samples=7)
    assert run(tmp_path / "a") == (
        f"Error: '{tmp_path / 'a'}' holds a run of 'entanglement' with another config (samples: "
        "7 there, 50 now); use another output folder (--out), or --fresh (fresh=True) to discard "
        "the stored results."
    )
    keys = _quick_store(tmp_path / "b")
    (tmp_path / "b" / "tasks" / f"{keys[0]}.json").write_text('{"format": "ebp-task/1", "stu')
    assert "is not valid JSON" in run(tmp_path / "b")
    run_sweep(COUNT, CountConfig(n_tasks=1), tmp_path / "c", progress=False)
    assert "holds a run of study 'count', not 'entanglement'" in run(tmp_path / "c")


# ----------------------------------------------------------------------------- a worker dies


def die_task(task: Task) -> list[dict]:
    """Task 2 kills its worker process outright, as the kernel's OOM killer would."""
    if task.params["i"] == 2:
        os._exit(1)
    return count_task(task)


DIE = Study(
    name="die",
    description="test study: one task kills its worker",
    config_model=CountConfig,
    quick_config=CountConfig,
    points=count_points,
    run_task=die_task,
    make_figures=lambda df, config, out: [],
)


def test_dead_worker_is_a_clear_one_line_error(tmp_path, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    out = tmp_path / "run"
    with pytest.raises(BrokenProcessPool) as info:
        run_sweep(DIE, CountConfig(n_tasks=6), out, executor="processes", workers=1, progress=False)
    note = " ".join(info.value.__notes__)
    assert "of 6 tasks are stored in" in note and str(out) in note

    def broken(*args, **kwargs):
        raise info.value

    monkeypatch.setattr("ebp.studies.run_study", broken)
    result = cli.invoke(app, ["run", "entanglement", "--quick", "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "a worker process died" in lines[0] and "tasks are stored in" in lines[0]
    assert "Run the same command again" in lines[0]
