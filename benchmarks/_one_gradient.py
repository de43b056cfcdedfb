"""One gradient of the peers workload in a fresh Python process: its time and peak memory.

The workload of ``bench_peers.py``: ``hardware_efficient(1, n − 1, n)`` (per layer RY, RZ on every
qubit then a CZ chain, ``layers = n``), cost ⟨Z₀⟩, one parameter vector. Shared by
``bench_first_gradient.py`` (which source tree answers first) and ``bench_memory.py`` (large n).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

__all__ = ["one_gradient"]

_CHILD = r"""
import json, resource, sys, time
import jax.numpy as jnp
import numpy as np
import ebp
from ebp.ansatz import hardware_efficient

n, dtype = int(sys.argv[1]), sys.argv[2]
if dtype == "complex128":
    ebp.enable_x64()
circuit = hardware_efficient(1, n - 1, n)
params = np.random.default_rng(0).uniform(0, 2 * np.pi, (1, circuit.n_params))
start = time.perf_counter()
grad = np.asarray(ebp.gradient(circuit, params, "Z0", dtype=getattr(jnp, dtype)))
seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": seconds,
    "parameters": circuit.n_params,
    "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "state_bytes": 2**n * np.dtype(dtype).itemsize,
    "finite": bool(np.isfinite(grad).all()),
}))
"""


def one_gradient(n: int, dtype: str = "complex128", env: dict[str, str] | None = None) -> dict:
    """Seconds (compilation included), parameters, peak RSS and state bytes of one gradient,
    measured in a new interpreter (``env`` added to this process's environment). A failed run
    raises ``RuntimeError`` with the child's last line of error output; a non-finite gradient
    raises ``ValueError``."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(n), dtype],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if done.returncode:
        lines = done.stderr.strip().splitlines() or ["(no error output)"]
        raise RuntimeError(f"n={n} {dtype}: {lines[-1]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["finite"]:
        raise ValueError(f"n={n} {dtype}: the gradient is not finite")
    return result
