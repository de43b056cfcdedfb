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

A ``--config`` file is TOML with the study's config fields at top level (``ebp config STUDY``
prints a complete, commented one to start from), e.g. ::

    n_max = 8
    samples = 100
    models = ["haar", "brickwork"]

or the ``config.json`` an earlier run wrote, to repeat or modify that run. It is applied on top of
the default config (or on top of the quick one with ``--quick``).
A run is resumable: run the same command again after a crash or Ctrl-C and only the missing
tasks are computed. Usage errors (unknown study, bad config, options that do not go together,
an output folder holding another run) print one line and exit with code 2.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from typer.core import TyperCommand

from ._study_config import ConfigError, read_config_file

if TYPE_CHECKING:  # imported lazily: `ebp --help` must not pay for pydantic, rich or JAX
    from pydantic import BaseModel, ValidationError

__all__ = ["app", "load_config"]

# Options shared by the commands that run studies (`run`, `reproduce`).
ExecutorOption = Annotated[
    str, typer.Option("--executor", help="Where tasks run: local (this process), processes, dask.")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="Worker processes for processes/dask (default: CPU count)."),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of a Dask scheduler (with --executor dask)."),
]
FreshOption = Annotated[
    bool, typer.Option("--fresh", help="Discard results stored in the output folder; start over.")
]

app = typer.Typer(
    name="ebp",
    help="Entanglement-induced barren plateaus (arXiv:2010.15968): run the paper's studies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
"""The ``ebp`` command, a Typer application (``ebp --help`` lists its subcommands)."""

USAGE_ERROR = 2
FAILURE = 1
INTERRUPTED = 130  # 128 + SIGINT, the shell's convention


@app.callback()
def _every_command() -> None:
    # Runs before any command: the studies compute in complex128, which needs JAX's 64-bit mode.
    # Only sets JAX_ENABLE_X64 when JAX is not loaded yet, so `--help` stays fast.
    from ._precision import enable_x64

    enable_x64()


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
    """Build a study's config: defaults (or the quick config), overridden by a config file.

    The file is TOML with config fields at top level, or JSON: the ``config.json`` a run wrote
    (its ``config`` is used) or a plain object of fields.

    Raises:
        ConfigError: If the file is missing, cannot be parsed, records another study, or a field
            does not validate; the message names the file and the offending field(s).
    """
    from pydantic import ValidationError

    base = study.quick_config() if quick else study.default_config()
    if path is None:
        return base
    overrides: dict[str, Any] = read_config_file(Path(path), study.name)
    data = {**base.model_dump(), **overrides}
    try:
        return study.config_model.model_validate(data)
    except ValidationError as err:
        raise ConfigError(
            _format_validation_error(err, study.config_model, f"in {str(path)!r}")
        ) from None


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("ebp")
    except metadata.PackageNotFoundError:  # pragma: no cover - source tree without install
        from . import __version__

        return __version__


@app.command("studies")
def studies_command() -> None:
    """List the available studies with a one-line description."""
    from rich.console import Console
    from rich.table import Table

    from .studies import STUDIES

    table = Table(title="ebp studies", show_lines=False)
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("description")
    for name, study in sorted(STUDIES.items()):
        table.add_row(name, study.description)
    Console().print(table)


def _check_writable(path: Path, option: str) -> None:
    """Usage error (one line, exit 2) unless folder ``path`` can be created and written to."""
    import os
    import tempfile

    path = Path(path)
    try:
        if path.exists() and not path.is_dir():
            raise NotADirectoryError(f"{str(path)!r} is a file, not a folder")
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".ebp-write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        reason = err.strerror or str(err)
        _fail(f"{option} {str(path)!r} cannot be written: {reason}.")


class _StudyHelpCommand(TyperCommand):
    """``ebp run STUDY --help`` also lists STUDY's config fields (from its config model)."""

    def parse_args(self, ctx, args):
        takes_value = {
            opt for p in self.params if not getattr(p, "is_flag", True) for opt in p.opts
        }
        positional, skip = [], False
        for arg in args:
            if skip:
                skip = False
            elif arg.startswith("-"):
                skip = arg in takes_value
            else:
                positional.append(arg)
        ctx.meta["ebp_study"] = positional[0] if positional else None
        return super().parse_args(ctx, args)

    def format_help(self, ctx, formatter):
        super().format_help(ctx, formatter)
        name = ctx.meta.get("ebp_study")
        if name is None:
            typer.echo("Name a study (`ebp run STUDY --help`) to list its config fields.")
            return
        from .studies import STUDIES

        study = STUDIES.get(name)
        if study is None:
            typer.echo(f"Unknown study {name!r}; known studies: {', '.join(sorted(STUDIES))}.")
            return
        _print_fields(study)


def _print_fields(study) -> None:
    from rich.console import Console
    from rich.table import Table

    from ._study_config import config_fields

    table = Table(
        title=f"config fields of {study.name} (--config FILE; `ebp config "
        f"{study.name}` prints them as TOML)",
        title_justify="left",
    )
    for column in ("field", "type", "default", "--quick", "meaning"):
        table.add_column(column, overflow="fold", style="bold cyan" if column == "field" else None)
    for row in config_fields(study):
        table.add_row(row["name"], row["type"], row["default"], row["quick"], row["meaning"])
    Console().print(table)


@app.command("run", cls=_StudyHelpCommand)
def run_command(
    study: Annotated[str, typer.Argument(help="Study name; see `ebp studies`.")],
    quick: Annotated[
        bool, typer.Option("--quick", help="Small config (a few minutes on two cores).")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: ./ebp-results/STUDY).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Config fields applied over the defaults: a TOML file "
            "(`ebp config STUDY` writes one) or the config.json of an earlier run.",
        ),
    ] = None,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    fresh: FreshOption = False,
) -> None:
    """Run a study: tasks, then results.csv, config.json and figures in the output folder.

    Finished tasks are stored as they come in; the same command resumes an interrupted run.
    `ebp run STUDY --help` lists STUDY's config fields.
    """
    from concurrent.futures.process import BrokenProcessPool

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
    _check_writable(out_dir, "--out" if out is not None else "output folder")
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


