"""Learning tasks: a loss on the visible reduced state ρ_V(θ), built from seeded data.

A task is a weighted sum of objectives, each on the visible state the model prepares from one
input state,

.. math:: L(θ) = \\sum_t w_t\\, f_t\\big(ρ_V(θ;\\, ψ_t)\\big),

with f_t an :class:`ebp.landscape.Objective` (so exact gradients come from one forward and one
adjoint pass, whatever f_t is). Three families:

* **quantum data** — learn a visible target state σ (pure or mixed): 1 − F(σ, ρ_V),
  T(σ, ρ_V) or S(σ‖ρ_V);
* **generative** — learn a distribution q over visible bit strings with a Born machine whose
  hidden units make p(x) = ⟨x|ρ_V|x⟩ a mixture: KL(q‖p), NLL or MMD²
  (Liu & Wang, PRA 98, 062324 (2018));
* **supervised** — binary classification of inputs x angle-encoded on the visible register,
  |ψ(x)⟩ = ⊗_v R_Y(x_v)|0⟩ ⊗ |0…0⟩_H, read out on one visible wire: cross-entropy (or the
  single-shot error probability), reported with accuracy.

Only losses linear in ρ_V (infidelity to a *pure* target, readout error) and MMD² have unbiased
N-shot estimators; :meth:`LearningTask.check_shots` says so when another loss is paired with
shots.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace

import jax.numpy as jnp
import numpy as np

from .._checks import check_int, check_seed, check_state_fits
from ..landscape import (
    MMD,
    Linear,
    Objective,
    as_density_matrix,
    fidelity,
    kl_divergence,
    mmd,
    negative_log_likelihood,
    pure_state_infidelity,
    readout_cross_entropy,
    readout_error,
    relative_entropy,
    sandwiched_renyi,
    trace_distance,
)
from ._targets import (
    bars_and_stripes,
    classification_dataset,
    random_product_state,
    random_sparse_distribution,
    thermal_distribution,
)

__all__ = [
    "Affine",
    "LearningTask",
    "TASKS",
    "Term",
    "classification_task",
    "generative_task",
    "make_task",
    "quantum_data_task",
]


@dataclass(frozen=True)
class Affine(Objective):
    """a·f(ρ) + b for an objective f (e.g. 1 − F with a = −1, b = 1); derivative a·G."""

    objective: Objective
    scale: float
    offset: float

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.scale:g}*{self.objective.name}+{self.offset:g}"

    @property
    def lower(self) -> float:  # type: ignore[override]
        ends = (self.scale * self.objective.lower, self.scale * self.objective.upper)
        return min(ends) + self.offset

    @property
    def upper(self) -> float:  # type: ignore[override]
        ends = (self.scale * self.objective.lower, self.scale * self.objective.upper)
        return max(ends) + self.offset

    @property
    def dim(self) -> int:
        return self.objective.dim

    def _value_and_derivative(self, rho):
        f, g = self.objective.value_and_derivative(rho)
        return self.scale * f + self.offset, self.scale * g


@dataclass(frozen=True, eq=False)
class Term:
    """One summand w·f(ρ_V(θ; ψ)) of a task's loss; ``initial_state`` None means |0…0⟩."""

    objective: Objective
    weight: float = 1.0
    initial_state: np.ndarray | None = None
    label: int | None = None


