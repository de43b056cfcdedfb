"""A diagnosis as a rich table for the terminal."""

from __future__ import annotations

from ._page import evidence_rows
from ._result import Diagnosis

__all__ = ["print_diagnosis"]

_STYLES = {"trainable": "bold green", "at risk": "bold yellow", "barren": "bold red"}


def print_diagnosis(d: Diagnosis, console=None) -> None:
    """Print the evidence, the verdict with the rule line that fired, the rule and remedies."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"ebp diagnose{': ' + d.name if d.name else ''}", show_lines=False)
    table.add_column("quantity", style="bold")
    table.add_column("value")
    for name, value in evidence_rows(d):
        table.add_row(escape(name), escape(value))
    table.add_row("verdict", f"[{_STYLES[d.verdict]}]{d.verdict}[/]")
    table.add_row("why", escape(d.reason))
    console.print(table)
    console.print("Rule (first match wins):", style="bold")
    for line in d.rule:
        console.print(f"  {escape(line)}", highlight=False)
    if d.remedies:
        console.print("Remedies:", style="bold")
        for what, where in d.remedies:
            console.print(f"  - {escape(what)}: {escape(where)}", highlight=False)
