"""`import ebp` and the CLI's help load neither JAX nor the numerical layers (fast startup).

Timing is measured in benchmarks/bench_cli_startup.py; here we check the cause: which modules a
fresh interpreter has imported.
"""

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return set(out.stdout.split())


def test_import_ebp_is_lazy():
    mods = _modules_after("import ebp")
    assert "jax" not in mods
    assert not any(m.startswith("ebp.") for m in mods)


def test_enable_x64_loads_nothing():
    mods = _modules_after("import ebp\nebp.enable_x64()")
    assert "jax" not in mods
    assert not {m for m in mods if m.startswith("ebp.")} - {"ebp._precision"}


def test_public_names_load_on_first_use_with_complex128():
    mods = _modules_after(
        "import ebp\nebp.enable_x64()\nassert ebp.haar_state(2, seed=0).dtype == 'complex128'"
    )
    assert "ebp.quantum_info" in mods and "jax" in mods


def test_cli_help_and_usage_errors_do_not_import_jax():
    code = (
        "from typer.testing import CliRunner\nfrom ebp.cli import app\n"
        "r = CliRunner()\n"
        "assert r.invoke(app, ['--help']).exit_code == 0\n"
        "assert r.invoke(app, ['run', '--help']).exit_code == 0\n"
        "assert r.invoke(app, ['train', '--help']).exit_code == 0\n"
        "assert r.invoke(app, ['train', '--n-hidden', '-1']).exit_code == 2\n"
        "assert r.invoke(app, ['version']).exit_code == 0"
    )
    mods = _modules_after(code)
    assert "jax" not in mods
    assert not {"numpy", "pandas", "matplotlib"} & mods  # (typer itself loads pydantic)
