"""C4: gradient descent fails under volume-law entanglement, and not under an area law.

Evidence: Adam with shot-noise gradients on the same learning task (a random visible state,
which every circuit can represent) and the same budget: its success rate against n_H for a
volume-law circuit and for an area-law control of the same depth.
"""

from __future__ import annotations

from ._claim import Claim, FigureRef, Tables
from ._evidence import pooled_rate, rate_gap_check, size_groups, success_counts
from ._verdict import Verdict, claim_verdict, combine, missing

__all__ = ["CLAIM"]

VOLUME_LAW = "brickwork"
"""The volume-law model (deep SU(4) brickwork)."""
AREA_LAW = "bounded_cut"
"""The area-law control (same depth, one gate across the cut)."""
OPTIMISER = "adam"
MODE = "shots"
"""Runs judged: Adam with shot-noise gradient estimates (exact-gradient runs are reported)."""
GAP = 0.2
"""Threshold on a difference of success rates (20 percentage points)."""

RULES = f"""\
Data: training-failure, {OPTIMISER} with {MODE} ("run" rows). Sizes are split into the smaller
and the larger half of the n_H values; success rates are pooled over each half (Wilson 95 %
intervals), differences get Newcombe's 95 % interval.
1. Failure grows with n_H: rate({VOLUME_LAW}, small n_H) − rate({VOLUME_LAW}, large n_H),
   interval entirely above {GAP} → holds; entirely below → not supported.
2. Entanglement is the cause: rate({AREA_LAW}, large n_H) − rate({VOLUME_LAW}, large n_H),
   interval entirely above {GAP} → holds; entirely below → not supported.
Otherwise, or fewer than 2 sizes → inconclusive. Both must hold for "holds"."""


def judge(tables: Tables) -> Verdict:
    """The C4 verdict from the training-failure table (rules: RULES)."""
    df = tables["training-failure"]
    runs = df[(df["kind"] == "run") & (df["optimiser"] == OPTIMISER)]
    shots = runs[runs["mode"] == MODE]
    vol, area = shots[shots["model"] == VOLUME_LAW], shots[shots["model"] == AREA_LAW]
    sizes = sorted(set(vol["n_hidden"]))
    if len(sizes) < 2:
        checks = [missing("success rates", f"{len(sizes)} sizes of {VOLUME_LAW}")]
        return combine(checks, holds="", fails="", unsure="too little data to decide C4")
    small, large = size_groups(sizes)
    checks = [
        rate_gap_check(
            f"{VOLUME_LAW} fails more at n_H {large} than {small}",
            pooled_rate(vol, small),
            pooled_rate(vol, large),
            GAP,
        ),
        rate_gap_check(
            f"{AREA_LAW} succeeds where {VOLUME_LAW} fails (n_H {large})",
            pooled_rate(area, large),
            pooled_rate(vol, large),
            GAP,
        ),
    ]
    extra = [
        (f"successes, {model} ({mode})", success_counts(g))
        for (model, mode), g in runs.groupby(["model", "mode"])
    ]
    return claim_verdict(
        "C4",
        checks,
        holds="with noisy gradients, training of the volume-law circuit fails more and more "
        "as n_H grows, while the area-law control of the same depth keeps succeeding",
        extra=extra,
    )


CLAIM = Claim(
    id="C4",
    title="Gradient descent fails",
    statement=(
        "The entanglement-induced barren plateau makes gradient-descent training fail: success "
        "collapses as n_H grows in the volume-law regime, and not in the area-law regime."
    ),
    studies=("training-failure",),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "training-failure",
            "training_success.png",
            "Success rate against n_H (95 % Wilson bars) for the volume-law brickwork and "
            "the area-law bounded_cut, with shot-noise and exact gradients.",
        ),
        FigureRef(
            "training-failure",
            "training_curves.png",
            "Loss and S(ρ_V) along training: the volume-law runs stay at high S(ρ_V) "
            "and on the plateau.",
        ),
    ),
)
