"""The result of :func:`ebp.diagnose`: plain data, JSON in and out (schema in
docs/diagnose.md, ``format`` = :data:`FORMAT`)."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ._rules import Reading

__all__ = [
    "FORMAT",
    "Concentration",
    "Diagnosis",
    "EntropyPoint",
    "GradientEvidence",
    "Reading",
    "Scaling",
]

FORMAT = "ebp-diagnosis/2"
"""The ``format`` field of a diagnosis's JSON; a reader refuses any other."""


@dataclass(frozen=True)
class EntropyPoint:
    """Mean (and standard deviation of) S(ρ_V) in bits after ``layer`` layers (``gates``
    gates); ``page`` is Page's value S_Page(n_V, n_H), ``maximum`` = log₂ d_V = n_V."""

    layer: int
    gates: int
    mean: float
    std: float
    page: float
    maximum: float


@dataclass(frozen=True)
class Concentration:
    """How close ρ_V is to I/d_V.

    Attributes:
        mean_trace_norm: mean ‖ρ_V − I/d_V‖₁ over the samples.
        trace_norm_ci: the 95 % interval of the mean, mean ± 1.96·s/√S.
        max_trace_norm: largest ‖ρ_V − I/d_V‖₁ over the samples.
        haar_trace_norm: √((d_V² − 1)/(d_V d_H + 1)), the root mean square of ‖ρ_V − I/d_V‖₁
            for Haar-random states (twice :func:`ebp.theory.mean_trace_distance_bound_lubkin`).
        deviation_bounds: per objective (order of ``Diagnosis.gradients``),
            ½(λ_max − λ_min)·mean‖ρ_V − I/d_V‖₁ ≥ |Tr O ρ_V − Tr O/d_V| on average.
    """

    mean_trace_norm: float
    trace_norm_ci: tuple[float, float]
    max_trace_norm: float
    haar_trace_norm: float
    deviation_bounds: tuple[float, ...]


@dataclass(frozen=True)
class GradientEvidence:
    """Gradient statistics of the objective C = Tr(O ρ_V) for one observable O.

    Attributes:
        observable: O as a Pauli string on V.
        spread: λ_max − λ_min of O.
        norm: ‖O‖ = max |λ|.
        variance: Var[∂_k C] for every parameter of the circuit (0 for dead ones).
        mean_variance: mean of Var[∂_k C] over the parameters of gates on V in the light cone.
        mean_variance_ci: its 95 % bootstrap interval.
        two_design: mean 2-design value over the same parameters (None: undefined, e.g. a
            parameter shared by several gates).
        haar_ratio: mean_variance / two_design.
        lipschitz: empirical Lipschitz constant (a lower bound on sup ‖∇C‖).
        shots: N = 2r²‖O‖²/Var[∂C] (r = ½) shots per shifted circuit to resolve one component.
        cost_variance: Var[C(θ)].  max_deviation: max over samples of |C − Tr O/d_V|.
        flat: parameters in the cone whose variance is numerically zero (< 1e-24).
    """

    observable: str
    spread: float
    norm: float
    variance: tuple[float, ...]
    mean_variance: float
    mean_variance_ci: tuple[float, float]
    two_design: float | None
    haar_ratio: float | None
    lipschitz: float
    shots: float | None
    cost_variance: float
    max_deviation: float
    flat: int


@dataclass(frozen=True)
class Scaling:
    """Mean Var[∂C] (over the parameters of gates on V) against n_hidden from a builder, with
    standard errors from its bootstrap interval; the fit log₂ Var = intercept + slope·n_H over
    the sizes ``fit_n_hidden`` (slope_err its standard error; theory_slope the same fit to the
    2-design values) and the fitted variance (and shots) at ``extrapolate_to`` hidden qubits."""

    observable: str
    n_hidden: tuple[int, ...]
    variance: tuple[float, ...]
    variance_err: tuple[float, ...]
    fit_n_hidden: tuple[int, ...]
    two_design: tuple[float | None, ...]
    slope: float
    slope_err: float
    intercept: float
    theory_slope: float | None
    extrapolate_to: int
    extrapolated_variance: float
    extrapolated_shots: float | None


