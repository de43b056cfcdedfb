"""JAX's persistent compilation cache in a folder of the user's cache directory.

Compiled XLA programs are written to disk and found again by later processes on the same
machine (a second ``ebp run``, every worker of a process pool or Dask cluster), so a program is
compiled once per machine rather than once per process.

* folder: ``$EBP_CACHE_DIR`` if set, else ``<user cache dir>/ebp/jax`` (``~/.cache/ebp/jax`` on
  Linux, honouring ``$XDG_CACHE_HOME``; from :func:`platformdirs.user_cache_dir`). Deleting it is
  always safe: programs are then compiled again.
* ``EBP_NO_CACHE=1`` switches it off.
* A folder the user already gave JAX (``jax.config.jax_compilation_cache_dir`` or
  ``$JAX_COMPILATION_CACHE_DIR``) is left as it is.

JAX by default only stores programs that took at least one second to compile; ebp's programs are
built to compile in well under that, so both thresholds are lowered to store every program.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

__all__ = ["cache_folder", "enable_persistent_cache"]

_OFF_VALUES = {"1", "true", "yes", "on"}


def cache_folder() -> Path | None:
    """The folder ebp uses for compiled programs, or None when ``EBP_NO_CACHE`` is set."""
    if os.environ.get("EBP_NO_CACHE", "").strip().lower() in _OFF_VALUES:
        return None
    explicit = os.environ.get("EBP_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ebp", appauthor=False)) / "jax"


def enable_persistent_cache() -> Path | None:
    """Point JAX's persistent compilation cache at :func:`cache_folder` (see module docstring).

    Returns the folder in use (the user's own if one was configured), or None when off.
    """
    folder = cache_folder()
    if folder is None:
        return None
    configured = jax.config.jax_compilation_cache_dir  # type: ignore[attr-defined]  # set at run time
    if configured:
        return Path(configured)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home, etc.: run without a persistent cache
        return None
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    return folder