@app.command("config")
def config_command(
    study: Annotated[str, typer.Argument(help="Study name; see `ebp studies`.")],
    quick: Annotated[
        bool, typer.Option("--quick", help="The quick config instead of the default one.")
    ] = False,
) -> None:
    """Print a study's complete config as commented TOML, to edit and pass to --config.

    Example: ebp config entanglement --quick > my.toml; ebp run entanglement --config my.toml
    """
    from ._study_config import config_toml
    from .studies import get_study

    try:
        st = get_study(study)
    except ValueError as err:
        _fail(str(err))
    typer.echo(config_toml(st, quick=quick), nl=False)


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

    if Path(dest).is_dir():
        _fail(f"{str(dest)!r} is a folder; give a file name ending in .csv or .parquet.")
    _check_writable(Path(dest).parent, "destination folder")
    try:
        path = export_results(run_dir, dest)
    except (StoreError, ValueError, ImportError) as err:
        _fail(str(err))
    typer.echo(f"Wrote {path}")


_TASK_LOSSES = {
    "state": ("infidelity", "trace_distance", "relative_entropy"),
    "mixed-state": ("infidelity", "trace_distance", "relative_entropy"),
    "bars-and-stripes": ("kl", "nll", "mmd"),
    "sparse-distribution": ("kl", "nll", "mmd"),
    "thermal-distribution": ("kl", "nll", "mmd"),
    "classification": ("cross_entropy", "readout_error"),
}
ANSATZ_NAMES = ("brickwork", "bounded_cut", "hardware_efficient", "decoupled", "pauli_network")
OPTIMISER_NAMES = (
    "adam",
    "sgd",
    "nelder-mead",
    "powell",
    "cobyla",
    "cma-es",
    "spsa",
    "random-search",
)
STRATEGY_NAMES = (
    "random",
    "small-angle",
    "identity-block",
    "generative",
    "generative-renyi",
    "decoupled-start",
    "layerwise",
    "entanglement-regularised",
)


