"""Timing for every benchmark: wall and CPU time per call, after a warm-up call."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    """Seconds per call: wall clock, and this process's CPU time, which shows the work itself when other
    processes share the cores (wall time then grows)."""

    wall: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def p95(self) -> float:
        return p95(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank (of 7 or 15 runs: the slowest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(fn: Callable[[int], object], runs: int, before: Callable[[int], object] | None = None) -> Timing:
    """Time `fn(i)` for i in 0..runs-1 after one untimed warm-up call `fn(0)` (imports, DuckDB's first
    plan); `before(i)`, when given, runs untimed ahead of each call (a write the call must then read)."""
    if before:
        before(runs)
    fn(0)
    wall, cpu = [], []
    for i in range(runs):
        if before:
            before(i)
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return Timing(wall, cpu)


def alternate(fns: list[Callable[[int], object]], runs: int) -> list[Timing]:
    """Time each of `fns` `runs` times, taking turns (fn 0, fn 1, ..., fn 0, ...) after one warm-up call
    each, so that a change in the machine's load falls on all of them alike."""
    for fn in fns:
        fn(0)
    times = [Timing([], []) for _ in fns]
    for i in range(runs):
        for fn, t in zip(fns, times, strict=True):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(i)
            t.wall.append(time.perf_counter() - t0)
            t.cpu.append(time.process_time() - c0)
    return times
