"""What a worker runs: one task in, its rows out as plain JSON scalars.

A worker receives ``(ref, task)``. ``ref`` is the study's *name* when the study is registered
(the worker looks it up in :data:`ebp.studies.STUDIES`, so nothing but a string and a small
:class:`~ebp.studies.Task` crosses the wire), or the study's ``run_task`` function itself, pickled
by reference (module-level functions only). Importing this module imports ``ebp`` first, which
turns on 64-bit JAX, so every worker computes in the same precision as the parent.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ebp  # noqa: F401  (64-bit JAX before any task runs)

from ._store import json_rows

if TYPE_CHECKING:
    from ..studies import Task

__all__ = ["init_process_worker", "run_one"]

StudyRef = str | Callable[["Task"], list[dict[str, Any]]]


def run_one(ref: StudyRef, task: Task) -> list[dict[str, Any]]:
    """Run one task of the study ``ref`` (a registered name or a ``run_task`` function)."""
    if isinstance(ref, str):
        from ..studies import get_study

        run_task = get_study(ref).run_task
    else:
        run_task = ref
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
