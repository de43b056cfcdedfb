"""A task: one grid point of a study with its own seed, the unit a runner schedules and stores."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Task"]


@dataclass(frozen=True)
class Task:
    """One unit of work: a grid point of a study plus its own integer seed.

    Attributes:
        study: Name of the study the task belongs to.
        index: Position in the study's task list (for progress display only; never used for
            seeding).
        seed: The task's seed, in ``0 … 2**31−1``; every random draw of the task derives from
            it.
        point: The grid point, JSON-serialisable scalars or tuples, as
            sorted ``(key, value)`` pairs so that a task is hashable and picklable. Read it as a
            dict through :attr:`params`.
    """

    study: str
    index: int
    seed: int
    point: tuple[tuple[str, Any], ...] = field(default=())

    @classmethod
    def make(cls, study: str, index: int, seed: int, **point: Any) -> Task:
        """Build a task from keyword arguments (the grid point)."""
        return cls(study, int(index), int(seed), tuple(sorted(point.items())))

    @property
    def params(self) -> dict[str, Any]:
        """The grid point as a dict."""
        return dict(self.point)

    @property
    def key(self) -> str:
        """Stable identifier of (study, point, seed): a 16-hex-digit SHA-256 prefix.

        Independent of :attr:`index`, so a result store can recognise a finished task even when
        the task list is re-ordered or extended.
        """
        blob = json.dumps([self.study, self.point, self.seed], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def label(self) -> str:
        """Short human-readable description, e.g. ``"model=haar n_qubits=4 …"`` (None omitted)."""
        return " ".join(f"{k}={v}" for k, v in self.point if v is not None)
