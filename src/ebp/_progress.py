"""Progress display for long Python entry points (``fit``, pretraining, gradient statistics, QBM
pretraining): one rich bar over a total, with named phases.

``progress=None`` (the default of every entry point) shows the bar when the output is a terminal
or a notebook and stays silent otherwise: scripts piped to a file, tests, worker processes, and
calls made while another progress display is live (a study's tasks under ``ebp run``).
``True``/``False`` force it on or off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Bar", "PhaseReport", "show_progress"]


def show_progress(progress) -> bool:
    """Resolve a ``progress=`` argument: ``None`` → on in a terminal or notebook, else off."""
    if progress is None:
        import multiprocessing

        from rich import get_console

        console = get_console()
        interactive = console.is_terminal or console.is_jupyter
        in_worker = multiprocessing.parent_process() is not None
        # rich keeps its live displays (e.g. the runner's bar) on the console; no public getter
        busy = bool(getattr(console, "_live_stack", ()))
        return bool(interactive and not in_worker and not busy)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None (automatic); got {progress!r}.")
    return progress


@dataclass
class Bar:
    """A progress bar over ``total`` units (shots, evaluations, samples), used as a context.

    Disabled bars cost nothing. Phases (:meth:`phase`) report their own spending, which the bar
    shows offset by what earlier phases spent.
    """

    total: float
    description: str
    unit: str = ""
    enabled: bool = True
    _progress: Any = field(default=None, init=False, repr=False)
    _task: Any = field(default=None, init=False, repr=False)
    completed: float = field(default=0.0, init=False)

    def __enter__(self) -> Bar:
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                TextColumn("{task.fields[phase]}"),
                BarColumn(),
                TextColumn("{task.fields[spent]}"),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(
                self.description, total=self.total, phase="", spent=self._spent_text(), status=""
            )
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
            self._progress = None

    def _spent_text(self) -> str:
        return f"{self.completed:.4g}/{self.total:.4g} {self.unit}".rstrip()

    def update(self, completed: float, *, phase: str = "", **status: float) -> None:
        """Set the amount done and the numbers shown after the bar (e.g. ``loss=0.12``)."""
        self.completed = float(completed)
        if self._progress is not None:
            text = "  ".join(f"{k} {v:.4g}" for k, v in status.items())
            self._progress.update(
                self._task,
                completed=self.completed,
                phase=phase,
                spent=self._spent_text(),
                status=text,
            )

    def phase(self, name: str, scale: float = 1.0) -> PhaseReport:
        """A reporter for the next phase: its own spending × ``scale`` adds to the bar."""
        return PhaseReport(self, name, self.completed, float(scale))


@dataclass(frozen=True)
class PhaseReport:
    """Reports one phase's spending into a :class:`Bar` (pass it as ``progress=`` to ``fit``)."""

    bar: Bar
    name: str
    offset: float
    scale: float = 1.0

    def __call__(self, spent: float, **status: float) -> None:
        self.bar.update(self.offset + self.scale * spent, phase=self.name, **status)
