"""Pretraining: ways to start (or schedule) training that avoid the entanglement plateau.

Claim C7 of arXiv:2010.15968: a deep random circuit starts with ρ_V ≈ I/d_V, where every visible
objective is flat; a start with little V|H entanglement, or a first phase whose loss is not an
observable's, may avoid it. Every strategy here has the signature of :func:`ebp.train.fit` and
returns one :class:`~ebp.train.FitResult` whose curve spans all its phases (column ``phase``),
with the same total budget as a plain run, so strategies compare at equal cost:

* ``random`` — no pretraining: θ uniform, the baseline;
* ``small-angle`` — θ ~ N(0, 0.1²): the circuit starts near the identity, ρ_V near pure;
* ``identity-block`` — Grant et al., Quantum 3, 214 (2019): the first half of the model's layers
  as a block B(θ) followed by B(θ')†, started at θ' = m(θ) so the circuit is exactly the identity;
* ``generative`` / ``generative-renyi`` — the paper's proposal: first fit ρ_V to the data with
  the relative entropy S(σ‖ρ_V) (or the sandwiched Rényi divergence D̃₂), nonlinear in ρ_V, then
  switch to the task's own loss;
* ``decoupled-start`` — the entangling angles of the gates across the V|H cut are held at 0 in
  a first phase, so V and H stay unentangled (ρ_V pure), then switched on;
* ``layerwise`` — train the first third of the layers with the rest at the identity, then two
  thirds, then all (Skolik et al., Quantum Mach. Intell. 3, 5 (2021));
* ``entanglement-regularised`` — a first phase on L + λ S(ρ_V)² (penalty on the visible
  entropy), then L alone.

Phases whose loss has no unbiased shot estimator (the divergences, the entropy penalty) are run
with exact values; their circuit evaluations are charged the same N shots each, so the budget is
the same currency throughout.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .._progress import Bar, show_progress
from ..ansatz import identity_block, identity_block_parameters
from ..circuit import Circuit, CircuitBuilder
from ..landscape import entanglement_regularised as _regularised
from ._fit import FitResult, fit, initial_parameters
from ._model import as_model
from ._tasks import LearningTask, Term

__all__ = [
    "STRATEGIES",
    "chain_phases",
    "coupling_parameters",
    "decoupled_start",
    "entanglement_regularised",
    "first_layers",
    "generative",
    "identity_blocks",
    "layerwise",
    "random_init",
    "run",
    "small_angle",
]


def _circuit(model) -> Circuit:
    circuit = getattr(as_model(model), "circuit", None)
    if circuit is None:
        raise ValueError(
            "this pretraining strategy acts on circuit layers and needs a circuit model."
        )
    return circuit


def chain_phases(phases: list[FitResult], task: LearningTask, unit: int) -> FitResult:
    """Join the results of consecutive training phases into one :class:`FitResult`.

    Costs accumulate (a phase run with exact values is charged ``unit`` per evaluation, e.g. the
    shots per estimate of the other phases), curves are concatenated with one running ``step``,
    and the parameters, loss and success are those of the last phase on ``task``.
    """
    curves, offset, configs = [], 0.0, 0
    for r in phases:
        c = r.curve.copy()
        scale = unit if r.shots_per_estimate is None else 1
        c["cost"] = offset + c["cost"] * scale
        curves.append(c)
        offset += r.cost * scale
        configs += r.configurations
    curve = pd.concat(curves, ignore_index=True)
    curve["step"] = np.arange(len(curve))
    last = phases[-1]
    return FitResult(
        params=last.params,
        initial_params=phases[0].initial_params,
        curve=curve,
        loss=last.loss,
        entropy=last.entropy,
        accuracy=last.accuracy,
        success=task.succeeded(last.loss, last.accuracy),
        cost=offset,
        shots=None if last.shots_per_estimate is None else int(offset),
        shots_per_estimate=last.shots_per_estimate,
        configurations=configs,
        optimiser=last.optimiser,
        task=task.name,
        seed=last.seed,
        stopped=last.stopped,
        target=task.target,
    )


def _split(budget: float, fraction: float) -> tuple[float, float]:
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be in (0, 1); got {fraction!r}.")
    return budget * fraction, budget * (1 - fraction)


def _phase_checkpoint(checkpoint, phase: str) -> Path | None:
    """Checkpoint file of one phase: ``CHECKPOINT.PHASE`` (each phase resumes on its own)."""
    if checkpoint is None:
        return None
    return Path(f"{checkpoint}.{re.sub(r'[^A-Za-z0-9_-]+', '-', phase).strip('-')}")


def _bar(strategy: str, task, optimiser, budget, shots, progress) -> Bar:
    """One progress bar over a strategy's whole budget; its phases report into it."""
    label = getattr(optimiser, "name", optimiser)
    return Bar(
        float(budget),
        f"{strategy}: {label} on {task.name}",
        "shots" if shots else "evaluations",
        show_progress(progress),
    )


