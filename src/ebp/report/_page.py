"""Pages a person reads: one self-contained HTML file and a Markdown twin, from plain data.

A :class:`Page` is a title, a header (blocks shown first), :class:`Section` s and a footer. A
block is a :class:`Paragraph`, :class:`Table`, :class:`Figure`, :class:`Preformatted` or
:class:`KeyValues`; a table cell may be a :class:`Badge` (a coloured word such as a verdict).
The same page renders to

* HTML (:func:`render_html`): one file with the CSS inline and every figure embedded as a
  base64 ``data:image/png`` URI, so it needs no network and survives being mailed;
* Markdown (:func:`render_markdown`): the same text and tables, figures as relative links.

Text is escaped, never interpreted: a page cannot inject markup. Nothing here knows about
claims or studies, so any feature (a reproduction report, a circuit diagnosis) builds its page
from these pieces::

    page = Page("Title", sections=[Section("One", [Paragraph("Hello."), Table(("a",), [("1",)])])])
    write_page(page, "out/", "report")          # out/report.html, out/report.md
"""

from __future__ import annotations

import base64
import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "Badge",
    "Block",
    "Figure",
    "KeyValues",
    "Page",
    "Paragraph",
    "Preformatted",
    "Section",
    "Table",
    "render_html",
    "render_markdown",
    "write_page",
]

Tone = Literal["good", "bad", "neutral", "warn"]
_TONES = ("good", "bad", "neutral", "warn")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Badge:
    """A short coloured label inside a table cell or a section title (e.g. a verdict).

    ``tone`` picks the colour: ``good`` (green), ``bad`` (red), ``warn`` (amber), ``neutral``.
    """

    text: str
    tone: Tone = "neutral"

    def __post_init__(self):
        if self.tone not in _TONES:
            raise ValueError(f"badge tone must be one of {', '.join(_TONES)}; got {self.tone!r}.")


Cell = str | Badge


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (escaped on output); ``note=True`` renders it smaller/grey."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Preformatted:
    """Monospaced text kept as written (configs, rules, logs)."""

    text: str
    caption: str = ""


@dataclass(frozen=True)
class KeyValues:
    """A two-column list of (name, value) pairs."""

    items: tuple[tuple[str, Cell], ...]
    caption: str = ""


@dataclass(frozen=True)
class Table:
    """A table: column names and rows of cells (str or :class:`Badge`)."""

    columns: Sequence[str]  # stored as a tuple
    rows: Sequence[Sequence[Cell]]  # stored as a tuple of tuples
    caption: str = ""

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in self.rows))
        bad = [i for i, r in enumerate(self.rows) if len(r) != len(self.columns)]
        if bad:
            raise ValueError(
                f"table rows must have {len(self.columns)} cells like the header; "
                f"rows {bad} do not."
            )


@dataclass(frozen=True)
class Figure:
    """A PNG figure: a file on disk (``path``) or its bytes (``png``), with a caption.

    In HTML the image is embedded; in Markdown it is linked relative to the Markdown file.
    """

    path: Path | None = None
    caption: str = ""
    png: bytes | None = field(default=None, repr=False)
    alt: str = ""

    def __post_init__(self):
        if (self.path is None) == (self.png is None):
            raise ValueError("a Figure needs exactly one of path= or png=.")
        if self.path is not None:
            object.__setattr__(self, "path", Path(self.path))

    def data(self) -> bytes:
        """The PNG bytes (read from ``path`` if needed); ValueError if they are not a PNG."""
        if self.png is not None:
            raw = self.png
        else:
            assert self.path is not None  # __post_init__: exactly one of path and png
            raw = Path(self.path).read_bytes()
        if not raw.startswith(_PNG_MAGIC):
            where = f"'{self.path}'" if self.path is not None else "png="
            raise ValueError(f"figure {where} is not a PNG file.")
        return raw


