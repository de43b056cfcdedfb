"""The visible light cone of wide, shallow circuits: how small it is and how long it takes.

Circuit: ``ebp.ansatz.brickwork(1, n − 1, layers)`` (SU(4) bricks, one layer = even pairs then
odd pairs, so depth = 2·layers) with one visible qubit. For each width n it prints the cone's size
(qubits, gates, parameters kept), the seconds to build the circuit, to reduce it, and to compute
ρ_V and the exact gradient of ⟨Z₀⟩ on the cone (first call, compile included, and a second call),
and checks that every parameter outside the cone gets gradient 0.

Run:  python benchmarks/bench_light_cone.py                      (n = 20, 200, 1000; depth 4)
      python benchmarks/bench_light_cone.py --sizes 200 --layers 3
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 1000])
    parser.add_argument("--layers", type=int, default=2, help="brickwork layers (depth = 2x)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import ebp
    from ebp.ansatz import brickwork
    from ebp.circuit import visible_light_cone

    ebp.enable_x64()
    rng = np.random.default_rng(args.seed)
    print(
        f"{'n':>6} {'cone qubits':>11} {'gates kept':>12} {'params kept':>13} "
        f"{'build s':>8} {'reduce s':>9} {'1st grad s':>11} {'grad s':>8}"
    )
    for n in args.sizes:
        t0 = time.perf_counter()
        circuit = brickwork(1, n - 1, args.layers)
        t1 = time.perf_counter()
        cone = visible_light_cone(circuit)
        t2 = time.perf_counter()
        params = rng.uniform(0, 2 * np.pi, circuit.n_params)
        small = cone.reduce_params(params)
        t3 = time.perf_counter()
        g = np.asarray(ebp.sim.gradient(cone.circuit, small, "Z0"))
        psi = np.asarray(ebp.simulate(cone.circuit, small))
        t4 = time.perf_counter()
        np.asarray(ebp.sim.gradient(cone.circuit, small, "Z0"))
        t5 = time.perf_counter()
        full = cone.expand_gradient(g)
        assert np.all(full[cone.dead_params] == 0) and np.isclose(np.linalg.norm(psi), 1)
        print(
            f"{n:>6} {cone.circuit.n_qubits:>11} "
            f"{len(cone.circuit.operations):>5}/{len(circuit.operations):<6} "
            f"{cone.circuit.n_params:>6}/{circuit.n_params:<6} {t1 - t0:>8.3f} {t2 - t1:>9.4f} "
            f"{t4 - t3:>11.2f} {t5 - t4:>8.3f}"
        )


if __name__ == "__main__":
    main()
