"""The ``ebp`` command: list studies, run one, export its results, print the version.

Thin by design: it parses arguments, builds a validated config, and calls
:func:`ebp.studies.run_study` (which runs through :mod:`ebp.runner`). Examples::

    ebp studies
    ebp run entanglement --quick
    ebp run entanglement --config my.toml --out results/ent
    ebp run entanglement --executor processes --workers 8
    ebp run entanglement --executor dask --scheduler tcp://10.0.0.5:8786
    ebp export results/ent results/ent.parquet
    ebp train --task state --ansatz brickwork --optimiser adam --n-hidden 3 --shots 100

A ``--config`` file is TOML with the study's config fields at top level, e.g. ::

    n_max = 8
    samples = 100
    models = ["haar", "brickwork"]

It is applied on top of the default config (or on top of the quick one with ``--quick``).
A run is resumable: run the same command again after a crash or Ctrl-C and only the missing
tasks are computed. Usage errors (unknown study, bad config, options that do not go together,
an output folder holding another run) print one line and exit with code 2.
"""

from __future__ import annotations

import time
import tomllib
from concurrent.futures.process import BrokenProcessPool
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table

__all__ = ["app", "load_config"]

app = typer.Typer(
    name="ebp",
    help="Entanglement-induced barren plateaus (arXiv:2010.15968): run the paper's studies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

USAGE_ERROR = 2
FAILURE = 1
INTERRUPTED = 130  # 128 + SIGINT, the shell's convention


class ConfigError(ValueError):
    """A config file that cannot be read or does not validate; the message is user-facing."""


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _format_validation_error(err: ValidationError, model: type[BaseModel], source: str) -> str:
    allowed = ", ".join(model.model_fields)
    lines = []
    for e in err.errors():
        field = ".".join(str(p) for p in e["loc"]) or "(config)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = f"unknown field; allowed fields: {allowed}"
        elif e["loc"]:
            msg = f"{msg} (got {e['input']!r})"
        lines.append(f"field '{field}': {msg}" if e["loc"] else msg)
    return f"invalid config {source}: " + "; ".join(lines)


def load_config(study, path: Path | None = None, *, quick: bool = False) -> BaseModel:
    """Build a study's config: defaults (or the quick config), overridden by a TOML file.

    Raises
    ------
    ConfigError
        If the file is missing, is not valid TOML, or a field does not validate; the message
        names the file and the offending field(s).
    """
    base = study.quick_config() if quick else study.default_config()
    if path is None:
        return base
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} not found.")
    try:
        overrides: dict[str, Any] = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {err}.") from None
    data = {**base.model_dump(), **overrides}
    try:
        return study.config_model.model_validate(data)
    except ValidationError as err:
        raise ConfigError(
            _format_validation_error(err, study.config_model, f"in {str(path)!r}")
        ) from None


def _version() -> str:
    try:
        return metadata.version("ebp")
    except metadata.PackageNotFoundError:  # pragma: no cover - source tree without install
        from . import __version__

        return __version__


@app.command("studies")
def studies_command() -> None:
    """List the available studies with a one-line description."""
    from .studies import STUDIES

    table = Table(title="ebp studies", show_lines=False)
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("description")
    for name, study in sorted(STUDIES.items()):
        table.add_row(name, study.description)
    Console().print(table)


