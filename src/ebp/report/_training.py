"""The training figure: loss against budget spent, with S(ρ_V) alongside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._style import THEORY_COLOR, new_figure, savefig, style

__all__ = ["plot_training"]


def plot_training(
    curves: pd.DataFrame | dict[str, pd.DataFrame],
    path: str | Path,
    *,
    title: str = "",
    target: float | None = None,
    entropy_max: float | None = None,
) -> Path:
    """Two panels against the budget spent (column ``cost``): the exact loss and S(ρ_V).

    Args:
        curves: one curve (a :attr:`ebp.train.FitResult.curve`) or several by label.
        path: the file to write (PNG, PDF or SVG).
        title: figure title.
        target: the task's success threshold, drawn as a dashed line.
        entropy_max: log₂ d_V, drawn as the volume-law ceiling of S(ρ_V).
    """
    if isinstance(curves, pd.DataFrame):
        curves = {"": curves}
    with style():
        fig, axes = new_figure(1, 2, width=5.0, height=3.8)  # inches per panel
        ax_loss, ax_s = axes[0, 0], axes[0, 1]
        for label, c in curves.items():
            (line,) = ax_loss.plot(c["cost"], c["loss"], lw=1.4, label=label or None)
            ax_s.plot(c["cost"], c["entropy"], lw=1.4, color=line.get_color())
            if "phase" in c and c["phase"].nunique() > 1:
                starts = c.index[c["phase"] != c["phase"].shift()][1:]
                for i in starts:
                    for ax in (ax_loss, ax_s):
                        ax.axvline(c.loc[i, "cost"], color=line.get_color(), lw=0.6, ls=":")
        if target is not None and np.isfinite(target):
            ax_loss.axhline(target, color=THEORY_COLOR, ls="--", lw=1, label="success threshold")
        if entropy_max is not None:
            ax_s.axhline(
                entropy_max, color=THEORY_COLOR, ls="--", lw=1, label=r"$\log_2 d_V$ (volume law)"
            )
            ax_s.legend(loc="best", fontsize=8)
        ax_loss.set_xlabel("budget spent (shots, or circuit evaluations when exact)")
        ax_loss.set_ylabel("loss (exact)")
        ax_s.set_xlabel("budget spent")
        ax_s.set_ylabel(r"$S(\rho_V)$ [bits]")
        if len(curves) > 1 or target is not None:
            ax_loss.legend(loc="best", fontsize=8)
        if title:
            fig.suptitle(title)
        return savefig(fig, path)
