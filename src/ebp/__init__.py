"""ebp — entanglement-induced barren plateaus in QNNs and QBMs with visible and hidden units.

Conventions: visible qubits are wires ``0 … n_visible−1``, hidden qubits follow; states are
big-endian vectors of shape ``(..., 2**n)`` so that ``reshape(2**n_visible, 2**n_hidden)`` is the
V|H cut; entropies are in bits; numerics are JAX in complex128 unless asked otherwise.

complex128 needs JAX's 64-bit mode, a switch for the whole process that ``import ebp`` leaves
alone: call :func:`ebp.enable_x64` once at the start of a program (the ``ebp`` command does).
Without it, asking ebp for complex128 raises an error that says so.

The subpackages and the names below are imported on first use (``import ebp`` itself loads
neither JAX nor any layer, so the ``ebp`` command answers ``--help`` at once).

Reference: C. Ortiz Marrero, M. Kieferová, N. Wiebe, "Entanglement-induced barren plateaus",
PRX Quantum 2, 040316 (2021), arXiv:2010.15968.
"""

import importlib as _importlib

__version__ = "0.1.0"

_SUBPACKAGES = (
    "ansatz",
    "circuit",
    "diagnosis",
    "landscape",
    "qbm",
    "quantum_info",
    "sim",
    "theory",
    "train",
)

_NAMES = {
    "Circuit": "circuit",
    "CircuitBuilder": "circuit",
    "Operation": "circuit",
    "Diagnosis": "diagnosis",
    "diagnose": "diagnosis",
    "entanglement_entropy": "quantum_info",
    "gue_evolution": "quantum_info",
    "haar_state": "quantum_info",
    "haar_unitary": "quantum_info",
    "pinsker_bound": "quantum_info",
    "reduced_density_matrix": "quantum_info",
    "schmidt_coefficients": "quantum_info",
    "trace_distance_to_maximally_mixed": "quantum_info",
    "enable_x64": "_precision",
    "load_results": "runner",
    "expectation": "sim",
    "expectation_and_gradient": "sim",
    "gradient": "sim",
    "simulate": "sim",
    "state_function": "sim",
    "haar_purity": "theory",
    "page_entropy": "theory",
}

_MOVED = {"value_and_gradient": "expectation_and_gradient"}  # former name → its name in ebp.sim

__all__ = sorted([*_SUBPACKAGES, *_NAMES, "__version__"], key=str.lower)


def __getattr__(name: str):
    """Import a subpackage, or the subpackage that defines ``name``, on first access."""
    if name in _SUBPACKAGES:
        value = _importlib.import_module(f".{name}", __name__)
    elif name in _NAMES:
        value = getattr(_importlib.import_module(f".{_NAMES[name]}", __name__), name)
    elif name in _MOVED:
        import warnings

        new = _MOVED[name]
        warnings.warn(f"ebp.{name} is deprecated; use ebp.{new}.", DeprecationWarning, stacklevel=2)
        return getattr(_importlib.import_module(".sim", __name__), new)
    else:
        raise AttributeError(f"module 'ebp' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
