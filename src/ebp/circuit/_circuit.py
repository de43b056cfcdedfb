"""An immutable description of a parametrised circuit on visible + hidden qubits.

A :class:`Circuit` is data: the register split (``n_visible`` visible wires ``0 … n_v−1`` then
``n_hidden`` hidden wires), a tuple of :class:`Operation` and the layer boundaries. It holds no
parameter values: an operation names the *slots* of the parameter vector it reads, so one slot may
drive several gates. Build one with :class:`CircuitBuilder`::

    >>> b = CircuitBuilder(n_visible=1, n_hidden=1)
    >>> b.gate("RY", 0)  # the parameter slots the gate reads
    (0,)
    >>> b.gate("CNOT", (0, 1))
    ()
    >>> c = b.build()
    >>> c.n_params, c.n_qubits
    (1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .._checks import MAX_QUBITS, check_int, is_int
from ._factors import PauliExp
from ._gates import GATES, GateSpec

if TYPE_CHECKING:
    import jax

__all__ = ["MAX_CIRCUIT_QUBITS", "MAX_QUBITS", "Circuit", "CircuitBuilder", "Operation"]

MAX_CIRCUIT_QUBITS = 1_000_000  # a circuit is data; only what is simulated must fit in memory


@dataclass(frozen=True)
class Operation:
    """One gate application.

    Attributes:
        name: a key of :data:`ebp.circuit.GATES` (``"RX"``, ``"CNOT"``, ``"PAULIROT"`` …).
        wires: the wires it acts on, in the order of its matrix (big-endian).
        slots: indices into the circuit's parameter vector, one per gate parameter.
        data: fixed data: ``(coeff, label)`` for ``PAULIROT``, the matrix for ``UNITARY``.

    ``pauli``, ``coeff`` and ``diagonal`` follow from the gate's factors (see
    :mod:`ebp.circuit._registry`): an operation that is exactly exp(−iθ·c·P) reports P and c.
    """

    name: str
    wires: tuple[int, ...]
    slots: tuple[int, ...] = ()
    data: Any = None

    @property
    def spec(self) -> GateSpec:
        return GATES[self.name]

    @property
    def factors(self) -> tuple:
        """The gate's product-of-exponentials factors for this operation's data."""
        return self.spec.factors(self.data)

    @property
    def pauli(self) -> str | None:
        """The Pauli string P if this is a rotation exp(−iθcP), else None."""
        fs = self.factors
        return fs[0].label if len(fs) == 1 and isinstance(fs[0], PauliExp) else None

    @property
    def coeff(self) -> float | None:
        """The coefficient c of a rotation exp(−iθcP), else None."""
        fs = self.factors
        return float(fs[0].coeff) if len(fs) == 1 and isinstance(fs[0], PauliExp) else None

    @property
    def diagonal(self) -> bool:
        """True when the matrix is diagonal in the computational basis for every θ."""
        return all(f.diagonal for f in self.factors)

    def matrix(self, theta: ArrayLike | None = None) -> jax.Array:
        """The gate's ``(2**k, 2**k)`` matrix (k wires) at parameters ``theta`` (shape
        ``(n_params,)``), in ``jax.numpy``."""
        theta = np.zeros(0) if theta is None else theta
        return self.spec.matrix(theta, self.data)


@dataclass(frozen=True)
class Circuit:
    """A parametrised circuit on ``n_visible`` visible and ``n_hidden`` hidden qubits.

    Attributes:
        n_visible: number of visible qubits (wires ``0 … n_visible−1``).
        n_hidden: number of hidden qubits (wires ``n_visible … n_qubits−1``).
        operations: the gates, in time order.
        n_params: length of the parameter vector.
        layer_starts: index of the first operation of each layer (always starts with 0). Layers
            are how ansatzes are grown and initialised; the simulator scans over consecutive
            layers of identical structure, so compile time does not grow with depth.
        param_names: a name per parameter slot (imported circuits keep their source's names),
            or ``None``.
        source_qubits: for each wire, the qubit of the source it came from (imported circuits:
            ``"q[3]"``, a Qiskit qubit index, a PennyLane wire label), or ``None``.
        notes: what an importer ignored or changed (final measurements, barriers …).

    Equality and hashing look at the structure only (register, operations, parameter count,
    layers): the same circuit imported under other names is the same circuit.
    """

    n_visible: int
    n_hidden: int
    operations: tuple[Operation, ...]
    n_params: int
    layer_starts: tuple[int, ...] = (0,)
    param_names: tuple[str, ...] | None = field(default=None, compare=False)
    source_qubits: tuple | None = field(default=None, compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __hash__(self) -> int:
        # Computed once: a circuit keys the simulator's caches on every call, and hashing its
        # operations costs about 0.3 µs a gate.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(
                (self.n_visible, self.n_hidden, self.operations, self.n_params, self.layer_starts)
            )
            object.__setattr__(self, "_hash", cached)
        return cached

    def __getstate__(self) -> dict:
        # The cached hash stays behind: string hashes differ between processes.
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    @property
    def n_qubits(self) -> int:
        return self.n_visible + self.n_hidden

    @property
    def n_layers(self) -> int:
        return len(self.layer_starts)

    def layers(self) -> list[tuple[Operation, ...]]:
        """The operations split by layer."""
        bounds = list(self.layer_starts) + [len(self.operations)]
        return [self.operations[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def n_cut_gates(self) -> int:
        """Number of multi-qubit gates acting across the V|H cut (each adds ≤ 2 bits of S(ρ_V))."""
        nv = self.n_visible
        return sum(1 for op in self.operations if min(op.wires) < nv <= max(op.wires))

    def to_qasm(self, params: Sequence[float] | None = None) -> str:
        """OpenQASM 3 text; see :func:`ebp.circuit.to_qasm`."""
        from ._qasm import to_qasm

        return to_qasm(self, params)

    def __repr__(self) -> str:
        return (
            f"Circuit(n_visible={self.n_visible}, n_hidden={self.n_hidden}, "
            f"n_ops={len(self.operations)}, n_params={self.n_params}, n_layers={self.n_layers})"
        )


def _check_register(n_visible: int, n_hidden: int) -> None:
    for name, v in (("n_visible", n_visible), ("n_hidden", n_hidden)):
        check_int(name, v)
    if n_visible < 1 or n_hidden < 0:
        raise ValueError(
            f"need n_visible >= 1 and n_hidden >= 0; got n_visible={n_visible}, "
            f"n_hidden={n_hidden}."
        )
    if n_visible + n_hidden > MAX_CIRCUIT_QUBITS:
        raise ValueError(
            f"{n_visible + n_hidden} qubits requested; a circuit holds at most "
            f"{MAX_CIRCUIT_QUBITS} (and only what is simulated must fit in memory: at most "
            f"{MAX_QUBITS} qubits, or a visible light cone that small)."
        )


def _check_ints(name: str, values: tuple) -> None:
    bad = [v for v in values if not is_int(v)]
    if bad:
        raise TypeError(f"{name} must be ints; got {bad!r} in {values!r}.")


class CircuitBuilder:
    """Mutable helper that collects operations and returns an immutable :class:`Circuit`.

    Every parametrised gate takes fresh parameter slots unless ``slots=`` names existing ones
    (shared parameters). Call :meth:`layer` to start a new layer.
    """

    def __init__(self, n_visible: int, n_hidden: int):
        _check_register(n_visible, n_hidden)
        self.n_visible = int(n_visible)
        self.n_hidden = int(n_hidden)
        self.n_qubits = self.n_visible + self.n_hidden
        self._ops: list[Operation] = []
        self._n_params = 0
        self._layer_starts: list[int] = [0]

    def layer(self) -> CircuitBuilder:
        """Start a new layer (no-op if the current layer is still empty)."""
        if len(self._ops) > self._layer_starts[-1]:
            self._layer_starts.append(len(self._ops))
        return self

    def new_slots(self, k: int) -> tuple[int, ...]:
        """Reserve ``k`` fresh parameter slots."""
        out = tuple(range(self._n_params, self._n_params + k))
        self._n_params += k
        return out

    def gate(
        self,
        name: str,
        wires: int | Iterable[int],
        *more_wires: int,
        slots: Iterable[int] | None = None,
        data: Any = None,
    ) -> tuple[int, ...]:
        """Append gate ``name`` on ``wires``; returns the parameter slots it uses.

        Wires are given as separate arguments or as one tuple: ``gate("CNOT", 0, 1)`` and
        ``gate("CNOT", (0, 1))`` are the same gate.
        """
        if not isinstance(name, str):
            raise TypeError(f"gate name must be a str; got {type(name).__name__}.")
        key = name.upper()
        if key not in GATES:
            raise ValueError(f"unknown gate {name!r}; allowed: {', '.join(sorted(GATES))}.")
        spec = GATES[key]
        wires = (wires,) if isinstance(wires, (int, np.integer)) else tuple(wires)
        if more_wires:
            if len(wires) != 1:
                raise TypeError(
                    f"give wires either as one tuple or as separate ints; got {wires} and "
                    f"{more_wires}."
                )
            wires = wires + tuple(more_wires)
        _check_ints("wires", wires)
        wires = tuple(int(w) for w in wires)
        data = self._check_data(spec, wires, data)
        k = len(wires) if spec.n_wires is None else spec.n_wires
        if len(wires) != k:
            raise ValueError(f"gate {key} acts on {k} wire(s); got wires {wires}.")
        bad = [w for w in wires if not 0 <= w < self.n_qubits]
        if bad:
            raise ValueError(
                f"wires {bad} out of range for a {self.n_qubits}-qubit circuit "
                f"(allowed 0..{self.n_qubits - 1})."
            )
        if len(set(wires)) != len(wires):
            raise ValueError(f"gate {key} got repeated wires {wires}; wires must be distinct.")
        if slots is None:
            slots = self.new_slots(spec.n_params)
        else:
            slots = tuple(slots)
            _check_ints("slots", slots)
            slots = tuple(int(s) for s in slots)
            if len(slots) != spec.n_params:
                raise ValueError(
                    f"gate {key} takes {spec.n_params} parameter(s); got slots {slots}."
                )
            if any(s < 0 for s in slots):
                raise ValueError(f"parameter slots must be >= 0; got {slots}.")
            self._n_params = max(self._n_params, max(slots, default=-1) + 1)
        self._ops.append(Operation(key, wires, slots, data))
        return slots

    def pauli_rotation(
        self,
        label: str,
        wires: Iterable[int],
        coeff: float = 1.0,
        *,
        slots: Iterable[int] | None = None,
    ) -> tuple[int, ...]:
        """Append exp(−iθ·coeff·P) for the Pauli string ``label`` on ``wires``."""
        return self.gate("PAULIROT", wires, slots=slots, data=(coeff, label))

    def unitary(self, matrix: ArrayLike, wires: int | Iterable[int]) -> tuple[int, ...]:
        """Append a fixed unitary ``matrix`` of shape ``(2**k, 2**k)`` acting on the k ``wires``
        (big-endian); returns ``()``, the slots of a gate without parameters."""
        return self.gate("UNITARY", wires, data=matrix)

    def build(self) -> Circuit:
        """The immutable :class:`Circuit` of the gates and layers added so far."""
        starts = tuple(s for s in self._layer_starts if s < len(self._ops)) or (0,)
        return Circuit(self.n_visible, self.n_hidden, tuple(self._ops), self._n_params, starts)

    @staticmethod
    def _check_data(spec: GateSpec, wires: tuple[int, ...], data: Any) -> Any:
        if spec.check_data is not None:
            return spec.check_data(wires, data)
        if data is not None:
            raise ValueError(f"gate {spec.name} takes no data; got {data!r}.")
        return None
