"""Time to the first gradient of a new circuit in a fresh process, two source trees interleaved.

For comparing a change with the code before it on a shared machine: every measurement is a fresh
Python process with an empty persistent cache folder, and the two trees alternate, so both see
the same load. Workload: that of ``bench_peers.py`` (``_one_gradient.py``), complex128.

Usage::

    python benchmarks/bench_first_gradient.py OLD_TREE NEW_TREE [--sizes 6 10 14 18] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

from _one_gradient import one_gradient


def first_gradient(tree: str, n: int) -> float:
    """Seconds to the first gradient with ``tree``'s sources and an empty cache folder."""
    with tempfile.TemporaryDirectory() as cache:
        env = {"PYTHONPATH": os.path.join(tree, "src"), "EBP_CACHE_DIR": cache}
        return one_gradient(n, env=env)["seconds"]


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
