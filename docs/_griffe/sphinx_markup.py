"""Griffe extension for the API reference: the reStructuredText markup of ebp's docstrings as
Markdown for mkdocstrings.

The docstrings are Google style (sections ``Args:``, ``Returns:``, ``Raises:``, …) with the
reStructuredText markup Sphinx's napoleon reads, so that ``help()`` in a terminal stays plain
text. For the site this extension rewrites, in every docstring of the package once it is loaded:

* ``:func:`name```, ``:class:``, ``:mod:``, ``:data:``, ``:meth:``, ``:attr:``, ``:exc:`` →
  a link to the object's page, the name resolved in the scope of the object the docstring
  belongs to (``~`` shows the last component only). An ebp name that does not exist is a
  warning, so ``mkdocs build --strict`` fails on it; a dotted name from another package is
  shown as code;
* ``.. math::`` blocks → MathML (``latex2mathml``) that the browser draws without any script;
* a paragraph ending in ``::`` → ending in ``:`` (the indented block after it already is a
  Markdown code block).

It also gives the root package ``ebp`` the names it imports lazily (its ``_NAMES`` table, read by
``ebp.__getattr__`` on first access), so that ``ebp.enable_x64`` and the like have a page.
"""

from __future__ import annotations

import ast
import html
import importlib.util
import re
from typing import Any

import griffe
from latex2mathml.converter import convert as latex_to_mathml

_logger = griffe.get_logger("ebp.docs")

_ROLE = re.compile(r":(?:py:)?(func|class|mod|data|meth|attr|exc|obj):`(~?)([^`<]+?)`")
_MATH = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*(?P<first>.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _resolve(obj: griffe.Object, name: str) -> str | None:
    """Full path of ``name`` as written in ``obj``'s docstring, or None."""
    name = name.strip()
    if name.startswith("ebp.") or name == "ebp":
        return name
    if name.startswith("."):  # relative to the package of the module
        module = obj if obj.is_module else obj.module
        base = module.path if module.is_init_module else module.parent.path
        return base + name if name[1:] else base
    head, _, rest = name.partition(".")
    scope: griffe.Object | None = obj
    while scope is not None:
        try:
            target = scope.resolve(head)
        except griffe.NameResolutionError:
            scope = scope.parent
            continue
        return f"{target}.{rest}" if rest else target
    return None


def _canonical(obj: griffe.Object, path: str) -> str | None:
    """The path where the object ``path`` names is defined (through re-exports), or None if
    there is no such object."""
    try:
        target = obj.modules_collection[path]
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    try:
        return target.final_target.path if target.is_alias else target.path
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return path


def _external(name: str) -> bool:
    """Whether ``name`` is a dotted name from another package (``numpy.random.default_rng``,
    ``dask.distributed.LocalCluster``), shown as code without a link; the package need not be
    installed where the site is built."""
    head, dot, _ = name.lstrip("~").partition(".")
    return head != "ebp" and (bool(dot) or importlib.util.find_spec(head) is not None)


def _roles(obj: griffe.Object, text: str, where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        _role, short, name = match.groups()
        shown = name.rsplit(".", 1)[-1] if short else name
        path = _resolve(obj, name)
        if path is not None and not path.startswith("ebp"):
            return f"`{shown}`"  # resolved to an import from another package
        if path is None and _external(name):
            return f"`{shown}`"
        canonical = None if path is None else _canonical(obj, path)
        if canonical is None:
            _logger.warning("%s: cannot resolve the cross-reference %r", where, match.group(0))
            return f"`{shown}`"
        path = canonical  # autorefs knows every rendered object by its canonical path too
        # optional: a link where the target is on the site (private helpers are not).
        return f'<autoref identifier="{path}" optional><code>{html.escape(shown)}</code></autoref>'

    return _ROLE.sub(replace, text)


def _math(text: str, where: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _MATH.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = _indent(lines[i])
        body = [match.group("first")]
        i += 1
        while i < len(lines) and lines[i].strip() and _indent(lines[i]) > indent:
            body.append(lines[i].strip())
            i += 1
        latex = " ".join(part for part in body if part)
        try:
            mathml = latex_to_mathml(latex, display="block")
        except Exception as error:  # noqa: BLE001 - any parser failure is reported the same way
            _logger.warning("%s: cannot convert the math %r: %s", where, latex, error)
            mathml = f"<pre><code>{html.escape(latex)}</code></pre>"
        pad = lines[i - 1][:indent] if indent else ""
        # Block-level HTML must stand alone, between blank lines.
        out.extend(["", pad + f'<div class="math">{mathml}</div>', ""])
    return "\n".join(out)


def _literal_blocks(text: str) -> str:
    """``text::`` + indented block (reST) → ``text:`` + indented block (Markdown code)."""
    text = re.sub(r"(?m)^([ \t]*)::[ \t]*$", "", text)
    return re.sub(r"(?m)(\S)::[ \t]*$", r"\1:", text)


def _walk(obj: griffe.Object, seen: set[str]) -> Any:
    if obj.path in seen:
        return
    seen.add(obj.path)
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member, seen)


def _add_lazy_names(pkg: griffe.Module) -> None:
    """Aliases for the names ``pkg.__getattr__`` imports from its subpackages on first use."""
    table = pkg.members.get("_NAMES")
    if table is None or table.is_alias or not table.is_attribute:
        return
    try:
        names = ast.literal_eval(str(table.value))
    except (ValueError, SyntaxError):
        _logger.warning("%s: _NAMES is not a literal dict", pkg.relative_filepath)
        return
    for name, module in names.items():
        if name not in pkg.members:
            pkg.set_member(name, griffe.Alias(name, f"{pkg.path}.{module}.{name}"))


class SphinxMarkup(griffe.Extension):
    """Rewrites reST roles, math and literal-block markers of every docstring as Markdown."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _add_lazy_names(pkg)
        for obj in _walk(pkg, set()):
            if obj.docstring is None:
                continue
            where = f"{obj.relative_filepath}:{obj.docstring.lineno}"
            text = _math(obj.docstring.value, where)
            text = _literal_blocks(text)
            obj.docstring.value = _roles(obj, text, where)
