"""``fit``: train one model on one task with one optimiser, under a measurement budget."""

from __future__ import annotations

import math
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import check_real_array, is_int
from .._progress import Bar, PhaseReport, show_progress
from ._model import as_model
from ._optimisers import Optimiser, get_optimiser
from ._oracle import BudgetExhausted, Log, Oracle
from ._tasks import LearningTask

__all__ = ["FitResult", "fit", "initial_parameters"]

_INIT_STREAM = 0x1417
_OPTIMISER_STREAM = 0x0975
CHECKPOINT_SECONDS = 10.0
"""A checkpoint is written at most this often (and always when the run ends)."""


@dataclass(frozen=True)
class FitResult:
    """What a training run returns.

    Attributes:
        params: the final parameters θ (the optimiser's last iterate).
        initial_params: where the run started.
        curve: one row per iteration — ``step``, ``phase``, ``cost`` (shots, or circuit
            evaluations when exact), ``configurations``, ``loss`` (exact, at the iterate),
            ``estimate`` (what the optimiser saw, NaN for gradient steps), ``entropy`` S(ρ_V) in
            bits (mean over inputs), ``accuracy`` (classifiers), ``seconds`` and the model's
            diagnostics.
        loss: final loss (exact).
        entropy: final S(ρ_V) in bits (exact).
        accuracy: final accuracy (classifiers; exact).
        success: the task's success criterion at the final parameters.
        cost: budget spent; ``shots`` is the same number when shots were used, else None.
        configurations: circuit configurations run (each with ``shots_per_estimate`` shots).
        stopped: ``"budget"`` or ``"converged"``.
        target: the task's success threshold on the loss (for :meth:`time_to_target`).
    """

    params: np.ndarray
    initial_params: np.ndarray
    curve: pd.DataFrame
    loss: float
    entropy: float
    accuracy: float
    success: bool
    cost: float
    shots: int | None
    shots_per_estimate: int | None
    configurations: int
    optimiser: str
    task: str
    seed: int
    stopped: str

    def time_to_target(self, target: float | None = None) -> float:
        """Budget spent when the exact loss first reached ``target`` (default: the task's);
        ``inf`` if it never did."""
        t = self.curve["loss"].to_numpy()
        thr = target if target is not None else self.target
        hit = np.flatnonzero(t <= thr)
        return float(self.curve["cost"].iloc[hit[0]]) if hit.size else math.inf

    target: float = math.nan


def _check_seed(seed) -> int:
    if not is_int(seed) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be an int in [0, 2**63); got {seed!r}.")
    return int(seed)


def _check_shots(shots) -> int | None:
    if shots is None:
        return None
    if not is_int(shots) or shots < 1:
        raise ValueError(f"shots must be a positive int or None (exact); got {shots!r}.")
    return int(shots)


def initial_parameters(model, init, seed: int, scale: float = 0.1) -> np.ndarray:
    """The starting point: ``None``/``"random"`` (the model's random draw), ``"small-angle"``
    (θ ~ N(0, scale²), near the identity circuit), or an explicit vector."""
    rng = np.random.default_rng([seed, _INIT_STREAM])
    if init is None or (isinstance(init, str) and init == "random"):
        return np.asarray(model.random_parameters(rng), dtype=np.float64)
    if isinstance(init, str) and init == "small-angle":
        return rng.normal(0.0, scale, model.n_params)
    if isinstance(init, str):
        raise ValueError(
            f"init must be 'random', 'small-angle' or a parameter vector; got {init!r}."
        )
    check_real_array("init", init, f"({model.n_params},)")
    x = np.array(init, dtype=np.float64)  # a copy: strategies edit the start in place
    if x.shape != (model.n_params,):
        raise ValueError(
            f"init must be a finite vector of length n_params={model.n_params}; got shape "
            f"{x.shape}."
        )
    return x


