"""Pretraining for quantum Boltzmann machines: learn the visible part first, then couple H.

A QBM whose V–H couplings are strong and generic has a visible marginal σ_V = Tr_H e^{−βH}/Z
close to I/d_V and a flat landscape (arXiv:2010.15968). With every V–H term at zero the Gibbs
state factorises, ρ = ρ_V ⊗ ρ_H, so σ_V is the Gibbs state of the visible terms alone: no
entanglement with H, the landscape of a fully visible QBM. The strategies below start there
and switch the hidden units on afterwards. Each has the signature of the circuit strategies of
:mod:`ebp.train.pretrain` and returns one :class:`~ebp.train.FitResult` whose curve spans all
phases (column ``phase``), with the same total budget as a plain :func:`~ebp.train.fit`::

    from ebp import qbm
    from ebp.train import adam, quantum_data_task, random_mixed_state

    model = qbm.restricted(2, 3)
    task = quantum_data_task(random_mixed_state(2, 2, seed=0), "relative_entropy")
    result = qbm.pretrain.visible_first(model, task, adam(0.05), budget=4000, seed=1)
    result.curve[["phase", "cost", "loss", "mutual_information"]]

* ``random`` — no pretraining: :func:`~ebp.train.fit` from the initial draw (the baseline);
* ``visible-first`` — phase 1 trains the visible-only terms with every V–H parameter held at 0
  (a fully visible model; the hidden-only terms keep their draw, which has no effect on σ_V
  while V and H are decoupled); phase 2 starts the V–H parameters at N(0, ``weak``²) and trains
  everything;
* ``grow-coupling`` — the same first phase, then the V–H scale factors s_k are grown in
  ``stages − 1`` steps, s_k → (j / (stages − 1)) s_k for j = 1 … stages − 1 (the coupling
  strength g → j g / (stages − 1) of :meth:`QBM.with_coupling`), each stage starting from the
  previous parameters; the last stage is the model itself.

Training is exact (``shots=None``): the budget counts circuit-equivalent evaluations, 2 per
trainable parameter per gradient, so a phase that trains fewer parameters takes more steps for
the same cost. Every random draw comes from ``seed``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from .._checks import check_count
from .._progress import Bar, show_progress
from ..train import FitResult, LearningTask, fit, initial_parameters
from ..train.pretrain import chain_phases
from ._model import QBM

__all__ = ["STRATEGIES", "grow_coupling", "random_init", "run", "visible_first"]

_WEAK_STREAM = 0x0B3A
MAX_POINTS = 100
"""Default for ``max_points``: curve points per phase (each costs an extra evaluation)."""


def _check(model, task, shots) -> QBM:
    if not isinstance(model, QBM):
        raise TypeError(f"QBM pretraining needs an ebp.qbm.QBM; got {type(model).__name__}.")
    if not isinstance(task, LearningTask):
        raise TypeError(
            f"task must be a LearningTask (see ebp.train.make_task); got {type(task).__name__}."
        )
    if shots is not None:
        raise ValueError(
            f"QBMs are trained with exact values and gradients; shots must be None; got {shots!r}."
        )
    return model


def _classes(model: QBM) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the visible-only terms and of the V–H coupling terms, with clear errors."""
    classes = np.array(model.term_classes)
    visible, coupling = classes == "visible", classes == "coupling"
    if not coupling.any():
        raise ValueError(
            f"the model has no V–H coupling terms (n_hidden={model.n_hidden}); there is nothing "
            "to switch on after the visible phase: use the 'random' strategy."
        )
    if not visible.any():
        raise ValueError("the model has no visible-only terms to train in the first phase.")
    return visible, coupling


def _fraction(fraction) -> float:
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
        raise ValueError(f"fraction must be in (0, 1); got {fraction!r}.")
    return float(fraction)


def _visible_phase(model: QBM, task, optimiser, budget, seed, init, max_points, progress=None):
    """Phase 1: V–H parameters at 0 (σ_V is the Gibbs state of the visible terms); only the
    visible-only terms move."""
    visible, coupling = _classes(model)
    x0 = initial_parameters(model, init, seed).copy()  # never write into the caller's vector
    x0[coupling] = 0.0
    return fit(
        model,
        task,
        optimiser,
        budget=budget,
        seed=seed,
        init=x0,
        trainable=visible,
        phase="visible",
        max_points=max_points,
        progress=progress,
    )


def _bar(strategy: str, task, optimiser, budget, progress) -> Bar:
    """One progress bar over a strategy's budget (circuit evaluations); phases report into it."""
    return Bar(
        float(budget),
        f"{strategy}: {getattr(optimiser, 'name', optimiser)} on {task.name}",
        "evaluations",
        show_progress(progress),
    )


def random_init(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    init=None,
    max_points: int | None = MAX_POINTS,
    progress=None,
) -> FitResult:
    """No pretraining: a plain :func:`~ebp.train.fit` from ``init`` (default: the model's
    random draw), phase ``"train"``."""
    model = _check(model, task, shots)
    return fit(
        model,
        task,
        optimiser,
        budget=budget,
        seed=seed,
        init=init,
        phase="train",
        max_points=max_points,
        progress=progress,
    )


