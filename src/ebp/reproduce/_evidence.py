"""Checks that several claims share: a decay rate against a threshold, a gap between two
success rates, a paired improvement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ._stats import Rate, binomial_rate, log2_slope, paired_mean, rate_difference
from ._verdict import Check, missing, threshold_check

__all__ = [
    "MIN_POINTS",
    "decay_check",
    "paired_check",
    "per_size_text",
    "pooled_rate",
    "rate_gap_check",
    "size_groups",
    "slope_text",
    "success_counts",
]

MIN_POINTS = 3
"""Fewest distinct sizes a slope is fitted on (a line through 2 points has no error)."""


def slope_text(x, y, theory=None) -> str:
    """The fitted log₂ slope as text, or why there is none (for numbers that do not decide)."""
    try:
        return log2_slope(x, y, theory=theory).text()
    except ValueError as err:
        return f"no fit: {err}"


def decay_check(
    name: str,
    per_size: pd.DataFrame,
    column: str,
    threshold: float,
    side: Literal["below", "above"],
    *,
    theory: str | None = None,
    lo: str | None = None,
    hi: str | None = None,
) -> Check:
    """Slope of log₂ ``per_size[column]`` against its index (a size), checked against
    ``threshold`` on ``side``. ``theory`` names a column of theory values; ``lo``/``hi`` name
    95 % interval columns that weight the fit."""
    data = per_size[np.isfinite(per_size[column].astype(float)) & (per_size[column] > 0)]
    if data.index.nunique() < MIN_POINTS:
        return missing(name, f"{data.index.nunique()} sizes with data (need {MIN_POINTS})")
    slope = log2_slope(
        data.index.to_numpy(float),
        data[column].to_numpy(float),
        None if lo is None else data[lo].to_numpy(float),
        None if hi is None else data[hi].to_numpy(float),
        theory=None if theory is None else data[theory].to_numpy(float),
    )
    return threshold_check(name, slope.text(), slope.lo, slope.hi, threshold, side)


def per_size_text(rows: pd.DataFrame, text) -> str:
    """``"n_H=1: …, n_H=2: …"``: ``text(group)`` for the rows of each ``n_hidden``."""
    return ", ".join(f"n_H={h}: {text(g)}" for h, g in rows.groupby("n_hidden"))


def success_counts(runs: pd.DataFrame) -> str:
    """Successful runs out of all, per ``n_hidden`` (``"n_H=1: 5/6, …"``)."""
    return per_size_text(runs, lambda g: f"{int(g['success'].sum())}/{len(g)}")


def size_groups(sizes: Sequence[int]) -> tuple[list[int], list[int]]:
    """The smaller and the larger half of the sizes (one each for 2–3 sizes), so that success
    rates are pooled over ``len // 2`` sizes at each end."""
    sizes = sorted(set(int(s) for s in sizes))
    k = max(1, len(sizes) // 2)
    return sizes[:k], sizes[-k:]


def pooled_rate(runs: pd.DataFrame, sizes: Sequence[int], column: str = "success") -> Rate:
    """Successes over the runs at the given sizes (column ``n_hidden``), with Wilson interval."""
    sel = runs[runs["n_hidden"].isin(list(sizes))][column].astype(bool)
    return binomial_rate(int(sel.sum()), int(sel.size))


def rate_gap_check(name: str, higher: Rate, lower: Rate, threshold: float) -> Check:
    """``higher − lower`` (Newcombe interval) checked to be above ``threshold``."""
    if higher.n == 0 or lower.n == 0:
        return missing(name, "no runs on one side")
    gap = rate_difference(higher, lower)
    value = f"{higher.text()} vs {lower.text()}: gap {gap.mean:+.2f} [{gap.lo:+.2f}, {gap.hi:+.2f}]"
    return threshold_check(name, value, gap.lo, gap.hi, threshold, "above")


def paired_check(
    name: str,
    differences,
    threshold: float,
    *,
    unit: str = "",
    confidence: float = 0.95,
    seed: int = 0,
) -> Check:
    """Mean of paired differences (bootstrap interval at ``confidence``) above ``threshold``."""
    d = np.asarray(differences, dtype=float)
    if np.isfinite(d).sum() < 2:
        return missing(name, f"{int(np.isfinite(d).sum())} pair(s) (need 2)")
    m = paired_mean(d, confidence=confidence, seed=seed)
    value = f"{m.mean:+.3g}{unit} [{m.lo:+.3g}, {m.hi:+.3g}] over {m.n} pairs"
    return threshold_check(name, value, m.lo, m.hi, threshold, "above")
