"""Run a study in this process: tasks one after another, a progress display, files on disk.

``run_study`` is the simplest executor; the runner package will add process/Dask executors and a
resumable store that call the same ``study.run_task``. Output folder layout::

    out_dir/results.csv    tidy table, one row per measurement
    out_dir/config.json    {"study": …, "ebp_version": …, "n_tasks": …, "config": {…}}
    out_dir/*.png          the study's figures
"""

from __future__ import annotations

import json
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel

if TYPE_CHECKING:
    from . import Study, Task

__all__ = ["run_study"]


def _version() -> str:
    try:
        return metadata.version("ebp")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return "unknown"


def _fmt_seconds(s: float) -> str:
    s = max(0.0, s)
    if s < 60:
        return f"{s:.0f}s"
    m, s = divmod(int(round(s)), 60)
    return f"{m}m{s:02d}s" if m < 60 else f"{m // 60}h{m % 60:02d}m"


class _LogLines:
    """Plain progress lines for logs and pipes: about every 5 % and at the end."""

    def __init__(self, total: int, name: str):
        self.total, self.name, self.t0 = total, name, time.perf_counter()
        self.every = max(1, total // 20)
        print(f"[ebp] {name}: {total} tasks", flush=True)

    def advance(self, done: int, task: "Task") -> None:
        if done % self.every and done != self.total:
            return
        elapsed = time.perf_counter() - self.t0
        rate = done / elapsed if elapsed > 0 else float("inf")
        eta = (self.total - done) / rate if rate > 0 else 0.0
        print(
            f"[ebp] {self.name}: {done}/{self.total} tasks, {rate:.2f} tasks/s, "
            f"elapsed {_fmt_seconds(elapsed)}, ETA {_fmt_seconds(eta)}  ({task.label()})",
            flush=True,
        )

    def close(self) -> None:
        pass


class _RichBar:
    """A rich progress bar: tasks done/total, rate, elapsed, ETA."""

    def __init__(self, total: int, name: str):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        self.progress.start()
        self.bar = self.progress.add_task(name, total=total, rate="")
        self.t0 = time.perf_counter()

    def advance(self, done: int, task: "Task") -> None:
        elapsed = time.perf_counter() - self.t0
        rate = f"{done / elapsed:.2f} tasks/s" if elapsed > 0 else ""
        self.progress.update(self.bar, completed=done, rate=rate)

    def close(self) -> None:
        self.progress.stop()


def _config_dict(config: BaseModel) -> dict[str, Any]:
    return config.model_dump(mode="json")


def run_study(
    study: "Study", config: BaseModel, out_dir: str | Path, *, progress: bool = True
) -> tuple[pd.DataFrame, list[Path]]:
    """Run every task of ``study`` for ``config`` in this process, then write table and figures.

    Parameters
    ----------
    study : Study
        The study to run.
    config : pydantic.BaseModel
        An instance of ``study.config_model``.
    out_dir : str or Path
        Output folder (created if missing); existing ``results.csv`` / figures are overwritten.
    progress : bool
        Show progress: a rich bar when stdout is a terminal, plain log lines otherwise.

    Returns
    -------
    (DataFrame, list of Path)
        The tidy results table and the figure files written.
    """
    if not isinstance(config, study.config_model):
        raise TypeError(
            f"config for study {study.name!r} must be a {study.config_model.__name__}; "
            f"got {type(config).__name__}."
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = study.tasks(config)
    reporter = None
    if progress:
        reporter = (_RichBar if sys.stdout.isatty() else _LogLines)(len(tasks), study.name)
    rows: list[dict[str, Any]] = []
    try:
        for done, task in enumerate(tasks, start=1):
            rows.extend(study.run_task(task))
            if reporter is not None:
                reporter.advance(done, task)
    finally:
        if reporter is not None:
            reporter.close()
    df = pd.DataFrame(rows)
    df.to_csv(out / "results.csv", index=False)
    meta = {
        "study": study.name,
        "ebp_version": _version(),
        "n_tasks": len(tasks),
        "config": _config_dict(config),
    }
    (out / "config.json").write_text(json.dumps(meta, indent=2) + "\n")
    figures = list(study.make_figures(df, config, out))
    return df, figures
