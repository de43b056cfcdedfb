"""JAX's 64-bit mode is the caller's choice: ``import ebp`` leaves it alone, ``ebp.enable_x64()``
switches it on, complex128 without it is one clear error, and the ``ebp`` command and the study
runner's workers compute in 64-bit whatever the process-wide setting is.

The test process itself runs with the mode on (``conftest.py``); the mode-off cases run either in
a fresh interpreter or inside ``jax.enable_x64(False)``, which turns it off for this thread only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict

import ebp
from ebp.ansatz import brickwork
from ebp.experiment import Study, Task
from ebp.landscape import fidelity
from ebp.qbm import QBM
from ebp.quantum_info import gue_evolution, gue_hamiltonian
from ebp.runner import run_sweep

SRC = str(Path(__file__).resolve().parents[1] / "src")
FIX = r"call ebp\.enable_x64\(\) at the start of the program"


def _python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter without JAX_ENABLE_X64 (unless given); its stdout."""
    base = {k: v for k, v in os.environ.items() if k != "JAX_ENABLE_X64"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**base, "PYTHONPATH": SRC, **env},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_import_ebp_leaves_the_mode_off_and_float32_code_float32():
    out = _python(
        "import jax, jax.numpy as jnp\n"
        "before = jax.config.jax_enable_x64\n"
        "import ebp\n"
        "x = jnp.linspace(0, 1, 8, dtype=jnp.float32)\n"
        "y = jax.jit(lambda v: (v * 2.5).sum())(x)\n"
        "psi = ebp.haar_state(3, seed=0, dtype=jnp.complex64)\n"  # ebp used beside it
        "s = ebp.entanglement_entropy(psi, 1)\n"
        "print(before, jax.config.jax_enable_x64, jnp.zeros(1).dtype, y.dtype, psi.dtype, s.dtype)"
    )
    assert out.split() == ["False", "False", "float32", "float32", "complex64", "float32"]


def test_import_ebp_before_jax_leaves_the_mode_off():
    out = _python(
        "import os, ebp, jax, jax.numpy as jnp\n"
        "print('JAX_ENABLE_X64' in os.environ, jax.config.jax_enable_x64, jnp.ones(2).dtype)"
    )
    assert out.split() == ["False", "False", "float32"]


def test_import_ebp_leaves_the_mode_on_when_the_caller_chose_it():
    out = _python("import ebp, jax; print(jax.config.jax_enable_x64)", JAX_ENABLE_X64="1")
    assert out.split() == ["True"]


@pytest.mark.parametrize("jax_first", [False, True], ids=["before-jax-import", "after"])
def test_enable_x64_gives_complex128(jax_first):
    out = _python(
        ("import jax\n" if jax_first else "") + "import sys, ebp\n"
        "ebp.enable_x64()\n"
        "loaded = 'jax' in sys.modules\n"  # enable_x64 itself never imports JAX
        "import jax, jax.numpy as jnp\n"
        "psi = ebp.haar_state(2, seed=0)\n"
        "print(loaded, jax.config.jax_enable_x64, jnp.ones(1).dtype, psi.dtype)"
    )
    assert out.split() == [str(jax_first), "True", "float64", "complex128"]


CIRCUIT = brickwork(1, 2, 1)
PARAMS = np.linspace(0.1, 0.9, CIRCUIT.n_params)

ASKS_FOR_COMPLEX128 = {
    "haar_state": lambda: ebp.haar_state(2, seed=0),
    "haar_unitary": lambda: ebp.haar_unitary(2, seed=0),
    "simulate": lambda: ebp.simulate(CIRCUIT, PARAMS),
    "expectation": lambda: ebp.expectation(CIRCUIT, PARAMS, "Z0"),
    "gradient": lambda: ebp.gradient(CIRCUIT, PARAMS, "Z0"),
    "entropy of a complex128 state": lambda: ebp.entanglement_entropy(
        np.array([1, 0, 0, 1], dtype=np.complex128) / np.sqrt(2), 1
    ),
    "entropy of a float64 state": lambda: ebp.entanglement_entropy(np.array([1.0, 0, 0, 0]), 1),
    "gue_evolution": lambda: gue_evolution(2, seed=0, t=1.0),
    "gue_hamiltonian": lambda: gue_hamiltonian(4, seed=0),
    "objective of a complex128 state": lambda: fidelity(np.eye(2) / 2).value(
        np.diag([0.7, 0.3]).astype(np.complex128)
    ),
    "qbm": lambda: QBM(1, 1, ("ZI", "IZ", "XX"), beta=1.0).value_and_gradient(
        np.zeros(3), np.eye(2) / 2
    ),
}


@pytest.mark.parametrize("call", ASKS_FOR_COMPLEX128.values(), ids=ASKS_FOR_COMPLEX128.keys())
def test_complex128_without_the_mode_is_one_clear_error(call):
    with jax.enable_x64(False), pytest.raises(RuntimeError, match=FIX):
        call()
    call()  # and with the mode on it computes


def test_complex64_works_without_the_mode():
    with jax.enable_x64(False):
        psi = ebp.simulate(CIRCUIT, PARAMS, dtype=jnp.complex64)
        h = ebp.haar_state(3, seed=1, dtype=jnp.complex64)
        s = ebp.entanglement_entropy(h, 1)
        g = ebp.gradient(CIRCUIT, PARAMS, "Z0", dtype=jnp.complex64)
    assert psi.dtype == h.dtype == jnp.complex64 and s.dtype == g.dtype == jnp.float32
    want = ebp.simulate(CIRCUIT, PARAMS)  # complex128, mode on
    np.testing.assert_allclose(np.asarray(psi), np.asarray(want), atol=1e-5, rtol=0)


@pytest.mark.parametrize("jax_first", [False, True], ids=["before-jax-import", "after"])
def test_every_cli_command_switches_the_mode_on(jax_first):
    out = _python(
        ("import jax\n" if jax_first else "") + "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ebp.cli import app\n"
        "code = CliRunner().invoke(app, ['version']).exit_code\n"
        "loaded = 'jax' in sys.modules\n"
        "import jax\n"
        "print(code, loaded, jax.config.jax_enable_x64)"
    )
    assert out.split() == ["0", str(jax_first), "True"]


# ----------------------------------------------------------------------------- the runner


class DtypeConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    seed: int = 0


def dtype_task(task: Task) -> list[dict]:
    """What precision a task gets: JAX's default float and ebp's default state dtype."""
    return [
        {"float": str(jnp.ones(1).dtype), "state": str(ebp.haar_state(1, seed=task.seed).dtype)}
    ]


DTYPES = Study(
    name="dtypes",
    description="test study: reports the dtypes its task computes in",
    config_model=DtypeConfig,
    quick_config=DtypeConfig,
    points=lambda config: [{"i": 0}],
    run_task=dtype_task,
    make_figures=lambda df, config, out: [],
)


@pytest.mark.parametrize("executor", ["local", "processes"])
def test_runner_tasks_compute_in_64_bit_whatever_the_caller_chose(executor, tmp_path, monkeypatch):
    monkeypatch.delenv("JAX_ENABLE_X64", raising=False)  # spawned workers start with the mode off
    workers = 1 if executor == "processes" else None
    with jax.enable_x64(False):
        df = run_sweep(DTYPES, DtypeConfig(), tmp_path, executor=executor, workers=workers,
                       progress=False)  # fmt: skip
        still_off = not jax.config.jax_enable_x64
    assert df[["float", "state"]].values.tolist() == [["float64", "complex128"]]
    assert still_off
