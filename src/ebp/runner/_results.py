"""Read a run folder back as a table, and write it as CSV or Parquet.

Reading goes through the store, not ``results.csv``: it works while a run is still going or
after it was killed, and it gives exactly the values the workers returned.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from ._store import ResultStore

__all__ = ["EXPORT_FORMATS", "export_results", "load_results"]

EXPORT_FORMATS = {".csv": "CSV", ".parquet": "Parquet", ".pq": "Parquet"}
"""File suffixes :func:`export_results` understands."""

PYARROW_MISSING = "writing Parquet needs pyarrow; install it with: pip install pyarrow"


def load_results(path: str | Path) -> pd.DataFrame:
    """The results table of a run folder: one row per measurement, finished tasks in task order.

    Works on a partly finished run (the rows of the tasks done so far).

    Args:
        path: A folder written by ``ebp run`` / :func:`ebp.runner.run_sweep`.

    Raises:
        StoreError: If ``path`` is not a run folder, or one of its files is damaged or foreign.

    Examples:
        >>> df = ebp.load_results("ebp-results/entanglement")            # doctest: +SKIP
        >>> df.groupby(["model", "n_qubits"])["entropy_bits"].mean()      # doctest: +SKIP
    """
    store = ResultStore.existing(path)
    return pd.DataFrame([row for record in store.records() for row in record["rows"]])


def export_results(path: str | Path, dest: str | Path) -> Path:
    """Write the results table of a run folder to ``dest``: ``.csv`` or ``.parquet``/``.pq``.

    Parquet keeps the column types and every float bit for bit; it needs ``pyarrow``.

    Returns:
        ``dest``.

    Raises:
        StoreError: If ``path`` is not a usable run folder.
        ValueError: If the suffix of ``dest`` is not one of :data:`EXPORT_FORMATS`.
        ImportError: For Parquet without pyarrow installed.
    """
    dest = Path(dest)
    suffix = dest.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        allowed = ", ".join(EXPORT_FORMATS)
        raise ValueError(f"cannot export to '{dest}': unknown suffix; use one of {allowed}.")
    if EXPORT_FORMATS[suffix] == "Parquet" and importlib.util.find_spec("pyarrow") is None:
        raise ImportError(PYARROW_MISSING)
    df = load_results(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if EXPORT_FORMATS[suffix] == "CSV":
        df.to_csv(dest, index=False)
    else:
        df.to_parquet(dest, engine="pyarrow", index=False)
    return dest
