"""Verdicts: threshold tests on intervals, combined into holds / not supported / inconclusive.

Every claim is judged by one or more :class:`Check` s. A check compares a 95 % interval
[lo, hi] of one measured quantity with a threshold τ fixed in the claim's module before any
data is seen, on the side the claim predicts:

* the whole interval on the claim's side of τ   → ``holds``;
* the whole interval on the other side of τ     → ``not supported`` (the data rules out an
  effect as large as τ);
* the interval contains τ, or too little data   → ``inconclusive``.

A bound that a theorem guarantees is a check too: any violated instance gives
``not supported``. A claim's verdict (:func:`combine`) is ``not supported`` if any of its checks
is, ``holds`` if all of them hold, and ``inconclusive`` otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "HOLDS",
    "INCONCLUSIVE",
    "NOT_SUPPORTED",
    "STATUSES",
    "Check",
    "Status",
    "Verdict",
    "bound_check",
    "claim_verdict",
    "combine",
    "missing",
    "threshold_check",
]

Status = Literal["holds", "not supported", "inconclusive"]
HOLDS: Status = "holds"
"""Verdict status: every check's interval lies on the claim's side of its threshold."""
NOT_SUPPORTED: Status = "not supported"
"""Verdict status: a check's interval lies on the other side of its threshold."""
INCONCLUSIVE: Status = "inconclusive"
"""Verdict status: an interval straddles its threshold, or the data are too few to decide."""
STATUSES: tuple[Status, ...] = (HOLDS, NOT_SUPPORTED, INCONCLUSIVE)
"""The three verdict statuses, in this order."""


@dataclass(frozen=True)
class Check:
    """One test of a claim: what was measured, the numbers and the outcome (the rule it
    applies is in the claim's declared rules)."""

    name: str
    status: Status
    value: str

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}; got {self.status!r}.")


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict: the status, one sentence why, the checks behind it, and further
    numbers (``extra``: (name, value) pairs that inform but do not decide)."""

    status: Status
    summary: str
    checks: tuple[Check, ...] = field(default=())
    extra: tuple[tuple[str, str], ...] = field(default=())

    def numbers(self) -> list[tuple[str, str]]:
        """(check name, measured value) pairs, for tables."""
        return [(c.name, c.value) for c in self.checks]


def threshold_check(
    name: str,
    value: str,
    lo: float,
    hi: float,
    threshold: float,
    side: Literal["below", "above"],
) -> Check:
    """A check of an interval [lo, hi] against ``threshold`` on the claim's ``side``.

    ``side="below"``: the claim predicts the quantity is below τ (e.g. a decay rate); holds if
    hi < τ, not supported if lo > τ. ``side="above"`` mirrors it. A NaN end is inconclusive.
    """
    if side not in ("below", "above"):
        raise ValueError(f"side must be 'below' or 'above'; got {side!r}.")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        status: Status = INCONCLUSIVE
    elif side == "below":
        status = HOLDS if hi < threshold else NOT_SUPPORTED if lo > threshold else INCONCLUSIVE
    else:
        status = HOLDS if lo > threshold else NOT_SUPPORTED if hi < threshold else INCONCLUSIVE
    return Check(name, status, value)


def bound_check(name: str, violations: int, total: int, *, unit: str = "instances") -> Check:
    """A theorem's inequality checked on every instance (or point, ``unit``): any violation is
    ``not supported``; none checked is ``inconclusive``."""
    if total == 0:
        return Check(name, INCONCLUSIVE, f"no {unit}")
    status: Status = NOT_SUPPORTED if violations else HOLDS
    return Check(name, status, f"{violations} of {total} {unit} violate it")


def missing(name: str, why: str) -> Check:
    """An inconclusive check for data that is absent or too small (``why`` says which)."""
    return Check(name, INCONCLUSIVE, why)


def combine(
    checks: Sequence[Check],
    *,
    holds: str,
    fails: str,
    unsure: str,
    extra: Sequence[tuple[str, str]] = (),
) -> Verdict:
    """All checks hold → holds; any not supported → not supported; else inconclusive.

    ``holds`` / ``fails`` / ``unsure`` are the one-sentence summaries of each outcome; the
    names of the deciding checks are appended.
    """
    checks, extra = tuple(checks), tuple(extra)
    bad = [c.name for c in checks if c.status == NOT_SUPPORTED]
    open_ = [c.name for c in checks if c.status == INCONCLUSIVE]
    if not checks:
        return Verdict(INCONCLUSIVE, unsure + " (no checks could be made)", checks, extra)
    if bad:
        return Verdict(NOT_SUPPORTED, f"{fails} (failed: {', '.join(bad)})", checks, extra)
    if open_:
        return Verdict(INCONCLUSIVE, f"{unsure} (undecided: {', '.join(open_)})", checks, extra)
    return Verdict(HOLDS, holds, checks, extra)


def claim_verdict(
    claim: str, checks: Sequence[Check], *, holds: str, extra: Sequence[tuple[str, str]] = ()
) -> Verdict:
    """A claim's verdict by :func:`combine`: ``holds`` says what the data shows when every
    check holds; otherwise the summary is "the data contradicts ``claim``" or "the data does
    not decide ``claim``", with the deciding checks named."""
    return combine(
        checks,
        holds=holds,
        fails=f"the data contradicts {claim}",
        unsure=f"the data does not decide {claim}",
        extra=extra,
    )
