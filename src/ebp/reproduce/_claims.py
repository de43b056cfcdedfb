"""The registry of claims C1–C7, in order."""

from __future__ import annotations

from ._c1_volume_law import CLAIM as C1
from ._c2_typicality import CLAIM as C2
from ._c3_barren_plateau import CLAIM as C3
from ._c4_gradient_descent import CLAIM as C4
from ._c5_gradient_free import CLAIM as C5
from ._c6_qbm import CLAIM as C6
from ._c7_pretraining import CLAIM as C7
from ._claim import Claim, Tables
from ._verdict import Verdict

__all__ = ["CLAIMS", "judge_all"]

CLAIMS: dict[str, Claim] = {c.id: c for c in (C1, C2, C3, C4, C5, C6, C7)}
"""Every claim of the paper by id (``"C1"`` … ``"C7"``)."""


def judge_all(tables: Tables) -> dict[str, Verdict]:
    """The verdict of every claim on the given results tables (by study name)."""
    return {cid: claim.verdict(tables) for cid, claim in CLAIMS.items()}
