"""Threads for the flat engine's NumPy passes, and NumPy's BLAS held to one thread meanwhile.

NumPy releases the interpreter lock inside its array operations, so a batch split between a few
threads runs its parts at once (measured 1.4–1.7× on two cores from n = 10, batch 100 on).
Splitting the stages of one state between threads was measured slower at n = 16: a stage is
bound by memory bandwidth, which one thread already uses.

The stage products are many small matrix products. A multi-threaded BLAS splits the larger ones
between threads whose start-up and spin-waiting cost more than the product (measured 6× slower
at n = 14 on two cores, worse when another process is busy), so while the engine runs, BLAS is
limited to one thread (threadpoolctl); the engine's own threads replace its. Below
:data:`BLAS_LIMIT_FROM_QUBITS` qubits the products are too small for BLAS to split, and the limit
(whose first use costs about 10 ms of library inspection) is skipped.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache

__all__ = [
    "BATCH_SPLIT_AMPLITUDES",
    "BLAS_LIMIT_FROM_QUBITS",
    "batch_threads",
    "blas_limit",
    "map_threads",
    "single_threaded_blas",
]

MAX_THREADS = 4
BATCH_SPLIT_AMPLITUDES = 2**14
"""Amplitudes in a batch (instances × 2ⁿ) from which its instances are split between threads."""
BLAS_LIMIT_FROM_QUBITS = 12
"""Widths from which the engine holds BLAS to one thread. OpenBLAS splits a product m×k by k×n
between threads only from m·n·k ≥ 2¹⁸ (``GEMM_MULTITHREAD_THRESHOLD`` × 65536); the largest
products of the NumPy passes on n qubits have m·n·k ≤ 2ⁿ⁺⁴, so below 14 qubits none is split
(12 leaves a margin for other BLAS builds)."""


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without affinity


def batch_threads(total: int, n: int) -> int:
    """Threads to split a batch of ``total`` instances on ``n`` qubits between (at most the
    cores this process may use, and :data:`MAX_THREADS`)."""
    return max(1, min(_cores(), MAX_THREADS, total * 2**n // BATCH_SPLIT_AMPLITUDES, total))


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(MAX_THREADS, thread_name_prefix="ebp-numpy")


def map_threads(fn: Callable, items: list, threads: int) -> list:
    """``[fn(item) for item in items]``, with at most ``threads`` items running at once: the
    items are dealt round-robin to ``threads`` workers, each working through its share in order.
    (Not to be called from inside ``fn``: the workers would wait on themselves.)"""
    threads = max(1, min(threads, MAX_THREADS, len(items)))
    if threads == 1:
        return [fn(item) for item in items]
    shares = [list(range(k, len(items), threads)) for k in range(threads)]

    def work(share: list[int]) -> list:
        return [fn(items[i]) for i in share]

    futures = [_pool().submit(work, share) for share in shares]
    out: list = [None] * len(items)
    for share, future in zip(shares, futures):
        for i, result in zip(share, future.result()):
            out[i] = result
    return out


@cache
def _blas():
    from threadpoolctl import ThreadpoolController  # imported on first use

    return ThreadpoolController().select(user_api="blas")


_blas_lock = threading.Lock()
_blas_users = [0]
_blas_limiter: list = [None]


def blas_limit(n_qubits: int) -> contextlib.AbstractContextManager:
    """:func:`single_threaded_blas` from :data:`BLAS_LIMIT_FROM_QUBITS` qubits on, else a context
    that does nothing."""
    if n_qubits >= BLAS_LIMIT_FROM_QUBITS:
        return single_threaded_blas()
    return contextlib.nullcontext()


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """A context in which NumPy's BLAS runs on one thread. The limit is process-wide, so it is
    counted: the first caller sets it, the last one to leave restores the original, whichever
    threads they run on."""
    with _blas_lock:
        if _blas_users[0] == 0:
            controls = _blas()
            _blas_limiter[0] = controls.limit(limits=1) if controls.lib_controllers else None
        _blas_users[0] += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users[0] -= 1
            if _blas_users[0] == 0 and _blas_limiter[0] is not None:
                _blas_limiter[0].restore_original_limits()
                _blas_limiter[0] = None
