"""Memory-aware chunking: chunk sizes respect the budget and the slices cover a batch once."""

import pytest

from ebp._chunks import chunk_size, chunk_slices, padded_total


@pytest.mark.parametrize(
    ("budget", "per_item", "items", "want"),
    [
        (100, 10, None, 10),
        (105, 10, None, 10),  # whole items only
        (5, 10, None, 1),  # an item larger than the budget still runs alone
        (100, 10, 4, 4),  # never more than the batch
        (100, 10, 0, 1),
    ],
)
def test_chunk_size(budget, per_item, items, want):
    assert chunk_size(budget, per_item, items) == want


@pytest.mark.parametrize("total", [0, 1, 6, 7, 8, 23])
@pytest.mark.parametrize("size", [1, 3, 8])
def test_chunk_slices_cover_the_batch_once_in_order(total, size):
    slices = chunk_slices(total, size)
    covered = [i for s in slices for i in range(total)[s]]
    assert covered == list(range(total))
    assert all(s.stop - s.start == size for s in slices)  # the last slice may run past the end
    padded = padded_total(total, size)
    assert padded % size == 0 and total <= padded < total + size
    assert len(slices) == padded // size
