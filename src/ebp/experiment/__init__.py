"""What a sweep *is*: tasks, studies, their configs and seeds, as plain data.

The layer below both :mod:`ebp.runner` (which runs tasks) and :mod:`ebp.studies` (which declares
them); it imports no other ebp package. A study is a config, a grid, a pure task function and a
figure maker::

    study = Study(name="my-study", description="…", config_model=MyConfig,
                  quick_config=lambda: MyConfig(samples=10), points=points,
                  run_task=run_task, make_figures=make_figures)
    tasks = study.tasks(study.quick_config())      # [Task], each with its own seed
    rows = [row for t in tasks for row in study.run_task(t)]

Rules for a task function: no I/O, no global random state; the rows depend only on
``(task.point, task.seed)``, so the same task gives the same rows on any worker. See
``docs/adding-a-study.md``.
"""

from ._config import StudyConfig, distinct, hidden_sizes, sorted_floats, sorted_ints
from ._seeds import SEED_BITS, derive_seed, task_seed
from ._study import Row, Study
from ._task import Task

__all__ = [
    "SEED_BITS",
    "Row",
    "Study",
    "StudyConfig",
    "Task",
    "derive_seed",
    "distinct",
    "hidden_sizes",
    "sorted_floats",
    "sorted_ints",
    "task_seed",
]