def fit(
    model,
    task: LearningTask,
    optimiser,
    *,
    budget: float,
    shots: int | None = None,
    seed: int = 0,
    init=None,
    trainable=None,
    checkpoint=None,
    progress=None,
    phase: str = "",
    monitor: LearningTask | None = None,
    max_points: int | None = 1000,
) -> FitResult:
    """Train ``model`` on ``task`` with ``optimiser`` until ``budget`` is spent.

    Args:
        model: an ebp :class:`~ebp.circuit.Circuit`, a :class:`~ebp.train.CircuitModel`, or any
            model with the same methods (e.g. an :mod:`ebp.qbm` model).
        task: a :class:`~ebp.train.LearningTask` (:func:`~ebp.train.make_task`).
        optimiser: an optimiser or its name (:data:`~ebp.train.OPTIMISERS`).
        budget: total measurement cost: shots when ``shots`` is set, else circuit evaluations
            (a loss value costs one per loss term, a gradient the 2 per parameter of the
            parameter-shift rule).
        shots: shots per estimate, or None for exact values and gradients.
        seed: seeds the initial point, the optimiser and the shot noise.
        init: ``None``/``"random"``, ``"small-angle"`` or a parameter vector.
        trainable: boolean mask of the parameters the optimiser may move (default all).
        checkpoint: a file path; the run's answers are saved there every
            :data:`CHECKPOINT_SECONDS` and at the end, and re-running the same call resumes
            (bit-identically) from it.
        progress: show a progress bar over the budget (budget spent, loss, S(ρ_V)): ``None``
            (default) shows it in a terminal or notebook only, ``True``/``False`` force it; a
            pretraining strategy passes the phase reporter of its own bar.
        phase: a label written into the curve's ``phase`` column.
        monitor: a task whose exact loss the curve's ``loss`` column shows instead of
            ``task``'s (the trained loss is always in ``objective``); used by pretraining.
        max_points: at most about this many curve points (iterates closer in cost are
            skipped; the final one is always recorded); None records every iteration.

    Returns:
        :class:`FitResult`.
    """
    model = as_model(model)
    if not isinstance(task, LearningTask):
        raise TypeError(
            f"task must be a LearningTask (see ebp.train.make_task); got {type(task).__name__}."
        )
    task.check_model(model)
    optimiser = get_optimiser(optimiser)
    if not isinstance(optimiser, Optimiser):
        raise TypeError(f"optimiser must be an ebp optimiser or a name; got {optimiser!r}.")
    seed, shots = _check_seed(seed), _check_shots(shots)
    if (
        isinstance(budget, bool)
        or not isinstance(budget, (int, float))
        or not budget > 0
        or not math.isfinite(budget)
    ):
        raise ValueError(f"budget must be a positive finite number; got {budget!r}.")
    x_full = initial_parameters(model, init, seed)
    if trainable is not None:
        trainable = np.asarray(trainable, dtype=bool)
        if trainable.shape != (model.n_params,) or not trainable.any():
            raise ValueError(
                f"trainable must be a boolean mask of length {model.n_params} with at "
                "least one True."
            )

    header = {
        "model": _fingerprint(model),
        "task": task.fingerprint(),
        "optimiser": optimiser.fingerprint(),
        "shots": shots,
        "budget": float(budget),
        "seed": seed,
        "init": _digest_init(x_full),
        "phase": phase,
        "trainable": None if trainable is None else _digest_init(trainable.astype(float)),
    }
    path = None if checkpoint is None else Path(checkpoint)
    replay = Log.load(path, header) if path is not None and path.exists() else None
    oracle = Oracle(
        model,
        task,
        shots=shots,
        budget=budget,
        seed=seed,
        base=x_full,
        trainable=trainable,
        replay=replay,
        phase=phase,
        monitor=monitor,
        max_points=max_points,
    )
    last_save = [time.monotonic()]

    def save(done: bool) -> None:
        if path is not None:
            oracle.log.save(path, header, done)
            last_save[0] = time.monotonic()

    bar: Bar | nullcontext[None]
    if isinstance(progress, PhaseReport):
        bar, report = nullcontext(), progress
    else:
        bar = Bar(
            float(budget),
            f"{optimiser.name} on {task.name}",
            "shots" if shots else "evaluations",
            show_progress(progress),
        )
        report = bar.phase(phase)
    with bar:

        def on_record(o: Oracle, row: dict) -> None:
            report(o.spent, loss=row["loss"], **{"S(ρ_V)": row["entropy"]})
            if path is not None and time.monotonic() - last_save[0] > CHECKPOINT_SECONDS:
                save(False)

        oracle.on_record = on_record
        x0 = x_full[oracle.index]
        rng = np.random.default_rng([seed, _OPTIMISER_STREAM])
        stopped = "converged"
        try:
            oracle.record(x0, force=True)
            optimiser.minimise(oracle, x0, rng)
        except BudgetExhausted:
            stopped = "budget"
        except BaseException:
            save(False)
            raise
        if oracle.pending:
            oracle.record(oracle.last_x, oracle.last_estimate, force=True)
        save(True)
        last = oracle.log.records[-1]  # what was spent after the last recorded point too
        report(oracle.spent, loss=last["loss"], **{"S(ρ_V)": last["entropy"]})
    curve = pd.DataFrame(oracle.log.records)
    final = curve.iloc[-1]
    theta = oracle.full(oracle.last_x)
    judged = monitor or task
    return FitResult(
        params=theta,
        initial_params=x_full,
        curve=curve,
        loss=float(final["loss"]),
        entropy=float(final["entropy"]),
        accuracy=float(final["accuracy"]),
        success=judged.succeeded(float(final["loss"]), float(final["accuracy"])),
        cost=oracle.spent,
        shots=None if shots is None else int(oracle.spent),
        shots_per_estimate=shots,
        configurations=oracle.configurations,
        optimiser=optimiser.name,
        task=task.name,
        seed=seed,
        stopped=stopped,
        target=judged.target,
    )


def _digest_init(x: np.ndarray) -> str:
    import hashlib

    return hashlib.blake2b(
        np.ascontiguousarray(x, dtype=np.float64).tobytes(), digest_size=8
    ).hexdigest()


def _fingerprint(model) -> str:
    import hashlib

    inner = getattr(model, "circuit", model)
    return hashlib.sha256(
        repr(inner).encode() + repr(getattr(inner, "operations", "")).encode()
    ).hexdigest()[:16]