@dataclass(frozen=True, eq=False)
class LearningTask:
    """A loss on ρ_V with its data (see the module docstring).

    Attributes:
        name: short identifier (``"state"``, ``"bars-and-stripes"`` …).
        kind: ``"quantum-data"``, ``"generative"`` or ``"supervised"``.
        n_visible: visible qubits the loss acts on.
        terms: the weighted objectives.
        target: success threshold: a run succeeds when its final exact loss is ≤ ``target``.
        data_state: the data as a visible density matrix (σ, or diag(q) for a distribution), for
            generative pretraining; None for supervised tasks.
        readout_wire: visible wire read out by a classifier (supervised only).
        description: one line for tables and figures.
        success_accuracy: a classifier succeeds at this accuracy (None: by ``target``).
        loss: the loss's name as :func:`make_task` takes it (``"infidelity"``, ``"kl"`` …).
    """

    name: str
    kind: str
    n_visible: int
    terms: tuple[Term, ...]
    target: float
    data_state: np.ndarray | None = None
    readout_wire: int | None = None
    description: str = ""
    success_accuracy: float | None = field(default=None)
    loss: str = ""

    def succeeded(self, loss: float, accuracy: float = float("nan")) -> bool:
        """Loss ≤ target, or for a classifier accuracy ≥ ``success_accuracy``."""
        if self.success_accuracy is not None:
            return bool(accuracy >= self.success_accuracy)
        return bool(loss <= self.target)

    @property
    def loss_name(self) -> str:
        """The loss as the user names it (``--loss``), else its first objective's name."""
        return self.loss or self.terms[0].objective.name

    def fingerprint(self) -> str:
        """A stable digest of the loss and its data (used to match checkpoints)."""
        h = hashlib.sha256(f"{self.name}|{self.kind}|{self.n_visible}|{self.target}".encode())
        for t in self.terms:
            h.update(repr(t.objective).encode())
            h.update(np.float64(t.weight).tobytes())
            if t.initial_state is not None:
                h.update(np.ascontiguousarray(t.initial_state).tobytes())
        return h.hexdigest()[:16]

    def check_model(self, model) -> None:
        """Raise ValueError unless ``model`` has this task's number of visible qubits."""
        if model.n_visible != self.n_visible:
            raise ValueError(
                f"task {self.name!r} acts on {self.n_visible} visible qubit(s); the model has "
                f"n_visible={model.n_visible}."
            )
        if any(t.initial_state is not None for t in self.terms) and not hasattr(model, "circuit"):
            raise ValueError(
                f"task {self.name!r} encodes inputs as initial states, which needs a circuit model."
            )

    def check_shots(self) -> None:
        """Raise ValueError unless every term has an unbiased N-shot estimator."""
        bad = sorted(
            {t.objective.name for t in self.terms if not isinstance(t.objective, (Linear, MMD))}
        )
        if bad:
            raise ValueError(
                f"loss {', '.join(bad)} of task {self.name!r} has no unbiased N-shot estimator; "
                "with shots use a loss that is linear in ρ_V (infidelity to a pure target, "
                "readout_error) or mmd, or pass shots=None for exact values."
            )

    def pretraining_task(
        self, divergence: str = "relative_entropy", *, alpha: float = 2.0
    ) -> LearningTask:
        """The generative pretraining loss: a divergence of the data state from ρ_V.

        ``divergence`` is ``"relative_entropy"`` (S(σ‖ρ_V), bits) or ``"sandwiched_renyi"``
        (D̃_α(σ‖ρ_V)); both are nonlinear in ρ_V, so their gradients are not those of an
        observable (the paper's suggestion for navigating the plateau).
        """
        if self.data_state is None:
            raise ValueError(
                f"task {self.name!r} ({self.kind}) has no data state to pretrain on; generative "
                "pretraining needs a quantum-data or generative task."
            )
        obj: Objective
        if divergence == "relative_entropy":
            obj = relative_entropy(self.data_state)
        elif divergence == "sandwiched_renyi":
            obj = sandwiched_renyi(self.data_state, alpha)
        else:
            raise ValueError(
                f"divergence must be 'relative_entropy' or 'sandwiched_renyi'; got {divergence!r}."
            )
        return replace(self, name=f"{self.name}:{divergence}", terms=(Term(obj),), target=-math.inf)

    def with_terms(self, terms, name: str | None = None) -> LearningTask:
        """The same task with other loss terms (e.g. a regularised objective)."""
        return replace(self, terms=tuple(terms), name=name or self.name)


QUANTUM_LOSSES = ("infidelity", "trace_distance", "relative_entropy")
GENERATIVE_LOSSES = ("kl", "nll", "mmd")
SUPERVISED_LOSSES = ("cross_entropy", "readout_error")


