"""Matplotlib defaults for publication-ready figures, one colour per model, and a save helper.

Figures are built on :class:`matplotlib.figure.Figure` directly (never through ``pyplot``), so
making them neither opens windows nor leaks global figure state, and works from worker threads.
The rcParams live in :data:`RC` and are applied inside :func:`style` (a context manager), so
importing this module changes nothing globally except selecting the non-interactive Agg backend
when ``pyplot`` has not been imported yet.

Colours are the Okabe–Ito colour-blind-safe palette (M. Okabe and K. Ito, "Color Universal
Design", 2008), fixed per model so that a model looks the same in every figure.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "RC",
    "MODEL_COLORS",
    "MODEL_LABELS",
    "THEORY_COLOR",
    "DPI",
    "style",
    "new_figure",
    "model_color",
    "model_label",
    "savefig",
]

if "matplotlib.pyplot" not in sys.modules:  # do not yank the backend from under a live session
    matplotlib.use("Agg")

DPI = 150
"""Resolution of saved PNGs, dots per inch."""

RC: dict[RcKeyType, Any] = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "figure.titlesize": 13,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.6,
    "lines.markersize": 5,
    "errorbar.capsize": 2.5,
    "savefig.bbox": "tight",
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
}
"""rcParams applied by :func:`style`."""

MODEL_COLORS: dict[str, str] = {
    "haar": "#000000",
    "gue": "#E69F00",
    "hardware_efficient": "#56B4E9",
    "brickwork": "#009E73",
    "pauli_network": "#CC79A7",
    "bounded_cut": "#D55E00",
    "decoupled": "#0072B2",
    "qbm": "#882255",
}
"""One fixed colour per model name (Okabe–Ito palette; ``qbm`` in P. Tol's wine, the last
Okabe–Ito colour, yellow, being too light on white)."""

MODEL_LABELS: dict[str, str] = {
    "haar": "Haar random state",
    "gue": "GUE evolution $e^{-iHt}|0\\rangle$",
    "hardware_efficient": "hardware-efficient",
    "brickwork": "SU(4) brickwork",
    "pauli_network": "Pauli network (paper)",
    "bounded_cut": "bounded cut",
    "decoupled": "decoupled",
    "qbm": "random 2-local QBM, $\\sigma_V$",
}
"""Human-readable legend labels per model name."""

THEORY_COLOR = "#555555"
"""Colour of theory lines that are not tied to one model (bounds, maxima)."""

_FALLBACK = ("#0072B2", "#F0E442", "#882255", "#44AA99", "#999933", "#AA4499")


def model_color(name: str) -> str:
    """The fixed colour of model ``name``; unknown names get a stable fallback colour."""
    if name in MODEL_COLORS:
        return MODEL_COLORS[name]
    return _FALLBACK[sum(map(ord, name)) % len(_FALLBACK)]


def model_label(name: str) -> str:
    """Legend label of model ``name`` (the name itself when unknown)."""
    return MODEL_LABELS.get(name, name)


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Apply :data:`RC` for the duration of a ``with`` block (artists read rcParams on creation)."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 4.4, **kw):
    """A pyplot-free ``Figure`` and its axes (``squeeze=False``: always a 2-D array of axes).

    ``width``/``height`` are per panel, in inches. Call inside :func:`style`.
    """
    fig = Figure(figsize=(width * ncols, height * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def savefig(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as a PNG at :data:`DPI` dpi (creating parent folders), then close it.

    Returns the path written. Closing releases the figure's memory; a figure made through
    ``pyplot`` is also removed from pyplot's registry.
    """
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(f"savefig writes PNG files; got a path ending in {path.suffix!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, format="png")
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    fig.clear()
    return path
