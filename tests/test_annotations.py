"""The public functions of the core packages are fully annotated: every parameter and the return
value of every exported function, and of every public method and property of an exported class.

mypy checks that the annotations agree with the code; this checks that they are there."""

from __future__ import annotations

import importlib
import inspect

import pytest

ANNOTATED = ["ebp.theory", "ebp.quantum_info", "ebp.sim", "ebp.circuit"]


def _public_callables(module):
    """``(qualified name, function)`` for the exported functions and the public methods and
    properties (``__init__`` included) of the exported classes defined in ebp."""
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and obj.__module__.startswith("ebp"):
            for attr, value in vars(obj).items():
                if attr.startswith("_") and attr != "__init__":
                    continue
                if isinstance(value, property) and value.fget is not None:
                    yield f"{name}.{attr}", value.fget
                elif isinstance(value, staticmethod | classmethod):
                    yield f"{name}.{attr}", value.__func__
                elif inspect.isfunction(value) and value.__module__.startswith("ebp"):
                    yield f"{name}.{attr}", value


def _missing(fn) -> list[str]:
    """The parameters (and ``return``) of ``fn`` without an annotation."""
    fn = inspect.unwrap(fn)
    sig = inspect.signature(fn)
    missing = [
        p.name
        for p in sig.parameters.values()
        if p.annotation is inspect.Parameter.empty and p.name not in ("self", "cls")
    ]
    if sig.return_annotation is inspect.Signature.empty and fn.__name__ != "__init__":
        missing.append("return")
    return missing


@pytest.mark.parametrize("modname", ANNOTATED)
def test_public_functions_are_fully_annotated(modname):
    module = importlib.import_module(modname)
    found = dict(_public_callables(module))
    assert found, f"{modname} exports no function"
    gaps = {name: m for name, fn in found.items() if (m := _missing(fn))}
    assert not gaps, f"{modname}: unannotated parameters or returns: {gaps}"


def test_the_check_sees_a_missing_annotation():
    def unannotated(x, y: int):
        return x

    def annotated(x: int, y: int) -> int:
        return x

    assert _missing(unannotated) == ["x", "return"]
    assert _missing(annotated) == []
