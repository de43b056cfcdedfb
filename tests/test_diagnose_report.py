"""The diagnosis page: self-contained HTML, opened in headless Chromium."""

from __future__ import annotations

import base64
import html as html_text
import re

import pytest

from ebp import diagnose
from ebp.ansatz import brickwork
from headless import open_in_chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    d = diagnose(
        brickwork(1, 3, 2),
        samples=8,
        seed=0,
        lipschitz_steps=0,
        builder=lambda n: brickwork(1, n, 2),
        hidden_sizes=(1, 2, 3),
        name="brickwork",
    )
    return d, d.to_html(tmp_path_factory.mktemp("diag") / "diagnosis.html")


@pytest.mark.slow
def test_page_is_self_contained_with_every_figure(page):
    d, path = page
    html = path.read_text()
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == 3  # entanglement, gradients, scaling
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<script" not in html
    assert 'class="badge' in html and d.verdict in html
    for text in (d.reason, *d.rule):
        assert html_text.escape(text, quote=False) in html
    assert "ebp.ansatz.bounded_cut" in html or d.verdict == "trainable"


@pytest.mark.slow
def test_page_opens_in_headless_chromium(page, tmp_path):
    _, path = page
    load = open_in_chromium(path, window="1100,3000", screenshot=tmp_path / "diagnosis.png")
    assert len(load.images) == 3 and all(done and width > 0 for done, width in load.images), (
        load.images
    )
    assert load.problems == []
    assert load.failed == []
    assert load.schemes <= {"file", "data"}, load.schemes