def _check_choice(option: str, value: str, allowed, what: str) -> None:
    if value not in allowed:
        _fail(f"unknown {what} {value!r} ({option}); known: {', '.join(allowed)}.")


def _check_train_options(
    task,
    ansatz,
    optimiser,
    strategy,
    loss,
    n_visible,
    n_hidden,
    layers,
    shots,
    budget,
    seed,
    out,
    checkpoint,
) -> None:
    """Each option as the user typed it, before anything is derived from it."""
    _check_choice("--task", task, tuple(_TASK_LOSSES), "task")
    _check_choice("--ansatz", ansatz, ANSATZ_NAMES, "ansatz")
    _check_choice("--optimiser", optimiser, OPTIMISER_NAMES, "optimiser")
    _check_choice("--strategy", strategy, STRATEGY_NAMES, "strategy")
    if loss is not None and loss not in _TASK_LOSSES[task]:
        _fail(
            f"--loss must be one of {', '.join(_TASK_LOSSES[task])} for task {task!r}; "
            f"got {loss!r}."
        )
    for option, value, low in (
        ("--n-visible", n_visible, 1),
        ("--n-hidden", n_hidden, 0),
        ("--layers", layers, 1),
        ("--shots", shots, 1),
        ("--seed", seed, 0),
    ):
        if value is not None and value < low:
            what = "a positive int" if low == 1 else "an int >= 0"
            _fail(f"{option} must be {what}; got {value}.")
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        _fail(f"--budget must be a positive number; got {budget:g}.")
    if out is not None and out.suffix.lower() != ".csv":
        _fail(f"--out is the curve's CSV file and must end in .csv; got {str(out)!r}.")
    if checkpoint is not None and checkpoint.is_dir():
        _fail(f"--checkpoint must be a file; {str(checkpoint)!r} is a folder.")


def _slug(text: str) -> str:
    """``text`` with every character a shell treats specially replaced (``adam(lr=0.05)`` →
    ``adam-lr0.05``)."""
    import re

    text = re.sub(r"[=\s]+", "", text)
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", text)).strip("-.")


def train_run_name(
    task: str,
    loss: str,
    ansatz: str,
    n_visible: int,
    n_hidden: int,
    layers: int,
    optimiser: str,
    strategy: str,
    shots: int | None,
    budget: float | None,
    seed: int,
) -> str:
    """A distinct, shell-safe folder name from everything that defines an `ebp train` run."""
    parts = [
        f"{task}-{loss}",
        f"{ansatz}-v{n_visible}-h{n_hidden}-l{layers}",
        optimiser,
        strategy,
        "exact" if shots is None else f"shots{shots}",
        "budget-default" if budget is None else f"budget{budget:g}",
        f"seed{seed}",
    ]
    return "_".join(_slug(p) for p in parts)