def visible_first(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    init=None,
    fraction: float = 0.5,
    weak: float = 0.01,
    max_points: int | None = MAX_POINTS,
    progress=None,
) -> FitResult:
    """Train the visible-only terms first, then switch the hidden units on weakly.

    Args:
        model: the :class:`QBM` to train (exact training, as :func:`~ebp.train.fit`).
        task: the learning task, as for :func:`~ebp.train.fit`.
        optimiser: as for :func:`~ebp.train.fit`.
        budget: as for :func:`~ebp.train.fit`.
        seed: as for :func:`~ebp.train.fit`.
        init: the initial draw (``None``/``"random"``, ``"small-angle"`` or a vector); its V–H
            entries are replaced by 0 in phase 1 and by N(0, ``weak``²) in phase 2.
        fraction: share of the budget spent in phase 1 (``"visible"``); the rest goes to
            phase 2 (``"coupled"``), which trains every parameter.
        weak: standard deviation (≥ 0) of the V–H parameters at the start of phase 2.
        max_points: curve points per phase (see :func:`~ebp.train.fit`).
        progress: one bar over the budget with the phase and the loss (``None``: in a
            terminal or notebook only).

    Raises:
        TypeError: if ``model`` is not a :class:`QBM`.
        ValueError: for shots, a model without V–H or visible-only terms, a fraction outside
            (0, 1) or a negative ``weak``.
    """
    model = _check(model, task, shots)
    fraction = _fraction(fraction)
    if isinstance(weak, bool) or not isinstance(weak, (int, float)) or not 0 <= weak < np.inf:
        raise ValueError(f"weak must be a finite number >= 0; got {weak!r}.")
    _, coupling = _classes(model)
    with _bar("visible-first", task, optimiser, budget, progress) as bar:
        first = _visible_phase(
            model, task, optimiser, budget * fraction, seed, init, max_points, bar.phase("visible")
        )
        x = first.params.copy()
        rng = np.random.default_rng([seed, _WEAK_STREAM])
        x[coupling] = rng.normal(0.0, float(weak), int(coupling.sum()))
        second = fit(
            model,
            task,
            optimiser,
            budget=budget * (1 - fraction),
            seed=seed,
            init=x,
            phase="coupled",
            max_points=max_points,
            progress=bar.phase("coupled"),
        )
    return chain_phases([first, second], task, 1)


def _scaled(model: QBM, coupling: np.ndarray, factor: float) -> QBM:
    assert model.scales is not None  # filled in on construction
    scales = tuple(s * factor if c else s for s, c in zip(model.scales, coupling))
    return dataclasses.replace(model, scales=scales)


def grow_coupling(
    model,
    task,
    optimiser,
    *,
    budget,
    shots=None,
    seed=0,
    init=None,
    stages: int = 4,
    fraction: float = 0.5,
    max_points: int | None = MAX_POINTS,
    progress=None,
) -> FitResult:
    """Train the visible-only terms, then grow the V–H coupling in steps to its full strength.

    Stage 0 is the visible phase of :func:`visible_first` (V–H parameters at 0). Stage j ≥ 1
    trains every parameter of the model whose V–H scale factors are multiplied by
    j / (stages − 1), starting from the previous stage's parameters; the V–H parameters start
    from their initial draw, so the coupling felt by V grows from 0 to the model's. The stages
    before the last share ``fraction`` of the budget equally; the last (the model itself,
    phase ``"g×1.00"``) gets the rest.

    Raises:
        TypeError: if ``model`` is not a :class:`QBM`.
        ValueError: for shots, a model without V–H or visible-only terms, ``stages`` not an int
            ≥ 2, or a fraction outside (0, 1).
    """
    model = _check(model, task, shots)
    fraction = _fraction(fraction)
    check_count("stages", stages, 2, why="the visible stage and at least the full coupling")
    stages = int(stages)
    _, coupling = _classes(model)
    early = budget * fraction / (stages - 1)
    with _bar("grow-coupling", task, optimiser, budget, progress) as bar:
        first = _visible_phase(
            model, task, optimiser, early, seed, init, max_points, bar.phase("visible")
        )
        x = first.params.copy()
        x[coupling] = initial_parameters(model, init, seed)[coupling]
        phases = [first]
        for j in range(1, stages):
            last = j == stages - 1
            factor = j / (stages - 1)
            stage_model = model if last else _scaled(model, coupling, factor)
            name = f"g×{factor:.2f}"
            r = fit(
                stage_model,
                task,
                optimiser,
                budget=budget * (1 - fraction) if last else early,
                seed=seed,
                init=x,
                phase=name,
                max_points=max_points,
                progress=bar.phase(name),
            )
            phases.append(r)
            x = r.params
    return chain_phases(phases, task, 1)


STRATEGIES: dict[str, Callable[..., FitResult]] = {
    "random": random_init,
    "visible-first": visible_first,
    "grow-coupling": grow_coupling,
}
"""QBM pretraining strategies by name; each is called like :func:`ebp.train.fit`."""


def run(
    strategy: str, model, task, optimiser, *, budget, shots=None, seed=0, init=None, **options
) -> FitResult:
    """Run a strategy by name (see :data:`STRATEGIES`); ``options`` go to the strategy."""
    try:
        fn = STRATEGIES[strategy]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown QBM pretraining strategy {strategy!r}; known: {', '.join(STRATEGIES)}."
        ) from None
    return fn(model, task, optimiser, budget=budget, shots=shots, seed=seed, init=init, **options)
