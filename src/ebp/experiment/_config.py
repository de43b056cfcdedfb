"""The base of every study config, and the checks study configs share.

A study config is a frozen pydantic model that rejects unknown fields and has a ``seed``. The
checks are pydantic ``AfterValidator`` objects, put on a field with ``typing.Annotated``::

    class MyConfig(StudyConfig):
        models: Annotated[tuple[str, ...], distinct("model")] = ("brickwork",)
        n_hidden: Annotated[tuple[int, ...], hidden_sizes(11)] = (1, 2, 3)

Each raises ``ValueError`` with one sentence saying what was wrong and what is allowed; pydantic
reports it with the field's name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = ["StudyConfig", "distinct", "hidden_sizes", "sorted_floats", "sorted_ints"]


class StudyConfig(BaseModel):
    """Base of the study configs: frozen, unknown fields rejected, and the study ``seed``.

    Attributes:
        seed: Study seed, ``0 <= seed < 2**63``; every task seed derives from it and the
            task's grid point (:func:`ebp.experiment.task_seed`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = Field(
        0,
        ge=0,
        lt=2**63,
        description=(
            "Study seed, 0 <= seed < 2**63; every task seed derives from it and the task's grid "
            "point"
        ),
    )


def distinct(
    what: str = "entry", *, allow_empty: bool = False, choices: Sequence[str] = ()
) -> AfterValidator:
    """Entries kept in the given order; repeats (and, unless ``allow_empty``, an empty tuple)
    are a ValueError, whose message lists ``choices`` when given."""

    def check(values: tuple) -> tuple:
        if not values and not allow_empty:
            among = f" from {', '.join(choices)}" if choices else ""
            raise ValueError(f"give at least one {what}{among}, without repeats; got []")
        if len(set(values)) != len(values):
            raise ValueError(f"{what} values must not repeat; got {list(values)}")
        return values

    return AfterValidator(check)


def sorted_ints(lo: int, hi: int, what: str, *, allow_empty: bool = True) -> AfterValidator:
    """Integers each in ``lo..hi``, returned sorted without repeats; else a ValueError."""

    def check(values: tuple[int, ...]) -> tuple[int, ...]:
        bad = [x for x in values if not lo <= x <= hi]
        if bad or (not values and not allow_empty):
            raise ValueError(f"each {what} must be in {lo}..{hi}; got {bad or list(values)}")
        return tuple(sorted(set(values)))

    return AfterValidator(check)


def hidden_sizes(largest: int) -> AfterValidator:
    """Hidden-register sizes: at least one, each in ``1..largest``, sorted without repeats."""
    return sorted_ints(1, largest, "n_hidden", allow_empty=False)


def _short(x: float) -> str:
    """``1e4`` for large powers of ten, else the shortest ``g`` form."""
    if x >= 1000 and math.log10(x).is_integer():
        return f"1e{int(math.log10(x))}"
    return f"{x:g}"


def sorted_floats(
    lo: float, hi: float, what: str, *, open_interval: bool = False
) -> AfterValidator:
    """At least one finite number, each in ``[lo, hi]`` (``(lo, hi)`` if ``open_interval``),
    returned sorted without repeats; else a ValueError."""
    ends = f"{_short(lo)}, {_short(hi)}"
    interval = f"({ends})" if open_interval else f"[{ends}]"

    def inside(x: float) -> bool:
        if not math.isfinite(x):
            return False
        return lo < x < hi if open_interval else lo <= x <= hi

    def check(values: tuple[float, ...]) -> tuple[float, ...]:
        if not values or not all(inside(x) for x in values):
            raise ValueError(
                f"give at least one {what}, each finite in {interval}; got {list(values)}"
            )
        return tuple(sorted(set(values)))

    return AfterValidator(check)
