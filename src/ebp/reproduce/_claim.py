"""What a claim is: its statement, the studies it needs, its decision rules and its figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from ._verdict import INCONCLUSIVE, Verdict

__all__ = ["Claim", "FigureRef", "Tables"]

Tables = Mapping[str, pd.DataFrame]
"""Results tables by study name (``results.csv`` of each study's run folder)."""


@dataclass(frozen=True)
class FigureRef:
    """A figure that a study's ``make_figures`` writes, and what it shows for the claim."""

    study: str
    file: str
    caption: str


@dataclass(frozen=True)
class Claim:
    """One claim of the paper and how the toolkit judges it.

    Attributes:
        id: ``"C1"`` … ``"C7"`` (the numbering of the project's list of claims).
        title: A few words.
        statement: The claim as the paper makes it.
        studies: The studies whose results the verdict reads.
        rules: The decision rules in words (printed in the report); the thresholds are
            constants of the claim's module, fixed before any data is seen.
        judge: The verdict function.
        figures: Figures shown in the claim's section.
    """

    id: str
    title: str
    statement: str
    studies: tuple[str, ...]
    rules: str
    judge: Callable[[Tables], Verdict]
    figures: tuple[FigureRef, ...] = ()

    def verdict(self, tables: Tables) -> Verdict:
        """The verdict on ``tables``; inconclusive (saying why) when a study's table is missing
        or empty, or lacks a column the rules read."""
        absent = [s for s in self.studies if s not in tables or tables[s].empty]
        if absent:
            return Verdict(INCONCLUSIVE, f"no results from {', '.join(absent)}")
        try:
            return self.judge(tables)
        except KeyError as err:
            return Verdict(INCONCLUSIVE, f"the results lack column {err}; rerun the studies")
