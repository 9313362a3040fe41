"""Monte Carlo sweeps: the multi-year model played at every grid point.

At each grid point the scenario takes the point's parameter values
(:meth:`Scenario.with_values`) and :func:`dilemma.repeated.montecarlo.monte_carlo`
plays it ``runs`` times for ``rounds`` years with the given strategies. The
sweep keeps, per point:

==========================  ====================================================
column                      meaning
==========================  ====================================================
``burst_frequency``         share of runs in which the bubble burst within the horizon
``spend_share``             share of firm-years in which firms spent
``payoff_mean``             mean yearly payoff summed over firms ($B/yr)
``value_total_mean``        mean market value at the horizon summed over firms ($B)
``value_<firm>_p<q>``       percentile ``q`` over runs of the firm's market value
                            at the horizon ($B; default q = 5, 50, 95)
==========================  ====================================================

**Seeds.** Grid point ``k`` (C order over the axes, the table's row) draws
from ``numpy.random.SeedSequence(seed, spawn_key=(k,))``, which is the
``k``-th child of ``SeedSequence(seed).spawn(...)``. The seed depends on the
point only, never on the chunk, worker or machine that ran it, so a sweep on
one core, on a process pool or on a Dask cluster gives the same table.

Examples
--------
>>> point_seed(7, 2).spawn_key
(2,)
>>> import numpy as np
>>> int(point_seed(7, 2).generate_state(1)[0]) == int(np.random.SeedSequence(7).spawn(3)[2].generate_state(1)[0])
True
"""

from __future__ import annotations

import numbers
from typing import Callable, Mapping, Sequence

import numpy as np

from ..errors import DilemmaError, ParameterError
from .executors import chunk_bounds, default_chunk

__all__ = ["point_seed", "simulate_chunk", "simulation_columns", "prepare_simulation", "Simulation",
           "DEFAULT_ROUNDS", "DEFAULT_RUNS", "DEFAULT_PERCENTILES"]

#: Years per run and runs per grid point unless told otherwise.
DEFAULT_ROUNDS = 10
DEFAULT_RUNS = 1000
#: Percentiles of each firm's market value at the horizon.
DEFAULT_PERCENTILES = (5.0, 50.0, 95.0)
_OPTIONS = ("noise", "percentiles")


