"""The statistics behind the verdicts: slopes with intervals, binomial and bootstrap intervals.

Every interval is two-sided at :data:`CONFIDENCE` (95 %). Each function returns plain numbers
with the interval, so a verdict can both decide and print them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._format import decimals_for, plus_minus
from ..landscape import bootstrap_interval, fit_scaling

__all__ = [
    "CONFIDENCE",
    "Mean",
    "Rate",
    "Slope",
    "binomial_rate",
    "log2_slope",
    "mean_interval",
    "paired_mean",
    "rate_difference",
]

CONFIDENCE = 0.95
"""Two-sided confidence level of every interval in a verdict."""


@dataclass(frozen=True)
class Slope:
    """Fitted slope b of log₂ y = a + b·x with its 95 % interval, and the theory slope if any."""

    slope: float
    lo: float
    hi: float
    n_points: int
    theory: float | None = None

    @property
    def err(self) -> float:
        """Half-width of the interval."""
        return (self.hi - self.lo) / 2

    def text(self, theory_name: str = "theory") -> str:
        """``−0.98 ± 0.03 [−1.01, −0.95] (theory −1.00, 5 points)``."""
        th = f", {theory_name} {self.theory:+.2f}" if self.theory is not None else ""
        k = decimals_for(self.err)
        return (
            f"{plus_minus(self.slope, self.err)} [{self.lo:+.{k}f}, {self.hi:+.{k}f}]"
            f" ({self.n_points} points{th})"
        )


@dataclass(frozen=True)
class Rate:
    """k successes out of n with the Wilson 95 % interval."""

    k: int
    n: int
    lo: float
    hi: float

    @property
    def value(self) -> float:
        return self.k / self.n if self.n else math.nan

    def text(self) -> str:
        """``3/12 = 0.25 [0.09, 0.53]``."""
        return f"{self.k}/{self.n} = {self.value:.2f} [{self.lo:.2f}, {self.hi:.2f}]"


@dataclass(frozen=True)
class Mean:
    """A mean with its 95 % interval, and the number of values behind it."""

    mean: float
    lo: float
    hi: float
    n: int

    def text(self, fmt: str = ".3g") -> str:
        return f"{self.mean:{fmt}} [{self.lo:{fmt}}, {self.hi:{fmt}}] (n = {self.n})"


def log2_slope(x, y, y_lo=None, y_hi=None, theory=None) -> Slope:
    """Slope of log₂ y against x, with a 95 % interval (:func:`ebp.landscape.fit_scaling`).

    With per-point intervals ``[y_lo, y_hi]`` (95 %) the fit is weighted by the standard errors
    they imply, σ_y = (y_hi − y_lo) / (2 · 1.96), and the interval is slope ± 1.96 σ_b. Without
    them the fit is ordinary least squares and the interval uses Student's t with n − 2 degrees
    of freedom. ``theory`` (values at x) adds the slope of the theory curve.

    Raises:
        ValueError: With fewer than 3 distinct x values (2 points fit any line exactly).
    """
    import scipy.stats

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if np.unique(x).size < 3:
        raise ValueError(f"a slope needs at least 3 distinct x values; got {np.unique(x).size}.")
    y_err = None
    if y_lo is not None and y_hi is not None:
        y_err = (np.asarray(y_hi, float) - np.asarray(y_lo, float)) / (2 * 1.959963984540054)
        if not np.all(np.isfinite(y_err)) or np.any(y_err <= 0):
            y_err = None
    fit = fit_scaling(x, y, y_err=y_err, theory=theory)
    if y_err is None:
        q = float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2, df=fit.n_points - 2))
    else:
        q = float(scipy.stats.norm.ppf(0.5 + CONFIDENCE / 2))
    half = q * fit.slope_err
    return Slope(fit.slope, fit.slope - half, fit.slope + half, fit.n_points, fit.theory_slope)


def binomial_rate(k: int, n: int) -> Rate:
    """k of n with the Wilson score 95 % interval (E. B. Wilson, JASA 22, 209 (1927)).

    ``n = 0`` gives the vacuous interval [0, 1].
    """
    if n == 0:
        return Rate(0, 0, 0.0, 1.0)
    import scipy.stats

    ci = scipy.stats.binomtest(int(k), int(n)).proportion_ci(CONFIDENCE, method="wilson")
    return Rate(int(k), int(n), float(ci.low), float(ci.high))


def paired_mean(differences, *, seed: int = 0, confidence: float = CONFIDENCE) -> Mean:
    """Mean of paired differences with a percentile-bootstrap interval (10 000 resamples).

    Raises:
        ValueError: With fewer than 2 differences.
    """
    d = np.asarray(differences, dtype=float)
    d = d[np.isfinite(d)]
    if d.size < 2:
        raise ValueError(f"a paired interval needs at least 2 differences; got {d.size}.")
    lo, hi = bootstrap_interval(
        d,
        lambda x, axis=-1: np.mean(x, axis=axis),
        confidence=confidence,
        n_resamples=10_000,
        seed=seed,
    )
    return Mean(float(d.mean()), lo, hi, int(d.size))


def rate_difference(a: Rate, b: Rate) -> Mean:
    """p_a − p_b with Newcombe's hybrid score 95 % interval (from the two Wilson intervals).

    .. math:: L = \\hat d - \\sqrt{(\\hat p_a - l_a)^2 + (u_b - \\hat p_b)^2},\\quad
              U = \\hat d + \\sqrt{(u_a - \\hat p_a)^2 + (\\hat p_b - l_b)^2}

    R. G. Newcombe, Statistics in Medicine 17, 873 (1998), method 10. ``n`` of the result is
    the smaller of the two sample sizes; an empty side gives NaN.
    """
    if a.n == 0 or b.n == 0:
        return Mean(math.nan, math.nan, math.nan, 0)
    d = a.value - b.value
    lo = d - math.sqrt((a.value - a.lo) ** 2 + (b.hi - b.value) ** 2)
    hi = d + math.sqrt((a.hi - a.value) ** 2 + (b.value - b.lo) ** 2)
    return Mean(d, max(-1.0, lo), min(1.0, hi), min(a.n, b.n))


def mean_interval(values) -> Mean:
    """Mean with Student's t 95 % interval; fewer than 2 finite values give NaN ends."""
    import scipy.stats

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size < 2:
        m = float(v.mean()) if v.size else math.nan
        return Mean(m, math.nan, math.nan, int(v.size))
    half = (
        float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2, v.size - 1))
        * v.std(ddof=1)
        / math.sqrt(v.size)
    )
    return Mean(float(v.mean()), float(v.mean()) - half, float(v.mean()) + half, int(v.size))
