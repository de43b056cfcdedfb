"""The simulator's input validation: clear, specific error messages."""

import re

import jax.numpy as jnp
import numpy as np
import pytest

import ebp
import ebp.sim._simulate as simulate_module
from ebp.ansatz import hardware_efficient
from ebp.circuit import CircuitBuilder


@pytest.fixture(scope="module")
def circ():
    return hardware_efficient(2, 1, 1)  # 3 qubits, 6 parameters


@pytest.fixture(scope="module")
def p6():
    return np.linspace(0.1, 0.6, 6)


# ----------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("fn", ["simulate", "expectation", "gradient", "expectation_and_gradient"])
def test_wrong_parameter_count_names_expected_and_got(fn, circ):
    args = () if fn == "simulate" else ("Z0",)
    msg = re.escape(
        "expected parameters of shape (..., 6) for this circuit (6 parameters); got shape (5,)."
    )
    with pytest.raises(ValueError, match=msg):
        getattr(ebp, fn)(circ, np.zeros(5), *args)


def test_wrong_parameter_count_batched(circ):
    with pytest.raises(
        ValueError, match=re.escape("(..., 6)") + ".*" + re.escape("got shape (2, 7)")
    ):
        ebp.simulate(circ, np.zeros((2, 7)))


def test_scalar_params(circ):
    with pytest.raises(ValueError, match=re.escape("got shape ()")):
        ebp.simulate(circ, 0.3)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_params_type_error(dtype, circ):
    with pytest.raises(TypeError, match=r"parameters must be real; got dtype complex"):
        ebp.simulate(circ, np.zeros(6, dtype=dtype))
    with pytest.raises(TypeError, match=r"parameters must be real"):
        ebp.gradient(circ, np.zeros(6, dtype=dtype), "Z0")


def test_integer_params_are_accepted(circ):
    out = ebp.simulate(circ, np.zeros(6, dtype=int))
    assert abs(complex(out[0]) - 1) < 1e-12


# ----------------------------------------------------------------------------- initial state
def test_initial_state_wrong_length(circ, p6):
    msg = re.escape("initial_state must have shape (..., 8) = (..., 2**3); got length 4.")
    with pytest.raises(ValueError, match=msg):
        ebp.simulate(circ, p6, np.ones(4) / 2)
    with pytest.raises(ValueError, match=msg):
        ebp.expectation(circ, p6, "Z0", np.ones((2, 4)) / 2)


def test_initial_state_scalar(circ, p6):
    with pytest.raises(ValueError, match="initial_state must have shape"):
        ebp.simulate(circ, p6, 1.0)


def test_incompatible_batch_shapes(circ):
    with pytest.raises(ValueError, match=r"(?i)broadcast"):
        ebp.simulate(circ, np.zeros((2, 6)), np.ones((3, 8)) / np.sqrt(8))


# ----------------------------------------------------------------------------- observables
@pytest.mark.parametrize("fn", ["expectation", "gradient", "expectation_and_gradient"])
def test_observable_out_of_range_wire(fn, circ, p6):
    msg = re.escape(
        "Pauli string 'Z0 X3' acts on wire(s) [3], out of range for a 3-qubit circuit "
        "(allowed 0..2)."
    )
    with pytest.raises(ValueError, match=msg):
        getattr(ebp, fn)(circ, p6, "Z0 X3")


def test_unknown_pauli_letter(circ, p6):
    msg = re.escape(
        "cannot read Pauli factor 'Q0' in 'Q0'; "
        "write a letter I, X, Y or Z followed by a wire number"
    )
    with pytest.raises(ValueError, match=msg):
        ebp.expectation(circ, p6, "Q0")
    with pytest.raises(ValueError, match=re.escape("cannot read Pauli factor 'ZZ'")):
        ebp.expectation(circ, p6, {"ZZ": 1.0})


def test_repeated_wire_in_pauli_string(circ, p6):
    with pytest.raises(
        ValueError, match=re.escape("wire 0 appears twice in Pauli string 'Z0 X0'.")
    ):
        ebp.expectation(circ, p6, "Z0 X0")


@pytest.mark.parametrize("coeff", [1j, 0.5 + 0.1j, float("nan"), float("inf")], ids=repr)
def test_non_hermitian_or_non_finite_coefficient(coeff, circ, p6):
    with pytest.raises(
        ValueError,
        match=r"observable is not Hermitian: coefficient of 'Z0 Z1' is .*real and finite",
    ):
        ebp.expectation(circ, p6, {"Z0 Z1": coeff})
    with pytest.raises(ValueError, match=r"observable is not Hermitian"):
        ebp.gradient(circ, p6, [(coeff, "Z0 Z1")])


