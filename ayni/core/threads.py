"""Producing items in a thread while the caller consumes them."""

import queue
import threading
from collections.abc import Iterator
from itertools import islice

_END = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


class ReadAhead:
    """Iterates `items` in a thread of its own, some chunks ahead of the caller.

    For a producer that does not touch the database (whose connections are per thread)
    and a consumer that waits on it: the two then overlap. An exception of the producer is
    raised in the caller; leaving the `with` block early stops the producer.

        with ReadAhead(parse(file)) as items:
            for item in items:
                write(item)
    """

    def __init__(self, items: Iterator, *, chunk: int = 500, depth: int = 64):
        self._items = items
        self._chunk = chunk
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="read-ahead", daemon=True)

    def __enter__(self) -> Iterator:
        self._thread.start()
        return self._consume()

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            while chunk := list(islice(self._items, self._chunk)):
                if not self._put(chunk):
                    return
            self._put(_END)
        except BaseException as error:  # noqa: BLE001 (handed to the caller, raised there)
            self._put(_Failed(error))

    def _consume(self) -> Iterator:
        while True:
            chunk = self._queue.get()
            if chunk is _END:
                return
            if isinstance(chunk, _Failed):
                raise chunk.error
            yield from chunk
