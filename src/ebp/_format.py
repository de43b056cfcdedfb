"""Numbers with their uncertainty, as figures and reports print them."""

from __future__ import annotations

import math

__all__ = ["decimals_for", "plus_minus"]


def decimals_for(error: float, least: int = 2) -> int:
    """Decimal places that show ``error`` to one significant digit (two when that digit is 1),
    and at least ``least``: 0.03 → 2, 0.0031 → 3, 0.00012 → 5, 0 or NaN → ``least``."""
    if not math.isfinite(error) or error <= 0:
        return least
    exponent = math.floor(math.log10(error))
    leading = error / 10.0**exponent
    digits = -exponent + (1 if round(leading) == 1 else 0)
    return max(least, digits)


def plus_minus(value: float, error: float, *, sign: bool = True, least: int = 2) -> str:
    """``value ± error`` with both at :func:`decimals_for` places, so a small error does not
    print as ``± 0.00``: (−0.9987, 0.0003) → ``−0.9987 ± 0.0003``."""
    k = decimals_for(error, least)
    return f"{value:{'+' if sign else ''}.{k}f} ± {error:.{k}f}"
