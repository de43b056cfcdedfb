"""C3: barren plateau — gradients of any bounded visible objective shrink like 1/d_H.

Evidence: the variance of ∂C over random parameters, for gates that touch the visible register,
falls as 2^(−n_H) for a 2-design (slope −1 of log₂ Var[∂C] per hidden qubit,
:func:`ebp.theory.two_design_gradient_variance`); an area-law circuit keeps its gradients.
"""

from __future__ import annotations

import math

from ._claim import Claim, FigureRef, Tables
from ._evidence import decay_check, slope_text
from ._stats import log2_slope
from ._verdict import Check, Verdict, claim_verdict, missing, threshold_check

__all__ = ["CLAIM"]

VOLUME_LAW = "brickwork"
"""The volume-law model (SU(4) brickwork, 3n layers: a 2-design around its middle layer)."""
AREA_LAW = "bounded_cut"
"""The area-law control (one gate across the cut)."""
OBJECTIVE = "local_pauli"
"""The objective of the decisive fit (⟨Z₀⟩); the others are reported."""
DECAY = -0.5
"""Threshold on the slope of log₂ Var[∂C] per hidden qubit: half the 2-design rate (−1)."""
THEORY_TOLERANCE = 0.25
"""Largest |fitted − 2-design slope| still called agreement (finite sizes bend the curve)."""

RULES = f"""\
Data: gradient-scaling, experiment n_hidden, n_V = 1, objective {OBJECTIVE}; y = Var[∂C] of the
gates touching V (bootstrap 95 % intervals weight the fit of log₂ y against n_H).
1. {VOLUME_LAW}: slope interval entirely below {DECAY} → holds; entirely above → not supported.
2. Agreement with the 2-design closed form: |slope − theory slope| over the slope's interval
   entirely below {THEORY_TOLERANCE} → holds; entirely above → not supported.
3. Area-law control {AREA_LAW}: slope interval entirely above {DECAY} → holds; entirely below
   (the control's gradients vanish too) → not supported.
Otherwise, or fewer than 3 sizes → inconclusive. All must hold for "holds"."""


def _per_size(gs, model: str, objective: str = OBJECTIVE, n_visible: int = 1):
    """The n_hidden sweep of one model, objective and n_V: one row per n_H."""
    sub = gs[
        (gs["experiment"] == "n_hidden")
        & (gs["n_visible"] == n_visible)
        & (gs["model"] == model)
        & (gs["objective"] == objective)
    ]
    return sub.groupby("n_hidden").first()


def _theory_check(per_size) -> Check:
    name = f"{VOLUME_LAW} slope agrees with the 2-design value"
    ok = per_size[(per_size["probe_var"] > 0) & (per_size["probe_var_2design"] > 0)]
    if ok.index.nunique() < 3:
        return missing(name, f"{ok.index.nunique()} sizes with a 2-design value")
    s = log2_slope(
        ok.index.to_numpy(float),
        ok["probe_var"].to_numpy(float),
        ok["probe_var_lo"].to_numpy(float),
        ok["probe_var_hi"].to_numpy(float),
        theory=ok["probe_var_2design"].to_numpy(float),
    )
    assert s.theory is not None  # theory values were given
    lo, hi = s.lo - s.theory, s.hi - s.theory
    near = 0.0 if lo <= 0 <= hi else min(abs(lo), abs(hi))
    far = max(abs(lo), abs(hi))
    value = f"fit {s.slope:+.2f} [{s.lo:+.2f}, {s.hi:+.2f}], 2-design {s.theory:+.2f}"
    return threshold_check(name, value, near, far, THEORY_TOLERANCE, "below")