def _choice(value, allowed, what):
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def quantum_data_task(
    target, loss: str = "infidelity", *, success: float = 0.05, name: str = "state"
) -> LearningTask:
    """Learn a visible target state (a vector = pure, or a density matrix).

    Losses: ``"infidelity"`` 1 − F(σ, ρ_V) (linear in ρ_V, so measurable, when σ is pure),
    ``"trace_distance"`` ½‖σ − ρ_V‖₁, ``"relative_entropy"`` S(σ‖ρ_V) in bits.
    """
    _choice(loss, QUANTUM_LOSSES, "loss")
    t = np.asarray(target, dtype=complex)
    sigma = as_density_matrix(t)
    n_v = sigma.shape[0].bit_length() - 1
    pure = t.ndim == 1 or abs(np.trace(sigma @ sigma).real - 1) < 1e-12
    obj: Objective
    if loss == "infidelity":
        if pure:
            vec = t / np.linalg.norm(t) if t.ndim == 1 else np.linalg.eigh(sigma)[1][:, -1]
            obj = pure_state_infidelity(vec)
        else:
            obj = Affine(fidelity(sigma), -1.0, 1.0)
    elif loss == "trace_distance":
        obj = trace_distance(sigma)
    else:
        obj = relative_entropy(sigma)
    return LearningTask(
        name,
        "quantum-data",
        n_v,
        (Term(obj),),
        float(success),
        sigma,
        description=f"learn a {'pure' if pure else 'mixed'} {n_v}-qubit state",
        loss=loss,
    )


def generative_task(
    distribution, loss: str = "kl", *, success: float | None = None, name: str = "distribution"
) -> LearningTask:
    """Learn a distribution q over 2**n_visible bit strings (big-endian) with p(x) = ⟨x|ρ_V|x⟩.

    ``success`` defaults to 0.1 bits for KL, 0.1 + H(q) for NLL and 0.01 for MMD².
    """
    _choice(loss, GENERATIVE_LOSSES, "loss")
    q = np.asarray(distribution, dtype=float)
    obj: Objective
    if loss == "kl":
        obj = kl_divergence(q)
    elif loss == "nll":
        obj = negative_log_likelihood(q)
    else:
        obj = mmd(q)
    if success is None:
        h = -float(np.sum(q[q > 0] * np.log2(q[q > 0])))
        success = {"kl": 0.1, "nll": 0.1 + h, "mmd": 0.01}[loss]
    n_v = obj.n_visible
    return LearningTask(
        name,
        "generative",
        n_v,
        (Term(obj),),
        float(success),
        np.diag(q).astype(complex),
        description=f"learn a distribution over {n_v}-bit strings",
        loss=loss,
    )


def encode_angles(angles, n_qubits: int) -> np.ndarray:
    """|ψ(x)⟩ = ⊗_v (cos(x_v/2)|0⟩ + sin(x_v/2)|1⟩) ⊗ |0…0⟩ on the remaining wires."""
    state = np.ones(1, dtype=complex)
    for a in np.asarray(angles, dtype=float):
        state = np.kron(state, np.array([math.cos(a / 2), math.sin(a / 2)], dtype=complex))
    rest = np.zeros(2 ** (n_qubits - len(angles)), dtype=complex)
    rest[0] = 1.0
    return np.kron(state, rest)


def classification_task(
    n_visible: int,
    n_hidden: int,
    *,
    samples: int = 16,
    seed: int = 0,
    kind: str = "halfspace",
    loss: str = "cross_entropy",
    success: float = 0.9,
    readout_wire: int = 0,
) -> LearningTask:
    """Binary classification of ``samples`` seeded inputs, angle-encoded on the visible wires.

    The model's register size enters through the encoded states (they live on all
    n_visible + n_hidden wires). A run succeeds when its accuracy is ≥ ``success``.
    """
    _choice(loss, SUPERVISED_LOSSES, "loss")
    x, y = classification_dataset(n_visible, samples, seed, kind=kind)
    n = n_visible + n_hidden
    make = readout_cross_entropy if loss == "cross_entropy" else readout_error
    terms = tuple(
        Term(
            make(int(label), n_visible, wire=readout_wire),
            1.0 / samples,
            encode_angles(xi, n),
            int(label),
        )
        for xi, label in zip(x, y)
    )
    return LearningTask(
        "classification",
        "supervised",
        n_visible,
        terms,
        -math.inf,
        None,
        readout_wire,
        f"{kind} classification, {samples} samples",
        success_accuracy=float(success),
        loss=loss,
    )


