"""Turn a :class:`~ebp.circuit.Circuit` into a *program*: few, fused passes over the state.

Fusion rules (each rule only reorders gates that commute, so the product is unchanged):

1. consecutive single-qubit gates on one wire become one 2×2 (:class:`Stage` kind ``"mat1"``);
2. a run of diagonal gates (RZ, Z, S, T, CZ, RZZ, Z-string rotations, diagonal fixed unitaries) is
   one elementwise phase multiplication (kind ``"diag"``); a diagonal gate joins the last diagonal
   stage when every stage after it acts on other wires;
3. a new stage is moved before the trailing stages it commutes with (disjoint wires), which keeps
   diagonal stages together;
3b. neighbouring single-qubit stages on different wires are grouped into one pass (kind
   ``"kron"``: U_a ⊗ U_b), halving the passes over the state;
4. non-diagonal Pauli rotations exp(−iθcP) are one pass ``cos(θc)ψ − i sin(θc)Pψ`` (kind
   ``"pauli"``); any other multi-qubit gate is a dense k-qubit stage (kind ``"dense"``).

Fusion happens inside a layer. Consecutive layers with the same *structure* (gate names, wires,
Pauli labels; not coefficients, slots or fixed matrices) form a :class:`Segment`, run with
``lax.scan`` so compile time does not grow with depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import jax
import numpy as np

from ..circuit import Circuit, Operation
from ._pauli_sequence import PauliSequence, pauli_sequence

__all__ = ["OpSpec", "PauliSequence", "Program", "Segment", "Stage", "compile_circuit"]

GROUP_SINGLE_QUBIT_STAGES = 2  # fusion rule 3b: at most this many wires per kron pass
# A layer with more fused stages than this that consists of Pauli rotations only runs as a
# PauliSequence (one scanned step per rotation), so compile time stays flat in the layer size.
MAX_UNROLLED_STAGES = 24


@dataclass(frozen=True)
class OpSpec:
    """Static description of one gate inside a stage (what XLA needs to know at trace time).

    kind: ``"rot"`` (exp(−iθ c P), P = ``label``), ``"param"`` (any other parametrised gate:
    registry name ``label`` and fixed ``data``, matrix from ``op.spec.matrix``) or ``"fixed"``
    (matrix from data).
    """

    kind: str
    label: str = ""
    wires: tuple[int, ...] = ()
    data: object = None


@dataclass(frozen=True)
class Stage:
    """One pass over the state: static spec plus the per-op dynamic data of one layer."""

    kind: str  # "mat1" | "diag" | "pauli" | "dense"
    wires: tuple[int, ...]
    ops: tuple[OpSpec, ...]
    slots: tuple[tuple[int, ...], ...] = field(compare=False)
    coeffs: tuple[float, ...] = field(compare=False)
    fixed: tuple[np.ndarray | None, ...] = field(compare=False)

    @property
    def signature(self) -> tuple:
        return (self.kind, self.wires, self.ops)


@dataclass(frozen=True)
class Segment:
    """``n_layers`` consecutive layers of identical structure.

    ``stage_specs`` is the static structure; ``slots[i]``, ``coeffs[i]``, ``fixed[i]`` hold, for
    stage i, arrays with a leading axis of length ``n_layers``.
    """

    stage_specs: tuple[tuple, ...]
    trainable: tuple[bool, ...]
    uniform_fixed: tuple[bool, ...]
    n_layers: int
    slots: tuple
    coeffs: tuple
    fixed: tuple


@dataclass(frozen=True)
class Program:
    """Segments in time order: :class:`Segment` (fused stages, scanned over layers) or
    :class:`~ebp.sim._pauli_sequence.PauliSequence` (long runs of Pauli rotations)."""

    n_qubits: int
    n_params: int
    segments: tuple


def _is_rotation(op: Operation) -> bool:
    return op.pauli is not None and len(op.slots) == 1


def _diagonal(op: Operation) -> bool:
    """Diagonal gates that a ``diag`` stage handles: Z-string rotations and fixed gates."""
    return bool(op.diagonal) and (_is_rotation(op) or not op.slots)


def _op_spec(op: Operation) -> tuple[OpSpec, float, np.ndarray | None]:
    if _is_rotation(op):
        assert op.pauli is not None and op.coeff is not None  # a rotation has both
        return OpSpec("rot", op.pauli, op.wires), op.coeff, None
    if op.slots:
        return OpSpec("param", op.name, op.wires, op.data), 0.0, None
    with jax.ensure_compile_time_eval():  # a constant even when compiled inside jax.jit
        matrix = np.asarray(op.matrix(), dtype=complex)
    return OpSpec("fixed", "", op.wires), 0.0, matrix


def _stage(kind: str, wires, ops: list[Operation]) -> Stage:
    specs, coeffs, fixed = zip(*(_op_spec(op) for op in ops))
    return Stage(kind, tuple(wires), tuple(specs), tuple(op.slots for op in ops), coeffs, fixed)


def _commute(a: Stage, b: Stage) -> bool:
    return (a.kind == "diag" and b.kind == "diag") or not set(a.wires) & set(b.wires)


def _merge_diag(x: Stage, y: Stage) -> Stage:
    wires = tuple(sorted(set(x.wires) | set(y.wires)))
    return Stage(
        "diag", wires, x.ops + y.ops, x.slots + y.slots, x.coeffs + y.coeffs, x.fixed + y.fixed
    )


def _place(stages: list[Stage], new: Stage) -> None:
    """Insert ``new`` before the trailing stages it commutes with; merge diagonal stages."""
    i = len(stages)
    while i > 0 and _commute(stages[i - 1], new):
        if new.kind == "diag" and stages[i - 1].kind == "diag":
            stages[i - 1] = _merge_diag(stages[i - 1], new)
            return
        i -= 1
    stages.insert(i, new)


def _fuse_layer(ops: tuple[Operation, ...]) -> list[Stage]:
    stages: list[Stage] = []
    pending: dict[int, list[Operation]] = {}

    def flush(w: int) -> None:
        group = pending.pop(w, None)
        if group:
            kind = "diag" if all(_diagonal(op) for op in group) else "mat1"
            _place(stages, _stage(kind, (w,), group))

    for op in ops:
        if len(op.wires) == 1:
            pending.setdefault(op.wires[0], []).append(op)
            continue
        if _diagonal(op):
            # diagonal gates commute with pending diagonal 1q gates but not with general ones
            for w in op.wires:
                flush(w)
            _place(stages, _stage("diag", op.wires, [op]))
            continue
        for w in op.wires:
            flush(w)
        kind = "pauli" if _is_rotation(op) else "dense"
        _place(stages, _stage(kind, op.wires, [op]))
    for w in sorted(pending):
        flush(w)
    return _group_single_qubit_stages(stages)


def _group_single_qubit_stages(stages: list[Stage]) -> list[Stage]:
    """Merge up to ``GROUP_SINGLE_QUBIT_STAGES`` neighbouring single-qubit stages on different
    wires into one pass (``kind="kron"``, matrix U_a ⊗ U_b ⊗ …). They commute, so the product is
    unchanged; the state is read fewer times, which is what limits speed once it no longer fits
    in cache."""
    out: list[Stage] = []
    for st in stages:
        prev = out[-1] if out else None
        if (
            st.kind == "mat1"
            and prev is not None
            and prev.kind in ("mat1", "kron")
            and len(prev.wires) < GROUP_SINGLE_QUBIT_STAGES
        ):
            out[-1] = Stage(
                "kron",
                prev.wires + st.wires,
                prev.ops + st.ops,
                prev.slots + st.slots,
                prev.coeffs + st.coeffs,
                prev.fixed + st.fixed,
            )
        else:
            out.append(st)
    return out


def _segment(layers: list[list[Stage]]) -> Segment:
    first = layers[0]
    n_stages = len(first)

    def stack(i, getter, dtype):
        return np.stack([np.asarray(getter(layer[i]), dtype=dtype) for layer in layers])

    slots, coeffs, fixed = [], [], []
    for i in range(n_stages):
        n_ops = len(first[i].ops)
        slots.append(
            tuple(
                stack(
                    i, lambda s, j=j: np.asarray(s.slots[j], dtype=np.int32).reshape(-1), np.int32
                )
                for j in range(n_ops)
            )
        )
        coeffs.append(stack(i, lambda s: s.coeffs, np.float64))
        fixed.append(
            tuple(
                stack(i, lambda s, j=j: s.fixed[j], np.complex128)
                if first[i].fixed[j] is not None
                else None
                for j in range(n_ops)
            )
        )
    trainable = tuple(any(len(sl) for sl in s.slots) for s in first)
    uniform = tuple(
        all(f is None or bool(np.all(f == f[:1])) for f in fixed[i]) for i in range(n_stages)
    )
    return Segment(
        tuple(s.signature for s in first),
        trainable,
        uniform,
        len(layers),
        tuple(slots),
        tuple(coeffs),
        tuple(fixed),
    )


def _is_long_pauli_layer(ops, stages) -> bool:
    return len(stages) > MAX_UNROLLED_STAGES and all(_is_rotation(op) for op in ops)


@lru_cache(maxsize=64)
def compile_circuit(circuit: Circuit) -> Program:
    """Fuse each layer and group consecutive layers of identical structure into segments.

    Long layers made only of Pauli rotations become :class:`PauliSequence` segments instead
    (consecutive ones are merged, since their structure is data).
    """
    n = circuit.n_qubits
    segments: list = []
    run: list[list[Stage]] = []
    pauli_run: list[Operation] = []

    def close_run():
        if run:
            segments.append(_segment(run))
            run.clear()

    def close_pauli():
        if pauli_run:
            segments.append(pauli_sequence(pauli_run, n))
            pauli_run.clear()

    for ops in circuit.layers():
        stages = _fuse_layer(ops)
        if not stages:
            continue
        if _is_long_pauli_layer(ops, stages):
            close_run()
            pauli_run.extend(ops)
            continue
        close_pauli()
        if run and [s.signature for s in stages] != [s.signature for s in run[0]]:
            close_run()
        run.append(stages)
    close_run()
    close_pauli()
    return Program(n, circuit.n_params, tuple(segments))
