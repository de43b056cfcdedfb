"""The layering of docs/architecture.md holds in the source: no package imports its own layer or
above, the package graph has no cycle, and a worker runs a task without the study registry."""

from __future__ import annotations

import ast
import pickle
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ebp"
DOC = ROOT / "docs" / "architecture.md"
FACADE = "(ebp)"  # the root package ebp/__init__.py


def _layers() -> dict[str, int]:
    """Package → layer, from the table between the ``layers`` markers of the doc."""
    text = DOC.read_text()
    match = re.search(r"<!-- layers\b.*?-->(.*?)<!-- /layers -->", text, re.DOTALL)
    assert match, f"{DOC} has no layer table between <!-- layers --> and <!-- /layers -->"
    layers = {}
    for line in match.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].isdigit():
            for name in re.findall(r"`([a-z_]+)`", cells[1]):
                assert name not in layers, f"{name} appears twice in the layer table"
                layers[name] = int(cells[0])
    return layers


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    if len(rel.parts) == 1:
        return FACADE if rel.name == "__init__.py" else rel.stem
    return rel.parts[0]


def _imports(path: Path) -> list[tuple[str, int, list[str]]]:
    """``(absolute module, line, imported names)`` for every import of ``ebp`` code in a file,
    those inside functions and ``TYPE_CHECKING`` blocks included."""
    here = list(path.relative_to(SRC.parent).parts[:-1])  # the package holding the file
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno, [a.name for a in node.names]))
    return [(m, line, names) for m, line, names in found if m == "ebp" or m.startswith("ebp.")]


def _target(module: str, names: list[str], packages: set[str]) -> list[str]:
    """The packages an import reaches (``from ebp import x`` reaches x when x is a package)."""
    parts = module.split(".")
    if len(parts) > 1:
        return [parts[1]]
    return [n if n in packages else FACADE for n in names] or [FACADE]


def _edges() -> list[tuple[str, str, str]]:
    """``(importer, imported, where)`` between different packages."""
    packages = {_package_of(p) for p in SRC.rglob("*.py")} - {FACADE}
    edges = []
    for path in sorted(SRC.rglob("*.py")):
        source = _package_of(path)
        for module, line, names in _imports(path):
            for target in _target(module, names, packages):
                if target != source:
                    where = f"{path.relative_to(SRC.parent)}:{line}: from {module} import {names}"
                    edges.append((source, target, where))
    return edges


def test_every_package_has_a_layer_and_every_layer_a_package():
    layers = _layers()
    packages = {_package_of(p) for p in SRC.rglob("*.py")} - {FACADE}
    assert not packages - set(layers), (
        f"packages missing from the layer table in {DOC.name}: {sorted(packages - set(layers))}"
    )
    assert not set(layers) - packages, (
        f"the layer table of {DOC.name} names packages that do not exist: "
        f"{sorted(set(layers) - packages)}"
    )


@pytest.mark.slow
def test_no_package_imports_its_own_layer_or_above():
    layers = _layers()
    bad = []
    for source, target, where in _edges():
        if source == FACADE:
            continue  # the facade re-exports from everything below it
        if target == FACADE:
            if "__version__" not in where or "import ['__version__']" not in where:
                bad.append(f"{where}  (only __version__ may be taken from the root package)")
        elif layers[target] >= layers[source]:
            bad.append(
                f"{where}  ({source}: layer {layers[source]}, {target}: layer {layers[target]})"
            )
    assert not bad, "imports against the layering of docs/architecture.md:\n" + "\n".join(bad)


