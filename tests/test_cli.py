"""The ``ebp`` command line: listing, running from a TOML config, and clear usage errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ebp.cli import app

runner = CliRunner()

# Same values as TINY in tests/test_entanglement_study.py, so compiled circuits are shared.
TINY_TOML = """
models = ["haar", "gue", "hardware_efficient", "brickwork", "pauli_network", "bounded_cut",
          "decoupled"]
n_min = 2
n_max = 3
samples = 60
hist_models = ["haar", "brickwork"]
hist_n_hidden = [1, 2, 3]
hist_samples = 60
depth_n = 3
depths = [1, 2]
depth_cut_gates = [0, 1, 2]
"""


def test_studies_lists_entanglement():
    result = runner.invoke(app, ["studies"])
    assert result.exit_code == 0, result.output
    assert "entanglement" in result.output and "Page" in result.output


def test_version():
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.startswith("ebp ")


@pytest.mark.slow
def test_run_from_toml_writes_table_and_figures(tmp_path):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY_TOML)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "entanglement", "--config", str(cfg), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = out / "results.csv"
    assert table.stat().st_size > 0 and (out / "config.json").exists()
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 5 and all(p.stat().st_size > 0 for p in pngs)
    assert str(table) in result.output
    assert all(str(p) in result.output for p in pngs)


def test_unknown_study_is_a_one_line_usage_error():
    result = runner.invoke(app, ["run", "nope"])
    assert result.exit_code == 2
    assert "Error: unknown study 'nope'; known studies: " in result.output
    assert "entanglement" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("samples = 1\n", "field 'samples': Input should be greater than or equal to 2 (got 1)"),
        ("smaples = 3\n", "field 'smaples': unknown field; allowed fields: seed, models, n_min"),
        ('models = ["haar", "qft"]\n', "field 'models.1': Input should be 'haar'"),
        ("n_min = 6\nn_max = 4\n", "n_min must be <= n_max; got n_min=6, n_max=4"),
        ("n_min = \n", "is not valid TOML"),
    ],
)
def test_bad_config_names_the_field(tmp_path, toml, expected):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(toml)
    result = runner.invoke(app, ["run", "entanglement", "--config", str(cfg)])
    assert result.exit_code == 2
    assert expected in result.output
    assert str(cfg) in result.output and "Traceback" not in result.output


def test_missing_config_file(tmp_path):
    result = runner.invoke(app, ["run", "entanglement", "--config", str(tmp_path / "no.toml")])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_ctrl_c_exits_130_without_traceback(monkeypatch, tmp_path):
    import ebp.studies

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ebp.studies, "run_study", interrupted)
    result = runner.invoke(app, ["run", "entanglement", "--quick", "--out", str(tmp_path)])
    assert result.exit_code == 130
    assert "Traceback" not in result.output and "Aborted" not in result.output


@pytest.mark.slow
def test_fresh_discards_a_run_with_another_config(tmp_path):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY_TOML)
    out = tmp_path / "out"
    (out / "tasks").mkdir(parents=True)
    (out / "run.json").write_text(
        '{"format": "ebp-run/1", "study": "entanglement", "config": {"samples": 3}}'
    )
    (out / "tasks" / "0123456789abcdef.json").write_text("{}")
    args = ["run", "entanglement", "--config", str(cfg), "--out", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "samples: 3 there, 60 now;" in refused.output
    result = runner.invoke(app, [*args, "--fresh"])
    assert result.exit_code == 0, result.output
    assert not (out / "tasks" / "0123456789abcdef.json").exists()
    assert '"samples": 60' in (out / "run.json").read_text()
