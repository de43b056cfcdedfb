"""Seeds: every random draw of a study derives from the study seed through these two functions.

``task_seed`` gives a task its seed from the study seed and the task's grid point; ``derive_seed``
gives the independent seeds a task needs inside (one per instance, per part of the model, …).
Both go through numpy's ``SeedSequence`` (NEP 19), whose outputs are statistically independent
for different entropy words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["SEED_BITS", "derive_seed", "task_seed"]

SEED_BITS = 31
"""Seeds handed to tasks and models are in ``0 … 2**31 − 1`` (non-negative int32)."""


def task_seed(base_seed: int, point: Mapping[str, Any]) -> int:
    """Derive a task's seed from the study seed and the grid point.

    .. math:: s = \\mathrm{SeedSequence}([s_0,\\ h(\\text{point})])
              .\\mathrm{generate\\_state}(1) \\bmod 2^{31}

    with h the first 64 bits of SHA-256 of the point's canonical JSON. The seed depends on *what*
    the task computes, not on its position in the list, so adding a model to a config leaves the
    rows of the other models unchanged. Reference: numpy ``SeedSequence`` (NEP 19).
    """
    blob = json.dumps(sorted(point.items()), default=str).encode()
    digest = int.from_bytes(hashlib.sha256(blob).digest()[:8], "little")
    words = [int(base_seed) & 0xFFFFFFFF, int(base_seed) >> 32, digest & 0xFFFFFFFF, digest >> 32]
    return derive_seed(np.random.SeedSequence(words))


def derive_seed(*entropy: int | np.random.SeedSequence, bits: int = SEED_BITS) -> int:
    """An integer seed from entropy words, e.g. ``derive_seed(task.seed, instance)``.

    .. math:: s = \\mathrm{SeedSequence}([w_1, w_2, \\dots]).\\mathrm{generate\\_state}(1)
              \\bmod 2^{\\text{bits}}

    A single ``SeedSequence`` argument (e.g. a child from ``SeedSequence.spawn``) is used as it
    is. ``bits`` is 31 (a non-negative int32, what every ebp function accepts) or 32 (the whole
    generated word).
    """
    if bits not in (31, 32):
        raise ValueError(f"bits must be 31 or 32; got {bits!r}.")
    if len(entropy) == 1 and isinstance(entropy[0], np.random.SeedSequence):
        sequence = entropy[0]
    else:
        words = [w for w in entropy if not isinstance(w, np.random.SeedSequence)]
        if not entropy or len(words) != len(entropy):
            raise TypeError("give one SeedSequence, or one or more non-negative integers.")
        sequence = np.random.SeedSequence([int(w) for w in words])
    return int(sequence.generate_state(1, dtype=np.uint32)[0]) & ((1 << bits) - 1)
