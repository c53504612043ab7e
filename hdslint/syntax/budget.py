"""A time budget for one file (or one module): past it, the work is abandoned and reported.

Parsers and the evaluator are bounded (depth, sizes, expansion counts), so this is the last
guard against an input that is slow for a reason nobody foresaw. It uses a real-time interval
timer, so it only works in the main thread on Unix; elsewhere it does nothing (the bounds still
hold)."""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

DEFAULT_SECONDS = 10.0


class BudgetExceeded(Exception):
    pass


@contextlib.contextmanager
def limit(seconds: float | None) -> Iterator[None]:
    usable = (seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds or 0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
