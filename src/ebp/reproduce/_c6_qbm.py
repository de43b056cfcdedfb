"""C6: quantum Boltzmann machines can suffer the same, under stronger assumptions on the V–H
coupling.

Evidence: for the paper's normalised random 2-local QBM, the visible marginal σ_V approaches
I/d_V as n_H grows (typicality scale ½√(d_V/d_H)) and gradients along terms that act on H
shrink; a structured (Ising-chain) coupling keeps them; and switching on a strong random
coupling g drives σ_V towards I/d_V.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ._claim import Claim, FigureRef, Tables
from ._evidence import decay_check, paired_check, slope_text
from ._verdict import Verdict, claim_verdict, missing

__all__ = ["CLAIM"]

RANDOM = "paper"
"""The QBM with random all-to-all V–H coupling (qbm-gradient-by-term's name for it)."""
STRUCTURED = "ising"
"""The control: a transverse-field Ising chain (local, structured coupling)."""
TERM = "coupling"
"""Term class whose gradient is fitted (the V–H coupling terms)."""
BETA = 1.0
"""Inverse temperature of the typicality fit."""
DECAY = -0.25
"""Threshold on the slope of log₂ (mean T) and log₂ (RMS gradient) per hidden qubit: half of
the typicality rate −½ (T ∝ √(d_V/d_H))."""
COUPLED = 1.0
"""Threshold on log₂ [T(g_min) / T(g_max)] for the random model at the largest n_H: switching
on the strong coupling at least halves the distance of σ_V from I/d_V."""

RULES = f"""\
1. qbm-typicality, β = {BETA:g}: slope of log₂ (mean T) against n_H, 95 % interval entirely
   below {DECAY} → holds; entirely above → not supported.
2. qbm-gradient-by-term, model {RANDOM}: slope of log₂ (mean RMS gradient of the {TERM} terms)
   against n_H, entirely below {DECAY} → holds; entirely above → not supported.
3. Stronger assumption needed: the same slope for the structured {STRUCTURED} chain entirely
   above {DECAY} → holds; entirely below (structure does not protect) → not supported.
4. qbm-coupling, random model at its largest n_H: per instance, log₂ T(smallest g) −
   log₂ T(largest g), bootstrap 95 % interval of the mean entirely above {COUPLED} → holds;
   entirely below → not supported.
Otherwise, or fewer than 3 sizes → inconclusive. All must hold for "holds"."""


def _typicality(tables: Tables):
    df = tables["qbm-typicality"]
    sub = df[np.isclose(df["beta"], BETA)]
    if "curve" in sub:
        sub = sub[sub["curve"].astype(bool)]
    g = sub.groupby("n_hidden")
    return g["trace_distance"].mean().to_frame("T").assign(scale=g["typicality_scale"].first())


def _term_gradient(tables: Tables, model: str):
    df = tables["qbm-gradient-by-term"]
    sub = df[(df["model"] == model) & (df["term_class"] == TERM)]
    g = sub.groupby("n_hidden")
    return g["rms_gradient"].mean().to_frame("rms").assign(scale=g["two_design_scale"].first())


def _coupling_check(tables: Tables):
    name = "strong random coupling drives σ_V to I/d_V"
    df = tables["qbm-coupling"]
    sub = df[df["model"] == "random"]
    if sub.empty or sub["coupling"].nunique() < 2:
        return missing(name, "fewer than 2 couplings for the random model")
    n_h = int(sub["n_hidden"].max())
    at = sub[sub["n_hidden"] == n_h]
    g_lo, g_hi = float(at["coupling"].min()), float(at["coupling"].max())
    t = at.pivot_table(index="instance", columns="coupling", values="distance_to_mixed")
    diff = np.log2(t[g_lo]) - np.log2(t[g_hi])
    check = paired_check(name, diff.to_numpy(), COUPLED, unit=" bits")
    return replace(check, value=f"n_H = {n_h}, g = {g_lo:g} vs {g_hi:g}: log₂ ratio {check.value}")


def _further_numbers(tables: Tables) -> list[tuple[str, str]]:
    """Slopes reported beside the checks: the other term classes, and Var‖∇‖∞ per β."""
    extra = []
    byterm = tables["qbm-gradient-by-term"]
    for (model, cls), g in byterm.groupby(["model", "term_class"]):
        if (model, cls) in ((RANDOM, TERM), (STRUCTURED, TERM)):
            continue
        m = g.groupby("n_hidden")["rms_gradient"].mean()
        extra.append(
            (f"{model}, {cls} terms: slope of log₂ RMS gradient", slope_text(m.index, m.to_numpy()))
        )
    typ_df = tables["qbm-typicality"]
    for beta, g in typ_df.groupby("beta"):
        v = g.groupby("n_hidden")["grad_inf_norm"].var(ddof=1)
        extra.append(
            (
                f"qbm-typicality β = {beta:g}: slope of log₂ Var‖∇‖∞",
                slope_text(v.index, v.to_numpy()),
            )
        )
    return extra


def judge(tables: Tables) -> Verdict:
    """The C6 verdict from the three QBM tables (rules: RULES)."""
    typ = _typicality(tables)
    rand, struct = _term_gradient(tables, RANDOM), _term_gradient(tables, STRUCTURED)
    checks = [
        decay_check("σ_V approaches I/d_V as n_H grows", typ, "T", DECAY, "below", theory="scale"),
        decay_check(
            f"{TERM}-term gradients decay ({RANDOM} QBM)",
            rand,
            "rms",
            DECAY,
            "below",
            theory="scale",
        ),
        decay_check(
            f"{TERM}-term gradients kept ({STRUCTURED} chain)", struct, "rms", DECAY, "above"
        ),
        _coupling_check(tables),
    ]
    return claim_verdict(
        "C6",
        checks,
        holds="for randomly coupled QBMs the visible marginal and the coupling gradients "
        "flatten with n_H, while a structured coupling keeps its gradients",
        extra=_further_numbers(tables),
    )


CLAIM = Claim(
    id="C6",
    title="Quantum Boltzmann machines, under stronger coupling assumptions",
    statement=(
        "Similar problems can happen with quantum Boltzmann machines, although stronger "
        "assumptions on the coupling between the hidden and visible subspaces are necessary."
    ),
    studies=("qbm-typicality", "qbm-gradient-by-term", "qbm-coupling"),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "qbm-typicality",
            "qbm_trace_distance_vs_dhidden.png",
            "Distance of the visible marginal σ_V from I/2 against d_H for the random "
            "2-local QBM, under the typicality scale ½√(d_V/d_H).",
        ),
        FigureRef(
            "qbm-gradient-by-term",
            "qbm_gradient_by_term.png",
            "Gradient size per term class against n_H: terms acting on H fall "
            "exponentially in the random model; the Ising chain keeps all of them.",
        ),
        FigureRef(
            "qbm-coupling",
            "qbm_coupling_vs_g.png",
            "Distance of σ_V from I/d_V and gradient size against the V–H coupling g: "
            "weak or structured couplings keep both, strong random ones flatten both.",
        ),
    ),
)