def test_non_hermitian_matrix(circ, p6):
    m = np.diag([1.0, 2.0, 3.0, 4.0]).astype(complex)
    m[0, 1] = 1.0  # not mirrored
    with pytest.raises(
        ValueError, match=re.escape("observable matrix is not Hermitian: max |O − O†| = 1")
    ):
        ebp.expectation(circ, p6, m)
    with pytest.raises(ValueError, match="observable matrix is not Hermitian"):
        ebp.gradient(circ, p6, 1j * np.eye(4))


@pytest.mark.parametrize("shape", [(2, 2), (8, 8), (4, 2), (4,)])
def test_wrong_size_observable_matrix(shape, circ, p6):
    msg = re.escape(
        f"an observable matrix acts on the 2 visible qubit(s) and must be 4x4; got shape {shape}."
    )
    with pytest.raises(ValueError, match=msg):
        ebp.expectation(circ, p6, np.ones(shape))


@pytest.mark.parametrize(
    "obs", [3.0, None, {1, 2}, [("Z0", 1.0, 2)]], ids=["float", "None", "set", "bad-list"]
)
def test_bad_observable_type(obs, circ, p6):
    with pytest.raises(TypeError, match="observable must be a Pauli string"):
        ebp.expectation(circ, p6, obs)


def test_non_string_pauli_term(circ, p6):
    with pytest.raises(TypeError, match="Pauli string must be a str; got int 3"):
        ebp.expectation(circ, p6, [(1.0, 3)])


# ----------------------------------------------------------------------------- circuit / dtype
@pytest.mark.parametrize(
    "fn", ["simulate", "expectation", "gradient", "expectation_and_gradient", "state_function"]
)
def test_not_a_circuit(fn, p6):
    args = {"simulate": (p6,), "state_function": ()}.get(fn, (p6, "Z0"))
    with pytest.raises(TypeError, match=re.escape("expected an ebp Circuit; got str.")):
        getattr(ebp, fn)("not a circuit", *args)
    with pytest.raises(TypeError, match=re.escape("expected an ebp Circuit; got CircuitBuilder.")):
        getattr(ebp, fn)(CircuitBuilder(1, 0), *args)


@pytest.mark.parametrize("dtype", [jnp.float64, jnp.float32, np.int32, "int8"], ids=str)
def test_bad_dtype(dtype, circ, p6):
    with pytest.raises(ValueError, match=r"dtype must be complex128 or complex64; got "):
        ebp.simulate(circ, p6, dtype=dtype)
    with pytest.raises(ValueError, match=r"dtype must be complex128 or complex64"):
        ebp.gradient(circ, p6, "Z0", dtype=dtype)


# ----------------------------------------------------------------------------- memory
def test_too_large_system_reports_memory_needed(monkeypatch):
    """With the machine's memory patched to 128 MiB, a 22-qubit simulation (6 state-sized
    complex128 arrays = 384 MiB) must be refused with a message saying what it needs."""
    monkeypatch.setattr(simulate_module, "_physical_memory", lambda: 2**27)
    b = CircuitBuilder(22, 0)
    b.gate("RX", 0)
    c = b.build()
    msg = (
        re.escape(
            "simulating 22 qubits needs about 0.4 GiB per instance "
            "(6 state-sized arrays of 4194304 complex128)"
        )
        + r".*"
        + re.escape("this machine has 0.1 GiB.")
    )
    with pytest.raises(ValueError, match=msg):
        ebp.simulate(c, [0.1])
    with pytest.raises(ValueError, match=r"simulating 22 qubits needs about"):
        ebp.gradient(c, [0.1], "Z0")


def test_memory_check_counts_complex64_itemsize(monkeypatch):
    # 6 * 2**22 * 8 bytes = 192 MiB needed in complex64; 128 MiB available
    monkeypatch.setattr(simulate_module, "_physical_memory", lambda: 2**27)
    b = CircuitBuilder(22, 0)
    b.gate("RX", 0)
    with pytest.raises(ValueError, match=r"about 0\.2 GiB .*of 4194304 complex64"):
        ebp.simulate(b.build(), [0.1], dtype=jnp.complex64)


def test_memory_check_happens_before_allocating_any_state(monkeypatch):
    """The point of the check is to fail cleanly instead of running out of memory, so it must run
    before a state-sized array (e.g. the default |0…0⟩ of 2**n amplitudes) is allocated: with
    n = 30 that array alone is 16 GiB."""
    monkeypatch.setattr(simulate_module, "_physical_memory", lambda: 2**20)
    allocated = []
    real_zero_state = simulate_module.zero_state

    def spy(n, dtype=jnp.complex128):
        allocated.append(n)
        return real_zero_state(n, dtype)

    monkeypatch.setattr(simulate_module, "zero_state", spy)
    b = CircuitBuilder(16, 0)
    b.gate("RX", 0)
    with pytest.raises(ValueError, match="simulating 16 qubits needs about"):
        ebp.simulate(b.build(), [0.1])
    assert allocated == [], "a 2**n state was allocated before the memory check refused the run"
