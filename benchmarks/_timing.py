"""Timing helpers shared by the benchmark scripts.

* :func:`timed`: one call and its wall-clock seconds (``time.perf_counter``);
* :func:`best_seconds`: the least wall-clock seconds over repeated calls (the steady-state
  figure: the minimum is the run least disturbed by other processes);
* :func:`in_fresh_process`: a measurement in a new Python interpreter, so that one library's
  thread pools, caches and compiled code cannot help or slow down another's.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

__all__ = ["best_seconds", "in_fresh_process", "timed"]

T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """``call()`` and the wall-clock seconds it took."""
    t0 = time.perf_counter()
    out = call()
    return out, time.perf_counter() - t0


def best_seconds(call: Callable[[], object], repeats: int) -> float:
    """The least wall-clock seconds of ``repeats`` calls of ``call()``."""
    best = math.inf
    for _ in range(repeats):
        best = min(best, timed(call)[1])
    return best


def in_fresh_process(
    script: str, flag: str, inputs: dict[str, np.ndarray], *args: object
) -> dict[str, np.ndarray]:
    """Run ``python script flag DIR *args`` in a fresh interpreter and return its arrays.

    Each of ``inputs`` is saved as ``DIR/<name>.npy`` before the run; every ``DIR/*.npy`` the
    worker leaves (inputs included) comes back by name. The worker side of ``flag`` reads its
    inputs and writes its results there with ``np.save``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        for name, array in inputs.items():
            np.save(f"{tmp}/{name}.npy", array)
        subprocess.run([sys.executable, script, flag, tmp, *map(str, args)], check=True)
        return {path.stem: np.load(path) for path in Path(tmp).glob("*.npy")}