def _exact_phase(model, task, optimiser, budget, shots, seed, phase, monitor, checkpoint, bar):
    """A phase with exact values whose configurations are charged ``shots`` each; the curve's
    ``loss`` is ``monitor``'s (the task being pretrained for)."""
    unit = shots or 1
    return fit(
        model,
        task,
        optimiser,
        budget=budget / unit,
        shots=None,
        seed=seed,
        phase=phase,
        monitor=monitor,
        checkpoint=_phase_checkpoint(checkpoint, phase),
        progress=bar.phase(phase, scale=unit),
    )


def random_init(
    model, task, optimiser, *, budget, shots=None, seed=0, checkpoint=None, progress=None
) -> FitResult:
    """No pretraining: a plain :func:`~ebp.train.fit` from θ uniform."""
    return fit(
        model,
        task,
        optimiser,
        budget=budget,
        shots=shots,
        seed=seed,
        phase="train",
        checkpoint=checkpoint,
        progress=progress,
    )


def small_angle(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    scale: float = 0.1,
    checkpoint=None,
    progress=None,
) -> FitResult:
    """Start at θ ~ N(0, scale²), near the identity circuit."""
    x0 = initial_parameters(as_model(model), "small-angle", seed, scale=scale)
    return fit(
        model,
        task,
        optimiser,
        budget=budget,
        shots=shots,
        seed=seed,
        init=x0,
        phase="train",
        checkpoint=checkpoint,
        progress=progress,
    )


def first_layers(circuit: Circuit, k: int) -> Circuit:
    """The circuit made of the first ``k`` layers of ``circuit`` (parameters renumbered)."""
    b = CircuitBuilder(circuit.n_visible, circuit.n_hidden)
    remap: dict[int, int] = {}
    for layer in circuit.layers()[:k]:
        b.layer()
        for op in layer:
            slots = []
            for s in op.slots:
                if s not in remap:
                    remap[s] = b.new_slots(1)[0]
                slots.append(remap[s])
            b.gate(op.name, op.wires, slots=tuple(slots) or None, data=op.data)
    return b.build()


