"""The reproduction report: verdict table, one section per claim, configuration and machine.

Built only from what a reproduction folder stores (manifest, each study's run folder), so
``ebp report DIR`` rebuilds it at any time, also from a run that was interrupted (its verdicts
then rest on the tasks finished so far, and the report says how many that is).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..report import (
    Badge,
    Figure,
    KeyValues,
    Page,
    Paragraph,
    Preformatted,
    Section,
    Table,
    write_page,
)
from ..runner import StoreError, load_results
from ..studies import get_study
from ._claim import Claim
from ._claims import CLAIMS, judge_all
from ._progress import fmt_seconds
from ._run import read_manifest
from ._verdict import HOLDS, NOT_SUPPORTED, Verdict

__all__ = ["TONES", "Report", "StudyRun", "load_runs", "verdict_rows", "write_report"]

TONES: dict[str, Literal["good", "bad"]] = {HOLDS: "good", NOT_SUPPORTED: "bad"}
"""Badge colour per status (inconclusive: warn)."""


@dataclass(frozen=True)
class StudyRun:
    """One study of a reproduction as stored: its table, config and completeness."""

    name: str
    folder: Path
    table: pd.DataFrame
    config: dict[str, Any]
    n_tasks: int
    done: int


@dataclass(frozen=True)
class Report:
    """The files of a written report and the verdicts in it."""

    html: Path
    markdown: Path
    verdicts: dict[str, Verdict]


def _badge(status: str) -> Badge:
    return Badge(status, TONES.get(status, "warn"))


def load_runs(out_dir: str | Path, names: list[str]) -> dict[str, StudyRun]:
    """The stored study runs of a reproduction folder (missing ones are left out)."""
    out = Path(out_dir)
    runs = {}
    for name in names:
        folder = out / name
        if not (folder / "run.json").is_file():
            continue
        manifest = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        try:
            table = load_results(folder)
        except StoreError:
            table = pd.DataFrame()
        tasks = folder / "tasks"
        done = sum(1 for _ in tasks.glob("*.json")) if tasks.is_dir() else 0
        runs[name] = StudyRun(
            name, folder, table, manifest.get("config", {}), int(manifest.get("n_tasks", 0)), done
        )
    return runs


def verdict_rows(verdicts: dict[str, Verdict]) -> list[tuple[str, str, str, str]]:
    """(claim, title, status, summary) per claim, for tables."""
    return [(cid, CLAIMS[cid].title, v.status, v.summary) for cid, v in verdicts.items()]


def _redraw(run: StudyRun) -> str:
    """Draw a study's figures from its stored table; returns a note when that fails."""
    if run.table.empty:
        return "no stored results yet"
    study = get_study(run.name)
    try:
        config = study.config_model.model_validate(run.config)
        study.make_figures(run.table, config, run.folder)
    except Exception as err:
        return f"figures could not be drawn from the stored results ({type(err).__name__}: {err})"
    return ""


def _machine() -> list[tuple[str, str]]:
    import numpy
    import scipy

    try:
        import jax

        jax_version = jax.__version__
        backend = jax.default_backend()
    except ImportError:  # pragma: no cover - jax is a dependency
        jax_version, backend = "not installed", "-"
    memory = "unknown"
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages * size / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        pass
    return [
        ("Python", sys.version.split()[0]),
        ("JAX", f"{jax_version} ({backend})"),
        ("NumPy", numpy.__version__),
        ("SciPy", scipy.__version__),
        ("pandas", pd.__version__),
        ("platform", platform.platform()),
        ("CPU cores", str(os.cpu_count())),
        ("memory", memory),
    ]


def _figure_blocks(claim: Claim, runs: dict[str, StudyRun]) -> list[Any]:
    """The claim's figures from the run folders, or a note for each one not drawn yet."""
    blocks: list[Any] = []
    for ref in claim.figures:
        path = runs[ref.study].folder / ref.file if ref.study in runs else None
        if path is not None and path.is_file():
            blocks.append(Figure(path=path, caption=ref.caption, alt=ref.file))
        else:
            blocks.append(
                Paragraph(f"(figure {ref.file} of {ref.study} is not in this run)", note=True)
            )
    return blocks


def _completeness_notes(claim: Claim, runs: dict[str, StudyRun]) -> list[Any]:
    """A note for each study of the claim that has not run, or not finished."""
    notes: list[Any] = []
    for name in claim.studies:
        run = runs.get(name)
        if run is None:
            notes.append(Paragraph(f"Study {name}: not run yet.", note=True))
        elif run.done < run.n_tasks:
            notes.append(
                Paragraph(
                    f"Study {name}: only {run.done} of {run.n_tasks} tasks are "
                    "stored; rerun the reproduction to finish it.",
                    note=True,
                )
            )
    return notes


def _claim_section(cid: str, verdict: Verdict, runs: dict[str, StudyRun]) -> Section:
    claim = CLAIMS[cid]
    blocks: list[Any] = [
        Paragraph(f"Claim. {claim.statement}"),
        Paragraph(f"Verdict: {verdict.status} — {verdict.summary}."),
    ]
    if verdict.checks:
        blocks.append(
            Table(
                ("check", "measured (95 % intervals)", "outcome"),
                [(c.name, c.value, _badge(c.status)) for c in verdict.checks],
                caption="Checks that decide the verdict",
            )
        )
    if verdict.extra:
        blocks.append(
            KeyValues(tuple(verdict.extra), caption="Further numbers (reported, not deciding)")
        )
    blocks.append(
        Preformatted(claim.rules, caption="Decision rules, fixed in code before the data is seen")
    )
    blocks += _figure_blocks(claim, runs)
    blocks += _completeness_notes(claim, runs)
    return Section(
        f"{cid}. {claim.title}", blocks, badge=_badge(verdict.status), anchor=cid.lower()
    )


