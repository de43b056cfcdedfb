"""First answers and steady state: ebp vs lightning.qubit, qulacs and tensorcircuit-ng, one run.

Workload (every library, same parameter draws): hardware-efficient ansatz (per layer RY, RZ on
every qubit then a CZ chain), ``layers = n``, cost ⟨Z₀⟩, full gradient. Every measurement runs in
a fresh Python process, so compile time and import-time caches are counted as a user meets them:

* **first**: seconds from "circuit built" to the first gradient of one parameter vector;
* **100**: seconds from "circuit built" to 100 gradients (each library its natural way: ebp and
  tensorcircuit-ng one batched call, lightning.qubit and qulacs one call per vector);
* **steady**: seconds per gradient once warm (best of repeated batches).

ebp is measured with a cold persistent compilation cache (a new empty folder) and with the warm
one that the cold run filled ("ebp warm"). Steady state is given for both of ebp's engines: the
flat engine (circuit as data, what answers first) and the fused engine (a program per circuit,
what a circuit moves to once it has run long enough). Gradients of every peer are compared with
ebp's (max |Δ|). Ratios are ebp over the best peer (< 1: ebp is faster).

A second table: ebp's first-gradient latency for the other ansätze and a random circuit of the
registered one- and two-qubit gates at several depths, fresh process, cold and warm cache, and
the latency of a *second*, different circuit in the same process (no compilation at all).

Run:  python benchmarks/bench_peers.py                  (needs the ``bench`` extra)
      python benchmarks/bench_peers.py --sizes 6 10 --hundred 20 --skip-ansatz   (a quick look)
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from _pennylane import lightning_gradient
from _timing import best_seconds

PEERS = ("lightning", "qulacs", "tensorcircuit")
LARGE = 18  # from this width on, the "100 gradients" column times 10 (see main)


def draws(n: int, count: int) -> np.ndarray:
    """Parameter vectors in ebp's order (layer, wire, (RY, RZ)), the same for every library."""
    return np.random.default_rng(1000 + n).uniform(0, 2 * np.pi, (count, 2 * n * n))


# ----------------------------------------------------------------------------- workers
# Each builder returns ``grad(params (B, P)) -> (B, P)``, the library's natural way to get B
# gradients; building it (circuit, device, jit wrapper) is part of the timed work.
def ebp_builder(n: int, engine: str = "auto"):
    import ebp
    import ebp.sim._simulate as simulate_module
    from ebp.ansatz import hardware_efficient

    ebp.enable_x64()
    simulate_module.ENGINE = engine
    circuit = hardware_efficient(1, n - 1, n)
    return lambda params: np.asarray(ebp.gradient(circuit, params, "Z0").block_until_ready())


def lightning_builder(n: int):
    grad = lightning_gradient(n)
    return lambda params: np.asarray([grad(p) for p in params])


def qulacs_builder(n: int):
    from qulacs import Observable, ParametricQuantumCircuit

    circuit = ParametricQuantumCircuit(n)
    for _ in range(n):
        for w in range(n):
            circuit.add_parametric_RY_gate(w, 0.0)
            circuit.add_parametric_RZ_gate(w, 0.0)
        for w in range(n - 1):
            circuit.add_CZ_gate(w, w + 1)
    obs = Observable(n)
    obs.add_operator(1.0, "Z 0")

    def grad(params):
        out = []
        for p in params:
            for i, v in enumerate(p):
                circuit.set_parameter(i, -v)  # qulacs' rotations are exp(+iθP/2)
            out.append(-np.asarray(circuit.backprop(obs)))
        return np.asarray(out)

    return grad


