"""Double precision: ebp computes in complex128, which JAX allows only in its 64-bit mode.

JAX's 64-bit mode (``jax_enable_x64``) is one flag for a whole process: switched on, every JAX
array created without an explicit dtype becomes float64 / complex128, in ebp and in any other
JAX code (a float32 model beside an ebp circuit) alike. ``import ebp`` therefore leaves it as it
is. The caller chooses:

* :func:`enable_x64` once at the start of a program (the quick start and the ``ebp`` command do
  this), or ``JAX_ENABLE_X64=1`` in the environment; then ebp's default complex128 works;
* or leave the mode off and ask ebp for ``dtype=jnp.complex64`` where a dtype is taken.

Asking for complex128 (the default) while the mode is off raises one error that names the fix
(:func:`require_x64`): JAX would otherwise hand back complex64 arrays in silence. The study
runner's tasks compute inside :func:`x64_scope`, which switches the mode on for the calling
thread only, so a study runs in double precision whatever the caller chose.
"""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager

__all__ = ["X64_FIX", "enable_x64", "require_x64", "x64_enabled", "x64_scope"]

X64_FIX = (
    "call ebp.enable_x64() at the start of the program (or set JAX_ENABLE_X64=1 before JAX is "
    "imported), or ask for dtype=jax.numpy.complex64"
)
"""How to get out of the complex128-without-64-bit-mode error; part of its message."""


def enable_x64() -> None:
    """Switch JAX's 64-bit mode on for this process, so that ebp computes in complex128.

    This sets the process-wide flag ``jax_enable_x64``: every JAX array made afterwards without
    an explicit dtype is float64 / complex128, in ebp and in other JAX code. Before JAX is
    imported it sets ``JAX_ENABLE_X64=1`` in the environment, which JAX reads on import (and
    which processes started from this one inherit); JAX itself is not imported, so a program
    that calls this first starts as fast as before. Call it once, before making arrays.

    Examples:
        >>> import ebp
        >>> ebp.enable_x64()
        >>> ebp.haar_state(2, seed=0).dtype
        dtype('complex128')
    """
    jax = sys.modules.get("jax")
    if jax is None:
        os.environ["JAX_ENABLE_X64"] = "1"
    else:
        jax.config.update("jax_enable_x64", True)


def x64_enabled() -> bool:
    """True if JAX's 64-bit mode is on in the calling thread (imports JAX)."""
    import jax

    return bool(jax.config.jax_enable_x64)  # type: ignore[attr-defined]  # set at run time


def require_x64(what: str = "complex128") -> None:
    """Raise a ``RuntimeError`` naming the fix if JAX's 64-bit mode is off.

    Called wherever ebp is about to make a 64-bit array (``what`` names it), because with the
    mode off JAX silently makes a 32-bit one instead.
    """
    if not x64_enabled():
        raise RuntimeError(
            f"ebp was asked for {what} but JAX's 64-bit mode is off, so JAX would compute in "
            f"single precision; {X64_FIX}."
        )


def x64_scope() -> AbstractContextManager[None]:
    """A context in which JAX's 64-bit mode is on for the calling thread only.

    The process-wide flag is left as it was and is back in force when the block ends; programs
    traced inside are compiled for 64-bit mode and cached apart from the same programs outside.
    """
    import jax

    return jax.enable_x64(True)