@pytest.mark.slow
def test_package_graph_has_no_cycle():
    graph: dict[str, set[str]] = {}
    for source, target, _ in _edges():
        if FACADE not in (source, target):
            graph.setdefault(source, set()).add(target)
    assert "studies" not in graph.get("runner", set()), "runner imports studies"
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(path + [node, nxt]))
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_the_checks_see_an_upward_import(tmp_path, monkeypatch):
    """The test above can fail: a runner module importing studies is reported."""
    fake = tmp_path / "ebp"
    for package, body in {
        "runner": "from ..studies import STUDIES\n",
        "studies": "",
        "experiment": "",
    }.items():
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text(body)
    (fake / "__init__.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    edges = _edges()
    assert [(s, t) for s, t, _ in edges] == [("runner", "studies")]
    with pytest.raises(AssertionError, match="runner: layer 6, studies: layer 8"):
        test_no_package_imports_its_own_layer_or_above()


SHARED_INTERNAL = {"_checks", "_chunks", "_format", "_precision", "_progress", "_study_config"}
"""The top-level internal modules meant to be shared by every package: layer 0 of
docs/architecture.md (argument checks, chunking, 64-bit mode, progress callbacks, study configs as
text, numbers with their uncertainty). Any other underscore name belongs to the package that
defines it."""


def _private_imports() -> list[str]:
    """Every import, in any module, of an underscore-prefixed module or name of another package:
    ``from ebp.landscape._losses import x``, ``from ..train.pretrain import _chain``,
    ``from ebp.sim import _gue``. Dunder names (``__version__``) and ``SHARED_INTERNAL`` are
    public to the whole package."""

    def private(name: str) -> bool:
        return name.startswith("_") and not name.startswith("__")

    bad = []
    for path in sorted(SRC.rglob("*.py")):
        source = _package_of(path)
        for module, line, names in _imports(path):
            parts = module.split(".")[1:]
            target = parts[0] if parts else None
            if target == source:
                continue
            if target is None:  # from ebp import a, b: each name is a package or module
                reached = [n for n in names if private(n) and n not in SHARED_INTERNAL]
            else:
                inner = parts[1:] if target in SHARED_INTERNAL else parts
                reached = [p for p in inner if private(p)] + [n for n in names if private(n)]
            if reached:
                bad.append(
                    f"{path.relative_to(SRC.parent)}:{line}: from {module} import "
                    f"{', '.join(names) or '*'}  (private: {', '.join(reached)})"
                )
    return bad


def test_no_package_imports_another_packages_private_names():
    layer_0 = {name for name, layer in _layers().items() if layer == 0}
    assert layer_0 == SHARED_INTERNAL, "the shared internal modules are layer 0 of the doc's table"
    bad = _private_imports()
    assert not bad, (
        "imports of another package's private (underscore) module or name; give the shared "
        "function a public name in its package, or move it to where it belongs:\n" + "\n".join(bad)
    )


def test_the_private_import_check_sees_each_kind_of_reach(tmp_path, monkeypatch):
    """The test above can fail: a private module, a private name and a relative import of
    either are reported; the shared internal modules, the package's own private modules and
    dunder names are not."""
    fake = tmp_path / "ebp"
    files = {
        "train/__init__.py": "from ebp.landscape._losses import mmd\n",
        "train/_tasks.py": "from ..landscape._objectives import _density_matrix\n"
        "from ._fit import fit\n"
        "from ebp._checks import check_int\n"
        "from ebp import __version__, _progress\n",
        "qbm/__init__.py": "from ebp.train import pretrain, _chain\nfrom ebp import _secret\n",
        "landscape/__init__.py": "from ebp.landscape import _losses\n",
        "_checks.py": "",
    }
    for name, body in files.items():
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text(body)
    (fake / "__init__.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    reported = [line.split("(private: ")[1].rstrip(")") for line in _private_imports()]
    assert sorted(reported) == ["_chain", "_losses", "_objectives, _density_matrix", "_secret"]
    with pytest.raises(AssertionError, match="private"):
        test_no_package_imports_another_packages_private_names()


WORKER = """
import pickle, sys
job, task = pickle.loads(sys.stdin.buffer.read())
rows = job(task)
import ebp.studies
loaded = sorted(m for m in sys.modules if m.startswith("ebp.studies."))
sys.stdout.buffer.write(pickle.dumps((rows, loaded, "STUDIES" in vars(ebp.studies))))
"""


@pytest.mark.slow  # a fresh Python process importing JAX
def test_a_worker_runs_a_task_without_the_study_registry():
    """What a worker receives names the task function's module; unpickling it in a fresh process
    imports that study alone, and the task gives the same rows as here."""
    from ebp.runner._worker import run_one
    from ebp.studies import get_study

    study = get_study("qbm-gradient-by-term")
    config = study.config_model(models=("ising",), n_hidden=(1,), instances=2)
    task = study.tasks(config)[0]
    job = partial(run_one, study.run_task)
    assert b"ebp.studies.qbm_gradient_by_term" in pickle.dumps(job)
    out = subprocess.run(
        [sys.executable, "-c", WORKER],
        input=pickle.dumps((job, task)),
        capture_output=True,
        check=True,
        timeout=300,
    )
    rows, loaded, registry_built = pickle.loads(out.stdout)
    assert rows == run_one(study.run_task, task)
    assert not registry_built
    studies = {m.removeprefix("ebp.studies.") for m in loaded if not m.startswith("ebp.studies._")}
    assert studies == {"qbm_gradient_by_term", "qbm_typicality"}  # the latter: its target
