"""Sweep throughput of a study on each executor: local vs processes vs Dask, measured in one run.

Runs the same sweep (a study's quick config, or a TOML file of config fields) once per executor,
each in a fresh Python process and a fresh output folder, so that no compiled function or store
is reused between them. The wall time covers what a user waits for: starting the workers, every
task, storing the rows and writing ``results.csv`` (figures are not drawn). Work is counted in
tasks and, when the study's rows have an ``n_gradients`` column (gradient vectors computed in
that row), in gradients; the last column is the speed-up over the local executor. Every executor
must give the same table; the script checks it and says so.

Executors: ``local`` (this process), ``processes`` (spawn-started pool) and ``dask`` (a
LocalCluster on 127.0.0.1, one thread per worker); the last two with ``--workers`` processes.

Run:  python benchmarks/bench_sweep.py                      (gradient-scaling, quick config)
      python benchmarks/bench_sweep.py entanglement         (any registered study)
      python benchmarks/bench_sweep.py entanglement --config my.toml --workers 4
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_sweep(study_name: str, config_file: str | None, out: str, executor: str, workers: int):
    """Run the sweep once (in this process) and print its measurements as JSON."""
    from ebp.cli import load_config
    from ebp.runner import run_sweep
    from ebp.studies import get_study

    study = get_study(study_name)
    config = load_config(study, Path(config_file) if config_file else None, quick=True)
    t0 = time.perf_counter()
    df = run_sweep(
        study,
        config,
        out,
        executor=executor,
        workers=None if executor == "local" else workers,
        progress=False,
    )
    seconds = time.perf_counter() - t0
    gradients = int(df["n_gradients"].sum()) if "n_gradients" in df.columns else None
    n_tasks = len(study.tasks(config))
    print(
        json.dumps({"seconds": seconds, "tasks": n_tasks, "rows": len(df), "gradients": gradients})
    )


def measure(study: str, config: str | None, out: Path, executor: str, workers: int) -> dict:
    """:func:`one_sweep` in a fresh interpreter."""
    args = [sys.executable, __file__, study, "--one", executor, str(out), "--workers", str(workers)]
    if config:
        args += ["--config", config]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{executor} sweep failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("study", nargs="?", default="gradient-scaling", help="registered study name")
    ap.add_argument("--config", default=None, help="TOML file applied over the quick config")
    ap.add_argument("--workers", type=int, default=2, help="workers of processes and dask")
    ap.add_argument("--executors", nargs="+", default=["local", "processes", "dask"])
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--one", nargs=2, metavar=("EXECUTOR", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one_sweep(args.study, args.config, args.one[1], args.one[0], args.workers)
        return

    from ebp.runner import load_results
    from ebp.studies import get_study

    try:
        get_study(args.study)
    except ValueError as err:
        sys.exit(f"error: {err}")
    rows, tables = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for executor in args.executors:
            out = Path(tmp) / executor
            timing = measure(args.study, args.config, out, executor, args.workers)
            rows.append({"executor": executor, **timing})
            tables.append(load_results(out))
        identical = all(t.equals(tables[0]) for t in tables[1:])

    base = next((r["seconds"] for r in rows if r["executor"] == "local"), None)
    print(
        f"\nStudy `{args.study}`, {rows[0]['tasks']} tasks, {rows[0]['rows']} rows; "
        f"{args.workers} workers for processes and dask.\n"
    )
    print("| executor | wall s | tasks/s | gradients/s | speed-up vs local |")
    print("|---|---|---|---|---|")
    for r in rows:
        grads = f"{r['gradients'] / r['seconds']:.1f}" if r["gradients"] is not None else "–"
        ratio = f"{base / r['seconds']:.2f}×" if base else "–"
        name = r["executor"] + ("" if r["executor"] == "local" else f" ({args.workers})")
        print(
            f"| {name} | {r['seconds']:.2f} | {r['tasks'] / r['seconds']:.2f} | {grads} | {ratio} |"
        )
    print(f"\nidentical tables on every executor: {'yes' if identical else 'NO'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(
                {
                    "study": args.study,
                    "workers": args.workers,
                    "rows": rows,
                    "identical": identical,
                },
                fh,
                indent=2,
            )
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
