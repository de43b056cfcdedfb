"""What every importer shares: angles as affine forms of the free parameters, and the rules that
turn one source gate into ebp operations.

An angle in a source circuit is a number, a free parameter, or an expression of them. ebp's
operations read parameters directly (``θ[slot]``), so an angle must be

* a free parameter θ_s itself, or a number: the registered gate is used as it is (a number makes
  the gate fixed: its matrix at that value, or, with ``promote_angles``, a new named parameter);
* otherwise an affine a·θ_s + b: the gate is written factor by factor; a factor
  e^{−i(aθ_s + b)G} whose generator is a sum of commuting Pauli strings G = Σ c_j P_j (every
  registered gate: RX…RZZ, P = e^{iλ/2}R_Z, controlled rotations, U3, CU, SU4) becomes the Pauli
  rotations e^{−iθ_s(a c_j)P_j} after the fixed e^{−ib c_j P_j} (all commute), exactly, global
  phase included.

Anything else (a product of two parameters, a parameter inside sin) is refused with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._checks import is_int
from ._circuit import Circuit, CircuitBuilder
from ._factors import Fixed, PauliExp, pauli_matrix
from ._gates import GATES

__all__ = ["Affine", "CircuitAssembly", "CircuitImportError", "optional_import"]


class CircuitImportError(ValueError):
    """Base of the importers' errors (a ValueError: the input is what is wrong)."""


@dataclass(frozen=True)
class Affine:
    """a·θ_slot + b (slot None: the number b)."""

    b: float = 0.0
    a: float = 0.0
    slot: int | None = None

    @property
    def constant(self) -> bool:
        return self.slot is None or self.a == 0.0

    @property
    def bare(self) -> bool:
        return self.slot is not None and self.a == 1.0 and self.b == 0.0

    def __add__(self, other: Affine) -> Affine:
        if self.constant:
            return Affine(self.b + other.b, other.a, other.slot)
        if other.constant or other.slot == self.slot:
            return Affine(
                self.b + other.b, self.a + (0.0 if other.constant else other.a), self.slot
            )
        raise ValueError("an angle may depend on one parameter only")

    def __neg__(self) -> Affine:
        return Affine(-self.b, -self.a, self.slot)

    def __sub__(self, other: Affine) -> Affine:
        return self + (-other)

    def __mul__(self, other: Affine) -> Affine:
        if other.constant:
            return Affine(self.b * other.b, self.a * other.b, self.slot)
        if self.constant:
            return other * self
        raise ValueError("a product of two parameters is not an angle ebp can represent")

    def __truediv__(self, other: Affine) -> Affine:
        if not other.constant:
            raise ValueError("dividing by a parameter is not an angle ebp can represent")
        if other.b == 0:
            raise ValueError("division by zero")
        return Affine(self.b / other.b, self.a / other.b, self.slot)


