"""Read the circuit to diagnose from a file: OpenQASM, or a Python file that defines one.

* ``*.qasm`` — OpenQASM 3 or 2 (:func:`ebp.circuit.from_qasm`).
* ``*.py`` — the file is run as a module and must define, at module level, one of
  ``circuit`` (an ebp ``Circuit`` or a Qiskit ``QuantumCircuit``) or ``qnode`` (a PennyLane
  QNode) together with ``args`` (a tuple: the QNode's arguments, whose numbers become the
  parameters). Running the file executes its code: diagnose only files you trust.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ..circuit import Circuit, CircuitImportError, from_pennylane, from_qasm, from_qiskit

__all__ = ["DiagnoseInputError", "load_circuit", "parse_visible"]

SUFFIXES = (".qasm", ".py")


class DiagnoseInputError(ValueError):
    """The file, the visible qubits or the observable cannot be used; the message says why."""


def parse_visible(text: str) -> list[int | str]:
    """``"0,1"`` → ``[0, 1]``; ``"q[0],q[3]"`` → labels. Empty items are refused."""
    items = [t.strip() for t in text.split(",")]
    if not text.strip() or any(not t for t in items):
        raise DiagnoseInputError(
            f"--visible must be a comma-separated list of qubit indices "
            f"or labels such as 0,1 or q[0],q[1]; got {text!r}."
        )
    return [int(t) if t.isdigit() else t for t in items]


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(f"_ebp_diagnose_{path.stem}", path)
    assert spec is not None and spec.loader is not None  # a .py path always has both
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as err:  # noqa: BLE001 - the user's file failed: say so, in one line
        raise DiagnoseInputError(f"running '{path}' failed: {type(err).__name__}: {err}") from None
    finally:
        sys.modules.pop(spec.name, None)
    return module


def _from_python(path: Path, visible, promote_angles: bool) -> Circuit:
    module = _module(path)
    if hasattr(module, "circuit"):
        obj = module.circuit
        if isinstance(obj, Circuit):
            if visible is not None and list(visible) != list(range(obj.n_visible)):
                raise DiagnoseInputError(
                    f"'{path}': an ebp Circuit keeps its own visible wires 0..{obj.n_visible - 1}"
                    f"; --visible must list exactly those; got {visible}."
                )
            return obj
        if type(obj).__name__ == "QuantumCircuit":
            return from_qiskit(obj, visible, promote_angles=promote_angles)
        raise DiagnoseInputError(
            f"'{path}': `circuit` is a {type(obj).__name__}; expected an "
            "ebp Circuit or a Qiskit QuantumCircuit."
        )
    if hasattr(module, "qnode"):
        args = getattr(module, "args", ())
        if not isinstance(args, tuple):
            raise DiagnoseInputError(
                f"'{path}': `args` must be a tuple of the QNode's "
                f"arguments; got {type(args).__name__}."
            )
        return from_pennylane(module.qnode, visible, args=args, promote_angles=promote_angles)
    raise DiagnoseInputError(
        f"'{path}' defines neither `circuit` (ebp or Qiskit) nor `qnode` "
        "(PennyLane, with `args`) at module level."
    )


def load_circuit(path: str | Path, visible=None, *, promote_angles: bool = False) -> Circuit:
    """The circuit in ``path`` (see the module docstring) with ``visible`` as its visible qubits.

    Raises:
        DiagnoseInputError: a missing file, an unknown suffix, an import error (with its line
            and column for QASM), a Python file without the convention.
    """
    path = Path(path)
    if not path.is_file():
        raise DiagnoseInputError(f"no such file: '{path}'.")
    if path.suffix not in SUFFIXES:
        raise DiagnoseInputError(
            f"'{path}': unknown file type {path.suffix!r}; allowed: {', '.join(SUFFIXES)}."
        )
    try:
        if path.suffix == ".qasm":
            return from_qasm(path, visible, promote_angles=promote_angles)
        return _from_python(path, visible, promote_angles)
    except DiagnoseInputError:
        raise
    except (CircuitImportError, ValueError, TypeError, ImportError) as err:
        raise DiagnoseInputError(f"'{path}': {err}") from None
