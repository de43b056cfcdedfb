"""What a worker runs: one task in, its rows out as plain JSON scalars.

A worker receives ``(run_task, task)``: the study's task function, pickled by reference (its
module path and name, so it must be a module-level function), and a small
:class:`~ebp.experiment.Task`. The worker imports the one module that defines the function, not
the study registry. Each task computes in JAX's 64-bit mode (complex128, as ebp's studies
assume), switched on for that task's thread only: in a worker of ebp's own process pool, on a
Dask worker that also runs other work, and in the caller's process for the local executor alike,
whatever the process-wide setting is.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._precision import x64_scope
from ._store import json_rows

if TYPE_CHECKING:
    from ..experiment import Task

__all__ = ["TaskFunction", "init_process_worker", "run_one"]

TaskFunction = Callable[["Task"], list[dict[str, Any]]]


def run_one(run_task: TaskFunction, task: Task) -> list[dict[str, Any]]:
    """Run one task with the study's task function, in 64-bit JAX; rows as plain JSON scalars."""
    with x64_scope():
        rows = run_task(task)
    return json_rows(rows, f"task {task.index} ({task.label()}) of study {task.study!r}")


def _exit_with_parent(sentinel: Any) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def init_process_worker() -> None:
    """Set up a worker process: leave Ctrl-C to the parent, and exit when the parent dies.

    The parent handles Ctrl-C and stops the workers itself. If the parent is killed outright
    (``kill -9``), the worker notices through the parent's process sentinel and exits instead
    of waiting forever for work.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True)
        watch.start()
