"""Structure checks (not timings): the adjoint gradient's memory and the traced program size must
not grow with circuit depth, because layers of identical structure are run with ``lax.scan`` and
the reverse pass uncomputes the state instead of storing it."""

import jax
import jax.extend.core
import jax.numpy as jnp
import numpy as np
import pytest

import ebp
from ebp.ansatz import hardware_efficient, pauli_network
from ebp.sim import as_observable
from ebp.sim._observables import expectation_of_state


def _grad_fn(circuit, obs="Z0"):
    f = ebp.sim.state_function(circuit)
    o = as_observable(obs, circuit.n_qubits, circuit.n_visible)
    psi0 = ebp.sim.zero_state(circuit.n_qubits)

    def energy(p):
        return expectation_of_state(o, f(p, psi0), circuit.n_qubits, circuit.n_visible)

    return jax.grad(energy)


def _temp_bytes(circuit) -> int:
    g = _grad_fn(circuit)
    p = jnp.zeros(circuit.n_params)
    stats = jax.jit(g).lower(p).compile().memory_analysis()
    assert stats is not None and hasattr(stats, "temp_size_in_bytes"), (
        "the CPU backend must report memory_analysis(); without it this check cannot run"
    )
    return int(stats.temp_size_in_bytes)


@pytest.mark.slow
def test_adjoint_memory_does_not_grow_with_depth():
    """Compiled temp memory of the gradient for 2 vs 40 layers of hardware_efficient.

    Storing the intermediate states (plain reverse-mode through the scan) would add at least one
    state per extra layer, i.e. ≥ 38 states. What may legitimately grow with depth is the small
    per-layer parameter data (gate operands and their cotangents: a few hundred bytes per
    parameter). n = 12 is used rather than 10 so that a state (64 KiB) clearly dominates that
    parameter-sized data: at n = 10 a state is only 16 KiB and the O(depth·params) operands alone
    (~0.2 MB for 760 extra parameters) give a temp ratio of ~2.3 without any state being stored.
    """
    n_v, n_h = 6, 6
    shallow_c, deep_c = hardware_efficient(n_v, n_h, 2), hardware_efficient(n_v, n_h, 40)
    shallow, deep = _temp_bytes(shallow_c), _temp_bytes(deep_c)
    state_bytes = 16 * 2 ** (n_v + n_h)
    assert deep / shallow < 2, (shallow, deep)
    extra_layers = 40 - 2
    # growth is far below one stored state per extra layer ...
    assert deep - shallow < 0.25 * extra_layers * state_bytes, (shallow, deep)
    # ... and the deep circuit's work space is a handful of states
    assert deep < 16 * state_bytes, (deep, state_bytes)


def _n_eqns(jaxpr) -> int:
    """Equations in a closed jaxpr, counting those inside sub-jaxprs (scan bodies, custom rules)."""
    total = 0
    for eqn in jaxpr.eqns:
        total += 1
        for v in eqn.params.values():
            subs = v if isinstance(v, (tuple, list)) else (v,)
            for s in subs:
                if isinstance(s, jax.extend.core.ClosedJaxpr):
                    total += _n_eqns(s.jaxpr)
                elif isinstance(s, jax.extend.core.Jaxpr):
                    total += _n_eqns(s)
    return total


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [lambda L: hardware_efficient(3, 3, L), lambda L: pauli_network(2, 1, L, seed=0)],
    ids=["hardware_efficient", "pauli_network"],
)
def test_traced_program_size_does_not_grow_with_depth(make):
    sizes = {}
    for layers in (2, 50):
        c = make(layers)
        g = _grad_fn(c, {"Z0 Z1": 0.5, "X2": 1.0})
        jaxpr = jax.make_jaxpr(g)(jnp.zeros(c.n_params))
        sizes[layers] = (len(jaxpr.jaxpr.eqns), _n_eqns(jaxpr.jaxpr))
    top2, all2 = sizes[2]
    top50, all50 = sizes[50]
    assert top50 / top2 < 1.2, sizes
    assert all50 / all2 < 1.2, sizes


def test_one_segment_per_repeated_structure():
    prog = ebp.sim.compile_circuit(hardware_efficient(3, 3, 50))
    assert len(prog.segments) == 1 and prog.segments[0].n_layers == 50


def test_deep_circuit_gradient_spot_check():
    """The deep circuit used above still computes the right gradient (spot check vs FD)."""
    c = hardware_efficient(2, 1, 12)
    p = np.random.default_rng(8).uniform(-np.pi, np.pi, c.n_params)
    g = np.asarray(ebp.gradient(c, p, "Z0"))
    k = c.n_params // 3
    e = np.eye(c.n_params)[k]
    h = 1e-5
    fd = (
        float(ebp.expectation(c, p + h * e, "Z0")) - float(ebp.expectation(c, p - h * e, "Z0"))
    ) / (2 * h)
    assert abs(g[k] - fd) < 1e-7
