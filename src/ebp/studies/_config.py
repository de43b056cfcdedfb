"""Checks shared by the studies' config models (called from their pydantic validators)."""

from __future__ import annotations

__all__ = ["distinct", "hidden_sizes"]


def distinct(values: tuple, what: str = "entry") -> tuple:
    """``values`` unchanged if non-empty and without repeats, else ValueError."""
    if not values or len(set(values)) != len(values):
        raise ValueError(f"give at least one {what}, without repeats; got {list(values)}")
    return values


def hidden_sizes(values: tuple[int, ...], largest: int) -> tuple[int, ...]:
    """Sorted distinct hidden-register sizes, each in 1..``largest``, else ValueError."""
    if not values or any(not 1 <= x <= largest for x in values):
        raise ValueError(f"each n_hidden must be in 1..{largest}; got {list(values)}")
    return tuple(sorted(set(values)))
