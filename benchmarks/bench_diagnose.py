"""Time ``ebp.diagnose`` on a wide shallow circuit, each run in a fresh Python process.

Circuit: ``ebp.ansatz.brickwork(1, 199, 2)``: 200 qubits, depth 4 (two brickwork layers of SU(4)
blocks), one visible qubit; it is diagnosed exactly on its visible light cone. Each run is a new
interpreter (imports included) with the persistent compilation cache in a fresh folder:

* ``cold``: the folder is empty (first use on a machine);
* ``warm``: the same folder again, filled by the cold run (every later use).

It prints the seconds to import ebp, to build the circuit, and for the diagnosis itself, with the
verdict and the cone's size.

Run:  python benchmarks/bench_diagnose.py [--samples 200] [--hidden 199] [--layers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = """
import json, sys, time
t0 = time.perf_counter()
import ebp
from ebp.ansatz import brickwork
ebp.enable_x64()
t1 = time.perf_counter()
circuit = brickwork(1, {hidden}, {layers})
t2 = time.perf_counter()
d = ebp.diagnose(circuit, "Z0", samples={samples}, seed=0)
t3 = time.perf_counter()
json.dump({{"import": t1 - t0, "build": t2 - t1, "diagnose": t3 - t2, "verdict": d.verdict,
           "qubits": circuit.n_qubits, "cone_qubits": d.cone_qubits,
           "dead": len(d.dead_params), "params": d.n_params}}, sys.stdout)
"""


def _run(code: str, cache: str) -> dict:
    env = {**os.environ, "EBP_CACHE_DIR": cache, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--hidden", type=int, default=199)
    parser.add_argument("--layers", type=int, default=2, help="brickwork layers (depth = 2x)")
    args = parser.parse_args()
    code = CHILD.format(hidden=args.hidden, layers=args.layers, samples=args.samples)
    with tempfile.TemporaryDirectory() as cache:
        rows = [("cold", _run(code, cache)), ("warm", _run(code, cache))]
    r = rows[0][1]
    print(
        f"brickwork(1, {args.hidden}, {args.layers}): {r['qubits']} qubits, depth "
        f"{2 * args.layers}, {r['params']} parameters; cone {r['cone_qubits']} qubits, "
        f"{r['dead']} dead parameters; {args.samples} samples"
    )
    print(f"{'cache':>6} {'import s':>9} {'build s':>8} {'diagnose s':>11}  verdict")
    for name, r in rows:
        print(
            f"{name:>6} {r['import']:>9.2f} {r['build']:>8.2f} {r['diagnose']:>11.2f}  "
            f"{r['verdict']}"
        )


if __name__ == "__main__":
    main()
