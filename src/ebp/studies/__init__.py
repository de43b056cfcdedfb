"""The paper's experiments as declared data: a registry of :class:`Study` objects.

A study is a config model, a way to expand a config into :class:`Task` objects, a pure function
``task -> rows`` and a figure maker. Executors (:func:`run_study` today; Dask and a resumable
store later) only ever see that shape::

    config = study.config_model(**overrides)          # validated, frozen
    rows = [row for t in study.tasks(config) for row in study.run_task(t)]
    paths = study.make_figures(pandas.DataFrame(rows), config, out_dir)

Rules for a task function: no I/O, no global random state; the rows depend only on
``(task.point, task.seed)``, so the same task always gives the same rows, on any worker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

__all__ = ["Study", "Task", "STUDIES", "get_study", "task_seed", "run_study"]

Row = dict[str, Any]


@dataclass(frozen=True)
class Task:
    """One unit of work: a grid point of a study plus its own integer seed.

    Attributes
    ----------
    study : str
        Name of the study the task belongs to.
    index : int
        Position in the study's task list (for progress display only; never used for seeding).
    seed : int
        The task's seed, in ``0 … 2**31−1``; every random draw of the task derives from it.
    point : tuple of (str, value) pairs
        The grid point, JSON-serialisable scalars or tuples, as sorted ``(key, value)`` pairs so
        that a task is hashable and picklable. Read it as a dict through :attr:`params`.
    """

    study: str
    index: int
    seed: int
    point: tuple[tuple[str, Any], ...] = field(default=())

    @classmethod
    def make(cls, study: str, index: int, seed: int, **point: Any) -> "Task":
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


def task_seed(base_seed: int, point: Mapping[str, Any]) -> int:
    """Derive a task's seed from the study seed and the grid point.

    .. math:: s = \\mathrm{SeedSequence}([s_0,\\ h(\\text{point})])
              .\\mathrm{generate\\_state}(1) \\bmod 2^{31}

    with h the first 64 bits of SHA-256 of the point's canonical JSON. The seed depends on *what*
    the task computes, not on its position in the list, so adding a model to a config leaves the
    rows of the other models unchanged. Reference: numpy ``SeedSequence`` (NEP 19).
    """
    blob = json.dumps(sorted(point.items()), default=str).encode()
    digest = int.from_bytes(hashlib.sha256(blob).digest()[:8], "little")
    words = [int(base_seed) & 0xFFFFFFFF, int(base_seed) >> 32, digest & 0xFFFFFFFF, digest >> 32]
    return int(np.random.SeedSequence(words).generate_state(1, dtype=np.uint32)[0] & 0x7FFFFFFF)


@dataclass(frozen=True)
class Study:
    """A declared experiment.

    Attributes
    ----------
    name : str
        Registry key and default output folder name.
    description : str
        One line for ``ebp studies``.
    config_model : type[pydantic.BaseModel]
        Frozen, validated config; ``config_model()`` is the default config.
    quick_config : callable () -> config
        A small config that runs in about a minute on a laptop.
    tasks : callable (config) -> list[Task]
        Expand a config into tasks, each carrying its own seed.
    run_task : callable (Task) -> list[dict]
        Pure: one tidy row per measurement, no I/O, deterministic in the task.
    make_figures : callable (DataFrame, config, Path) -> list[Path]
        Draw the figures of a results table into a folder; returns the files written.
    """

    name: str
    description: str
    config_model: type[BaseModel]
    quick_config: Callable[[], BaseModel]
    tasks: Callable[[Any], list[Task]]
    run_task: Callable[[Task], list[Row]]
    make_figures: Callable[[pd.DataFrame, Any, Path], list[Path]]

    def default_config(self) -> BaseModel:
        """The config model with all defaults."""
        return self.config_model()


from .entanglement import STUDY as _ENTANGLEMENT  # noqa: E402  (needs Study and Task above)
from .gradient_scaling import STUDY as _GRADIENT_SCALING  # noqa: E402
from .cost_concentration import STUDY as _COST_CONCENTRATION  # noqa: E402
from .training_failure import STUDY as _TRAINING_FAILURE  # noqa: E402
from .gradient_free_failure import STUDY as _GRADIENT_FREE_FAILURE  # noqa: E402
from .pretraining import STUDY as _PRETRAINING  # noqa: E402
from .qbm_typicality import STUDY as _QBM_TYPICALITY  # noqa: E402
from .qbm_gradient_by_term import STUDY as _QBM_GRADIENT_BY_TERM  # noqa: E402
from .qbm_coupling import STUDY as _QBM_COUPLING  # noqa: E402
from .qbm_training import STUDY as _QBM_TRAINING  # noqa: E402
from ._execute import run_study  # noqa: E402

STUDIES: dict[str, Study] = {
    s.name: s for s in (_ENTANGLEMENT, _GRADIENT_SCALING, _COST_CONCENTRATION, _TRAINING_FAILURE,
                        _GRADIENT_FREE_FAILURE, _PRETRAINING, _QBM_TYPICALITY,
                        _QBM_GRADIENT_BY_TERM, _QBM_COUPLING, _QBM_TRAINING)
}
"""All registered studies by name."""


def get_study(name: str) -> Study:
    """Look a study up by name.

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no study has that name; the message lists the known names.
    """
    if not isinstance(name, str):
        raise TypeError(f"study name must be a str; got {type(name).__name__}.")
    try:
        return STUDIES[name]
    except KeyError:
        known = ", ".join(sorted(STUDIES))
        raise ValueError(f"unknown study {name!r}; known studies: {known}.") from None
