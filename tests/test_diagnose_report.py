"""The diagnosis page: self-contained HTML, opened in headless Chromium."""

from __future__ import annotations

import base64
import html as html_text
import json
import re
import shutil

import pytest

from ebp import diagnose
from ebp.ansatz import brickwork


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


def _chromium():
    browser = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    return browser, shutil.which("chromedriver")


@pytest.mark.slow
def test_page_opens_in_headless_chromium(page, tmp_path):
    browser, driver_path = _chromium()
    if browser is None or driver_path is None:
        pytest.skip(
            "headless Chromium not found: install Debian's chromium and chromium-driver "
            "(apt-get install -y chromium chromium-driver)"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    _, path = page
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1100,3000",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(path.resolve().as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth]);"
        )
        console = driver.get_log("browser")
        performance = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        driver.save_screenshot(str(tmp_path / "diagnosis.png"))
    finally:
        driver.quit()
    assert len(images) == 3 and all(done and width > 0 for done, width in images), images
    assert [e for e in console if e.get("level") in ("SEVERE", "WARNING")] == []
    assert [m for m in performance if m.get("method") == "Network.loadingFailed"] == []
    requested = {
        m["params"]["request"]["url"].split(":", 1)[0]
        for m in performance
        if m.get("method") == "Network.requestWillBeSent"
    }
    assert requested <= {"file", "data"}, requested
