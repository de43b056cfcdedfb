"""C1: volume-law entanglement between V and H makes a model unsuitable for learning.

Evidence: every bounded visible objective obeys |Tr(Oρ_V) − Tr(O)/d_V| ≤ ‖O‖·‖ρ_V − I/d_V‖₁,
and ‖ρ_V − I/d_V‖₁ ≤ √(2 ln 2 (log₂ d_V − S(ρ_V))) (Pinsker), so near-maximal S(ρ_V) pins the
cost at Tr(O)/d_V. Measured: both inequalities on every sample, and the decay of Var[C(θ)] with
n_H for a volume-law circuit against an area-law control.
"""

from __future__ import annotations

from ._claim import Claim, FigureRef, Tables
from ._evidence import decay_check, slope_text
from ._verdict import Verdict, bound_check, claim_verdict

__all__ = ["CLAIM"]

VOLUME_LAW = "brickwork"
"""The volume-law model (deep SU(4) brickwork, 3n layers)."""
AREA_LAW = "bounded_cut"
"""The area-law control (one gate across the V|H cut)."""
OBJECTIVE = "local_pauli"
"""The objective whose cost variance is fitted (⟨Z₀⟩)."""
DECAY = -0.5
"""Threshold on the slope of log₂ Var[C] per hidden qubit: half the Haar rate (−1)."""
TOLERANCE = 1e-9
"""Relative slack allowed on the inequalities (floating point)."""

RULES = f"""\
1. Bound: every sample of cost-concentration has |C − Tr(O)/d_V| ≤ ‖O‖·‖ρ_V − I/d_V‖₁
   (up to {TOLERANCE:g} relative); any violation → not supported.
2. Pinsker: every instance of the entanglement study has 2T ≤ √(2 ln2 (log₂ d_V − S)); any
   violation → not supported.
3. Volume law concentrates: slope of log₂ Var[C] against n_H for {VOLUME_LAW} ({OBJECTIVE},
   n_V = 1), 95 % interval entirely below {DECAY} → holds; entirely above → not supported.
4. Area-law control does not: the same slope for {AREA_LAW} entirely above {DECAY} → holds;
   entirely below (the control concentrates too, so entanglement is not the cause) → not
   supported.
Any other outcome, or fewer than 3 sizes, → inconclusive. All checks must hold for "holds"."""


def _cost_variance(cc, model: str):
    sub = cc[(cc["model"] == model) & (cc["objective"] == OBJECTIVE)]
    g = sub.groupby("n_hidden")
    return g["cost"].var(ddof=1).to_frame("var").assign(haar=g["cost_var_haar"].first())


def judge(tables: Tables) -> Verdict:
    """The C1 verdict from the cost-concentration and entanglement tables (rules: RULES)."""
    cc, ent = tables["cost-concentration"], tables["entanglement"]
    over = cc["deviation"] > cc["deviation_bound"] * (1 + TOLERANCE) + 1e-12
    pinsker = 2 * ent["trace_distance"] > ent["pinsker_bound"] * (1 + TOLERANCE) + 1e-12
    checks = [
        bound_check("cost within the entanglement bound", int(over.sum()), len(cc)),
        bound_check("Pinsker bound on ρ_V", int(pinsker.sum()), len(ent)),
        decay_check(
            f"Var[C] decays for {VOLUME_LAW}",
            _cost_variance(cc, VOLUME_LAW),
            "var",
            DECAY,
            "below",
            theory="haar",
        ),
        decay_check(
            f"Var[C] does not decay for {AREA_LAW}",
            _cost_variance(cc, AREA_LAW),
            "var",
            DECAY,
            "above",
        ),
    ]
    extra = []
    for model in sorted(set(cc["model"]) - {VOLUME_LAW, AREA_LAW}):
        v = _cost_variance(cc, model)
        extra.append((f"slope of log₂ Var[C], {model}", slope_text(v.index, v["var"])))
    return claim_verdict(
        "C1",
        checks,
        holds="the cost of the volume-law circuit concentrates at Tr(O)/d_V as n_H grows, "
        "within the entanglement bound, while the area-law control's does not",
        extra=extra,
    )


CLAIM = Claim(
    id="C1",
    title="Volume law makes models unsuitable for learning",
    statement=(
        "Quantum neural networks whose visible and hidden units satisfy a volume law in the "
        "entanglement entropy give models not suitable for learning with high probability: "
        "ρ_V is close to I/d_V, so every bounded objective on the visible units is pinned."
    ),
    studies=("cost-concentration", "entanglement"),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "cost-concentration",
            "cost_variance.png",
            "Var[C(θ)] against n_H per model, with the Haar value (dashed). The volume-law "
            "circuits follow the Haar line down; the area-law and decoupled controls stay "
            "flat.",
        ),
        FigureRef(
            "cost-concentration",
            "cost_deviation_bound.png",
            "Every sample's deviation |C − Tr(O)/d_V| against its bound ‖O‖·‖ρ_V − I/d_V‖₁: "
            "all points lie under the diagonal.",
        ),
        FigureRef(
            "entanglement",
            "trace_distance_vs_dhidden.png",
            "T = ½‖ρ_V − I/2‖₁ against d_H at d_V = 2, with the typicality bound "
            "½√(d_V/d_H): volume-law ensembles fall along it, area-law circuits do not.",
        ),
    ),
)
