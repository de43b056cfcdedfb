"""What a person looks at: figure style, colours per model, saving, and self-contained
HTML / Markdown pages (:class:`Page`, :func:`write_page`)."""

from ._page import (
    Badge,
    Figure,
    KeyValues,
    Page,
    Paragraph,
    Preformatted,
    Section,
    Table,
    render_html,
    render_markdown,
    write_page,
)
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
    "Badge",
    "Figure",
    "KeyValues",
    "Page",
    "Paragraph",
    "Preformatted",
    "Section",
    "Table",
    "model_color",
    "model_label",
    "new_figure",
    "plot_training",
    "render_html",
    "render_markdown",
    "savefig",
    "style",
    "write_page",
]
