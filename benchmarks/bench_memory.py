"""Time and peak memory of one gradient at large n (the O(2ⁿ) memory claim of the flat engine).

Each (n, dtype) runs in a fresh Python process with an empty cache folder (``_one_gradient.py``:
the workload of ``bench_peers.py``, one gradient, compilation included). Peak memory is the
process's maximum resident set size, which includes the Python interpreter, JAX and XLA's
buffers.

Usage::

    python benchmarks/bench_memory.py  # n = 24 (complex64, complex128), 26 (complex64)
    python benchmarks/bench_memory.py --runs 20:complex128 22:complex64
"""

from __future__ import annotations

import argparse
import tempfile

from _one_gradient import one_gradient


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
        try:
            with tempfile.TemporaryDirectory() as cache:  # compile included, whatever ran before
                r = one_gradient(int(n), dtype, env={"EBP_CACHE_DIR": cache})
        except (RuntimeError, ValueError) as err:
            print(f"| {n} | {dtype} | failed: {err} | | | |", flush=True)
            continue
        print(
            f"| {n} | {dtype} | {r['parameters']} | {r['state_bytes'] / 2**20:.1f} "
            f"| {r['seconds']:.1f} | {r['peak_bytes'] / 2**30:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
