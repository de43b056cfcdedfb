"""Shared test configuration for the ebp test suite.

* 64-bit JAX everywhere, as ``ebp.enable_x64()`` gives a program (``import ebp`` leaves the mode
  alone; ``test_precision.py`` checks the mode-off behaviour in its own interpreters or threads).
* ``tests/`` is put on ``sys.path`` so helper modules import as ``from reference import ...``.
* Seed policy: every random draw in the tests comes from an explicit ``numpy.random.default_rng``
  seeded from :data:`SEED` (the ``rng`` fixture derives a per-test seed from :data:`SEED` and the
  test's node id, so results do not depend on test order or on which tests are selected).
"""

import os
import sys
import zlib

# The dense reference simulator calls scipy.linalg.expm on tiny (≤ 16×16) matrices thousands of
# times; with a multi-threaded OpenBLAS on a busy machine each call can cost ~8 ms of thread
# hand-offs instead of ~10 µs. One BLAS thread is right for these sizes. This must run before
# scipy loads its BLAS; an explicit setting in the environment is respected.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

import numpy as np  # noqa: E402
import pytest  # noqa: E402

SEED = 20_211_103  # session-wide base seed; change it to re-draw every random input at once

TOLERANCE = {"complex128": 1e-10, "complex64": 1e-5}


def tolerance(dtype) -> float:
    """Absolute tolerance for comparing states/expectations computed in ``dtype``."""
    return TOLERANCE[np.dtype(dtype).name]


def seed_for(*keys) -> int:
    """A reproducible seed derived from :data:`SEED` and any hashable-as-text keys."""
    text = "|".join(str(k) for k in keys)
    return (SEED + zlib.crc32(text.encode())) % 2**32


@pytest.fixture
def rng(request) -> np.random.Generator:
    """A numpy Generator seeded from SEED and the test's node id (order independent)."""
    return np.random.default_rng(seed_for(request.node.nodeid))


@pytest.fixture(name="tolerance")
def tolerance_fixture():
    """The :func:`tolerance` helper as a fixture: ``tolerance(np.complex64) -> 1e-5``."""
    return tolerance