def _header(verdicts: dict[str, Verdict], counts: dict[str, int]) -> list[Paragraph | Table]:
    """What the report is, and the verdict table."""
    return [
        Paragraph(
            "Each claim of C. Ortiz Marrero, M. Kieferová and N. Wiebe, 'Entanglement-induced "
            "barren plateaus', PRX Quantum 2, 040316 (2021), arXiv:2010.15968, judged on the "
            "numbers this run computed. A verdict is 'holds' when every check of the claim "
            "holds, 'not supported' when a check contradicts it, and 'inconclusive' when the "
            "data cannot decide. The rules are printed with each claim."
        ),
        Table(
            ("claim", "title", "verdict", "why"),
            [
                (cid, title, _badge(status), summary)
                for cid, title, status, summary in verdict_rows(verdicts)
            ],
            caption=(
                f"{counts['holds']} of {len(verdicts)} claims hold, "
                f"{counts['not supported']} not supported, "
                f"{counts['inconclusive']} inconclusive"
            ),
        ),
    ]


def _run_section(
    manifest: dict[str, Any], runs: dict[str, StudyRun], notes: dict[str, str]
) -> Section:
    """Mode, versions, executor, and the tasks stored and time spent per study."""
    wall = manifest.get("wall_seconds", {})
    cpu = manifest.get("cpu_seconds", {})
    time_rows = []
    for name in manifest.get("studies", []):
        stored = runs.get(name)
        done = f"{stored.done}/{stored.n_tasks}" if stored else "not run"
        seconds, used = wall.get(name), cpu.get(name)
        time_rows.append(
            (
                name,
                done,
                fmt_seconds(seconds) if seconds is not None else "-",
                fmt_seconds(used) if used is not None else "-",
                notes.get(name, ""),
            )
        )
    total = sum(float(v) for v in wall.values())
    return Section(
        "Run",
        [
            KeyValues(
                (
                    ("mode", str(manifest.get("mode"))),
                    ("ebp", str(manifest.get("ebp_version"))),
                    ("executor", str(manifest.get("executor", "local"))),
                    (
                        "report written",
                        _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    ),
                    ("total wall time", fmt_seconds(total)),
                )
            ),
            Table(
                ("study", "tasks stored", "wall time", "CPU time (this process)", "note"),
                time_rows,
                caption="Wall time per study, summed over sessions",
            ),
        ],
        anchor="run",
    )


def _configuration_section(runs: dict[str, StudyRun]) -> Section:
    """Every study's exact config, as stored."""
    blocks: list[Any] = [
        Paragraph(
            "Every study's exact config (its seed included); every random draw derives from it."
        )
    ]
    for name, run in runs.items():
        blocks.append(
            Preformatted(
                json.dumps(run.config, indent=1), caption=f"{name} (seed {run.config.get('seed')})"
            )
        )
    return Section("Configuration", blocks, anchor="configuration")


def build_page(
    manifest: dict[str, Any],
    verdicts: dict[str, Verdict],
    runs: dict[str, StudyRun],
    notes: dict[str, str],
) -> Page:
    """The report as a :class:`ebp.report.Page`."""
    counts = {
        s: sum(v.status == s for v in verdicts.values())
        for s in ("holds", "not supported", "inconclusive")
    }
    footer = [
        _run_section(manifest, runs, notes),
        Section("Machine", [KeyValues(tuple(_machine()))], anchor="machine"),
        _configuration_section(runs),
    ]
    subtitle = (
        f"{manifest.get('mode')} run · ebp {manifest.get('ebp_version')} · "
        f"{counts['holds']}/{len(verdicts)} claims hold"
    )
    return Page(
        "Entanglement-induced barren plateaus: reproduction report",
        subtitle,
        _header(verdicts, counts),
        [_claim_section(cid, v, runs) for cid, v in verdicts.items()],
        footer,
    )


def write_report(
    out_dir: str | Path,
    *,
    verdicts: dict[str, Verdict] | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    redraw: bool = True,
) -> Report:
    """Write ``report.html`` and ``report.md`` into a reproduction folder from its stored results.

    Args:
        out_dir: A folder written by :func:`ebp.reproduce.reproduce`.
        verdicts: Already computed verdicts (otherwise judged from the tables).
        tables: Already loaded results tables (otherwise read from the folder).
        redraw: Draw each study's figures again from its stored table (``ebp report`` does; a
            run that just finished already has them).

    Returns:
        The two files and the verdicts.

    Raises:
        ReproduceError: If the folder holds no reproduction.
    """
    out = Path(out_dir)
    manifest = read_manifest(out)
    runs = load_runs(out, list(manifest.get("studies", [])))
    notes = {name: _redraw(run) for name, run in runs.items()} if redraw else {}
    if tables is None:
        tables = {name: run.table for name, run in runs.items()}
    if verdicts is None:
        verdicts = judge_all(tables)
    html, markdown = write_page(build_page(manifest, verdicts, runs, notes), out, "report")
    return Report(html, markdown, verdicts)
