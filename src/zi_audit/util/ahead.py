"""Items produced by a thread of their own, handed over in batches.

A first scan walks the share in Python while worker processes judge the files it finds:
with the walk in its own thread, the workers are fed while it goes on.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")


def ahead(items: Iterator[T], cancel: threading.Event, batch: int = 64) -> Generator[T, None, None]:
    """`items`, produced by a thread of their own: on a first scan the main thread hands
    files to the workers while the walk goes on (the walk is Python, the judging happens
    in other processes; waiting on workers releases the GIL). Batches keep the hand-over
    cheap. The walk's error, if any, is raised here. If the consumer stops early (Ctrl-C,
    an error of its own), `cancel` is set so that the walk stops at its next folder
    instead of running on through the share."""
    q: queue.Queue[list[T] | None] = queue.Queue(maxsize=256)
    failed: list[BaseException] = []

    def produce() -> None:
        chunk: list[T] = []
        size = 1  # the first files go at once, so that the workers start; then batches grow
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= size:
                    q.put(chunk)
                    chunk = []
                    size = min(batch, size * 2)
            q.put(chunk)
        except BaseException as exc:  # handed to the main thread below
            failed.append(exc)
        finally:
            q.put(None)

    thread = threading.Thread(target=produce, name="zi-audit-walk", daemon=True)
    thread.start()
    try:
        while (chunk := q.get()) is not None:
            yield from chunk
    finally:
        cancel.set()  # a no-op when the walk has ended; else it ends at its next folder
        while thread.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                q.get(timeout=0.1)
        thread.join()
    if failed:
        raise failed[0]