_NESTED = {
    "entropy": EntropyPoint,
    "concentration": Concentration,
    "gradients": GradientEvidence,
    "scaling": Scaling,
    "readings": Reading,
}


def _finite(x):
    """JSON has no NaN or infinity: those become null."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    return x


def _tuples(x):
    if isinstance(x, list):
        return tuple(_tuples(v) for v in x)
    return x


def _build(cls, data: dict):
    names = {f.name for f in fields(cls)}
    if set(data) != names:
        raise ValueError(f"{cls.__name__}: expected fields {sorted(names)}; got {sorted(data)}.")
    return cls(**{k: _tuples(v) for k, v in data.items()})


@dataclass(frozen=True)
class Diagnosis:
    """A circuit's trainability evidence and verdict (see :func:`ebp.diagnose`).

    Attributes:
        name: what the circuit is called.
        n_visible: visible qubits of the circuit.
        n_hidden: hidden qubits of the circuit.
        n_gates: gates of the circuit.
        n_layers: layers of the circuit.
        n_params: parameters of the circuit.
        cone_qubits: qubits of its visible light cone (what was simulated).
        cone_gates: gates of its visible light cone.
        dead_params: parameter slots outside the cone (gradient exactly zero).
        samples: parameter vectors drawn.
        seed: seed of the parameter draws.
        distribution: how parameters were drawn.
        entropy: S(ρ_V) after the measured layers.
        page_fraction: final mean S / Page's value.
        concentration: ‖ρ_V − I/d_V‖₁ and the objective deviation bounds.
        gradients: one :class:`GradientEvidence` per objective.
        headline: the observable the verdict is taken for (largest mean gradient variance).
        scaling: the n_hidden scaling (None without a builder).
        readings: the quantities the rule read against their reference values
            (:class:`~ebp.diagnosis.Reading`).
        verdict: ``trainable``, ``at risk`` or ``barren``.
        reason: the rule line that fired.
        remedies: (what, function or study) pairs; empty for a trainable circuit.
    """

    name: str
    n_visible: int
    n_hidden: int
    n_gates: int
    n_layers: int
    n_params: int
    cone_qubits: int
    cone_gates: int
    dead_params: tuple[int, ...]
    samples: int
    seed: int
    distribution: str
    entropy: tuple[EntropyPoint, ...]
    page_fraction: float | None
    concentration: Concentration
    gradients: tuple[GradientEvidence, ...]
    headline: str
    scaling: Scaling | None
    readings: tuple[Reading, ...]
    verdict: str
    reason: str
    remedies: tuple[tuple[str, str], ...]

    @property
    def evidence(self) -> GradientEvidence:
        """The gradient evidence of the headline observable."""
        return next(g for g in self.gradients if g.observable == self.headline)

    @property
    def rule(self) -> tuple[str, ...]:
        """The verdict rule, one line per branch (:data:`ebp.diagnosis.RULE`)."""
        from ._rules import RULE

        return RULE

    def to_dict(self) -> dict:
        """Plain JSON-able data: ``format``, every field, and ``rule``; non-finite floats
        become None."""
        out = {"format": FORMAT, **asdict(self), "rule": list(self.rule)}
        return _finite(out)

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict) -> Diagnosis:
        """The inverse of :meth:`to_dict`; ValueError for another format or missing fields."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            got = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"not an ebp diagnosis: format {got!r}; expected {FORMAT!r}.")
        body = {k: v for k, v in data.items() if k not in ("format", "rule")}
        for key, kind in _NESTED.items():
            value = body.get(key)
            if value is None:
                continue
            body[key] = (
                tuple(_build(kind, v) for v in value)
                if isinstance(value, list)
                else _build(kind, value)
            )
        return _build(cls, body)

    @classmethod
    def from_json(cls, text: str) -> Diagnosis:
        """The inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def to_html(self, path: str | Path) -> Path:
        """Write a self-contained HTML page (figures embedded) to ``path``; returns it."""
        from ..report import render_html
        from ._page import diagnosis_page

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_html(diagnosis_page(self)), encoding="utf-8")
        return path
