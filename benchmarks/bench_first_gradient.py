"""Time to the first gradient of a new circuit in a fresh process, two source trees interleaved.

For comparing a change with the code before it on a shared machine: every measurement is a fresh
Python process with an empty persistent cache folder, and the two trees alternate, so both see
the same load. Workload: ``hardware_efficient`` with ``layers = n`` (n − 1 visible qubits, one
hidden), ⟨Z₀⟩, one parameter vector, complex128.

Usage::

    python benchmarks/bench_first_gradient.py OLD_TREE NEW_TREE [--sizes 6 10 14 18] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, time
import numpy as np
import ebp
from ebp.ansatz import hardware_efficient
ebp.enable_x64()
n = {n}
circuit = hardware_efficient(n - 1, 1, n)
params = np.random.default_rng(0).uniform(0, 2 * np.pi, (1, circuit.n_params))
start = time.perf_counter()
np.asarray(ebp.gradient(circuit, params, "Z0"))
print(json.dumps({{"seconds": time.perf_counter() - start}}))
"""


def first_gradient(tree: str, n: int) -> float:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": os.path.join(tree, "src"), "EBP_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(n=n)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--sizes", type=int, nargs="+", default=[6, 10, 14, 18])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    print("| n | before s (each run) | after s (each run) | before / after (medians) |")
    print("|---:|---|---|---:|")
    for n in args.sizes:
        old, new = [], []
        for _ in range(args.repeats):
            old.append(first_gradient(args.old, n))
            new.append(first_gradient(args.new, n))
        ratio = statistics.median(old) / statistics.median(new)
        print(
            f"| {n} | {', '.join(f'{t:.2f}' for t in old)} | {', '.join(f'{t:.2f}' for t in new)} "
            f"| {ratio:.2f} |",
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
