"""The paper's claims C1–C7, each judged on numbers a reproduction computes.

A claim (:class:`Claim`) names the studies it needs, a verdict function of their results
tables, the decision rules in words, and its figures. :func:`reproduce` runs every study
through the resumable store, judges every claim and writes a self-contained report::

    from ebp.reproduce import CLAIMS, reproduce, write_report

    result = reproduce("ebp-results/reproduce-quick", "quick")
    result.verdicts["C3"].status        # "holds", "not supported" or "inconclusive"
    write_report("ebp-results/reproduce-quick")   # rebuild the report from stored results

A verdict comes from :class:`Check` s, each a 95 % interval of one measured quantity (a fitted
slope, a difference of success rates, a mean paired gain) against a threshold declared in the
claim's module before any data is seen: the interval on the claim's side → holds, on the other
side → not supported, straddling it → inconclusive. A claim holds when all its checks hold and
is not supported when any check is not (C7, an existence claim, holds when any of its
strategies does).
"""

from ._claim import Claim, FigureRef, Tables
from ._claims import CLAIMS, judge_all
from ._configs import MODES, OVERRIDES, STUDY_ORDER, study_config
from ._estimate import Estimate
from ._progress import fmt_seconds
from ._report import Report, write_report
from ._run import (
    MANIFEST,
    ReproduceError,
    Reproduction,
    check_out_dir,
    plan_estimate,
    read_manifest,
    reproduce,
)
from ._stats import CONFIDENCE
from ._verdict import HOLDS, INCONCLUSIVE, NOT_SUPPORTED, STATUSES, Check, Verdict

__all__ = [
    "CLAIMS",
    "CONFIDENCE",
    "HOLDS",
    "INCONCLUSIVE",
    "MANIFEST",
    "MODES",
    "NOT_SUPPORTED",
    "OVERRIDES",
    "STATUSES",
    "STUDY_ORDER",
    "Check",
    "Claim",
    "Estimate",
    "FigureRef",
    "Report",
    "ReproduceError",
    "Reproduction",
    "Tables",
    "Verdict",
    "check_out_dir",
    "fmt_seconds",
    "judge_all",
    "plan_estimate",
    "read_manifest",
    "reproduce",
    "study_config",
    "write_report",
]
