"""A study: a config model, its grid of points, a pure task function and a figure maker."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ._seeds import task_seed
from ._task import Task

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Row", "Study"]

Row = dict[str, Any]
"""One tidy row of a results table: column name → JSON scalar."""


@dataclass(frozen=True)
class Study:
    """A declared experiment.

    Attributes:
        name: Registry key and default output folder name; every task of the study carries it.
        description: One line for ``ebp studies``.
        config_model: Frozen, validated config with a ``seed`` field (see
            :class:`ebp.experiment.StudyConfig`); ``config_model()`` is the default config.
        quick_config: A small config that runs in minutes on two cores (see
            the README for measured times).
        points: The grid: one dict of JSON scalars (or
            tuples of them) per task, in task order. :meth:`tasks` turns them into :class:`Task`
            objects.
        run_task: Pure: one tidy row per measurement, no I/O,
            deterministic in ``(task.point, task.seed)``. A module-level function, so that a worker
            process finds it by its module path.
        make_figures: Draw the figures of a
            results table into a folder; returns the files written.
    """

    name: str
    description: str
    config_model: type[BaseModel]
    quick_config: Callable[[], BaseModel]
    points: Callable[[Any], Iterable[Mapping[str, Any]]]
    run_task: Callable[[Task], list[Row]]
    make_figures: Callable[[pd.DataFrame, Any, Path], list[Path]]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"a study needs a non-empty name; got {self.name!r}.")
        fields = getattr(self.config_model, "model_fields", {})
        if "seed" not in fields:
            raise TypeError(
                f"the config model of study {self.name!r} needs a 'seed' field (subclass "
                "ebp.experiment.StudyConfig); task seeds derive from it."
            )

    def tasks(self, config: Any) -> list[Task]:
        """Expand a config into tasks: point i becomes task i of this study, seeded by
        :func:`ebp.experiment.task_seed` of (``config.seed``, point)."""
        return [
            Task.make(self.name, i, task_seed(config.seed, p), **p)
            for i, p in enumerate(self.points(config))
        ]

    def default_config(self) -> BaseModel:
        """The config model with all defaults."""
        return self.config_model()
