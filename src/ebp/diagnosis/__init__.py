"""Bring your own circuit, get a trainability verdict: :func:`diagnose` measures, on the
circuit's visible light cone and at random parameters, the V|H entanglement against Page's value,
the concentration of ρ_V around I/d_V, gradient variances against their 2-design value, the
scaling with n_hidden (given a builder) and the shots a gradient needs, and applies a declared
rule (:data:`RULE`). See docs/diagnose.md::

    import ebp
    from ebp.ansatz import brickwork

    ebp.enable_x64()
    d = ebp.diagnose(brickwork(1, 5, 6), samples=100)
    d.verdict, d.reason
    d.to_html("diagnosis.html")
"""

from ._diagnose import REMEDIES, SHIFT_FACTOR, default_observables, diagnose
from ._load import DiagnoseInputError, load_circuit, parse_visible
from ._page import diagnosis_page
from ._result import FORMAT, Concentration, Diagnosis, EntropyPoint, GradientEvidence, Scaling
from ._rules import (
    CONFIDENCE,
    MIN_SEPARATION_BITS,
    RULE,
    RULES,
    SLOPE_POINTS,
    TWO_DESIGN_SLOPE,
    VERDICTS,
    Reading,
    Rule,
    reading,
    verdict,
)
from ._terminal import print_diagnosis

__all__ = [
    "CONFIDENCE",
    "FORMAT",
    "MIN_SEPARATION_BITS",
    "REMEDIES",
    "RULE",
    "RULES",
    "SHIFT_FACTOR",
    "SLOPE_POINTS",
    "TWO_DESIGN_SLOPE",
    "VERDICTS",
    "Concentration",
    "DiagnoseInputError",
    "Diagnosis",
    "EntropyPoint",
    "GradientEvidence",
    "Reading",
    "Rule",
    "Scaling",
    "default_observables",
    "diagnose",
    "diagnosis_page",
    "load_circuit",
    "parse_visible",
    "print_diagnosis",
    "reading",
    "verdict",
]
