"""Run a reproduction: every study a claim needs, resumably, then the verdicts and the report.

Folder layout::

    DIR/reproduce.json      {"format": "ebp-reproduce/1", "mode", "ebp_version", "studies": [...],
                             "executor", "wall_seconds" / "cpu_seconds": {study: seconds spent
                             in this process, summed over sessions}}
    DIR/<study>/            one run folder per study (see :mod:`ebp.runner`): run.json, tasks/,
                            results.csv, config.json, the study's figures
    DIR/report.html         the report, self-contained
    DIR/report.md           its Markdown twin

Each study runs through :func:`ebp.studies.run_study`, whose store keeps every finished task,
so running the same reproduction again after Ctrl-C or ``kill -9`` computes only the missing
tasks, and a finished study costs nothing the second time.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runner import StoreError
from ..studies import get_study, run_study
from ._claims import judge_all
from ._configs import MODES, STUDY_ORDER, Mode, study_config
from ._estimate import Estimate, estimate_tasks
from ._progress import OverallProgress, PlanItem
from ._verdict import Verdict

__all__ = [
    "MANIFEST",
    "REPRODUCE_FORMAT",
    "ReproduceError",
    "Reproduction",
    "check_out_dir",
    "plan_estimate",
    "read_manifest",
    "reproduce",
]

MANIFEST = "reproduce.json"
"""File name of a reproduction folder's manifest (mode, studies, versions)."""
REPRODUCE_FORMAT = "ebp-reproduce/1"


