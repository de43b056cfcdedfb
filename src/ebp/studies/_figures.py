"""A study's outputs as a list: each a drawing function named by the file it becomes.

::

    @figure("entropy.png")
    def _entropy(df, config):          # the results table and the study config
        ...                            # -> a matplotlib Figure, a DataFrame (written as CSV),
        return fig                     #    or None when the table has nothing to draw

    make_figures = figures(_entropy, _summary)

:func:`figures` builds the study's ``make_figures(df, config, out_dir)``: it creates the folder,
returns nothing for an empty table, applies the figure style (:func:`ebp.report.style`) and saves
every output in order (PNG through :func:`ebp.report.savefig`), returning the paths written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..report import savefig, style

__all__ = ["Output", "figure", "figures"]

Drawing = Callable[[pd.DataFrame, Any], "Figure | pd.DataFrame | None"]


@dataclass(frozen=True)
class Output:
    """One output file of a study: ``draw(df, config)`` gives its content (or None: skipped)."""

    filename: str
    draw: Drawing

    def __call__(self, df: pd.DataFrame, config: Any) -> Figure | pd.DataFrame | None:
        return self.draw(df, config)


def figure(filename: str) -> Callable[[Drawing], Output]:
    """Decorator: the function draws the file ``filename`` (``.png`` for a Figure, ``.csv`` for a
    DataFrame) from ``(df, config)``."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".png", ".csv") or Path(filename).name != filename:
        raise ValueError(f"an output is a file name ending in .png or .csv; got {filename!r}.")

    def named(draw: Drawing) -> Output:
        return Output(filename, draw)

    return named


def figures(
    *outputs: Output, prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None
) -> Callable[[pd.DataFrame, Any, str | Path], list[Path]]:
    """The ``make_figures`` of a study that writes ``outputs``, in order.

    ``prepare`` (optional) maps the results table before any output sees it, e.g. to restore
    column dtypes that a CSV round trip loses.
    """
    for out in outputs:
        if not isinstance(out, Output):
            raise TypeError(f"figures takes functions decorated with @figure; got {out!r}.")

    def make_figures(df: pd.DataFrame, config: Any, out_dir: str | Path) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if df.empty:
            return []
        if prepare is not None:
            df = prepare(df)
        paths = []
        with style():
            for output in outputs:
                content = output(df, config)
                if content is None:
                    continue
                path = out / output.filename
                if isinstance(content, pd.DataFrame) != (path.suffix == ".csv"):
                    raise TypeError(
                        f"{output.filename} needs a "
                        f"{'DataFrame' if path.suffix == '.csv' else 'Figure'}; "
                        f"got {type(content).__name__}."
                    )
                if isinstance(content, pd.DataFrame):
                    content.to_csv(path, index=False)
                else:
                    savefig(content, path)
                paths.append(path)
        return paths

    make_figures.__doc__ = "Write " + ", ".join(f"``{o.filename}``" for o in outputs) + "."
    return make_figures
