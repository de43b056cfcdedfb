"""Confidence intervals for the tests that check a claim on random samples.

A claim measured on samples (a mean entropy, a second moment, a fitted slope) passes when its
predicted value lies in an interval computed from the samples themselves, not within a margin
chosen by hand. Every interval is two-sided at :data:`CONFIDENCE`: a true claim fails on a fresh
seed about once in a thousand draws, a false one fails as soon as the samples can tell. The tests
draw from fixed seeds, so each either passes or fails for good.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

CONFIDENCE = 0.999


def z(confidence: float = CONFIDENCE) -> float:
    """Two-sided normal quantile: P(|N(0, 1)| <= z) = confidence (3.29 at 99.9 %)."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


def mean_interval(samples, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student-t interval for the mean of independent samples: x̄ ± t_{n−1} · s/√n."""
    x = np.asarray(samples, dtype=float).ravel()
    half = stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return float(x.mean() - half), float(x.mean() + half)


def variance_interval(samples, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Normal interval for the variance of independent samples: s² ± z · se(s²), with
    se(s²)² = (m₄ − s⁴ (n−3)/(n−1)) / n, the exact Var(s²) = (μ₄ − σ⁴ (n−3)/(n−1)) / n with
    the sample fourth central moment m₄ and s² in place of μ₄ and σ² (no normality assumed).
    """
    x = np.asarray(samples, dtype=float).ravel()
    n, s2 = x.size, x.var(ddof=1)
    m4 = np.mean((x - x.mean()) ** 4)
    half = z(confidence) * np.sqrt(max(m4 - s2**2 * (n - 3) / (n - 1), 0.0) / n)
    return float(s2 - half), float(s2 + half)


def proportion_interval(successes: int, n: int, confidence: float = CONFIDENCE):
    """Clopper–Pearson (exact binomial) interval for a success probability from n trials."""
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(confidence, method="exact")
    return float(ci.low), float(ci.high)