class ReproduceError(ValueError):
    """A reproduction folder that cannot be used as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Reproduction:
    """What :func:`reproduce` returns: the verdicts, the report files and the wall times."""

    verdicts: dict[str, Verdict]
    html: Path
    markdown: Path
    wall_seconds: dict[str, float]


def _ebp_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("ebp")
    except metadata.PackageNotFoundError:  # pragma: no cover - source tree without install
        from .. import __version__

        return __version__


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The reproduction manifest of ``out_dir``.

    Raises:
        ReproduceError: If the folder holds no reproduction, or the manifest is not ebp's.
    """
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        what = "does not exist" if not Path(out_dir).exists() else f"has no {MANIFEST}"
        raise ReproduceError(f"'{out_dir}' is not an ebp reproduction folder: it {what}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ReproduceError(f"cannot read '{path}': {err}.") from None
    if not isinstance(data, dict) or data.get("format") != REPRODUCE_FORMAT:
        raise ReproduceError(
            f"'{path}' is not an ebp reproduction manifest (expected format {REPRODUCE_FORMAT!r})."
        )
    return data


def check_out_dir(out_dir: str | Path, mode: Mode, *, fresh: bool = False) -> None:
    """Refuse a folder that holds another kind of run, or that cannot be written.

    Raises:
        ReproduceError: If ``out_dir`` is a file, holds a single-study run (``run.json``), holds a
            reproduction in another mode (unless ``fresh``), or is not writable.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReproduceError(f"--out '{out}' is a file, not a folder.")
    if (out / "run.json").exists():
        raise ReproduceError(
            f"'{out}' holds a single-study run (run.json), not a reproduction; "
            "use another output folder (--out)."
        )
    if (out / MANIFEST).exists():
        stored = read_manifest(out).get("mode")
        if stored != mode and not fresh:
            raise ReproduceError(
                f"'{out}' holds a {stored} reproduction, not a {mode} one; use "
                "another output folder (--out), or --fresh to discard it."
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise ReproduceError(f"cannot write to '{out}': {err.strerror or err}.") from None


def plan_estimate(mode: Mode) -> dict[str, Estimate]:
    """Estimated seconds (one worker) and peak memory of each study of a ``mode`` run."""
    out = {}
    for name in STUDY_ORDER:
        study = get_study(name)
        out[name] = estimate_tasks(name, (t.params for t in study.tasks(study_config(name, mode))))
    return out


def _plan(out: Path, mode: Mode) -> list[tuple[Any, Any, PlanItem]]:
    estimates = plan_estimate(mode)
    plan = []
    for name in STUDY_ORDER:
        study = get_study(name)
        config = study_config(name, mode)
        keys = frozenset(t.key for t in study.tasks(config))
        plan.append((study, config, PlanItem(name, out / name, keys, estimates[name].seconds)))
    return plan


def _manifest(
    out: Path, mode: Mode, studies: list[str], executor: str, scheduler: str | None, fresh: bool
) -> dict[str, Any]:
    """This run's manifest; the wall and CPU seconds of earlier sessions carry over (unless
    ``fresh``)."""
    earlier = read_manifest(out) if (out / MANIFEST).exists() and not fresh else {}
    return {
        "format": REPRODUCE_FORMAT,
        "mode": mode,
        "ebp_version": _ebp_version(),
        "studies": studies,
        "executor": executor if scheduler is None else f"{executor} ({scheduler})",
        "wall_seconds": {k: float(v) for k, v in earlier.get("wall_seconds", {}).items()},
        "cpu_seconds": {k: float(v) for k, v in earlier.get("cpu_seconds", {}).items()},
    }


def reproduce(
    out_dir: str | Path,
    mode: Mode = "quick",
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    fresh: bool = False,
    progress: bool = True,
    on_study: Callable[[str], None] | None = None,
) -> Reproduction:
    """Run every study the claims need, judge every claim, and write the report.

    Args:
        out_dir: The reproduction folder (layout in the module docstring).
        mode: Which configs (:mod:`ebp.reproduce._configs`).
        executor: Where tasks run: ``"local"``, ``"processes"`` or ``"dask"`` (see
            :func:`ebp.runner.make_executor`).
        workers: Worker processes (``processes`` / local ``dask``).
        scheduler: Address of a running Dask scheduler (``dask`` only).
        fresh: Discard stored results and start over.
        progress: Show the overall progress display.
        on_study: Called with each study's name before it runs (for logging or
            tests).

    Returns:
        The :class:`Reproduction`.

    Raises:
        ReproduceError: For a folder that holds another kind of run or cannot be written, or a study
            folder holding results of another config.
        KeyboardInterrupt: On Ctrl-C; every finished task is kept, and the same call resumes.
    """
    from ._report import write_report

    if mode not in MODES:
        raise ReproduceError(f"mode must be one of {', '.join(MODES)}; got {mode!r}.")
    out = Path(out_dir)
    check_out_dir(out, mode, fresh=fresh)
    plan = _plan(out, mode)
    manifest = _manifest(out, mode, [item.name for _, _, item in plan], executor, scheduler, fresh)
    wall: dict[str, float] = manifest["wall_seconds"]
    cpu: dict[str, float] = manifest["cpu_seconds"]
    _write_json(out / MANIFEST, manifest)
    tables = {}
    with OverallProgress([item for _, _, item in plan], enabled=progress) as bar:
        for i, (study, config, item) in enumerate(plan):
            if on_study is not None:
                on_study(study.name)
            bar.start(i)
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                df, _ = run_study(
                    study,
                    config,
                    item.folder,
                    progress=False,
                    executor=executor,
                    workers=workers,
                    scheduler=scheduler,
                    fresh=fresh,
                )
            except StoreError as err:
                raise ReproduceError(str(err)) from None
            finally:
                wall[study.name] = wall.get(study.name, 0.0) + time.perf_counter() - t0
                cpu[study.name] = cpu.get(study.name, 0.0) + time.process_time() - c0
                _write_json(out / MANIFEST, manifest)
            bar.finish(i)
            tables[study.name] = df
    verdicts = judge_all(tables)
    report = write_report(out, verdicts=verdicts, tables=tables, redraw=False)
    return Reproduction(verdicts, report.html, report.markdown, dict(wall))