def accuracy(task: LearningTask, rhos) -> float:
    """Fraction of samples whose readout gives the right label with probability > ½."""
    if task.kind != "supervised":
        return float("nan")
    wire, n_v = task.readout_wire, task.n_visible
    assert wire is not None  # every supervised task has a readout wire
    ones = np.array([(x >> (n_v - 1 - wire)) & 1 for x in range(2**n_v)], dtype=float)
    right = 0
    for term, rho in zip(task.terms, rhos):
        p1 = float(np.real(np.sum(np.diagonal(rho) * ones)))
        right += (p1 > 0.5) == bool(term.label)
    return right / len(task.terms)


TASKS = (
    "state",
    "mixed-state",
    "bars-and-stripes",
    "sparse-distribution",
    "thermal-distribution",
    "classification",
)
"""Task names :func:`make_task` knows."""


def make_task(
    name: str, n_visible: int, n_hidden: int = 0, *, seed: int = 0, loss: str | None = None
) -> LearningTask:
    """A task by name with seeded data (used by the CLI and the studies).

    * ``state`` — a random pure product state on V (a solution exists for every n_hidden:
      disentangle V from H); default loss infidelity;
    * ``mixed-state`` — a random rank-2 visible state; default loss relative_entropy;
    * ``bars-and-stripes`` — needs n_visible = 4 (2×2) or 9 (3×3); default kl;
    * ``sparse-distribution`` — 3 random strings with Dirichlet weights; default kl;
    * ``thermal-distribution`` — a random classical Ising Boltzmann distribution; default kl;
    * ``classification`` — 16 halfspace samples; default cross_entropy.
    """
    from ._targets import random_mixed_state

    n_visible = check_int("n_visible", n_visible, minimum=1)
    n_hidden = check_int("n_hidden", n_hidden, minimum=0)
    seed = check_seed(seed)
    # every task keeps its data as a 2^n_V × 2^n_V visible density matrix (a classifier: one
    # encoded state of n_V + n_H qubits per sample, 16 samples)
    data_bytes = 16 * (
        4**n_visible if name != "classification" else 16 * 2 ** (n_visible + n_hidden)
    )
    check_state_fits(f"the data of task {name!r} on {n_visible} visible qubits", 3 * data_bytes)
    if name == "state":
        return quantum_data_task(random_product_state(n_visible, seed), loss or "infidelity")
    if name == "mixed-state":
        return quantum_data_task(
            random_mixed_state(n_visible, 2, seed),
            loss or "relative_entropy",
            success=0.1,
            name=name,
        )
    if name == "bars-and-stripes":
        side = {4: (2, 2), 9: (3, 3)}.get(n_visible)
        if side is None:
            raise ValueError(
                f"bars-and-stripes needs n_visible 4 (2x2) or 9 (3x3); got {n_visible}."
            )
        return generative_task(bars_and_stripes(*side), loss or "kl", name=name)
    if name == "sparse-distribution":
        q = random_sparse_distribution(n_visible, min(3, 2**n_visible), seed)
        return generative_task(q, loss or "kl", name=name)
    if name == "thermal-distribution":
        return generative_task(thermal_distribution(n_visible, 1.0, seed), loss or "kl", name=name)
    if name == "classification":
        return classification_task(n_visible, n_hidden, seed=seed, loss=loss or "cross_entropy")
    raise ValueError(f"unknown task {name!r}; known tasks: {', '.join(TASKS)}.")


def loss_value(task: LearningTask, rhos):
    """L = Σ_t w_t f_t(ρ_t), one visible state (or a batch ``(..., d, d)``) per term."""
    return sum(
        t.weight * np.asarray(t.objective.value(jnp.asarray(r)), dtype=float)
        for t, r in zip(task.terms, rhos)
    )