@app.command("run")
def run_command(
    study: Annotated[str, typer.Argument(help="Study name; see `ebp studies`.")],
    quick: Annotated[
        bool, typer.Option("--quick", help="Small config that runs in about a minute.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: ./ebp-results/STUDY).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="TOML file of config fields, applied over the defaults."),
    ] = None,
    executor: Annotated[
        str,
        typer.Option("--executor", help="Where tasks run: local (this process), processes, dask."),
    ] = "local",
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Worker processes for processes/dask (default: CPU count)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a Dask scheduler (with --executor dask)."),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Discard results stored in the output folder; start over."),
    ] = False,
) -> None:
    """Run a study: tasks, then results.csv, config.json and figures in the output folder.

    Finished tasks are stored as they come in; the same command resumes an interrupted run.
    """
    from .runner import StoreError
    from .studies import get_study, run_study

    try:
        st = get_study(study)
    except ValueError as err:
        _fail(str(err))
    try:
        cfg = load_config(st, config, quick=quick)
    except ConfigError as err:
        _fail(str(err))
    _check_executor_flags(executor, workers, scheduler)
    out_dir = Path(out) if out is not None else Path("ebp-results") / st.name
    t0 = time.perf_counter()
    try:
        df, figures = run_study(
            st, cfg, out_dir, executor=executor, workers=workers, scheduler=scheduler, fresh=fresh
        )
    except StoreError as err:
        _fail(str(err))
    except ConnectionError as err:
        _fail(str(err), FAILURE)
    except BrokenProcessPool as err:  # a worker died (e.g. out of memory); finished tasks kept
        stored = " ".join(getattr(err, "__notes__", []))
        _fail(
            f"a worker process died while running tasks (out of memory?). {stored} "
            "Run the same command again to finish the rest.",
            FAILURE,
        )
    except KeyboardInterrupt:  # the runner has said what is stored and how to resume
        raise typer.Exit(INTERRUPTED) from None
    elapsed = time.perf_counter() - t0
    typer.echo(f"Done in {elapsed:.1f} s: {len(df)} rows.")
    typer.echo(f"Results table: {out_dir / 'results.csv'}")
    typer.echo(f"Config:        {out_dir / 'config.json'}")
    typer.echo("Figures:")
    for path in figures:
        typer.echo(f"  {path}")


def _check_executor_flags(executor: str, workers: int | None, scheduler: str | None) -> None:
    """Usage errors for executor flags that do not go together (one line, exit code 2)."""
    from .runner import make_executor

    if workers is not None and workers < 1:
        _fail(f"--workers must be >= 1; got {workers}.")
    if scheduler is not None and executor != "dask":
        _fail(f"--scheduler needs --executor dask; got --executor {executor}.")
    if workers is not None and executor == "local":
        _fail("--workers needs --executor processes or dask (local runs in this process).")
    if workers is not None and scheduler is not None:
        _fail("--workers cannot be used with --scheduler: the cluster has its own workers.")
    try:
        make_executor(executor, workers=workers, scheduler=scheduler)
    except (ValueError, ImportError) as err:
        _fail(str(err))


@app.command("export")
def export_command(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `ebp run`.")],
    dest: Annotated[Path, typer.Argument(help="Output file: .csv, or .parquet (needs pyarrow).")],
) -> None:
    """Write the results of a run folder (finished tasks so far) as CSV or Parquet."""
    from .runner import StoreError, export_results

    try:
        path = export_results(run_dir, dest)
    except (StoreError, ValueError, ImportError) as err:
        _fail(str(err))
    typer.echo(f"Wrote {path}")