def point_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The seed sequence of grid point ``index``: ``SeedSequence(seed, spawn_key=(index,))``."""
    return np.random.SeedSequence(int(seed), spawn_key=(int(index),))


def simulation_columns(players: Sequence[str], percentiles=DEFAULT_PERCENTILES) -> list[str]:
    """Names of the Monte Carlo columns, in table order.

    >>> simulation_columns(["A", "B"], (50,))
    ['burst_frequency', 'spend_share', 'payoff_mean', 'value_total_mean', 'value_A_p50', 'value_B_p50']
    """
    cols = ["burst_frequency", "spend_share", "payoff_mean", "value_total_mean"]
    cols += [f"value_{p}_p{q:g}" for p in players for q in percentiles]
    return cols


def simulate_chunk(scenario, paths: Sequence[str], values: np.ndarray, start: int, strategies, years: int,
                   runs: int, seed: int, noise: float = 0.0,
                   percentiles=DEFAULT_PERCENTILES) -> np.ndarray:
    """Monte Carlo at consecutive grid points ``start, start + 1, ...``.

    A task function (module level, so it pickles for process pools and Dask).

    Parameters
    ----------
    scenario : Scenario
    paths : sequence of str
        The swept parameters.
    values : ndarray, shape (k, len(paths))
        Their values at the ``k`` grid points of this chunk.
    start : int
        Grid index of the first point (seeds are per grid index).
    strategies, years, runs, seed, noise, percentiles
        As :func:`dilemma.sweep.sweep`.

    Returns
    -------
    ndarray of float, shape (k, len(simulation_columns(...)))
    """
    from ..repeated.montecarlo import monte_carlo

    values = np.asarray(values, dtype=float).reshape(-1, len(paths))
    n = scenario.n_players
    pcts = tuple(float(q) for q in percentiles)
    out = np.empty((len(values), 4 + n * len(pcts)))
    for j, row in enumerate(values):
        point = scenario.with_values(dict(zip(paths, row.tolist())))
        mc = monte_carlo(point, strategies, years=years, runs=runs, seed=point_seed(seed, start + j),
                         noise=noise, percentiles=pcts, variables=("market_value", "payoff"))
        end_value = mc.bands["market_value"][:, -1, :]          # (percentiles, firms)
        out[j, 0] = mc.burst_share[-1]
        out[j, 1] = mc.share_spending.mean()
        out[j, 2] = mc.means["payoff"].sum(axis=1).mean()
        out[j, 3] = mc.means["market_value"][-1].sum()
        out[j, 4:] = end_value.T.ravel()                        # firm-major, as the column names
    return out


class Simulation:
    """A validated Monte Carlo set-up, run over grid points by :meth:`run`."""

    def __init__(self, scenario, strategies, rounds, runs, seed, noise, percentiles, chunk_size):
        self.scenario = scenario
        self.strategies = strategies
        self.rounds = rounds
        self.runs = runs
        self.seed = seed
        self.noise = noise
        self.percentiles = percentiles
        self.chunk_size = chunk_size
        self.columns = simulation_columns(scenario.player_names, percentiles)

    def run(self, points: Mapping[str, np.ndarray], executor, progress: Callable[[int], None] | None = None
            ) -> dict[str, np.ndarray]:
        """Monte Carlo columns for every grid point, in grid order."""
        paths = list(points)
        total = len(points[paths[0]]) if paths else 1
        matrix = np.column_stack([np.asarray(points[p], dtype=float) for p in paths]) if paths \
            else np.empty((total, 0))
        size = self.chunk_size
        if size is None:
            # serial: small chunks so the progress bar moves; parallel: ~4 tasks per worker
            size = default_chunk(total, executor.parallelism, tasks_per_worker=4,
                                 at_most=max(1, total // 100) if executor.parallelism == 1 else None)
        bounds = chunk_bounds(total, size)
        args = [(self.scenario, paths, matrix[lo:hi], lo, self.strategies, self.rounds, self.runs, self.seed,
                 self.noise, self.percentiles) for lo, hi in bounds]
        parts = executor.map(simulate_chunk, args, [hi - lo for lo, hi in bounds], progress)
        table = np.concatenate(parts, axis=0) if parts else np.empty((0, len(self.columns)))
        return {c: table[:, k] for k, c in enumerate(self.columns)}


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ParameterError(name, f"a whole number between {low} and {high}", value)
    return int(value)


def prepare_simulation(scenario, *, strategies, rounds=None, runs=None, seed=0, chunk_size=None,
                       options: Mapping | None = None) -> Simulation:
    """Check the simulation settings before any work starts; returns a :class:`Simulation`.

    Raises
    ------
    DilemmaError
        Missing or unknown strategies, a wrong number of them, rounds, runs,
        seed or chunk size out of range, unknown options.
    """
    from ..repeated.state import _resolve

    if strategies is None or (isinstance(strategies, str) and not strategies.strip()) or \
            (not isinstance(strategies, str) and len(strategies) == 0):
        raise DilemmaError("simulate: name the strategies to play (e.g. strategies='grim-trigger')")
    names = [s.strip() for s in strategies.split(",")] if isinstance(strategies, str) else \
        [str(s).strip() for s in strategies]
    names = [s for s in names if s]
    n = scenario.n_players
    if len(names) not in (1, n):
        raise ParameterError("strategies", f"one strategy per firm ({n}: {', '.join(scenario.player_names)}) "
                             f"or one for all", len(names))
    _resolve(names if len(names) > 1 else names[0], n)     # unknown names -> error listing the valid ones
    rounds = _whole(DEFAULT_ROUNDS if rounds is None else rounds, "rounds", 1, 1000)
    runs = _whole(DEFAULT_RUNS if runs is None else runs, "runs", 1, 10_000_000)
    seed = _whole(0 if seed is None else seed, "seed", 0, 2**63 - 1)
    if chunk_size is not None:
        chunk_size = _whole(chunk_size, "chunk_size", 1, 10**9)
    options = dict(options or {})
    bad = [k for k in options if k not in _OPTIONS]
    if bad:
        raise ParameterError("simulate_options", "keys from " + ", ".join(_OPTIONS), bad)
    noise = options.get("noise", 0.0)
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        raise ParameterError("noise", "a probability between 0 and 1", noise) from None
    if not 0.0 <= noise <= 1.0:
        raise ParameterError("noise", "a probability between 0 and 1", noise)
    pcts = tuple(float(q) for q in np.atleast_1d(options.get("percentiles", DEFAULT_PERCENTILES)))
    if not pcts or any(not 0 <= q <= 100 for q in pcts):
        raise ParameterError("percentiles", "numbers between 0 and 100", options.get("percentiles"))
    return Simulation(scenario, names if len(names) > 1 else names[0], rounds, runs, seed, noise, pcts,
                      chunk_size)