def tensorcircuit_builder(n: int):
    import jax
    import tensorcircuit as tc

    tc.set_backend("jax")
    tc.set_dtype("complex128")

    def layer(state, p):
        c = tc.Circuit(n, inputs=state)
        for w in range(n):
            c.ry(w, theta=p[w, 0])
            c.rz(w, theta=p[w, 1])
        for w in range(n - 1):
            c.cz(w, w + 1)
        return c.state(), None

    def energy(p):
        state = jax.numpy.zeros(2**n, dtype=jax.numpy.complex128).at[0].set(1.0)
        state, _ = jax.lax.scan(layer, state, p.reshape(n, n, 2))
        return jax.numpy.real(tc.Circuit(n, inputs=state).expectation_ps(z=[0]))

    vvag = jax.jit(tc.backend.vectorized_value_and_grad(energy))
    return lambda params: np.asarray(vvag(params)[1])


BUILDERS = {
    "ebp": ebp_builder,
    "ebp-flat": lambda n: ebp_builder(n, "flat"),
    "ebp-fused": lambda n: ebp_builder(n, "fused"),
    "lightning": lightning_builder,
    "qulacs": qulacs_builder,
    "tensorcircuit": tensorcircuit_builder,
}
SEQUENTIAL = ("lightning", "qulacs")  # one call per vector: steady state timed on fewer
IMPORTS = {
    "ebp": ("ebp", "ebp.sim", "ebp.ansatz"),
    "lightning": ("pennylane",),
    "qulacs": ("qulacs",),
    "tensorcircuit": ("jax", "tensorcircuit"),
}  # imported before the clock starts


def _worker_main(lib: str, n: int, mode: str, folder: str, repeats: int) -> None:
    params = np.load(f"{folder}/params.npy")
    if mode == "first":
        params = params[:1]
    for module in IMPORTS[lib.split("-")[0]]:
        importlib.import_module(module)
    t0, c0 = time.perf_counter(), time.process_time()
    grad = BUILDERS[lib](n)
    grads = grad(params)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if mode == "steady":  # best of `repeats` warm runs, per gradient
        rows = params[:10] if lib in SEQUENTIAL else params
        seconds, cpu = best_seconds(lambda: grad(rows), repeats) / len(rows), float("nan")
    np.save(f"{folder}/grads.npy", grads)
    print(json.dumps({"seconds": seconds, "cpu": cpu}))


def measure(lib: str, n: int, mode: str, params: np.ndarray, env=None, repeats: int = 2):
    """Run one worker in a fresh interpreter; returns (seconds, cpu seconds, gradients)."""
    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/params.npy", params)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", lib, str(n), mode, tmp, str(repeats)],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if done.returncode:
            sys.exit(f"{lib} n={n} {mode} failed:\n{done.stderr[-3000:]}")
        out = json.loads(done.stdout.strip().splitlines()[-1])
        return out["seconds"], out["cpu"], np.load(f"{tmp}/grads.npy")


# ----------------------------------------------------------------------------- ansatz latency
_LATENCY_SCRIPT = """
import json, sys, time, numpy as np
t_import = time.perf_counter()
import ebp
import ebp.sim
from ebp.ansatz import ANSATZ
ebp.enable_x64()
sys.path.insert(0, {bench!r})
from bench_peers import make_circuit
t_import = time.perf_counter() - t_import
out = {{"import_s": t_import}}
for tag, (name, n, depth) in (("first", {first!r}), ("second", {second!r})):
    c = make_circuit(name, n, depth)
    p = np.random.default_rng(7).uniform(0, 2 * np.pi, c.n_params)
    t0 = time.perf_counter()
    ebp.gradient(c, p, "Z0").block_until_ready()
    out[tag] = time.perf_counter() - t0
print(json.dumps(out))
"""


