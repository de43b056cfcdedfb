"""Open a local HTML file in headless Chromium and collect what a reader's browser would meet.

Used by the tests of self-contained pages (the reproduction report, the diagnosis page): every
image loaded, no console error or warning, no failed request, nothing fetched from the network.
Where Chromium, chromedriver or selenium is missing, the calling test is skipped, saying how to
install them.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["PageLoad", "open_in_chromium"]

_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")


@dataclass(frozen=True)
class PageLoad:
    """What loading the page produced."""

    images: list[tuple[bool, int]]
    """(complete, natural width) of every ``<img>``."""
    problems: list[dict]
    """Console entries of level SEVERE or WARNING."""
    failed: list[dict]
    """``Network.loadingFailed`` events."""
    schemes: set[str]
    """URL schemes of every request made (``file`` and ``data`` for a self-contained page)."""


def open_in_chromium(
    path: Path, *, window: str | None = None, screenshot: Path | None = None
) -> PageLoad:
    """Load ``path`` in headless Chromium (optionally at ``window`` size "W,H", saving a
    ``screenshot``); skips the calling test where no headless Chromium can be driven."""
    browser = next((shutil.which(n) for n in _BROWSERS if shutil.which(n)), None)
    driver_path = shutil.which("chromedriver")
    if browser is None or driver_path is None:
        pytest.skip(
            "headless Chromium not found: install Debian's chromium and chromium-driver "
            "(apt-get install -y chromium chromium-driver)"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (*_ARGS, *([f"--window-size={window}"] if window else [])):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(Path(path).resolve().as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth]);"
        )
        console = driver.get_log("browser")
        performance = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        if screenshot is not None:
            driver.save_screenshot(str(screenshot))
    finally:
        driver.quit()
    return PageLoad(
        images=[tuple(i) for i in images],
        problems=[e for e in console if e.get("level") in ("SEVERE", "WARNING")],
        failed=[m for m in performance if m.get("method") == "Network.loadingFailed"],
        schemes={
            m["params"]["request"]["url"].split(":", 1)[0]
            for m in performance
            if m.get("method") == "Network.requestWillBeSent"
        },
    )
