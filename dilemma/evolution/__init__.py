"""Evolutionary dynamics of the Spend/Cut game, one algorithm a module.

=====================  =====================================================
module                 algorithm
=====================  =====================================================
:mod:`.replicator`     replicator ODE of a symmetric N-player game on its
                       Schelling diagram: trajectories, rest points and
                       their stability, the inputs of a game (or its
                       average firm)
:mod:`.discrete`       discrete-time replicator dynamics on a tournament's
                       pairwise payoffs
:mod:`.moran`          Moran process with any payoffs: fixation
                       probability (closed form and simulated), one process,
                       many processes, the scale-free intensity of selection
:mod:`.ecology`        "Evolution of Trust" ecology: drop the worst, copy
                       the best
=====================  =====================================================

The maths of each lives in its module docstring; input checks shared by them
are in ``_checks``. A new dynamic is a new module here, re-exported below
and listed in ``__all__``.

Examples
--------
>>> from dilemma.evolution import rest_points, fixation_probability
>>> rest_points([1.0, 2.0], [2.0, 1.0]).x.tolist()       # stag hunt: tipping point at 1/2
[0.0, 0.5, 1.0]
>>> round(fixation_probability([[1, 1], [1, 1]], 10), 6)  # neutral drift: 1/N
0.1
"""

from __future__ import annotations

from .discrete import discrete_replicator
from .ecology import ecology
from .moran import (
    fixation_probabilities,
    fixation_probability,
    moran_fitness,
    moran_process,
    selection_w,
    simulate_fixation,
)
from .replicator import (
    expected_gain,
    replicator_horizon,
    replicator_inputs,
    replicator_rhs,
    replicator_trajectory,
    rest_points,
    schelling_arrays,
    stability_of,
)

__all__ = [
    # replicator
    "schelling_arrays",
    "replicator_inputs",
    "expected_gain",
    "replicator_rhs",
    "replicator_trajectory",
    "replicator_horizon",
    "rest_points",
    "stability_of",
    # discrete
    "discrete_replicator",
    # moran
    "moran_fitness",
    "selection_w",
    "fixation_probability",
    "simulate_fixation",
    "moran_process",
    "fixation_probabilities",
    # ecology
    "ecology",
]