def identity_blocks(
    model, task, optimiser, *, budget, shots=None, seed=0, checkpoint=None, progress=None
) -> FitResult:
    """Identity-block start: block B = the first half of the model's layers; the trained circuit
    is B(θ)·B(θ')† (same depth as the model), started at θ' = m(θ) with θ uniform."""
    circuit = _circuit(model)
    block = first_layers(circuit, max(1, circuit.n_layers // 2))
    ib = identity_block(block)
    rng = np.random.default_rng([seed, 0x1DB])
    x0 = identity_block_parameters(block, rng.uniform(0, 2 * math.pi, block.n_params))
    return fit(
        ib,
        task,
        optimiser,
        budget=budget,
        shots=shots,
        seed=seed,
        init=x0,
        phase="train",
        checkpoint=checkpoint,
        progress=progress,
    )


def generative(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    fraction: float = 0.5,
    divergence: str = "relative_entropy",
    alpha: float = 2.0,
    checkpoint=None,
    progress=None,
) -> FitResult:
    """Phase 1: fit ρ_V to the data with a divergence (exact); phase 2: the task's loss."""
    b1, b2 = _split(budget, fraction)
    pre = task.pretraining_task(divergence, alpha=alpha)
    with _bar(f"generative ({divergence})", task, optimiser, budget, shots, progress) as bar:
        first = _exact_phase(
            model, pre, optimiser, b1, shots, seed, "pretrain", task, checkpoint, bar
        )
        second = fit(
            model,
            task,
            optimiser,
            budget=b2,
            shots=shots,
            seed=seed,
            init=first.params,
            phase="train",
            checkpoint=_phase_checkpoint(checkpoint, "train"),
            progress=bar.phase("train"),
        )
    return chain_phases([first, second], task, shots or 1)


def _crosses_cut(circuit: Circuit, op) -> bool:
    return any(w < circuit.n_visible for w in op.wires) and any(
        w >= circuit.n_visible for w in op.wires
    )


def coupling_parameters(circuit: Circuit) -> np.ndarray:
    """Boolean mask of the *entangling* parameters of gates acting on both V and H: with them
    at 0 every such gate is a product of local gates, so no entanglement crosses the V|H cut
    (which parameters entangle follows from each gate's generators; see
    ``GateSpec.coupling_params``: the XX, YY, ZZ angles of SU4, the angle of a rotation).

    Raises:
        ValueError: if a fixed gate (e.g. CNOT) crosses the cut: it cannot be switched off.
    """
    mask = np.zeros(circuit.n_params, bool)
    for op in circuit.operations:
        if not _crosses_cut(circuit, op):
            continue
        coupling = op.spec.coupling_params(op.data)
        if coupling is None:
            raise ValueError(
                f"gate {op.name} on wires {op.wires} crosses the V|H cut and has no coupling "
                "parameter to switch off; decoupled-start needs parametrised cut gates (SU4, "
                "RXX/RYY/RZZ, Pauli rotations), e.g. brickwork or bounded_cut."
            )
        mask[[op.slots[j] for j in coupling]] = True
    return mask


def _require_identity_at_zero(circuit: Circuit, ops, why: str) -> None:
    for op in ops:
        m = np.asarray(op.matrix(np.zeros(len(op.slots))))
        if not np.allclose(m, np.eye(m.shape[0]), atol=1e-12):
            raise ValueError(
                f"{why} needs every gate it holds back to be the identity at θ = 0; gate "
                f"{op.name} on wires {op.wires} is not (fixed gates cannot be switched off)."
            )


def decoupled_start(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    fraction: float = 0.5,
    checkpoint=None,
    progress=None,
) -> FitResult:
    """Phase 1 with the entangling angles of the V|H-crossing gates held at 0, so every gate is
    local across the cut and ρ_V stays pure; phase 2 switches the coupling on and trains all."""
    circuit = _circuit(model)
    coupling = coupling_parameters(circuit)
    if not coupling.any():
        raise ValueError("the model has no gates across the V|H cut; nothing to switch on.")
    b1, b2 = _split(budget, fraction)
    x0 = initial_parameters(as_model(model), None, seed)
    x0[coupling] = 0.0
    with _bar("decoupled-start", task, optimiser, budget, shots, progress) as bar:
        first = fit(
            model,
            task,
            optimiser,
            budget=b1,
            shots=shots,
            seed=seed,
            init=x0,
            trainable=~coupling,
            phase="decoupled",
            checkpoint=_phase_checkpoint(checkpoint, "decoupled"),
            progress=bar.phase("decoupled"),
        )
        second = fit(
            model,
            task,
            optimiser,
            budget=b2,
            shots=shots,
            seed=seed,
            init=first.params,
            phase="coupled",
            checkpoint=_phase_checkpoint(checkpoint, "coupled"),
            progress=bar.phase("coupled"),
        )
    return chain_phases([first, second], task, shots or 1)


def layerwise(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    stages: int = 3,
    checkpoint=None,
    progress=None,
) -> FitResult:
    """Grow the circuit: stage s trains the first s/stages of the layers, later layers held at
    θ = 0 (the identity) until their stage; equal budget per stage."""
    circuit = _circuit(model)
    if not isinstance(stages, int) or not 1 <= stages <= circuit.n_layers:
        raise ValueError(f"stages must be an int in 1..{circuit.n_layers}; got {stages!r}.")
    layer_slot = np.full(circuit.n_params, -1)
    layers = circuit.layers()
    for i, layer in enumerate(layers):
        for op in layer:
            layer_slot[list(op.slots)] = i
    bounds = [math.ceil(len(layers) * (s + 1) / stages) for s in range(stages)]
    _require_identity_at_zero(
        circuit, [op for layer in layers[bounds[0] :] for op in layer], "layerwise growth"
    )
    x = initial_parameters(as_model(model), None, seed)
    x[layer_slot >= bounds[0]] = 0.0
    phases = []
    with _bar("layerwise", task, optimiser, budget, shots, progress) as bar:
        for bound in bounds:
            name = f"layers<{bound}"
            r = fit(
                model,
                task,
                optimiser,
                budget=budget / stages,
                shots=shots,
                seed=seed,
                init=x,
                trainable=layer_slot < bound,
                phase=name,
                checkpoint=_phase_checkpoint(checkpoint, f"layers{bound}"),
                progress=bar.phase(name),
            )
            phases.append(r)
            x = r.params
    return chain_phases(phases, task, shots or 1)


def entanglement_regularised(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    fraction: float = 0.5,
    weight: float = 1.0,
    target_entropy: float = 0.0,
    checkpoint=None,
    progress=None,
) -> FitResult:
    """Phase 1 (exact): each loss term f → f + λ(S(ρ_V) − s*)²; phase 2: the plain loss."""
    b1, b2 = _split(budget, fraction)
    terms = [
        Term(_regularised(t.objective, weight, target_entropy), t.weight, t.initial_state, t.label)
        for t in task.terms
    ]
    reg = task.with_terms(terms, name=f"{task.name}:regularised")
    with _bar("entanglement-regularised", task, optimiser, budget, shots, progress) as bar:
        first = _exact_phase(
            model, reg, optimiser, b1, shots, seed, "regularised", task, checkpoint, bar
        )
        second = fit(
            model,
            task,
            optimiser,
            budget=b2,
            shots=shots,
            seed=seed,
            init=first.params,
            phase="train",
            checkpoint=_phase_checkpoint(checkpoint, "train"),
            progress=bar.phase("train"),
        )
    return chain_phases([first, second], task, shots or 1)


STRATEGIES: dict[str, Callable[..., FitResult]] = {
    "random": random_init,
    "small-angle": small_angle,
    "identity-block": identity_blocks,
    "generative": generative,
    "generative-renyi": lambda *a, **k: generative(*a, divergence="sandwiched_renyi", **k),
    "decoupled-start": decoupled_start,
    "layerwise": layerwise,
    "entanglement-regularised": entanglement_regularised,
}
"""Pretraining strategies by name; each is called like :func:`ebp.train.fit`."""


def run(
    strategy: str,
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    checkpoint=None,
    progress=None,
) -> FitResult:
    """Run a strategy by name (see :data:`STRATEGIES`).

    ``checkpoint``: a file path; each phase saves its progress to ``CHECKPOINT`` (one phase) or
    ``CHECKPOINT.PHASE``, and the same call resumes from them bit-identically. ``progress``: one
    bar over the whole budget, showing the phase, the budget spent and the loss (``None``: in a
    terminal or notebook only).
    """
    try:
        fn = STRATEGIES[strategy]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown pretraining strategy {strategy!r}; known: {', '.join(STRATEGIES)}."
        ) from None
    return fn(
        model,
        task,
        optimiser,
        budget=budget,
        shots=shots,
        seed=seed,
        checkpoint=checkpoint,
        progress=progress,
    )