@app.command("train")
def train_command(
    task: Annotated[str, typer.Option("--task", help="Learning task (state, mixed-state, "
                                      "bars-and-stripes, sparse-distribution, "
                                      "thermal-distribution, classification).")] = "state",
    ansatz: Annotated[str, typer.Option("--ansatz", help="Circuit family (brickwork, "
                                        "bounded_cut, hardware_efficient, decoupled, "
                                        "pauli_network).")] = "brickwork",
    optimiser: Annotated[str, typer.Option("--optimiser", help="adam, sgd, nelder-mead, powell, "
                                           "cobyla, cma-es, spsa, random-search.")] = "adam",
    n_visible: Annotated[int, typer.Option("--n-visible", help="Visible qubits.")] = 1,
    n_hidden: Annotated[int, typer.Option("--n-hidden", help="Hidden qubits.")] = 3,
    layers: Annotated[int | None, typer.Option(
        "--layers", help="Circuit layers (default 3 per qubit).")] = None,
    loss: Annotated[str | None, typer.Option("--loss", help="The task's loss (default: the "
                                             "task's own).")] = None,
    shots: Annotated[int | None, typer.Option("--shots", help="Shots per estimate (default: "
                                              "exact values).")] = None,
    budget: Annotated[float | None, typer.Option("--budget", help="Total shots (or circuit "
                                                 "evaluations when exact); default: the cost of "
                                                 "100 gradient steps.")] = None,
    strategy: Annotated[str, typer.Option("--strategy", help="Initialisation / pretraining "
                                          "strategy (random, small-angle, identity-block, "
                                          "generative, generative-renyi, decoupled-start, "
                                          "layerwise, entanglement-regularised).")] = "random",
    seed: Annotated[int, typer.Option("--seed", help="Seed of data, start, optimiser and "
                                      "shot noise.")] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="CSV file for the curve (a PNG "
                                             "is written beside it).")] = None,
    checkpoint: Annotated[Path | None, typer.Option("--checkpoint", help="Checkpoint file: "
                                                    "re-run the same command to resume.")] = None,
) -> None:
    """Train one model on one task and write its loss curve (CSV) and figure (PNG)."""
    import math

    from .ansatz import ANSATZ
    from .report import plot_training
    from .train import CheckpointError, fit, get_optimiser, make_task
    from .train.pretrain import STRATEGIES, run as run_strategy

    if ansatz not in ANSATZ:
        _fail(f"unknown ansatz {ansatz!r}; known: {', '.join(ANSATZ)}.")
    if strategy not in STRATEGIES:
        _fail(f"unknown strategy {strategy!r}; known: {', '.join(STRATEGIES)}.")
    if strategy != "random" and checkpoint is not None:
        _fail("--checkpoint works with --strategy random only (one training phase).")
    try:
        n = n_visible + n_hidden
        depth = layers if layers is not None else 3 * n
        if ansatz == "pauli_network":
            circuit = ANSATZ[ansatz](n_visible, n_hidden, seed=seed)
        elif ansatz == "bounded_cut":
            circuit = ANSATZ[ansatz](n_visible, n_hidden, depth, cut_gates=1)
        else:
            circuit = ANSATZ[ansatz](n_visible, n_hidden, depth)
        the_task = make_task(task, n_visible, n_hidden, seed=seed, loss=loss)
        opt = get_optimiser(optimiser)
        if budget is None:
            budget = 100 * 2 * circuit.n_params * len(the_task.terms) * (shots or 1)
        typer.echo(f"{ansatz}: {n_visible} visible + {n_hidden} hidden qubits, {depth} layers, "
                   f"{circuit.n_params} parameters; task {the_task.name} "
                   f"({the_task.loss_name}); {opt.name}, budget {budget:.3g} "
                   f"{'shots' if shots else 'circuit evaluations'}")
        if strategy == "random":
            result = fit(circuit, the_task, opt, budget=budget, shots=shots, seed=seed,
                         checkpoint=checkpoint, progress=True)
        else:
            result = run_strategy(strategy, circuit, the_task, opt, budget=budget, shots=shots,
                                  seed=seed)
    except (ValueError, TypeError, CheckpointError) as err:
        _fail(str(err))
    except KeyboardInterrupt:
        hint = " Run the same command again to resume." if checkpoint else ""
        _fail(f"interrupted.{hint}", INTERRUPTED)
    out = out or Path("ebp-train") / f"{task}-{ansatz}-{opt.name}-{strategy}-seed{seed}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    result.curve.to_csv(out, index=False)
    figure = plot_training(result.curve, out.with_suffix(".png"),
                           title=f"{the_task.name} · {ansatz} n_H={n_hidden} · {opt.name}",
                           target=the_task.target if math.isfinite(the_task.target) else None,
                           entropy_max=float(n_visible))
    verdict = "success" if result.success else "no success"
    acc = "" if math.isnan(result.accuracy) else f", accuracy {result.accuracy:.3f}"
    typer.echo(f"final loss {result.loss:.4g} ({verdict}){acc}, S(ρ_V) = {result.entropy:.3f} "
               f"bits, spent {result.cost:.4g} {'shots' if shots else 'circuit evaluations'}")
    typer.echo(f"curve: {out}\nfigure: {figure}")


def _print_verdicts(verdicts) -> None:
    """The verdict table of a reproduction, coloured by status."""
    colours = {"holds": "green", "not supported": "red", "inconclusive": "yellow"}
    from .reproduce import CLAIMS

    table = Table(title="Claims of arXiv:2010.15968, judged on this run's data")
    table.add_column("claim", style="bold", no_wrap=True)
    table.add_column("title")
    table.add_column("verdict", no_wrap=True)
    table.add_column("why")
    for cid, verdict in verdicts.items():
        colour = colours.get(verdict.status, "white")
        table.add_row(cid, CLAIMS[cid].title, f"[{colour}]{verdict.status}[/{colour}]",
                      verdict.summary)
    Console().print(table)


