"""The visible light cone: the part of a circuit that ρ_V depends on, exactly.

Walk the gates backwards from the output, starting with the visible wires V as the cone. A gate
that touches the cone joins it (its wires join the cone); any other gate acts, at its time, only
on wires whose later gates are all outside the cone, so it commutes past every later cone gate
and ends up as a unitary W on traced-out wires: Tr_H[(I ⊗ W) ρ (I ⊗ W†)] = Tr_H ρ. Such a gate
drops out of ρ_V, and its parameters have exactly zero gradient. The wires no cone gate touches
stay in |0⟩ and factor out, so

.. math:: ρ_V(θ) = \\mathrm{Tr}_{K∖V}\\, U_K(θ_K)\\,|0_K⟩⟨0_K|\\,U_K(θ_K)^†,

with K the cone's wires, U_K the kept gates in time order, θ_K their parameters. This is the
backward light cone used for local observables of shallow circuits (e.g. Cerezo et al., Nat.
Commun. 12, 1791 (2021), arXiv:2001.00550, Sec. "Local cost functions"); a depth-L circuit of
k-local gates has a cone of at most (k−1)·L + |V| wires per visible wire, whatever its width.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._circuit import MAX_QUBITS, Circuit, Operation

__all__ = ["LightCone", "LightConeTooLargeError", "visible_light_cone"]

BYTES_PER_AMPLITUDE = 16  # complex128


class LightConeTooLargeError(MemoryError):
    """The visible light cone is too wide to simulate: names its size and the memory needed."""


@dataclass(frozen=True)
class LightCone:
    """A circuit reduced to its visible light cone, and how it maps back.

    Attributes:
        circuit: the reduced circuit: visible wires first (in their order), then the hidden wires
            of the cone in increasing original order; parameters renumbered in increasing original
            slot order.
        wires: for each wire of ``circuit``, the original wire.
        params: for each parameter of ``circuit``, the original parameter slot.
        n_params: the original circuit's parameter count.
        dropped: number of original operations outside the cone.
    """

    circuit: Circuit
    wires: tuple[int, ...]
    params: tuple[int, ...]
    n_params: int
    dropped: int

    def reduce_params(self, params: ArrayLike) -> np.ndarray:
        """Original parameters ``(..., n_params)`` → the reduced circuit's ``(..., k)``."""
        p = np.asarray(params)
        if p.shape[-1:] != (self.n_params,):
            raise ValueError(f"expected parameters of shape (..., {self.n_params}); got {p.shape}.")
        return p[..., list(self.params)]

    def expand_gradient(self, gradient: ArrayLike) -> np.ndarray:
        """Reduced gradient ``(..., k)`` → the original circuit's ``(..., n_params)``; parameters
        outside the cone get exactly 0."""
        g = np.asarray(gradient)
        out = np.zeros(g.shape[:-1] + (self.n_params,), dtype=g.dtype)
        out[..., list(self.params)] = g
        return out

    @property
    def dead_params(self) -> np.ndarray:
        """Original slots outside the cone (their gradient is exactly zero)."""
        return np.setdiff1d(np.arange(self.n_params), np.asarray(self.params, dtype=int))


def _physical_memory() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return None


def _format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"  # pragma: no cover


def visible_light_cone(circuit: Circuit, *, memory_limit: int | None = None) -> LightCone:
    """Reduce ``circuit`` exactly to the gates in the backward light cone of its visible wires.

    Args:
        circuit: any :class:`Circuit` (it may be much wider than a state vector allows).
        memory_limit: bytes one state vector of the cone may use; default: this machine's
            physical memory. The cone is refused above it, and above ``MAX_QUBITS`` qubits.

    Returns:
        A :class:`LightCone` (reduced circuit, wire and parameter maps).

    Raises:
        TypeError: for something that is not a Circuit.
        LightConeTooLargeError: naming the cone's size and the memory one state of it needs.

    Examples:
        >>> from ebp.ansatz import brickwork
        >>> cone = visible_light_cone(brickwork(1, 199, 2))
        >>> cone.circuit.n_qubits, cone.dropped > 0
        (4, True)
    """
    if not isinstance(circuit, Circuit):
        raise TypeError(f"expected an ebp Circuit; got {type(circuit).__name__}.")
    nv = circuit.n_visible
    cone = set(range(nv))
    keep = np.zeros(len(circuit.operations), dtype=bool)
    for i in range(len(circuit.operations) - 1, -1, -1):
        wires = circuit.operations[i].wires
        if cone.intersection(wires):
            keep[i] = True
            cone.update(wires)
    hidden = sorted(w for w in cone if w >= nv)
    n = nv + len(hidden)
    need = BYTES_PER_AMPLITUDE * 2.0**n
    limit = _physical_memory() if memory_limit is None else int(memory_limit)
    if n > MAX_QUBITS or (limit is not None and need > limit):
        allowed = f"at most {MAX_QUBITS} qubits" + (
            f" and {_format_bytes(limit)} per state" if limit is not None else ""
        )
        raise LightConeTooLargeError(
            f"the visible light cone has {n} qubits ({nv} visible + {len(hidden)} hidden, of "
            f"{circuit.n_qubits}) and {int(keep.sum())} of {len(circuit.operations)} gates; one "
            f"complex128 state of it needs {_format_bytes(need)} (16·2^{n} bytes); allowed: "
            f"{allowed}. Fewer layers or fewer visible qubits shrink the cone."
        )
    new_wire = {w: w for w in range(nv)}
    new_wire.update({w: nv + k for k, w in enumerate(hidden)})
    kept_slots = sorted({s for op, k in zip(circuit.operations, keep) if k for s in op.slots})
    new_slot = {s: k for k, s in enumerate(kept_slots)}
    ops: list[Operation] = []
    starts: list[int] = []
    bounds = list(circuit.layer_starts) + [len(circuit.operations)]
    for a, b in itertools.pairwise(bounds):
        layer = [circuit.operations[i] for i in range(a, b) if keep[i]]
        if layer:
            starts.append(len(ops))
            ops += [
                Operation(
                    op.name,
                    tuple(new_wire[w] for w in op.wires),
                    tuple(new_slot[s] for s in op.slots),
                    op.data,
                )
                for op in layer
            ]
    wires = tuple(range(nv)) + tuple(hidden)
    source = (
        None if circuit.source_qubits is None else tuple(circuit.source_qubits[w] for w in wires)
    )
    names = (
        None if circuit.param_names is None else tuple(circuit.param_names[s] for s in kept_slots)
    )
    reduced = Circuit(
        nv,
        len(hidden),
        tuple(ops),
        len(kept_slots),
        tuple(starts) or (0,),
        param_names=names,
        source_qubits=source,
        notes=circuit.notes,
    )
    return LightCone(reduced, wires, tuple(kept_slots), circuit.n_params, int((~keep).sum()))
