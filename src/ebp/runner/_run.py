"""Run a sweep: every task of a study, on an executor, into a resumable run folder.

::

    study.tasks(config) ─▶ skip tasks already stored ─▶ executor: task ─▶ rows (workers)
        ─▶ store: one file per finished task (this process) ─▶ results.csv, config.json

The table is assembled in task order from the stored rows, so it is the same whether the run
went through in one go or was killed and resumed, and whichever executor ran it.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel

from ._executors import make_executor
from ._progress import make_reporter
from ._store import ResultStore, write_atomic
from ._worker import run_one

if TYPE_CHECKING:
    from ..experiment import Study


__all__ = ["ebp_version", "run_sweep"]


@contextlib.contextmanager
def _noticing_ctrl_c():
    """Remember every Ctrl-C while the block runs, so that the task loop can stop at the next
    task even when the KeyboardInterrupt it raised was lost: Python drops exceptions raised
    inside garbage-collection callbacks (JAX registers one), only printing "Exception ignored".
    Leaves an ignored or default-action SIGINT (a background job) alone."""
    seen: list[int] = []
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield seen
        return

    def handler(signum, frame):
        seen.append(signum)
        previous(signum, frame)

    signal.signal(signal.SIGINT, handler)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


def ebp_version() -> str:
    """The installed ebp version (the package's own when running from a source tree)."""
    try:
        return metadata.version("ebp")
    except metadata.PackageNotFoundError:  # pragma: no cover - source tree without install
        from .. import __version__

        return __version__


def run_sweep(
    study: Study,
    config: BaseModel,
    out_dir: str | Path,
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    fresh: bool = False,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every task of ``study`` for ``config``, resuming from what ``out_dir`` already holds.

    Finished tasks are stored one file each as they come in (see :mod:`ebp.runner`); running
    the same call again after a crash or Ctrl-C computes only the missing tasks. At the end the
    table is written to ``out_dir/results.csv`` and the config to ``out_dir/config.json``.

    Args:
        study: Any :class:`~ebp.experiment.Study`; for the ``processes`` and ``dask``
            executors its ``run_task`` must be a module-level function (workers import it by its
            module path).
        config: An instance of ``study.config_model``.
        out_dir: The run folder (created if missing).
        executor: Where tasks run; see
            :func:`ebp.runner.make_executor`.
        workers: Worker processes (``processes`` / local ``dask``); default
            ``os.cpu_count()``.
        scheduler: Address of a running Dask scheduler (``dask`` only).
        fresh: Discard a stored run in ``out_dir`` instead of resuming it.
        progress: Show progress (a rich bar on a terminal, log lines otherwise).

    Returns:
        The results table, one row per measurement, tasks in order.

    Raises:
        StoreError: If ``out_dir`` holds a run of another study or config, or a damaged file.
        ValueError: For bad executor options.
        ImportError: For ``dask`` without dask installed.
        KeyboardInterrupt: On Ctrl-C, after stopping the workers; every finished task is kept.
    """
    if not isinstance(config, study.config_model):
        raise TypeError(
            f"config for study {study.name!r} must be a {study.config_model.__name__}; "
            f"got {type(config).__name__}."
        )
    pool = make_executor(executor, workers=workers, scheduler=scheduler)
    tasks = list(study.tasks(config))
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError(f"study {study.name!r} produced tasks with equal (point, seed).")
    out = Path(out_dir)
    config_json = config.model_dump(mode="json")
    store = ResultStore.create_or_resume(
        out,
        study=study.name,
        config=config_json,
        n_tasks=len(tasks),
        version=ebp_version(),
        fresh=fresh,
    )
    stored = set(store.finished())
    rows_of = {t.key: store.load(t.key)["rows"] for t in tasks if t.key in stored}
    todo = [t for t in tasks if t.key not in rows_of]
    interrupted = False
    # Start the workers first: a cluster that fails to start does so before any progress line.
    with pool if todo else contextlib.nullcontext():
        reporter = make_reporter(
            len(tasks), study.name, already=len(rows_of), where=pool.where, enabled=progress
        )
        try:
            with _noticing_ctrl_c() as ctrl_c:
                for task, rows in pool.run(partial(run_one, study.run_task), todo) if todo else ():
                    store.save(task, rows)
                    rows_of[task.key] = rows
                    reporter.advance(len(rows_of), task)
                    if ctrl_c:  # a Ctrl-C whose KeyboardInterrupt was lost on the way
                        raise KeyboardInterrupt
        except KeyboardInterrupt:
            interrupted = True
            raise
        except Exception as err:
            err.add_note(f"{len(rows_of)} of {len(tasks)} tasks are stored in '{out}'.")
            raise
        finally:
            reporter.close()
            if interrupted:
                print(
                    f"\n[ebp] interrupted: {len(rows_of)} of {len(tasks)} tasks are stored in "
                    f"'{out}'; run the same command again to finish the rest.",
                    file=sys.stderr,
                    flush=True,
                )
    df = pd.DataFrame([row for t in tasks for row in rows_of[t.key]])
    write_atomic(out / "results.csv", df.to_csv(index=False))
    meta: dict[str, Any] = {
        "study": study.name,
        "ebp_version": ebp_version(),
        "n_tasks": len(tasks),
        "config": config_json,
    }
    write_atomic(out / "config.json", json.dumps(meta, indent=2) + "\n")
    return df
