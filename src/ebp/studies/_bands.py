"""Statistics the studies' figures draw: bands over instances, error bars, fits, colours.

* :func:`band` — per group: mean, s.d., count and the 16–84 % quantiles (the central 68 %, a
  ±1σ band for a normal distribution that stays inside the data's range for skewed ones);
* :func:`error_bars` — matplotlib's asymmetric ``yerr`` from an interval around a value;
* :func:`log2_fit` — the slope of log₂ y against x, weighted by 95 % intervals (σ = width/3.92);
* :func:`wilson_interval` — the Wilson score interval of a success rate;
* :func:`spread` and :func:`sequential_colors` — a few values picked evenly, and their colours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps

from ..landscape import ScalingFit, fit_scaling

__all__ = [
    "Z95",
    "band",
    "error_bars",
    "log2_fit",
    "sequential_colors",
    "spread",
    "wilson_interval",
]

Z95 = 1.96
"""Standard-normal quantile of a two-sided 95 % interval."""


def band(df: pd.DataFrame, by: str | list[str], column: str) -> pd.DataFrame:
    """Per group of ``by``: ``mean``, ``std`` (ddof 1), ``count``, ``q16`` and ``q84`` of
    ``column``, groups sorted, ``by`` as columns (NaN keys form their own group)."""
    g = df.groupby(by, dropna=False)[column]
    out = g.agg(["mean", "std", "count"])
    out["q16"], out["q84"] = g.quantile(0.16), g.quantile(0.84)
    return out.reset_index()


def error_bars(y: Any, lo: Any, hi: Any) -> np.ndarray:
    """``yerr`` for ``Axes.errorbar``: the distances from ``y`` down to ``lo`` and up to ``hi``,
    shape (2, n), never negative (an interval that misses its point gets a zero-length bar)."""
    y, lo, hi = (np.asarray(a, dtype=float) for a in (y, lo, hi))
    return np.vstack([y - lo, hi - y]).clip(min=0)


def log2_fit(x: Any, y: Any, lo: Any, hi: Any) -> ScalingFit | None:
    """Fit log₂ y = a + b·x (:func:`ebp.landscape.fit_scaling`) with each point's error taken
    from its 95 % interval ``[lo, hi]`` as σ = (hi − lo)/(2·1.96); points with y <= 0 or y not
    finite are left out. None when fewer than two distinct x remain."""
    x, y, lo, hi = (np.asarray(a, dtype=float) for a in (x, y, lo, hi))
    ok = np.isfinite(y) & (y > 0)
    if ok.sum() < 2 or np.unique(x[ok]).size < 2:
        return None
    err = np.maximum((hi - lo)[ok] / (2 * Z95), 1e-300)
    return fit_scaling(x[ok], y[ok], y_err=err)


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a success rate (E. B. Wilson, JASA 22, 209 (1927)):

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    clipped to [0, 1]; (nan, nan) for no trials.
    """
    if trials == 0:
        return (math.nan, math.nan)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials**2)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


def spread(values: Sequence[Any], k: int) -> list[Any]:
    """At most ``k`` of ``values``, evenly spread, always the first and the last."""
    values = list(values)
    if len(values) <= k:
        return values
    idx = np.unique(np.round(np.linspace(0, len(values) - 1, k)).astype(int))
    return [values[i] for i in idx]


def sequential_colors(values: Sequence[Any]) -> dict[Any, Any]:
    """One viridis colour per value, in order, from dark to light (the yellow end left out)."""
    cmap = colormaps["viridis"]
    return {v: cmap(0.9 * i / max(1, len(values) - 1)) for i, v in enumerate(values)}
