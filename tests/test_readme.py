"""Every ```python block of README.md runs as written, as a script, and prints what the README
says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(), re.S | re.M)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}


def _run(code: str, cwd: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, f"README block failed:\n{code}\n{done.stderr[-3000:]}"
    return done.stdout.splitlines()


def _block(marker: str) -> str:
    found = [b for b in BLOCKS if marker in b]
    assert len(found) == 1, f"expected one README block with {marker!r}; found {len(found)}"
    return found[0]


def _numbers(line: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", line)]


CHECKED = {}


def checks(marker):
    def register(fn):
        CHECKED[marker] = fn
        return fn

    return register


@checks("CircuitBuilder(n_visible=1, n_hidden=2)")
def _builder(lines, tmp_path):
    assert lines == ["16", "(10,)", "True", "OPENQASM 3.0;"], lines


@checks("ebp.page_entropy(1, 7)")
def _simulate(lines, tmp_path):
    s_mean, page, var = _numbers(lines[0])
    assert abs(s_mean - page) < 0.05, lines  # "≈ Page's value, in bits"
    assert 0 < var < 0.1


@checks("fit(brickwork(1, 3, 8), task, adam(0.1), shots=10, budget=5e5, seed=1)")
def _fit(lines, tmp_path):
    from ebp.ansatz import brickwork

    loss, success, shots = lines[0].split()
    assert 0 <= float(loss) <= 1 and success in ("True", "False")
    gradient = 2 * brickwork(1, 3, 8).n_params * 10
    assert 5e5 - gradient < int(shots) <= 5e5  # never more; less than one query left
    assert lines[1].split() == ["cost", "loss", "entropy"]


@checks("fit_scaling(range(1, 7)")
def _scaling(lines, tmp_path):
    slope, slope_err, lipschitz, *ci = _numbers(lines[0])
    assert slope < -0.3 and slope_err < abs(slope) and lipschitz > 0 and len(ci) == 2


@checks('ebp.load_results("ebp-results/entanglement")')
def _load_results(lines, tmp_path):
    assert "entropy_bits" in " ".join(lines) and len(lines) > 3, lines


SLOW = {"fit_scaling(range(1, 7)", 'ebp.load_results("ebp-results/entanglement")'}


def test_every_python_block_is_checked():
    unchecked = [b for b in BLOCKS if not any(m in b for m in CHECKED)]
    assert not unchecked, f"README python blocks without a check: {unchecked}"


@pytest.mark.parametrize(
    "marker", [pytest.param(m, marks=pytest.mark.slow) if m in SLOW else m for m in CHECKED]
)
def test_readme_block_runs_and_prints_what_it_says(marker, tmp_path):
    if "load_results" in marker:  # the block reads the folder `ebp run entanglement` writes
        toml = tmp_path / "tiny.toml"
        toml.write_text(
            'models = ["haar", "brickwork"]\nn_min = 2\nn_max = 3\nsamples = 20\n'
            'hist_models = ["haar"]\nhist_n_hidden = [1]\nhist_samples = 20\n'
            "depth_n = 3\ndepths = [1]\ndepth_cut_gates = [0]\n"
        )
        subprocess.run(
            [sys.executable, "-m", "ebp.cli", "run", "entanglement", "--config", str(toml)],
            cwd=tmp_path,
            env=_env(),
            check=True,
            capture_output=True,
            timeout=1800,
        )
    lines = _run(_block(marker), tmp_path)
    CHECKED[marker](lines, tmp_path)
