"""CircuitBuilder.gate accepts wires as separate arguments as well as one tuple."""

import numpy as np
import pytest

from ebp.circuit import CircuitBuilder


def _ops(build):
    b = CircuitBuilder(2, 1)
    build(b)
    return b.build().operations


def test_varargs_wires_equal_tuple_wires():
    as_varargs = _ops(lambda b: (b.gate("H", 0), b.gate("CNOT", 0, 1), b.gate("RZZ", 1, 2)))
    as_tuple = _ops(lambda b: (b.gate("H", (0,)), b.gate("CNOT", (0, 1)), b.gate("RZZ", (1, 2))))
    assert as_varargs == as_tuple
    assert [op.wires for op in as_varargs] == [(0,), (0, 1), (1, 2)]


def test_numpy_int_wires_as_varargs():
    ops = _ops(lambda b: b.gate("CZ", np.int64(2), np.int64(0)))
    assert ops[0].wires == (2, 0)


def test_tuple_and_varargs_mixed_is_refused():
    with pytest.raises(TypeError, match="either as one tuple or as separate ints"):
        CircuitBuilder(3, 0).gate("CNOT", (0, 1), 2)


def test_wrong_wire_count_still_named():
    with pytest.raises(ValueError, match="acts on 2 wire"):
        CircuitBuilder(3, 0).gate("CNOT", 0, 1, 2)
