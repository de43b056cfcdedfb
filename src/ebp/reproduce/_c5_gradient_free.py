"""C5: gradient-free methods fail too, because cost differences drop below shot noise.

Evidence: for candidate pairs θ + σz, θ + σz′ (what every gradient-free optimiser compares), the
fraction whose exact cost difference exceeds the shot noise of that difference; and the success
of SPSA at a fixed shot budget, for a volume-law circuit and an area-law control.
"""

from __future__ import annotations

from ._claim import Claim, FigureRef, Tables
from ._evidence import (
    per_size_text,
    pooled_rate,
    rate_gap_check,
    size_groups,
    success_counts,
)
from ._stats import binomial_rate
from ._verdict import Check, Verdict, claim_verdict, missing

__all__ = ["CLAIM"]

VOLUME_LAW = "brickwork"
AREA_LAW = "bounded_cut"
METHOD = "spsa"
"""The gradient-free method judged on training (the others are reported)."""
PAIR_GAP = 0.1
"""Threshold on a difference of resolvable fractions (10 points; hundreds of pairs each)."""
RUN_GAP = 0.2
"""Threshold on a difference of success rates (20 points)."""

RULES = f"""\
Data: gradient-free-failure. A pair is resolvable when |ΔC| exceeds the shot-noise standard
deviation of ΔC (ratio > 1). Fractions and success rates get Wilson 95 % intervals, their
differences Newcombe's.
1. Resolvable fraction of {VOLUME_LAW} at the smallest n_H minus at the largest n_H: interval
   entirely above {PAIR_GAP} → holds; entirely below → not supported.
2. Resolvable fraction of {AREA_LAW} minus {VOLUME_LAW}, at the largest n_H: entirely above
   {PAIR_GAP} → holds; entirely below → not supported.
3. {METHOD} training: success of {AREA_LAW} minus {VOLUME_LAW}, pooled over the larger half of
   the n_H values: entirely above {RUN_GAP} → holds; entirely below → not supported.
Otherwise, or fewer than 2 sizes → inconclusive. All must hold for "holds"."""


def _resolvable(pairs, model: str, n_h: int):
    r = pairs[(pairs["model"] == model) & (pairs["n_hidden"] == n_h)]["ratio"].dropna()
    return binomial_rate(int((r > 1).sum()), int(r.size))


def _pair_checks(pairs) -> list[Check]:
    """Rules 1 and 2: fewer resolvable pairs at the largest n_H than at the smallest, and
    fewer than the area-law control's."""
    sizes = sorted(set(pairs[pairs["model"] == VOLUME_LAW]["n_hidden"]))
    if len(sizes) < 2:
        return [missing("resolvable pairs", f"{len(sizes)} sizes with pairs")]
    lo_h, hi_h = sizes[0], sizes[-1]
    return [
        rate_gap_check(
            f"fewer resolvable pairs for {VOLUME_LAW} at n_H = {hi_h} than {lo_h}",
            _resolvable(pairs, VOLUME_LAW, lo_h),
            _resolvable(pairs, VOLUME_LAW, hi_h),
            PAIR_GAP,
        ),
        rate_gap_check(
            f"{AREA_LAW} resolves more pairs than {VOLUME_LAW} at n_H = {hi_h}",
            _resolvable(pairs, AREA_LAW, hi_h),
            _resolvable(pairs, VOLUME_LAW, hi_h),
            PAIR_GAP,
        ),
    ]


def _training_check(runs) -> Check:
    """Rule 3: the method trains the area-law control and not the volume-law circuit."""
    method = runs[runs["optimiser"] == METHOD]
    run_sizes = sorted(set(method["n_hidden"]))
    if len(run_sizes) < 2:
        return missing(f"{METHOD} training", f"{len(run_sizes)} sizes with runs")
    _, large = size_groups(run_sizes)
    return rate_gap_check(
        f"{METHOD} trains {AREA_LAW} but not {VOLUME_LAW} (n_H {large})",
        pooled_rate(method[method["model"] == AREA_LAW], large),
        pooled_rate(method[method["model"] == VOLUME_LAW], large),
        RUN_GAP,
    )


def _further_numbers(pairs, runs) -> list[tuple[str, str]]:
    """Resolvable fractions and successes of every model and optimiser, per n_H."""
    resolvable = [
        (
            f"resolvable fraction, {model}",
            per_size_text(g, lambda s: f"{float((s['ratio'].dropna() > 1).mean()):.2f}"),
        )
        for model, g in pairs.groupby("model")
    ]
    successes = [
        (f"successes, {model}, {opt}", success_counts(g))
        for (model, opt), g in runs.groupby(["model", "optimiser"])
    ]
    return resolvable + successes


def judge(tables: Tables) -> Verdict:
    """The C5 verdict from the gradient-free-failure table (rules: RULES)."""
    df = tables["gradient-free-failure"]
    pairs = df[df["kind"] == "pair"]
    pair_checks = _pair_checks(pairs)
    runs = df[df["kind"] == "run"]
    return claim_verdict(
        "C5",
        [*pair_checks, _training_check(runs)],
        holds="under volume-law entanglement the cost differences a gradient-free optimiser "
        "compares sink below shot noise, and SPSA fails where it trains the area-law control",
        extra=_further_numbers(pairs, runs),
    )


CLAIM = Claim(
    id="C5",
    title="Gradient-free methods fail",
    statement=(
        "The plateau also defeats gradient-free optimisers (Nelder–Mead, COBYLA, SPSA, CMA-ES "
        "under a shot budget): the cost differences they compare fall below the shot noise."
    ),
    studies=("gradient-free-failure",),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "gradient-free-failure",
            "gradient_free_cost_differences.png",
            "Ratio of the cost difference between two candidate points to its shot noise, "
            "and the fraction above 1, against n_H: it falls for the volume-law brickwork "
            "and stays for bounded_cut.",
        ),
        FigureRef(
            "gradient-free-failure",
            "gradient_free_success.png",
            "Success rates of the gradient-free optimisers at a fixed shot budget "
            "against n_H (95 % Wilson bars).",
        ),
    ),
)
