"""Running Python in a fresh interpreter, for tests that need a new process (hash seeds,
persistent caches, the command line)."""

from __future__ import annotations

import subprocess
import sys


def run_python(*args: str, env: dict | None = None, timeout: float = 600) -> str:
    """``python *args`` in a fresh process (environment ``env``, or this one's); its standard
    output. Fails the test, with the process's standard error, when it exits non-zero."""
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
