"""One progress display for a whole reproduction: which study, its tasks done / total, all
tasks done / total, elapsed time and an estimate of the time left.

Progress is read from the run folders themselves (a task is done exactly when its file
``<study>/tasks/<key>.json`` exists, see :mod:`ebp.runner`), by a background thread, so the
display works the same on every executor and after a resume. The time left is the current
study's remaining tasks at its observed pace plus the remaining studies' estimates
(:mod:`._estimate`), scaled by how fast this machine has been against those estimates.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["OverallProgress", "PlanItem", "fmt_seconds"]


def fmt_seconds(s: float) -> str:
    """``42s``, ``3m07s`` or ``2h05m``."""
    s = max(0.0, float(s))
    if s < 60:
        return f"{s:.0f}s"
    m, s = divmod(round(s), 60)
    return f"{m}m{s:02d}s" if m < 60 else f"{m // 60}h{m % 60:02d}m"


@dataclass(frozen=True)
class PlanItem:
    """A study of the plan: its run folder, its task keys and its estimated seconds."""

    name: str
    folder: Path
    keys: frozenset[str]
    estimate_s: float


def _done(item: PlanItem) -> int:
    folder = item.folder / "tasks"
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.glob("*.json") if p.stem in item.keys)


class OverallProgress:
    """Context manager: ``with OverallProgress(plan) as bar: bar.start(i); ...; bar.finish(i)``.

    On a terminal it draws two rich bars (current study, all studies); elsewhere it prints a
    line when a study starts, about every 10 % of its tasks, and when it ends.
    """

    def __init__(self, plan: list[PlanItem], *, enabled: bool = True, interval: float = 0.5):
        self.plan, self.enabled, self.interval = plan, enabled, interval
        self.total = sum(len(p.keys) for p in plan)
        self.t0 = time.perf_counter()
        self.current: int | None = None
        self.study_t0 = self.t0
        self.start_done = 0
        self.finished_done = {i: 0 for i in range(len(plan))}
        self.spent_vs_estimate = [0.0, 0.0]  # seconds spent, estimated seconds, this session
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._rich: Progress | None = None
        self._last_logged = -1

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> OverallProgress:
        for i, item in enumerate(self.plan):
            self.finished_done[i] = _done(item)
        if self.enabled and sys.stdout.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._rich = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"),
            )
            self._rich.start()
            self._study_bar = self._rich.add_task("", total=1, info="")
            self._all_bar = self._rich.add_task("all studies", total=self.total, info="")
        if self.enabled:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._rich is not None:
            self._refresh()
            self._rich.stop()

    def start(self, index: int) -> None:
        """Study ``index`` of the plan begins."""
        with self._lock:
            self.current = index
            self.study_t0 = time.perf_counter()
            self.start_done = _done(self.plan[index])
            self.finished_done[index] = self.start_done
            self._last_logged = -1
        if self.enabled and self._rich is None:
            item = self.plan[index]
            resumed = f", {self.start_done} already done" if self.start_done else ""
            print(
                f"[ebp] reproduce [{index + 1}/{len(self.plan)}] {item.name}: "
                f"{len(item.keys)} tasks{resumed}",
                flush=True,
            )

    def finish(self, index: int) -> None:
        """Study ``index`` has ended (all its tasks are stored)."""
        with self._lock:
            item = self.plan[index]
            new = len(item.keys) - self.start_done
            if new > 0:
                spent = time.perf_counter() - self.study_t0
                self.spent_vs_estimate[0] += spent
                self.spent_vs_estimate[1] += item.estimate_s * new / max(1, len(item.keys))
            self.finished_done[index] = len(item.keys)
            self.current = None
            if self._rich is not None:
                self._rich.update(self._study_bar, completed=len(item.keys))
        if self.enabled and self._rich is None:
            print(f"[ebp] reproduce: {item.name} done; {self._status_text()}", flush=True)

    # ------------------------------------------------------------------ numbers
    def _eta(self, done_now: int) -> float | None:
        i = self.current
        spent, est = self.spent_vs_estimate
        speed = spent / est if est > 0 else None  # seconds per estimated second
        left = 0.0
        if i is not None:
            item = self.plan[i]
            new = done_now - self.start_done
            remaining = len(item.keys) - done_now
            elapsed = time.perf_counter() - self.study_t0
            if new > 0:
                left += remaining * elapsed / new
            else:
                per = item.estimate_s / max(1, len(item.keys))
                left += remaining * per * (speed or 1.0)
        later = range((i + 1) if i is not None else 0, len(self.plan))
        for j in later:
            item = self.plan[j]
            frac = 1 - self.finished_done[j] / max(1, len(item.keys))
            left += item.estimate_s * frac * (speed or 1.0)
        return left

    def _counts(self) -> tuple[int, int]:
        i = self.current
        done_now = _done(self.plan[i]) if i is not None else 0
        total_done = sum(v for j, v in self.finished_done.items() if j != i) + done_now
        return done_now, total_done

    def _status_text(self) -> str:
        done_now, total_done = self._counts()
        eta = self._eta(done_now)
        return (
            f"{total_done}/{self.total} tasks, elapsed "
            f"{fmt_seconds(time.perf_counter() - self.t0)}, about "
            f"{fmt_seconds(eta or 0)} left"
        )

    # ------------------------------------------------------------------ drawing
    def _refresh(self) -> None:
        with self._lock:
            done_now, total_done = self._counts()
            eta = fmt_seconds(self._eta(done_now) or 0)
            elapsed = fmt_seconds(time.perf_counter() - self.t0)
            if self._rich is not None:
                self._update_bars(self._rich, done_now, total_done, elapsed, eta)
            elif self.current is not None:
                self._log_line(self.current, done_now, total_done, elapsed, eta)

    def _update_bars(
        self, rich: Progress, done_now: int, total_done: int, elapsed: str, eta: str
    ) -> None:
        """The rich display: the current study's bar and the overall one."""
        if self.current is not None:
            item = self.plan[self.current]
            rich.update(
                self._study_bar,
                description=f"[{self.current + 1}/{len(self.plan)}] {item.name}",
                total=len(item.keys),
                completed=done_now,
                info=f"study {fmt_seconds(time.perf_counter() - self.study_t0)}",
            )
        rich.update(
            self._all_bar, completed=total_done, info=f"elapsed {elapsed}, about {eta} left"
        )

    def _log_line(self, i: int, done_now: int, total_done: int, elapsed: str, eta: str) -> None:
        """Without a terminal: one line each time another tenth of study ``i`` is done."""
        item = self.plan[i]
        step = max(1, len(item.keys) // 10)
        if done_now // step != self._last_logged // step and done_now != self.start_done:
            self._last_logged = done_now
            print(
                f"[ebp] reproduce [{i + 1}/{len(self.plan)}] {item.name}: "
                f"{done_now}/{len(item.keys)}; all: {total_done}/{self.total} tasks, "
                f"elapsed {elapsed}, about {eta} left",
                flush=True,
            )

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._refresh()
            except OSError:  # a folder vanished under us (e.g. --fresh); try again later
                pass
