"""The persistent compilation cache: a fresh process finds the programs an earlier one compiled;
``EBP_NO_CACHE=1`` switches it off; ``EBP_CACHE_DIR`` chooses the folder."""

import json
import os
import sys

import pytest

from subprocesses import run_python

_SCRIPT = """
import json, jax, jax.monitoring, numpy as np
counts = {"hits": 0, "misses": 0, "compiles": 0}
def listen(name, **kw):
    if name == "/jax/compilation_cache/cache_hits":
        counts["hits"] += 1
    if name == "/jax/compilation_cache/cache_misses":
        counts["misses"] += 1
def listen_duration(name, duration, **kw):
    if name == "/jax/core/compile/backend_compile_duration":
        counts["compiles"] += 1
jax.monitoring.register_event_listener(listen)
jax.monitoring.register_event_duration_secs_listener(listen_duration)
import ebp
import ebp.sim._flat_numpy
from ebp.ansatz import hardware_efficient
ebp.sim._flat_numpy.NUMPY_MAX_QUBITS = 1  # every width on the compiled programs
c = hardware_efficient(1, 1, 2)
out = ebp.simulate(c, np.full(c.n_params, 0.3))
counts["norm"] = float(np.sum(np.abs(np.asarray(out)) ** 2))
counts["folder"] = jax.config.jax_compilation_cache_dir
print(json.dumps(counts))
"""


def _run(env_extra: dict) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("EBP_NO_CACHE", "EBP_CACHE_DIR", "JAX_COMPILATION_CACHE_DIR")
    }
    env.update(env_extra)
    env["JAX_ENABLE_X64"] = "1"
    return json.loads(run_python("-c", _SCRIPT, env=env).strip().splitlines()[-1])


def _files(folder) -> list:
    return [f for _, _, fs in os.walk(folder) for f in fs]


@pytest.mark.slow
def test_second_process_loads_programs_from_the_cache(tmp_path):
    folder = tmp_path / "cache"
    first = _run({"EBP_CACHE_DIR": str(folder)})
    assert first["folder"] == str(folder)
    assert abs(first["norm"] - 1) < 1e-12
    assert first["misses"] > 0 and _files(folder), "nothing was written to the cache folder"
    assert _files(folder / "programs"), "the simulator's programs were not saved"
    second = _run({"EBP_CACHE_DIR": str(folder)})
    assert second["misses"] == 0, f"{second['misses']} program(s) compiled again: {second}"
    # whatever still goes through XLA's compiler entry point is answered by the cache
    assert second["compiles"] == second["hits"], second
    assert abs(second["norm"] - 1) < 1e-12


@pytest.mark.slow
def test_no_cache_switch(tmp_path):
    folder = tmp_path / "cache"
    out = _run({"EBP_CACHE_DIR": str(folder), "EBP_NO_CACHE": "1"})
    assert out["folder"] is None
    assert out["hits"] == out["misses"] == 0
    assert not folder.exists() or not _files(folder)


def test_default_folder_is_under_the_user_cache_dir(tmp_path, monkeypatch):
    from ebp.sim import cache_folder

    monkeypatch.delenv("EBP_NO_CACHE", raising=False)
    monkeypatch.delenv("EBP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert cache_folder() == tmp_path / "ebp" / "jax"
    monkeypatch.setenv("EBP_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_folder() == tmp_path / "mine"
    monkeypatch.setenv("EBP_NO_CACHE", "1")
    assert cache_folder() is None


@pytest.mark.parametrize("value", ["0", ""])
def test_no_cache_only_for_true_values(value, monkeypatch):
    from ebp.sim import cache_folder

    monkeypatch.setenv("EBP_NO_CACHE", value)
    assert cache_folder() is not None


def test_program_file_names_describe_the_code_running_not_the_files_on_disk(tmp_path, monkeypatch):
    """A process whose source files are replaced while it runs (an upgrade during a sweep) keeps
    naming its saved programs after the code it imported: it must never load programs built
    from other sources, whose arguments may differ."""
    from pathlib import Path

    from ebp.sim import _flat_engine

    monkeypatch.setenv("EBP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("EBP_NO_CACHE", raising=False)
    key = ("chunk", 4, "complex128", 1, "forward")
    before = _flat_engine._saved_path(key)
    monkeypatch.setattr(Path, "read_bytes", lambda self: b"other sources")
    assert _flat_engine._saved_path(key) == before
