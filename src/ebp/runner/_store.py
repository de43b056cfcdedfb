"""The result store: a run folder that survives being killed at any moment.

Layout::

    out_dir/run.json            {"format": "ebp-run/1", "study", "ebp_version", "n_tasks", "config"}
    out_dir/tasks/<key>.json    {"format": "ebp-task/1", "study", "key", "index", "seed",
                                 "point", "rows"}   one file per finished task

``<key>`` is :attr:`ebp.experiment.Task.key`, a hash of (study, point, seed). Every file is written
whole or not at all: to a temporary file in the same folder, flushed and fsync-ed, then moved into
place with :func:`os.replace` (atomic on POSIX and Windows). So after a crash each task file is
either complete or absent, and a task is done exactly when its file exists. Leftover temporary
files (``*.tmp``) are never read and are removed when the folder is opened again. Only one process
(the one that runs the sweep) writes; workers only return rows.

Rows are dicts of JSON scalars (str, int, float, bool, None). ``json`` writes floats with
``repr``, so they read back bit for bit, NaN and ±inf included.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..experiment import Task

__all__ = ["RUN_FORMAT", "TASK_FORMAT", "ResultStore", "StoreError", "json_rows", "write_atomic"]

RUN_FORMAT = "ebp-run/1"
"""Format tag of ``run.json``."""
TASK_FORMAT = "ebp-task/1"
"""Format tag of a task file."""
MANIFEST = "run.json"
TASKS = "tasks"
_KEY = re.compile(r"[0-9a-f]{16}")

Row = dict[str, Any]


class StoreError(ValueError):
    """A run folder that cannot be used as asked; the message names the file and the problem."""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new one, never a part.

    The text goes to ``<name>.<random>.tmp`` in the same folder, is flushed and fsync-ed, and is
    then renamed over ``path`` with :func:`os.replace`.
    """
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _scalar(value: Any) -> Any:
    """``value`` as a plain Python JSON scalar; numpy/JAX scalars are unwrapped with ``.item()``."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()
    for kind in (bool, int, float, str):  # bool first: it is an int
        if isinstance(value, kind):
            return kind(value)
    if value is None:
        return None
    raise TypeError(type(value).__name__)


def json_rows(rows: Iterable[Mapping[str, Any]], where: str) -> list[Row]:
    """Rows as lists of dicts of plain Python JSON scalars; ``where`` names the task for errors.

    Raises:
        TypeError: If ``rows`` is not an iterable of dicts with str keys and scalar values.
    """
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
        raise TypeError(f"{where} must return a list of dict rows; got {type(rows).__name__}.")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"{where}: row {i} is a {type(row).__name__}, not a dict.")
        clean = {}
        for k, v in row.items():
            if not isinstance(k, str):
                raise TypeError(f"{where}: row {i} has a non-str column name {k!r}.")
            try:
                clean[k] = _scalar(v)
            except TypeError as err:
                raise TypeError(
                    f"{where}: row {i}, column {k!r} holds a {err}; rows hold JSON scalars "
                    "(str, int, float, bool, None)."
                ) from None
        out.append(clean)
    return out


def _read_json(path: Path, what: str, hint: str = "") -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise StoreError(f"cannot read {what} '{path}': {err.strerror or err}.") from None
    try:
        data = json.loads(raw)
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        raise StoreError(
            f"{what} '{path}' is not valid JSON ({err}); it may be truncated or edited{hint}."
        ) from None
    if not isinstance(data, dict):
        raise StoreError(f"{what} '{path}' holds a JSON {type(data).__name__}, not an object.")
    return data


def _task_key(study: str, point: Mapping[str, Any], seed: int) -> str:
    """:attr:`Task.key` recomputed from a stored task (JSON lists stand in for tuples)."""
    return Task(study, 0, seed, tuple(sorted(point.items()))).key


def _differences(stored: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    missing = object()
    out = []
    for name in sorted(set(stored) | set(current), key=lambda k: (k not in current, k)):
        a, b = stored.get(name, missing), current.get(name, missing)
        if a != b:
            there = "(absent)" if a is missing else json.dumps(a)
            now = "(absent)" if b is missing else json.dumps(b)
            out.append(f"{name}: {there} there, {now} now")
    return out


class ResultStore:
    """A run folder: the manifest ``run.json`` and one file per finished task.

    Open one with :meth:`create_or_resume` (to run a sweep) or :meth:`existing` (to read it).
    """

    def __init__(self, root: Path, manifest: dict[str, Any]):
        self.root = root
        self.manifest = manifest
        self.tasks_dir = root / TASKS

    @property
    def study(self) -> str:
        """Name of the study the folder belongs to."""
        return self.manifest["study"]

    # ---------------------------------------------------------------- opening

    @classmethod
    def existing(cls, root: str | Path) -> ResultStore:
        """Open a run folder for reading.

        Raises:
            StoreError: If ``root`` is not a folder with a valid ``run.json``.
        """
        root = Path(root)
        if not (root / MANIFEST).is_file():
            why = "does not exist" if not root.exists() else f"has no {MANIFEST}"
            raise StoreError(f"'{root}' is not an ebp run folder: it {why}.")
        return cls(root, cls._read_manifest(root / MANIFEST))

    @classmethod
    def create_or_resume(
        cls,
        root: str | Path,
        *,
        study: str,
        config: dict[str, Any],
        n_tasks: int,
        version: str,
        fresh: bool = False,
    ) -> ResultStore:
        """Start a run folder, or reopen one that holds a run of the same study and config.

        Args:
            root: The run folder (created if missing).
            study: Study name.
            config: The config as JSON data (``model.model_dump(mode="json")``).
            n_tasks: Number of tasks of the run (recorded for readers).
            version: ebp version (recorded).
            fresh: Discard the stored run (manifest and task files) instead of resuming it.

        Raises:
            StoreError: If the folder holds a run of another study or config (and ``fresh`` is
                false), or a ``run.json`` that is not ebp's.
        """
        root = Path(root)
        config = json.loads(json.dumps(config))  # tuples → lists, as stored
        manifest_path = root / MANIFEST
        if fresh:
            cls._discard(root)
        if manifest_path.exists():
            store = cls(root, cls._read_manifest(manifest_path))
            if store.study != study:
                raise StoreError(
                    f"'{root}' holds a run of study '{store.study}', not '{study}'; "
                    "use another output folder (--out)."
                )
            diff = _differences(store.manifest["config"], config)
            if diff:
                raise StoreError(
                    f"'{root}' holds a run of '{study}' with another config "
                    f"({'; '.join(diff)}); use another output folder (--out), or --fresh "
                    "(fresh=True) to discard the stored results."
                )
            store.tasks_dir.mkdir(exist_ok=True)
            store._clean_temporary()
            return store
        tasks_dir = root / TASKS
        if tasks_dir.is_dir() and any(tasks_dir.glob("*.json")):
            raise StoreError(
                f"'{tasks_dir}' holds task files but '{manifest_path}' is missing; "
                "use another output folder (--out), or --fresh (fresh=True) to discard them."
            )
        tasks_dir.mkdir(parents=True, exist_ok=True)
        manifest = {
            "format": RUN_FORMAT,
            "study": study,
            "ebp_version": version,
            "n_tasks": int(n_tasks),
            "config": config,
        }
        store = cls(root, manifest)
        store._clean_temporary()
        write_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
        return store

    @staticmethod
    def _read_manifest(path: Path) -> dict[str, Any]:
        data = _read_json(path, "run manifest")
        if data.get("format") != RUN_FORMAT:
            raise StoreError(
                f"'{path}' is not an ebp run manifest (format {data.get('format')!r}, "
                f"expected {RUN_FORMAT!r})."
            )
        if not isinstance(data.get("study"), str) or not isinstance(data.get("config"), dict):
            raise StoreError(f"run manifest '{path}' lacks a study name or a config object.")
        return data

    @classmethod
    def _discard(cls, root: Path) -> None:
        """Remove an ebp manifest and the task files (only files this store writes)."""
        if (root / MANIFEST).exists():
            cls._read_manifest(root / MANIFEST)  # never delete another program's run.json
            (root / MANIFEST).unlink()
        tasks_dir = root / TASKS
        if tasks_dir.is_dir():
            for path in tasks_dir.iterdir():
                if path.suffix == ".tmp" or (path.suffix == ".json" and _KEY.fullmatch(path.stem)):
                    path.unlink(missing_ok=True)

    def _clean_temporary(self) -> None:
        for folder in (self.root, self.tasks_dir):
            if folder.is_dir():
                for path in folder.glob("*.tmp"):
                    path.unlink(missing_ok=True)

    # ---------------------------------------------------------------- tasks

    def path(self, key: str) -> Path:
        """Where the task with this key is stored."""
        return self.tasks_dir / f"{key}.json"

    def finished(self) -> list[str]:
        """Keys of the finished tasks (files named ``<16 hex digits>.json``), sorted."""
        if not self.tasks_dir.is_dir():
            return []
        return sorted(p.stem for p in self.tasks_dir.glob("*.json") if _KEY.fullmatch(p.stem))

    def save(self, task: Task, rows: list[Row]) -> None:
        """Store a finished task's rows (plain JSON scalars, see :func:`json_rows`)."""
        record = {
            "format": TASK_FORMAT,
            "study": task.study,
            "key": task.key,
            "index": task.index,
            "seed": task.seed,
            "point": task.params,
            "rows": rows,
        }
        write_atomic(self.path(task.key), json.dumps(record, separators=(",", ":")) + "\n")

    def load(self, key: str) -> dict[str, Any]:
        """The stored record of one task, checked against its file name and this run.

        Raises:
            StoreError: If the file is not valid JSON, not an ebp task file, of another study, or
                its contents do not hash to its file name.
        """
        path = self.path(key)
        data = _read_json(path, "task file", "; delete it to recompute that task")
        if data.get("format") != TASK_FORMAT:
            raise StoreError(
                f"'{path}' is not an ebp task file (format {data.get('format')!r}, "
                f"expected {TASK_FORMAT!r})."
            )
        if data.get("study") != self.study:
            raise StoreError(
                f"task file '{path}' belongs to study {data.get('study')!r}, but the run folder "
                f"holds '{self.study}'."
            )
        point, seed, rows = data.get("point"), data.get("seed"), data.get("rows")
        if not (
            isinstance(point, dict)
            and isinstance(seed, int)
            and isinstance(data.get("index"), int)
            and isinstance(rows, list)
            and all(isinstance(r, dict) for r in rows)
        ):
            raise StoreError(
                f"task file '{path}' lacks a point object, an integer seed and index, "
                "or a list of row objects."
            )
        if data.get("key") != key:
            raise StoreError(
                f"task file '{path}' holds key {data.get('key')!r} but is named for {key!r}."
            )
        if _task_key(self.study, point, seed) != key:
            raise StoreError(
                f"task file '{path}' does not match its key: its point and seed hash to "
                f"{_task_key(self.study, point, seed)!r}, not {key!r}."
            )
        return data

    def records(self) -> list[dict[str, Any]]:
        """Every stored task record, ordered by task index."""
        return sorted((self.load(k) for k in self.finished()), key=lambda r: r["index"])