Block = Paragraph | Preformatted | KeyValues | Table | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the page; ``badge`` is shown next to the title, ``anchor`` is its id."""

    title: str
    blocks: Sequence[Block] = ()
    badge: Badge | None = None
    anchor: str = ""

    def ident(self) -> str:
        """The HTML id: ``anchor`` or a slug of the title."""
        return self.anchor or re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


@dataclass(frozen=True)
class Page:
    """A whole page: title, subtitle, header blocks, sections, footer sections."""

    title: str
    subtitle: str = ""
    header: Sequence[Block] = ()
    sections: Sequence[Section] = ()
    footer: Sequence[Section] = ()


# --------------------------------------------------------------------------- HTML

_CSS = """
:root { --fg:#1d2327; --muted:#5f6b73; --line:#d8dee3; --bg:#ffffff; --soft:#f5f7f8;
        --good:#1a7f37; --bad:#c0392b; --warn:#9a6700; --neutral:#57606a; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
       font: 15px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 60px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 38px 0 10px; padding-top: 14px; border-top: 1px solid var(--line); }
.subtitle { color: var(--muted); margin: 0 0 18px; }
nav { margin: 10px 0 0; font-size: .92em; }
nav a { margin-right: 14px; }
a { color: #0b61a4; }
p.note { color: var(--muted); font-size: .9em; }
table { border-collapse: collapse; margin: 10px 0 16px; font-size: .92em; }
th, td { border: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
caption { caption-side: top; text-align: left; color: var(--muted); padding: 0 0 4px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600;
         font-size: .88em; color: #fff; white-space: nowrap; }
.good { background: var(--good); } .bad { background: var(--bad); }
.warn { background: var(--warn); } .neutral { background: var(--neutral); }
h2 .badge { margin-left: 10px; vertical-align: middle; }
figure { margin: 14px 0 22px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .9em; margin-top: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 10px; overflow-x: auto;
      font-size: .84em; line-height: 1.4; }
.pre-caption { color: var(--muted); font-size: .9em; margin: 10px 0 0; }
footer { margin-top: 50px; font-size: .92em; }
footer h2 { font-size: 1.1em; }
"""


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _cell_html(cell: Cell) -> str:
    if isinstance(cell, Badge):
        return f'<span class="badge {cell.tone}">{_esc(cell.text)}</span>'
    return _esc(cell)


def _block_html(block: Block) -> str:
    if isinstance(block, Paragraph):
        cls = ' class="note"' if block.note else ""
        return f"<p{cls}>{_esc(block.text)}</p>"
    if isinstance(block, Preformatted):
        cap = f'<p class="pre-caption">{_esc(block.caption)}</p>' if block.caption else ""
        return f"{cap}<pre>{_esc(block.text)}</pre>"
    if isinstance(block, KeyValues):
        cap = f"<caption>{_esc(block.caption)}</caption>" if block.caption else ""
        rows = "".join(
            f"<tr><th>{_esc(k)}</th><td>{_cell_html(v)}</td></tr>" for k, v in block.items
        )
        return f"<table>{cap}<tbody>{rows}</tbody></table>"
    if isinstance(block, Table):
        cap = f"<caption>{_esc(block.caption)}</caption>" if block.caption else ""
        head = "".join(f"<th>{_esc(c)}</th>" for c in block.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell_html(c)}</td>" for c in row) + "</tr>"
            for row in block.rows
        )
        return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Figure):
        uri = "data:image/png;base64," + base64.b64encode(block.data()).decode("ascii")
        alt = block.alt or block.caption or (block.path.name if block.path else "figure")
        cap = f"<figcaption>{_esc(block.caption)}</figcaption>" if block.caption else ""
        return f'<figure><img src="{uri}" alt="{_esc(alt)}">{cap}</figure>'
    raise TypeError(f"unknown page block {type(block).__name__}.")


def _section_html(section: Section) -> str:
    badge = f" {_cell_html(section.badge)}" if section.badge else ""
    blocks = "\n".join(_block_html(b) for b in section.blocks)
    return (
        f'<section id="{_esc(section.ident())}">\n<h2>{_esc(section.title)}{badge}</h2>\n'
        f"{blocks}\n</section>"
    )


def render_html(page: Page) -> str:
    """The page as one self-contained HTML document (inline CSS, embedded PNGs, no scripts)."""
    nav = ""
    if page.sections:
        links = "".join(f'<a href="#{_esc(s.ident())}">{_esc(s.title)}</a>' for s in page.sections)
        nav = f"<nav>{links}</nav>"
    subtitle = f'<p class="subtitle">{_esc(page.subtitle)}</p>' if page.subtitle else ""
    header = "\n".join(_block_html(b) for b in page.header)
    sections = "\n".join(_section_html(s) for s in page.sections)
    footer = "\n".join(_section_html(s) for s in page.footer)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(page.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<header>\n<h1>{_esc(page.title)}</h1>\n{subtitle}\n{header}\n{nav}\n</header>\n"
        f"{sections}\n<footer>\n{footer}\n</footer>\n</main>\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- Markdown


def _md_text(text: str) -> str:
    """Text with Markdown's active characters escaped (so numbers like 2*3 stay literal)."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", str(text))


def _md_cell(cell: Cell) -> str:
    text = f"**{_md_text(cell.text)}**" if isinstance(cell, Badge) else _md_text(cell)
    return text.replace("\n", " ")


def _md_table(columns, rows) -> str:
    head = "| " + " | ".join(_md_text(c) for c in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def _block_md(block: Block, base: Path | None) -> str:
    if isinstance(block, Paragraph):
        return f"*{_md_text(block.text)}*" if block.note else _md_text(block.text)
    if isinstance(block, Preformatted):
        cap = f"{_md_text(block.caption)}\n\n" if block.caption else ""
        fence = "````" if "```" in block.text else "```"
        return f"{cap}{fence}\n{block.text}\n{fence}"
    if isinstance(block, KeyValues):
        cap = f"{_md_text(block.caption)}\n\n" if block.caption else ""
        return cap + _md_table(("", ""), [(Badge(k), v) for k, v in block.items])
    if isinstance(block, Table):
        cap = f"{_md_text(block.caption)}\n\n" if block.caption else ""
        return cap + _md_table(block.columns, block.rows)
    if isinstance(block, Figure):
        if block.path is None:
            return f"*(figure: {_md_text(block.caption)})*"
        target = Path(block.path)
        if base is not None:
            target = Path(os.path.relpath(target.resolve(), base.resolve()))
        alt = block.alt or block.caption or target.name
        return f"![{_md_text(alt)}]({target.as_posix()})"
    raise TypeError(f"unknown page block {type(block).__name__}.")


def render_markdown(page: Page, *, base: str | Path | None = None) -> str:
    """The page as Markdown; figure links are made relative to the folder ``base``."""
    where = Path(base) if base is not None else None
    parts = [f"# {_md_text(page.title)}"]
    if page.subtitle:
        parts.append(_md_text(page.subtitle))
    parts += [_block_md(b, where) for b in page.header]
    for section in [*page.sections, *page.footer]:
        badge = f" — **{section.badge.text}**" if section.badge else ""
        parts.append(f"## {_md_text(section.title)}{badge}")
        parts += [_block_md(b, where) for b in section.blocks]
    return "\n\n".join(parts) + "\n"


def write_page(page: Page, folder: str | Path, stem: str = "report") -> tuple[Path, Path]:
    """Write ``folder/stem.html`` and ``folder/stem.md``; returns both paths.

    Each file is written to a temporary name and renamed into place, so a reader never sees a
    half-written report.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for suffix, text in (
        (".html", render_html(page)),
        (".md", render_markdown(page, base=folder)),
    ):
        path = folder / f"{stem}{suffix}"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        out.append(path)
    return out[0], out[1]
