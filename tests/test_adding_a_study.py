"""The example study of docs/adding-a-study.md, extracted from the page and run end to end."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ebp.runner import load_results, run_sweep
from ebp.studies import run_study

DOC = Path(__file__).resolve().parents[1] / "docs" / "adding-a-study.md"


def _example(tmp_path, monkeypatch):
    """The page's example as an importable module ``page_curve``."""
    match = re.search(
        r"<!-- example: page_curve\.py -->\s*```python\n(.*?)```", DOC.read_text(), re.DOTALL
    )
    assert match, f"{DOC.name} lost its example block"
    (tmp_path / "page_curve.py").write_text(match.group(1))
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module("page_curve"), match.group(1)


@pytest.mark.slow
def test_the_example_study_runs_through_the_runner(tmp_path, monkeypatch):
    module, source = _example(tmp_path, monkeypatch)
    assert len(source.splitlines()) < 80  # "one short file"
    study, config = module.STUDY, module.STUDY.quick_config()
    tasks = study.tasks(config)
    assert [t.params["n_visible"] for t in tasks] == [1, 1, 2, 3]  # n = 2, then n = 4
    assert {t.study for t in tasks} == {"page-curve"} and len({t.seed for t in tasks}) == 4

    df = run_sweep(study, config, tmp_path / "run", progress=False)
    assert len(df) == 4 * config.samples
    pd.testing.assert_frame_equal(load_results(tmp_path / "run"), df)
    # Page's mean is E[S(ρ_V)] over Haar states: each sample mean within 5 standard errors
    g = df.groupby(["n_qubits", "n_visible"])["entropy_bits"]
    error = 5 * g.std() / np.sqrt(g.count()) + 1e-9
    page = df.groupby(["n_qubits", "n_visible"])["page_entropy"].first()
    assert ((g.mean() - page).abs() <= error).all(), pd.concat([g.mean(), page], axis=1)
    assert (
        df["entropy_bits"] <= np.minimum(df["n_visible"], df["n_qubits"] - df["n_visible"]) + 1e-9
    ).all()

    def recompute(task):
        raise AssertionError(f"task {task.index} was stored and must not run again")

    stored = dataclasses.replace(study, run_task=recompute)
    again, paths = run_study(stored, config, tmp_path / "run", progress=False)
    pd.testing.assert_frame_equal(again, df)
    assert [p.name for p in paths] == ["page_curve.png"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
