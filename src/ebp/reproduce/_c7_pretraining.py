"""C7: pretraining may navigate the plateaus.

Evidence, two lines, each comparing pretraining strategies with random initialisation on
identical problems (same data and budget, paired by repetition):

* circuits (pretraining study): shots spent to first reach the target loss;
* QBMs, the paper's generative models (qbm-training): final relative entropy on the randomly
  coupled family.

The claim is existential ("may provide a way"): it holds when some strategy beats random
initialisation significantly in either line.
"""

from __future__ import annotations

import numpy as np

from ._claim import Claim, FigureRef, Tables
from ._evidence import paired_check
from ._stats import CONFIDENCE
from ._verdict import HOLDS, INCONCLUSIVE, NOT_SUPPORTED, Check, Status, Verdict, missing

__all__ = ["CLAIM"]

BASELINE = "random"
SPEED_UP = 0.1
"""Threshold on the paired gain in shots to target, as a fraction of the budget."""
QBM_FAMILY = "random"
QBM_TARGET = "quantum"
"""The QBM line: all-to-all random 2-local QBMs learning a mixed visible state (relative
entropy), where random starts meet the plateau."""
LOSS_RATIO = 1.0
"""Threshold on the paired log₂(final loss random / final loss pretrained): at least halved."""
LOSS_FLOOR = 1e-12
"""Losses are clipped below at this value before taking logarithms."""

RULES = f"""\
Pairs: the same (n_H, repetition) run with random initialisation and with a pretraining
strategy. Each strategy gets a bootstrap interval of its mean paired gain at the Bonferroni
level 1 − {1 - CONFIDENCE:.2f}/k (k strategies in the line).
Line 1, pretraining study: gain = (shots to target, random − strategy) / budget, where a run
that never reaches the target counts the whole budget; threshold {SPEED_UP}.
Line 2, qbm-training ({QBM_FAMILY} family, {QBM_TARGET} target): gain = log₂(final loss random /
final loss strategy); threshold {LOSS_RATIO} (loss at least halved).
A strategy's check holds when its interval lies entirely above the threshold and is not
supported when entirely below. A line holds when any strategy holds, is not supported when all
are not supported, else inconclusive. C7 holds when any line holds, is not supported when both
lines are not supported, and is inconclusive otherwise (also with fewer than 2 pairs)."""


def _circuit_gains(df) -> dict[str, np.ndarray]:
    runs = df[df["kind"] == "run"].copy()
    runs["ttt"] = runs["time_to_target"].astype(float).fillna(runs["cost"].astype(float))
    budget = runs.groupby("n_hidden")["cost"].transform("max").astype(float)
    runs["ttt_frac"] = runs["ttt"] / budget
    return _gains_over_baseline(runs, "ttt_frac")


def _qbm_gains(df) -> dict[str, np.ndarray]:
    runs = df[(df["kind"] == "run") & (df["family"] == QBM_FAMILY) & (df["target"] == QBM_TARGET)]
    runs = runs.assign(log_loss=np.log2(np.maximum(runs["loss"].astype(float), LOSS_FLOOR)))
    return _gains_over_baseline(runs, "log_loss")


def _gains_over_baseline(runs, column: str) -> dict[str, np.ndarray]:
    """Per strategy, ``column`` of the random start minus the strategy's, paired by
    (n_H, repetition); empty when no random start was run."""
    table = runs.pivot_table(index=["n_hidden", "repetition"], columns="strategy", values=column)
    if BASELINE not in table:
        return {}
    return {s: (table[BASELINE] - table[s]).to_numpy() for s in table if s != BASELINE}


def _line(label: str, gains: dict[str, np.ndarray], threshold: float, unit: str):
    if not gains:
        return [missing(f"{label}: pretraining vs {BASELINE}", "no paired runs")]
    level = 1 - (1 - CONFIDENCE) / len(gains)
    return [
        paired_check(f"{label}: {s} vs {BASELINE}", d, threshold, unit=unit, confidence=level)
        for s, d in sorted(gains.items())
    ]


def _line_status(checks: list[Check]) -> Status:
    if any(c.status == HOLDS for c in checks):
        return HOLDS
    if checks and all(c.status == NOT_SUPPORTED for c in checks):
        return NOT_SUPPORTED
    return INCONCLUSIVE


def _strategies_that_hold(checks: list[Check]) -> list[str]:
    """The strategies whose check holds (each check is named "<line>: <strategy> vs random")."""
    return [
        c.name.split(": ")[1].removesuffix(f" vs {BASELINE}") for c in checks if c.status == HOLDS
    ]


def _existence(lines: dict[str, list[Check]]) -> tuple[Status, str]:
    """C7's rule: holds when any line holds, not supported when every line is not supported."""
    status = {label: _line_status(checks) for label, checks in lines.items()}
    if HOLDS in status.values():
        winners = (
            f"{label} ({', '.join(names)})"
            for label, checks in lines.items()
            if (names := _strategies_that_hold(checks))
        )
        return HOLDS, "pretraining beats random initialisation: " + "; ".join(winners)
    if all(v == NOT_SUPPORTED for v in status.values()):
        return (
            NOT_SUPPORTED,
            "no pretraining strategy beats random initialisation "
            "by the declared margin in either line",
        )
    undecided = ", ".join(f"{k}: {v}" for k, v in status.items())
    return INCONCLUSIVE, f"the data does not decide C7 ({undecided})"


def judge(tables: Tables) -> Verdict:
    """The C7 verdict from the pretraining and qbm-training tables (rules: RULES)."""
    lines = {
        "circuits": _line(
            "circuits, shots to target",
            _circuit_gains(tables["pretraining"]),
            SPEED_UP,
            " of budget",
        ),
        "QBMs": _line("QBMs, final loss", _qbm_gains(tables["qbm-training"]), LOSS_RATIO, " bits"),
    }
    status, summary = _existence(lines)
    return Verdict(status, summary, tuple(c for checks in lines.values() for c in checks))


CLAIM = Claim(
    id="C7",
    title="Pretraining may navigate the plateaus",
    statement=(
        "Pretraining such generative models may provide a way to navigate these barren "
        "plateaus: low-entanglement or decoupled starts, layerwise growth and mean-field QBM "
        "starts against random initialisation on the same task."
    ),
    studies=("pretraining", "qbm-training"),
    rules=RULES,
    judge=judge,
    figures=(
        FigureRef(
            "pretraining",
            "pretraining_trajectories.png",
            "Median loss and S(ρ_V) against shots spent per strategy, volume-law "
            "brickwork: pretrained starts leave the plateau early.",
        ),
        FigureRef(
            "pretraining",
            "pretraining_time_to_target.png",
            "Shots each run needed to reach the target (▲: never reached within the budget).",
        ),
        FigureRef(
            "qbm-training",
            "qbm_training_final_loss.png",
            "Final loss of QBM training per strategy, family and target: visible-first "
            "pretraining against random starts.",
        ),
    ),
)
