"""A rough time and memory estimate of a reproduction, printed before a long run starts.

Per task, time ≈ overhead + work / speed, with the work of its kind:

* circuit sampling (entanglement, gradient-scaling, cost-concentration, the gradient-free
  pairs): instances × layers × n × 2ⁿ amplitude updates (× 3 for gradients: forward, reverse
  and uncompute);
* circuit training: circuit evaluations (budget / shots) × (a fixed cost per evaluation +
  layers × n × 2ⁿ);
* QBMs: dense eigendecompositions, instances × (2ⁿ)³ (training: one per step, plus one
  matrix product per term).

Memory is the largest single working set: a batch of state vectors (at most
:data:`CHUNK` instances of 2ⁿ complex128 amplitudes, a few copies) or a few dense 2ⁿ × 2ⁿ
complex matrices for a QBM. The constants come from timings on two cores (the quick configs,
and the full entanglement and QBM-typicality studies); treat the result as an order of
magnitude, not a promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Estimate", "estimate_tasks", "task_estimate"]

OVERHEAD_S = 2.5
"""Seconds per task that do not scale with size (compilation, set-up)."""
GRADIENT_OVERHEAD_S = 8.0
"""The same for a gradient-statistics task (forward and adjoint programs, every objective)."""
CIRCUIT_RATE = 1e8
"""Gate-layer amplitude updates per second (layers × n × 2ⁿ per instance)."""
EVALUATION_OVERHEAD_S = 1.5e-4
"""Seconds per circuit evaluation of a training run beyond the simulation (optimiser step,
shot sampling, bookkeeping)."""
DENSE_RATE = 1e9
"""Dense-matrix flops per second ((2ⁿ)³ per eigendecomposition)."""
CHUNK = 256
"""Instances simulated together at most (the simulator splits larger batches)."""
STATE_COPIES = 6
"""State-sized buffers alive per instance during an adjoint gradient."""
MATRIX_COPIES = 8
"""Dense matrices alive during a Gibbs-state gradient."""
BYTES = 16
"""complex128."""


@dataclass(frozen=True)
class Estimate:
    """Seconds (one worker) and peak bytes (one worker) of some tasks."""

    seconds: float
    peak_bytes: int
    tasks: int


def _qubits(p: dict[str, Any]) -> int:
    if p.get("n_qubits") is not None:
        return int(p["n_qubits"])
    return int(p.get("n_visible", 1)) + int(p.get("n_hidden", 0))


def _layers(p: dict[str, Any], n: int) -> int:
    layers = p.get("layers")
    if isinstance(layers, (list, tuple)):
        return int(max(layers))
    return int(layers) if layers else n


def _dense_qbm_estimate(study: str, p: dict[str, Any], n: int) -> Estimate:
    """A QBM task: eigendecompositions of 2ⁿ × 2ⁿ Hamiltonians, O(d³) each."""
    dim = 2**n
    if study == "qbm-training":  # per step: one eigendecomposition, one product per term
        terms = 3 * n + 9 * n * (n - 1) // 2
        work = float(p.get("budget_steps", 100)) * dim**3 * (1 + terms / dim)
    else:
        work = int(p.get("instances", 1)) * dim**3 * len(p.get("couplings", p.get("betas", (1.0,))))
    return Estimate(OVERHEAD_S + work / DENSE_RATE, MATRIX_COPIES * BYTES * dim * dim, 1)


def _training_estimate(p: dict[str, Any], n: int, layers: int) -> Estimate:
    """A training run: budget / shots circuit evaluations (exact runs get the same number)."""
    dim = 2**n
    count = float(p["budget"]) / float(p.get("shots") or 1)
    seconds = OVERHEAD_S + count * (EVALUATION_OVERHEAD_S + layers * n * dim / CIRCUIT_RATE)
    return Estimate(seconds, STATE_COPIES * BYTES * dim, 1)


def _sampling_estimate(study: str, p: dict[str, Any], n: int, layers: int) -> Estimate:
    """A sampling task: one simulation per sample (or pair), batched in chunks of CHUNK;
    gradient-scaling's samples cost three passes each."""
    dim = 2**n
    count = float(p.get("samples", p.get("pairs", 1)))
    if study == "gradient-scaling":
        count *= 3
    batch = int(min(CHUNK, p.get("samples", p.get("pairs", 1))))
    overhead = GRADIENT_OVERHEAD_S if study == "gradient-scaling" else OVERHEAD_S
    seconds = overhead + count * layers * n * dim / CIRCUIT_RATE
    return Estimate(seconds, STATE_COPIES * BYTES * dim * max(batch, 1), 1)


def task_estimate(study: str, p: dict[str, Any]) -> Estimate:
    """Estimated seconds and peak memory of one task of ``study`` with grid point ``p``."""
    n = _qubits(p)
    if study.startswith("qbm-"):
        return _dense_qbm_estimate(study, p, n)
    layers = _layers(p, n)
    if "budget" in p and p.get("part", "train") == "train":
        return _training_estimate(p, n, layers)
    return _sampling_estimate(study, p, n, layers)


def estimate_tasks(study: str, points) -> Estimate:
    """Summed seconds and the largest peak memory over tasks' grid points."""
    seconds, peak, count = 0.0, 0, 0
    for p in points:
        e = task_estimate(study, p)
        seconds += e.seconds
        peak = max(peak, e.peak_bytes)
        count += 1
    return Estimate(seconds, peak, count)
