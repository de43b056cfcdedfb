"""Progress of a sweep: a rich bar on a terminal, plain log lines in logs and pipes.

Both show tasks done / total, the rate and the time left. On a resumed run the count starts at
the tasks already in the store, and the rate counts only tasks finished in this session.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..experiment import Task

__all__ = ["Reporter", "fmt_seconds", "make_reporter"]


def fmt_seconds(s: float) -> str:
    """``42s``, ``3m07s`` or ``2h05m``."""
    s = max(0.0, s)
    if s < 60:
        return f"{s:.0f}s"
    m, s = divmod(round(s), 60)
    return f"{m}m{s:02d}s" if m < 60 else f"{m // 60}h{m % 60:02d}m"


def _headline(total: int, name: str, already: int, where: str) -> str:
    resumed = f", {already} already done" if already else ""
    return f"[ebp] {name}: {total} tasks{resumed} ({where})"


class Reporter(Protocol):
    """What the runner calls: ``advance`` after each finished task, ``close`` at the end."""

    def advance(self, done: int, task: Task) -> None: ...

    def close(self) -> None: ...


class _Silent:
    def advance(self, done: int, task: Task) -> None:
        pass

    def close(self) -> None:
        pass


class _LogLines:
    """Plain progress lines: about every 5 % of the tasks and at the end."""

    def __init__(self, total: int, name: str, already: int, where: str):
        self.total, self.name, self.already = total, name, already
        self.t0 = time.perf_counter()
        self.every = max(1, (total - already) // 20)
        print(_headline(total, name, already, where), flush=True)

    def advance(self, done: int, task: Task) -> None:
        new = done - self.already
        if new % self.every and done != self.total:
            return
        elapsed = time.perf_counter() - self.t0
        rate = new / elapsed if elapsed > 0 else float("inf")
        eta = (self.total - done) / rate if rate > 0 else 0.0
        print(
            f"[ebp] {self.name}: {done}/{self.total} tasks, {rate:.2f} tasks/s, "
            f"elapsed {fmt_seconds(elapsed)}, ETA {fmt_seconds(eta)}  ({task.label()})",
            flush=True,
        )

    def close(self) -> None:
        pass


class _RichBar:
    """A rich progress bar: tasks done/total, rate, elapsed, ETA."""

    def __init__(self, total: int, name: str, already: int, where: str):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        self.progress.start()
        self.progress.console.print(
            _headline(total, name, already, where), markup=False, highlight=False
        )
        self.bar = self.progress.add_task(name, total=total, completed=already, rate="")
        self.already, self.t0 = already, time.perf_counter()

    def advance(self, done: int, task: Task) -> None:
        elapsed = time.perf_counter() - self.t0
        rate = f"{(done - self.already) / elapsed:.2f} tasks/s" if elapsed > 0 else ""
        self.progress.update(self.bar, completed=done, rate=rate)

    def close(self) -> None:
        self.progress.stop()


def make_reporter(total: int, name: str, *, already: int = 0, where: str = "", enabled=True):
    """A :class:`Reporter`: rich bar if stdout is a terminal, log lines if not, or nothing.

    Args:
        total: Number of tasks of the run.
        name: Study name, shown in front.
        already: Tasks already done before this session (a resumed run).
        where: Where the tasks run, e.g. ``"2 processes"``.
        enabled (bool): False for no output at all.
    """
    if not enabled:
        return _Silent()
    kind = _RichBar if sys.stdout.isatty() else _LogLines
    return kind(total, name, already, where or "this process")
