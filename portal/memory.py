"""Python's cyclic garbage collector paused around bulk reads (a deposit file, a data file of works).

Speed: such a read makes hundreds of thousands of objects that all live on, so the collector's
passes (each over everything alive) cost a quarter of the read and found next to nothing: parsed
records hold no cycles. Reference counting frees nearly all the rest at once; the few cycles made
meanwhile are collected by one pass over the block's young objects at its end (else apply's
`gc.freeze` would keep them). Memory: without the full pass at the start, 10 deposit files' peak
memory in one worker rose from 1.05x to 1.29x that of one file; with it, 1.05x.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_garbage_collector() -> Iterator[None]:
    """The collector off for the block, on again after (if it was on)."""
    was_enabled = gc.isenabled()
    if was_enabled:
        # A full pass now, while the heap is small: the pause postpones the full passes that
        # earlier work's garbage (a previous apply's) waits for, which piled up file after file.
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)
