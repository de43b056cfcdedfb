"""Every long entry point shows progress (phase, budget spent, loss) when asked, and its
``progress=None`` default stays silent outside a terminal."""

import numpy as np
import pytest

from ebp import _progress
from ebp.ansatz import brickwork
from ebp.train import OPTIMISERS, fit, get_optimiser, make_task
from ebp.train.pretrain import STRATEGIES
from ebp.train.pretrain import run as run_strategy

TASK = make_task("state", n_visible=1, seed=0)


@pytest.fixture(autouse=True)
def wide_console():
    """Room for the whole bar line (rich truncates to the terminal width, 80 when captured)."""
    import rich

    rich.reconfigure(width=250)
    yield
    rich.reconfigure()


CIRCUIT = brickwork(1, 1, 2)


@pytest.mark.slow
def test_default_is_silent_outside_a_terminal(capsys):
    assert _progress.show_progress(None) is False  # pytest captures: not a terminal
    fit(CIRCUIT, TASK, "spsa", budget=200)
    assert capsys.readouterr().out == ""


def test_progress_argument_is_checked():
    with pytest.raises(TypeError, match="progress must be True, False or None"):
        fit(CIRCUIT, TASK, "spsa", budget=200, progress="yes")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(OPTIMISERS))
def test_every_optimiser_shows_budget_and_loss(name, capsys):
    result = fit(CIRCUIT, TASK, get_optimiser(name), budget=400, progress=True)
    out = capsys.readouterr().out
    assert f"{result.cost:.4g}/400 evaluations" in out, out
    assert f"loss {result.loss:.4g}" in out, out


@pytest.mark.slow
@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_every_strategy_shows_one_bar_over_its_whole_budget(strategy, capsys):
    result = run_strategy(
        strategy, brickwork(1, 1, 3), TASK, "spsa", budget=600, seed=0, progress=True
    )
    out = capsys.readouterr().out
    assert "spsa on state" in out and "600/600 evaluations" in out, out
    last_phase = str(result.curve["phase"].iloc[-1])
    assert last_phase in out, out


def test_phases_add_up_on_one_bar():
    bar = _progress.Bar(100, "x", enabled=False)
    first = bar.phase("one")
    first(30, loss=1.0)
    second = bar.phase("two", scale=2)
    second(10)
    assert bar.completed == 50


def test_gradient_statistics_progress_does_not_change_numbers(capsys):
    from ebp.landscape import gradient_statistics

    circuit = brickwork(1, 2, 3)
    quiet = gradient_statistics(circuit, "Z0", samples=300, seed=1, progress=False)
    loud = gradient_statistics(circuit, "Z0", samples=300, seed=1, progress=True)
    out = capsys.readouterr().out
    assert "300/300 samples" in out, out
    # the same chunks with or without the bar (equal to rounding: two identical calls of the
    # simulator may differ in the last bit)
    np.testing.assert_allclose(quiet.grad_var, loud.grad_var, rtol=1e-12, atol=1e-20)
    assert quiet.lipschitz == pytest.approx(loud.lipschitz, rel=1e-12)


@pytest.mark.slow
def test_qbm_pretraining_shows_its_phases(capsys):
    from ebp.qbm import pretrain, restricted

    model = restricted(1, 1)
    task = make_task("mixed-state", n_visible=1, seed=0)
    pretrain.visible_first(model, task, "adam", budget=200, progress=True)
    out = capsys.readouterr().out
    assert "visible-first: " in out and "coupled" in out and "/200 evaluations" in out, out
