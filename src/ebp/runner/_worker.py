"""What a worker runs: one task in, its rows out as plain JSON scalars.

A worker receives ``(run_task, task)``: the study's task function, pickled by reference (its
module path and name, so it must be a module-level function), and a small
:class:`~ebp.experiment.Task`. The worker imports the one module that defines the function, not
the study registry. Importing this module imports the ``ebp`` package first, which turns on
64-bit JAX, so every worker computes in the same precision as the parent.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._store import json_rows

if TYPE_CHECKING:
    from ..experiment import Task

__all__ = ["TaskFunction", "init_process_worker", "run_one"]

TaskFunction = Callable[["Task"], list[dict[str, Any]]]


def run_one(run_task: TaskFunction, task: Task) -> list[dict[str, Any]]:
    """Run one task with the study's task function; rows as plain JSON scalars."""
    return json_rows(run_task(task), f"task {task.index} ({task.label()}) of study {task.study!r}")


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
