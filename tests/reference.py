"""A tiny dense-matrix reference simulator, written independently of ebp's gate and kernel code.

Everything here is textbook linear algebra on full ``2**n × 2**n`` matrices:

* gate matrices are written out by hand (or built with ``scipy.linalg.expm`` from Pauli matrices
  defined in this file);
* a k-qubit gate on wires ``(w_1, …, w_k)`` of an n-qubit register is embedded with explicit
  Kronecker products with identities, big-endian (wire 0 is the leftmost kron factor and the most
  significant bit of the basis index). Gates on adjacent, increasing wires are embedded as
  ``I ⊗ G ⊗ I``; any other wire order goes through an explicit permutation matrix P built from
  bit manipulations: ``P† (G ⊗ I) P``. No reshapes of the state are used.

Only ``op.name``, ``op.wires``, ``op.slots`` and ``op.data`` of an ebp ``Operation`` are read.

The module also holds small generators of random test inputs (random circuits built with ebp's
public ``CircuitBuilder``, random states and Hermitian matrices); they draw only from the numpy
Generator they are given.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.linalg import expm

# ----------------------------------------------------------------------------- Pauli matrices
I2 = np.array([[1, 0], [0, 1]], dtype=complex)
PX = np.array([[0, 1], [1, 0]], dtype=complex)
PY = np.array([[0, -1j], [1j, 0]], dtype=complex)
PZ = np.array([[1, 0], [0, -1]], dtype=complex)
PAULI = {"I": I2, "X": PX, "Y": PY, "Z": PZ}


def kron_all(*factors) -> np.ndarray:
    out = np.ones((1, 1), dtype=complex)
    for f in factors:
        out = np.kron(out, f)
    return out


def pauli_string(label: str) -> np.ndarray:
    """Matrix of a Pauli string, first letter leftmost in the Kronecker product."""
    return kron_all(*(PAULI[ch] for ch in label))


# ----------------------------------------------------------------------------- gate matrices
def rx(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array([[c, -1j * s], [-1j * s, c]], dtype=complex)


def ry(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array([[c, -s], [s, c]], dtype=complex)


def rz(t):
    return np.array([[np.exp(-0.5j * t), 0], [0, np.exp(0.5j * t)]], dtype=complex)


def rxx(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array(
        [
            [c, 0, 0, -1j * s],
            [0, c, -1j * s, 0],
            [0, -1j * s, c, 0],
            [-1j * s, 0, 0, c],
        ],
        dtype=complex,
    )


def ryy(t):
    # Y⊗Y = [[0,0,0,-1],[0,0,1,0],[0,1,0,0],[-1,0,0,0]]
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array(
        [
            [c, 0, 0, 1j * s],
            [0, c, -1j * s, 0],
            [0, -1j * s, c, 0],
            [1j * s, 0, 0, c],
        ],
        dtype=complex,
    )


def rzz(t):
    a, b = np.exp(-0.5j * t), np.exp(0.5j * t)
    return np.diag([a, b, b, a]).astype(complex)


H = np.array([[1, 1], [1, -1]], dtype=complex) / np.sqrt(2)
S = np.array([[1, 0], [0, 1j]], dtype=complex)
T = np.array([[1, 0], [0, (1 + 1j) / np.sqrt(2)]], dtype=complex)
X = PX.copy()
Y = PY.copy()
Z = PZ.copy()
CNOT = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=complex)
CZ = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -1]], dtype=complex)
SWAP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex)


def pauli_rot(theta, coeff, label):
    """exp(−iθ·c·P) by a matrix exponential of the full Pauli string."""
    return expm(-1j * theta * coeff * pauli_string(label))


def _zyz(a, b, c):
    """R_Z(a) R_Y(b) R_Z(c) from matrix exponentials of Pauli matrices."""
    return expm(-0.5j * a * PZ) @ expm(-0.5j * b * PY) @ expm(-0.5j * c * PZ)


def su4(theta):
    """KAK block: (R(θ9..11)⊗R(θ12..14)) e^{−i(θ6 XX + θ7 YY + θ8 ZZ)} (R(θ0..2)⊗R(θ3..5))."""
    t = np.asarray(theta, dtype=float)
    assert t.shape == (15,)
    first = np.kron(_zyz(*t[0:3]), _zyz(*t[3:6]))
    core = expm(
        -1j * (t[6] * pauli_string("XX") + t[7] * pauli_string("YY") + t[8] * pauli_string("ZZ"))
    )
    last = np.kron(_zyz(*t[9:12]), _zyz(*t[12:15]))
    return last @ core @ first


def controlled(u, n_controls=1):
    """Block-diagonal diag(I, …, I, u): the controls are the first wires."""
    d = u.shape[0]
    out = np.eye(d * 2**n_controls, dtype=complex)
    out[-d:, -d:] = u
    return out


def phase(lam):
    return np.diag([1, np.exp(1j * lam)]).astype(complex)


def u3(theta, phi, lam):
    """OpenQASM's builtin U(θ, φ, λ) (= Qiskit's U3Gate), written out entry by entry."""
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array(
        [[c, -np.exp(1j * lam) * s], [np.exp(1j * phi) * s, np.exp(1j * (phi + lam)) * c]],
        dtype=complex,
    )


SX = np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]], dtype=complex) / 2
# Qiskit's documented ECR matrix is little-endian (qubit 0 = least significant); conjugating by
# SWAP gives it in ebp's order (first wire = most significant).
_ECR_LITTLE = np.array([[0, 1, 0, 1j], [1, 0, -1j, 0], [0, 1j, 0, 1], [-1j, 0, 1, 0]]) / np.sqrt(2)
ECR = SWAP @ _ECR_LITTLE @ SWAP
ISWAP = np.array([[1, 0, 0, 0], [0, 0, 1j, 0], [0, 1j, 0, 0], [0, 0, 0, 1]], dtype=complex)
CCX = np.eye(8, dtype=complex)[[0, 1, 2, 3, 4, 5, 7, 6]]
CSWAP = np.eye(8, dtype=complex)[[0, 1, 2, 3, 4, 6, 5, 7]]

FIXED = {
    "H": H,
    "X": X,
    "Y": Y,
    "Z": Z,
    "S": S,
    "T": T,
    "CNOT": CNOT,
    "CZ": CZ,
    "SWAP": SWAP,
    "ID": I2,
    "SDG": S.conj().T,
    "TDG": T.conj().T,
    "SX": SX,
    "SXDG": SX.conj().T,
    "CY": controlled(PY),
    "CH": controlled(H),
    "CCX": CCX,
    "CSWAP": CSWAP,
    "ECR": ECR,
    "ISWAP": ISWAP,
}
ROTATIONS = {
    "RX": rx,
    "RY": ry,
    "RZ": rz,
    "RXX": rxx,
    "RYY": ryy,
    "RZZ": rzz,
    "RZX": lambda t: expm(-0.5j * t * np.kron(PZ, PX)),
}
ROTATION_PAULI = {
    "RX": "X",
    "RY": "Y",
    "RZ": "Z",
    "RXX": "XX",
    "RYY": "YY",
    "RZZ": "ZZ",
    "RZX": "ZX",
}
PARAMETRISED = {
    "P": lambda t: phase(t[0]),
    "GPHASE": lambda t: np.exp(1j * t[0]) * I2,
    "U3": lambda t: u3(*t),
    "U2": lambda t: u3(np.pi / 2, t[0], t[1]),
    "CP": lambda t: controlled(phase(t[0])),
    "CRX": lambda t: controlled(rx(t[0])),
    "CRY": lambda t: controlled(ry(t[0])),
    "CRZ": lambda t: controlled(rz(t[0])),
    "CU": lambda t: controlled(np.exp(1j * t[3]) * u3(*t[:3])),
    "CU3": lambda t: controlled(u3(*t)),
}


def gate_matrix(name: str, theta=(), data=None) -> np.ndarray:
    """The reference matrix of one gate (acting on its wires in the order given)."""
    theta = np.asarray(theta, dtype=float).reshape(-1)
    if name in FIXED:
        return FIXED[name]
    if name in ROTATIONS:
        return ROTATIONS[name](theta[0])
    if name in PARAMETRISED:
        return PARAMETRISED[name](theta)
    if name == "PAULIROT":
        coeff, label = data
        return pauli_rot(theta[0], coeff, label)
    if name == "SU4":
        return su4(theta)
    if name == "UNITARY":
        return np.array(data, dtype=complex)
    # a gate registered later than this file: its registry matrix (checked on its own by the
    # gate contract tests against Qiskit or its OpenQASM definition)
    from ebp.circuit import GATES

    return np.asarray(GATES[name].numpy_matrix(theta, data))


# ----------------------------------------------------------------------------- embedding
def permutation_matrix(order, n: int) -> np.ndarray:
    """P with P|b_0 … b_{n−1}⟩ = |b_{order[0]} … b_{order[n−1]}⟩ (big-endian bit strings)."""
    return _permutation_matrix(tuple(int(o) for o in order), int(n)).copy()


@cache
def _permutation_matrix(order: tuple, n: int) -> np.ndarray:
    dim = 2**n
    p = np.zeros((dim, dim), dtype=complex)
    for x in range(dim):
        bits = [(x >> (n - 1 - w)) & 1 for w in range(n)]
        y = 0
        for j in range(n):
            y = (y << 1) | bits[order[j]]
        p[y, x] = 1.0
    return p


def embed(g: np.ndarray, wires, n: int) -> np.ndarray:
    """Full 2**n matrix of the k-qubit matrix ``g`` acting on ``wires`` (big-endian)."""
    wires = [int(w) for w in wires]
    k = len(wires)
    assert g.shape == (2**k, 2**k)
    assert len(set(wires)) == k and all(0 <= w < n for w in wires)
    if wires == list(range(wires[0], wires[0] + k)):
        return kron_all(np.eye(2 ** wires[0]), g, np.eye(2 ** (n - wires[0] - k)))
    order = wires + [w for w in range(n) if w not in wires]
    p = _permutation_matrix(tuple(order), n)
    return p.conj().T @ kron_all(g, np.eye(2 ** (n - k))) @ p


def op_unitary(op, params, n: int) -> np.ndarray:
    theta = np.asarray(params, dtype=float)[list(op.slots)] if op.slots else ()
    return embed(gate_matrix(op.name, theta, op.data), op.wires, n)


def reference_unitary(circuit, params) -> np.ndarray:
    n = circuit.n_visible + circuit.n_hidden
    u = np.eye(2**n, dtype=complex)
    for op in circuit.operations:
        u = op_unitary(op, params, n) @ u
    return u


def reference_state(circuit, params, initial_state=None) -> np.ndarray:
    """U(θ)|ψ₀⟩ by multiplying full embedded gate matrices, one operation at a time."""
    n = circuit.n_visible + circuit.n_hidden
    if initial_state is None:
        psi = np.zeros(2**n, dtype=complex)
        psi[0] = 1.0
    else:
        psi = np.array(initial_state, dtype=complex)
        assert psi.shape == (2**n,)
    for op in circuit.operations:
        psi = op_unitary(op, params, n) @ psi
    return psi


# ----------------------------------------------------------------------------- observables
def observable_matrix(obs, n: int, n_visible: int) -> np.ndarray:
    """Full matrix of an observable given as "Z0 X2", {string: coeff}, [(coeff, string)] or a
    matrix on the visible register (wires 0..n_visible−1)."""
    if isinstance(obs, np.ndarray):
        return np.kron(obs, np.eye(2 ** (n - n_visible)))
    if isinstance(obs, str):
        items = [(1.0, obs)]
    elif isinstance(obs, dict):
        items = [(c, s) for s, c in obs.items()]
    else:
        items = list(obs)
    total = np.zeros((2**n, 2**n), dtype=complex)
    for coeff, text in items:
        letters = ["I"] * n
        for tok in text.replace("@", " ").split():
            if tok.upper() == "I":
                continue
            letters[int(tok[1:])] = tok[0].upper()
        total += coeff * pauli_string("".join(letters))
    return total


def reference_expectation(circuit, params, obs, initial_state=None) -> float:
    n = circuit.n_visible + circuit.n_hidden
    psi = reference_state(circuit, params, initial_state)
    return float(np.real(np.vdot(psi, observable_matrix(obs, n, circuit.n_visible) @ psi)))


def reduced_visible(psi, n_visible: int, n: int) -> np.ndarray:
    """ρ_V = Tr_H |ψ⟩⟨ψ| by explicit sums over the hidden basis."""
    dv, dh = 2**n_visible, 2 ** (n - n_visible)
    rho = np.zeros((dv, dv), dtype=complex)
    for h in range(dh):
        col = np.array([psi[v * dh + h] for v in range(dv)])
        rho += np.outer(col, col.conj())
    return rho


# ----------------------------------------------------------------------------- random inputs
def random_state(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
    return v / np.linalg.norm(v)


def random_unitary(rng: np.random.Generator, k: int) -> np.ndarray:
    """Haar unitary on k qubits (QR of a Ginibre matrix with the phase fix)."""
    d = 2**k
    z = (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def random_diagonal_unitary(rng: np.random.Generator, k: int) -> np.ndarray:
    return np.diag(np.exp(1j * rng.uniform(0, 2 * np.pi, size=2**k)))


def random_hermitian(rng: np.random.Generator, d: int) -> np.ndarray:
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return (a + a.conj().T) / 2


ONE_QUBIT = ["H", "X", "Y", "Z", "S", "T", "RX", "RY", "RZ"]
TWO_QUBIT = ["CNOT", "CZ", "SWAP", "RXX", "RYY", "RZZ", "SU4"]
# the gates random circuits draw from by default (those the simulator tests were written for)
DEFAULT_GATES = sorted(ONE_QUBIT + TWO_QUBIT + ["PAULIROT", "UNITARY"])


def _n_wires(name):
    from ebp.circuit import GATES

    return GATES[name].n_wires


def add_random_gate(builder, rng: np.random.Generator, name: str, n: int, *, qasm_safe=False):
    """Append gate ``name`` on random distinct wires (random order) with random fixed data."""
    if name == "PAULIROT":
        k = int(rng.integers(1, min(n, 4) + 1))
        wires = [int(w) for w in rng.permutation(n)[:k]]
        label = "".join(rng.choice(list("IXYZ"), size=k))
        return builder.pauli_rotation(label, wires, float(rng.normal()))
    if name == "UNITARY":
        k = 1 if qasm_safe else int(rng.integers(1, min(n, 3) + 1))
        wires = [int(w) for w in rng.permutation(n)[:k]]
        m = random_diagonal_unitary(rng, k) if rng.random() < 0.3 else random_unitary(rng, k)
        return builder.unitary(m, wires)
    k = _n_wires(name)
    wires = [int(w) for w in rng.permutation(n)[:k]]
    return builder.gate(name, wires)


def random_circuit(
    rng: np.random.Generator,
    n_visible: int,
    n_hidden: int,
    n_ops: int,
    gates=None,
    *,
    share_prob: float = 0.15,
    layer_prob: float = 0.15,
    qasm_safe: bool = False,
):
    """A random circuit over ``gates`` (default: every gate), with some shared slots and layers."""
    from ebp.circuit import GATES, CircuitBuilder

    gates = DEFAULT_GATES if gates is None else list(gates)
    b = CircuitBuilder(n_visible, n_hidden)
    n = n_visible + n_hidden
    if n == 1:
        gates = [g for g in gates if g in ("PAULIROT", "UNITARY") or GATES[g].n_wires == 1]
    count = 0  # parameter slots used so far
    for _ in range(n_ops):
        if rng.random() < layer_prob:
            b.layer()
        name = str(rng.choice(gates))
        n_params = GATES[name].n_params
        if n_params and count >= 1 and rng.random() < share_prob:
            slots = [int(s) for s in rng.integers(0, count, size=n_params)]
            k = 2 if name == "PAULIROT" else _n_wires(name)
            wires = [int(w) for w in rng.permutation(n)[:k]]
            if name == "PAULIROT":
                used = b.pauli_rotation("X" * len(wires), wires, float(rng.normal()), slots=slots)
            else:
                used = b.gate(name, wires, slots=slots)
        else:
            used = add_random_gate(b, rng, name, n, qasm_safe=qasm_safe)
        count = max([count] + [s + 1 for s in used])
    return b.build()


def random_params(rng: np.random.Generator, circuit, batch=()) -> np.ndarray:
    return rng.uniform(-np.pi, np.pi, size=tuple(batch) + (circuit.n_params,))


def equal_up_to_phase(a, b, atol) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    k = int(np.argmax(np.abs(b)))
    if abs(b[k]) < 1e-12:
        return np.allclose(a, b, atol=atol)
    phase = a[k] / b[k]
    if abs(abs(phase) - 1) > 10 * atol:
        return False
    return np.allclose(a, phase * b, atol=atol)


def long_pauli_layer_circuit(
    rng: np.random.Generator,
    n_visible: int,
    n_hidden: int,
    layers: int = 2,
    per_layer: int = 40,
    share_prob: float = 0.2,
):
    """Layers made only of Pauli rotations (RX…RZZ and PauliRot with any labels, including
    identity letters, all-'I' and Y-heavy ones), long enough to be run as one scanned sequence
    of rotations; some slots are shared. Each layer has a different random structure."""
    from ebp.circuit import CircuitBuilder

    b = CircuitBuilder(n_visible, n_hidden)
    n = n_visible + n_hidden
    count = 0
    specials = ["I" * min(n, 3), "Y" * min(n, 3), "XIY"[: min(n, 3)], "YZ"[: min(n, 2)]]
    for _ in range(layers):
        b.layer()
        for k in range(per_layer):
            r = rng.random()
            slots = None
            if count and rng.random() < share_prob:
                slots = (int(rng.integers(0, count)),)
            if r < 0.3:
                name = str(rng.choice(["RX", "RY", "RZ", "RXX", "RYY", "RZZ"]))
                w = [int(x) for x in rng.permutation(n)[: (1 if name in ("RX", "RY", "RZ") else 2)]]
                used = b.gate(name, w, slots=slots)
            else:
                label = specials[k % len(specials)] if k < len(specials) else None
                if label is None:
                    size = int(rng.integers(1, min(n, 4) + 1))
                    label = "".join(rng.choice(list("IXYZ"), size=size))
                w = [int(x) for x in rng.permutation(n)[: len(label)]]
                used = b.pauli_rotation(label, w, float(rng.normal()), slots=slots)
            count = max([count] + [s + 1 for s in used])
    return b.build()
