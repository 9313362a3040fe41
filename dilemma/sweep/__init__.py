"""Parameter sweeps: regime maps of the capex game over a grid of parameters.

"Over which range of market punishment and financing cost does the dilemma
hold?" A sweep varies model parameters over a grid, evaluates the payoffs of
every grid point in one call of the vectorised payoff engine, solves all the
games at once (the solvers of :mod:`dilemma.equilibria` on a leading batch
axis) and returns one table row per point:
the game's type, its equilibria, the social optimum, the price of anarchy and
the discount factor that sustains restraint. With ``strategies`` it also plays
the multi-year model at every point (Monte Carlo: burst frequency, value
percentiles), on this machine's cores or on a Dask cluster, with results that
do not depend on where they ran.

Modules: :mod:`~dilemma.sweep.grid` (ranges, validation, size cap),
:mod:`~dilemma.sweep.labels`,
:mod:`~dilemma.sweep.core` (the deterministic analysis),
:mod:`~dilemma.sweep.simulate` (Monte Carlo per grid point, seeds),
:mod:`~dilemma.sweep.executors` (this process, a process pool or Dask),
:mod:`~dilemma.sweep.output` (atomic CSV/Parquet/chart writing, summaries).

Examples
--------
>>> from dilemma import load_preset
>>> axes = grid_from_specs(["market.punishment=0:0.03:4"])
>>> frame = sweep(load_preset("2025-baseline"), axes)
>>> frame[["market.punishment", "game_type", "equilibria"]].values.tolist()
[[0.0, 'chicken', 'Microsoft, Amazon cut, others spend'], [0.01, 'prisoners-dilemma', 'all spend'], [0.02, 'prisoners-dilemma', 'all spend'], [0.03, 'prisoners-dilemma', 'all spend']]
"""

from __future__ import annotations

from .api import sweep
from .grid import (
    DEFAULT_MAX_POINTS,
    DEFAULT_MAX_POINTS_SIMULATE,
    check_axes,
    grid_from_specs,
    grid_points,
    grid_size,
    parse_range,
)

__all__ = [
    "sweep",
    "parse_range",
    "grid_from_specs",
    "check_axes",
    "grid_points",
    "grid_size",
    "DEFAULT_MAX_POINTS",
    "DEFAULT_MAX_POINTS_SIMULATE",
]
