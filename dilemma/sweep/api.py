"""The public :func:`sweep`: a regime map (and optionally Monte Carlo) over a grid."""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from ..errors import ParameterError
from .core import ANALYSIS_COLUMNS, analyse_points
from .executors import chunk_bounds, default_chunk, make_executor
from .grid import check_axes, check_grid_size, grid_points, grid_shape

__all__ = ["sweep"]


def sweep(scenario, axes: Mapping[str, object], *, simulate: bool | None = None,
          strategies=None, rounds: int | None = None, runs: int | None = None, seed: int = 0,
          max_points: int | None = None, force: bool = False, workers: int | None = 1,
          scheduler=None, chunk_size: int | None = None,
          progress: Callable[[int, int], None] | None = None, tol: float = 1e-9,
          simulate_options: Mapping | None = None):
    """Analyse the game at every point of a parameter grid: one row per point.

    Parameters
    ----------
    scenario : Scenario
        A model scenario (an explicit game has nothing to sweep).
    axes : mapping of dotted path to array_like
        Values of each swept parameter (``{"market.punishment": np.linspace(0,
        0.03, 31)}``); the grid is their full factorial product, C order.
        Paths are those of :meth:`Scenario.parameter_paths`.
    simulate : bool, optional
        Also run the multi-year model at every point (Monte Carlo). Default:
        only when ``strategies`` are given.
    strategies : str or sequence, optional
        Strategy of each firm for the simulation (one name for all, or one per
        firm; see :mod:`dilemma.repeated.strategies`).
    rounds, runs : int, optional
        Years per run and runs per grid point (defaults: those of
        :mod:`dilemma.repeated.montecarlo`).
    seed : int, default 0
        Root seed. Grid point ``k`` draws from
        ``numpy.random.SeedSequence(seed, spawn_key=(k,))`` (the ``k``-th child
        of ``SeedSequence(seed).spawn``), so results do not depend on how the
        grid was split across processes or machines.
    max_points : int, optional
        Refuse larger grids unless ``force`` (defaults 250,000; 20,000 with a
        simulation).
    force : bool, default False
    workers : int or None, default 1
        Processes for the simulation on this machine (``None`` = every core;
        1 = in this process). The deterministic analysis always runs batched
        in this process unless a ``scheduler`` is given.
    scheduler : str or distributed.Client, optional
        Run the simulation on a Dask cluster: a scheduler address
        (``"tcp://host:8786"``), ``"local"`` for a local Dask cluster of
        ``workers`` processes, or a ``Client``. The grid goes to the cluster
        in chunks (the deterministic analysis and the simulation). Needs the
        ``distributed`` extra.
    chunk_size : int, optional
        Grid points per simulation task (default: about four tasks per worker).
    progress : callable ``(done, total)``, optional
        Called as blocks of grid points finish (with a simulation: as
        simulated points finish; the deterministic analysis is quick).
    tol : float, default 1e-9
        Payoff differences within ``tol`` are ties (as in :mod:`dilemma.equilibria`).
    simulate_options : mapping, optional
        Further keyword arguments for the Monte Carlo engine.

    Returns
    -------
    pandas.DataFrame
        One row per grid point: a column per swept parameter, then
        ``game_type`` (a slug of :data:`dilemma.equilibria.classify.TYPES`),
        ``equilibria`` (pure equilibria such as ``"all spend | all cut"`` or
        ``"Meta cuts, others spend"`` (:func:`dilemma.format.profile_label`), then symmetric mixed ones as
        ``"mixed 0.42"``, the probability of Spend; ``"none pure"`` if there
        are none), ``n_equilibria`` (how many the label lists),
        ``social_optimum`` (welfare-maximising profile(s)), ``welfare_optimum``
        and ``welfare_equilibrium`` (total payoff at the optimum and at the
        worst pure equilibrium, $B/yr), ``welfare_gap`` (their difference),
        ``price_of_anarchy`` (their ratio, ``nan`` unless both are positive),
        ``critical_delta`` (binding grim-trigger discount factor; 0 = restraint
        self-enforcing, ``inf`` = not sustainable) and ``binding_firm``. With a
        simulation, the Monte Carlo columns of :mod:`dilemma.sweep.simulate`
        follow. ``frame.attrs`` holds the axes, the scenario's current values
        of the swept parameters and the scenario title.

    Raises
    ------
    DilemmaError
        Explicit-game scenario, unknown parameter (with the nearest valid
        name), value out of range, grid above the size cap, bad simulation
        settings, or a missing ``distributed`` extra.

    Notes
    -----
    Mixed equilibria are reported for symmetric games (identical firms) only;
    for heterogeneous firms the label lists the pure equilibria (and says
    ``"none pure"`` if there are none).

    Examples
    --------
    >>> from dilemma import load_preset
    >>> frame = sweep(load_preset("2025-baseline"), {"market.punishment": [0.0, 0.009, 0.03]})
    >>> frame["game_type"].tolist()
    ['chicken', 'prisoners-dilemma', 'prisoners-dilemma']
    >>> frame["equilibria"].tolist()
    ['Microsoft, Amazon cut, others spend', 'all spend', 'all spend']
    >>> frame["social_optimum"].tolist()
    ['Alphabet spends, others cut', 'all cut', 'all cut']
    """
    import pandas as pd

    if simulate is None:
        simulate = strategies is not None
    try:
        tol = float(tol)
    except (TypeError, ValueError):
        raise ParameterError("tol", "a finite number >= 0", tol) from None
    if not (tol >= 0 and np.isfinite(tol)):
        raise ParameterError("tol", "a finite number >= 0", tol)
    axes = check_axes(axes, scenario)
    total = check_grid_size(axes, max_points, force, simulate=bool(simulate))
    points = grid_points(axes)

    simulation = None
    if simulate:
        from .simulate import prepare_simulation

        simulation = prepare_simulation(scenario, strategies=strategies, rounds=rounds, runs=runs, seed=seed,
                                        chunk_size=chunk_size, options=simulate_options)

    def report(total_points):
        if progress is None:
            return None
        done = [0]

        def step(k):
            done[0] += k
            progress(done[0], total_points)
        return step

    executor = None
    if simulation is not None or scheduler is not None or workers != 1:
        executor = make_executor(workers, scheduler)
    try:
        if executor is not None and executor.distributed:
            # ship the grid to the cluster in chunks as well; rows come back in grid order
            size = chunk_size or default_chunk(total, executor.parallelism)
            bounds = chunk_bounds(total, size)
            args = [(scenario, {k: v[lo:hi] for k, v in points.items()}, tol) for lo, hi in bounds]
            parts = executor.map(analyse_points, args, [hi - lo for lo, hi in bounds],
                                 None if simulation is not None else report(total))
            columns = {k: np.concatenate([p[k] for p in parts]) for k in ANALYSIS_COLUMNS}
        else:
            # batched solvers in this process: a 100 x 100 grid takes well under a second,
            # less than starting a process pool would
            columns = analyse_points(scenario, points, tol,
                                     None if (progress is None or simulation is not None) else progress)
        if simulation is not None:
            columns.update(simulation.run(points, executor, report(total)))
    finally:
        if executor is not None:
            executor.close()

    frame = pd.DataFrame({**points, **columns})
    frame.attrs["axes"] = {k: v.tolist() for k, v in axes.items()}
    frame.attrs["shape"] = list(grid_shape(axes))
    frame.attrs["current"] = {k: float(scenario.value(k)) for k in axes}
    frame.attrs["title"] = scenario.title
    frame.attrs["players"] = list(scenario.player_names)
    frame.attrs["points"] = total
    return frame
