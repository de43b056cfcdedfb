"""Time and peak memory of one gradient at large n (the O(2ⁿ) memory claim of the flat engine).

Each (n, dtype) runs in a fresh Python process: one gradient of ⟨Z₀⟩ for the hardware-efficient
ansatz with ``layers = n`` (n − 1 visible qubits and one hidden, the workload of
``bench_peers.py``), compilation included. Peak memory is the
process's maximum resident set size (``resource.getrusage``), which includes the Python
interpreter, JAX and XLA's buffers.

Usage::

    python benchmarks/bench_memory.py  # n = 24 (complex64, complex128), 26 (complex64)
    python benchmarks/bench_memory.py --runs 20:complex128 22:complex64
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
import ebp
from ebp.ansatz import hardware_efficient
import jax.numpy as jnp

n, dtype = int(sys.argv[1]), sys.argv[2]
if dtype == "complex128":
    ebp.enable_x64()
circuit = hardware_efficient(n - 1, 1, n)
params = np.random.default_rng(0).uniform(0, 2 * np.pi, (1, circuit.n_params))
start = time.perf_counter()
grad = np.asarray(ebp.gradient(circuit, params, "Z0", dtype=getattr(jnp, dtype)))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"n": n, "dtype": dtype, "parameters": circuit.n_params, "seconds": seconds,
                  "peak_bytes": peak, "finite": bool(np.isfinite(grad).all()),
                  "state_bytes": 2**n * np.dtype(dtype).itemsize}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", nargs="+", default=["24:complex64", "24:complex128", "26:complex64"]
    )
    args = parser.parse_args()
    print(
        "| n | dtype | parameters | state MiB | one gradient s (compile included) | peak RSS GiB |"
    )
    print("|---:|---|---:|---:|---:|---:|")
    for run in args.runs:
        n, dtype = run.split(":")
        out = subprocess.run(
            [sys.executable, "-c", CHILD, n, dtype],
            capture_output=True,
            text=True,
            env=os.environ,
        )
        if out.returncode != 0:
            print(f"| {n} | {dtype} | failed: {out.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        assert r["finite"], "non-finite gradient"
        print(
            f"| {r['n']} | {r['dtype']} | {r['parameters']} | {r['state_bytes'] / 2**20:.1f} "
            f"| {r['seconds']:.1f} | {r['peak_bytes'] / 2**30:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
