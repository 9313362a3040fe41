"""Where a sweep's chunks run: this process, a local process pool, or Dask.

A sweep cuts its grid into chunks of consecutive grid points and hands each
chunk to a task function (a module-level function, so it pickles). Results
come back in grid order whatever order the chunks finished in, and every
random draw is seeded per *grid point* (see :func:`dilemma.sweep.simulate.point_seed`),
never per chunk, worker or machine, so the table is the same point for point
and seed for seed however it ran.

=====================  =========================================================
executor               used when
=====================  =========================================================
:class:`Serial`        ``workers=1`` (default of the Python API), no scheduler
:class:`Processes`     ``workers=N > 1`` or ``None`` (every core), no scheduler:
                       a :class:`concurrent.futures.ProcessPoolExecutor`
:class:`DaskCluster`   ``scheduler="tcp://host:8786"`` (an existing cluster),
                       ``scheduler="local"`` (a ``LocalCluster`` of ``workers``
                       processes) or a ``distributed.Client``
=====================  =========================================================

Dask is optional (``pip install -e ".[distributed]"``) and imported only
when a scheduler is named.
"""

from __future__ import annotations

import math
import os
from typing import Callable, Sequence

from ..errors import DilemmaError, ParameterError

__all__ = ["Serial", "Processes", "DaskCluster", "make_executor", "chunk_bounds", "import_distributed"]

Progress = Callable[[int], None]

#: Seconds to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = 10.0


def chunk_bounds(total: int, size: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(total)`` in chunks of ``size``.

    >>> chunk_bounds(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    """
    size = max(1, int(size))
    return [(lo, min(total, lo + size)) for lo in range(0, total, size)]


def _check_workers(workers) -> int | None:
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ParameterError("workers", "a whole number >= 1, or None for every core", workers)
    return workers


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class Serial:
    """Run every chunk in this process, in order."""

    name = "serial"
    parallelism = 1
    distributed = False

    def map(self, func, args: Sequence[tuple], sizes: Sequence[int], progress: Progress | None = None):
        out = []
        for a, k in zip(args, sizes):
            out.append(func(*a))
            if progress is not None:
                progress(k)
        return out

    def close(self) -> None:
        pass


class Processes:
    """Run chunks on a pool of local processes (``workers`` processes, default every core)."""

    name = "processes"
    distributed = False

    def __init__(self, workers: int | None = None):
        self.parallelism = workers or _cores()

    def map(self, func, args: Sequence[tuple], sizes: Sequence[int], progress: Progress | None = None):
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        out: list = [None] * len(args)
        pool = ProcessPoolExecutor(max_workers=min(self.parallelism, max(1, len(args))))
        try:
            pending = {pool.submit(func, *a): i for i, a in enumerate(args)}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    out[i] = fut.result()
                    if progress is not None:
                        progress(sizes[i])
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return out

    def close(self) -> None:
        pass


def import_distributed():
    """The ``distributed`` module, or a DilemmaError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise DilemmaError(
            "--scheduler: running on a Dask cluster needs the optional 'distributed' extra; "
            "install it with pip install -e \".[distributed]\" (or pip install \"dask[distributed]\")"
        ) from None
    return distributed


class DaskCluster:
    """Run chunks on a Dask cluster through a ``distributed.Client``.

    Parameters
    ----------
    scheduler : str or distributed.Client
        ``"tcp://host:8786"`` connects to a running scheduler; ``"local"``
        starts a ``LocalCluster`` of ``workers`` single-threaded worker
        processes (closed again by :meth:`close`); a ``Client`` is used as is.
    workers : int, optional
        Workers of a ``"local"`` cluster (default: every core).
    timeout : float, optional
        Seconds to wait for the scheduler (default :data:`CONNECT_TIMEOUT`).
    """

    name = "dask"
    distributed = True

    def __init__(self, scheduler, workers: int | None = None, timeout: float | None = None):
        distributed = import_distributed()
        timeout = CONNECT_TIMEOUT if timeout is None else timeout
        self._own = []
        if isinstance(scheduler, distributed.Client):
            self.client = scheduler
        elif scheduler == "local":
            cluster = distributed.LocalCluster(n_workers=workers or _cores(), threads_per_worker=1,
                                               processes=True, dashboard_address=":0")
            self.client = distributed.Client(cluster)
            self._own = [self.client, cluster]
        elif isinstance(scheduler, str) and scheduler.strip():
            try:
                self.client = distributed.Client(scheduler, timeout=timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                msg = " ".join(str(exc).split()) or type(exc).__name__
                raise DilemmaError(
                    f"--scheduler {scheduler}: could not connect to a Dask scheduler ({msg}); "
                    f"start one with 'dask scheduler' and give its address, e.g. tcp://host:8786"
                ) from None
            self._own = [self.client]
        else:
            raise ParameterError("scheduler", "a scheduler address such as 'tcp://host:8786', "
                                 "'local', or a distributed.Client", scheduler)
        self.parallelism = max(1, sum(self.client.nthreads().values()))

    def map(self, func, args: Sequence[tuple], sizes: Sequence[int], progress: Progress | None = None):
        distributed = import_distributed()
        client = self.client
        if not args:
            return []
        # ship the (identical) leading argument once, not with every task
        shared = client.scatter(args[0][0], broadcast=True, hash=False)
        futures = [client.submit(func, shared, *a[1:], pure=False) for a in args]
        index = {f.key: i for i, f in enumerate(futures)}
        out: list = [None] * len(args)
        try:
            for fut in distributed.as_completed(futures):
                i = index[fut.key]
                try:
                    out[i] = fut.result()
                except ImportError as exc:
                    if "dilemma" in str(exc):
                        raise DilemmaError(
                            f"--scheduler: a Dask worker cannot import the project ({exc}); install it "
                            f"on every worker (pip install -e . or pip install dilemma)") from None
                    raise
                if progress is not None:
                    progress(sizes[i])
        except BaseException:
            client.cancel(futures)
            raise
        return out

    def close(self) -> None:
        for obj in self._own:
            try:
                obj.close()
            except Exception:  # pragma: no cover - best effort on shutdown
                pass
        self._own = []


def make_executor(workers=1, scheduler=None):
    """The executor for ``workers`` / ``scheduler`` (see the module docstring)."""
    workers = _check_workers(workers)
    if scheduler is not None:
        return DaskCluster(scheduler, workers)
    if workers == 1:
        return Serial()
    return Processes(workers)


def default_chunk(total: int, parallelism: int, tasks_per_worker: int = 4, at_most: int | None = None) -> int:
    """Grid points per task: about ``tasks_per_worker`` tasks per worker.

    >>> default_chunk(1000, 2)
    125
    """
    size = math.ceil(total / max(1, parallelism * tasks_per_worker))
    if at_most is not None:
        size = min(size, at_most)
    return max(1, size)
