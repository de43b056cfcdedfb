"""Time ``ebp reproduce --quick`` end to end, with the wall and CPU time of every study.

Usage::

    python benchmarks/bench_reproduce.py [--out DIR] [--cores N] [--mode quick|full]

Runs ``ebp reproduce --MODE --fresh`` in a fresh Python process (so imports and every
compilation are counted, as for a new user), optionally pinned to ``--cores`` CPU cores
(Linux), then prints the end-to-end time, the per-study wall and CPU times the reproduction
recorded in ``DIR/reproduce.json``, the verdicts, and how busy the machine was (load average
before and after; on a shared machine wall times grow with the load, CPU times much less).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _load() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not available
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=None, help="reproduction folder (default: a temporary one)"
    )
    parser.add_argument("--cores", type=int, default=None, help="pin the run to this many cores")
    parser.add_argument("--mode", choices=("quick", "full"), default="quick")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="ebp-bench-reproduce-")) / "run"
    cmd = [
        sys.executable,
        "-m",
        "ebp.cli",
        "reproduce",
        f"--{args.mode}",
        "--fresh",
        "--out",
        str(out),
    ]
    pin = None
    if args.cores:
        cores = sorted(os.sched_getaffinity(0))[: args.cores]

        def pin():
            os.sched_setaffinity(0, cores)

    env = {**os.environ, "MPLBACKEND": "Agg"}
    print(
        f"cpu_count={os.cpu_count()}, pinned to {args.cores or 'all'} cores, "
        f"load average before {_load()}"
    )
    print("+", " ".join(cmd), flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, preexec_fn=pin, capture_output=True, text=True)
    total = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-4000:], proc.stderr[-4000:], sep="\n")
        return proc.returncode
    manifest = json.loads((out / "reproduce.json").read_text())
    wall, cpu = manifest["wall_seconds"], manifest.get("cpu_seconds", {})
    print(f"\n{'study':24s} {'wall s':>8s} {'CPU s':>8s}")
    for name in manifest["studies"]:
        print(f"{name:24s} {wall.get(name, 0):8.1f} {cpu.get(name, 0):8.1f}")
    print(f"{'sum of studies':24s} {sum(wall.values()):8.1f} {sum(cpu.values()):8.1f}")
    print(f"{'end to end':24s} {total:8.1f}   (imports, studies, verdicts, report)")
    print(f"load average after {_load()}")
    print(
        "\n"
        + "\n".join(
            line
            for line in proc.stdout.splitlines()
            if line.startswith(("│", "┃", "Report", "Done"))
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
