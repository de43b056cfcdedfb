"""What a person looks at: figure style, colours per model, saving (HTML report to come)."""

from ._style import (
    DPI,
    MODEL_COLORS,
    MODEL_LABELS,
    RC,
    THEORY_COLOR,
    model_color,
    model_label,
    new_figure,
    savefig,
    style,
)
from ._training import plot_training

__all__ = [
    "DPI",
    "MODEL_COLORS",
    "MODEL_LABELS",
    "RC",
    "THEORY_COLOR",
    "model_color",
    "model_label",
    "new_figure",
    "plot_training",
    "savefig",
    "style",
]
