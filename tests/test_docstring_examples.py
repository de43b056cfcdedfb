"""The examples in the docstrings run as written and print what they show (doctest), so that the
API reference cannot drift from the code."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Every module of the package whose docstrings hold an interactive example.
MODULES = sorted(
    ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    for path in (SRC / "ebp").rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
)


def test_examples_are_found():
    assert "ebp.theory._page" in MODULES and "ebp.quantum_info._entanglement" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, report=True, verbose=False)
    assert result.attempted > 0 or _only_skipped(module), f"{name}: no example ran"
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def _only_skipped(module) -> bool:
    """True when every example of the module is marked ``+SKIP`` (it needs files of a run)."""
    finder = doctest.DocTestFinder()
    examples = [ex for test in finder.find(module) for ex in test.examples]
    return bool(examples) and all(ex.options.get(doctest.SKIP) for ex in examples)
