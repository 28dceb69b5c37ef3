import threading

import pytest

from ayni.core.threads import ReadAhead


def test_items_arrive_in_order_from_another_thread():
    producers = set()

    def numbers():
        for n in range(2_000):
            producers.add(threading.current_thread())
            yield n

    with ReadAhead(numbers(), chunk=7, depth=2) as items:
        assert list(items) == list(range(2_000))
    assert threading.current_thread() not in producers


def test_an_error_of_the_producer_is_raised_in_the_caller():
    def failing():
        yield 1
        raise ValueError("línea 2")

    with pytest.raises(ValueError, match="línea 2"), ReadAhead(failing(), chunk=1) as items:
        assert next(items) == 1
        next(items)


def test_leaving_early_stops_the_producer():
    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    reader = ReadAhead(endless(), chunk=10, depth=2)
    with reader as items:
        assert next(items) == 0
    assert not reader._thread.is_alive()
    assert len(produced) < 100
