"""The verdict of a diagnosis: each measured quantity read against two reference models.

Every rule here follows one principle, fixed from theory before any circuit was measured:

    A quantity Q that measures how strongly the hidden register suppresses the visible objective
    has a value under the *barren* model (a unitary 2-design / Haar-random state on all n qubits,
    arXiv:1803.11173, arXiv:2010.15968 claims C1–C3) and a value under the *trainable* model
    (no suppression by the hidden register: the area law of a bounded V|H coupling). The
    boundary between the two is their midpoint on the logarithmic scale on which the
    suppression acts (the geometric mean; for a fitted decay rate, the arithmetic mean). A
    reading is decisive only when the whole :data:`CONFIDENCE` interval of Q lies on one side of
    the boundary; an interval that straddles it is *inconclusive* and never forced into a call.

Three quantities are read (:func:`reading`):

* ``scaling`` (with a ``builder``): the slope b of log₂ Var[∂C] per hidden qubit over the
  largest :data:`SLOPE_POINTS` sizes. Barren model: the 2-design slope b₂ of the same fit to the
  2-design values (≈ −1: Var ∝ 1/d with d = d_V·d_H); trainable model: 0 (a variance that does
  not shrink as H grows). Boundary b₂/2.
* ``gradient`` (one size): r = Var[∂C] / Var_2design, the measured mean gradient variance over
  the gates on V against its 2-design value on all n qubits. Barren model: r = 1; trainable
  model: r = d_H, the 2-design value with the factor 1/d_H the hidden register imposes removed
  (Var_2design ∝ 1/(d_V d_H)). Boundary log₂ r = n_H / 2: the circuit has escaped less (barren)
  or more (trainable) than half of the n_H bits of suppression a 2-design puts on it.
* ``concentration`` (one size): the mean trace norm t = E‖ρ_V − I/d_V‖₁. Barren model: its
  Haar value, the root mean square √((d_V² − 1)/(d_V d_H + 1)) from Lubkin's exact mean purity
  (:func:`ebp.theory.mean_trace_distance_bound_lubkin`, an upper bound on the Haar mean);
  trainable model: a pure ρ_V, t₀ = 2(1 − 1/d_V) (no entanglement across the cut). Boundary
  √(t_Haar·t₀). The trace norm is read, not S(ρ_V): for n_V = 1 Page's value and log₂ d_V differ
  by less than 1/(2 ln 2 · d_H) bits, so an entropy close to Page's value cannot separate a
  volume-law state from a moderately entangled one, while t separates them by a factor
  ~ 2^{n_H/2}. S(ρ_V) against Page's value is reported as evidence (the mechanism), not read.

The verdict combines the readings as :data:`RULES` states (first match wins); :func:`verdict`
applies them and says which one fired, with its numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

__all__ = [
    "CONFIDENCE",
    "MIN_SEPARATION_BITS",
    "RULE",
    "RULES",
    "SIDES",
    "SLOPE_POINTS",
    "TWO_DESIGN_SLOPE",
    "VERDICTS",
    "Reading",
    "Rule",
    "reading",
    "verdict",
]

VERDICTS = ("trainable", "at risk", "barren")
"""The verdicts a diagnosis can give, from best to worst."""

SIDES = ("barren", "inconclusive", "trainable")
"""What a reading says: its interval lies on the barren side of the boundary, straddles it, or
lies on the trainable side."""

CONFIDENCE = 0.95
"""Level of every interval a reading uses (two-sided; the convention for a 1-in-20 error per
reading, fixed before any measurement). Gradient variances: the bootstrap percentile interval of
the mean variance; the trace norm: mean ± z·s/√S; the slope: b ± z·s.e. of the weighted fit."""

Z = 1.959963984540054
"""The standard normal quantile of (1 + :data:`CONFIDENCE`)/2."""

MIN_SEPARATION_BITS = 1.0
"""A reading decides only when its two reference values are at least a factor 2 (one bit) apart
on the log scale (for a fitted rate: the two reference rates, accumulated over the span of sizes
fitted). One bit is the suppression a single hidden qubit adds to a 2-design gradient
variance (Var ∝ 1/d): references closer than that cannot be told apart from the O(1) factors
by which a real circuit differs from either idealisation, so such a reading is inconclusive
whatever its interval (a two-qubit circuit is neither barren nor proven trainable by it)."""

SLOPE_POINTS = 3
"""With a builder, the slope is fitted on the largest this many sizes (weighted by their
bootstrap errors). A plateau is a statement about the decay rate as H grows, so the largest
sizes are the ones that speak for larger circuits (an area-law circuit decays at first, then
saturates); three is the fewest that leave a residual to check the straight line."""

TWO_DESIGN_SLOPE = -1.0
"""The 2-design slope of log₂ Var[∂C] per hidden qubit when its closed form cannot be evaluated
for the circuit (a parameter shared by several gates): Var_2design ∝ 1/d = 1/(d_V·d_H)."""


@dataclass(frozen=True)
class Reading:
    """A measured quantity with its interval, read against its two reference values.

    Attributes:
        name: ``scaling``, ``gradient`` or ``concentration``.
        value: the measurement.
        low: lower end of its :data:`CONFIDENCE` interval.
        high: upper end of that interval.
        barren: the reference value under the barren model.
        trainable: the reference value under the trainable model.
        boundary: their midpoint (geometric for positive quantities, arithmetic for a slope).
        side: one of :data:`SIDES`.
        note: why the reading is inconclusive when that is not from its interval.
    """

    name: str
    value: float | None
    low: float | None
    high: float | None
    barren: float | None
    trainable: float | None
    boundary: float | None
    side: str
    note: str = ""

    def describe(self) -> str:
        """One line: the value, its interval, the boundary and what it says."""

        def f(x):
            return "n/a" if x is None else f"{x:.3g}"

        text = (
            f"{self.name} {f(self.value)} [{f(self.low)}, {f(self.high)}] vs boundary "
            f"{f(self.boundary)} (barren {f(self.barren)}, trainable {f(self.trainable)}): "
            f"{self.side}"
        )
        return f"{text} ({self.note})" if self.note else text


def _finite(x) -> float | None:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else None


def reading(
    name: str,
    value: float | None,
    low: float | None,
    high: float | None,
    barren: float,
    trainable: float,
    *,
    log: bool,
    span: float = 1.0,
) -> Reading:
    """Read ``value`` with interval [low, high] against the references (see the module docstring).

    ``log=True``: positive quantities compared on a log₂ scale (boundary √(barren·trainable));
    the references are log₂(trainable/barren) bits apart.
    ``log=False``: a log₂-rate per unit of size already (boundary (barren + trainable)/2),
    measured over ``span`` units: the references are (trainable − barren)·span bits apart
    over the sizes measured.
    """
    values = (_finite(value), _finite(low), _finite(high), _finite(barren), _finite(trainable))
    if None in values:
        return Reading(name, *values, None, "inconclusive", "not measured")
    value, low, high, barren, trainable = cast(tuple[float, float, float, float, float], values)
    if log:
        if min(barren, trainable) <= 0:
            return Reading(name, *values, None, "inconclusive", "reference not positive")
        separation = math.log2(trainable / barren)
        boundary = math.sqrt(barren * trainable)
    else:
        separation = (trainable - barren) * span
        boundary = 0.5 * (barren + trainable)
    if separation < MIN_SEPARATION_BITS:
        return Reading(
            name,
            value,
            low,
            high,
            barren,
            trainable,
            boundary,
            "inconclusive",
            f"references {separation:.2f} bits apart < {MIN_SEPARATION_BITS:g}",
        )
    side = "barren" if high < boundary else "trainable" if low > boundary else "inconclusive"
    return Reading(name, value, low, high, barren, trainable, boundary, side)


@dataclass(frozen=True)
class Rule:
    """One branch of the verdict: when it fires, what it gives, and why."""

    name: str
    statement: str
    verdict: str
    rationale: str

    def __str__(self) -> str:
        if "->" in self.statement:  # the statement names its outcomes itself
            return f"{self.name}: {self.statement}"
        return f"{self.name}: {self.statement} -> {self.verdict}"


RULES = (
    Rule(
        "1 scaling",
        f"with a builder: slope b of log2 Var[dC] per hidden qubit (largest {SLOPE_POINTS} "
        f"sizes), {CONFIDENCE:.0%} interval b +- {Z:.2f} s.e., against b2/2 (b2: the 2-design "
        "slope of the same fit, about -1): whole interval below -> barren, above -> trainable, "
        "straddling -> at risk (inconclusive)",
        "barren | trainable | at risk",
        "A barren plateau is a decay rate with the hidden register; b2/2 is the midpoint between "
        "the 2-design rate and no decay, so the call says which of the two the measured rate is "
        "closer to, and only when the interval says so.",
    ),
    Rule(
        "2 barren",
        "one size: gradient reading (r = Var[dC]/Var_2design against 1 and d_H, boundary "
        "log2 r = n_H/2) AND concentration reading (E||rho_V - I/d_V||_1 against its Haar rms "
        "value and a pure rho_V, boundary their geometric mean) both on the barren side",
        "barren",
        "Calling a circuit barren tells its user to change it, so both the size of the gradients "
        "and the mechanism (rho_V concentrated at the Haar level, claims C1-C3) must show it.",
    ),
    Rule(
        "3 trainable",
        "one size: a reading on the trainable side and neither on the barren side",
        "trainable",
        "Gradients that have escaped most of the hidden suppression, or a rho_V demonstrably "
        "far from I/d_V, rule out an entanglement-induced plateau unless the other contradicts.",
    ),
    Rule(
        "4 at risk",
        "otherwise: no decisive reading, one barren reading alone, or the two disagree",
        "at risk",
        "The evidence does not settle the call at this size and sample count: measure the "
        "scaling (a builder), more samples, or a larger size.",
    ),
)
"""The rule, one :class:`Rule` per branch; each is printed with every verdict."""

RULE = tuple(str(rule) for rule in RULES)
"""The printed form of :data:`RULES`, one line per branch."""


def _scaling_call(side: str) -> str:
    return {"barren": "barren", "trainable": "trainable", "inconclusive": "at risk"}[side]


def verdict(
    *,
    haar_ratio: tuple[float | None, float, float] | None,
    trace_norm: tuple[float, float, float] | None,
    haar_trace_norm: float,
    n_visible: int,
    n_hidden: int,
    slope: tuple[float, float, float | None, float] | None = None,
) -> tuple[str, str, tuple[Reading, ...]]:
    """(verdict, reason, readings) from the measured numbers (None: not measured).

    Args:
        haar_ratio: (r, low, high) of Var[∂C] / Var_2design and its interval.
        trace_norm: (t, low, high) of E‖ρ_V − I/d_V‖₁ and its interval.
        haar_trace_norm: the Haar rms value of ‖ρ_V − I/d_V‖₁ for (n_V, n_H).
        n_visible: the circuit's visible qubits.
        n_hidden: the circuit's hidden qubits.
        slope: (b, s.e., b₂, span) of the builder's fit: slope, its standard error, the
            2-design slope (None: :data:`TWO_DESIGN_SLOPE`) and the span of n_hidden fitted.

    The reason names the rule that fired and the readings it used.
    """
    if slope is not None:
        b, err, b2, span = slope
        b2 = TWO_DESIGN_SLOPE if b2 is None or not math.isfinite(b2) else b2
        r = reading("scaling", b, b - Z * err, b + Z * err, b2, 0.0, log=False, span=span)
        return _scaling_call(r.side), f"rule {RULES[0].name}: {r.describe()}", (r,)
    nan = (math.nan, math.nan, math.nan)
    ratio, lo, hi = haar_ratio if haar_ratio is not None else nan
    g = reading("gradient ratio r", ratio, lo, hi, 1.0, 2.0**n_hidden, log=True)
    t, t_lo, t_hi = trace_norm if trace_norm is not None else nan
    pure = 2.0 * (1.0 - 2.0**-n_visible)
    c = reading("||rho_V - I/d_V||_1", t, t_lo, t_hi, haar_trace_norm, pure, log=True)
    sides = (g.side, c.side)
    why = f"{g.describe()}; {c.describe()}"
    if sides == ("barren", "barren"):
        return "barren", f"rule {RULES[1].name}: {why}", (g, c)
    if "trainable" in sides and "barren" not in sides:
        return "trainable", f"rule {RULES[2].name}: {why}", (g, c)
    return "at risk", f"rule {RULES[3].name}: {why}", (g, c)
