"""The only door from an optimiser to a model: losses and gradients, charged to a budget.

An optimiser sees a function of the *trainable* coordinates x (a mask picks them out of the full
parameter vector θ; the rest stay at their base values). Every query is charged before it runs:

* one loss value costs ``configs_value`` circuit configurations per loss term (1, or M for M
  encoded inputs);
* one gradient costs what the parameter-shift rule needs: 2 per trainable parameter per term
  (plus one unshifted configuration for MMD²);

and each configuration costs N shots (or 1 when values are exact, so exact runs count circuit
evaluations in the same currency). Exact gradients are computed with the adjoint method but
charged as parameter shift, so exact and sampled runs compare at equal cost.

Reproducibility and resume: the shot noise of query k is drawn from
``default_rng([seed, k])``, independent of what came before, and every answer is logged. Re-running
the same optimiser with the same seed replays the log (answers are returned without simulating),
so a run killed at any point resumes bit-identically from its checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np

from ..quantum_info import von_neumann_entropy
from ._shots import Estimator, estimator_for
from ._tasks import LearningTask, accuracy, loss_value

__all__ = ["BudgetExhausted", "CheckpointError", "Oracle"]

_NOISE_STREAM = 0x5407
CHECKPOINT_FORMAT = "ebp-fit/1"


class BudgetExhausted(Exception):
    """Raised inside an optimiser when the next query would exceed the budget."""


class CheckpointError(ValueError):
    """A checkpoint file that cannot be resumed (unreadable, or from a different run)."""


def _digest(x: np.ndarray) -> str:
    return hashlib.blake2b(
        np.ascontiguousarray(x, dtype=np.float64).tobytes(), digest_size=8
    ).hexdigest()


@dataclass
class Log:
    """Answers to queries and the recorded curve, in order (what a checkpoint holds)."""

    queries: list[tuple[str, str, np.ndarray]] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)

    def save(self, path: Path, header: dict, done: bool) -> None:
        meta = {
            "format": CHECKPOINT_FORMAT,
            "header": header,
            "done": done,
            "queries": [(k, d, int(v.size)) for k, d, v in self.queries],
            "records": self.records,
        }
        values = (
            np.concatenate([v.ravel() for _, _, v in self.queries]) if self.queries else np.zeros(0)
        )
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta)), values=values)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, header: dict) -> Log:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                values = np.asarray(z["values"], dtype=np.float64)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is the same user error
            raise CheckpointError(
                f"checkpoint {str(path)!r} is unreadable ({exc}); delete it to start over."
            ) from None
        if not isinstance(meta, dict) or meta.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointError(f"{str(path)!r} is not an ebp fit checkpoint.")
        theirs = meta.get("header", {})
        diff = [
            f"{k}: {theirs.get(k)!r} there, {v!r} now"
            for k, v in header.items()
            if theirs.get(k) != v
        ]
        if diff:
            raise CheckpointError(
                f"checkpoint {str(path)!r} belongs to a different run ({'; '.join(diff)}); "
                "use another path or delete it."
            )
        log, offset = cls(), 0
        for kind, digest, size in meta["queries"]:
            log.queries.append((kind, digest, values[offset : offset + size]))
            offset += size
        log.records = list(meta["records"])
        return log


def _call(method, params, initial_state, *args):
    """Pass ``initial_state`` only when there is one: models without inputs (e.g. QBMs) need
    not accept the keyword."""
    if initial_state is None:
        return method(params, *args)
    return method(params, *args, initial_state=initial_state)


class Oracle:
    """Losses and gradients of ``task`` on ``model`` at trainable coordinates, under a budget.

    Args:
        model: a model (see :mod:`ebp.train._model`).
        task: the :class:`~ebp.train.LearningTask`.
        shots: shots per circuit configuration, or None for exact values.
        budget: total cost allowed (shots, or configurations when exact).
        seed: seed of the shot noise.
        base: the full parameter vector; coordinates outside ``trainable`` stay at these values.
        trainable: boolean mask over the parameters (default: all).
        replay: a :class:`Log` to answer from before computing anything.
    """

    def __init__(
        self,
        model,
        task: LearningTask,
        *,
        shots: int | None,
        budget: float,
        seed: int,
        base: np.ndarray,
        trainable: np.ndarray | None = None,
        replay: Log | None = None,
        spent: float = 0.0,
        phase: str = "",
        monitor: LearningTask | None = None,
        max_points: int | None = None,
    ):
        self.model, self.task, self.shots, self.budget, self.seed = model, task, shots, budget, seed
        self.base = np.asarray(base, dtype=np.float64).copy()
        mask = np.ones(model.n_params, bool) if trainable is None else np.asarray(trainable, bool)
        self.trainable = mask
        self.index = np.flatnonzero(mask)
        self.unit = 1 if shots is None else int(shots)
        self.spent = float(spent)
        self.start_spent = float(spent)
        self.configurations = 0
        self.phase = phase
        self.monitor = monitor
        self.min_gap = 0.0 if max_points is None else (budget - spent) / max_points
        self._last_row_cost = -math.inf
        self.pending = False
        self.log = Log()
        self._replay = replay or Log()
        self._started = time.perf_counter()
        self._query_count = 0
        self.on_record: Callable[[Oracle, dict], None] | None = None
        self.last_x: np.ndarray | None = None
        self.estimators: list[Estimator] | None = None
        if shots is not None:
            task.check_shots()
            if not hasattr(model, "shift_rule"):
                raise ValueError(
                    f"shot-noise estimates need a circuit model (the parameter-shift rule); "
                    f"{type(model).__name__} has none; pass shots=None for exact values."
                )
            # check_shots: every term has an estimator
            self.estimators = [cast(Estimator, estimator_for(t.objective)) for t in task.terms]
            shifts, coeffs = model.shift_rule()
            self.shifts, self.coeffs = shifts[self.index], coeffs[self.index]
            self.shifted = np.flatnonzero(self.coeffs > 0)
        if self.estimators is None:  # exact: the adjoint gradient, charged as parameter shift
            self._grad_configs = 2 * len(self.index) * len(task.terms)
        else:
            self._grad_configs = sum(e.configs_gradient(len(self.shifted)) for e in self.estimators)

    # -- coordinates -------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        """Number of trainable coordinates the optimiser sees."""
        return len(self.index)

    def full(self, x) -> np.ndarray:
        """The full parameter vector θ for trainable coordinates x."""
        theta = self.base.copy()
        theta[self.index] = np.asarray(x, dtype=np.float64)
        return theta

    def random_point(self, rng: np.random.Generator) -> np.ndarray:
        """A random starting point of the model, restricted to the trainable coordinates."""
        return np.asarray(self.model.random_parameters(rng), dtype=np.float64)[self.index]

    @property
    def remaining(self) -> float:
        return self.budget - self.spent

    @property
    def value_cost(self) -> float:
        return len(self.task.terms) * self.unit

    @property
    def gradient_cost(self) -> float:
        return self._grad_configs * self.unit

    # -- bookkeeping ----------------------------------------------------------------------------
    def _charge(self, configurations: int) -> None:
        cost = configurations * self.unit
        if self.spent + cost > self.budget + 1e-9:
            raise BudgetExhausted
        self.spent += cost
        self.configurations += configurations

    def _rng(self) -> np.random.Generator:
        return np.random.default_rng([self.seed, _NOISE_STREAM, self._query_count])

    def _answer(self, kind: str, x: np.ndarray, compute) -> np.ndarray:
        k = len(self.log.queries)
        digest = _digest(x)
        if k < len(self._replay.queries):
            r_kind, r_digest, value = self._replay.queries[k]
            if (r_kind, r_digest) != (kind, digest):
                raise CheckpointError(
                    f"the run diverged from its checkpoint at query {k} ({kind} instead of "
                    f"{r_kind}, or at another point); delete the checkpoint to start over."
                )
        else:
            value = np.atleast_1d(np.asarray(compute(), dtype=np.float64))
        self._query_count += 1
        self.log.queries.append((kind, digest, value))
        return value

    # -- queries -------------------------------------------------------------------------------
    def _rhos(self, thetas: np.ndarray, task: LearningTask | None = None) -> list[np.ndarray]:
        return [
            _call(self.model.rho_visible, thetas, t.initial_state)
            for t in (task or self.task).terms
        ]

    def losses(self, xs) -> np.ndarray:
        """Loss estimates at each row of ``xs`` (shape (B, dim)); charged B values."""
        xs = np.atleast_2d(np.asarray(xs, dtype=np.float64))
        self._charge(len(xs) * len(self.task.terms))

        def compute():
            thetas = np.stack([self.full(x) for x in xs])
            rhos = self._rhos(thetas)
            if self.shots is None:
                return loss_value(self.task, rhos)
            rng = self._rng()
            assert self.estimators is not None  # set whenever shots is
            return sum(
                t.weight * e.value(r, self.shots, rng)
                for t, e, r in zip(self.task.terms, self.estimators, rhos)
            )

        return self._answer("losses", xs, compute)

    def loss(self, x) -> float:
        """Loss estimate at x (exact when shots is None)."""
        return float(self.losses(np.asarray(x)[None])[0])

    def gradient(self, x) -> np.ndarray:
        """Gradient estimate at x over the trainable coordinates (parameter shift with shots,
        adjoint when exact); charged the parameter-shift cost."""
        x = np.asarray(x, dtype=np.float64)
        self._charge(self._grad_configs)

        def compute():
            theta = self.full(x)
            if self.shots is None:
                g = sum(
                    t.weight
                    * _call(
                        self.model.value_and_gradient, theta, t.initial_state, t.objective
                    ).gradient
                    for t in self.task.terms
                )
                return np.asarray(g)[self.index]
            idx = self.index[self.shifted]
            eye = np.zeros((len(idx), len(theta)))
            eye[np.arange(len(idx)), idx] = self.shifts[self.shifted]
            thetas = np.concatenate([theta[None], theta + eye, theta - eye])
            rng = self._rng()
            assert self.estimators is not None  # set whenever shots is
            g = np.zeros(self.dim)
            for t, e, rho in zip(self.task.terms, self.estimators, self._rhos(thetas)):
                n = len(idx)
                g[self.shifted] += t.weight * e.gradient(
                    rho[0], rho[1 : 1 + n], rho[1 + n :], self.coeffs[self.shifted], self.shots, rng
                )
            return g

        return self._answer("gradient", x, compute)

    # -- the curve ---------------------------------------------------------------------------
    def record(self, x, estimate: float = math.nan, *, force: bool = False) -> dict | None:
        """Add a point to the loss curve (free of charge): the exact ``loss`` of the monitored
        task (the trained task unless ``monitor`` is set), the trained ``objective``, S(ρ_V)
        and accuracy at x. With ``max_points`` set, iterates closer than budget/max_points in
        cost to the previous point are only remembered (``force`` records anyway)."""
        self.last_x = np.asarray(x, dtype=np.float64).copy()
        self.last_estimate = float(estimate)
        if not force and self.spent - self._last_row_cost < self.min_gap:
            self.pending = True
            return None
        self.pending = False
        self._last_row_cost = self.spent
        k = len(self.log.records)
        if k < len(self._replay.records):
            row = self._replay.records[k]
        else:
            theta = self.full(x)
            rhos = [r[0] for r in self._rhos(theta[None])]
            objective = float(loss_value(self.task, rhos))
            if self.monitor is not None:
                rhos = [r[0] for r in self._rhos(theta[None], self.monitor)]
            shown = self.monitor or self.task
            row = {
                "step": k,
                "phase": self.phase,
                "cost": self.spent,
                "configurations": self.configurations,
                "loss": float(loss_value(shown, rhos)),
                "objective": objective,
                "estimate": float(estimate),
                "entropy": float(np.mean([von_neumann_entropy(r) for r in rhos])),
                "accuracy": accuracy(shown, rhos),
                "seconds": time.perf_counter() - self._started,
            }
            row.update({k2: float(v) for k2, v in self.model.diagnostics(theta).items()})
        self.log.records.append(row)
        if self.on_record is not None:
            self.on_record(self, row)
        return row
