"""The verdict of a diagnosis: named thresholds and the rule that applies them.

Three numbers decide, each measured on the circuit's visible light cone at random parameters:

* ``haar_ratio`` = Var[∂_k C] / Var_2design[∂_k C]: the mean gradient variance over the live
  parameters against its value for a unitary 2-design on the whole circuit (``n`` qubits,
  d = 2ⁿ), :func:`ebp.landscape.slot_generator_traces` with
  :func:`ebp.theory.two_design_gradient_variance_general`. A circuit whose gradients sit at the
  2-design level has Var[∂C] ∝ 1/d: exponentially small in its width (McClean et al.,
  arXiv:1803.11173). A shallow circuit with a local objective stays orders of magnitude above it
  (Cerezo et al., arXiv:2001.00550).
* ``page_fraction`` = mean S(ρ_V) / Page's value S_Page(n_V, n_H): how close the V|H
  entanglement is to that of a Haar-random state (arXiv:2010.15968, claim C1). Near 1 is the
  volume law under which every visible objective concentrates (claims C2, C3).
* the size: a 2-design value is small only once d_H ≫ d_V;
* with a ``builder``: the fitted slope b of log₂ Var[∂C] against n_hidden
  (:func:`ebp.landscape.fit_scaling`); b ≈ −1 per hidden qubit for a 2-design.

The rule (first match wins) is :data:`RULE`; :func:`verdict` applies it and says which line
fired.
"""

from __future__ import annotations

import math

__all__ = [
    "AT_RISK_HAAR_RATIO",
    "AT_RISK_SLOPE",
    "BARREN_HAAR_RATIO",
    "BARREN_SLOPE",
    "MIN_HIDDEN_EXCESS",
    "RULE",
    "SIGNIFICANCE",
    "SLOPE_POINTS",
    "VERDICTS",
    "VOLUME_LAW_PAGE_FRACTION",
    "verdict",
]

VERDICTS = ("trainable", "at risk", "barren")

BARREN_HAAR_RATIO = 4.0
"""Gradient variance within this factor of the 2-design value: the circuit is at the 2-design
level, where Var[∂C] falls like 1/2ⁿ with its width."""

AT_RISK_HAAR_RATIO = 32.0
"""With volume-law entanglement, a gradient variance within this factor of the 2-design value is
close enough that a few more layers or qubits reach it."""

VOLUME_LAW_PAGE_FRACTION = 0.9
"""Mean S(ρ_V) at least this fraction of Page's value: volume-law V|H entanglement."""

MIN_HIDDEN_EXCESS = 2
"""A 2-design value is small only when d_H ≫ d_V: without a builder, ``barren`` needs
n_H ≥ n_V + this; a smaller circuit at the 2-design level is ``at risk``."""

BARREN_SLOPE = -0.5
"""With a builder: a fitted slope of log₂ Var[∂C] per hidden qubit at or below this (and below
zero by two standard errors) is an exponential decay with n_hidden."""

AT_RISK_SLOPE = -0.25
"""With a builder: a slope at or below this (below zero by two standard errors) is a slower
decay."""

SLOPE_POINTS = 3
"""With a builder: the slope is fitted on the largest this many sizes measured (weighted by their
bootstrap errors): the decay rate that continues to larger circuits, not the early transient of
a circuit whose variance saturates (an area law)."""

SIGNIFICANCE = 2.0
"""Standard errors a slope must stay below zero to count as a decay."""

RULE = (
    (
        f"1. with a builder: slope b of log2 Var[dC] per hidden qubit over the largest "
        f"{SLOPE_POINTS} sizes, b + {SIGNIFICANCE:g} s.e. < 0 "
        f"and b <= {BARREN_SLOPE} -> barren; "
        f"b + {SIGNIFICANCE:g} s.e. < 0 and b <= {AT_RISK_SLOPE} -> at risk; "
        "otherwise -> trainable."
    ),
    (
        f"2. without: r = Var[dC] / Var_2design <= {BARREN_HAAR_RATIO:g}, S(rho_V) >= "
        f"{VOLUME_LAW_PAGE_FRACTION:g} x Page and n_H >= n_V + {MIN_HIDDEN_EXCESS} -> barren."
    ),
    (
        f"3. r <= {BARREN_HAAR_RATIO:g}, or S(rho_V) >= {VOLUME_LAW_PAGE_FRACTION:g} x Page and "
        f"r <= {AT_RISK_HAAR_RATIO:g} -> at risk."
    ),
    "4. otherwise -> trainable.",
)
"""The rule, one line per branch, as printed with every verdict."""


def verdict(
    haar_ratio: float | None,
    page_fraction: float | None,
    n_visible: int,
    n_hidden: int,
    slope: float | None = None,
    slope_err: float | None = None,
) -> tuple[str, str]:
    """(verdict, reason) from the numbers of the module docstring (None: not measured).

    The reason names the rule line that fired and the numbers it compared.
    """
    if slope is not None and slope_err is not None and math.isfinite(slope):
        decays = slope + SIGNIFICANCE * slope_err < 0
        where = f"slope {slope:+.3f} ± {slope_err:.3f} per hidden qubit"
        if decays and slope <= BARREN_SLOPE:
            return "barren", f"rule 1: {where} <= {BARREN_SLOPE} (exponential decay)"
        if decays and slope <= AT_RISK_SLOPE:
            return "at risk", f"rule 1: {where} <= {AT_RISK_SLOPE} (a slower decay)"
        return "trainable", f"rule 1: {where}: no significant decay faster than {AT_RISK_SLOPE}"
    r = "not measured" if haar_ratio is None else f"{haar_ratio:.3g}"
    page = "not measured" if page_fraction is None else f"{page_fraction:.3g}"
    volume = page_fraction is not None and page_fraction >= VOLUME_LAW_PAGE_FRACTION
    at_design = haar_ratio is not None and haar_ratio <= BARREN_HAAR_RATIO
    large = n_hidden >= n_visible + MIN_HIDDEN_EXCESS
    numbers = f"r = {r}, S(rho_V)/Page = {page}, n_H = {n_hidden}, n_V = {n_visible}"
    if at_design and volume and large:
        return "barren", f"rule 2: {numbers}"
    if at_design or (volume and haar_ratio is not None and haar_ratio <= AT_RISK_HAAR_RATIO):
        return "at risk", f"rule 3: {numbers}"
    return "trainable", f"rule 4: {numbers}"
