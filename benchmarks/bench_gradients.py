"""Batched adjoint gradients: ebp vs PennyLane lightning.qubit (adjoint), measured in one run.

Circuit: ``ebp.ansatz.hardware_efficient`` (RY, RZ on every qubit then a CZ chain, per layer)
with ``layers = n``; cost ⟨Z₀⟩; ``--samples`` random parameter vectors (uniform on [0, 2π)).
For every n it prints ebp's seconds per gradient (the whole batch in one call, compile excluded;
"1st call" is the first call's wall time: compile plus one run of the batch), lightning.qubit's
seconds per gradient (one QNode call per vector, in a fresh subprocess so that XLA's idle thread
pool cannot slow it down), their ratio, and the largest difference between the two gradients (they
must agree).

Also: compile time of one ebp gradient at n = 18 for several depths, and the peak memory of one
ebp gradient at n = 20, 20 layers (measured in a fresh subprocess as the growth of max RSS).

Run:  python benchmarks/bench_gradients.py            (needs the ``bench`` extra)
      python benchmarks/bench_gradients.py --sizes 6 8 10 --samples 20   (a quick look)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import numpy as np

from _pennylane import lightning_gradient
from _timing import best_seconds, in_fresh_process, timed


def ebp_gradients(n: int, params: np.ndarray) -> tuple[np.ndarray, float, float]:
    import ebp
    from ebp.ansatz import hardware_efficient

    ebp.enable_x64()
    circuit = hardware_efficient(1, n - 1, n)

    def run():
        return ebp.gradient(circuit, params, "Z0").block_until_ready()

    g, first = timed(run)  # compile + first run
    return np.asarray(g), best_seconds(run, 2) / len(params), first


def lightning_gradients(n: int, params: np.ndarray) -> tuple[np.ndarray, float]:
    grad = lightning_gradient(n)
    grad(params[0])  # warm-up
    out, seconds = timed(lambda: [grad(p) for p in params])
    return np.asarray(out), seconds / len(params)


def lightning_in_subprocess(n: int, params: np.ndarray) -> tuple[np.ndarray, float]:
    """:func:`lightning_gradients` in a fresh process, so that neither library's thread pool
    (XLA's stays alive after a JAX call) competes with the other's for the cores."""
    out = in_fresh_process(__file__, "--lightning-worker", {"params": params}, n)
    return out["grads"], float(out["seconds"])


def compile_seconds(n: int, layers: int) -> float:
    import jax

    import ebp
    from ebp.ansatz import hardware_efficient
    from ebp.sim import state_function, zero_state
    from ebp.sim._observables import as_observable, expectation_of_state

    ebp.enable_x64()
    circuit = hardware_efficient(1, n - 1, layers)
    f = state_function(circuit)
    obs = as_observable("Z0", n, 1)
    psi0 = zero_state(n)

    def energy(p):
        return expectation_of_state(obs, f(p, psi0), n, 1)

    p = np.zeros(circuit.n_params)
    return timed(lambda: jax.jit(jax.grad(energy)).lower(p).compile())[1]


_PEAK_SCRIPT = """
import resource, numpy as np, jax, ebp
from ebp.ansatz import hardware_efficient
from ebp.sim import state_function, zero_state
from ebp.sim._observables import as_observable, expectation_of_state
ebp.enable_x64()
n, layers = {n}, {layers}
c = hardware_efficient(1, n - 1, layers)
f, obs, psi0 = state_function(c), as_observable("Z0", n, 1), zero_state(n)
p = np.random.default_rng(0).uniform(0, 6.28, c.n_params)
grad = jax.jit(jax.grad(lambda q: expectation_of_state(obs, f(q, psi0), n, 1)))
mem = grad.lower(p).compile().memory_analysis()
xla = (mem.temp_size_in_bytes + mem.argument_size_in_bytes + mem.output_size_in_bytes) / 2**20
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
grad(p).block_until_ready()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(xla, (after - before) / 1024, 16 * 2**n / 2**20)
"""


def peak_memory_mib(n: int, layers: int) -> tuple[float, float, float]:
    """(XLA's buffer total for one compiled gradient, growth of max RSS while it runs, one state)
    in MiB, from a fresh subprocess."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT.format(n=n, layers=layers)],
        capture_output=True,
        text=True,
        check=True,
    )
    xla, grow, state = (float(v) for v in out.stdout.split())
    return xla, grow, state


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[6, 8, 10, 12, 14, 16, 18])
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument(
        "--lightning-samples",
        type=int,
        default=None,
        help="vectors timed for lightning (default: all; fewer keeps n=18 short)",
    )
    ap.add_argument("--skip-extras", action="store_true", help="skip compile and memory checks")
    ap.add_argument("--json", type=str, default=None, help="also write the results here")
    ap.add_argument("--lightning-worker", nargs=2, metavar=("DIR", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.lightning_worker:
        folder, n = args.lightning_worker
        grads, seconds = lightning_gradients(int(n), np.load(f"{folder}/params.npy"))
        np.save(f"{folder}/grads.npy", grads)
        np.save(f"{folder}/seconds.npy", seconds)
        return

    rows = []
    print(
        f"{'n':>3} {'ebp s/grad':>12} {'lightning s/grad':>17} {'speed-up':>9} "
        f"{'1st call s':>11} {'max |Δgrad|':>12}",
        flush=True,
    )
    for n in args.sizes:
        params = np.random.default_rng(n).uniform(0, 2 * np.pi, (args.samples, 2 * n * n))
        m = args.lightning_samples or args.samples
        g_pl, t_pl = lightning_in_subprocess(n, params[:m])
        g_ebp, t_ebp, first = ebp_gradients(n, params)
        diff = float(np.max(np.abs(g_ebp[:m] - g_pl)))
        rows.append(
            dict(
                n=n,
                ebp_s=t_ebp,
                lightning_s=t_pl,
                speedup=t_pl / t_ebp,
                ebp_first_call_s=first,
                max_abs_diff=diff,
            )
        )
        print(
            f"{n:>3} {t_ebp:>12.3e} {t_pl:>17.3e} {t_pl / t_ebp:>8.2f}x {first:>11.2f} "
            f"{diff:>12.1e}",
            flush=True,
        )

    extras = {}
    if not args.skip_extras:
        extras["compile_s_n18"] = {L: compile_seconds(18, L) for L in (18, 50, 100)}
        print(
            "compile time, one gradient, n=18:",
            ", ".join(f"{L} layers {s:.2f} s" for L, s in extras["compile_s_n18"].items()),
        )
        xla, grow, state = peak_memory_mib(20, 20)
        extras["peak_mib_n20_l20"] = {"xla_buffers": xla, "max_rss_growth": grow}
        print(
            f"memory of one gradient, n=20, 20 layers: XLA buffers {xla:.0f} MiB, max-RSS "
            f"growth while running {grow:.0f} MiB (one state vector: {state:.0f} MiB)"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": rows, **extras}, fh, indent=2)


if __name__ == "__main__":
    main()
