"""Run a study end to end: its tasks through :mod:`ebp.runner`, then its figures.

Output folder layout::

    out_dir/run.json, tasks/    the resumable store (see :mod:`ebp.runner`)
    out_dir/results.csv         tidy table, one row per measurement
    out_dir/config.json         {"study": …, "ebp_version": …, "n_tasks": …, "config": {…}}
    out_dir/*.png               the study's figures
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel

from ..runner import run_sweep

if TYPE_CHECKING:
    from ..experiment import Study

__all__ = ["run_study"]


def run_study(
    study: Study,
    config: BaseModel,
    out_dir: str | Path,
    *,
    progress: bool = True,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    fresh: bool = False,
) -> tuple[pd.DataFrame, list[Path]]:
    """Run every task of ``study`` for ``config``, then write the table and the figures.

    A run killed part-way resumes where it stopped when called again with the same arguments
    (see :func:`ebp.runner.run_sweep`); figures and ``results.csv`` are rewritten each time.

    Args:
        study: The study to run.
        config: An instance of ``study.config_model``.
        out_dir: Output folder (created if missing).
        progress: Show progress: a rich bar when stdout is a terminal, plain log lines
            otherwise.
        executor: Where tasks run: ``"local"`` (this process), ``"processes"`` or ``"dask"``;
            see :func:`ebp.runner.make_executor`.
        workers: Worker processes (``processes`` / local ``dask``).
        scheduler: Address of a running Dask scheduler (``dask`` only).
        fresh: Discard a stored run in ``out_dir`` instead of resuming it.

    Returns:
        ``(DataFrame, list of Path)``, the tidy results table and the figure files written.
    """
    df = run_sweep(
        study,
        config,
        out_dir,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        fresh=fresh,
        progress=progress,
    )
    figures = list(study.make_figures(df, config, Path(out_dir)))
    return df, figures