@app.command("train")
def train_command(
    task: Annotated[
        str,
        typer.Option(
            "--task",
            help="Learning task (state, mixed-state, "
            "bars-and-stripes, sparse-distribution, "
            "thermal-distribution, classification).",
        ),
    ] = "state",
    ansatz: Annotated[
        str,
        typer.Option(
            "--ansatz",
            help="Circuit family (brickwork, "
            "bounded_cut, hardware_efficient, decoupled, "
            "pauli_network).",
        ),
    ] = "brickwork",
    optimiser: Annotated[
        str,
        typer.Option(
            "--optimiser",
            help="adam, sgd, nelder-mead, powell, cobyla, cma-es, spsa, random-search.",
        ),
    ] = "adam",
    n_visible: Annotated[int, typer.Option("--n-visible", help="Visible qubits (>= 1).")] = 1,
    n_hidden: Annotated[int, typer.Option("--n-hidden", help="Hidden qubits (>= 0).")] = 3,
    layers: Annotated[
        int | None, typer.Option("--layers", help="Circuit layers (default 3 per qubit).")
    ] = None,
    loss: Annotated[
        str | None,
        typer.Option(
            "--loss",
            help="The task's loss (default: the "
            "task's own): infidelity, trace_distance, "
            "relative_entropy for states; kl, nll, mmd for "
            "distributions; cross_entropy, readout_error for "
            "classification.",
        ),
    ] = None,
    shots: Annotated[
        int | None, typer.Option("--shots", help="Shots per estimate (default: exact values).")
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            help="Total shots (or circuit "
            "evaluations when exact); default: the cost of "
            "100 gradient steps. Never exceeded.",
        ),
    ] = None,
    strategy: Annotated[
        str,
        typer.Option(
            "--strategy",
            help="Initialisation / pretraining "
            "strategy (random, small-angle, identity-block, "
            "generative, generative-renyi, decoupled-start, "
            "layerwise, entanglement-regularised).",
        ),
    ] = "random",
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of data, start, optimiser and shot noise.")
    ] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="CSV file for the curve (a PNG "
            "is written beside it). Default: a folder under "
            "./ebp-train named after every setting of the "
            "run.",
        ),
    ] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="Checkpoint file "
            "(default: beside the curve, removed when "
            "the run finishes); re-run the same "
            "command to resume.",
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace the curve and figure of an earlier run with the same output.",
        ),
    ] = False,
) -> None:
    """Train one model on one task and write its loss curve (CSV) and figure (PNG).

    Progress is saved to a checkpoint as the run goes: after Ctrl-C or a crash, the same
    command resumes where it stopped (bit-identically).
    """
    _check_train_options(
        task,
        ansatz,
        optimiser,
        strategy,
        loss,
        n_visible,
        n_hidden,
        layers,
        shots,
        budget,
        seed,
        out,
        checkpoint,
    )
    depth = layers if layers is not None else 3 * (n_visible + n_hidden)
    loss_name = loss or _TASK_LOSSES[task][0 if task != "mixed-state" else 2]
    if out is None:
        name = train_run_name(
            task,
            loss_name,
            ansatz,
            n_visible,
            n_hidden,
            depth,
            optimiser,
            strategy,
            shots,
            budget,
            seed,
        )
        out = Path("ebp-train") / name / "curve.csv"
    figure_path = out.with_suffix(".png")
    existing = [p for p in (out, figure_path) if p.exists()]
    if existing and not overwrite:
        _fail(
            f"{str(existing[0])!r} exists (an earlier run); pass --overwrite to replace it, or "
            "choose another --out."
        )
    _check_writable(out.parent, "--out folder")
    default_checkpoint = checkpoint is None
    ckpt = out.with_suffix(".ckpt") if checkpoint is None else checkpoint
    _check_writable(ckpt.parent, "--checkpoint folder")
    _train(
        task,
        ansatz,
        optimiser,
        strategy,
        loss,
        n_visible,
        n_hidden,
        depth,
        shots,
        budget,
        seed,
        out,
        figure_path,
        ckpt,
        default_checkpoint,
    )


