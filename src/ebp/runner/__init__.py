"""How every study runs: executors from a laptop to a Dask cluster, and a resumable store.

A sweep is a list of tasks, each a pure function of (grid point, seed) → rows. The runner maps
``study.run_task`` over the tasks on an executor and stores each finished task in the run folder
as it comes in, so that a run killed at any moment (``kill -9`` included) loses only the tasks
that were running, and running the same command again computes exactly the missing ones::

    from ebp.runner import run_sweep, load_results
    from ebp.studies import get_study

    study = get_study("entanglement")
    df = run_sweep(study, study.quick_config(), "out/ent", executor="processes", workers=4)
    df = load_results("out/ent")                    # also while the run is going

Executors (:func:`make_executor`): ``local`` (this process, the default), ``processes`` (a
spawn-started process pool on this machine) and ``dask`` (a local Dask cluster on 127.0.0.1, or
any cluster through its scheduler address; needs ``pip install 'ebp[dask]'``). The same task
gives the same rows on every executor.

Run folder::

    out_dir/run.json            manifest: format "ebp-run/1", study, ebp version, n_tasks, config
    out_dir/tasks/<key>.json    one finished task: format "ebp-task/1", study, key, index, seed,
                                point, rows (written atomically)
    out_dir/results.csv         the table, in task order (written at the end)
    out_dir/config.json         study, ebp version, n_tasks, config (written at the end)

A folder is reused only for the same study and config; anything else is refused with a
:class:`StoreError` that names the folder and the differing fields.
"""

from ._executors import EXECUTORS, Executor, make_executor
from ._results import EXPORT_FORMATS, export_results, load_results
from ._run import run_sweep
from ._store import RUN_FORMAT, TASK_FORMAT, ResultStore, StoreError

__all__ = [
    "EXECUTORS",
    "EXPORT_FORMATS",
    "RUN_FORMAT",
    "TASK_FORMAT",
    "Executor",
    "ResultStore",
    "StoreError",
    "export_results",
    "load_results",
    "make_executor",
    "run_sweep",
]
