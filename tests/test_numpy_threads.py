"""NumPy's BLAS is held to one thread while the flat engine's passes run, from a width on."""

from __future__ import annotations

import threading

from threadpoolctl import threadpool_info

from ebp.sim._numpy_threads import BLAS_LIMIT_FROM_QUBITS, blas_limit, single_threaded_blas


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_blas_limit_holds_one_thread_from_the_threshold_and_restores():
    before = _blas_threads()
    assert before, "NumPy's BLAS is not visible to threadpoolctl"
    with blas_limit(BLAS_LIMIT_FROM_QUBITS):
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
    with blas_limit(BLAS_LIMIT_FROM_QUBITS - 1):
        assert _blas_threads() == before


def test_the_limit_is_counted_across_threads():
    """The last user to leave restores the original limit, whichever thread entered first."""
    before = _blas_threads()
    entered, release = threading.Event(), threading.Event()

    def other():
        with single_threaded_blas():
            entered.set()
            release.wait(10)

    worker = threading.Thread(target=other)
    worker.start()
    entered.wait(10)
    with single_threaded_blas():
        release.set()
        worker.join(10)
        assert _blas_threads() == [1] * len(before)  # the other user left; this one remains
    assert _blas_threads() == before
