"""A circuit as *data* for the structure-independent engine: two-qubit stages and their matrices.

Lowering (NumPy, once per circuit):

1. *Routing.* The wires' bits may move between positions of the amplitude index while the
   circuit runs. A two-qubit gate whose wires sit at positions p < q with q − p ≥ 2 first moves
   the bit at q next to p with SWAP(q−1, q), …, SWAP(p+1, p+2); every gate then acts on the
   positions its wires hold at that moment, and SWAPs at the end (a bubble sort) put every
   bit back, so the output is in the usual order. Two equal SWAPs in a row cancel. A gate on
   distant wires costs as many SWAPs as the distance minus one, and no SWAP back. So every
   gate acts on one position or on a neighbouring pair (p, p+1), and the compiled programs
   need one kernel per neighbouring pair and nothing else (see :mod:`ebp.sim._flat_engine`).
2. *Fusion.* The gates are fused greedily into *stages* on neighbouring pairs. A gate joins the
   latest stage whose wires it fits, provided it commutes with every stage after that one
   (disjoint wires, or both diagonal); otherwise it opens a new stage. A stage left on one wire
   is widened to a neighbouring pair with the identity.

Every stage is then one 4×4 matrix on its sorted wire pair (a, b), basis index 2·bit_a + bit_b:

.. math:: M_s(θ) = E_{g_J}(θ) ⋯ E_{g_1}(θ),

where E_g is gate g's matrix embedded in the pair (⊗ I for one-qubit gates, bit swap for gates
listed as (b, a)). Pauli rotations exp(−iθcP) are E = cos(θc) I − i sin(θc) P̃ with P̃ the embedded
Pauli string (closed form, NumPy); parameter-free gates are constant; any other parametrised gate
is evaluated through its registry function ``op.spec.matrix`` (one small compiled program per gate
kind that returns the matrices and their Jacobians ∂m/∂θ, shared by all circuits).

Gradients: with the stage cotangents M̄_s from the adjoint pass (JAX's convention, M̄[o, i] =
Σ ψ̄_o x_i), the product rule gives Ē_{g_j} = (E_{g_J}⋯E_{g_{j+1}})ᵀ M̄_s (E_{g_{j−1}}⋯E_{g_1})ᵀ and
then θ̄ = Re Σ Ē ⊙ ∂E/∂θ (for a real θ and JAX's cotangent convention), summed over the gates that
read each slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from ..circuit import Circuit, Operation, pauli_matrix

__all__ = ["FlatCircuit", "flatten", "parameter_gradient", "stage_matrices"]

GENERAL_CHUNK = 64  # gates per call of a gate kind's matrix-and-Jacobian program
LOOKBACK = 64  # stages a gate may move back past while looking for one to join (keeps O(gates))


# ----------------------------------------------------------------------------- lowering
@dataclass
class _Stage:
    wires: set
    ops: list
    diagonal: bool


def _routed(ops, n: int) -> list[Operation]:
    """``ops`` rewritten to act on neighbouring positions only (see the module docstring).

    ``at[p]`` is the wire whose bit sits at position p of the amplitude index, ``pos[w]`` the
    position of wire w; both start as the identity and end as it.
    """
    out: list[Operation] = []
    at, pos = list(range(n)), list(range(n))

    def swap(p: int) -> None:
        last = out[-1] if out else None
        if last is not None and last.name == "SWAP" and last.wires == (p, p + 1):
            out.pop()  # SWAP·SWAP = I
        else:
            out.append(Operation("SWAP", (p, p + 1)))
        at[p], at[p + 1] = at[p + 1], at[p]
        pos[at[p]], pos[at[p + 1]] = p, p + 1

    for op in ops:
        if len(op.wires) == 2:
            low, high = sorted(pos[w] for w in op.wires)
            for p in range(high - 1, low, -1):  # the later wire moves next to the earlier one
                swap(p)
        out.append(Operation(op.name, tuple(pos[w] for w in op.wires), op.slots, op.data))
    while any(at[p] > at[p + 1] for p in range(n - 1)):  # bubble sort back to the identity
        for p in range(n - 1):
            if at[p] > at[p + 1]:
                swap(p)
    return out


def _fits(stage_wires: set, op_wires: set) -> bool:
    union = stage_wires | op_wires
    return len(union) == 1 or (len(union) == 2 and max(union) - min(union) == 1)


def _fuse(ops) -> list[_Stage]:
    stages: list[_Stage] = []
    for op in ops:
        w = set(op.wires)
        target = None
        for st in reversed(stages[-LOOKBACK:]):
            if _fits(st.wires, w):
                target = st
                break
            if st.wires & w and not (st.diagonal and op.diagonal):
                break  # does not commute: the gate cannot move before this stage
        if target is None:
            stages.append(_Stage(set(w), [op], bool(op.diagonal)))
        else:
            target.ops.append(op)
            target.wires |= w
            target.diagonal = target.diagonal and bool(op.diagonal)
    return stages


def _pair(wires: set, n: int) -> tuple[int, int]:
    if len(wires) == 2:
        return tuple(sorted(wires))
    if not wires:  # only gates on no wire (a global phase)
        return (0, 1)
    (w,) = wires
    return (w, w + 1) if w + 1 < n else (w - 1, w)


@lru_cache(maxsize=4096)
def _embedding(op_wires: tuple[int, ...], pair: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Index table into the flattened gate matrix and mask:
    E[i, j] = m.flat[idx[i, j]]·mask[i, j]."""
    a, b = pair
    idx = np.zeros((4, 4), dtype=np.int64)
    mask = np.zeros((4, 4), dtype=bool)
    for i in range(4):
        for j in range(4):
            bi, bj = {a: i >> 1, b: i & 1}, {a: j >> 1, b: j & 1}
            spectators = [w for w in pair if w not in op_wires]
            if any(bi[w] != bj[w] for w in spectators):
                continue
            d = 2 ** len(op_wires)
            r = sum(bi[w] << (len(op_wires) - 1 - k) for k, w in enumerate(op_wires))
            c = sum(bj[w] << (len(op_wires) - 1 - k) for k, w in enumerate(op_wires))
            idx[i, j] = r * d + c
            mask[i, j] = True
    idx.flags.writeable = mask.flags.writeable = False
    return idx, mask


