"""C2: the volume law is typical (canonical typicality / measure concentration).

Evidence: Haar-random states and deep random circuits have S(ρ_V) at Page's mean
S_Page(d_V, d_H) ≈ log₂ d_V − d_V/(2 d_H ln 2), and E[T] ≤ ½√(d_V/d_H) for Haar states
(Popescu–Short–Winter, arXiv:quant-ph/0511225).
"""

from __future__ import annotations

from ._claim import Claim, FigureRef, Tables
from ._stats import mean_interval
from ._verdict import Check, Verdict, bound_check, claim_verdict, missing, threshold_check

__all__ = ["CLAIM"]

TYPICAL = ("haar", "brickwork")
"""Ensembles that must sit at Page's value: Haar states and the deep random brickwork
(n layers at n qubits)."""
DEFICIT = 0.1
"""Threshold on (Page − mean S) / min(n_V, n_H), in units of the maximal entropy."""
MIN_SAMPLES = 10
"""Fewest instances behind a mean."""

RULES = f"""\
1. For each of {", ".join(TYPICAL)}, at the largest n of the profile sweep and the balanced cut
   n_V = ⌊n/2⌋: the deficit (S_Page − mean S(ρ_V)) / min(n_V, n_H), 95 % t-interval,
   entirely below {DEFICIT} → holds; entirely above {DEFICIT} → not supported.
2. Typicality bound: for Haar states at each n_H of the T histograms (n_V = 1), the 95 %
   interval of mean T must not lie entirely above ½√(d_V/d_H); a point above it → not
   supported.
Fewer than {MIN_SAMPLES} instances, or an interval containing the threshold → inconclusive."""


def _balanced_cut(profile):
    """The largest n of a model's profile rows and its rows at the balanced cut n_V = ⌊n/2⌋."""
    n = int(profile["n_qubits"].max())
    return n, profile[(profile["n_qubits"] == n) & (profile["n_visible"] == n // 2)]


def _deficit_check(ent, model: str) -> Check:
    name = f"{model} at Page's value"
    prof = ent[(ent["experiment"] == "profile") & (ent["model"] == model)]
    if prof.empty:
        return missing(name, f"no profile rows for {model}")
    n, at = _balanced_cut(prof)
    if len(at) < MIN_SAMPLES:
        return missing(name, f"{len(at)} instances at n = {n} (need {MIN_SAMPLES})")
    page = float(at["page_entropy"].iloc[0])
    top = float(at["max_entropy_bits"].iloc[0])
    m = mean_interval((page - at["entropy_bits"]) / top)
    value = (
        f"n = {n}, n_V = {n // 2}: mean S = {at['entropy_bits'].mean():.3f} bits, Page "
        f"{page:.3f}; deficit {m.mean:+.3f} [{m.lo:+.3f}, {m.hi:+.3f}] of {top:g} bits "
        f"({m.n} instances)"
    )
    return threshold_check(name, value, m.lo, m.hi, DEFICIT, "below")


def _typicality_bound(ent) -> tuple[Check, list[tuple[str, str]]]:
    """Rule 2 on the Haar histograms, and the mean T against its bound at each n_H."""
    hist = ent[(ent["experiment"] == "histogram") & (ent["model"] == "haar")]
    above, points, numbers = 0, 0, []
    for n_h, g in hist.groupby("n_hidden"):
        if len(g) < MIN_SAMPLES:
            continue
        m = mean_interval(g["trace_distance"])
        bound = float(g["mean_trace_distance_bound"].iloc[0])
        points += 1
        above += int(m.lo > bound)
        numbers.append((f"Haar mean T at n_H = {n_h}", f"{m.text('.4f')} vs bound {bound:.4f}"))
    check = bound_check("Haar mean T under ½√(d_V/d_H)", above, points, unit="sizes")
    return check, numbers


def _other_models(ent) -> list[tuple[str, str]]:
    """Mean S(ρ_V) at the balanced cut of the models not judged (reported, not deciding)."""
    prof = ent[ent["experiment"] == "profile"]
    extra = []
    for model in sorted(set(prof["model"]) - set(TYPICAL)):
        n, at = _balanced_cut(prof[prof["model"] == model])
        if len(at):
            extra.append(
                (
                    f"{model}: mean S at n = {n}, n_V = {n // 2}",
                    f"{at['entropy_bits'].mean():.3f} bits (Page "
                    f"{at['page_entropy'].iloc[0]:.3f}, max {at['max_entropy_bits'].iloc[0]:g})",
                )
            )
    return extra


def judge(tables: Tables) -> Verdict:
    """The C2 verdict from the entanglement table (rules: RULES)."""
    ent = tables["entanglement"]
    deficits = [_deficit_check(ent, model) for model in TYPICAL]
    bound, per_size = _typicality_bound(ent)
    return claim_verdict(
        "C2",
        [*deficits, bound],
        holds="Haar states and deep random circuits sit at Page's volume-law value, and the "
        "Haar trace distance obeys the typicality bound",
        extra=per_size + _other_models(ent),
    )


CLAIM = Claim(
    id="C2",
    title="The volume law is typical",
    statement=(
        "Using arguments from quantum thermodynamics (canonical typicality), the volume law is "
        "typical: random states and deep random circuits are volume-law entangled between V "
        "and H."
    ),
    studies=("entanglement",),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "entanglement",
            "entropy_balanced.png",
            "S(ρ_V) at the balanced cut against n, with Page's curve: Haar states and the "
            "deep random circuits sit on it (volume law); bounded_cut stays under its "
            "2k-bit cap (area law).",
        ),
        FigureRef(
            "entanglement",
            "entropy_vs_depth.png",
            "S(ρ_V) against depth: random circuits reach Page's value within a few "
            "layers; k gates across the cut cap it at 2k bits.",
        ),
        FigureRef(
            "entanglement",
            "trace_distance_histograms.png",
            "Distribution of T over the instances: it narrows and moves left as hidden "
            "qubits are added (measure concentration).",
        ),
    ),
)
