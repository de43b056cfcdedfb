"""The ``ebp`` command: list studies, run one, print the version.

Thin by design: it parses arguments, builds a validated config, and calls
:func:`ebp.studies.run_study`. Examples::

    ebp studies
    ebp run entanglement --quick
    ebp run entanglement --config my.toml --out results/ent

A ``--config`` file is TOML with the study's config fields at top level, e.g. ::

    n_max = 8
    samples = 100
    models = ["haar", "brickwork"]

It is applied on top of the default config (or on top of the quick one with ``--quick``).
Usage errors (unknown study, bad config) print one line and exit with code 2.
"""

from __future__ import annotations

import time
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

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


class ConfigError(ValueError):
    """A config file that cannot be read or does not validate; the message is user-facing."""


def _fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(USAGE_ERROR)


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
    study: str = typer.Argument(..., help="Study name; see `ebp studies`."),
    quick: bool = typer.Option(False, "--quick", help="Small config that runs in about a minute."),
    out: Path | None = typer.Option(
        None, "--out", help="Output folder (default: ./ebp-results/STUDY)."
    ),
    config: Path | None = typer.Option(
        None, "--config", help="TOML file of config fields, applied over the defaults."
    ),
) -> None:
    """Run a study: tasks, then results.csv, config.json and figures in the output folder."""
    from .studies import get_study, run_study

    try:
        st = get_study(study)
    except ValueError as err:
        _fail(str(err))
    try:
        cfg = load_config(st, config, quick=quick)
    except ConfigError as err:
        _fail(str(err))
    out_dir = Path(out) if out is not None else Path("ebp-results") / st.name
    t0 = time.perf_counter()
    df, figures = run_study(st, cfg, out_dir)
    elapsed = time.perf_counter() - t0
    typer.echo(f"Done in {elapsed:.1f} s: {len(df)} rows.")
    typer.echo(f"Results table: {out_dir / 'results.csv'}")
    typer.echo(f"Config:        {out_dir / 'config.json'}")
    typer.echo("Figures:")
    for path in figures:
        typer.echo(f"  {path}")


@app.command("version")
def version_command() -> None:
    """Print the installed ebp version."""
    typer.echo(f"ebp {_version()}")


if __name__ == "__main__":  # pragma: no cover
    app()
