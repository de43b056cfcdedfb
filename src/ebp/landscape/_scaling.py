"""Exponential scaling fits: log₂ y = a + b·x, with uncertainties and a theory comparison.

Barren plateaus are statements about decay rates, e.g. Var[∂C] ∝ 2^{−b·n_H}; the slope b of
log₂ y against x is what a user compares with a closed form (b → −1 per hidden qubit for a
2-design, :func:`ebp.theory.two_design_gradient_variance`).

With per-point standard errors σ_y the fit is weighted least squares in log space,
σ_{log₂ y} = σ_y / (y ln 2), and the slope's error is the absolute one from the weights;
without them, ordinary least squares with the error scaled by the residuals
(``scipy.stats.linregress``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ScalingFit", "fit_scaling"]


@dataclass(frozen=True)
class ScalingFit:
    """A fit log_base y = intercept + slope · x.

    Attributes:
        slope: decay rate per unit of x (negative for decay).
        slope_err: standard error of ``slope``.
        intercept: value of log_base y at x = 0.
        intercept_err: standard error of ``intercept``.
        base: logarithm base (2 by default).
        r_squared: coefficient of determination of the fit in log space.
        n_points: number of points fitted.
        theory_slope: slope of the same fit applied to the theory values (None without theory).
    """

    slope: float
    slope_err: float
    intercept: float
    intercept_err: float
    base: float
    r_squared: float
    n_points: int
    theory_slope: float | None = None

    @property
    def slope_difference(self) -> float | None:
        """slope − theory_slope (None without theory)."""
        return None if self.theory_slope is None else self.slope - self.theory_slope

    @property
    def z_score(self) -> float | None:
        """(slope − theory_slope)/slope_err: how many standard errors the fit is off theory."""
        if self.theory_slope is None:
            return None
        difference = self.slope - self.theory_slope
        return difference / self.slope_err if self.slope_err > 0 else math.inf

    def predict(self, x) -> np.ndarray:
        """The fitted curve y(x) = base^(intercept + slope·x)."""
        return np.power(self.base, self.intercept + self.slope * np.asarray(x, dtype=float))


def _line(x: np.ndarray, ly: np.ndarray, sigma: np.ndarray | None):
    """(slope, intercept, slope_err, intercept_err, r²) of ly = a + b x."""
    if sigma is None:
        import scipy.stats  # here, not at module level: it adds ~0.3 s to `import ebp`

        res = scipy.stats.linregress(x, ly)
        return res.slope, res.intercept, res.stderr, res.intercept_stderr, res.rvalue**2
    w = 1.0 / sigma**2
    s, sx, sxx = w.sum(), (w * x).sum(), (w * x * x).sum()
    sy, sxy = (w * ly).sum(), (w * x * ly).sum()
    det = s * sxx - sx * sx
    slope = (s * sxy - sx * sy) / det
    intercept = (sxx * sy - sx * sxy) / det
    resid = ly - intercept - slope * x
    total = ((ly - np.average(ly, weights=w)) ** 2 * w).sum()
    r2 = 1.0 - (resid**2 * w).sum() / total if total > 0 else 1.0
    return slope, intercept, math.sqrt(s / det), math.sqrt(sxx / det), r2


def fit_scaling(
    x, y, *, y_err=None, base: float = 2.0, theory: Callable | ArrayLike | None = None
) -> ScalingFit:
    """Fit log_base y against x; optionally compare with a theory curve.

    Args:
        x: the size variable (n_hidden, depth, …), at least 2 distinct values.
        y: positive values (variances, norms, …).
        y_err: standard errors of y (weights the fit; required for 2 points to have an error).
        base: logarithm base of the fit (2: slope in bits per unit x).
        theory: theory values at ``x`` (array) or a callable ``theory(x)``; its slope is fitted
            the same way (unweighted) and reported as ``theory_slope``.

    Returns:
        :class:`ScalingFit`.
    """
    xa = np.asarray(x, dtype=float).ravel()
    ya = np.asarray(y, dtype=float).ravel()
    if xa.shape != ya.shape:
        raise ValueError(f"x and y must have the same length; got {xa.size} and {ya.size}.")
    if xa.size < 2 or np.unique(xa).size < 2:
        raise ValueError("a scaling fit needs at least 2 distinct x values.")
    if not np.all(np.isfinite(xa)) or not np.all(np.isfinite(ya)) or np.any(ya <= 0):
        raise ValueError("y must be finite and > 0 (it is fitted on a log scale); x finite.")
    if not base > 1:
        raise ValueError(f"base must be > 1; got {base!r}.")
    log_b = math.log(base)
    ly = np.log(ya) / log_b
    sigma = None
    if y_err is not None:
        ea = np.asarray(y_err, dtype=float).ravel()
        if ea.shape != ya.shape or not np.all(np.isfinite(ea)) or np.any(ea <= 0):
            raise ValueError("y_err must be finite, > 0 and as long as y.")
        sigma = ea / (ya * log_b)
    elif xa.size < 3:
        raise ValueError("without y_err a fit needs at least 3 points to estimate its error.")
    slope, intercept, slope_err, intercept_err, r2 = _line(xa, ly, sigma)
    theory_slope = None
    if theory is not None:
        ty = np.asarray(theory(xa) if callable(theory) else theory, dtype=float).ravel()
        if ty.shape != ya.shape or np.any(ty <= 0):
            raise ValueError("theory values must be > 0 and one per x.")
        theory_slope = float(np.polyfit(xa, np.log(ty) / log_b, 1)[0])
    return ScalingFit(
        float(slope),
        float(slope_err),
        float(intercept),
        float(intercept_err),
        float(base),
        float(r2),
        int(xa.size),
        theory_slope,
    )