def _further_numbers(gs, vol) -> list[tuple[str, str]]:
    """Slopes reported beside the checks: the other objectives, the empirical Lipschitz
    constant, the paper's Fig. 3b quantity and the other visible sizes."""
    extra = []
    for objective in sorted(set(gs["objective"].dropna()) - {OBJECTIVE}):
        v = _per_size(gs, VOLUME_LAW, objective)
        if len(v):
            extra.append(
                (
                    f"{VOLUME_LAW}, {objective}: slope of log₂ Var[∂C]",
                    slope_text(v.index, v["probe_var"]),
                )
            )
    if len(vol):
        extra.append(
            (
                f"{VOLUME_LAW}: slope of log₂ (largest sampled ‖∇C‖), the empirical "
                "Lipschitz constant over all parameters (their number grows with n)",
                slope_text(vol.index, vol["lipschitz_sampled"]),
            )
        )
    paper = gs[gs["experiment"] == "paper"].groupby("n_hidden").first()
    if len(paper):
        extra.append(
            (
                "paper's Pauli network, thermal fidelity: slope of log₂ Var‖∇C‖∞ "
                "(arXiv:2010.15968 Fig. 3b)",
                slope_text(paper.index, paper["inf_norm_var"]),
            )
        )
    for n_v in sorted(set(gs["n_visible"]) - {1}):
        sub = _per_size(gs, VOLUME_LAW, n_visible=n_v)
        if len(sub):
            theory = sub["probe_var_2design"]
            extra.append(
                (
                    f"{VOLUME_LAW}, n_V = {n_v}: slope of log₂ Var[∂C]",
                    slope_text(
                        sub.index,
                        sub["probe_var"],
                        None if math.isnan(theory.iloc[0]) else theory,
                    ),
                )
            )
    return extra


def judge(tables: Tables) -> Verdict:
    """The C3 verdict from the gradient-scaling table (rules: RULES)."""
    gs = tables["gradient-scaling"]
    vol, area = _per_size(gs, VOLUME_LAW), _per_size(gs, AREA_LAW)
    checks = [
        decay_check(
            f"Var[∂C] decays for {VOLUME_LAW}",
            vol,
            "probe_var",
            DECAY,
            "below",
            theory="probe_var_2design",
            lo="probe_var_lo",
            hi="probe_var_hi",
        ),
        _theory_check(vol) if not vol.empty else missing("2-design agreement", "no data"),
        decay_check(
            f"Var[∂C] does not decay for {AREA_LAW}",
            area,
            "probe_var",
            DECAY,
            "above",
            lo="probe_var_lo",
            hi="probe_var_hi",
        ),
    ]
    return claim_verdict(
        "C3",
        checks,
        holds="gradient variance of the volume-law circuit falls like 1/d_H, as the 2-design "
        "closed form says, while the area-law control keeps its gradients",
        extra=_further_numbers(gs, vol),
    )


CLAIM = Claim(
    id="C3",
    title="Barren plateau: gradients scale like 1/d_H",
    statement=(
        "For any bounded objective on the visible units, the Lipschitz constant of its "
        "expectation value scales inversely with the dimension of the hidden subsystem, with "
        "high probability: a barren plateau induced by entanglement."
    ),
    studies=("gradient-scaling",),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "gradient-scaling",
            "gradient_variance_n_hidden.png",
            "Var[∂C] of the gates touching V against n_H (95 % bootstrap bars, fitted "
            "slopes in the legend), with the 2-design closed form (dashed): the deep "
            "brickwork halves with every hidden qubit; bounded_cut and decoupled stay "
            "flat.",
        ),
        FigureRef(
            "gradient-scaling",
            "gradient_variance_objectives.png",
            "The same decay for every visible objective: a local Pauli, the global "
            "projector, a random bounded observable and the thermal-state fidelity.",
        ),
        FigureRef(
            "gradient-scaling",
            "paper_inf_norm_variance.png",
            "The paper's Fig. 3b quantity, Var‖∇C‖∞ of the random Pauli network with the "
            "thermal-state fidelity, with its fitted exponential rate.",
        ),
        FigureRef(
            "gradient-scaling",
            "gradient_variance_depth.png",
            "With depth, Var[∂C] falls to the 2-design value as S(ρ_V) reaches Page's value.",
        ),
    ),
)
