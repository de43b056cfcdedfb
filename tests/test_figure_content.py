"""What the figures show, checked on the drawn artists and the written PNG (the figures were
also looked at): sizes that fit a page, data inside the axes, legends off the data."""

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from ebp.report import plot_training


def _curve(n=40, phase_switch=20):
    cost = np.linspace(0, 2e4, n)
    return pd.DataFrame(
        {
            "cost": cost,
            "loss": 0.6 * np.exp(-cost / 4e3) + 0.01,
            "entropy": np.where(cost < cost[phase_switch], 0.0, 0.1),
            "phase": np.where(np.arange(n) < phase_switch, "decoupled", "coupled"),
        }
    )


@pytest.mark.slow
def test_training_figure_is_page_sized(tmp_path):
    path = plot_training(_curve(), tmp_path / "c.png", title="t", target=0.05, entropy_max=1.0)
    with Image.open(path) as image:
        width, height = image.size
    assert 1000 <= width <= 1800 and 400 <= height <= 700, (width, height)


def _training_runs():
    """A results table like training-failure's: five optimiser/mode columns, exact runs that
    end at rounding level (one median slightly below zero)."""
    rows = []
    cols = [
        ("adam", "shots"),
        ("spsa", "shots"),
        ("cma-es", "shots"),
        ("nelder-mead", "shots"),
        ("adam", "exact"),
    ]
    rng = np.random.default_rng(0)
    for opt, mode in cols:
        for model in ("brickwork", "bounded_cut"):
            for n_h in (1, 2, 3):
                for rep in range(3):
                    loss = (-2.5e-16 + 1e-17 * rep) if mode == "exact" else rng.uniform(0.01, 0.3)
                    rows.append(
                        dict(
                            kind="run",
                            optimiser=opt,
                            mode=mode,
                            model=model,
                            n_hidden=n_h,
                            repetition=rep,
                            loss=loss,
                            target=0.05,
                            success=loss <= 0.05,
                        )
                    )
    return pd.DataFrame(rows)


def _pixels(fig, tmp_path):
    from ebp.report import savefig

    with Image.open(savefig(fig, tmp_path / "f.png")) as image:
        return image.size


@pytest.mark.slow
def test_training_final_loss_exact_panel_stays_on_its_log_axis(tmp_path):
    from ebp.studies import training_failure as tf

    fig = tf._fig_loss.draw(_training_runs(), tf.quick_config())
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 5
    exact = [ax for ax in panels if ax.get_title().endswith("exact")][0]
    assert exact.get_yscale() == "log"
    low, high = exact.get_ylim()
    medians = [line for line in exact.get_lines() if "median" in str(line.get_label())]
    assert len(medians) == 2
    for line in medians:
        y = np.asarray(line.get_ydata(), dtype=float)
        assert np.all(y > 0) and np.all((low <= y) & (y <= high)), (y, low, high)
        assert np.allclose(y, tf.LOSS_FLOOR)
    width, height = _pixels(fig, tmp_path)
    assert width <= 1800 and height <= 1200, (width, height)


@pytest.mark.slow
def test_training_success_has_at_most_three_panels_per_row(tmp_path):
    from ebp.studies import training_failure as tf

    fig = tf._fig_success.draw(_training_runs(), tf.quick_config())
    rows = {round(ax.get_position().y0, 3) for ax in fig.axes if ax.get_visible()}
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 5 and len(rows) == 2
    width, _ = _pixels(fig, tmp_path)
    assert width <= 1800, width


