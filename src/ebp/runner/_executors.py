"""Where tasks run: this process, a pool of local processes, or a Dask cluster.

Every executor is a context manager with one method, ``run(fn, tasks)``, that yields
``(task, fn(task))`` pairs *as tasks finish* (in any order). Results come back to the calling
process, which alone writes them to the store. Leaving the context early (an error, Ctrl-C)
cancels the tasks not yet started and stops the workers.

``processes`` uses :class:`concurrent.futures.ProcessPoolExecutor` with the *spawn* start method:
JAX is multithreaded and not fork-safe. ``dask`` starts a :class:`dask.distributed.LocalCluster`
on 127.0.0.1 (no dashboard), or connects to a running scheduler.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any, Self

from ._worker import init_process_worker

if TYPE_CHECKING:
    from ..experiment import Task

__all__ = ["EXECUTORS", "Executor", "make_executor"]

EXECUTORS = ("local", "processes", "dask")
"""Executor names accepted by :func:`make_executor` and ``ebp run --executor``."""

DASK_MISSING = "the dask executor needs dask.distributed; install it with: pip install 'ebp[dask]'"

Results = Iterator[tuple["Task", Any]]


class Executor:
    """Run tasks here, one after another (the base of the other executors)."""

    def __init__(self) -> None:
        self.where = "this process"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        pass

    def run(self, fn: Callable[[Task], Any], tasks: Iterable[Task]) -> Results:
        """Yield ``(task, fn(task))`` as tasks finish."""
        for task in tasks:
            yield task, fn(task)


class _Processes(Executor):
    def __init__(self, workers: int):
        self.workers = workers
        self.where = f"{workers} process{'es' if workers > 1 else ''}"
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Self:
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_process_worker,
        )
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if exc_type is not None:  # stop now, running tasks too; finished ones are stored
            pool.shutdown(wait=False, cancel_futures=True)
            if hasattr(pool, "terminate_workers"):  # Python >= 3.14
                pool.terminate_workers()
            else:
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
        pool.shutdown(wait=True)

    def run(self, fn: Callable[[Task], Any], tasks: Iterable[Task]) -> Results:
        assert self.pool is not None, "use the executor in a with block"
        futures = {self.pool.submit(fn, task): task for task in tasks}
        for future in as_completed(futures):
            yield futures.pop(future), future.result()


class _Dask(Executor):
    def __init__(self, workers: int | None, scheduler: str | None):
        self.workers, self.scheduler = workers, scheduler
        if scheduler is None:
            self.where = f"a local Dask cluster of {workers} worker{'s' if workers != 1 else ''}"
        else:
            self.where = f"the Dask scheduler at {scheduler}"
        self.client: Any = None
        self.cluster: Any = None
        self.pending: dict[str, Any] = {}  # key -> future, until its result is taken

    def __enter__(self) -> Self:
        from dask.distributed import Client, LocalCluster

        if self.scheduler is None:
            self.cluster = LocalCluster(
                host="127.0.0.1",
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            try:
                self.client = Client(self.cluster)
            except BaseException:
                self.cluster.close()
                raise
        else:
            try:
                self.client = Client(self.scheduler)
            except OSError as err:
                raise ConnectionError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {err}"
                ) from None
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None and self.pending and self.client is not None:
            self.client.cancel(list(self.pending.values()))
        self.pending = {}
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def run(self, fn: Callable[[Task], Any], tasks: Iterable[Task]) -> Results:
        from dask.distributed import as_completed as dask_completed

        assert self.client is not None, "use the executor in a with block"
        by_key = {}
        for task in tasks:
            future = self.client.submit(fn, task, key=f"ebp-{task.study}-{task.key}", pure=False)
            by_key[future.key] = task
            self.pending[future.key] = future
        for future in dask_completed(list(self.pending.values())):
            result = future.result()
            del self.pending[future.key]
            yield by_key.pop(future.key), result


def make_executor(
    executor: str = "local", *, workers: int | None = None, scheduler: str | None = None
) -> Executor:
    """Check the options and build an executor (not started: use it in a ``with`` block).

    Args:
        executor: ``local`` runs tasks in this process;
            ``processes`` in a spawn-started process pool; ``dask`` on a local Dask cluster, or on
            the cluster at ``scheduler``.
        workers: Worker processes for ``processes`` and a local Dask cluster;
            default ``os.cpu_count()``.
        scheduler: Address of a running Dask scheduler, e.g.
            ``"tcp://10.0.0.5:8786"`` (``dask`` only).

    Raises:
        ValueError: For an unknown executor or options that do not go together.
        ImportError: For ``dask`` when ``dask.distributed`` is not installed.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}.")
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be an integer >= 1; got {workers!r}.")
        if executor == "local":
            raise ValueError("workers apply to the processes and dask executors, not to local.")
        if scheduler is not None:
            raise ValueError("workers cannot be set with a scheduler: its cluster has its own.")
    if scheduler is not None and executor != "dask":
        raise ValueError(f"a scheduler address needs the dask executor; got {executor!r}.")
    default = os.cpu_count() or 1
    if executor == "processes":
        return _Processes(workers or default)
    if executor == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise ImportError(DASK_MISSING) from None
        return _Dask((workers or default) if scheduler is None else None, scheduler)
    return Executor()
