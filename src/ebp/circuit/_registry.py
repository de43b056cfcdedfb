"""The gate registry: one :func:`register_gate` call is everything ebp knows about a gate.

A gate is registered with its factors (:mod:`ebp.circuit._factors`: a product of exponentials
e^{−iθ_k G_k} and fixed unitaries), its parameter names and its OpenQASM names. Everything else is
derived from the factors, so it cannot disagree with the matrix:

* :meth:`GateSpec.matrix` — the product of the factors, in ``jax.numpy`` (differentiable, jit-able);
* the generator G_k of each parameter, hence the two-term parameter-shift rule
  (:meth:`GateSpec.shift_rule`: G_k with two distinct eigenvalues λ₁ > λ₂ gives
  ∂_k C = r [C(θ + π/(4r) e_k) − C(θ − π/(4r) e_k)], r = (λ₁ − λ₂)/2; Wierichs et al.,
  Quantum 6, 677 (2022), arXiv:2107.12390) and the 2-design traces (Tr V, Tr V²) of
  V = 2i U†∂_kU = 2 B†G_kB (:meth:`GateSpec.generator_traces`);
* the simulator's kernel kind: a gate that is one Pauli exponential is a Pauli rotation
  (``pauli``/``coeff``), a gate whose factors are all diagonal is ``diagonal``;
* the inverse (:func:`inverse_rule`): U(θ)† = f_1† ⋯ f_m†; when the reversed word of factors equals
  the gate's own word up to commuting neighbours (equal Cartier–Foata normal forms) the inverse is
  the same gate at θ'_k = −θ_{π(k)}; a parameter-free gate's inverse is a registered gate with
  matrix U†, or a fixed unitary. A registration may state its inverse instead (``inverse=``).

Gates whose structure depends on per-operation data (``PAULIROT``: the Pauli label and coefficient;
``UNITARY``: the matrix) register a function ``factors(data)`` and a ``check_data`` that validates
and normalises the data.

A definition the rest of ebp could not use is refused when it is registered: wrong factor size,
a non-Hermitian generator, a non-unitary fixed factor, a parameter that enters no factor, a name or
QASM name already taken.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np
from numpy.typing import ArrayLike

from ._factors import Exp, Fixed, PauliExp, factors_commute, pauli_matrix, product

if TYPE_CHECKING:
    import jax

__all__ = [
    "GATES",
    "GateDefinitionError",
    "GateSpec",
    "InverseRule",
    "inverse_rule",
    "qasm_gate",
    "register_gate",
]

GATES: dict[str, GateSpec] = {}
"""The gate registry: name → :class:`GateSpec`, filled by :func:`register_gate`."""
_QASM_NAMES: dict[str, str] = {}


class InverseRule(NamedTuple):
    """U(θ)† = ``gate``(θ') with θ'_j = sign_j·θ_{source_j} + offset_j (source_j None: constant).

    ``data`` is the inverse operation's fixed data (``None`` for most gates).
    """

    gate: str
    params: tuple  # of (source | None, sign, offset)
    data: Any = None


@dataclass(frozen=True, eq=False)
class GateSpec:
    """Everything ebp knows about one gate; build it with :func:`register_gate`.

    Attributes:
        name: registry key, upper case (``"RX"``).
        n_wires: number of wires, or ``None`` when the data sets it (``PAULIROT``, ``UNITARY``).
        n_params: number of parameters.
        param_names: their names, in order (``("theta", "phi", "lambda")`` for ``U3``).
        qasm: OpenQASM names; the first is written on export, all are read on import.
        qasm_qubits: how many qubit operands the QASM form takes (``gphase``: 0), default n_wires.
        qasm_definition: for a gate outside ``stdgates.inc``, the body of its ``gate`` definition
            in terms of standard gates (written into exported programs that use it).
        diagonal: True when the matrix is diagonal for every θ (and every data).
        pauli: for a gate that is exactly exp(−iθ·c·P), the Pauli string P.
        coeff: for such a gate, the coefficient c.
    """

    name: str
    n_wires: int | None
    param_names: tuple[str, ...]
    qasm: tuple[str, ...]
    factors_of: Callable = field(repr=False)
    check_data: Callable | None = field(default=None, repr=False)
    qasm_qubits: int | None = None
    qasm_definition: str | None = None
    declared_inverse: Callable | None = field(default=None, repr=False)
    doc: str = ""

    @property
    def n_params(self) -> int:
        return len(self.param_names)

    @property
    def data_dependent(self) -> bool:
        return self.check_data is not None

    def factors(self, data: Any = None) -> tuple:
        """The gate's factors (for data-dependent gates, of the operation with this data)."""
        return _factors(self, data)

    @property
    def diagonal(self) -> bool:
        if self.data_dependent:
            return False  # decided per operation (see Operation.diagonal)
        return all(f.diagonal for f in self.factors())

    @property
    def pauli(self) -> str | None:
        return None if self.data_dependent else _single_pauli(self.factors(), "label")

    @property
    def coeff(self) -> float | None:
        return None if self.data_dependent else _single_pauli(self.factors(), "coeff")

    def dim(self, data: Any = None) -> int:
        """Size 2**k of the gate's matrix on its k wires (for a data gate, with that ``data``)."""
        fs = self.factors(data)
        k = fs[0].n_wires if fs else self.n_wires
        assert k is not None  # a gate without factors has a fixed n_wires
        return 2**k

    def matrix(self, theta: ArrayLike, data: Any = None) -> jax.Array:
        """``(2**k, 2**k)`` matrix at parameters ``theta`` (shape ``(n_params,)``), in
        ``jax.numpy``: differentiable and usable inside ``jax.jit``."""
        import jax.numpy as jnp

        fs = self.factors(data)
        if all(isinstance(f, Fixed) for f in fs):
            return jnp.asarray(_fixed_product(self, data))
        return product(fs, jnp.asarray(theta), jnp, self.dim(data))

    def numpy_matrix(self, theta: ArrayLike = (), data: Any = None) -> np.ndarray:
        """The same matrix in numpy (no JAX), for checks and exporters."""
        fs = self.factors(data)
        return np.asarray(product(fs, np.asarray(theta, dtype=float), np, self.dim(data)))

    def generator(self, j: int, data: Any = None) -> np.ndarray | None:
        """G_j with U = A e^{−iθ_j G_j} B (A, B independent of θ_j); None when θ_j enters more
        than one factor."""
        uses = [f for f in self.factors(data) if f.param == j]
        return uses[0].generator() if len(uses) == 1 else None

    def shift_rule(self, j: int, data: Any = None) -> tuple[float, float] | None:
        """(shift s, coefficient r) of the two-term rule ∂_j C = r[C(θ+s e_j) − C(θ−s e_j)].

        r = (λ_max − λ_min)/2 over the generator's eigenvalues, s = π/(4r); (0, 0) when θ_j has no
        effect (one eigenvalue); ``None`` when the generator has more than two distinct
        eigenvalues (e.g. controlled rotations) or θ_j enters several factors.
        """
        uses = [f for f in self.factors(data) if f.param == j]
        if len(uses) != 1:
            return None
        lam = np.unique(np.round(uses[0].eigenvalues(), 10))
        if lam.size == 1:
            return (0.0, 0.0)
        if lam.size > 2:
            return None
        r = float(lam[-1] - lam[0]) / 2
        return (math.pi / (4 * r), r)

    def coupling_params(self, data: Any = None) -> tuple[int, ...] | None:
        """Parameters whose generator couples wires (a Pauli term of weight ≥ 2): with them at 0
        the gate is a product of single-wire gates. ``None`` when a fixed factor entangles (the
        gate cannot be switched off, e.g. CNOT)."""
        fs = self.factors(data)
        if any(isinstance(f, Fixed) and not _is_product(f.value()) for f in fs):
            return None
        return tuple(sorted({f.param for f in fs if f.param is not None and _couples(f)}))

    def generator_traces(self, j: int, data: Any = None) -> tuple[float, float, int] | None:
        """(Tr V, Tr V², dim) for V = 2i U†∂_jU = 2B†G_jB: (2 Tr G_j, 4 Tr G_j², 2**k)."""
        g = self.generator(j, data)
        if g is None:
            return None
        return float(2 * np.trace(g).real), float(4 * np.trace(g @ g).real), g.shape[0]


def _couples(f) -> bool:
    """Whether a generator has a Pauli component of weight >= 2."""
    if isinstance(f, PauliExp):
        return sum(1 for x in f.label if x != "I") >= 2
    g, k = f.generator(), f.n_wires
    for idx in np.ndindex(*(4,) * k):
        label = "".join("IXYZ"[i] for i in idx)
        if (
            sum(1 for x in label if x != "I") >= 2
            and abs(np.trace(pauli_matrix(label) @ g)) > 1e-10
        ):
            return True
    return False


def _is_product(m: np.ndarray) -> bool:
    """Whether a k-wire matrix is a tensor product of single-wire matrices (operator Schmidt rank
    1 across every wire | rest cut)."""
    k = int(np.log2(m.shape[0]))
    t = m.reshape((2,) * (2 * k))
    for w in range(k):
        rest = [i for i in range(k) if i != w]
        order = [w, k + w] + rest + [k + i for i in rest]
        r = np.linalg.matrix_rank(t.transpose(order).reshape(4, -1), tol=1e-10)
        if r > 1:
            return False
    return True


def _single_pauli(fs, attr):
    if len(fs) == 1 and isinstance(fs[0], PauliExp):
        return getattr(fs[0], attr)
    return None


@lru_cache(maxsize=4096)
def _factors(spec: GateSpec, data) -> tuple:
    return tuple(spec.factors_of(data) if spec.data_dependent else spec.factors_of())


@lru_cache(maxsize=4096)
def _fixed_product(spec: GateSpec, data) -> np.ndarray:
    return spec.numpy_matrix((), data)


# ----------------------------------------------------------------------------- registration
class GateDefinitionError(ValueError):
    """A gate definition the registry refuses (what is wrong, and what is allowed)."""


def register_gate(
    name: str,
    *,
    n_wires: int | None,
    factors: tuple | Callable[[Any], tuple],
    params: tuple[str, ...] = (),
    qasm: tuple[str, ...] | str = (),
    qasm_qubits: int | None = None,
    qasm_definition: str | None = None,
    check_data: Callable | None = None,
    inverse: Callable | None = None,
    doc: str = "",
) -> GateSpec:
    """Define a gate (see the module docstring).

    Args:
        name: the registry key (upper case letters, digits, underscore).
        n_wires: wires it acts on; ``None`` when ``check_data`` fixes it per operation.
        factors: the time-ordered factors (first acts first), or for a data-dependent gate a
            function ``factors(data) -> tuple``.
        params: parameter names, in order; factor ``param`` indices point into this tuple.
        qasm: OpenQASM name(s); the first is written on export.
        qasm_qubits: number of QASM qubit operands when it differs from ``n_wires`` (``gphase``).
        qasm_definition: ``gate`` body for exported programs when the gate is not in
            ``stdgates.inc`` (parameters by their names, qubits ``a, b, c …``).
        check_data: for data-dependent gates, ``check_data(wires, data) -> normalised data``.
        inverse: ``inverse(data) -> InverseRule`` when it is not derivable from the factors.

    Raises:
        GateDefinitionError: naming what is wrong with the definition.
    """
    qasm = (qasm,) if isinstance(qasm, str) else tuple(qasm)
    params = tuple(params)
    _require(
        isinstance(name, str)
        and bool(name)
        and name.replace("_", "").isalnum()
        and name == name.upper(),
        f"gate name must be upper-case letters, digits or '_'; got {name!r}.",
    )
    _require(name not in GATES, f"gate {name!r} is already registered.")
    taken = [q for q in qasm if q in _QASM_NAMES]
    _require(
        not taken,
        f"OpenQASM name(s) {taken} of {name} already belong to {[_QASM_NAMES[q] for q in taken]}.",
    )
    _require(len(set(params)) == len(params), f"{name}: parameter names repeat: {params}.")
    factors_of: Callable[..., tuple]
    if n_wires is None:
        _require(
            callable(factors) and check_data is not None,
            f"{name}: a gate without a fixed n_wires needs factors(data) and check_data.",
        )
        factors_of = cast(Callable[[Any], tuple], factors)  # callable, as just checked
    else:
        _require(
            isinstance(n_wires, int) and n_wires >= 1,
            f"{name}: n_wires must be an int >= 1 or None; got {n_wires!r}.",
        )
        _require(not callable(factors), f"{name}: give factors as a tuple (n_wires is fixed).")
        fs = tuple(cast(tuple, factors))  # not callable, as just checked
        _check_factors(name, fs, n_wires, len(params))

        def fixed_factors() -> tuple:
            return fs

        factors_of = fixed_factors
    spec = GateSpec(
        name,
        n_wires,
        params,
        qasm,
        factors_of,
        check_data,
        qasm_qubits,
        qasm_definition,
        inverse,
        doc,
    )
    GATES[name] = spec
    for q in qasm:
        _QASM_NAMES[q] = name
    return spec


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise GateDefinitionError(message)


def _check_factors(name: str, fs: tuple, n_wires: int, n_params: int) -> None:
    """Refuse factors of the wrong size or kind, non-Hermitian generators, non-unitary fixed
    factors and parameters that enter no factor."""
    _require(len(fs) >= 1, f"{name}: a gate needs at least one factor.")
    dim = 2**n_wires
    for f in fs:
        _require(
            isinstance(f, (PauliExp, Exp, Fixed)),
            f"{name}: factors must be PauliExp, Exp or Fixed; got {type(f).__name__}.",
        )
        if isinstance(f, PauliExp):
            _require(
                len(f.label) == n_wires and set(f.label) <= set("IXYZ"),
                f"{name}: Pauli label {f.label!r} needs one of I, X, Y, Z per wire ({n_wires}).",
            )
            _require(np.isfinite(f.coeff), f"{name}: Pauli coefficient must be finite.")
        else:
            m = f.value() if isinstance(f, Fixed) else f.generator()
            _require(
                m.shape == (dim, dim),
                f"{name}: a factor on {n_wires} wire(s) must be {dim}x{dim}; got {m.shape}.",
            )
            if isinstance(f, Exp):
                _require(
                    np.allclose(m, m.conj().T, atol=1e-12),
                    f"{name}: generator of parameter {f.param} is not Hermitian.",
                )
            else:
                _require(
                    np.allclose(m.conj().T @ m, np.eye(dim), atol=1e-10),
                    f"{name}: a fixed factor is not unitary.",
                )
        if f.param is not None:
            _require(
                0 <= f.param < n_params,
                f"{name}: factor parameter index {f.param} outside 0..{n_params - 1}.",
            )
    unused = sorted(set(range(n_params)) - {f.param for f in fs})
    _require(not unused, f"{name}: parameter(s) {unused} enter no factor.")


def qasm_gate(qasm_name: str) -> GateSpec | None:
    """The registered gate with this OpenQASM name, or None."""
    key = _QASM_NAMES.get(qasm_name)
    return GATES[key] if key else None


# ----------------------------------------------------------------------------- inverses
def inverse_rule(spec: GateSpec, data: Any = None) -> InverseRule | None:
    """How to write U(θ)† as one registered gate (see the module docstring), or None."""
    if spec.declared_inverse is not None:
        return spec.declared_inverse(data)
    return _derived_inverse(spec, data)


@lru_cache(maxsize=1024)
def _derived_inverse(spec: GateSpec, data) -> InverseRule | None:
    fs = spec.factors(data)
    if spec.n_params == 0:
        u = spec.numpy_matrix((), data)
        ud = u.conj().T
        if np.allclose(u, ud, atol=1e-12):
            return InverseRule(spec.name, (), data)
        for other in GATES.values():
            if (
                other.n_params == 0
                and not other.data_dependent
                and other.n_wires is not None
                and 2**other.n_wires == u.shape[0]
                and np.allclose(other.numpy_matrix(), ud, atol=1e-12)
            ):
                return InverseRule(other.name, ())
        return InverseRule("UNITARY", (), tuple(tuple(complex(x) for x in r) for r in ud))
    mapping = _foata_mirror(fs, spec.n_params)
    if mapping is None:
        return None
    return InverseRule(spec.name, tuple((src, -1.0, 0.0) for src in mapping), data)


def _adjoint(f):
    return Fixed(f.value().conj().T) if isinstance(f, Fixed) else f


def _foata_steps(word: list) -> list[list[int]]:
    """Cartier–Foata normal form: repeatedly take every factor with no earlier non-commuting one."""
    remaining = list(range(len(word)))
    steps = []
    while remaining:
        step = [
            i
            for k, i in enumerate(remaining)
            if all(factors_commute(word[j], word[i]) for j in remaining[:k])
        ]
        steps.append(step)
        remaining = [i for i in remaining if i not in step]
    return steps


def _foata_mirror(fs: tuple, n_params: int) -> tuple | None:
    """For each parameter k of the inverse, the parameter it negates; None if the reversed word
    of adjoint factors is not the gate's own word up to commuting neighbours."""
    if sorted(f.param for f in fs if f.param is not None) != list(range(n_params)):
        return None  # a parameter in several factors: no relabelling rule
    reverse = [_adjoint(f) for f in reversed(fs)]
    own, rev = _foata_steps(list(fs)), _foata_steps(reverse)
    if [len(s) for s in own] != [len(s) for s in rev]:
        return None
    source = [None] * n_params
    for a, b in zip(own, rev):
        pool = list(b)
        for i in a:
            match = next((j for j in pool if reverse[j].key() == fs[i].key()), None)
            if match is None:
                return None
            pool.remove(match)
            if fs[i].param is not None:
                source[fs[i].param] = reverse[match].param
    return tuple(source)