def test_trace_distance_and_pinsker_markers_do_not_overlap():
    """Worst case: the Pinsker bound / 2 equals T exactly, so only the x offset separates them."""
    from ebp.studies import entanglement as E

    rows = [
        dict(
            experiment="profile",
            model=m,
            n_qubits=1 + h,
            n_visible=1,
            n_hidden=h,
            trace_distance=0.5 * 2.0 ** (-h / 2) * (1 + 0.01 * i),
            pinsker_bound=2 * 0.5 * 2.0 ** (-h / 2) * (1 + 0.01 * i),
        )
        for m in ("haar", "brickwork")
        for h in range(1, 8)
        for i in range(5)
    ]
    fig = E._fig_trace_distance.draw(pd.DataFrame(rows), E.quick_config())
    fig.canvas.draw()
    for ax in [a for a in fig.axes if a.get_visible()]:
        marked = [ln for ln in ax.get_lines() if ln.get_marker() in ("o", "s")]
        t = next(ln for ln in marked if ln.get_marker() == "o")
        p = next(ln for ln in marked if ln.get_marker() == "s")
        t_px = ax.transData.transform(np.column_stack(t.get_data()).astype(float))
        p_px = ax.transData.transform(np.column_stack(p.get_data()).astype(float))
        gap = np.hypot(*(t_px - p_px).T)  # pixels between each T marker and its Pinsker marker
        marker_px = t.get_markersize() * fig.dpi / 72
        assert np.all(gap > marker_px), (ax.get_title(), gap, marker_px)
        low, high = ax.get_xlim()
        assert low < np.min(t.get_xdata()) and np.max(p.get_xdata()) < high  # inside the axes


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _legends_off_the_axes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # runs the constrained layout
    renderer = canvas.get_renderer()
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert legends, "no legend drawn"
    panels = [ax.get_window_extent(renderer) for ax in fig.axes if ax.get_visible()]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert not any(_overlaps(box, p) for p in panels), (box, panels)


def _pretraining_table():
    rows = []
    strategies = [
        "random",
        "small-angle",
        "identity-block",
        "generative",
        "decoupled-start",
        "layerwise",
    ]
    for k, strat in enumerate(strategies):
        for rep in range(3):
            cost = np.linspace(0, 5e5, 30)
            for c, loss in zip(cost, 0.5 * np.exp(-cost / (1e5 * (k + 1))) + 0.01):
                rows.append(
                    dict(
                        kind="curve",
                        strategy=strat,
                        n_hidden=6,
                        repetition=rep,
                        cost=c,
                        loss=loss,
                        entropy=0.5 * loss,
                    )
                )
            rows.append(
                dict(
                    kind="run",
                    strategy=strat,
                    n_hidden=6,
                    repetition=rep,
                    loss=0.02 + 0.01 * rep,
                    target=0.05,
                    cost=5e5,
                    time_to_target=np.nan if rep == 2 else 1e5 * (k + 1),
                )
            )
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_pretraining_legends_do_not_cover_data():
    from ebp.studies import pretraining as P

    df, cfg = _pretraining_table(), P.quick_config()
    for output in (P._fig_trajectories, P._fig_final, P._fig_time):
        _legends_off_the_axes(output.draw(df, cfg))


def test_lipschitz_legends_do_not_cover_data():
    from ebp.studies import gradient_scaling as G

    rows = []
    for n_v in (1, 2):
        for model in ("brickwork", "hardware_efficient", "bounded_cut", "decoupled"):
            for n_h in range(1, 6):
                v = 2.0 ** (3 - 0.3 * n_h) if model == "brickwork" else 4.0
                rows.append(
                    dict(
                        experiment="n_hidden",
                        objective="local_pauli",
                        n_visible=n_v,
                        model=model,
                        n_hidden=n_h,
                        lipschitz_sampled=v,
                        lipschitz_sampled_lo=0.9 * v,
                        lipschitz_sampled_hi=1.1 * v,
                    )
                )
    fig = G._fig_lipschitz.draw(pd.DataFrame(rows), G.quick_config())
    _legends_off_the_axes(fig)


def test_cost_fraction_legend_does_not_cover_data():
    """Fractions that rise to 1 in the upper left, where an in-axes legend would sit."""
    from ebp.report import style
    from ebp.studies import cost_concentration as C

    rows = [
        dict(
            objective="local_pauli",
            model=model,
            n_hidden=n_h,
            deviation=dev,
            cost_var_haar=0.5 * 2.0**-n_h,
        )
        for model, scale in (("brickwork", 0.02), ("bounded_cut", 0.3))
        for n_h in range(1, 6)
        for dev in scale * np.linspace(0.0, 1.0, 20) / n_h
    ]
    with style():  # the style make_figures draws in (constrained layout)
        fig = C._fig_fraction.draw(pd.DataFrame(rows), C.quick_config())
        _legends_off_the_axes(fig)
