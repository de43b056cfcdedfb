"""Memory-aware chunking shared by every batched computation: how many instances fit at once, and
the slices that cover a batch in chunks of that size.

A batch of B instances that each need ``bytes_per_item`` bytes of work arrays is processed in
chunks of ``chunk_size(budget, bytes_per_item) = max(1, budget // bytes_per_item)`` instances
(never fewer than one, so an instance larger than the budget still runs alone). Computations that
compile one function per chunk shape pad the batch to ``padded_total(B, size)``, a whole number of
chunks, so that the last chunk has the same shape as the others.
"""

from __future__ import annotations

__all__ = ["chunk_size", "chunk_slices", "padded_total"]


def chunk_size(budget_bytes: int, bytes_per_item: int, items: int | None = None) -> int:
    """Instances per chunk: ``max(1, min(items, budget_bytes // bytes_per_item))``.

    ``items`` (the batch size, optional) caps the chunk at the whole batch.
    """
    size = budget_bytes // bytes_per_item
    if items is not None:
        size = min(items, size)
    return max(1, size)


def chunk_slices(total: int, size: int) -> list[slice]:
    """Consecutive slices of ``size`` items covering ``range(total)`` (the last may be shorter)."""
    return [slice(start, start + size) for start in range(0, total, size)]


def padded_total(total: int, size: int) -> int:
    """``total`` rounded up to a whole number of chunks of ``size``: ⌈total / size⌉ · size."""
    return -(-total // size) * size