def _train(
    task,
    ansatz,
    optimiser,
    strategy,
    loss,
    n_visible,
    n_hidden,
    depth,
    shots,
    budget,
    seed,
    out,
    figure_path,
    ckpt,
    default_checkpoint,
) -> None:
    from .ansatz import ANSATZ
    from .report import plot_training
    from .train import CheckpointError, get_optimiser, make_task
    from .train.pretrain import run as run_strategy

    unit = "shots" if shots else "circuit evaluations"
    try:
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
        typer.echo(
            f"{ansatz}: {n_visible} visible + {n_hidden} hidden qubits, {depth} layers, "
            f"{circuit.n_params} parameters; task {the_task.name} "
            f"({the_task.loss_name}); {opt.name}, strategy {strategy}, budget "
            f"{budget:.3g} {unit}"
        )
        result = run_strategy(
            strategy,
            circuit,
            the_task,
            opt,
            budget=budget,
            shots=shots,
            seed=seed,
            checkpoint=ckpt,
            progress=True,
        )
    except (ValueError, TypeError, CheckpointError) as err:
        _fail(str(err))
    except KeyboardInterrupt:
        _fail(
            f"interrupted; progress is saved in {str(ckpt)!r}. Run the same command again to "
            "resume.",
            INTERRUPTED,
        )
    result.curve.to_csv(out, index=False)
    figure = plot_training(
        result.curve,
        figure_path,
        title=f"{the_task.name} · {ansatz} n_H={n_hidden} · {opt.name}",
        target=the_task.target if math.isfinite(the_task.target) else None,
        entropy_max=float(n_visible),
    )
    if default_checkpoint:  # its work is in the curve now
        for path in ckpt.parent.glob(ckpt.name + "*"):
            path.unlink(missing_ok=True)
    verdict = "success" if result.success else "no success"
    acc = "" if math.isnan(result.accuracy) else f", accuracy {result.accuracy:.3f}"
    typer.echo(
        f"final loss {result.loss:.4g} ({verdict}){acc}, S(ρ_V) = {result.entropy:.3f} "
        f"bits, spent {result.cost:.4g} of {budget:.4g} {unit}"
    )
    typer.echo(f"curve: {out}\nfigure: {figure}")


def _print_verdicts(verdicts) -> None:
    """The verdict table of a reproduction, coloured by status."""
    from rich.console import Console
    from rich.table import Table

    from .reproduce import CLAIMS

    colours = {"holds": "green", "not supported": "red", "inconclusive": "yellow"}

    table = Table(title="Claims of arXiv:2010.15968, judged on this run's data")
    table.add_column("claim", style="bold", no_wrap=True)
    table.add_column("title")
    table.add_column("verdict", no_wrap=True)
    table.add_column("why")
    for cid, verdict in verdicts.items():
        colour = colours.get(verdict.status, "white")
        table.add_row(
            cid, CLAIMS[cid].title, f"[{colour}]{verdict.status}[/{colour}]", verdict.summary
        )
    Console().print(table)


def _print_estimate(mode: Literal["quick", "full"], workers: int | None, executor: str) -> None:
    """Per-study tasks, estimated time and peak memory of a reproduction, before it starts."""
    from rich.console import Console
    from rich.table import Table

    from .reproduce import fmt_seconds, plan_estimate

    estimates = plan_estimate(mode)
    table = Table(title=f"Estimate of the {mode} reproduction (one worker, two cores)")
    table.add_column("study", style="bold")
    table.add_column("tasks", justify="right")
    table.add_column("time", justify="right")
    table.add_column("peak memory / worker", justify="right")
    for name, e in estimates.items():
        mib = e.peak_bytes / 2**20
        table.add_row(
            name, str(e.tasks), fmt_seconds(e.seconds), f"{mib:.0f} MiB" if mib >= 1 else "< 1 MiB"
        )
    total = sum(e.seconds for e in estimates.values())
    peak = max(e.peak_bytes for e in estimates.values())
    Console().print(table)
    parallel = workers if executor != "local" and workers else 1
    typer.echo(
        f"Estimated total: {fmt_seconds(total)} on one worker"
        + (f", about {fmt_seconds(total / parallel)} on {parallel} workers" if parallel > 1 else "")
        + f"; peak memory about {peak / 2**20:.0f} MiB per worker. "
        "An order of magnitude: finished tasks are kept if you stop it."
    )