def _print_estimate(mode: str, workers: int | None, executor: str) -> None:
    """Per-study tasks, estimated time and peak memory of a reproduction, before it starts."""
    from .reproduce import fmt_seconds, plan_estimate

    estimates = plan_estimate(mode)
    table = Table(title=f"Estimate of the {mode} reproduction (one worker, two cores)")
    table.add_column("study", style="bold")
    table.add_column("tasks", justify="right")
    table.add_column("time", justify="right")
    table.add_column("peak memory / worker", justify="right")
    for name, e in estimates.items():
        table.add_row(name, str(e.tasks), fmt_seconds(e.seconds), f"{e.peak_bytes / 2**20:.0f} MiB")
    total = sum(e.seconds for e in estimates.values())
    peak = max(e.peak_bytes for e in estimates.values())
    Console().print(table)
    parallel = workers if executor != "local" and workers else 1
    typer.echo(f"Estimated total: {fmt_seconds(total)} on one worker"
               + (f", about {fmt_seconds(total / parallel)} on {parallel} workers"
                  if parallel > 1 else "")
               + f"; peak memory about {peak / 2**20:.0f} MiB per worker. "
               "An order of magnitude: finished tasks are kept if you stop it.")


@app.command("reproduce")
def reproduce_command(
    quick: Annotated[bool, typer.Option(
        "--quick", help="Small configs: every claim in minutes on two cores (the default).")] = False,
    full: Annotated[bool, typer.Option(
        "--full", help="The studies' full configs (a workstation or a Dask cluster); prints a "
        "time and memory estimate first.")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Output folder (default: ./ebp-results/reproduce-quick or -full).")] = None,
    executor: Annotated[str, typer.Option(
        "--executor", help="Where tasks run: local (this process), processes, dask.")] = "local",
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes for processes/dask (default: CPU count).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a Dask scheduler (with --executor dask).")] = None,
    fresh: Annotated[bool, typer.Option(
        "--fresh", help="Discard results stored in the output folder; start over.")] = False,
) -> None:
    """Run the studies behind claims C1-C7, judge each claim, write report.html and report.md.

    Finished tasks are kept: the same command resumes an interrupted run.
    """
    from .reproduce import ReproduceError, check_out_dir, reproduce

    if quick and full:
        _fail("--quick and --full cannot be used together; choose one.")
    mode = "full" if full else "quick"
    _check_executor_flags(executor, workers, scheduler)
    out_dir = Path(out) if out is not None else Path("ebp-results") / f"reproduce-{mode}"
    try:
        check_out_dir(out_dir, mode, fresh=fresh)
    except ReproduceError as err:
        _fail(str(err))
    if full:
        _print_estimate(mode, workers, executor)
    t0 = time.perf_counter()
    try:
        result = reproduce(out_dir, mode, executor=executor, workers=workers,
                           scheduler=scheduler, fresh=fresh)
    except ReproduceError as err:
        _fail(str(err))
    except ConnectionError as err:
        _fail(str(err), FAILURE)
    except BrokenProcessPool as err:
        stored = " ".join(getattr(err, "__notes__", []))
        _fail(f"a worker process died while running tasks (out of memory?). {stored} "
              "Run the same command again to finish the rest.", FAILURE)
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished tasks are kept in '{out_dir}'; run the same "
                   "command again to finish.", err=True)
        raise typer.Exit(INTERRUPTED) from None
    _print_verdicts(result.verdicts)
    typer.echo(f"Done in {time.perf_counter() - t0:.1f} s.")
    typer.echo(f"Report:   {result.html}")
    typer.echo(f"Markdown: {result.markdown}")


@app.command("report")
def report_command(
    run_dir: Annotated[Path, typer.Argument(help="A folder written by `ebp reproduce`.")],
) -> None:
    """Rebuild report.html and report.md of a reproduction from its stored results alone."""
    from .reproduce import ReproduceError, write_report

    try:
        report = write_report(run_dir)
    except ReproduceError as err:
        _fail(str(err))
    _print_verdicts(report.verdicts)
    typer.echo(f"Report:   {report.html}")
    typer.echo(f"Markdown: {report.markdown}")


@app.command("version")
def version_command() -> None:
    """Print the installed ebp version."""
    typer.echo(f"ebp {_version()}")


if __name__ == "__main__":  # pragma: no cover
    app()
