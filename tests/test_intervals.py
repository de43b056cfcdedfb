"""The intervals of ``tests/intervals.py`` cover the true value as often as they say.

Each interval is computed for many independent seeded draws from a distribution whose mean,
variance or success probability is known; the fraction of draws it covers must lie in the exact
binomial interval of the nominal confidence (at 95 %, so that a wrong interval shows).
"""

from __future__ import annotations

import numpy as np

from intervals import mean_interval, proportion_interval, variance_interval, z

TRIALS = 2000
NOMINAL = 0.95


def _coverage_is_nominal(hits: int) -> bool:
    lo, hi = proportion_interval(hits, TRIALS, confidence=0.999)
    return lo <= NOMINAL <= hi


def test_z_is_the_two_sided_normal_quantile():
    assert abs(z(0.95) - 1.959964) < 1e-6 and abs(z() - 3.290527) < 1e-6


def test_mean_interval_covers_the_mean_of_skewed_samples():
    rng = np.random.default_rng(11)
    draws = rng.exponential(2.0, size=(TRIALS, 200))  # mean 2
    hits = sum(lo <= 2.0 <= hi for lo, hi in (mean_interval(x, NOMINAL) for x in draws))
    assert _coverage_is_nominal(hits), hits / TRIALS


def test_variance_interval_covers_the_variance_of_uniform_samples():
    rng = np.random.default_rng(12)
    draws = rng.uniform(-1, 1, size=(TRIALS, 400))  # variance 1/3
    hits = sum(lo <= 1 / 3 <= hi for lo, hi in (variance_interval(x, NOMINAL) for x in draws))
    assert _coverage_is_nominal(hits), hits / TRIALS


def test_proportion_interval_covers_at_least_nominally():
    rng = np.random.default_rng(13)
    successes = rng.binomial(60, 0.3, size=TRIALS)
    covers = {
        k: lo <= 0.3 <= hi for k in range(61) for lo, hi in [proportion_interval(k, 60, 0.95)]
    }
    hits = sum(covers[k] for k in successes)
    assert proportion_interval(hits, TRIALS)[1] >= NOMINAL  # exact intervals are conservative
    # no successes in 10 trials: [0, 1 − (α/2)^(1/10)]
    lo, hi = proportion_interval(0, 10)
    assert lo == 0.0 and abs(hi - (1 - 0.0005 ** (1 / 10))) < 1e-12