@app.command("reproduce")
def reproduce_command(
    quick: Annotated[
        bool,
        typer.Option(
            "--quick", help="Small configs: every claim in minutes on two cores (the default)."
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="The studies' full configs (a workstation or a Dask cluster); prints a "
            "time and memory estimate first.",
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output folder (default: ./ebp-results/reproduce-quick or -full)."
        ),
    ] = None,
    executor: ExecutorOption = "local",
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    fresh: FreshOption = False,
) -> None:
    """Run the studies behind claims C1-C7, judge each claim, write report.html and report.md.

    Finished tasks are kept: the same command resumes an interrupted run.
    """
    from concurrent.futures.process import BrokenProcessPool

    from .reproduce import ReproduceError, check_out_dir, reproduce

    if quick and full:
        _fail("--quick and --full cannot be used together; choose one.")
    mode: Literal["quick", "full"] = "full" if full else "quick"
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
        result = reproduce(
            out_dir, mode, executor=executor, workers=workers, scheduler=scheduler, fresh=fresh
        )
    except ReproduceError as err:
        _fail(str(err))
    except ConnectionError as err:
        _fail(str(err), FAILURE)
    except BrokenProcessPool as err:
        stored = " ".join(getattr(err, "__notes__", []))
        _fail(
            f"a worker process died while running tasks (out of memory?). {stored} "
            "Run the same command again to finish the rest.",
            FAILURE,
        )
    except KeyboardInterrupt:
        typer.echo(
            f"Interrupted: finished tasks are kept in '{out_dir}'; run the same "
            "command again to finish.",
            err=True,
        )
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


# --------------------------------------------------------------------------- diagnose


@app.command("diagnose")
def diagnose_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .qasm file (OpenQASM 3 or 2), or a .py file defining `circuit` (ebp or Qiskit) "
            "or `qnode` + `args` (PennyLane)."
        ),
    ],
    visible: Annotated[
        str,
        typer.Option(
            help="Visible qubits, comma-separated indices or labels, e.g. 0,1 or q[0],q[3]."
        ),
    ],
    observable: Annotated[
        str | None,
        typer.Option(
            help="Objective Tr(O rho_V), a Pauli string on the visible wires such as 'Z0' or "
            "'Z0 Z1' (default: every single-qubit Pauli on V)."
        ),
    ] = None,
    samples: Annotated[int, typer.Option(help="Random parameter vectors (>= 2).")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the parameter draws.")] = 0,
    distribution: Annotated[
        str,
        typer.Option(
            help="How angles are drawn: uniform (U[0, 2pi)) or small_angle (N(0, 0.1^2))."
        ),
    ] = "uniform",
    promote_angles: Annotated[
        bool, typer.Option(help="Make every numeric angle a parameter (parameter-free circuits).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the diagnosis as JSON (schema: docs/diagnose.md).")
    ] = False,
    html: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML page.")
    ] = None,
) -> None:
    """Diagnose a circuit's trainability on its visible light cone: entanglement, concentration,
    gradient variances, shots, and a verdict (trainable / at risk / barren) with its rule."""
    from .circuit import LightConeTooLargeError
    from .diagnosis import (
        DiagnoseInputError,
        diagnose,
        load_circuit,
        parse_visible,
        print_diagnosis,
    )

    if samples < 2:
        _fail(f"--samples must be >= 2 (variances need two); got {samples}.")
    _check_choice("--distribution", distribution, ("uniform", "small_angle"), "distribution")
    if html is not None:
        if html.is_dir():
            _fail(f"--html {str(html)!r} is a folder; give a file name such as report.html.")
        _check_writable(html.parent, "--html")
    try:
        circuit = load_circuit(file, parse_visible(visible), promote_angles=promote_angles)
        result = diagnose(
            circuit,
            observable,
            samples=samples,
            seed=seed,
            distribution=distribution,
            name=file.name,
        )
    except (DiagnoseInputError, LightConeTooLargeError, ValueError, TypeError) as err:
        _fail(" ".join(str(err).split()))
    if as_json:
        typer.echo(result.to_json())
    else:
        print_diagnosis(result)
    if html is not None:
        typer.echo(f"Report: {result.to_html(html)}", err=as_json)


@app.command("version")
def version_command() -> None:
    """Print the installed ebp version."""
    typer.echo(f"ebp {_version()}")


if __name__ == "__main__":  # pragma: no cover
    app()