def make_circuit(name: str, n: int, depth: int):
    """An ansatz of ebp, or ``random`` (registered one- and two-qubit gates on random wires)."""
    from ebp.ansatz import ANSATZ
    from ebp.circuit import GATES, CircuitBuilder

    n_v = max(1, n // 2)
    if name == "pauli_network":
        return ANSATZ[name](n_v, n - n_v, depth, seed=0)
    if name == "bounded_cut":
        return ANSATZ[name](n_v, n - n_v, depth, cut_gates=min(depth, 2))
    if name != "random":
        return ANSATZ[name](n_v, n - n_v, depth)
    rng = np.random.default_rng([n, depth])
    names = sorted(g for g, s in GATES.items() if s.n_wires in (1, 2))
    b = CircuitBuilder(n_v, n - n_v)
    for _ in range(depth):
        b.layer()
        for _ in range(n):
            g = str(rng.choice(names))
            wires = [int(w) for w in rng.permutation(n)[: GATES[g].n_wires]]
            b.gate(g, wires)
    return b.build()


def latency(name: str, n: int, depth: int, second: tuple, cache: str) -> dict:
    script = _LATENCY_SCRIPT.format(
        bench=os.path.dirname(os.path.abspath(__file__)), first=(name, n, depth), second=second
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "EBP_CACHE_DIR": cache},
        check=False,
    )
    if done.returncode:
        sys.exit(f"latency {name} n={n} depth={depth} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- tables
def markdown(result: dict) -> str:
    """The two tables of docs/benchmarks.md from the JSON this script writes."""
    rows, lat = result["rows"], result["latency"]
    peers = [p for p in PEERS if rows and f"{p}_first" in rows[0]]
    out = [
        "| n | what | ebp | ebp warm cache | "
        + " | ".join(peers)
        + " | ebp / best peer | warm / best peer |",
        "|---:|---|---:|---:|" + "---:|" * len(peers) + "---:|---:|",
    ]
    for r in rows:
        for what, label in (("first", "first gradient s"), ("100", "100 gradients s")):
            cells = [f"{r[f'{p}_{what}']:.3g}" for p in peers]
            out.append(
                f"| {r['n']} | {label} | {r[f'ebp_{what}']:.3g} | "
                f"{r[f'ebp_warm_{what}']:.3g} | "
                + " | ".join(cells)
                + f" | {r[f'ratio_{what}']:.2g} | {r[f'ratio_warm_{what}']:.2g} |"
            )
        cells = [f"{r[f'{p}_steady']:.3g}" for p in peers]
        out.append(
            f"| {r['n']} | steady s/gradient | {r['ebp_fused_steady']:.3g} (fused), "
            f"{r['ebp_flat_steady']:.3g} (flat) | | "
            + " | ".join(cells)
            + f" | {r['ratio_steady']:.2g} (fused), "
            f"{r['ebp_flat_steady'] / min(r[f'{p}_steady'] for p in peers):.2g} (flat) | |"
        )
    diffs = ", ".join(f"{p} {max(r[f'{p}_max_diff'] for r in rows):.1e}" for p in peers)
    out.append("")
    out.append(f"Largest gradient difference to ebp over all n: {diffs}.")
    if lat:
        header = (
            "| ansatz | n | depth | first gradient, cold cache s | warm cache s | "
            "a second circuit, same process s |"
        )
        out += ["", header, "|---|---:|---:|---:|---:|---:|"]
        for e in lat:
            out.append(
                f"| {e['ansatz']} | {e['n']} | {e['depth']} | {e['cold_first']:.2f} | "
                f"{e['warm_first']:.2f} | {e['second_circuit']:.2f} |"
            )
    return "\n".join(out)


# ----------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[6, 10, 14, 18],
        help="sizes of the first table (none: skip it)",
    )
    ap.add_argument(
        "--hundred", type=int, default=100, help="gradients in the '100' column (≤ 10 from n = 18)"
    )
    ap.add_argument("--peers", nargs="+", default=list(PEERS), choices=PEERS)
    ap.add_argument("--skip-ansatz", action="store_true", help="skip the second table")
    ap.add_argument("--ansatz-sizes", type=int, nargs="+", default=[6, 10, 14])
    ap.add_argument(
        "--depths",
        default="1,n,10n",
        help="depths of the second table, in units of n or plain (e.g. '1,n,10n')",
    )
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--tables", default=None, help="print the tables of a JSON file and stop")
    ap.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tables:
        with open(args.tables) as fh:
            print(markdown(json.load(fh)))
        return
    if args.worker:
        lib, n, mode, folder, repeats = args.worker
        _worker_main(lib, int(n), mode, folder, int(repeats))
        return

    print(f"load average at start: {os.getloadavg()}", flush=True)
    rows = []
    for n in args.sizes:
        # From n = 18 on at most 10: tensorcircuit-ng's vmap over 100 gradients at n = 18 asks
        # for 137 GB.
        params = draws(n, args.hundred if n < LARGE else min(args.hundred, 10))
        with tempfile.TemporaryDirectory() as cache:
            cold = {"EBP_CACHE_DIR": cache}
            row = {"n": n}
            row["ebp_first"], _, g_ref = measure("ebp", n, "first", params, cold)
            row["ebp_100"], _, g_ebp = measure("ebp", n, "hundred", params, cold)
            row["ebp_warm_first"], _, _ = measure("ebp", n, "first", params, cold)
            row["ebp_warm_100"], _, _ = measure("ebp", n, "hundred", params, cold)
            row["ebp_flat_steady"], _, _ = measure("ebp-flat", n, "steady", params, cold)
            row["ebp_fused_steady"], _, _ = measure("ebp-fused", n, "steady", params, cold)
        for peer in args.peers:
            no_cache = {"EBP_NO_CACHE": "1"}
            row[f"{peer}_first"], _, g1 = measure(peer, n, "first", params, no_cache)
            row[f"{peer}_100"], _, g = measure(peer, n, "hundred", params, no_cache)
            row[f"{peer}_steady"], _, _ = measure(peer, n, "steady", params, no_cache)
            row[f"{peer}_max_diff"] = float(
                max(np.max(np.abs(g - g_ebp[: len(g)])), np.max(np.abs(g1 - g_ref)))
            )
        for what in ("first", "100", "steady"):
            best = min(row[f"{p}_{what}"] for p in args.peers)
            ours = row["ebp_fused_steady"] if what == "steady" else row[f"ebp_{what}"]
            row[f"ratio_{what}"] = ours / best
        row["ratio_warm_first"] = row["ebp_warm_first"] / min(row[f"{p}_first"] for p in args.peers)
        row["ratio_warm_100"] = row["ebp_warm_100"] / min(row[f"{p}_100"] for p in args.peers)
        rows.append(row)
        print(json.dumps(row), flush=True)

    latencies = []
    if not args.skip_ansatz:
        for n in args.ansatz_sizes:
            for name in (
                "hardware_efficient",
                "brickwork",
                "bounded_cut",
                "pauli_network",
                "random",
            ):
                depths = {
                    int(d[:-1] or 1) * n if d.endswith("n") else int(d)
                    for d in args.depths.split(",")
                }
                if name == "pauli_network":  # 3n + 9n(n−1)/2 rotations a layer: n is deep
                    depths = {min(d, n) for d in depths}
                depths = sorted(depths)
                for depth in depths:
                    second = ("random" if name != "random" else "brickwork", n, max(1, depth // 2))
                    with tempfile.TemporaryDirectory() as cache:
                        cold = latency(name, n, depth, second, cache)
                        warm = latency(name, n, depth, second, cache)
                    entry = {
                        "ansatz": name,
                        "n": n,
                        "depth": depth,
                        "cold_first": cold["first"],
                        "warm_first": warm["first"],
                        "second_circuit": cold["second"],
                        "import_s": cold["import_s"],
                    }
                    latencies.append(entry)
                    print(json.dumps(entry), flush=True)
    print(f"load average at end: {os.getloadavg()}", flush=True)
    result = {"rows": rows, "latency": latencies, "load_average_end": os.getloadavg()}
    print(markdown(result))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)


if __name__ == "__main__":
    main()
