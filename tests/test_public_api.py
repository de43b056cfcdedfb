"""The public API: every exported name exists, has a docstring, and the top level re-exports."""

import importlib
import re

import pytest

import ebp

SUBPACKAGES = [
    "ebp.circuit",
    "ebp.ansatz",
    "ebp.sim",
    "ebp.quantum_info",
    "ebp.theory",
    "ebp.runner",
    "ebp.landscape",
    "ebp.train",
    "ebp.train.pretrain",
    "ebp.qbm",
]


@pytest.mark.parametrize("modname", ["ebp", *SUBPACKAGES])
def test_all_names_exist_and_are_documented(modname):
    mod = importlib.import_module(modname)
    assert mod.__all__, f"{modname} exports nothing"
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj) and not isinstance(obj, dict):
            assert obj.__doc__ and obj.__doc__.strip(), f"{modname}.{name} has no docstring"


REQUIRED = [
    "simulate",
    "expectation",
    "gradient",
    "gue_evolution",
    "reduced_density_matrix",
    "schmidt_coefficients",
    "entanglement_entropy",
    "trace_distance_to_maximally_mixed",
    "pinsker_bound",
    "haar_state",
    "haar_unitary",
    "page_entropy",
    "haar_purity",
    "Circuit",
    "load_results",
]


@pytest.mark.parametrize("name", REQUIRED)
def test_issue_names_are_top_level(name):
    assert name in ebp.__all__ and hasattr(ebp, name)


def test_theory_names():
    from ebp import theory

    for name in [
        "page_entropy",
        "haar_purity",
        "haar_expectation_variance",
        "two_design_gradient_variance",
        "levy_tail_bound",
        "mean_trace_distance_bound",
    ]:
        assert name in theory.__all__


def test_ansatz_names():
    from ebp import ansatz

    for name in ["pauli_network", "hardware_efficient", "brickwork", "bounded_cut", "decoupled"]:
        assert name in ansatz.__all__


def test_landscape_names():
    from ebp import landscape

    for name in [
        "gradient_statistics",
        "fit_scaling",
        "value_and_gradient",
        "fidelity",
        "trace_distance",
        "relative_entropy",
        "linear",
        "cost_deviation_bound",
        "thermal_state",
        "identity_block_distribution",
    ]:
        assert name in landscape.__all__


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        ("ebp", "value_and_gradient", "ebp.expectation_and_gradient"),
        ("ebp.sim", "value_and_gradient", "ebp.sim.expectation_and_gradient"),
        ("ebp.sim", "gue_evolution", "ebp.quantum_info.gue_evolution"),
        ("ebp.sim", "gue_hamiltonian", "ebp.quantum_info.gue_hamiltonian"),
    ],
)
def test_former_spellings_warn_and_give_the_new_function(module, old, new):
    mod = importlib.import_module(module)
    assert old not in mod.__all__
    home, _, name = new.rpartition(".")
    with pytest.warns(DeprecationWarning, match="use " + re.escape(new)):
        got = getattr(mod, old)
    assert got is getattr(importlib.import_module(home), name)