@lru_cache(maxsize=4096)
def _embedded_pauli(label: str, op_wires: tuple[int, ...], pair: tuple[int, int]) -> np.ndarray:
    return _embed(pauli_matrix(label), *_embedding(op_wires, pair))


def _embed(m: np.ndarray, idx: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Embed stacked gate matrices ``m`` (..., d, d) into (..., 4, 4)."""
    flat = m.reshape(m.shape[:-2] + (-1,))
    return flat[..., idx] * mask


def _hashable(data):
    try:
        hash(data)
        return data
    except TypeError:
        return None


@lru_cache(maxsize=256)
def _fixed_matrix(name: str, data) -> np.ndarray:
    return _evaluate_fixed(Operation(name, (), (), data))


def _evaluate_fixed(op: Operation) -> np.ndarray:
    """A parameter-free gate's matrix. When the registry function just returns a constant (the
    usual case), it is read off the traced function: evaluating it eagerly would compile."""

    def fn():
        return op.spec.matrix(np.zeros(0), op.data)

    closed = jax.make_jaxpr(fn)()
    out = closed.jaxpr.outvars[0]
    if not closed.jaxpr.eqns and out in closed.jaxpr.constvars:
        return np.asarray(closed.consts[closed.jaxpr.constvars.index(out)], dtype=np.complex128)
    with jax.ensure_compile_time_eval():
        return np.asarray(fn(), dtype=np.complex128)


@dataclass(frozen=True, eq=False)
class _General:
    """Parametrised gates of one kind (registry name and fixed data), not Pauli rotations."""

    name: str
    data: object
    gates: np.ndarray  # (G,) positions in the flat gate list
    slots: np.ndarray  # (G, p)
    idx: np.ndarray  # (G, 4, 4)
    mask: np.ndarray  # (G, 4, 4)


@dataclass(frozen=True, eq=False)
class FlatCircuit:
    """A circuit lowered to stages on wire pairs (see module docstring). All arrays are NumPy.

    Gates are numbered 0…G−1 in stage order; entry G of the gate table is the identity, used to
    pad ``grid``, whose row s lists stage s's gates in time order.
    """

    n_qubits: int
    n_params: int
    pairs: np.ndarray  # (S, 2) sorted wire pairs
    diagonal: np.ndarray  # (S,) bool
    grid: np.ndarray  # (S, J) gate indices, first gate first; G = identity padding
    n_gates: int
    constant: np.ndarray  # (G+1, 4, 4) embedded matrices of parameter-free gates (else identity)
    rot_gates: np.ndarray  # (R,) Pauli rotations: gate positions
    rot_slots: np.ndarray  # (R,)
    rot_coeffs: np.ndarray  # (R,)
    rot_paulis: np.ndarray  # (R, 4, 4) embedded Pauli strings
    general: tuple  # of _General

    @property
    def n_stages(self) -> int:
        return len(self.pairs)


def flattenable(circuit: Circuit) -> bool:
    """Whether every gate acts on at most two wires (larger gates run on the fused engine)."""
    return circuit.n_qubits >= 2 and all(len(op.wires) <= 2 for op in circuit.operations)


@lru_cache(maxsize=64)
def flatten(circuit: Circuit) -> FlatCircuit:
    """Lower ``circuit`` (gates on ≤ 2 wires, n ≥ 2) to a :class:`FlatCircuit`."""
    n = circuit.n_qubits
    stages = _fuse(_routed(circuit.operations, n))
    pairs = np.array([_pair(st.wires, n) for st in stages], dtype=np.int32).reshape(-1, 2)
    n_gates = sum(len(st.ops) for st in stages)
    width = max((len(st.ops) for st in stages), default=1)
    grid = np.full((len(stages), width), n_gates, dtype=np.int32)
    constant = np.broadcast_to(np.eye(4, dtype=np.complex128), (n_gates + 1, 4, 4)).copy()
    rot_g, rot_s, rot_c, rot_p = [], [], [], []
    general: dict = {}
    g = 0
    for s, st in enumerate(stages):
        pair = tuple(int(w) for w in pairs[s])
        for j, op in enumerate(st.ops):
            grid[s, j] = g
            idx, mask = _embedding(tuple(op.wires), pair)
            if op.pauli is not None and len(op.slots) == 1:
                rot_g.append(g)
                rot_s.append(op.slots[0])
                rot_c.append(op.coeff)
                rot_p.append(_embedded_pauli(op.pauli, tuple(op.wires), pair))
            elif not op.slots:
                data = _hashable(op.data)
                m = (
                    _fixed_matrix(op.name, data)
                    if data is not None or op.data is None
                    else _evaluate_fixed(op)
                )
                constant[g] = _embed(m, idx, mask)
            else:
                key = (
                    op.name,
                    _hashable(op.data),
                    id(op.data) if _hashable(op.data) is None else 0,
                )
                general.setdefault(key, (op.data, []))[1].append((g, op.slots, idx, mask))
            g += 1
    groups = tuple(
        _General(
            name,
            data,
            np.array([e[0] for e in items]),
            np.array([e[1] for e in items], dtype=np.int64),
            np.stack([e[2] for e in items]),
            np.stack([e[3] for e in items]),
        )
        for (name, _, _), (data, items) in general.items()
    )
    return FlatCircuit(
        n,
        circuit.n_params,
        pairs,
        np.array([st.diagonal for st in stages], dtype=bool),
        grid,
        n_gates,
        constant,
        np.asarray(rot_g, dtype=np.int64),
        np.asarray(rot_s, dtype=np.int64),
        np.asarray(rot_c, dtype=np.float64),
        np.asarray(rot_p, dtype=np.complex128).reshape(-1, 4, 4),
        groups,
    )


# ----------------------------------------------------------------------------- matrices
@lru_cache(maxsize=64)
def _general_program(name: str, data):
    """Compiled ``thetas (C, p) -> (m (C, d, d), ∂m/∂θ (C, p, d, d))`` for one gate kind."""
    spec = Operation(name, (), (), data).spec

    def one(theta):
        def m(t):
            return spec.matrix(t, data).astype(jnp.complex128)

        jac = jax.jacfwd(m)(theta)  # (d, d, p)
        return m(theta), jnp.moveaxis(jac, -1, 0)

    return jax.jit(jax.vmap(one))


def _factors(group: _General):
    """The registry's product-of-exponentials factors of the group's gate, or None."""
    try:
        return Operation(group.name, (), (), group.data).factors
    except (AttributeError, TypeError, ValueError):
        return None


def _factor_matrices(factors, thetas: np.ndarray, jacobian: bool = True):
    """U = f_m ⋯ f_1 and ∂U/∂θ_k in NumPy, for gates given as factors f = e^{−iθ_k G} (G from
    ``generator()``) or fixed unitaries; ∂f/∂θ_k = −iG f. ``thetas`` (N, p). Without
    ``jacobian`` the second output is None (a forward pass needs U alone)."""
    N, p = thetas.shape
    values: list[np.ndarray] = []
    generators: list = []  # (param, generator), or None for a fixed factor
    for f in factors:
        if getattr(f, "param", None) is None:
            m = np.asarray(f.matrix(np.zeros(p), np), dtype=np.complex128)
            values.append(np.broadcast_to(m, (N,) + m.shape))
            generators.append(None)
            continue
        g = np.asarray(f.generator(), dtype=np.complex128)
        lam, v = np.linalg.eigh(g)
        phases = np.exp(-1j * thetas[:, f.param, None] * lam)  # (N, d)
        values.append((v * phases[:, None, :]) @ v.conj().T)
        generators.append((f.param, g))
    prefix = [values[0]]
    for m in values[1:]:
        prefix.append(m @ prefix[-1])
    if not jacobian:
        return prefix[-1], None
    d = prefix[-1].shape[-1]
    jac = np.zeros((N, p, d, d), dtype=np.complex128)
    suffix = np.broadcast_to(np.eye(d, dtype=np.complex128), (N, d, d))
    for j in range(len(values) - 1, -1, -1):
        if generators[j] is not None:
            k, g = generators[j]
            jac[:, k] += suffix @ (-1j * g) @ prefix[j]
        suffix = suffix @ values[j]
    return prefix[-1], jac


@cache
def _probe(width: int) -> np.ndarray:
    """A fixed direction that keys parameter rows of ``width`` entries (see _distinct_rows)."""
    return np.random.default_rng(0).standard_normal(width)


def _distinct_rows(rows: np.ndarray):
    """``(unique, inverse)`` with ``unique[inverse] == rows`` exactly, when at most half the rows
    are distinct; else None. Rows are keyed by a fixed projection (a 1-D sort, much faster than
    sorting whole rows) and the result is verified, so a shared key can only cost speed."""
    if len(rows) < 8:
        return None
    _, first, inverse = np.unique(
        rows @ _probe(rows.shape[1]), return_index=True, return_inverse=True
    )
    if 2 * len(first) > len(rows):
        return None
    unique, inverse = rows[first], inverse.reshape(-1)
    return (unique, inverse) if np.array_equal(unique[inverse], rows) else None


def _general_matrices(group: _General, thetas: np.ndarray, jacobian: bool = True):
    """Matrices and Jacobians of a group's gates at ``thetas`` (B, G, p): from the registry's
    factors in NumPy when the gate has them, else with its compiled matrix function. Without
    ``jacobian`` the Jacobians are None."""
    B, G, p = thetas.shape
    distinct = _distinct_rows(thetas.reshape(B * G, p))
    if distinct is not None:
        # Batches of shifted or repeated parameters (parameter-shift rules, finite differences,
        # padding) repeat most gates: build each distinct gate once. Rows are independent, so
        # the numbers are the same as without this.
        unique, inverse = distinct
        m, j = _general_matrices(group, unique[:, None, :], jacobian)
        m = m[:, 0][inverse].reshape((B, G) + m.shape[-2:])
        return m, None if j is None else j[:, 0][inverse].reshape((B, G) + j.shape[-3:])
    factors = _factors(group)
    if factors:
        m, j = _factor_matrices(factors, thetas.reshape(B * G, p).astype(np.float64), jacobian)
        d = m.shape[-1]
        return m.reshape(B, G, d, d), None if j is None else j.reshape(B, G, p, d, d)
    flat = thetas.reshape(B * G, p).astype(np.float64)
    total = flat.shape[0]
    pad = (-total) % GENERAL_CHUNK
    flat = np.concatenate([flat, np.zeros((pad, p))]) if pad else flat
    fn = _general_program(group.name, group.data)
    ms, js = [], []
    for i in range(0, flat.shape[0], GENERAL_CHUNK):
        m, j = fn(flat[i : i + GENERAL_CHUNK])
        ms.append(np.asarray(m))
        js.append(np.asarray(j))
    m = np.concatenate(ms)[:total]
    d = m.shape[-1]
    if not jacobian:
        return m.reshape(B, G, d, d), None
    return m.reshape(B, G, d, d), np.concatenate(js)[:total].reshape(B, G, p, d, d)


def gate_matrices(flat: FlatCircuit, params: np.ndarray, jacobian: bool = True):
    """Embedded matrices of all gates (B, G+1, 4, 4) and what their derivatives need (the
    general gates' Jacobians only with ``jacobian``)."""
    B = params.shape[0]
    table = np.broadcast_to(flat.constant, (B,) + flat.constant.shape).copy()
    angles = params[:, flat.rot_slots] * flat.rot_coeffs  # (B, R)
    if len(flat.rot_gates):
        c, s = np.cos(angles)[..., None, None], np.sin(angles)[..., None, None]
        table[:, flat.rot_gates] = c * np.eye(4) - 1j * s * flat.rot_paulis
    jacobians = []
    for group in flat.general:
        m, jac = _general_matrices(group, params[:, group.slots], jacobian)
        table[:, group.gates] = _embed_each(m, group.idx, group.mask)
        jacobians.append(jac)
    return table, angles, jacobians


def _embed_each(m: np.ndarray, idx: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """m (B, G, d, d) with per-gate index tables (G, 4, 4) -> (B, G, 4, 4)."""
    flat = m.reshape(m.shape[:2] + (-1,))
    out = np.take_along_axis(
        flat, np.broadcast_to(idx.reshape(1, len(idx), 16), (m.shape[0], len(idx), 16)), axis=2
    )
    return out.reshape(m.shape[:2] + (4, 4)) * mask


def stage_matrices(flat: FlatCircuit, params: np.ndarray, jacobian: bool = True):
    """Stage matrices M (B, S, 4, 4) at ``params`` (B, P), and the data their pullback needs
    (complete only with ``jacobian``: a forward pass alone needs none of it)."""
    table, angles, jacobians = gate_matrices(flat, params, jacobian)
    J = flat.grid.shape[1]
    prefix = [table[:, flat.grid[:, 0]]]  # prefix[j] = E_j ⋯ E_0
    for j in range(1, J):
        prefix.append(table[:, flat.grid[:, j]] @ prefix[-1])
    return prefix[-1], (table, angles, jacobians, prefix)


def parameter_gradient(flat: FlatCircuit, saved, stage_cotangents: np.ndarray) -> np.ndarray:
    """θ̄ (B, P) from the stage cotangents M̄ (B, S, 4, 4); see the module docstring."""
    table, angles, jacobians, prefix = saved
    J = flat.grid.shape[1]
    B = stage_cotangents.shape[0]
    gate_ct = np.zeros((B, flat.n_gates + 1, 4, 4), dtype=np.complex128)
    suffix_t = None  # (E_{J−1} ⋯ E_{j+1})ᵀ M̄
    for j in range(J - 1, -1, -1):
        left = stage_cotangents if suffix_t is None else suffix_t
        ct_j = left if j == 0 else left @ np.swapaxes(prefix[j - 1], -1, -2)
        gate_ct[:, flat.grid[:, j]] = ct_j  # each gate sits in one cell of the grid
        e_j = table[:, flat.grid[:, j]]
        suffix_t = np.swapaxes(e_j, -1, -2) @ left
    grad = np.zeros((B, flat.n_params), dtype=np.float64)
    if len(flat.rot_gates):
        ct = gate_ct[:, flat.rot_gates]  # (B, R, 4, 4)
        # dE/da = −sin a I − i cos a P̃;  ā = Re Σ Ē ⊙ dE/da
        trace = np.einsum("brii->br", ct)
        proj = np.einsum("brij,rij->br", ct, flat.rot_paulis)
        da = np.real(-np.sin(angles) * trace - 1j * np.cos(angles) * proj)
        np.add.at(grad, (slice(None), flat.rot_slots), da * flat.rot_coeffs)  # type: ignore[arg-type]
    for group, jac in zip(flat.general, jacobians):
        ct = gate_ct[:, group.gates] * group.mask  # (B, G, 4, 4)
        d = jac.shape[-1]
        m_ct = np.zeros(ct.shape[:2] + (d * d,), dtype=np.complex128)
        rows = np.arange(len(group.gates))[:, None]
        for b in range(B):
            np.add.at(
                m_ct[b],
                (rows, group.idx.reshape(len(group.gates), 16)),
                ct[b].reshape(len(group.gates), 16),
            )
        m_ct = m_ct.reshape(ct.shape[:2] + (d, d))
        g = np.real(np.einsum("bgij,bgpij->bgp", m_ct, jac))
        for k in range(group.slots.shape[1]):
            np.add.at(grad, (slice(None), group.slots[:, k]), g[:, :, k])  # type: ignore[arg-type]
    return grad
