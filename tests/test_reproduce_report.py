"""The reproduction report: files written from a tiny stored run, self-contained HTML, the
Markdown twin, the generic page builder, and the page in headless Chromium."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from matplotlib.figure import Figure as MplFigure

from conftest import seed_for
from ebp.experiment import Task
from ebp.report import Badge, Figure, Page, Paragraph, Section, Table, render_html, render_markdown
from ebp.reproduce import CLAIMS, MANIFEST, STUDY_ORDER, ReproduceError, study_config, write_report
from ebp.runner import ResultStore
from headless import open_in_chromium
from test_reproduce_verdicts import supportive


def _png(path, label: str) -> None:
    fig = MplFigure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1, 2], [2, 1, 0.5], "o-")
    ax.set_title(label)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=60, format="png")


def make_reproduction(root, tables, *, figures=True):
    """A reproduction folder whose studies each hold one stored task with ``tables``' rows."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": "ebp-reproduce/1",
        "mode": "quick",
        "ebp_version": "test",
        "studies": list(STUDY_ORDER),
        "executor": "local",
        "wall_seconds": {name: 1.5 for name in STUDY_ORDER},
    }
    (root / MANIFEST).write_text(json.dumps(manifest))
    for name in STUDY_ORDER:
        config = study_config(name, "quick").model_dump(mode="json")
        store = ResultStore.create_or_resume(
            root / name, study=name, config=config, n_tasks=1, version="test"
        )
        rows = json.loads(tables[name].to_json(orient="records"))
        store.save(Task.make(name, 0, 7, part="synthetic"), rows)
    if figures:
        for claim in CLAIMS.values():
            for ref in claim.figures:
                _png(root / ref.study / ref.file, ref.file)
    return root


@pytest.fixture(scope="module")
def reproduction(tmp_path_factory):
    """One stored reproduction for the module (building it takes a few seconds)."""
    rng = np.random.default_rng(seed_for("test_reproduce_report"))
    return make_reproduction(tmp_path_factory.mktemp("repro"), supportive(rng))


def test_report_files_from_stored_results(reproduction):
    report = write_report(reproduction, redraw=False)
    assert report.html == reproduction / "report.html" and report.html.is_file()
    assert report.markdown == reproduction / "report.md" and report.markdown.is_file()
    assert set(report.verdicts) == set(CLAIMS)
    assert all(v.status == "holds" for v in report.verdicts.values())
    html = report.html.read_text()
    n_figures = sum(len(c.figures) for c in CLAIMS.values())
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == n_figures
    assert all(src.startswith("data:image/png;base64,") for src in images)
    for src in images:  # every embedded image decodes to a PNG
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from a network
    assert "<script" not in html
    for cid, claim in CLAIMS.items():
        assert f'id="{cid.lower()}"' in html
        assert claim.statement in html
    # the footer: configs with seeds, versions, machine, wall time per study
    for needle in (
        "Configuration",
        "JAX",
        "NumPy",
        "CPU cores",
        "memory",
        "Wall time",
        "entanglement (seed 0)",
    ):
        assert needle in html
    md = report.markdown.read_text()
    assert "| claim |" in md and md.count("**holds**") >= len(CLAIMS)
    for cid in CLAIMS:
        assert f"## {cid}." in md
    assert "(entanglement/trace_distance_vs_dhidden.png)" in md  # relative figure links


def test_report_says_which_studies_are_incomplete(tmp_path, rng):
    root = make_reproduction(tmp_path / "repro", supportive(rng), figures=False)
    manifest = json.loads((root / "entanglement" / "run.json").read_text())
    manifest["n_tasks"] = 5
    (root / "entanglement" / "run.json").write_text(json.dumps(manifest))
    html = write_report(root, redraw=False).html.read_text()
    assert "only 1 of 5 tasks are stored" in html
    assert "is not in this run" in html  # figures absent, said so


def test_report_of_a_folder_without_reproduction_is_refused(tmp_path):
    with pytest.raises(ReproduceError, match="not an ebp reproduction folder"):
        write_report(tmp_path)


def test_page_builder_escapes_text_and_checks_its_input(tmp_path):
    png = tmp_path / "f.png"
    _png(png, "x")
    page = Page(
        "A <title>",
        sections=[
            Section(
                "S & T",
                [
                    Paragraph("1 < 2 and <script>alert(1)</script>"),
                    Table(("a", "b"), [("x|y", Badge("ok", "good"))]),
                    Figure(path=png, caption="cap"),
                ],
                badge=Badge("holds", "good"),
            )
        ],
    )
    html = render_html(page)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A &lt;title&gt;" in html and 'class="badge good"' in html
    md = render_markdown(page, base=tmp_path)
    assert "x\\|y" in md and "![cap](f.png)" in md
    with pytest.raises(ValueError, match="rows must have 2 cells"):
        Table(("a", "b"), [("only one",)])
    with pytest.raises(ValueError, match="exactly one of path= or png="):
        Figure()
    with pytest.raises(ValueError, match="badge tone"):
        Badge("x", "purple")
    with pytest.raises(ValueError, match="not a PNG"):
        render_html(Page("t", sections=[Section("s", [Figure(png=b"GIF89a")])]))


# --------------------------------------------------------------------------- headless Chromium


@pytest.mark.slow
def test_report_opens_in_headless_chromium(reproduction):
    report = write_report(reproduction, redraw=False)
    load = open_in_chromium(report.html)
    assert len(load.images) == sum(len(c.figures) for c in CLAIMS.values())
    assert all(done and width > 0 for done, width in load.images), load.images
    assert load.problems == []
    assert load.failed == []
    assert load.schemes <= {"file", "data"}, load.schemes
