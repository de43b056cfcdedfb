"""Validate the verdict rules of ebp diagnose on seeds never used to design them.

Prints one line per (circuit, seed): the verdict and the readings behind it, then a table of
verdicts per circuit across the seeds. The expectations come from the gradient-scaling picture
(arXiv:2010.15968, claim C3): volume-law circuits (brickwork, hardware-efficient with depth
growing with n) move from trainable to barren as depth and n_hidden grow; circuits with a bounded
V|H cut (bounded_cut, decoupled) stay trainable at every n_hidden.

    PYTHONPATH=src python benchmarks/validate_diagnose.py --seeds 101-110 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time

from ebp.ansatz import bounded_cut, brickwork, decoupled, hardware_efficient

SAMPLES = 100

BUILDERS = {
    # name: (builder(n_hidden), expected verdict of its scaling with n_hidden)
    "brickwork 2(n+1) layers": (lambda n: brickwork(1, n, 2 * (n + 1)), "barren"),
    "hardware_efficient 4(n+1) layers": (
        lambda n: hardware_efficient(1, n, 4 * (n + 1)),
        "barren",
    ),
    "brickwork 1 layer": (lambda n: brickwork(1, n, 1), "trainable"),
    "bounded_cut 2(n+1) layers, 1 cut gate": (
        lambda n: bounded_cut(1, n, 2 * (n + 1), 1),
        "trainable",
    ),
    "decoupled 3 layers": (lambda n: decoupled(1, n, 3), "trainable"),
}

SINGLE = {
    # name: circuit factory, expected verdict (None: not stated by the picture; "not barren")
    "brickwork n_H=5 L=1": (lambda: brickwork(1, 5, 1), "trainable"),
    "brickwork n_H=2 L=6": (lambda: brickwork(1, 2, 6), None),
    "brickwork n_H=5 L=12": (lambda: brickwork(1, 5, 12), "barren"),
    "hardware_efficient n_H=5 L=1": (lambda: hardware_efficient(1, 5, 1), "trainable"),
    "hardware_efficient n_H=3 L=8": (lambda: hardware_efficient(1, 3, 8), None),
    "hardware_efficient n_H=5 L=24": (lambda: hardware_efficient(1, 5, 24), "barren"),
    "bounded_cut n_H=5": (lambda: bounded_cut(1, 5, 12, 1), "not barren"),
    "bounded_cut n_H=6": (lambda: bounded_cut(1, 6, 14, 1), "not barren"),
    "bounded_cut n_H=8": (lambda: bounded_cut(1, 8, 18, 1), "trainable"),
    "decoupled n_H=5": (lambda: decoupled(1, 5, 12), "trainable"),
    "decoupled n_H=6": (lambda: decoupled(1, 6, 14), "trainable"),
}


def _seeds(text: str) -> list[int]:
    lo, _, hi = text.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def _ok(verdict: str, expected: str | None) -> str:
    if expected is None:
        return ""
    if expected == "not barren":
        return "ok" if verdict != "barren" else "FAIL"
    return "ok" if verdict == expected else "FAIL"


def main() -> None:
    import ebp
    from ebp import diagnose

    ebp.enable_x64()

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="101-110")
    parser.add_argument("--json", default=None)
    parser.add_argument("--only", default="", help="run only names containing this text")
    args = parser.parse_args()
    rows = []
    for seed in _seeds(args.seeds):
        for name, (make, expected) in SINGLE.items():
            if args.only not in name:
                continue
            t0 = time.perf_counter()
            d = diagnose(make(), "Z0", samples=SAMPLES, seed=seed, lipschitz_steps=0)
            rows.append(
                {
                    "kind": "single",
                    "name": name,
                    "seed": seed,
                    "verdict": d.verdict,
                    "expected": expected,
                    "ok": _ok(d.verdict, expected),
                    "reason": d.reason,
                }
            )
            print(
                f"{seed} {name:40s} {d.verdict:10s} {rows[-1]['ok']:4s} "
                f"{time.perf_counter() - t0:5.1f}s  {d.reason}",
                flush=True,
            )
        for name, (builder, expected) in BUILDERS.items():
            if args.only not in name:
                continue
            t0 = time.perf_counter()
            d = diagnose(
                builder(5),
                "Z0",
                samples=SAMPLES,
                seed=seed,
                builder=builder,
                hidden_sizes=(1, 2, 3, 4, 5),
                lipschitz_steps=0,
            )
            s = d.scaling
            rows.append(
                {
                    "kind": "scaling",
                    "name": name,
                    "seed": seed,
                    "verdict": d.verdict,
                    "expected": expected,
                    "ok": _ok(d.verdict, expected),
                    "reason": d.reason,
                    "slope": s.slope,
                    "slope_err": s.slope_err,
                    "theory_slope": s.theory_slope,
                    "variance": list(s.variance),
                }
            )
            print(
                f"{seed} {name:40s} {d.verdict:10s} {rows[-1]['ok']:4s} "
                f"{time.perf_counter() - t0:5.1f}s  {d.reason}",
                flush=True,
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    print("\n| circuit | expected | " + " | ".join(str(s) for s in _seeds(args.seeds)) + " |")
    names = list(dict.fromkeys((r["kind"], r["name"]) for r in rows))
    for kind, name in names:
        mine = [r for r in rows if r["name"] == name and r["kind"] == kind]
        cells = [r["verdict"] + ("" if r["ok"] != "FAIL" else " ✗") for r in mine]
        label = f"{name} ({'builder' if kind == 'scaling' else 'one size'})"
        print(f"| {label} | {mine[0]['expected'] or '—'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
