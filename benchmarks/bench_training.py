"""Shot-noise parameter-shift gradients: ebp's oracle vs PennyLane lightning.qubit, one run.

Circuit: ``ebp.ansatz.hardware_efficient(1, n−1, n)`` (RY, RZ on every qubit then a CZ chain,
per layer); cost ⟨Z₀⟩ estimated from N shots per circuit; gradient by the two-term
parameter-shift rule (2 circuits per parameter, N shots each). ebp computes the 2P shifted
states in one batched call and samples each estimate from the exact outcome probabilities
(:class:`ebp.train.Oracle`); PennyLane runs its ``parameter-shift`` transform on
``lightning.qubit`` with ``shots=N`` (in a fresh subprocess, so the two thread pools do not
compete). Both are unbiased estimates of the same gradient; the script prints the seconds per
gradient of each, their ratio, and the largest deviation of either from the exact gradient in
units of the shot-noise standard error (it should stay below ~5).

Run:  python benchmarks/bench_training.py                 (needs the ``bench`` extra)
      python benchmarks/bench_training.py --sizes 4 6 --repeats 3
"""

from __future__ import annotations

import argparse
import math

import numpy as np

from _pennylane import lightning_gradient
from _timing import in_fresh_process, timed


def ebp_gradients(n: int, theta: np.ndarray, shots: int, repeats: int):
    import ebp
    from ebp.ansatz import hardware_efficient
    from ebp.train import CircuitModel, Oracle, quantum_data_task

    ebp.enable_x64()
    circuit = hardware_efficient(1, n - 1, n)
    # loss ⟨0|ρ_V|0⟩ = (1 + ⟨Z₀⟩)/2: ∂⟨Z₀⟩ = 2 ∂loss
    task = quantum_data_task(np.array([1.0, 0.0]), "infidelity")
    model = CircuitModel(circuit)
    oracle = Oracle(model, task, shots=shots, budget=math.inf, seed=0, base=theta)
    oracle.gradient(theta)  # compile
    grads, seconds = timed(lambda: [-2 * oracle.gradient(theta) for _ in range(repeats)])
    exact = np.asarray(ebp.gradient(circuit, theta, "Z0"))
    return np.asarray(grads), seconds / repeats, exact


def lightning_gradients(n: int, theta: np.ndarray, shots: int, repeats: int):
    grad = lightning_gradient(n, "parameter-shift", shots)
    grad(theta)  # warm-up
    grads, seconds = timed(lambda: [grad(theta) for _ in range(repeats)])
    return np.asarray(grads), seconds / repeats


def lightning_in_subprocess(n, theta, shots, repeats):
    """:func:`lightning_gradients` in a fresh process (its thread pool and JAX's do not meet)."""
    out = in_fresh_process(__file__, "--lightning-worker", {"theta": theta}, n, shots, repeats)
    return out["grads"], float(out["seconds"])


def _max_z(grads, exact, shots):
    """Largest |mean − exact| / standard error over parameters (the single-shot variance of
    a ±1 outcome is ≤ 1, so the error of one shift difference is ≤ √(2/N)·½)."""
    se = math.sqrt(2.0 / shots) * 0.5 / math.sqrt(len(grads))
    return float(np.max(np.abs(grads.mean(axis=0) - exact)) / se)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[4, 6, 8])
    ap.add_argument("--shots", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--lightning-worker", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.lightning_worker:
        tmp, n, shots, repeats = args.lightning_worker
        theta = np.load(f"{tmp}/theta.npy")
        grads, seconds = lightning_gradients(int(n), theta, int(shots), int(repeats))
        np.save(f"{tmp}/grads.npy", grads)
        np.save(f"{tmp}/seconds.npy", seconds)
        return
    print(
        f"{'n':>3} {'params':>6} {'ebp s/grad':>11} {'lightning s/grad':>17} {'ratio':>7} "
        f"{'max z ebp':>10} {'max z pl':>9}"
    )
    for n in args.sizes:
        theta = np.random.default_rng(n).uniform(0, 2 * np.pi, 2 * n * n)
        g_ebp, t_ebp, exact = ebp_gradients(n, theta, args.shots, args.repeats)
        g_pl, t_pl = lightning_in_subprocess(n, theta, args.shots, args.repeats)
        print(
            f"{n:>3} {theta.size:>6} {t_ebp:>11.4f} {t_pl:>17.4f} {t_pl / t_ebp:>6.1f}x "
            f"{_max_z(g_ebp, exact, args.shots):>10.2f} {_max_z(g_pl, exact, args.shots):>9.2f}"
        )


if __name__ == "__main__":
    main()