@dataclass
class CircuitAssembly:
    """Collects operations on source wires, then builds the ebp :class:`Circuit`."""

    n_qubits: int
    param_names: list[str] = field(default_factory=list)
    ops: list = field(default_factory=list)  # (gate name, wires, slots, data) or "layer"
    notes: list[str] = field(default_factory=list)
    promote_angles: bool = False
    promoted: int = 0

    def new_param(self, name: str) -> int:
        self.param_names.append(name)
        return len(self.param_names) - 1

    def layer(self) -> None:
        if self.ops and self.ops[-1] != "layer":
            self.ops.append("layer")

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def gate(self, name: str, wires: tuple[int, ...], args: list[Affine], where: str = "") -> None:
        """Apply registered gate ``name`` with angles ``args`` (see the module docstring)."""
        spec = GATES[name]
        if len(args) != spec.n_params:
            raise ValueError(
                f"gate {spec.qasm[0] if spec.qasm else name} takes {spec.n_params} "
                f"angle(s); got {len(args)}"
            )
        if all(a.bare for a in args):
            self.ops.append((name, wires, tuple(a.slot for a in args), None))
            return
        if self.promote_angles and name != "GPHASE" and all(a.bare or a.constant for a in args):
            slots = []
            for a in args:
                if a.bare:
                    slots.append(a.slot)
                else:
                    self.promoted += 1
                    slots.append(self.new_param(f"{name.lower()}_angle{self.promoted}{where}"))
            self.ops.append((name, wires, tuple(slots), None))
            return
        if all(a.constant for a in args):
            theta = np.array([a.b for a in args])
            m = spec.numpy_matrix(theta)
            if name == "GPHASE" and np.allclose(m, np.eye(2)):
                return
            self.ops.append(("UNITARY", wires, (), m))
            return
        for f in spec.factors():
            if isinstance(f, Fixed):
                self.ops.append(("UNITARY", wires, (), f.value()))
                continue
            terms = _pauli_terms(f)
            if terms is None:
                raise ValueError(
                    f"gate {spec.qasm[0] if spec.qasm else name}: an angle that is an expression "
                    "of a parameter needs generators made of commuting Pauli strings; write the "
                    "parameter alone"
                )
            arg = args[f.param]
            for coeff, label in terms:
                if arg.b:
                    fixed = PauliExp(0, coeff, label).matrix(np.array([arg.b]), np)
                    self.ops.append(("UNITARY", wires, (), np.asarray(fixed)))
                if not arg.constant:
                    self.ops.append(("PAULIROT", wires, (arg.slot,), (coeff * arg.a, label)))

    def build(self, order: list[int], n_visible: int, source: list) -> Circuit:
        """The circuit with source wire ``order[i]`` as wire i (visible first)."""
        where = {w: i for i, w in enumerate(order)}
        b = CircuitBuilder(n_visible, len(order) - n_visible)
        b.new_slots(len(self.param_names))
        for item in self.ops:
            if item == "layer":
                b.layer()
                continue
            name, wires, slots, data = item
            b.gate(name, tuple(where[w] for w in wires), slots=slots, data=data)
        c = b.build()
        return Circuit(
            c.n_visible,
            c.n_hidden,
            c.operations,
            len(self.param_names),
            c.layer_starts,
            param_names=tuple(self.param_names),
            source_qubits=tuple(source[w] for w in order),
            notes=tuple(self.notes),
        )


def _pauli_terms(f) -> list[tuple[float, str]] | None:
    """G = Σ_j c_j P_j for a factor's generator, when the P_j commute (then
    e^{−iθG} = Π_j e^{−iθ c_j P_j}); None otherwise."""
    if isinstance(f, PauliExp):
        return [(float(f.coeff), f.label)]
    g, k = f.generator(), f.n_wires
    terms = []
    for idx in np.ndindex(*(4,) * k):
        label = "".join("IXYZ"[i] for i in idx)
        c = np.trace(pauli_matrix(label) @ g) / 2**k
        if abs(c) > 1e-12:
            terms.append((float(c.real), label))
    for i, (_, a) in enumerate(terms):
        for _, b in terms[i + 1 :]:
            if sum(1 for x, y in zip(a, b) if x != "I" and y != "I" and x != y) % 2:
                return None
    return terms


def resolve_visible(visible, labels: list, kind: str) -> list[int]:
    """Source indices of the visible qubits, from labels or indices; checked."""
    if visible is None:
        raise CircuitImportError(
            f"name the visible qubits: visible=[...] with {kind} labels from "
            f"{labels[:6]}{' …' if len(labels) > 6 else ''} (or their indices)."
        )
    if isinstance(visible, (str, int, np.integer)):
        visible = [visible]
    out = []
    for v in visible:
        if is_int(v):
            if not 0 <= int(v) < len(labels):
                raise CircuitImportError(
                    f"visible qubit index {v} out of range 0..{len(labels) - 1}."
                )
            out.append(int(v))
        elif v in labels:
            out.append(labels.index(v))
        else:
            raise CircuitImportError(
                f"visible qubit {v!r} is not a qubit of the source; its qubits: "
                f"{labels[:8]}{' …' if len(labels) > 8 else ''}."
            )
    if len(set(out)) != len(out):
        raise CircuitImportError(f"visible qubits repeat: {list(visible)}.")
    if not out:
        raise CircuitImportError("at least one visible qubit is needed.")
    return out


def wire_order(visible: list[int], n: int) -> list[int]:
    """Visible qubits first (in the order given), then the others in source order."""
    return visible + [w for w in range(n) if w not in set(visible)]


def optional_import(module: str, extra: str):
    """Import an optional library, or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"this importer needs {module}: pip install 'ebp[{extra}]'") from exc


PI = Affine(math.pi)
