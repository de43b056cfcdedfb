"""The paper's experiments: one module per study, a registry, and the pieces a study is made of.

A study module declares its science and little else (see ``docs/adding-a-study.md``): a config
(a :class:`ebp.experiment.StudyConfig`), ``points(config)`` (the grid), ``run_task(task)`` (pure,
seeded) and its figures (functions marked with :func:`figure`, gathered by :func:`figures`), tied
together as a :class:`ebp.experiment.Study`::

    from ebp.studies import get_study, run_study

    study = get_study("entanglement")
    df, figure_paths = run_study(study, study.quick_config(), "out/ent")

``STUDIES`` (all registered studies by name) is built on first use, so that importing one study
module — as a worker process does to run that study's tasks — imports no other study.
Plot statistics shared by the studies' figures (bands over instances, error bars, fits, Wilson
intervals) are :func:`band`, :func:`error_bars`, :func:`log2_fit`, :func:`wilson_interval`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._bands import band, error_bars, log2_fit, sequential_colors, spread, wilson_interval
from ._execute import run_study
from ._figures import Output, figure, figures

if TYPE_CHECKING:
    from ..experiment import Study

__all__ = [
    "STUDIES",
    "STUDY_MODULES",
    "Output",
    "band",
    "error_bars",
    "figure",
    "figures",
    "get_study",
    "log2_fit",
    "run_study",
    "sequential_colors",
    "spread",
    "wilson_interval",
]

STUDY_MODULES = (
    "entanglement",
    "gradient_scaling",
    "cost_concentration",
    "training_failure",
    "gradient_free_failure",
    "pretraining",
    "qbm_typicality",
    "qbm_gradient_by_term",
    "qbm_coupling",
    "qbm_training",
)
"""The registered study modules of this package, in listing order; each defines ``STUDY``."""


def _studies() -> dict[str, Study]:
    """The registry, built on first use by importing every module of :data:`STUDY_MODULES`."""
    if "STUDIES" not in globals():
        modules = [importlib.import_module(f"{__name__}.{m}") for m in STUDY_MODULES]
        globals()["STUDIES"] = {m.STUDY.name: m.STUDY for m in modules}
    return globals()["STUDIES"]


def __getattr__(name: str) -> Any:
    if name == "STUDIES":
        return _studies()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_study(name: str) -> Study:
    """Look a study up by name.

    Raises:
        TypeError: If ``name`` is not a str.
        ValueError: If no study has that name; the message lists the known names.
    """
    if not isinstance(name, str):
        raise TypeError(f"study name must be a str; got {type(name).__name__}.")
    studies = _studies()
    try:
        return studies[name]
    except KeyError:
        known = ", ".join(sorted(studies))
        raise ValueError(f"unknown study {name!r}; known studies: {known}.") from None
