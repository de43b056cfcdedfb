"""A study's config as text: the field list for ``ebp run STUDY --help``, a commented TOML to
start from (``ebp config STUDY``), and reading a config file back (TOML, or the ``config.json``
a run wrote).

Everything is read from the study's pydantic config model: field names, types, defaults, and
one-line meanings (each field's ``description``, else its entry in the model's
``Attributes:`` section).
"""

from __future__ import annotations

import inspect
import json
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

__all__ = ["ConfigError", "config_fields", "config_toml", "read_config_file"]


class ConfigError(ValueError):
    """A config file that cannot be read or does not validate; the message is user-facing."""


def _attribute_docs(model) -> dict[str, str]:
    """``name -> text`` from the ``Attributes`` sections of the model's class docstrings (its
    own first, then its base classes')."""
    out: dict[str, str] = {}
    for cls in model.__mro__:
        for name, text in _attributes_section(cls.__dict__.get("__doc__")).items():
            out.setdefault(name, text)
    return out


def _attributes_section(doc: str | None) -> dict[str, str]:
    """The entries of a Google-style ``Attributes:`` section: a line ``name: text`` (or
    ``name (type): text``) one level in, continued by more deeply indented lines."""
    lines = inspect.cleandoc(doc or "").splitlines()
    try:
        start = lines.index("Attributes:") + 1
    except ValueError:
        return {}
    out: dict[str, str] = {}
    name = None
    for line in lines[start:]:
        if line and not line[0].isspace():
            break  # the next section (or text after the section)
        entry = re.match(r"^ {4}(\w+)(?: \([^)]*\))?:\s*(.*)$", line)
        if entry:
            name = entry.group(1)
            out[name] = entry.group(2).strip()
        elif line.strip() and name is not None:
            out[name] = (out[name] + " " + line.strip()).strip()
    return out


def _first_sentence(text: str) -> str:
    """The first sentence of ``text`` (a full stop outside parentheses), without rST markup."""
    text = " ".join(text.split())
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", text).replace("``", "")
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "." and depth <= 0 and (i + 1 == len(text) or text[i + 1] == " "):
            if not re.search(r"\b(e\.g|i\.e|cf|vs|et al)$", text[:i]):
                return text[:i]
    return text.rstrip(".")


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " | ".join("None" if a is type(None) else _type_name(a) for a in args)
    if origin is tuple:
        inner = _type_name(args[0]) if args else "any"
        return f"list of {inner}" if len(args) == 2 and args[1] is Ellipsis else "list"
    if origin is typing.Annotated:
        return _type_name(args[0])
    return getattr(annotation, "__name__", str(annotation))


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def config_fields(study) -> list[dict[str, str]]:
    """One dict per config field: ``name``, ``type``, ``default``, ``quick`` and ``meaning``."""
    model = study.config_model
    docs = _attribute_docs(model)
    default, quick = study.default_config(), study.quick_config()
    rows = []
    for name, info in model.model_fields.items():
        meaning = info.description or docs.get(name, "")
        rows.append(
            {
                "name": name,
                "type": _type_name(info.annotation),
                "default": _show(getattr(default, name)),
                "quick": _show(getattr(quick, name)),
                "meaning": _first_sentence(meaning),
            }
        )
    return rows


def config_toml(study, *, quick: bool = False) -> str:
    """A complete, commented TOML config of ``study`` (its defaults, or its quick config).

    Each field gets a comment line with its type and meaning; fields whose value is ``None``
    (TOML has no null) are written commented out. The text reads back with
    :func:`read_config_file` to the same config.
    """
    import tomlkit

    cfg = study.quick_config() if quick else study.default_config()
    doc = tomlkit.document()
    which = "quick" if quick else "default"
    doc.add(tomlkit.comment(f"ebp {study.name}: the {which} config. Use it with"))
    doc.add(tomlkit.comment(f"  ebp run {study.name} --config THIS_FILE"))
    doc.add(
        tomlkit.comment("Every field is optional: omitted ones keep the default config's value")
    )
    doc.add(tomlkit.comment("(the quick config's with --quick)."))
    values = cfg.model_dump(mode="json")
    for row in config_fields(study):
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(f"{row['name']} ({row['type']}): {row['meaning'] or 'see docs'}"))
        value = values[row["name"]]
        if value is None:
            doc.add(tomlkit.comment(f"{row['name']} = ...   (unset: none)"))
        else:
            doc.add(row["name"], value)
    return tomlkit.dumps(doc)


def read_config_file(path: Path, study: str | None = None) -> dict[str, Any]:
    """The config fields in a TOML file, or in the ``config.json`` a run wrote.

    JSON is recognised by the ``.json`` suffix; a run's record (``{"study": …, "config": {…}}``)
    gives its ``config`` (refused if it records another study than ``study``), a plain JSON
    object is taken as the fields themselves.

    Raises:
        ConfigError: If the file is missing or cannot be parsed; the message names the file.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} not found.")
    text = path.read_text()
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError(f"config file {str(path)!r} is not valid JSON: {err}.") from None
        if isinstance(data, dict) and isinstance(data.get("config"), dict) and "study" in data:
            if study is not None and data["study"] != study:
                raise ConfigError(
                    f"config file {str(path)!r} is the record of a "
                    f"{data['study']!r} run, not of {study!r}."
                )
            data = data["config"]
        if not isinstance(data, dict):
            raise ConfigError(f"config file {str(path)!r} must hold a JSON object of fields.")
        return data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {err}.") from None
